"""Scale the demo data to 50 departments and a report of 500 sections, then print the pages to load.

Run by bench/load.sh (DJANGO_SETTINGS_MODULE=bench.settings); safe to run twice. Prints shell
assignments: the report and section used, and for each benchmarked page its URL (or "-" when
the URL does not exist in this version of Huigao), the account that requests it and the method;
with CHECK_BODY_FILE set, writes there the form the editor's proofreading check posts.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from reports import demo_content  # noqa: E402
from reports.management.commands.demo import DEMO_PASSWORD  # noqa: E402
from reports.models import Assignment, Department, Measure, Membership, Report, Role, Section  # noqa: E402

DEPARTMENTS = 50
TOP_SECTIONS, CHILDREN = 50, 9  # 50 + 50 × 9 = 500 sections
MEASURES_PER_SECTION = 3
TITLE = "关于全县2025年度重点工作推进情况的报告（基准测试，500节）"


def measures_text():
    def walk(sections):
        for section in sections:
            yield from section["measures"]
            yield from walk(section["children"])

    return list(walk(demo_content.REPORT["sections"]))


def departments():
    """The demo's departments and enough more to have 50, each with a drafter and a signer."""
    existing = list(Department.objects.exclude(name=demo_content.COORDINATING_OFFICE["name"]).order_by("position"))
    password = make_password(DEMO_PASSWORD)
    User = get_user_model()
    for n in range(len(existing) + 1, DEPARTMENTS + 1):
        department = Department.objects.create(name=f"青川县第{n}责任单位", short_name=f"责任单位{n}", position=100 + n)
        for role in (Role.DRAFTER, Role.SIGNER):
            user = User.objects.create(username=f"bench{n}-{role}", first_name=f"单位{n}", password=password)
            Membership.objects.create(user=user, department=department, role=role)
        existing.append(department)
    return existing[:DEPARTMENTS]


def big_report(office, coordinator, departments):
    report = Report.objects.filter(title=TITLE).first()
    if report:
        return report
    texts = measures_text()
    report = Report.objects.create(
        title=TITLE,
        preamble=demo_content.REPORT["preamble"],
        closing=demo_content.REPORT["closing"],
        issuer=demo_content.REPORT["issuer"],
        lead_department=office,
        created_by=coordinator,
    )
    tops = Section.objects.bulk_create(
        Section(report=report, position=n, heading=f"第{n + 1}方面重点工作", intro="围绕年度目标，统筹推进各项任务。")
        for n in range(TOP_SECTIONS)
    )
    children = Section.objects.bulk_create(
        Section(report=report, parent=top, position=m, heading=f"在第{t + 1}.{m + 1}项任务方面", intro="")
        for t, top in enumerate(tops)
        for m in range(CHILDREN)
    )
    Measure.objects.bulk_create(
        Measure(section=section, position=k, lead=texts[(i + k) % len(texts)][0], body=texts[(i + k) % len(texts)][1])
        for i, section in enumerate(children)
        for k in range(MEASURES_PER_SECTION)
    )
    Assignment.objects.bulk_create(
        Assignment(section=section, department=departments[i % len(departments)]) for i, section in enumerate(children)
    )
    return report


def check_body(section):
    """The form the editor's proofreading check posts (a moment after the last key): the
    section's text as the editor holds it, URL-encoded as the page's script sends it."""
    measures = list(section.measures.order_by("position", "pk"))
    data = {
        "version": section.version,
        "intro": section.intro,
        "note": "",
        "measures-TOTAL_FORMS": len(measures),
        "measures-INITIAL_FORMS": len(measures),
        "measures-MIN_NUM_FORMS": 0,
        "measures-MAX_NUM_FORMS": 1000,
    }
    for index, measure in enumerate(measures):
        data[f"measures-{index}-id"] = measure.pk
        data[f"measures-{index}-lead"] = measure.lead
        data[f"measures-{index}-body"] = measure.body
        data[f"measures-{index}-ORDER"] = index + 1
    return urlencode(data)


def url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return "-"


def main():
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    User = get_user_model()
    coordinator = User.objects.get(username=f"{demo_content.COORDINATING_OFFICE['key']}-coord")
    office = Department.objects.get(name=demo_content.COORDINATING_OFFICE["name"])
    with transaction.atomic():
        report = big_report(office, coordinator, departments())
    section = Section.objects.filter(report=report, parent__isnull=False, assignment__isnull=False).order_by("pk")[0]
    drafter = Membership.objects.get(department=section.assignment.department, role=Role.DRAFTER).user
    assert Section.objects.filter(report=report).count() == TOP_SECTIONS * (1 + CHILDREN)
    if connection.vendor == "postgresql":
        # Fresh statistics for the rows just written, so that autovacuum does not start analysing
        # them in the middle of a measurement.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    assert Department.objects.exclude(pk=office.pk).count() >= DEPARTMENTS
    print(f"REPORT_ID={report.pk}")
    print(f"SECTIONS={report.sections.count()}")
    print(f"MEASURES={Measure.objects.filter(section__report=report).count()}")
    print(f"DEPARTMENTS={Department.objects.count()}")
    body_file = os.environ.get("CHECK_BODY_FILE")
    if body_file:
        Path(body_file).write_text(check_body(section))
    export = url("reports:report-export", report.pk)
    # name | URL | account | method: GET, or POST with the body in CHECK_BODY_FILE
    pages = [
        ("baseline", url("bench-baseline"), coordinator, "GET"),
        ("dashboard", url("drafting:dashboard"), drafter, "GET"),
        ("editor", url("drafting:section-edit", section.pk), drafter, "GET"),
        ("check", url("drafting:section-check", section.pk), drafter, "POST"),
        ("board", url("reports:report-board", report.pk), coordinator, "GET"),
        ("preview", url("reports:report-preview", report.pk), coordinator, "GET"),
        # The draft export: the final one answers 409 while sections are not accepted yet.
        ("export", export + "?draft=1" if export != "-" else "-", coordinator, "GET"),
    ]
    print("PAGES='" + " ".join(f"{name}|{path}|{user.username}|{method}" for name, path, user, method in pages) + "'")


if __name__ == "__main__":
    main()

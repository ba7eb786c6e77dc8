"""Benchmark: each page against its straightforward peer, at 50, 500 and 2,000 sections.

    .venv/bin/python bench/pages.py [--sizes 50,500,2000] [--repeat 15] [--pages board,preview]

One process, a throwaway SQLite database (a temporary DATABASE_URL), production settings
(DEBUG off) with the bench's URLs (bench/settings.py). Each page is requested through Django's
test client as a logged-in user, with all middleware, and so is its peer (bench/peers.py): a
plain view running one queryset and one template loop over the same report in the same base.html.
After warm-up runs, every repetition times each page and its peer back to back (the order
alternating), so both see the same machine. Times are this process's CPU time: the database is
SQLite in the same process, so it counts every query too, and unlike the wall clock it does not
count the time other programs on a shared machine hold the CPU. Printed per page and size: the medians, their ratio,
the spread of the per-repetition ratios (interquartile range), the queries of each; then the
growth of each page from 500 to 2,000 sections, and last `worst ratio R` over every row.
Targets: each page at most 1.0× its peer at 500 and 2,000 sections, 500 → 2,000 at most 4.5×,
query counts flat.
"""

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("dashboard", "editor", "board", "preview")
EDITOR_MEASURES = 200
MEASURES_PER_SECTION = 3
DEPARTMENTS = 8


def setup_django(tmp):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DEBUG"] = "0"
    os.environ["SECRET_KEY"] = "bench-only-not-a-secret"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    # Production settings name their mail choice and run behind TLS; the test client sends neither.
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    # Production serves static files through a manifest that collectstatic writes; the pages only
    # need their URLs here.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ).enable()
    call_command("migrate", verbosity=0)
    # Quiet: the login log lines, and whitenoise missing the collectstatic folder it does not need here.
    logging.getLogger("huigao").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at")


def build(size):
    """A report of `size` sections (a tenth at the top, the rest under them), three measures each
    and one section of 200, assigned round-robin to its own departments in every state; a
    coordinator, and a drafter of the 200-measure section's department."""
    from django.contrib.auth import get_user_model

    from bench.export import demo_report
    from reports import demo_content
    from reports.models import Assignment, AssignmentState, Department, Measure, Membership, Role, Section

    User = get_user_model()
    office = Department.objects.create(name=f"{size}节测试县委办公室", short_name=f"县委办{size}")
    coordinator = User.objects.create(username=f"coord{size}")
    Membership.objects.create(user=coordinator, department=office, role=Role.SIGNER)
    departments = [
        Department.objects.create(name=f"{size}节测试县第{n}局", short_name=f"第{n}局", position=n)
        for n in range(DEPARTMENTS)
    ]
    spec = demo_content.REPORT
    report = demo_report(f"{spec['title']}（{size}节）", office, created_by=coordinator)
    texts = [m for top in spec["sections"] for child in top["children"] for m in child["measures"]]
    tops = Section.objects.bulk_create(
        Section(report=report, position=n, heading=f"第{n + 1}方面重点工作", intro="围绕年度目标，统筹推进各项任务。")
        for n in range(size // 10)
    )
    children = Section.objects.bulk_create(
        Section(report=report, parent=tops[n % len(tops)], position=n, heading=f"在第{n + 1}项任务方面")
        for n in range(size - len(tops))
    )
    editor_section = children[0]
    Measure.objects.bulk_create(
        Measure(section=section, position=k, lead=texts[(i + k) % len(texts)][0], body=texts[(i + k) % len(texts)][1])
        for i, section in enumerate(children)
        for k in range(EDITOR_MEASURES if section is editor_section else MEASURES_PER_SECTION)
    )
    states = list(AssignmentState)
    Assignment.objects.bulk_create(
        Assignment(
            section=section,
            department=departments[i % DEPARTMENTS],
            # The editor's section is being drafted, so its department may edit it.
            state=AssignmentState.DRAFT if section is editor_section else states[i % len(states)],
            deadline=report.created_at.date(),
        )
        for i, section in enumerate(children)
    )
    drafter = User.objects.create(username=f"drafter{size}")
    Membership.objects.create(user=drafter, department=departments[0], role=Role.DRAFTER)
    return {
        "report": report,
        "sections": size,
        "coordinator": coordinator,
        "drafter": drafter,
        "editor_section": editor_section,
    }


def requests_for(data):
    """{page: ((page url, peer url), user)} for one report."""
    from django.urls import reverse

    report, section = data["report"].pk, data["editor_section"].pk
    return {
        "dashboard": ((reverse("drafting:dashboard"), reverse("peer-dashboard")), data["drafter"]),
        "editor": (
            (reverse("drafting:section-edit", args=[section]), reverse("peer-editor", args=[section])),
            data["drafter"],
        ),
        "board": (
            (reverse("reports:report-board", args=[report]), reverse("peer-board", args=[report])),
            data["coordinator"],
        ),
        "preview": (
            (reverse("reports:report-preview", args=[report]), reverse("peer-preview", args=[report])),
            data["coordinator"],
        ),
    }


def timed(client, url):
    start = time.process_time()
    response = client.get(url)
    elapsed = time.process_time() - start
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return elapsed


def queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def quartiles(values):
    if len(values) < 2:
        return values[0], values[0]
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="50,500,2000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    pages = [p for p in args.pages.split(",") if p]

    with tempfile.TemporaryDirectory(prefix="huigao-pages-") as tmp:
        setup_django(Path(tmp))
        from django.test import Client

        cases = []  # (page, size, client, page url, peer url)
        for size in sizes:
            data = build(size)
            clients = {}
            for page, ((url, peer_url), user) in requests_for(data).items():
                if page not in pages:
                    continue
                if user.pk not in clients:
                    clients[user.pk] = Client()
                    clients[user.pk].force_login(user)
                cases.append((page, size, clients[user.pk], url, peer_url))

        counts = {(page, size): (queries(c, url), queries(c, peer)) for page, size, c, url, peer in cases}
        for _ in range(args.warmup):
            for _page, _size, client, url, peer in cases:
                timed(client, url)
                timed(client, peer)
        times = {(page, size): ([], []) for page, size, *_ in cases}
        for n in range(args.repeat):
            for page, size, client, url, peer in cases:
                mine, theirs = times[page, size]
                if n % 2:
                    theirs.append(timed(client, peer))
                    mine.append(timed(client, url))
                else:
                    mine.append(timed(client, url))
                    theirs.append(timed(client, peer))

    print(
        f"{'page':<10} {'sections':>8} {'median ms':>10} {'peer ms':>8} {'ratio':>6} {'ratio IQR':>12} {'queries':>8}"
    )
    worst = 0.0
    medians = {}
    for page, size, *_ in cases:
        mine, theirs = times[page, size]
        median, peer_median = statistics.median(mine), statistics.median(theirs)
        medians[page, size] = median
        ratio = median / peer_median
        worst = max(worst, ratio)
        low, high = quartiles([a / b for a, b in zip(mine, theirs, strict=True)])
        page_queries, peer_queries = counts[page, size]
        print(
            f"{page:<10} {size:>8} {median * 1000:>10.1f} {peer_median * 1000:>8.1f} {ratio:>6.2f}"
            f" {low:>5.2f}–{high:<6.2f} {page_queries:>3}/{peer_queries:<4}"
        )
    for page in pages:
        if (page, 500) in medians and (page, 2000) in medians:
            print(f"growth {page} 500 → 2000 sections: {medians[page, 2000] / medians[page, 500]:.2f}×")
    print(f"worst ratio {worst:.2f}")


if __name__ == "__main__":
    main()

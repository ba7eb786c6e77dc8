"""User text that looks like markup is shown as text on the coordinator's outline, the import
preview and in e-mails (the drafting pages, the board and the preview have their own files)."""

import pytest
from django.urls import reverse

from reports.models import Assignment, Department, Measure
from reports.states import Role
from tests.conftest import make_user

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
BRACES = "{{ 7*7 }}"


@pytest.fixture
def hostile_report(report, our_section, department):
    report.title = f"关于{SCRIPT}的报告"
    report.save()
    our_section.heading = f"标题{IMAGE}"
    our_section.save()
    Measure.objects.filter(section=our_section).update(body=f"正文{BRACES}")
    Department.objects.filter(pk=department.pk).update(name=f"发改局{IMAGE}", short_name="")
    return report


def test_the_outline_shows_hostile_titles_headings_and_department_names_as_text(login, coordinator, hostile_report):
    html = login(coordinator).get(hostile_report.get_absolute_url()).content.decode()
    assert SCRIPT not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "标题&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_import_preview_shows_hostile_text_as_text(login, coordinator, office):
    text = "\n".join(
        [
            f"关于{SCRIPT}工作情况的报告",
            f"今年以来{BRACES}，现将有关情况报告如下。",
            f"一、强化组织{IMAGE}领导",
            "一是压实责任。明确分工。",
            "下一步，我们将继续努力。",
        ]
    )
    response = login(coordinator).post(reverse("reports:report-import"), {"lead_department": office.pk, "text": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert SCRIPT not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html


def test_e_mails_carry_hostile_text_as_plain_text(
    report, our_section, coordinator, department, django_capture_on_commit_callbacks, mailoutbox
):
    make_user("mailsigner", department, role=Role.SIGNER)
    drafter = make_user("maildrafter", department)
    our_section.heading = f"标题{SCRIPT}"
    our_section.save()
    with django_capture_on_commit_callbacks(execute=True):
        Assignment.objects.get(section=our_section).submit(drafter)
    assert mailoutbox, "the signer is told"
    message = mailoutbox[0]
    assert SCRIPT in message.subject and SCRIPT in message.body  # plain text: nothing to interpret
    assert "&lt;" not in message.body
    assert not getattr(message, "alternatives", None)  # no HTML part a mail client could render


def test_attachments_annotation_and_imprint_show_hostile_text_as_text(login, coordinator, report):
    import datetime

    from reports.models import Attachment

    report.annotation = f"（联系人{SCRIPT}）"
    report.cc = f"市委办公室{IMAGE}"
    report.printed_by = f"县委办{BRACES}"
    report.printed_on = datetime.date(2026, 12, 1)
    report.save()
    Attachment.objects.create(
        report=report,
        title=f"附件标题{SCRIPT}",
        body=f"正文{IMAGE}",
        table={"header": True, "rows": [[f"表头{SCRIPT}"], [f"单元格{IMAGE}"]]},
    )
    client = login(coordinator)
    pages = [
        reverse("reports:attachment-list", args=[report.pk]),
        reverse("reports:report-preview", args=[report.pk]),
        reverse("reports:report-edit", args=[report.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert SCRIPT not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
    preview = client.get(pages[1]).content.decode()
    assert "单元格&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in preview
    assert "县委办{{ 7*7 }}" in preview

"""What users type is shown as text on the drafting pages: never markup, never template code.

Each payload goes into a report title, a heading, a measure, a transition comment and a
department name; every page that shows them must print the escaped form and never the raw one.
"""

import pytest
from django.urls import reverse

from reports import content
from reports.models import Measure

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{ 7*7 }}"
PAYLOADS = {
    SCRIPT: "&lt;script&gt;alert(1)&lt;/script&gt;",
    ATTRIBUTE: "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
    TEMPLATE: "{{ 7*7 }}",
}


@pytest.fixture(params=list(PAYLOADS), ids=["script", "attribute", "template"])
def payload(request):
    return request.param


@pytest.fixture
def typed(payload, report, our_section, drafter, signer):
    """The payload in the title, the heading, a measure, a note and the department's name."""
    report.title = f"关于{payload}的报告"
    report.save()
    department = our_section.assignment.department
    department.name, department.short_name = f"县{payload}局", ""
    department.save()
    our_section.heading = f"在{payload}方面"
    our_section.save()
    # Two revisions, so that the history lists them and the compare page shows the change.
    measures = [content.MeasureText(m.pk, m.lead, m.body) for m in our_section.measures.order_by("position")]
    content.save_content(our_section, drafter, intro=our_section.intro, measures=measures)
    Measure.objects.filter(section=our_section, position=0).update(lead=f"推行{payload}", body=f"正文{payload}。")
    our_section.refresh_from_db()
    measures = [content.MeasureText(m.pk, m.lead, m.body) for m in our_section.measures.order_by("position")]
    content.save_content(our_section, drafter, intro=our_section.intro, measures=measures, note=payload)
    assignment = our_section.assignment
    assignment.submit(drafter)
    assignment.send_back(signer, f"请修改{payload}")
    our_section.refresh_from_db()
    return our_section


def assert_shown_as_text(html, payload, times=1):
    if payload != TEMPLATE:
        assert payload not in html
    # Template code is not evaluated: the braces come out as typed.
    assert "在49方面" not in html and "关于49的报告" not in html
    # Jinja2 (the editor's measure cards) writes the quote marks as &#34; and &#39;; both are escaped.
    html = html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    assert html.count(PAYLOADS[payload]) >= times


def test_the_dashboard_shows_typed_markup_as_text(login, coordinator, drafter, typed, payload):
    for user in (drafter, coordinator):  # the coordinator's table has the department column
        html = login(user).get(reverse("drafting:dashboard")).content.decode()
        assert_shown_as_text(html, payload, times=2 if user == drafter else 3)


def test_the_editor_shows_typed_markup_as_text(login, drafter, typed, payload):
    html = login(drafter).get(reverse("drafting:section-edit", args=[typed.pk])).content.decode()
    # Title, heading, the measure's lead and body (fields and preview), the note, the department.
    assert_shown_as_text(html, payload, times=7)


def test_the_review_page_shows_typed_markup_as_text(login, signer, typed, payload):
    html = login(signer).get(reverse("drafting:section-review", args=[typed.pk])).content.decode()
    assert_shown_as_text(html, payload, times=6)


def test_the_read_only_editor_shows_typed_markup_as_text(login, coordinator, typed, payload):
    html = login(coordinator).get(reverse("drafting:section-edit", args=[typed.pk])).content.decode()
    assert 'data-testid="read-only"' in html
    assert_shown_as_text(html, payload, times=5)


def test_the_history_shows_typed_markup_as_text(login, drafter, typed, payload):
    html = login(drafter).get(reverse("drafting:section-history", args=[typed.pk])).content.decode()
    # The breadcrumb's title, the heading, and the revision's note.
    assert_shown_as_text(html, payload, times=3)


def test_the_compare_page_shows_typed_markup_as_text(login, drafter, typed, payload):
    versions = list(content.revisions(typed))
    url = reverse("drafting:section-compare", args=[typed.pk])
    html = login(drafter).get(url, {"a": versions[-1].pk, "b": versions[0].pk}).content.decode()
    # The diff splits changed text into pieces: the payload shows whole in the unchanged title
    # and heading, and nowhere raw.
    assert_shown_as_text(html, payload, times=2)
    assert "<ins>" in html


def test_table_cells_are_shown_as_text_in_the_editor_the_review_page_and_the_preview(
    login, drafter, signer, coordinator, our_section, payload
):
    Measure.objects.filter(section=our_section, position=0).update(
        table={"header": True, "rows": [[f"表头{payload}", "数量"], [f"单元格{payload}", "12"]]}
    )
    pages = [
        # The editor's tab-separated field (Jinja2) holds both cells.
        (login(drafter), reverse("drafting:section-edit", args=[our_section.pk]), 2),
        (login(signer), reverse("drafting:section-review", args=[our_section.pk]), 2),
        (login(coordinator), reverse("reports:report-preview", args=[our_section.report_id]), 2),
    ]
    for client, url, times in pages:
        html = client.get(url).content.decode()
        assert_shown_as_text(html, payload, times=times)
        assert f"单元格{PAYLOADS[payload]}" in html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")

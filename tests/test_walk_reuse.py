"""The report walk replays a section's body walked before for the same text: the preview and the
exports never show an earlier text, however the text changed, and read no measures when none did."""

import dataclasses
import io

import docx
import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import content, document, exporting, tallies
from reports.content import MeasureText
from reports.models import Assignment, Measure, MeasureLayout, Report, Section

pytestmark = pytest.mark.django_db


def preview(client, report, mode="draft"):
    response = client.get(reverse("reports:report-preview", args=[report.pk]) + f"?mode={mode}")
    assert response.status_code == 200
    return response.content.decode()


def draft_docx_text(client, report):
    response = client.get(reverse("reports:report-export", args=[report.pk]) + "?draft=1")
    assert response.status_code == 200
    document = docx.Document(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def up_to_date_tallies(report):
    for section in Section.objects.filter(report=report):
        tallies.refresh(section)


def texts_of(section):
    return [MeasureText(m.pk, m.lead, m.body, m.table) for m in section.measures.order_by("position", "pk")]


def test_a_second_preview_of_unchanged_text_reads_no_measures(login, coordinator, report):
    up_to_date_tallies(report)
    client = login(coordinator)
    first = preview(client, report)
    with CaptureQueriesContext(connection) as queries:
        second = preview(client, report)
    assert second.count("一是推行一件事一次办。梳理形成清单12项。") == 1
    assert not [q["sql"] for q in queries.captured_queries if '"reports_measure"' in q["sql"]]
    # The page differs only in its CSRF tokens.
    assert first.count("<p") == second.count("<p") and first.count("<h2") == second.count("<h2")


def test_an_edit_shows_in_the_next_preview_and_draft_export(login, coordinator, drafter, report, our_section):
    up_to_date_tallies(report)
    client = login(coordinator)
    assert "梳理形成清单12项" in preview(client, report)
    assert "梳理形成清单12项" in draft_docx_text(client, report)

    measures = texts_of(our_section)
    measures[0] = dataclasses.replace(measures[0], body="梳理形成清单15项。")
    content.save_content(our_section, drafter, measures=measures)

    page = preview(client, report)
    assert "梳理形成清单15项" in page and "梳理形成清单12项" not in page
    text = draft_docx_text(client, report)
    assert "梳理形成清单15项" in text and "梳理形成清单12项" not in text


def test_a_text_put_back_shows_as_put_back(login, coordinator, drafter, report, our_section):
    up_to_date_tallies(report)
    client = login(coordinator)
    original = texts_of(our_section)
    preview(client, report)
    changed = texts_of(our_section)
    changed[1] = dataclasses.replace(changed[1], body="全程网办率达到95%。")
    content.save_content(our_section, drafter, measures=changed)
    assert "全程网办率达到95%" in preview(client, report)

    content.save_content(our_section, drafter, measures=[MeasureText(m.pk, m.lead, m.body) for m in original])
    page = preview(client, report)
    assert "全程网办率达到90%" in page and "全程网办率达到95%" not in page


def test_a_measure_saved_outside_the_editor_shows_at_once(login, coordinator, report, our_section):
    """The administration saves a measure as a model: its section's tally goes, and the walk reads the text."""
    up_to_date_tallies(report)
    client = login(coordinator)
    preview(client, report)
    measure = our_section.measures.get(position=0)
    measure.body = "梳理形成清单20项。"
    measure.save()
    page = preview(client, report)
    assert "梳理形成清单20项" in page and "梳理形成清单12项" not in page


def test_the_same_text_under_another_measure_layout_is_walked_for_that_layout(login, coordinator, report):
    up_to_date_tallies(report)
    client = login(coordinator)
    page = preview(client, report)
    assert '<p class="doc-measure">一是推行一件事一次办。梳理形成清单12项。</p>' in page

    Report.objects.filter(pk=report.pk).update(measure_layout=MeasureLayout.RUN_IN)
    page = preview(client, report)
    assert "一是推行一件事一次办。梳理形成清单12项。二是深化一网通办。全程网办率达到90%。" in page

    Report.objects.filter(pk=report.pk).update(measure_layout=MeasureLayout.PARAGRAPHS, bold_measure_leads=True)
    page = preview(client, report)
    assert "<strong>一是推行一件事一次办。</strong>" in page


def test_a_change_after_sign_off_is_tagged_in_the_next_preview(
    login, coordinator, drafter, signer, report, our_section
):
    assignment = Assignment.objects.get(section=our_section)
    assignment.submit(drafter)
    assignment.sign_off(signer)
    assignment.accept(coordinator)
    up_to_date_tallies(report)
    client = login(coordinator)
    page = preview(client, report)
    assert "〔县发改局·已采用〕" in page and 'data-testid="changed-after-sign-off"' not in page

    measures = texts_of(our_section)
    measures[0] = dataclasses.replace(measures[0], body="梳理形成清单13项。")
    content.save_content(our_section, coordinator, measures=measures, note="核实后更正")
    page = preview(client, report)
    assert "〔县发改局·已采用·签发后改动〕" in page and "梳理形成清单13项" in page

    # The signed text put back: the mark goes.
    measures[0] = dataclasses.replace(measures[0], body="梳理形成清单12项。")
    content.save_content(our_section, coordinator, measures=measures, note="恢复签发文本")
    page = preview(client, report)
    assert "〔县发改局·已采用〕" in page and "签发后改动" not in page


def test_a_tally_left_from_an_earlier_version_is_not_trusted(login, coordinator, report, our_section):
    up_to_date_tallies(report)
    client = login(coordinator)
    preview(client, report)
    # A write that moved the version on without refreshing the tally: its fingerprint is the old text's.
    Measure.objects.filter(section=our_section, position=0).update(body="梳理形成清单30项。")
    Section.objects.filter(pk=our_section.pk).update(version=F("version") + 1)
    page = preview(client, report)
    assert "梳理形成清单30项" in page and "梳理形成清单12项" not in page


@pytest.mark.parametrize("draft", [True, False])
def test_a_walk_replaying_bodies_makes_the_same_calls_as_a_walk_reading_every_text(demo_report, draft):
    """The same calls, so an export's fingerprint (and the reuse of its file) does not depend on
    which bodies a process happens to have walked before."""
    up_to_date_tallies(demo_report)
    document.BODIES.clear()
    read = document.Walk(demo_report, draft)
    with CaptureQueriesContext(connection) as queries:
        replayed = document.Walk(demo_report, draft)
    assert not [q["sql"] for q in queries.captured_queries if '"reports_measure"' in q["sql"]]
    assert replayed.calls == read.calls
    assert exporting.fingerprint(demo_report, draft, replayed) == exporting.fingerprint(demo_report, draft, read)
    assert len(read.calls) > 40

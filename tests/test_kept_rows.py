"""The board writes a row once and reuses it while the row's values stay the same
(reports.jinja2.kept): what the coordinator sees must be what a fresh render shows, at once after
any change, in their language, and a form's CSRF field must always be their own."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from markupsafe import Markup

from reports import content
from reports.jinja2 import FRAGMENTS, kept, page_key
from reports.models import Assignment, AssignmentState, Role, Section
from tests import urlsweep
from tests.conftest import make_user, set_assignment_state

S = AssignmentState


def board_url(report):
    return reverse("reports:report-board", args=[report.pk])


def rows_of(page):
    """The table's rows, without the request's own CSRF values."""
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def row_of(page, section):
    start = page.index(f'data-section="{section.pk}"')
    return page[start : page.index("</tr>", start)]


@pytest.fixture
def board(login, coordinator, report):
    client = login(coordinator)
    return lambda **params: client.get(board_url(report), params).content.decode()


def test_a_row_written_before_reads_as_a_fresh_one(board, report, signer):
    set_assignment_state(report.their_section.assignment, S.SIGNED_OFF, signer)
    FRAGMENTS.clear()
    fresh = board()
    assert len(FRAGMENTS) > 0
    again = board()
    assert rows_of(again) == rows_of(fresh)
    FRAGMENTS.clear()
    assert rows_of(board()) == rows_of(again)


def test_a_rename_a_state_and_a_deadline_show_at_once(board, report, drafter, coordinator):
    ours = report.our_section
    before = row_of(board(), ours)
    assert "在提升政务服务效能方面" in before and "起草中" in before
    content.save_content(ours, coordinator, heading="在优化营商环境方面", expected_version=ours.version)
    ours.assignment.submit(drafter)
    # A write that sends no signal: the row is keyed by what the page reads, not told of changes.
    Assignment.objects.filter(pk=ours.assignment.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    after = row_of(board(), ours)
    assert "在优化营商环境方面" in after and "在提升政务服务效能方面" not in after
    assert "待签发" in after
    assert 'data-testid="overdue"' in after and 'data-testid="overdue"' not in before


def test_a_reminder_disables_the_button_on_the_next_view(board, report, coordinator, commit):
    theirs = report.their_section
    assert "disabled" not in row_of(board(), theirs)
    commit(theirs.assignment.remind, coordinator)
    assert 'data-action="remind" disabled' in row_of(board(), theirs)


def test_a_row_follows_the_coordinators_language(login, coordinator, report):
    client = login(coordinator)
    chinese = row_of(client.get(board_url(report)).content.decode(), report.their_section)
    client.post(reverse("set_language"), {"language": "en", "next": board_url(report)})
    english = row_of(client.get(board_url(report)).content.decode(), report.their_section)
    assert "催办" in chinese and "Remind" not in chinese
    assert "Remind" in english and "起草中" not in english


def test_every_coordinator_posts_their_own_csrf_field(report, coordinator, office, signer):
    """A row with a return form holds the request's CSRF field, so it is never kept; the one form
    the accept and remind buttons share is written for each page."""
    set_assignment_state(report.our_section.assignment, S.SIGNED_OFF, signer)
    deputy = make_user("deputy", office, Role.DRAFTER)
    pages = {}
    for user in (coordinator, deputy):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        pages[user] = (client, client.get(board_url(report)).content.decode())
    assert not [fragment for fragment in FRAGMENTS._items.values() if "csrfmiddlewaretoken" in fragment]
    client, page = pages[deputy]
    forms = urlsweep.forms_on("http://testserver" + board_url(report), page)
    ret = reverse("drafting:section-action", args=[report.our_section.pk, "return"])
    (form,) = [f for f in forms if f.action == "http://testserver" + ret]
    data = {**urlsweep.form_data(form), "comment": "请补充具体数据。"}
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', row_of(page, report.our_section)).group(1)
    response = client.post(ret, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    report.our_section.assignment.refresh_from_db()
    assert report.our_section.assignment.state == S.RETURNED
    remind = reverse("reports:board-remind", args=[report.pk, report.their_section.pk])
    (form,) = [f for f in forms if f.action == "http://testserver" + remind]
    shared = page[page.index('<form id="board-actions"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', shared).group(1)
    assert client.post(remind, {**urlsweep.form_data(form), "csrfmiddlewaretoken": token}).status_code == 302


def test_kept_reuses_a_fragment_only_for_the_same_row_and_page():
    FRAGMENTS.clear()
    calls = []

    def macro(row):
        calls.append(row)
        return Markup(f"<tr>{row['n']}</tr>")

    page = page_key({"accept": "接受"}, False, "/b/")
    assert kept("t", macro, {"n": 1}, page) == kept("t", macro, {"n": 1}, page) == "<tr>1</tr>"
    assert len(calls) == 1
    kept("t", macro, {"n": 2}, page)
    kept("t", macro, {"n": 1}, page_key({"accept": "Accept"}, False, "/b/"))
    kept("other", macro, {"n": 1}, page)
    assert len(calls) == 4


def test_kept_never_keeps_a_fragment_with_a_csrf_field():
    FRAGMENTS.clear()
    calls = []

    def macro(row):
        calls.append(row)
        return Markup(f'<input name="csrfmiddlewaretoken" value="{len(calls)}">')

    page = page_key({}, False, "/")
    first, second = kept("t", macro, {"n": 1}, page), kept("t", macro, {"n": 1}, page)
    assert first != second and len(FRAGMENTS) == 0


def test_the_board_shows_a_section_added_and_one_deleted(board, report):
    page = board()
    added = Section.objects.create(report=report, position=2, heading="强化督促检查")
    page = board()
    assert "三、</span>强化督促检查" in page
    added.delete()
    assert "强化督促检查" not in board()


def test_a_final_report_shows_no_buttons_on_rows_shown_with_them_before(board, report):
    assert 'data-action="remind"' in row_of(board(), report.their_section)
    type(report).objects.filter(pk=report.pk).update(is_final=True)
    row = row_of(board(), report.their_section)
    assert "data-action=" not in row and "起草中" in row


def test_rows_are_not_kept_while_templates_reload_as_they_are_edited():
    from reports.jinja2 import environment

    assert environment(auto_reload=False).globals["kept"] is kept
    assert environment(auto_reload=True).globals["kept"] is not kept

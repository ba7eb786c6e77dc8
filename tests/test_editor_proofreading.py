"""Proofreading in the editor: the unsaved text checked as the user types, findings listed with a
link to their words, the whole report's page estimate; only for those who may edit."""

import pytest
from django.urls import reverse

from reports.states import AssignmentState
from tests.conftest import editor_data, set_assignment_state


def check_url(section):
    return reverse("drafting:section-check", args=[section.pk])


def test_the_unsaved_text_is_checked_and_each_finding_points_at_its_words(login, drafter, our_section):
    data = editor_data(our_section, intro="今年以来,工作有序推进。。")
    response = login(drafter).post(check_url(our_section), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-field="id_intro" data-start="4" data-end="5"' in html  # the half-width comma
    # What the editor's script reads to underline the words in the preview.
    assert 'data-severity="warning" data-code="P001" data-message="中文文字中的半角“,”。"' in html
    assert "P001" in html and "P002" in html
    assert "全文约" in html
    our_section.refresh_from_db()
    assert our_section.intro == ""  # checking saves nothing


def test_a_clean_text_says_so(login, drafter, our_section):
    measures = [(m.pk, "推行一件事一次办", "梳理形成清单12项。") for m in our_section.measures.all()[:1]]
    html = (
        login(drafter).post(check_url(our_section), editor_data(our_section, measures, intro="工作有序推进。")).content
    )
    assert "没有发现需要修改的地方" in html.decode()


def test_only_those_who_may_edit_check(login, drafter, other_drafter, our_section):
    data = editor_data(our_section, intro="改,改。")
    assert login(other_drafter).post(check_url(our_section), data).status_code == 404
    set_assignment_state(our_section.assignment, AssignmentState.SUBMITTED)
    assert login(drafter).post(check_url(our_section), data).status_code == 403
    assert login(drafter).get(check_url(our_section)).status_code == 405


def test_a_text_too_long_to_check_is_refused_without_checking(login, drafter, our_section, monkeypatch):
    from drafting import proofread_views

    monkeypatch.setattr(proofread_views, "MAX_CHECKED_CHARACTERS", 10)
    response = login(drafter).post(check_url(our_section), editor_data(our_section, intro="很长的导语文字。" * 3))
    assert response.status_code == 413
    assert "过长" in response.content.decode()


@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'])
def test_findings_show_the_text_found_as_text(login, drafter, our_section, payload):
    html = login(drafter).post(check_url(our_section), editor_data(our_section, intro=f"X月{payload}")).content.decode()
    assert payload not in html

"""Revisions: every save recorded with its measures, listed, compared character by character, restored."""

import re

import pytest
from django.urls import reverse
from reversion.models import Version

from drafting.diffs import char_sides
from reports.models import AssignmentState
from tests.conftest import editor_data, measure_texts


def edit_url(section):
    return reverse("drafting:section-edit", args=[section.pk])


def history_url(section):
    return reverse("drafting:section-history", args=[section.pk])


def compare_url(section, a, b=None):
    url = reverse("drafting:section-compare", args=[section.pk]) + f"?a={a}"
    return url + (f"&b={b}" if b else "")


def restore_url(section, version):
    return reverse("drafting:section-restore", args=[section.pk, version.pk])


def rows_of(section):
    return [(m.pk, m.lead, m.body) for m in section.measures.order_by("position")]


@pytest.fixture
def edited(login, drafter, our_section):
    """Two saves by the drafter: a changed body with a note, then a new measure on top."""
    client = login(drafter)
    rows = rows_of(our_section)
    rows[0] = (rows[0][0], rows[0][1], "梳理形成清单15项。")
    client.post(edit_url(our_section), editor_data(our_section, rows, note="更新数字"))
    our_section.refresh_from_db()
    client.post(
        edit_url(our_section), editor_data(our_section, [(None, "新增举措", "新内容。"), *rows_of(our_section)])
    )
    our_section.refresh_from_db()
    return our_section


def versions(section):
    return list(Version.objects.get_for_object(section))  # newest first


def test_every_save_records_a_revision_with_measures_user_and_note(edited, drafter):
    initial, first, second = reversed(versions(edited))
    assert initial.revision.get_comment() == "首次编辑前的文本"
    assert first.revision.user == drafter
    assert first.revision.get_comment() == "更新数字"
    assert first.field_dict["version"] == 2
    assert second.field_dict["version"] == 3
    measure_versions = second.revision.version_set.exclude(object_id=str(edited.pk))
    assert sorted(v.field_dict["lead"] for v in measure_versions) == ["推行一件事一次办", "新增举措", "深化一网通办"]


def test_a_deleted_measure_is_not_in_the_next_revision(login, drafter, our_section):
    data = editor_data(our_section, **{"measures-1-DELETE": "on"})
    login(drafter).post(edit_url(our_section), data)
    latest = versions(our_section)[0]
    leads = [v.field_dict["lead"] for v in latest.revision.version_set.exclude(object_id=str(our_section.pk))]
    assert leads == ["推行一件事一次办"]


def test_history_lists_the_revisions_with_who_and_note(login, drafter, edited):
    response = login(drafter).get(history_url(edited))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="revision"') == 3
    assert "更新数字" in html and "李撰稿" in html


def test_compare_marks_changed_words_measure_by_measure(login, drafter, edited):
    initial, first, second = reversed(versions(edited))
    response = login(drafter).get(compare_url(edited, initial.pk, second.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<th>第 1 版（" in html and "<th>第 3 版（" in html
    # 12 → 15: the changed figure is marked whole, on each side.
    assert "<del>12</del>" in html and "<ins>15</ins>" in html
    assert "<ins>新增举措。新内容。</ins>" in html
    # The moved measure is compared with itself: 一是 became 二是.
    (row,) = [row for row in html.split("<tr")[1:] if "推行一件事一次办" in row]
    assert re.findall(r'<th class="compare-label">(.*?)</th>', row) == ["一是", "二是"]


def test_compare_against_the_current_text(login, drafter, edited):
    initial = versions(edited)[-1]
    response = login(drafter).get(compare_url(edited, initial.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<th>第 1 版（" in html and "<th>当前</th>" in html
    assert "<ins>新增举措。新内容。</ins>" in html


def test_diff_of_chinese_marks_words_and_whole_figures_not_sentences():
    old, new = char_sides("全程网办率达到90%。", "全程网上办理率达到95%。")
    # 办 between two insertions goes with them: 网办 → 网上办理 reads as one word rewritten;
    # 90% → 95% is a figure changed, not a 9 kept.
    assert [text for text, changed in old if changed] == ["办", "90%"]
    assert [text for text, changed in new if changed] == ["上办理", "95%"]
    assert "".join(text for text, _ in old) == "全程网办率达到90%。"


def test_restore_brings_back_the_old_text_as_a_new_revision(login, drafter, edited):
    initial = versions(edited)[-1]
    response = login(drafter).post(restore_url(edited, initial))
    assert response.status_code == 302
    edited.refresh_from_db()
    assert edited.version == 4
    assert [(lead, body) for lead, body in measure_texts(edited)] == [
        ("推行一件事一次办", "梳理形成清单12项。"),
        ("深化一网通办", "全程网办率达到90%。"),
    ]
    assert len(versions(edited)) == 4
    assert versions(edited)[0].revision.get_comment().startswith("恢复了")


def test_a_coordinator_may_read_history_and_compare_but_not_restore(login, coordinator, edited):
    client = login(coordinator)
    assert client.get(history_url(edited)).status_code == 200
    initial = versions(edited)[-1]
    assert client.get(compare_url(edited, initial.pk)).status_code == 200
    assert "恢复" not in client.get(history_url(edited)).content.decode()
    assert client.post(restore_url(edited, initial)).status_code == 403
    edited.refresh_from_db()
    assert edited.version == 3


def test_restore_is_refused_once_the_section_is_submitted(login, drafter, edited):
    edited.assignment.state = AssignmentState.SUBMITTED
    edited.assignment.save()
    response = login(drafter).post(restore_url(edited, versions(edited)[-1]))
    assert response.status_code == 403
    assert "不能编辑" in response.content.decode()
    edited.refresh_from_db()
    assert edited.version == 3


def test_another_department_gets_404_everywhere(login, other_drafter, edited):
    client = login(other_drafter)
    initial = versions(edited)[-1]
    assert client.get(history_url(edited)).status_code == 404
    assert client.get(compare_url(edited, initial.pk)).status_code == 404
    assert client.post(restore_url(edited, initial)).status_code == 404
    edited.refresh_from_db()
    assert edited.version == 3


def test_a_revision_of_another_section_is_404(login, drafter, other_drafter, edited, their_section):
    login(other_drafter).post(edit_url(their_section), editor_data(their_section, intro="他们的导语。"))
    foreign = versions(their_section)[0]
    client = login(drafter)
    assert client.get(compare_url(edited, foreign.pk)).status_code == 404
    assert client.get(compare_url(edited, "abc")).status_code == 404
    assert client.post(restore_url(edited, foreign)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, edited):
    client.logout()
    response = client.get(history_url(edited))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

"""The section editor: editing, adding, deleting and reordering measures; conflicts; access."""

import re
import threading

import pytest
from django.db import connection
from django.urls import reverse

from drafting.forms import MAX_MEASURES
from reports import content
from reports.models import AssignmentState, Measure
from tests.conftest import editor_data, measure_texts


def edit_url(section):
    return reverse("drafting:section-edit", args=[section.pk])


def set_state(section, state):
    section.assignment.state = state
    section.assignment.save()


def test_a_drafter_sees_the_editor_with_numbered_measures_and_the_workflow_panel(login, drafter, our_section):
    response = login(drafter).get(edit_url(our_section))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="section-form"' in html
    assert 'id="workflow-panel"' in html
    assert html.index("一是") < html.index("推行一件事一次办") < html.index("二是") < html.index("深化一网通办")
    # Departments write below the heading; they cannot change it.
    assert 'name="heading"' not in html
    assert "（一）" in html


def test_saving_changes_the_text_bumps_the_version_and_records_who(login, drafter, our_section):
    client = login(drafter)
    measures = [(pk, lead, body + "新增内容。") for pk, lead, body in editor_data_rows(our_section)]
    response = client.post(edit_url(our_section), editor_data(our_section, measures, intro="总体情况。"))
    assert response.status_code == 302
    our_section.refresh_from_db()
    assert our_section.version == 2
    assert our_section.intro == "总体情况。"
    assert our_section.updated_by == drafter
    assert measure_texts(our_section)[0] == ("推行一件事一次办", "梳理形成清单12项。新增内容。")
    follow = client.get(edit_url(our_section))
    assert "已保存" in follow.content.decode()


def editor_data_rows(section):
    return [(m.pk, m.lead, m.body) for m in section.measures.order_by("position")]


def test_adding_a_measure_puts_it_where_the_user_placed_it(login, drafter, our_section):
    rows = editor_data_rows(our_section)
    rows.insert(0, (None, "新增举措", "新增正文。"))
    login(drafter).post(edit_url(our_section), editor_data(our_section, rows))
    assert [lead for lead, _ in measure_texts(our_section)] == ["新增举措", "推行一件事一次办", "深化一网通办"]


def test_deleting_a_measure_removes_it_and_the_rest_renumber(login, drafter, our_section):
    rows = editor_data_rows(our_section)
    data = editor_data(our_section, rows, **{"measures-0-DELETE": "on"})
    response = login(drafter).post(edit_url(our_section), data)
    assert response.status_code == 302
    assert measure_texts(our_section) == [("深化一网通办", "全程网办率达到90%。")]
    page = login(drafter).get(edit_url(our_section)).content.decode()
    assert page.index("一是") < page.index("深化一网通办")


def test_a_measure_left_blank_is_not_saved(login, drafter, our_section):
    rows = [*editor_data_rows(our_section), (None, "", "")]
    login(drafter).post(edit_url(our_section), editor_data(our_section, rows))
    assert our_section.measures.count() == 2


def test_drag_order_is_taken_from_the_order_fields(login, drafter, our_section):
    rows = editor_data_rows(our_section)
    # What the JavaScript sends after a drag: the forms keep their index, ORDER says where they go.
    data = editor_data(our_section, rows, **{"measures-0-ORDER": 2, "measures-1-ORDER": 1})
    login(drafter).post(edit_url(our_section), data)
    assert [lead for lead, _ in measure_texts(our_section)] == ["深化一网通办", "推行一件事一次办"]
    assert list(our_section.measures.order_by("position").values_list("position", flat=True)) == [0, 1]


def test_move_down_without_javascript_reorders_and_saves_nothing_yet(login, drafter, our_section):
    client = login(drafter)
    data = editor_data(our_section, move="measures-0:down")
    del data["save"]
    response = client.post(edit_url(our_section), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("深化一网通办") < html.index("推行一件事一次办")
    assert 'value="measures-1:up"' in html
    our_section.refresh_from_db()
    assert our_section.version == 1
    assert [lead for lead, _ in measure_texts(our_section)] == ["推行一件事一次办", "深化一网通办"]
    # Saving the rearranged form stores the new order.
    rearranged = editor_data(our_section, list(reversed(editor_data_rows(our_section))))
    client.post(edit_url(our_section), rearranged)
    assert [lead for lead, _ in measure_texts(our_section)] == ["深化一网通办", "推行一件事一次办"]


def test_add_without_javascript_offers_a_blank_measure(login, drafter, our_section):
    data = editor_data(our_section, add="1")
    del data["save"]
    response = login(drafter).post(edit_url(our_section), data)
    assert response.status_code == 200
    assert 'name="measures-2-lead"' in response.content.decode()
    assert our_section.measures.count() == 2


def test_placeholders_are_highlighted_and_counted(login, drafter, our_section):
    Measure.objects.filter(section=our_section, position=0).update(body="梳理形成清单X项，X月X日前完成。")
    html = login(drafter).get(edit_url(our_section)).content.decode()
    assert html.count('<mark class="placeholder">X</mark>') >= 3
    assert '<strong id="total-placeholders">3</strong>' in html


def test_a_length_limit_is_shown_and_warned_about(login, drafter, our_section):
    our_section.assignment.char_limit = 10
    our_section.assignment.save()
    html = login(drafter).get(edit_url(our_section)).content.decode()
    assert '<span id="char-limit">10</span>' in html
    assert 'id="limit-warning" class="text-danger fw-semibold"' in html


def test_control_characters_are_cleaned_and_a_too_long_lead_changes_nothing(login, drafter, our_section):
    client = login(drafter)
    rows = editor_data_rows(our_section)
    rows[0] = (rows[0][0], "推行\x07一件事", rows[0][2])
    client.post(edit_url(our_section), editor_data(our_section, rows))
    assert measure_texts(our_section)[0][0] == "推行一件事"
    our_section.refresh_from_db()
    rows = editor_data_rows(our_section)
    rows[1] = (rows[1][0], "长" * 600, "")
    response = client.post(edit_url(our_section), editor_data(our_section, rows))
    assert response.status_code == 400
    assert "请" in response.content.decode()
    assert measure_texts(our_section)[1][0] == "深化一网通办"


def test_a_tampered_management_form_gets_a_message_not_a_500(login, drafter, our_section):
    data = editor_data(our_section, **{"measures-TOTAL_FORMS": "many"})
    response = login(drafter).post(edit_url(our_section), data)
    assert response.status_code == 400
    assert "表单不完整" in response.content.decode()
    our_section.refresh_from_db()
    assert our_section.version == 1


FORGED = "与本页面发送的不符"
INCOMPLETE = "表单不完整"
TOO_MANY = "最多 200 条举措"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"measures-TOTAL_FORMS": "-3"}, FORGED),
        ({"measures-TOTAL_FORMS": "-3", "measures-INITIAL_FORMS": "-3"}, FORGED),
        ({"measures-TOTAL_FORMS": "0"}, FORGED),
        ({"measures-TOTAL_FORMS": "1"}, FORGED),
        ({"measures-TOTAL_FORMS": "9" * 4301}, INCOMPLETE),
        ({"measures-TOTAL_FORMS": "999999999"}, TOO_MANY),
        ({"measures-TOTAL_FORMS": "²"}, INCOMPLETE),
        ({"measures-TOTAL_FORMS": ""}, INCOMPLETE),
        ({"measures-INITIAL_FORMS": "-1"}, FORGED),
        ({"measures-INITIAL_FORMS": "3"}, FORGED),
        ({"measures-MIN_NUM_FORMS": "-1"}, FORGED),
        ({"measures-MIN_NUM_FORMS": "5000", "measures-MAX_NUM_FORMS": "3"}, FORGED),
        ({"measures-MAX_NUM_FORMS": "-2"}, FORGED),
        ({"measures-MAX_NUM_FORMS": "many"}, INCOMPLETE),
    ],
    ids=[
        "negative-total",
        "negative-total-and-initial",
        "zero-total-with-measures-posted",
        "total-below-the-forms-posted",
        "total-of-4301-digits",
        "huge-total",
        "superscript-total",
        "empty-total",
        "negative-initial",
        "initial-past-total",
        "negative-min",
        "min-past-max",
        "negative-max",
        "non-numeric-max",
    ],
)
def test_a_forged_management_form_is_refused_and_every_measure_stays(login, drafter, our_section, fields, message):
    before = measure_texts(our_section)
    data = editor_data(our_section, intro="改过的导语。", **fields)
    response = login(drafter).post(edit_url(our_section), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    our_section.refresh_from_db()
    assert our_section.version == 1
    assert our_section.intro == ""
    assert measure_texts(our_section) == before


def test_a_stale_save_shows_both_texts_and_changes_nothing(login, drafter, signer, our_section):
    stale = editor_data(our_section)
    rows = editor_data_rows(our_section)
    rows[0] = (rows[0][0], rows[0][1], "梳理形成清单15项，签发人改的。")
    login(signer).post(edit_url(our_section), editor_data(our_section, rows))

    mine = dict(stale)
    mine["measures-0-body"] = "梳理形成清单12项，撰稿人改的。"
    response = login(drafter).post(edit_url(our_section), mine)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="conflict"' in html
    plain = re.sub(r"</?(del|ins)>", "", html)
    assert "梳理形成清单15项，签发人改的。" in plain and "梳理形成清单12项，撰稿人改的。" in plain
    assert "<del>签发</del>" in html and "<ins>撰稿</ins>" in html
    # The form still carries the version the drafter started from, and the one shown beside it.
    assert 'name="version" value="1"' in html
    assert 'name="seen_version" value="2"' in html
    # The conflict comes first on the page, before the workflow panel.
    assert html.index('data-testid="conflict"') < html.index('id="workflow-panel"')
    assert 'role="alert" tabindex="-1" id="conflict"' in html
    our_section.refresh_from_db()
    assert our_section.version == 2
    assert measure_texts(our_section)[0][1] == "梳理形成清单15项，签发人改的。"


def conflict_form(html):
    """The editor's fields as the conflict page sends them back."""
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    return fields


def test_saving_again_after_a_conflict_is_refused_without_the_explicit_choice(login, drafter, signer, our_section):
    stale = editor_data(our_section)
    rows = editor_data_rows(our_section)
    rows[0] = (rows[0][0], rows[0][1], "梳理形成清单15项，签发人改的。")
    login(signer).post(edit_url(our_section), editor_data(our_section, rows))
    mine = dict(stale, **{"measures-0-body": "撰稿人的文本。"})
    client = login(drafter)
    first = client.post(edit_url(our_section), mine).content.decode()
    again = dict(mine, seen_version=conflict_form(first)["seen_version"])

    # A plain second 保存 does not put the stale text back.
    response = client.post(edit_url(our_section), again)
    assert response.status_code == 409
    assert 'data-testid="conflict-repeated"' in response.content.decode()
    our_section.refresh_from_db()
    assert (our_section.version, measure_texts(our_section)[0][1]) == (2, "梳理形成清单15项，签发人改的。")

    # The explicit choice overwrites the version the conflict showed.
    response = client.post(edit_url(our_section), dict(again, overwrite="1"))
    assert response.status_code == 302
    our_section.refresh_from_db()
    assert (our_section.version, measure_texts(our_section)[0][1]) == (3, "撰稿人的文本。")


def test_the_choice_to_overwrite_does_not_cover_a_version_saved_after_the_conflict(login, drafter, signer, our_section):
    stale = editor_data(our_section)
    login(signer).post(edit_url(our_section), editor_data(our_section, intro="签发人第一次。"))
    mine = dict(stale, intro="撰稿人的导语。")
    client = login(drafter)
    seen = conflict_form(client.post(edit_url(our_section), mine).content.decode())["seen_version"]
    assert seen == "2"
    # The signer saves once more while the drafter reads the conflict.
    our_section.refresh_from_db()
    login(signer).post(edit_url(our_section), editor_data(our_section, intro="签发人第二次。"))
    response = login(drafter).post(edit_url(our_section), dict(mine, seen_version=seen, overwrite="1"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "签发人第二次。" in re.sub(r"</?(del|ins)>", "", html) and 'name="seen_version" value="3"' in html
    our_section.refresh_from_db()
    assert (our_section.version, our_section.intro) == (3, "签发人第二次。")


def test_a_double_submit_saves_once_and_is_not_a_conflict(login, drafter, our_section):
    client = login(drafter)
    data = editor_data(our_section, intro="重复提交。")
    assert client.post(edit_url(our_section), data).status_code == 302
    assert client.post(edit_url(our_section), data).status_code == 302
    our_section.refresh_from_db()
    assert our_section.version == 2


def test_a_coordinator_reads_a_department_section_without_a_form(login, coordinator, our_section):
    response = login(coordinator).get(edit_url(our_section))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="section-form"' not in html
    assert 'data-testid="read-only"' in html
    assert "推行一件事一次办" in html


def test_a_coordinator_cannot_save_a_drafting_section(login, coordinator, our_section):
    response = login(coordinator).post(edit_url(our_section), editor_data(our_section, intro="协调人改的。"))
    assert response.status_code == 403
    our_section.refresh_from_db()
    assert our_section.intro == ""


@pytest.mark.parametrize("total", ["9" * 4301, "²", "-3", ""])
def test_a_refused_save_with_a_nonsense_measure_count_still_says_why(login, coordinator, our_section, total):
    # The form fuzzer found this one: a count of 4,301 digits made Python refuse to parse it (a 500).
    data = {**editor_data(our_section, intro="协调人改的。"), "measures-TOTAL_FORMS": total}
    response = login(coordinator).post(edit_url(our_section), data)
    assert response.status_code == 403
    assert "协调人改的。" in response.content.decode()
    our_section.refresh_from_db()
    assert our_section.intro == ""


def test_a_coordinator_edits_the_heading_of_an_unassigned_section(login, coordinator, report):
    section = report.first_section
    client = login(coordinator)
    assert 'name="heading"' in client.get(edit_url(section)).content.decode()
    client.post(edit_url(section), editor_data(section, heading="加强组织领导"))
    section.refresh_from_db()
    assert section.heading == "加强组织领导"


def test_another_department_gets_404(login, other_drafter, our_section):
    client = login(other_drafter)
    assert client.get(edit_url(our_section)).status_code == 404
    assert client.post(edit_url(our_section), editor_data(our_section, intro="越权。")).status_code == 404
    our_section.refresh_from_db()
    assert our_section.intro == ""


def test_a_coordinator_of_another_report_gets_404(login, other_coordinator, our_section):
    assert login(other_coordinator).get(edit_url(our_section)).status_code == 404


@pytest.mark.parametrize("state", [AssignmentState.SUBMITTED, AssignmentState.SIGNED_OFF, AssignmentState.ACCEPTED])
def test_a_section_out_of_drafting_is_read_only_and_a_save_is_refused(login, drafter, our_section, state):
    set_state(our_section, state)
    client = login(drafter)
    html = client.get(edit_url(our_section)).content.decode()
    assert 'id="section-form"' not in html
    response = client.post(edit_url(our_section), editor_data(our_section, intro="不该保存。"))
    assert response.status_code == 403
    assert "不该保存" in response.content.decode()  # their text is shown back, not lost
    our_section.refresh_from_db()
    assert our_section.intro == ""
    assert our_section.version == 1


def test_a_returned_section_is_editable_again(login, drafter, our_section):
    set_state(our_section, AssignmentState.RETURNED)
    response = login(drafter).post(edit_url(our_section), editor_data(our_section, intro="按意见修改。"))
    assert response.status_code == 302
    our_section.refresh_from_db()
    assert our_section.intro == "按意见修改。"


def test_a_final_report_is_read_only(login, drafter, report, our_section):
    report.is_final = True
    report.save()
    client = login(drafter)
    assert 'id="section-form"' not in client.get(edit_url(our_section)).content.decode()
    assert client.post(edit_url(our_section), editor_data(our_section, intro="定稿后。")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, our_section):
    response = client.get(edit_url(our_section))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    response = client.post(edit_url(our_section), editor_data(our_section, intro="匿名。"))
    assert response.status_code == 302
    our_section.refresh_from_db()
    assert our_section.intro == ""


def test_the_editor_query_count_does_not_grow_with_measures(login, drafter, our_section, django_assert_max_num_queries):
    client = login(drafter)
    with django_assert_max_num_queries(40) as few:
        client.get(edit_url(our_section))
    Measure.objects.bulk_create(Measure(section=our_section, position=n, lead=f"举措{n}") for n in range(2, 60))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(edit_url(our_section))


def test_a_forged_measure_id_from_another_section_does_not_touch_that_measure(
    login, drafter, our_section, their_section
):
    foreign = their_section.measures.get()
    rows = [(foreign.pk, "冒用的举措", "改写别人的内容。")]
    login(drafter).post(edit_url(our_section), editor_data(our_section, rows))
    foreign.refresh_from_db()
    assert foreign.lead == "保障项目用地" and foreign.section_id == their_section.pk
    assert measure_texts(our_section) == [("冒用的举措", "改写别人的内容。")]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_from_the_same_version_cannot_both_pass(our_section, drafter, signer):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) are checked on PostgreSQL; SQLite serialises writers anyway")
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(user):
        try:
            barrier.wait()
            content.save_content(our_section, user, intro=f"{user.username}的导语。", measures=[], expected_version=1)
            outcomes[user.username] = "saved"
        except content.VersionConflict:
            outcomes[user.username] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(user,)) for user in (drafter, signer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    our_section.refresh_from_db()
    assert our_section.version == 2


def test_saving_over_the_length_limit_is_allowed_with_a_warning(login, drafter, our_section):
    our_section.assignment.char_limit = 30
    our_section.assignment.save()
    client = login(drafter)
    response = client.post(edit_url(our_section), editor_data(our_section, intro="补充一段导语文字。"), follow=True)
    our_section.refresh_from_db()
    assert our_section.version == 2
    assert "超出 30 字的限制" in response.content.decode()


def test_too_many_measures_are_refused_rather_than_cut_off(login, drafter, our_section):
    rows = [(None, f"举措{n}", "内容。") for n in range(MAX_MEASURES + 1)]
    response = login(drafter).post(edit_url(our_section), editor_data(our_section, rows))
    assert response.status_code == 400
    assert f"一个章节最多 {MAX_MEASURES} 条举措" in response.content.decode()
    assert our_section.measures.count() == 2


def test_placeholders_are_marked_exactly_where_they_stand_on_every_section_page(
    login, drafter, coordinator, our_section
):
    Measure.objects.filter(section=our_section, position=0).update(lead="推行X项", body="XX月完成，APP上线。")
    expected = '推行<mark class="placeholder">X</mark>项。<mark class="placeholder">XX</mark>月完成，APP上线。'
    editor = login(drafter).get(edit_url(our_section)).content.decode()
    assert f"data-preview>{expected}</div>" in editor
    review = login(drafter).get(reverse("drafting:section-review", args=[our_section.pk])).content.decode()
    assert '推行<mark class="placeholder">X</mark>项。</strong><mark class="placeholder">XX</mark>月完成' in review
    read_only = login(coordinator).get(edit_url(our_section)).content.decode()
    assert f"</span>{expected}</p>" in read_only
    paste = login(drafter).post(
        reverse("drafting:section-paste", args=[our_section.pk]),
        {"text": "一是推行X项。第X批完成。", "version": our_section.version},
    )
    assert '第<mark class="placeholder">X</mark>批完成。' in paste.content.decode()

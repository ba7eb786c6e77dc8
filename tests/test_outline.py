"""Editing the outline: add, rename, assign, move, drag, delete with a kept revision, restore."""

import pytest
from django.urls import reverse

from reports.models import (
    Assignment,
    AssignmentState,
    AssignmentTransition,
    Measure,
    ReportAction,
    ReportEvent,
    Section,
    TransitionAction,
)

pytestmark = pytest.mark.django_db


def labels(report):
    return [f"{s.label}{s.heading}" for s in report.outline()]


def move(client, section, direction):
    return client.post(reverse("reports:section-move", args=[section.pk, direction]))


def test_the_coordinator_adds_sections_and_subsections(login, coordinator, report):
    client = login(coordinator)
    client.post(reverse("reports:section-add", args=[report.pk]), {"heading": "存在的问题"})
    problems = Section.objects.get(heading="存在的问题")
    client.post(reverse("reports:section-add", args=[report.pk]), {"heading": "人才不足", "parent": problems.pk})
    assert labels(report)[-2:] == ["三、存在的问题", "（一）人才不足"]


def test_sections_go_at_most_four_levels_deep(login, coordinator, report, our_section):
    client = login(coordinator)
    third = Section.objects.create(report=report, parent=our_section, heading="三级")
    fourth = Section.objects.create(report=report, parent=third, heading="四级")
    response = client.post(
        reverse("reports:section-add", args=[report.pk]), {"heading": "五级", "parent": fourth.pk}, follow=True
    )
    assert "章节最多分4级" in response.content.decode()
    assert not Section.objects.filter(heading="五级").exists()
    response = move(client, fourth, "indent")
    fourth.refresh_from_db()
    assert fourth.parent == third


def test_moving_up_and_down_renumbers_everything(login, coordinator, report, their_section):
    client = login(coordinator)
    move(client, their_section, "up")
    assert labels(report)[2:4] == ["（一）在强化要素保障方面", "（二）在提升政务服务效能方面"]
    move(client, report.first_section, "down")
    assert labels(report)[0] == "一、推动举措落地"
    assert labels(report)[-1] == "二、强化组织领导"


def test_a_section_at_the_edge_cannot_move_further(login, coordinator, report):
    response = move(login(coordinator), report.first_section, "up")
    assert response.status_code == 302
    assert labels(report)[0] == "一、强化组织领导"


def test_indent_and_outdent_change_the_level(login, coordinator, report, their_section):
    client = login(coordinator)
    move(client, their_section, "outdent")
    assert labels(report) == [
        "一、强化组织领导",
        "二、推动举措落地",
        "（一）在提升政务服务效能方面",
        "三、在强化要素保障方面",
    ]
    move(client, their_section, "indent")
    assert labels(report)[-1] == "（二）在强化要素保障方面"
    move(client, report.first_section, "indent")
    assert labels(report)[0] == "一、强化组织领导"  # nothing above it to go under


def test_dragging_posts_the_whole_tree(login, coordinator, report, our_section, their_section):
    second = our_section.parent
    order = f"{second.pk}:,{their_section.pk}:{second.pk},{our_section.pk}:,{report.first_section.pk}:{our_section.pk}"
    response = login(coordinator).post(reverse("reports:outline-reorder", args=[report.pk]), {"order": order})
    assert response.status_code == 302
    assert labels(report) == [
        "一、推动举措落地",
        "（一）在强化要素保障方面",
        "二、在提升政务服务效能方面",
        "（一）强化组织领导",
    ]


@pytest.mark.parametrize(
    "order",
    ["garbage", "1:2,2:1", "{first}:"],
    ids=["unreadable", "foreign ids", "missing sections"],
)
def test_a_bad_drag_changes_nothing(login, coordinator, report, order):
    before = labels(report)
    response = login(coordinator).post(
        reverse("reports:outline-reorder", args=[report.pk]),
        {"order": order.format(first=report.first_section.pk)},
        follow=True,
    )
    assert response.status_code == 200
    assert labels(report) == before


def test_a_drag_deeper_than_four_levels_is_refused(login, coordinator, report, our_section, their_section):
    second = our_section.parent
    first = report.first_section
    order = f"{first.pk}:,{second.pk}:{first.pk},{our_section.pk}:{second.pk},{their_section.pk}:{our_section.pk}"
    third = Section.objects.create(report=report, parent=their_section, heading="五级")
    order += f",{third.pk}:{their_section.pk}"
    response = login(coordinator).post(
        reverse("reports:outline-reorder", args=[report.pk]), {"order": order}, follow=True
    )
    assert "章节最多分4级" in response.content.decode()
    their_section.refresh_from_db()
    assert their_section.parent == second


def test_renaming_and_assigning_a_section(login, coordinator, report, other_department):
    first = report.first_section
    response = login(coordinator).post(
        reverse("reports:section-frame", args=[first.pk]),
        {
            "heading": "  加强\x07组织领导 ",
            "department": other_department.pk,
            "deadline": "2026-07-01",
            "char_limit": "800",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.heading == "加强组织领导"
    assert first.assignment.department == other_department
    assert first.assignment.state == AssignmentState.DRAFT
    assert first.assignment.char_limit == 800
    assert str(first.assignment.deadline) == "2026-07-01"


def test_reassigning_to_another_department_starts_drafting_afresh(
    login, coordinator, our_section, other_department, other_drafter, django_capture_on_commit_callbacks, mailoutbox
):
    Assignment.objects.filter(section=our_section).update(state=AssignmentState.SIGNED_OFF)
    Assignment.objects.get(section=our_section).comment(coordinator, "请补充数据来源")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        login(coordinator).post(
            reverse("reports:section-frame", args=[our_section.pk]),
            {"heading": our_section.heading, "department": other_department.pk},
        )
    assignment = Assignment.objects.get(section=our_section)
    assert assignment.department == other_department
    assert assignment.state == AssignmentState.DRAFT
    # One entry for the move, and the earlier log kept.
    moves = [(t.action, t.from_state, t.to_state) for t in assignment.transitions.all()]
    assert moves == [("comment", "signed_off", "signed_off"), ("assign", "signed_off", "draft")]
    # The new department hears of it like any assignment.
    assert [m.to for m in mailoutbox] == [[other_drafter.email]]


def test_assigning_from_the_outline_notifies_the_department(
    login, coordinator, report, other_department, other_drafter, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        login(coordinator).post(
            reverse("reports:section-frame", args=[report.first_section.pk]),
            {"heading": report.first_section.heading, "department": other_department.pk},
        )
    assert [m.to for m in mailoutbox] == [[other_drafter.email]]
    assert "强化组织领导" in mailoutbox[0].subject


def test_unassigning_leaves_the_section_to_the_coordinators(login, coordinator, our_section):
    login(coordinator).post(reverse("reports:section-frame", args=[our_section.pk]), {"heading": our_section.heading})
    assert not Assignment.objects.filter(section=our_section).exists()
    assert our_section.measures.count() == 2


def test_deleting_a_section_with_text_asks_first(login, coordinator, report, our_section):
    client = login(coordinator)
    response = client.post(reverse("reports:section-delete", args=[our_section.pk]))
    assert response.status_code == 200
    assert "推行一件事一次办" not in response.content.decode()
    assert "在提升政务服务效能方面" in response.content.decode()
    assert Section.objects.filter(pk=our_section.pk).exists()


def test_deleting_an_empty_leaf_needs_no_confirmation(login, coordinator, report):
    empty = Section.objects.create(report=report, position=9, heading="空章节")
    response = login(coordinator).post(reverse("reports:section-delete", args=[empty.pk]))
    assert response.status_code == 302
    assert not Section.objects.filter(pk=empty.pk).exists()


def test_a_confirmed_deletion_renumbers_keeps_a_revision_and_can_be_restored(login, coordinator, report, our_section):
    Assignment.objects.filter(section=our_section).update(state=AssignmentState.SIGNED_OFF)
    AssignmentTransition.objects.create(
        assignment=our_section.assignment, actor=coordinator, action=TransitionAction.COMMENT, comment="已核"
    )
    client = login(coordinator)
    response = client.post(reverse("reports:section-delete", args=[our_section.pk]), {"confirm": "1"})
    assert response.status_code == 302
    assert not Section.objects.filter(pk=our_section.pk).exists()
    assert labels(report)[2] == "（一）在强化要素保障方面"
    event = ReportEvent.objects.get(report=report, action=ReportAction.DELETE_SECTION)
    assert event.comment == "（一）在提升政务服务效能方面"
    assert event.actor == coordinator

    page = client.get(reverse("reports:report-detail", args=[report.pk])).content.decode()
    assert "最近删除" in page
    assert "删除章节：（一）在提升政务服务效能方面" in page

    from reports.outline_edit import deleted_revisions

    (revision,) = deleted_revisions(report)
    response = client.post(reverse("reports:section-restore", args=[report.pk, revision.pk]))
    assert response.status_code == 302
    restored = Section.objects.get(pk=our_section.pk)
    assert restored.heading == "在提升政务服务效能方面"
    assert list(restored.measures.values_list("lead", flat=True)) == ["推行一件事一次办", "深化一网通办"]
    assert restored.assignment.department.short_name == "县发改局"
    assert restored.assignment.state == AssignmentState.SIGNED_OFF
    assert list(restored.assignment.transitions.values_list("comment", flat=True)) == ["已核"]
    assert labels(report)[2:4] == ["（一）在提升政务服务效能方面", "（二）在强化要素保障方面"]
    assert not deleted_revisions(report)


def test_deleting_a_parent_takes_its_subsections_and_restores_them_together(login, coordinator, report, our_section):
    client = login(coordinator)
    second = our_section.parent
    client.post(reverse("reports:section-delete", args=[second.pk]), {"confirm": "1"})
    assert labels(report) == ["一、强化组织领导"]
    assert not Measure.objects.filter(section__report=report).exists()
    from reports.outline_edit import deleted_revisions

    (revision,) = deleted_revisions(report)
    client.post(reverse("reports:section-restore", args=[report.pk, revision.pk]))
    assert labels(report) == [
        "一、强化组织领导",
        "二、推动举措落地",
        "（一）在提升政务服务效能方面",
        "（二）在强化要素保障方面",
    ]
    assert Measure.objects.filter(section__report=report).count() == 3


def test_restoring_something_else_is_refused(login, coordinator, report, other_coordinator):
    response = login(coordinator).post(reverse("reports:section-restore", args=[report.pk, 12345]), follow=True)
    assert "没有可恢复的内容" in response.content.decode()


def test_departments_cannot_touch_the_outline(login, drafter, report, our_section):
    client = login(drafter)
    for url, data in [
        (reverse("reports:section-add", args=[report.pk]), {"heading": "新章节"}),
        (reverse("reports:section-frame", args=[our_section.pk]), {"heading": "改名"}),
        (reverse("reports:section-move", args=[our_section.pk, "down"]), {}),
        (reverse("reports:section-delete", args=[our_section.pk]), {"confirm": "1"}),
        (reverse("reports:outline-reorder", args=[report.pk]), {"order": ""}),
    ]:
        assert client.post(url, data).status_code == 403
    assert labels(report)[2] == "（一）在提升政务服务效能方面"
    assert not Section.objects.filter(heading="新章节").exists()


def test_strangers_get_404_on_outline_actions(login, other_coordinator, report, our_section):
    client = login(other_coordinator)
    assert client.post(reverse("reports:section-add", args=[report.pk]), {"heading": "x"}).status_code == 404
    assert client.post(reverse("reports:section-delete", args=[our_section.pk]), {"confirm": "1"}).status_code == 404
    assert Section.objects.filter(pk=our_section.pk).exists()


def test_the_outline_page_runs_a_constant_number_of_queries(
    login, coordinator, report, our_section, django_assert_max_num_queries
):
    client = login(coordinator)
    url = reverse("reports:report-detail", args=[report.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        small = client.get(url)
    for n in range(30):
        parent = Section.objects.create(report=report, position=10 + n, heading=f"新增{n}")
        Section.objects.create(report=report, parent=parent, heading=f"子{n}")
    with django_assert_max_num_queries(14):
        big = client.get(url)
    assert small.status_code == big.status_code == 200
    assert '三十二、</span><span class="section-heading">新增29' in big.content.decode()

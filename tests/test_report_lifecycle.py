"""Finalising a report (every assigned section accepted, no placeholder anywhere), the
read-only final report, and reopening with a logged reason."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reports.models import AssignmentState, Measure, ReportAction, ReportEvent
from tests.conftest import set_assignment_state

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

S = AssignmentState


@pytest.fixture
def ready(report, signer):
    """The test report with both assigned sections accepted and its date of issue set."""
    for section in (report.our_section, report.their_section):
        set_assignment_state(section.assignment, S.ACCEPTED, signer)
    report.issued_on = datetime.date(2025, 12, 5)
    report.save()
    return report


def test_a_report_with_every_section_accepted_and_no_placeholder_is_finalised(ready, coordinator):
    event = ready.finalise(coordinator)
    ready.refresh_from_db()
    assert ready.is_final
    assert (event.action, event.actor) == (ReportAction.FINALISE, coordinator)


def test_sections_not_yet_accepted_block_finalising_and_are_named(report, coordinator, signer):
    set_assignment_state(report.our_section.assignment, S.ACCEPTED, signer)
    with pytest.raises(ValidationError) as refused:
        report.finalise(coordinator)
    assert refused.value.messages == [
        "报告暂不能定稿：",
        "“（二）在强化要素保障方面”（县财政局）当前为“起草中”，尚未采用。",
        "成文日期为空。",
    ]
    report.refresh_from_db()
    assert not report.is_final
    assert not ReportEvent.objects.exists()


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("title", "标题：占位符“X”"),
        ("preamble", "导语：占位符“XX”"),
        ("closing", "结束语：占位符“×××”"),
        ("heading", "一、强化X个方面的组织领导 · 标题：占位符“X”"),
        ("intro", "一、强化组织领导 · 导语文字：占位符“X”"),
        ("measure", "二、推动举措落地 · 举措“一是”：占位符“X”"),
    ],
)
def test_a_placeholder_anywhere_blocks_finalising(ready, coordinator, where, expected):
    first = ready.first_section
    if where == "title":
        ready.title = "关于20X年工作情况的报告"
    elif where == "preamble":
        ready.preamble = "今年以来共完成XX项。"
    elif where == "closing":
        ready.closing = "下一步，×××将持续用力。"
    elif where == "heading":
        first.heading = "强化X个方面的组织领导"
        first.save()
    elif where == "intro":
        first.intro = "X月X日，县委专题研究部署。"
        first.save()
    else:
        Measure.objects.create(section=report_second(ready), position=0, lead="统筹X项工作", body="已完成。")
    ready.save()
    with pytest.raises(ValidationError) as refused:
        ready.finalise(coordinator)
    assert any(message.startswith(expected) for message in refused.value.messages), refused.value.messages
    ready.refresh_from_db()
    assert not ready.is_final


def report_second(report):
    return report.our_section.parent


def test_only_coordinators_finalise_and_reopen(ready, drafter, signer, other_coordinator):
    for user in (drafter, signer, other_coordinator):
        with pytest.raises(PermissionDenied):
            ready.finalise(user)
    ready.refresh_from_db()
    assert not ready.is_final


def test_a_final_report_is_read_only_and_reopening_needs_a_reason(ready, coordinator, drafter, signer):
    ready.finalise(coordinator)
    section = ready.our_section
    section.report.refresh_from_db()
    assert not section.permissions_for(drafter).can_edit and not section.permissions_for(coordinator).can_edit
    with pytest.raises(ValidationError, match="已定稿"):
        section.assignment.return_to_department(coordinator, "再改一下。")
    with pytest.raises(ValidationError, match="报告已经定稿"):
        ready.finalise(coordinator)
    for reason in ("", "   ", "\x00"):
        with pytest.raises(ValidationError, match="请填写重新打开报告的原因"):
            ready.reopen(coordinator, reason)
    with pytest.raises(PermissionDenied):
        ready.reopen(signer, "我要改。")
    ready.refresh_from_db()
    assert ready.is_final

    event = ready.reopen(coordinator, "补充第四季度数据。")
    ready.refresh_from_db()
    assert not ready.is_final
    assert (event.action, event.comment) == (ReportAction.REOPEN, "补充第四季度数据。")
    section.assignment.return_to_department(coordinator, "请补充第四季度数据。")
    with pytest.raises(ValidationError, match="报告尚未定稿"):
        ready.reopen(coordinator, "再开一次。")


def test_finalise_and_reopen_from_the_board(login, ready, coordinator):
    client = login(coordinator)
    board = reverse("reports:report-board", args=[ready.pk])
    page = client.get(board).content.decode()
    assert "所有分派章节均已采用，且没有待填占位符。" in page
    response = client.post(reverse("reports:report-finalise", args=[ready.pk]), follow=True)
    assert response.redirect_chain[-1][0] == board
    page = response.content.decode()
    assert "报告已定稿。在牵头单位重新打开之前只读。" in page
    assert 'data-testid="final-notice"' in page
    assert 'data-action="accept"' not in page and 'data-action="remind"' not in page

    response = client.post(reverse("reports:report-reopen", args=[ready.pk]), {"reason": ""}, follow=True)
    assert "请填写重新打开报告的原因。" in response.content.decode()
    response = client.post(
        reverse("reports:report-reopen", args=[ready.pk]), {"reason": "补充第四季度数据。"}, follow=True
    )
    page = response.content.decode()
    assert "报告已重新打开。" in page
    log = page[page.index('data-testid="report-log"') :]
    assert "已定稿" in log and "已重新打开：补充第四季度数据。" in log
    ready.refresh_from_db()
    assert not ready.is_final


def test_the_board_says_what_blocks_finalising(login, report, coordinator):
    response = login(coordinator).post(reverse("reports:report-finalise", args=[report.pk]), follow=True)
    page = response.content.decode()
    assert "报告暂不能定稿：" in page
    assert "2个分派章节尚未采用。" in page
    report.refresh_from_db()
    assert not report.is_final


def test_the_section_page_says_a_final_report_is_read_only(login, ready, coordinator, drafter):
    ready.finalise(coordinator)
    page = login(drafter).get(reverse("drafting:section-review", args=[ready.our_section.pk])).content.decode()
    assert "本报告已定稿，只读。" in page
    assert "data-action=" not in page


def test_lifecycle_posts_need_coordinators_and_post(client, login, ready, drafter, other_coordinator):
    url = reverse("reports:report-finalise", args=[ready.pk])
    assert login(drafter).post(url).status_code == 403
    assert login(other_coordinator).post(url).status_code == 404
    ready.refresh_from_db()
    assert not ready.is_final


@pytest.mark.parametrize(
    ("issuer", "issued_on", "issued_on_text", "missing"),
    [
        ("", datetime.date(2025, 12, 5), "", "发文机关署名为空。"),
        ("中共测试县委办公室", None, "", "成文日期为空。"),
        ("中共测试县委办公室", None, "2025年12月X日", "成文日期：占位符“X”"),
    ],
)
def test_a_report_without_its_issuer_or_a_complete_date_is_not_finalised(
    ready, coordinator, issuer, issued_on, issued_on_text, missing
):
    ready.issuer, ready.issued_on, ready.issued_on_text = issuer, issued_on, issued_on_text
    ready.save()
    with pytest.raises(ValidationError) as refused:
        ready.finalise(coordinator)
    assert any(message.startswith(missing) for message in refused.value.messages)
    ready.refresh_from_db()
    assert not ready.is_final


def test_the_board_lists_the_latest_report_events_and_says_earlier_ones_are_left_out(login, report, coordinator):
    from reports.board_views import BOARD_EVENTS
    from reports.models import ReportAction, ReportEvent

    client = login(coordinator)
    board = reverse("reports:report-board", args=[report.pk])
    ReportEvent.objects.bulk_create(
        ReportEvent(report=report, actor=coordinator, action=ReportAction.EXPORT, comment=f"第{n}次导出")
        for n in range(1, BOARD_EVENTS + 1)
    )
    page = client.get(board).content.decode()
    assert 'data-testid="earlier-events"' not in page
    log = page[page.index('data-testid="report-log"') :]
    assert "第1次导出" in log and f"第{BOARD_EVENTS}次导出" in log

    ReportEvent.objects.create(report=report, actor=coordinator, action=ReportAction.EXPORT, comment="最新一次导出")
    page = client.get(board).content.decode()
    assert f"仅显示最近 {BOARD_EVENTS} 条" in page
    log = page[page.index('data-testid="report-log"') :]
    assert "第1次导出" not in log and "第2次导出" in log
    # Oldest first, the newest last.
    assert log.index("第2次导出") < log.index(f"第{BOARD_EVENTS}次导出") < log.index("最新一次导出")

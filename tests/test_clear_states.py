"""Pages say what is true and what can be done: disabled moves with their reason, a line on
what each move does, the sign-off gate one line per place, returns with their note wherever the
section is listed, and the draft preview's tags."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import Assignment, AssignmentState, Measure
from tests.conftest import set_assignment_state

pytestmark = pytest.mark.django_db


def page(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def button(html, action):
    """The panel's <button> for a move, or None."""
    match = re.search(rf'<button [^>]*data-action="{action}"[^>]*>', html)
    return match.group(0) if match else None


@pytest.fixture
def fifteen_placeholders(our_section):
    """Fifteen placeholders: ten in the first measure, five in the second."""
    Measure.objects.filter(section=our_section, position=0).update(body="X月X日完成X项，" * 3 + "新增X家。")
    Measure.objects.filter(section=our_section, position=1).update(body="达到X%，" * 5)
    return our_section


def test_sign_off_is_disabled_with_the_count_of_placeholders_beside_it(login, signer, fifteen_placeholders):
    set_assignment_state(fifteen_placeholders.assignment, AssignmentState.SUBMITTED)
    html = page(login(signer), "drafting:section-edit", fifteen_placeholders.pk)
    sign_off = button(html, "sign_off")
    assert sign_off is not None and " disabled" in sign_off
    assert 'data-testid="refusal-sign_off">还有 15 处占位符</span>' in html
    assert 'aria-describedby="explain-sign_off refusal-sign_off"' in sign_off
    # Sending back needs no gate: it stays enabled.
    assert " disabled" not in button(html, "send_back")


def test_sign_off_is_enabled_once_the_placeholders_are_filled(login, signer, our_section):
    set_assignment_state(our_section.assignment, AssignmentState.SUBMITTED)
    html = page(login(signer), "drafting:section-edit", our_section.pk)
    assert " disabled" not in button(html, "sign_off")
    assert 'data-testid="refusal-sign_off"' not in html


def test_the_gate_lists_one_line_per_measure_and_folds_when_long(login, drafter, fifteen_placeholders, our_section):
    Measure.objects.create(section=our_section, position=2, lead="", body="")
    our_section.intro = "共X项。"
    our_section.save()
    html = page(login(drafter), "drafting:section-edit", our_section.pk)
    gate = html[html.index('data-testid="sign-off-blockers"') : html.index("</details>")]
    lines = re.findall(r'data-testid="gate-line"><a href="[^"]*#([^"]+)">([^<]*)</a>', gate)
    first, second, third = our_section.measures.order_by("position")
    assert [anchor for anchor, _text in lines] == [
        "section-intro",
        f"measure-{first.pk}",
        f"measure-{second.pk}",
        f"measure-{third.pk}",
    ]
    assert lines[1][1] == "举措“一是”：10 处占位符（X）"
    assert lines[2][1] == "举措“二是”：5 处占位符（X）"
    assert lines[3][1] == "举措“三是”内容为空。"
    # Four lines is long: the list is folded, its summary counting what it holds.
    assert '<details class="alert alert-warning py-2 gate-problems" data-testid="sign-off-blockers">' in html
    assert "16 处占位符" in gate and "1 条空举措" in gate


def test_a_short_gate_list_stays_open(login, drafter, our_section):
    Measure.objects.filter(section=our_section, position=0).update(body="完成X项。")
    html = page(login(drafter), "drafting:section-edit", our_section.pk)
    assert 'data-testid="sign-off-blockers" open>' in html


def test_each_move_says_in_one_line_what_it_does(login, drafter, signer, our_section):
    set_assignment_state(our_section.assignment, AssignmentState.SUBMITTED)
    drafter_page = page(login(drafter), "drafting:section-edit", our_section.pk)
    assert 'data-testid="explain-withdraw">撰稿人在签发前自行收回文字，继续修改' in drafter_page
    signer_page = page(login(signer), "drafting:section-edit", our_section.pk)
    assert 'data-testid="explain-send_back">签发人附意见退给撰稿人修改，改好后重新提交。' in signer_page
    assert 'data-testid="explain-sign_off">代表本单位认可这段文字，并报送牵头单位。' in signer_page


def test_accept_is_disabled_while_open_comments_block_it(login, coordinator, drafter, report, our_section):
    report.comments_block_acceptance = True
    report.save()
    set_assignment_state(our_section.assignment, AssignmentState.SIGNED_OFF)
    our_section.assignment.comment(drafter, "请核实数据。")
    from reports.models import Comment

    Comment.add(our_section, coordinator, "这一段还要再看看。")
    html = page(login(coordinator), "drafting:section-review", our_section.pk)
    assert " disabled" in button(html, "accept")
    assert 'data-testid="refusal-accept">还有未解决的意见：请先处理</span>' in html


def test_a_final_report_offers_no_moves(login, coordinator, complete_report):
    complete_report.is_final = True
    complete_report.save()
    html = page(login(coordinator), "drafting:section-review", complete_report.our_section.pk)
    assert button(html, "return") is None
    assert 'data-testid="final-notice"' in html


def test_a_sent_back_section_shows_the_signers_note_on_the_dashboard_and_the_board(
    login, drafter, signer, coordinator, report, our_section
):
    assignment = our_section.assignment
    assignment.submit(drafter)
    assignment.send_back(signer, "第二条数据要更新到年底。")
    home = page(login(drafter), "drafting:dashboard")
    row = home[home.index(f'data-section="{our_section.pk}"') :]
    row = row[: row.index("</tr>")]
    assert 'data-testid="return-note"' in row and "第二条数据要更新到年底。" in row
    assert "退回意见：" in row
    board = page(login(coordinator), "reports:report-board", report.pk)
    board_row = board[board.index(f'data-section="{our_section.pk}"') :]
    assert "第二条数据要更新到年底。" in board_row[: board_row.index("</tr>")]


def test_a_returned_section_shows_its_note_in_the_reports_outline_for_the_office_and_the_department(
    login, drafter, signer, coordinator, report, our_section
):
    assignment = our_section.assignment
    assignment.submit(drafter)
    assignment.send_back(signer, "第二条数据要更新到年底。")
    for user in (coordinator, drafter):
        outline = page(login(user), "reports:report-detail", report.pk)
        node = outline[outline.index(our_section.heading) :]
        node = node[: node.index("</li>")]
        assert 'data-testid="return-note"' in node and "第二条数据要更新到年底。" in node
    assignment.submit(drafter)
    assert 'data-testid="return-note"' not in page(login(coordinator), "reports:report-detail", report.pk)


def test_the_outline_gives_a_deadline_of_another_year_with_its_year(login, coordinator, report, our_section):
    assignment = our_section.assignment
    assignment.deadline = datetime.date(timezone.localdate().year + 1, 3, 5)
    assignment.save()
    outline = page(login(coordinator), "reports:report-detail", report.pk)
    assert f"{assignment.deadline.year}年3月5日" in outline


def test_a_returned_section_shows_the_offices_note_until_it_is_submitted_again(
    login, drafter, coordinator, signer, report, our_section
):
    assignment = set_assignment_state(our_section.assignment, AssignmentState.SIGNED_OFF, signer)
    assignment.return_to_department(coordinator, "请补充典型案例。")
    assert "请补充典型案例。" in page(login(drafter), "drafting:dashboard")
    # A comment afterwards does not hide the note: the section is still back with the drafters.
    assignment.comment(drafter, "收到。")
    assert "请补充典型案例。" in page(login(drafter), "drafting:dashboard")
    assignment.submit(drafter)
    assert 'data-testid="return-note"' not in page(login(drafter), "drafting:dashboard")
    assert 'data-testid="return-note"' not in page(login(coordinator), "reports:report-board", report.pk)


@pytest.mark.parametrize(
    "state, tag, pending",
    [
        (AssignmentState.DRAFT, "待提交", True),
        (AssignmentState.SUBMITTED, "待签发", True),
        (AssignmentState.SIGNED_OFF, "已签发待采用", False),
        (AssignmentState.ACCEPTED, "已采用", False),
        (AssignmentState.RETURNED, "退回修改", True),
    ],
)
def test_the_draft_previews_tags_say_where_the_section_stands(
    login, coordinator, report, our_section, state, tag, pending
):
    set_assignment_state(Assignment.objects.get(section=our_section), state)
    html = page(login(coordinator), "reports:report-preview", report.pk)
    assert f'<span class="doc-tag">〔县发改局·{tag}〕</span>' in html
    # 待报送 only while the department has not signed it off: a signed-off section has been sent in.
    assert ("【待报送：县发改局】" in html) == pending

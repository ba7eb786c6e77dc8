"""Comments on a section, a measure or a span of its text: threaded, resolvable, and — when the
office asks for it — an open one blocks 采用."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reports.models import Assignment, Comment
from reports.states import AssignmentState
from tests.conftest import set_assignment_state


def test_a_coordinator_comments_on_a_span_of_a_measure_and_the_drafter_replies_and_resolves(
    our_section, coordinator, drafter
):
    measure = our_section.measures.get(position=0)
    comment = Comment.add(our_section, coordinator, "“清单12项”请核实。", measure=measure, quote="清单12项")
    reply = Comment.add(our_section, drafter, "已核实，为12项。", parent=comment)
    assert (reply.parent, reply.measure) == (comment, measure)
    assert list(comment.replies.all()) == [reply]
    comment.resolve(drafter)
    comment.refresh_from_db()
    assert comment.resolved_by == drafter and comment.resolved_at is not None


def test_another_department_may_neither_comment_nor_resolve(our_section, coordinator, other_drafter):
    with pytest.raises(PermissionDenied):
        Comment.add(our_section, other_drafter, "我也说两句。")
    comment = Comment.add(our_section, coordinator, "请补充。")
    with pytest.raises(PermissionDenied):
        comment.resolve(other_drafter)
    comment.refresh_from_db()
    assert comment.resolved_at is None


@pytest.mark.parametrize(
    ("text", "quote", "message"),
    [("", "", "意见不能为空"), ("请核实。", "原文里没有的话", "引用的文字不在该举措中")],
)
def test_bad_comments_are_refused_with_a_reason(our_section, coordinator, text, quote, message):
    measure = our_section.measures.get(position=0)
    with pytest.raises(ValidationError, match=message):
        Comment.add(our_section, coordinator, text, measure=measure, quote=quote)
    assert not Comment.objects.exists()


def test_an_open_comment_blocks_acceptance_when_the_report_says_so(report, our_section, coordinator, signer):
    assignment = Assignment.objects.get(section=our_section)
    set_assignment_state(assignment, AssignmentState.SIGNED_OFF, signer)
    comment = Comment.add(our_section, coordinator, "第二条数据待核。")
    report.comments_block_acceptance = True
    report.save()
    with pytest.raises(ValidationError, match="未解决的意见"):
        assignment.accept(coordinator)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.SIGNED_OFF
    comment.resolve(coordinator)
    assignment.accept(coordinator)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACCEPTED


def test_open_comments_do_not_block_unless_the_report_says_so(our_section, coordinator, signer):
    assignment = Assignment.objects.get(section=our_section)
    set_assignment_state(assignment, AssignmentState.SIGNED_OFF, signer)
    Comment.add(our_section, coordinator, "仅供参考。")
    assignment.accept(coordinator)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACCEPTED

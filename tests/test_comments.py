"""Comments on a section, a measure or a span of its text: threaded, resolvable, and — when the
office asks for it — an open one blocks 采用."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reports.models import Assignment, Comment, Measure, Report
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


# On the review page ---------------------------------------------------------------------------


def review_page(client, section):
    return client.get(reverse("drafting:section-review", args=[section.pk])).content.decode()


def add_url(section):
    return reverse("drafting:section-comment-add", args=[section.pk])


def test_the_review_page_lists_threads_with_quote_replies_and_resolved_state(login, our_section, coordinator, drafter):
    measure = our_section.measures.get(position=0)
    comment = Comment.add(our_section, coordinator, "“清单12项”请核实。", measure=measure, quote="清单12项")
    Comment.add(our_section, drafter, "已核实，为12项。", parent=comment)
    client = login(drafter)
    page = review_page(client, our_section)
    thread = page[page.index(f'id="comment-{comment.pk}"') :]
    thread = thread[: thread.index("</article>")]
    assert "“清单12项”" in thread and "一是" in thread
    assert (coordinator.get_full_name() or coordinator.username) in thread
    assert "已核实，为12项。" in thread[thread.index('data-testid="comment-reply"') :]
    assert "未解决" in thread and 'data-action="resolve"' in thread
    client.post(reverse("drafting:section-comment-resolve", args=[our_section.pk, comment.pk]))
    comment.refresh_from_db()
    assert comment.resolved_by == drafter
    thread = review_page(client, our_section)
    thread = thread[thread.index(f'id="comment-{comment.pk}"') :]
    assert 'data-testid="comment-resolved"' in thread[: thread.index("</article>")]
    assert 'data-action="resolve"' not in thread[: thread.index("</article>")]


def test_a_comment_on_quoted_words_of_a_measure_and_a_reply_are_added_from_the_page(
    login, our_section, coordinator, drafter
):
    measure = our_section.measures.get(position=1)
    response = login(coordinator).post(
        add_url(our_section), {"text": "口径请统一。", "measure": measure.pk, "quote": "全程网办率"}, follow=True
    )
    assert response.status_code == 200
    comment = Comment.objects.get(section=our_section)
    assert (comment.measure, comment.quote, comment.author) == (measure, "全程网办率", coordinator)
    assert "口径请统一。" in response.content.decode()
    login(drafter).post(add_url(our_section), {"text": "已统一。", "parent": comment.pk})
    reply = Comment.objects.get(parent=comment)
    assert (reply.author, reply.text, reply.measure) == (drafter, "已统一。", measure)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "  "}, "意见不能为空。"),
        ({"text": "好", "measure": "x"}, None),
        ({"text": "好", "quote": "没有这句话", "measure": "MEASURE"}, "引用的文字不在该举措中。"),
        ({"text": "好", "measure": "THEIRS"}, "该举措或意见不属于本节。"),
        ({"text": "好", "parent": "999999"}, "该举措或意见不属于本节。"),
    ],
)
def test_bad_comments_from_the_page_are_refused_with_a_reason(login, report, our_section, coordinator, data, message):
    data = dict(data)
    if data.get("measure") == "MEASURE":
        data["measure"] = our_section.measures.first().pk
    if data.get("measure") == "THEIRS":
        data["measure"] = report.their_section.measures.first().pk
    response = login(coordinator).post(add_url(our_section), data, follow=True)
    assert response.status_code == 200
    if message is None:  # a measure that is no number: a comment on the whole section
        assert Comment.objects.get(section=our_section).measure is None
    else:
        assert message in [str(m) for m in response.context["messages"]]
        assert not Comment.objects.exists()


def test_another_department_can_neither_see_nor_comment_nor_resolve(login, our_section, coordinator, other_drafter):
    comment = Comment.add(our_section, coordinator, "请补充。")
    client = login(other_drafter)
    assert client.get(reverse("drafting:section-review", args=[our_section.pk])).status_code == 404
    assert client.post(add_url(our_section), {"text": "我也说两句。"}).status_code == 404
    resolve = reverse("drafting:section-comment-resolve", args=[our_section.pk, comment.pk])
    assert client.post(resolve).status_code == 404
    comment.refresh_from_db()
    assert comment.resolved_at is None and Comment.objects.count() == 1


def test_a_comment_of_another_section_cannot_be_resolved_through_this_one(login, report, our_section, coordinator):
    theirs = Comment.add(report.their_section, coordinator, "请补充。")
    response = login(coordinator).post(reverse("drafting:section-comment-resolve", args=[our_section.pk, theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.resolved_at is None


def test_get_is_not_allowed(login, our_section, drafter):
    assert login(drafter).get(add_url(our_section)).status_code == 405


def test_comments_quotes_and_names_show_as_text(login, our_section, coordinator, drafter):
    coordinator.first_name = "<b>王</b>"
    coordinator.save()
    measure = our_section.measures.get(position=0)
    Measure.objects.filter(pk=measure.pk).update(lead="<i>推行</i>一件事")
    measure.refresh_from_db()
    Comment.add(our_section, coordinator, "<script>alert(1)</script>", measure=measure, quote="<i>推行</i>")
    page = review_page(login(drafter), our_section)
    comments = page[page.index('id="comments"') :]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in comments and "<script>alert" not in comments
    assert "&lt;i&gt;推行&lt;/i&gt;" in comments and "<i>推行" not in comments
    assert "&lt;b&gt;王&lt;/b&gt;" in comments and "<b>王" not in comments


def test_a_final_report_offers_no_comment_form(login, report, our_section, coordinator):
    Report.objects.filter(pk=report.pk).update(is_final=True)
    client = login(coordinator)
    page = review_page(client, our_section)
    assert 'data-testid="comment-form"' not in page
    response = client.post(add_url(our_section), {"text": "还能加吗？"}, follow=True)
    assert "本报告已定稿，只读。需由牵头单位重新打开后才能修改。" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_comment_in_a_final_report_stays_as_it_is(login, report, our_section, coordinator):
    comment = Comment.add(our_section, coordinator, "请补充。")
    Report.objects.filter(pk=report.pk).update(is_final=True)
    response = login(coordinator).post(
        reverse("drafting:section-comment-resolve", args=[our_section.pk, comment.pk]), follow=True
    )
    assert "本报告已定稿，只读。需由牵头单位重新打开后才能修改。" in response.content.decode()
    comment.refresh_from_db()
    assert comment.resolved_at is None

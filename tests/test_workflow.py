"""The sign-off workflow walked as a table: every role × every action × every state.

DESIGN.md's permission table: department members submit and withdraw; the department's
signers sign off and send back; the report's coordinators accept and return; a superuser
coordinates every report but belongs to no department. A refusal says why, in Chinese, and
changes nothing.
"""

import contextlib
import re
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import signals
from reports.models import Assignment, AssignmentState, AssignmentTransition, CoSignature, Role, TransitionAction
from tests.conftest import make_user

S = AssignmentState
A = TransitionAction
CJK = re.compile(r"[\u4e00-\u9fff]")

ROLES = ["anonymous", "other_drafter", "other_signer", "drafter", "signer", "coordinator", "superuser"]
# Every move the action URL offers: the table tests cover each, through the method and the URL.
ACTIONS = [
    A.SUBMIT,
    A.WITHDRAW,
    A.SIGN_OFF,
    A.SEND_BACK,
    A.ACCEPT,
    A.RETURN,
    A.COMMENT,
    A.COSIGN,
    A.CONFIRM,
    A.DISPUTE,
]
TABLE_ACTIONS = ACTIONS
STATES = list(S)

# Who may make each move, from which states, and where it leads (None: the state stays).
WHO = {
    A.SUBMIT: {"drafter", "signer"},
    A.WITHDRAW: {"drafter", "signer"},
    A.SIGN_OFF: {"signer"},
    A.SEND_BACK: {"signer"},
    A.ACCEPT: {"coordinator", "superuser"},
    A.RETURN: {"coordinator", "superuser"},
    A.COMMENT: {"drafter", "signer", "coordinator", "superuser"},
    # 会签: the signer of a co-department (the 财政局 co-signs the 发改局's section here).
    A.COSIGN: {"other_signer"},
    # A change after sign-off goes back to the department's signer.
    A.CONFIRM: {"signer"},
    A.DISPUTE: {"signer"},
}
FROM = {
    A.SUBMIT: {S.DRAFT, S.RETURNED},
    A.WITHDRAW: {S.SUBMITTED},
    A.SIGN_OFF: {S.SUBMITTED},
    A.SEND_BACK: {S.SUBMITTED},
    A.ACCEPT: {S.SIGNED_OFF},
    A.RETURN: {S.SIGNED_OFF, S.ACCEPTED},
    A.COMMENT: set(S),
    A.COSIGN: {S.SUBMITTED},
    A.CONFIRM: {S.SIGNED_OFF, S.ACCEPTED},
    A.DISPUTE: {S.SIGNED_OFF, S.ACCEPTED},
}
TO = {
    A.SUBMIT: S.SUBMITTED,
    A.WITHDRAW: S.DRAFT,
    A.SIGN_OFF: S.SIGNED_OFF,
    A.SEND_BACK: S.DRAFT,
    A.ACCEPT: S.ACCEPTED,
    A.RETURN: S.RETURNED,
    A.COMMENT: None,
    A.COSIGN: None,
    A.CONFIRM: None,
    A.DISPUTE: None,
}


pytestmark = pytest.mark.usefixtures("fast_password_hashing")


def call(assignment, user, action, comment="请补充数据来源。"):
    """Call the DESIGN.md method for an action name."""
    if action == A.SEND_BACK:
        return assignment.send_back(user, comment)
    if action == A.RETURN:
        return assignment.return_to_department(user, comment)
    if action == A.COMMENT:
        return assignment.comment(user, comment)
    if action == A.COSIGN:
        return assignment.cosign(user, comment)
    if action == A.DISPUTE:
        return assignment.dispute_change(user, comment)
    if action == A.CONFIRM:
        return assignment.confirm_change(user)
    method = {A.SUBMIT: "submit", A.WITHDRAW: "withdraw", A.SIGN_OFF: "sign_off", A.ACCEPT: "accept"}[action]
    return getattr(assignment, method)(user)


def put_in_state(assignment, state, signer=None):
    """Set a state directly, as if earlier moves had happened (signed-off states carry a signer)."""
    signed = state in (S.SIGNED_OFF, S.ACCEPTED)
    Assignment.objects.filter(pk=assignment.pk).update(
        state=state, signed_off_by=signer if signed else None, signed_off_at=None
    )
    assignment.refresh_from_db()
    return assignment


def prepare(assignment, action, co_department):
    """What a move needs besides its state: a co-department to co-sign, a change to confirm."""
    if action == A.COSIGN:
        CoSignature.objects.create(assignment=assignment, department=co_department)
    if action in (A.CONFIRM, A.DISPUTE):
        report = assignment.section.report
        report.reconfirm_changes = True
        report.save()
        # Signed a text other than the current one: the text changed after sign-off.
        Assignment.objects.filter(pk=assignment.pk).update(signed_hash="0" * 64, confirmed_hash="0" * 64)
        assignment.refresh_from_db()


def user_for(request, role):
    if role == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(role)


def snapshot(assignment):
    assignment.refresh_from_db()
    return (
        assignment.state,
        assignment.signed_off_by_id,
        assignment.signed_off_at,
        AssignmentTransition.objects.filter(assignment=assignment).count(),
    )


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", TABLE_ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_action_and_state_is_allowed_or_refused_as_the_table_says(
    request, report, drafter, signer, other_department, role, action, state
):
    assignment = put_in_state(report.our_section.assignment, state, signer)
    prepare(assignment, action, other_department)
    user = user_for(request, role)
    before = snapshot(assignment)
    may = role in WHO[action]
    legal = may and state in FROM[action]

    if legal:
        transition = call(assignment, user, action)
        assignment.refresh_from_db()
        assert assignment.state == (TO[action] or state)
        assert transition.actor == user
        assert transition.action == action
        assert (transition.from_state, transition.to_state) == (state, TO[action] or state)
        assert AssignmentTransition.objects.filter(assignment=assignment).count() == before[3] + 1
    else:
        expected = ValidationError if may else PermissionDenied
        with pytest.raises(expected) as refused:
            call(assignment, user, action)
        message = " ".join(refused.value.messages) if expected is ValidationError else str(refused.value)
        assert CJK.search(message), message
        assert snapshot(assignment) == before


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_the_action_url_follows_the_same_table_and_never_fails(
    request, client, report, drafter, signer, other_department, role, action, state
):
    section = report.our_section
    assignment = put_in_state(section.assignment, state, signer)
    prepare(assignment, action, other_department)
    before = snapshot(assignment)
    if role != "anonymous":
        client.force_login(user_for(request, role))
    url = reverse("drafting:section-action", args=[section.pk, action])

    response = client.post(url, {"comment": "请补充数据来源。"})

    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in ("other_drafter", "other_signer") and action != A.COSIGN:
        assert response.status_code == 404  # not theirs: they do not even learn it exists
    else:
        assert response.status_code == 302
    legal = role in WHO[action] and state in FROM[action]
    assignment.refresh_from_db()
    if legal:
        assert assignment.state == (TO[action] or state)
    else:
        assert snapshot(assignment) == before


def test_a_refused_move_shows_its_reason_in_chinese_on_the_section_page(client, report, drafter):
    section = report.our_section
    client.force_login(drafter)
    response = client.post(reverse("drafting:section-action", args=[section.pk, "sign_off"]), follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["只有县发改局的签发人才能签发或退回本节。"]
    assert "只有县发改局的签发人才能签发或退回本节。" in response.content.decode()


def test_a_move_in_the_wrong_state_names_the_state(report, drafter):
    assignment = report.our_section.assignment
    with pytest.raises(ValidationError) as refused:
        assignment.withdraw(drafter)
    assert refused.value.messages == ["无法“撤回”：本节当前状态为“起草中”。"]


@pytest.mark.parametrize("comment", ["", "   \n  ", "\x00\x07"])
def test_send_back_and_return_need_a_note(report, drafter, signer, coordinator, comment):
    assignment = put_in_state(report.our_section.assignment, S.SUBMITTED)
    with pytest.raises(ValidationError, match="请写明需要修改的内容"):
        assignment.send_back(signer, comment)
    assert snapshot(assignment)[0] == S.SUBMITTED
    put_in_state(assignment, S.SIGNED_OFF, signer)
    with pytest.raises(ValidationError, match="请写明需要修改的内容"):
        assignment.return_to_department(coordinator, comment)
    assignment.refresh_from_db()
    assert assignment.state == S.SIGNED_OFF
    assert not assignment.transitions.exists()


def test_a_note_loses_its_control_characters(report, signer):
    assignment = put_in_state(report.our_section.assignment, S.SUBMITTED)
    transition = assignment.send_back(signer, "数据\x00有误\r\n请核实\ufffe")
    assert transition.comment == "数据有误\n请核实"


def test_an_overlong_note_is_refused(report, signer):
    assignment = put_in_state(report.our_section.assignment, S.SUBMITTED)
    with pytest.raises(ValidationError, match="5000"):
        assignment.send_back(signer, "长" * 5001)
    assert snapshot(assignment)[0] == S.SUBMITTED


def test_sign_off_records_who_and_when_and_return_clears_it(report, drafter, signer, coordinator):
    assignment = report.our_section.assignment
    assignment.submit(drafter)
    assignment.sign_off(signer)
    assignment.refresh_from_db()
    assert assignment.signed_off_by == signer and assignment.signed_off_at is not None
    assignment.accept(coordinator)
    assignment.refresh_from_db()
    assert assignment.state == S.ACCEPTED and assignment.signed_off_by == signer
    assignment.return_to_department(coordinator, "第二条数据与统计局口径不一致。")
    assignment.refresh_from_db()
    assert assignment.state == S.RETURNED
    assert assignment.signed_off_by is None and assignment.signed_off_at is None
    assert list(assignment.transitions.values_list("action", flat=True)) == ["submit", "sign_off", "accept", "return"]


def test_the_second_of_two_sign_offs_is_refused(report, drafter, signer):
    second_signer = make_user("signer2", report.our_section.assignment.department, Role.SIGNER)
    first = report.our_section.assignment
    first.submit(drafter)
    stale = Assignment.objects.get(pk=first.pk)  # loaded before the first sign-off
    first.sign_off(signer)
    with pytest.raises(ValidationError, match="已签发"):
        stale.sign_off(second_signer)
    first.refresh_from_db()
    assert first.signed_off_by == signer
    assert first.transitions.filter(action=A.SIGN_OFF).count() == 1


@pytest.mark.parametrize("action", ACTIONS)
def test_nothing_moves_in_a_final_report(report, drafter, signer, coordinator, action):
    report.is_final = True
    report.save()
    for state in STATES:
        assignment = put_in_state(report.our_section.assignment, state, signer)
        for user in (drafter, signer, coordinator):
            before = snapshot(assignment)
            with pytest.raises((ValidationError, PermissionDenied)):
                call(assignment, user, action)
            assert snapshot(assignment) == before
    assert not report.our_section.permissions_for(drafter).can_edit
    assert not report.our_section.permissions_for(coordinator).can_edit


def test_a_final_report_says_why_it_refuses(report, drafter):
    report.is_final = True
    report.save()
    with pytest.raises(ValidationError) as refused:
        report.our_section.assignment.submit(drafter)
    assert refused.value.messages == ["本报告已定稿，只读。需由牵头单位重新打开后才能修改。"]


def test_the_signal_goes_out_only_after_the_commit(report, drafter, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, assignment, transition, actor, **kwargs):
        received.append((assignment.state, transition.action, actor))

    signals.assignment_transitioned.connect(receiver, sender=Assignment, dispatch_uid="test-receiver")
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            report.our_section.assignment.submit(drafter)
        assert received == []  # not yet committed
        for callback in callbacks:
            callback()
        assert received == [(S.SUBMITTED, A.SUBMIT, drafter)]
    finally:
        signals.assignment_transitioned.disconnect(dispatch_uid="test-receiver", sender=Assignment)


def test_a_refused_move_sends_no_signal(report, other_drafter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(PermissionDenied):
        report.our_section.assignment.submit(other_drafter)
    assert callbacks == []


def test_the_panel_offers_only_the_moves_the_user_may_make(report, drafter, signer, coordinator):
    assignment = put_in_state(report.our_section.assignment, S.SUBMITTED)
    assert assignment.allowed_actions(drafter) == [A.WITHDRAW, A.COMMENT]
    assert assignment.allowed_actions(signer) == [A.WITHDRAW, A.SIGN_OFF, A.SEND_BACK, A.COMMENT]
    assert assignment.allowed_actions(coordinator) == [A.COMMENT]


def test_the_review_page_shows_buttons_thread_and_notes_newest_last(client, report, drafter, signer):
    section = report.our_section
    assignment = section.assignment
    assignment.submit(drafter)
    assignment.send_back(signer, "第一条缺少数据来源。")
    assignment.comment(drafter, "已补充，请再看。")
    client.force_login(drafter)
    page = client.get(reverse("drafting:section-review", args=[section.pk])).content.decode()
    thread = page[page.index('data-testid="review-thread"') :]
    assert thread.index("已提交") < thread.index("第一条缺少数据来源。") < thread.index("已补充，请再看。")
    assert "张签发" in thread and "（待签发 → 起草中）" in thread
    assert 'data-action="submit"' in page
    assert 'data-action="sign_off"' not in page


def test_the_panel_shows_markup_in_names_notes_and_headings_as_text(client, report, drafter, signer):
    # The panel is built in Python: everything a user typed must come out escaped.
    section = report.our_section
    section.heading = "<b>加粗</b>标题×××"
    section.save()
    department = section.assignment.department
    department.short_name = "<i>农业</i>"
    department.save()
    signer.first_name = "<script>张</script>"
    signer.save()
    assignment = section.assignment
    assignment.submit(drafter)
    assignment.send_back(signer, "第一行<em>强调</em>\n第二行")
    client.force_login(drafter)
    page = client.get(reverse("drafting:section-edit", args=[section.pk])).content.decode()
    panel = page[page.index('id="workflow-panel"') : page.index('id="section-form"')]
    assert "第一行&lt;em&gt;强调&lt;/em&gt;<br>第二行" in panel
    assert "&lt;script&gt;张&lt;/script&gt;" in panel and "<script>张" not in panel
    assert "&lt;i&gt;农业&lt;/i&gt;" in panel
    # The blocker list names the heading's placeholder and links to it.
    blockers = panel[panel.index('data-testid="sign-off-blockers"') :]
    assert "#section-heading" in blockers and "<b>" not in blockers


def test_another_departments_member_gets_404_for_the_review_page(client, report, other_drafter):
    client.force_login(other_drafter)
    assert client.get(reverse("drafting:section-review", args=[report.our_section.pk])).status_code == 404


def test_an_unknown_action_is_404_and_get_is_not_allowed(client, report, drafter):
    client.force_login(drafter)
    section = report.our_section
    assert client.post(reverse("drafting:section-action", args=[section.pk, "explode"])).status_code == 404
    assert client.get(reverse("drafting:section-action", args=[section.pk, "submit"])).status_code == 405
    unassigned = report.first_section
    assert client.post(reverse("drafting:section-action", args=[unassigned.pk, "submit"])).status_code == 404


def test_next_must_stay_on_this_site(client, report, drafter):
    client.force_login(drafter)
    section = report.our_section
    response = client.post(
        reverse("drafting:section-action", args=[section.pk, "submit"]), {"next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("drafting:section-review", args=[section.pk])


def test_assigning_a_section_logs_it(report, coordinator, drafter, other_department):
    section = report.first_section
    assignment = Assignment.assign(section, other_department, coordinator)
    assert assignment.state == S.DRAFT and assignment.department == other_department
    assert assignment.transitions.get().action == A.ASSIGN
    with pytest.raises(PermissionDenied):
        Assignment.assign(report.their_section, other_department, drafter)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_signers_signing_off_at_once_produce_one_sign_off(report, drafter, signer, monkeypatch):
    """Both threads pass the gate check at the same moment unless the row lock serialises them."""
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks (CI's PostgreSQL pass runs it)")
    from reports import gate

    second_signer = make_user("signer2", report.our_section.assignment.department, Role.SIGNER)
    assignment = report.our_section.assignment
    assignment.submit(drafter)

    inside = threading.Barrier(2, timeout=2)
    start = threading.Barrier(2, timeout=10)
    real_problems = gate.section_problems

    def section_problems_waiting_for_the_other(section, *args, **kwargs):
        # Without the lock both threads would meet here and both sign off; with it the
        # second is still waiting for the row, so the first gives up waiting and goes on.
        with contextlib.suppress(threading.BrokenBarrierError):
            inside.wait()
        return real_problems(section, *args, **kwargs)

    monkeypatch.setattr(gate, "section_problems", section_problems_waiting_for_the_other)
    outcomes = []

    def sign(user):
        try:
            start.wait()
            Assignment.objects.get(pk=assignment.pk).sign_off(user)
            outcomes.append(("signed", user.username))
        except ValidationError as error:
            outcomes.append(("refused", " ".join(error.messages)))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(user,)) for user in (signer, second_signer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(kind for kind, _ in outcomes) == ["refused", "signed"]
    assert "已签发" in next(text for kind, text in outcomes if kind == "refused")
    assignment.refresh_from_db()
    assert assignment.state == S.SIGNED_OFF
    assert assignment.transitions.filter(action=A.SIGN_OFF).count() == 1
    winner = next(name for kind, name in outcomes if kind == "signed")
    assert assignment.signed_off_by.username == winner


def test_the_section_pages_query_count_does_not_grow_with_the_thread(client, report, drafter, signer):
    section = report.our_section
    assignment = section.assignment
    url = reverse("drafting:section-review", args=[section.pk])
    client.force_login(signer)
    client.get(url)
    assignment.comment(drafter, "第一条意见。")
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    for n in range(30):
        assignment.comment(drafter if n % 2 else signer, f"第{n}条意见。")
    with CaptureQueriesContext(connection) as long:
        response = client.get(url)
    assert len(long) == len(short)
    assert response.content.decode().count("review-entry") == 31


def test_every_state_and_action_has_a_chinese_label():
    from django.utils import translation

    from reports.states import RULES

    with translation.override("zh-hans"):
        states = {state.value: str(state.label) for state in S}
        assert states == {
            "draft": "起草中",
            "submitted": "待签发",
            "signed_off": "已签发",
            "accepted": "已采用",
            "returned": "退回修改",
        }
        for label in [*(str(a.label) for a in A), *(str(rule.label) for rule in RULES.values())]:
            assert CJK.search(label), label


@pytest.mark.parametrize("page", ["drafting:section-edit", "drafting:section-review"])
def test_the_panel_lists_an_empty_measure_and_no_blockers_once_the_text_is_complete(client, report, drafter, page):
    section = report.our_section
    url = reverse(page, args=[section.pk])
    client.force_login(drafter)
    assert 'data-testid="sign-off-blockers"' not in client.get(url).content.decode()
    empty = section.measures.create(position=5, lead="", body="")
    html = client.get(url).content.decode()
    blockers = html[html.index('data-testid="sign-off-blockers"') :]
    assert f"#measure-{empty.pk}" in blockers and "举措“三是”内容为空" in blockers


@pytest.mark.parametrize("state", STATES)
def test_the_boards_answer_for_a_state_is_what_the_permissions_object_gives_a_coordinator(
    report, coordinator, signer, state
):
    from reports.permissions import SectionPermissions

    section = report.our_section
    put_in_state(section.assignment, state, signer)
    section.refresh_from_db()
    moves, remind = SectionPermissions.coordinator_actions(state, final=False)
    permissions = section.permissions_for(coordinator)
    allowed = [a for a in permissions.allowed_actions if a in (A.ACCEPT, A.RETURN)]
    assert moves == allowed
    assert remind == permissions.can_remind
    assert SectionPermissions.coordinator_actions(state, final=True) == ([], False)

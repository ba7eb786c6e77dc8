"""会签: a section shared by several departments is signed off by its lead department only after
every co-department's signer has agreed (with a comment if they like); the move follows the
workflow's rules (locked, logged, refused with a reason)."""

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from reports import gate
from reports.models import Assignment, Department, Measure
from reports.states import AssignmentState, Role, TransitionAction
from tests.conftest import make_user, set_assignment_state

S, A = AssignmentState, TransitionAction


@pytest.fixture
def shared(our_section, coordinator, other_department):
    """The 发改局's section, co-signed by the 财政局."""
    assignment = Assignment.objects.get(section=our_section)
    assignment.set_co_departments(coordinator, [other_department])
    return assignment


def test_the_lead_department_cannot_sign_off_until_every_co_department_has_co_signed(
    shared, drafter, signer, other_signer
):
    shared.submit(drafter)
    with pytest.raises(ValidationError, match="须先由县财政局会签"):
        shared.sign_off(signer)
    shared.refresh_from_db()
    assert shared.state == S.SUBMITTED
    shared.cosign(other_signer, "同意，建议补充资金数据。")
    cosignature = shared.cosignatures.get()
    assert (cosignature.signed_by, cosignature.comment) == (other_signer, "同意，建议补充资金数据。")
    assert shared.transitions.filter(action=A.COSIGN, actor=other_signer).exists()
    shared.sign_off(signer)
    shared.refresh_from_db()
    assert shared.state == S.SIGNED_OFF


def test_a_co_department_member_sees_the_section_but_only_its_signer_co_signs(
    shared, our_section, drafter, other_drafter, other_signer
):
    assert our_section.permissions_for(other_drafter).can_view
    assert not our_section.permissions_for(other_drafter).can_edit
    shared.submit(drafter)
    with pytest.raises(PermissionDenied):
        shared.cosign(other_drafter)
    with pytest.raises(PermissionDenied):
        shared.cosign(drafter)  # the lead department does not co-sign its own section
    shared.cosign(other_signer)
    with pytest.raises(PermissionDenied):
        shared.cosign(other_signer)  # once is enough
    assert shared.transitions.filter(action=A.COSIGN).count() == 1


@pytest.mark.parametrize("state", [S.DRAFT, S.RETURNED, S.SIGNED_OFF, S.ACCEPTED])
def test_co_signing_is_refused_outside_submitted(shared, other_signer, state):
    set_assignment_state(shared, state)
    with pytest.raises(ValidationError, match="无法“会签”"):
        shared.cosign(other_signer)
    assert not shared.cosignatures.get().signed


def test_sending_the_text_back_asks_the_co_departments_again(shared, drafter, signer, other_signer):
    shared.submit(drafter)
    shared.cosign(other_signer)
    shared.send_back(signer, "数据有误。")
    assert not shared.cosignatures.get().signed
    shared.submit(drafter)
    with pytest.raises(ValidationError):
        shared.sign_off(signer)


def test_the_gate_names_who_still_has_to_co_sign(shared, drafter, report, coordinator):
    shared.submit(drafter)
    waiting = [c.department.name for c in shared.cosignatures.all() if not c.signed]
    assert waiting == ["测试县财政局"]
    assert shared.transitions.filter(action=A.ASSIGN, comment__contains="会签单位：测试县财政局").exists()
    # Finalising names the section as not accepted, like any other.
    assert any("（一）在提升政务服务效能方面" in p.message for p in gate.final_problems(report))


def test_only_coordinators_choose_the_co_departments(our_section, drafter, other_department):
    with pytest.raises(PermissionDenied):
        Assignment.objects.get(section=our_section).set_co_departments(drafter, [other_department])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_co_department_added_while_the_signer_signs_off_is_never_skipped(
    report, drafter, signer, coordinator, monkeypatch
):
    """The office adds a co-department while the lead signer signs off: either the sign-off
    comes first (and the new co-department is added after it), or it waits and is refused; it
    never passes over a co-department added before it."""
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks (CI's PostgreSQL pass runs it)")
    third = Department.objects.create(name="测试县审计局", short_name="县审计局")
    make_user("cosigner", third, Role.SIGNER)
    assignment = Assignment.objects.get(section=report.our_section)
    Measure.objects.filter(section=report.our_section).update(body="正文。")
    assignment.submit(drafter)
    checked = threading.Event()
    real_check = Assignment._check_sign_off

    def check_then_wait(self, measures):
        real_check(self, measures)
        checked.set()
        time.sleep(0.5)  # the office acts between the check and the commit

    monkeypatch.setattr(Assignment, "_check_sign_off", check_then_wait)
    outcomes = {}

    def run(name, move):
        try:
            move()
            outcomes[name] = "done"
        except (ValidationError, PermissionDenied) as error:
            outcomes[name] = " ".join(getattr(error, "messages", [str(error)]))
        finally:
            connection.close()

    def add_co_department():
        checked.wait(5)
        Assignment.objects.get(pk=assignment.pk).set_co_departments(coordinator, [third])

    threads = [
        threading.Thread(
            target=run, args=("sign_off", lambda: Assignment.objects.get(pk=assignment.pk).sign_off(signer))
        ),
        threading.Thread(target=run, args=("co_department", add_co_department)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert outcomes == {"sign_off": "done", "co_department": "done"}
    added = assignment.transitions.get(action=A.ASSIGN, comment__contains="会签单位").created_at
    signed = assignment.transitions.get(action=A.SIGN_OFF).created_at
    assert signed <= added  # the co-department came after the sign-off it could not stop

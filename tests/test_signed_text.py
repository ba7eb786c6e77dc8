"""A sign-off pins the exact text signed; any later change, by anyone, is marked 签发后改动 with
its reason, and where the report asks for it the signer confirms (or disputes) it before 定稿."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import content, outline_edit
from reports.models import Assignment, AssignmentTransition, Measure, fingerprint
from reports.states import AssignmentState, TransitionAction
from tests.conftest import set_assignment_state


def texts(section):
    return [content.MeasureText(m.pk, m.lead, m.body) for m in section.measures.order_by("position", "pk")]


@pytest.fixture
def signed(our_section, drafter, signer):
    assignment = Assignment.objects.get(section=our_section)
    assignment.submit(drafter)
    assignment.sign_off(signer)
    assignment.refresh_from_db()
    return assignment


def test_sign_off_pins_the_revision_and_a_fingerprint_of_the_signed_text(signed, our_section):
    assert signed.signed_hash == fingerprint(our_section, list(our_section.measures.all()))
    pinned = content.snapshot_of_version(signed.signed_revision.version_set.get(object_id=str(our_section.pk)))
    assert [m.lead for m in pinned.measures] == ["推行一件事一次办", "深化一网通办"]
    assert not signed.changed_since_sign_off(our_section, list(our_section.measures.all()))


def test_an_office_edit_after_acceptance_is_marked_with_its_reason(signed, our_section, coordinator):
    signed.accept(coordinator)
    with pytest.raises(ValidationError, match="修改理由"):
        content.save_content(our_section, coordinator, intro="牵头单位补充的导语。", measures=texts(our_section))
    our_section.refresh_from_db()
    assert our_section.intro == ""
    content.save_content(
        our_section, coordinator, intro="牵头单位补充的导语。", measures=texts(our_section), note="统一全文表述"
    )
    signed.refresh_from_db()
    our_section.refresh_from_db()
    assert signed.changed_since_sign_off(our_section, list(our_section.measures.all()))
    change = AssignmentTransition.objects.filter(assignment=signed).latest("pk")
    assert (change.action, change.actor, change.comment) == (TransitionAction.CHANGE, coordinator, "统一全文表述")


def test_restoring_the_signed_text_is_the_signed_text_again(signed, our_section, coordinator):
    signed.accept(coordinator)
    signed_version = content.revisions(our_section).first()
    content.save_content(our_section, coordinator, intro="改过的。", measures=texts(our_section), note="试改")
    content.restore(our_section, coordinator, signed_version)
    our_section.refresh_from_db()
    signed.refresh_from_db()
    assert not signed.changed_since_sign_off(our_section, list(our_section.measures.all()))


def test_the_pin_survives_moving_the_section_in_the_outline(signed, our_section, report):
    outline_edit.move_section(our_section, "down")
    our_section.refresh_from_db()
    signed.refresh_from_db()
    assert not signed.changed_since_sign_off(our_section, list(our_section.measures.all()))


def test_a_change_waits_for_the_signers_confirmation_before_the_report_is_final(
    signed, our_section, their_section, report, coordinator, drafter, signer
):
    report.reconfirm_changes = True
    report.issued_on = datetime.date(2025, 12, 5)
    report.save()
    signed.accept(coordinator)
    set_assignment_state(their_section.assignment, AssignmentState.ACCEPTED, signer)
    content.save_content(our_section, coordinator, intro="改了一句。", measures=texts(our_section), note="口径统一")
    with pytest.raises(ValidationError) as refused:
        report.finalise(coordinator)
    assert any("签发人确认" in message for message in refused.value.messages)
    with pytest.raises(PermissionDenied):
        signed.confirm_change(drafter)
    with pytest.raises(ValidationError, match="请写明"):
        signed.dispute_change(signer, "")
    signed.dispute_change(signer, "这一句不符合实际。")
    with pytest.raises(ValidationError):
        report.finalise(coordinator)
    signed.confirm_change(signer)
    report.finalise(coordinator)
    report.refresh_from_db()
    assert report.is_final


def test_nothing_to_confirm_without_a_change(signed, signer, report):
    report.reconfirm_changes = True
    report.save()
    with pytest.raises(ValidationError, match="没有需要确认"):
        signed.confirm_change(signer)


EDITS = st.lists(
    st.tuples(st.sampled_from(["edit", "revert", "return_and_resign", "move"]), st.text("改补充数据", max_size=4)),
    max_size=6,
)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(EDITS)
def test_an_edit_after_sign_off_is_always_marked_and_only_then(report, drafter, signer, coordinator, steps):
    """Whatever sequence of edits, restores, moves and new sign-offs: the mark says exactly whether
    the text differs from what the department last signed."""
    section = report.our_section
    assignment = Assignment.objects.get(section=section)
    set_assignment_state(assignment, AssignmentState.DRAFT)
    Measure.objects.filter(section=section).update(body="正文。")
    assignment.submit(drafter)
    assignment.sign_off(signer)
    assignment.accept(coordinator)
    section.refresh_from_db()
    signed_text = (section.intro, [(m.lead, m.body) for m in section.measures.order_by("position", "pk")])
    for step, words in steps:
        section.refresh_from_db()
        if step == "edit":
            content.save_content(section, coordinator, intro=section.intro + words, measures=texts(section), note="改")
        elif step == "revert":
            content.save_content(section, coordinator, intro=signed_text[0], measures=texts(section), note="还原")
        elif step == "move":
            outline_edit.move_section(section, "down" if section.position == 0 else "up")
        else:
            assignment.return_to_department(coordinator, "再看看")
            assignment.submit(drafter)
            assignment.sign_off(signer)
            assignment.accept(coordinator)
            section.refresh_from_db()
            signed_text = (section.intro, [(m.lead, m.body) for m in section.measures.order_by("position", "pk")])
        section.refresh_from_db()
        assignment.refresh_from_db()
        now = (section.intro, [(m.lead, m.body) for m in section.measures.order_by("position", "pk")])
        assert assignment.changed_since_sign_off(section, list(section.measures.all())) == (now != signed_text)

"""The one way a section's content changes (reports.content.save_content): locked, re-checked,
version-checked; every writer goes through it, so no edit lands where it may not and none is lost."""

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from reports import content
from reports.models import Assignment, AssignmentTransition, Section
from reports.states import AssignmentState, Role
from tests.conftest import editor_data, make_user, measure_texts


def edit_url(section):
    return reverse("drafting:section-edit", args=[section.pk])


def test_a_save_from_a_page_opened_before_the_submission_is_refused_and_changes_nothing(our_section, drafter):
    stale = Section.objects.select_related("report", "assignment").get(pk=our_section.pk)
    assert stale.permissions_for(drafter).can_edit  # what the editor saw
    Assignment.objects.get(section=our_section).submit(drafter)
    with pytest.raises(PermissionDenied) as refusal:
        content.save_content(stale, drafter, intro="提交之后才改的。", measures=[], expected_version=1)
    assert "待签发" in str(refusal.value)
    our_section.refresh_from_db()
    assert our_section.intro == "" and our_section.version == 1
    assert len(measure_texts(our_section)) == 2


def test_the_editor_shows_the_refused_text_when_the_section_was_submitted_meanwhile(
    login, our_section, drafter, monkeypatch
):
    client = login(drafter)
    data = editor_data(our_section, intro="差一点丢掉的导语。")
    real_lock = content._lock

    def submitted_just_before_the_lock(section):
        # The submission commits between the page's permission check and the save's lock.
        Assignment.objects.filter(section_id=section.pk).update(state=AssignmentState.SUBMITTED)
        return real_lock(section)

    monkeypatch.setattr(content, "_lock", submitted_just_before_the_lock)
    response = client.post(edit_url(our_section), data)
    assert response.status_code == 403
    assert "差一点丢掉的导语。" in response.content.decode()
    our_section.refresh_from_db()
    assert our_section.intro == "" and our_section.version == 1


def test_a_refused_save_is_answered_without_comparing_the_texts(login, coordinator, our_section, monkeypatch):
    def no_diff(*args, **kwargs):
        raise AssertionError("a refused save must not be diffed")

    monkeypatch.setattr("drafting.diffs.char_sides", no_diff)
    response = login(coordinator).post(edit_url(our_section), editor_data(our_section, intro="长" * 10_000))
    assert response.status_code == 403
    assert "长" * 100 in response.content.decode()


def test_a_rename_in_the_outline_moves_the_version_on_so_a_stale_editor_cannot_put_the_old_heading_back(
    login, coordinator, report
):
    section = report.first_section  # written by the office: the coordinator edits it in the editor
    client = login(coordinator)
    stale = editor_data(section, heading=section.heading, intro="编辑器里的导语。")
    client.post(reverse("reports:section-frame", args=[section.pk]), {"heading": "大纲里改的标题"})
    section.refresh_from_db()
    assert section.heading == "大纲里改的标题" and section.version == 2
    response = client.post(edit_url(section), stale)
    assert response.status_code == 409
    section.refresh_from_db()
    assert section.heading == "大纲里改的标题"
    assert section.intro != "编辑器里的导语。"


def test_only_coordinators_change_a_heading_through_the_save(our_section, drafter):
    with pytest.raises(PermissionDenied):
        content.save_content(our_section, drafter, heading="起草人改的标题")
    our_section.refresh_from_db()
    assert our_section.heading != "起草人改的标题" and our_section.version == 1


def test_restoring_after_the_submission_is_refused(login, drafter, our_section):
    client = login(drafter)
    client.post(edit_url(our_section), editor_data(our_section, intro="第二版。"))
    first = content.revisions(our_section).last()
    Assignment.objects.get(section=our_section).submit(drafter)
    response = client.post(reverse("drafting:section-restore", args=[our_section.pk, first.pk]))
    assert response.status_code == 403
    our_section.refresh_from_db()
    assert our_section.intro == "第二版。"


def test_reassigning_is_locked_logged_and_refused_to_others(our_section, coordinator, drafter, other_department):
    assignment = Assignment.objects.get(section=our_section)
    with pytest.raises(PermissionDenied):
        assignment.reassign(drafter, other_department)
    assignment.refresh_from_db()
    assert assignment.department != other_department
    assert assignment.reassign(coordinator, assignment.department) is None  # the same department: nothing to do
    transition = assignment.reassign(coordinator, other_department)
    assignment.refresh_from_db()
    assert assignment.department == other_department
    assert (transition.action, transition.actor, transition.comment) == ("assign", coordinator, other_department.name)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_large_save_racing_submit_and_sign_off_lands_before_the_submission_or_not_at_all(report, drafter):
    """Four rounds: a 150-measure save starts, then the section is submitted and signed off while
    it writes. The signer must sign exactly the text that was there when they signed."""
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks (CI's PostgreSQL pass runs it)")
    section = report.our_section
    signer = make_user("racesigner", section.assignment.department, Role.SIGNER)
    measures = [content.MeasureText(None, f"举措{n}", f"第{n}条的内容。") for n in range(150)]
    for _round in range(4):
        Assignment.objects.filter(section=section).update(state=AssignmentState.DRAFT)
        section.refresh_from_db()
        outcome = {}
        inside = threading.Event()
        real_write = content._write_measures

        def slow_write(locked, items, real_write=real_write, inside=inside):
            inside.set()
            time.sleep(0.3)  # the submit and sign-off arrive while the save holds its locks
            return real_write(locked, items)

        def save(section=section, outcome=outcome):
            try:
                stale = Section.objects.select_related("report").get(pk=section.pk)
                content.save_content(
                    stale, drafter, intro="并发保存。", measures=measures, expected_version=stale.version
                )
                outcome["save"] = "saved"
            except (PermissionDenied, content.VersionConflict) as error:
                outcome["save"] = type(error).__name__
            finally:
                connection.close()

        def submit_and_sign(outcome=outcome, inside=inside):
            try:
                inside.wait(5)
                assignment = Assignment.objects.get(section_id=section.pk)
                assignment.submit(drafter)
                assignment.sign_off(signer)
                outcome["signed"] = True
            finally:
                connection.close()

        content._write_measures = slow_write
        try:
            threads = [threading.Thread(target=save), threading.Thread(target=submit_and_sign)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
        finally:
            content._write_measures = real_write
        assert outcome == {"save": "saved", "signed": True}
        submitted_at = AssignmentTransition.objects.filter(assignment__section=section, action="submit").latest(
            "created_at"
        )
        section.refresh_from_db()
        # The text was written before the submission, never after it.
        assert section.updated_at <= submitted_at.created_at
        assert len(measure_texts(section)) == 150

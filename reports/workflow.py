"""The sign-off workflow of an assigned section, and the report's lifecycle (DESIGN.md).

draft --submit--> submitted --sign_off--> signed_off --accept--> accepted
submitted --withdraw / send_back--> draft;  signed_off, accepted --return--> returned --submit--> ...

Every move runs in one transaction that first locks the assignment row (SELECT … FOR UPDATE),
so two signers clicking at once produce one sign-off: the second re-reads the row after the
first commits and finds it no longer submitted. A refused move raises PermissionDenied (wrong
person) or ValidationError (wrong state, missing note, placeholders left, final report) with
a message for the user, and changes nothing. Signals go out only after the commit, so an
e-mail never announces a move that was rolled back.
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import signals
from reports.models import (
    COMMENT_MAX_LENGTH,
    REMINDABLE_STATES,
    RULES,
    Assignment,
    AssignmentState,
    AssignmentTransition,
    Report,
    ReportAction,
    ReportEvent,
    Section,
    TransitionAction,
    final_report_error,
    numbered_measures,
)
from reports.placeholders import find_placeholders
from reports.text import clean_text

logger = logging.getLogger("huigao.workflow")

S = AssignmentState
A = TransitionAction

# A refusal lists at most this many problems, then says how many more there are.
MAX_LISTED_PROBLEMS = 20

# --- The sign-off gate: placeholders and empty measures -------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something that blocks sign-off or finalising, and where it stands (an HTML id)."""

    message: str
    section: Section | None
    anchor: str


def _placeholder_problems(where, text, section, anchor):
    problems = []
    for placeholder in find_placeholders(text):
        before, found, after = placeholder.context(text)
        message = _("%(where)s: placeholder “%(placeholder)s” in “…%(before)s%(placeholder)s%(after)s…”") % {
            "where": where,
            "placeholder": found,
            "before": before,
            "after": after,
        }
        problems.append(Problem(message, section, anchor))
    return problems


def section_problems(section, measures=None, prefix=""):
    """Placeholders in the heading, intro and measures of a section, and its empty measures."""
    if measures is None:
        measures = section.measures.all()
    problems = _placeholder_problems(prefix + _("Heading"), section.heading, section, "section-heading")
    problems += _placeholder_problems(prefix + _("Intro text"), section.intro, section, "section-intro")
    for measure in numbered_measures(measures):
        where = prefix + _("Measure “%(ordinal)s”") % {"ordinal": measure.ordinal}
        anchor = f"measure-{measure.pk}"
        if not (measure.lead.strip() or measure.body.strip()):
            problems.append(Problem(_("%(where)s is empty.") % {"where": where}, section, anchor))
            continue
        problems += _placeholder_problems(where, measure.lead, section, anchor)
        problems += _placeholder_problems(where, measure.body, section, anchor)
    return problems


def report_problems(report, outline=None, measures=None):
    """Every placeholder and empty measure anywhere in the report, in reading order.

    `measures` ({section pk: measures}) saves the sections' own measure queries when the caller
    has them already.
    """
    problems = _placeholder_problems(_("Title"), report.title, None, "report-title")
    problems += _placeholder_problems(_("Preamble"), report.preamble, None, "report-preamble")
    for section in outline if outline is not None else report.outline(measures=True):
        prefix = f"{section.label}{section.heading} · "
        section_measures = section.measures.all() if measures is None else measures.get(section.pk, ())
        problems += section_problems(section, section_measures, prefix=prefix)
    problems += _placeholder_problems(_("Closing"), report.closing, None, "report-closing")
    return problems


def _refusal(header, messages, code):
    """One ValidationError: a header line, then the problems (capped)."""
    errors = [ValidationError(header, code=code)]
    errors += [ValidationError(message, code=code) for message in messages[:MAX_LISTED_PROBLEMS]]
    if len(messages) > MAX_LISTED_PROBLEMS:
        more = _("… and %(count)d more.") % {"count": len(messages) - MAX_LISTED_PROBLEMS}
        errors.append(ValidationError(more, code=code))
    return ValidationError(errors)


def allowed_actions(assignment, user):
    return assignment.section.permissions_for(user).allowed_actions


def _lock(pk):
    """The assignment, locked for this transaction, with a fresh section and report."""
    assignment = Assignment.objects.select_for_update(of=("self",)).select_related("department").get(pk=pk)
    # Read after the lock: a report finalised meanwhile is seen as final.
    section = Section.objects.select_related("report").get(pk=assignment.section_id)
    section.assignment = assignment
    return assignment


def _copy_state(source, target):
    for field in ("state", "signed_off_by_id", "signed_off_at", "last_reminded_on", "department_id", "deadline"):
        setattr(target, field, getattr(source, field))
    # Drop cached related objects that may now be stale.
    for name in ("signed_off_by", "department"):
        target._state.fields_cache.pop(name, None)


def _send_after_commit(signal, **kwargs):
    def send():
        for receiver, result in signal.send_robust(**kwargs):
            if isinstance(result, Exception):
                logger.error("Signal receiver %r failed", receiver, exc_info=result)

    transaction.on_commit(send)


# --- The moves --------------------------------------------------------------------------


def perform(assignment, user, action, comment=""):
    """Make one move (or add a free comment); returns the AssignmentTransition recorded."""
    if action not in RULES:
        raise ValidationError(_("Unknown action."), code="unknown")
    comment = clean_text(comment or "").strip()
    rule = RULES[action]
    with transaction.atomic():
        locked = _lock(assignment.pk)
        locked.section.permissions_for(user).check(action, comment)
        if action == A.SIGN_OFF:
            problems = section_problems(locked.section)
            if problems:
                raise _refusal(
                    _("Sign-off refused: fill in the placeholders and empty measures first."),
                    [p.message for p in problems],
                    code="placeholders",
                )
        from_state = locked.state
        if rule.target is not None:
            locked.state = rule.target
            if action == A.SIGN_OFF:
                locked.signed_off_by, locked.signed_off_at = user, timezone.now()
            elif action == A.RETURN:
                locked.signed_off_by, locked.signed_off_at = None, None
            locked.save(update_fields=["state", "signed_off_by", "signed_off_at", "updated_at"])
        transition = AssignmentTransition.objects.create(
            assignment=locked,
            actor=user,
            action=action,
            from_state=from_state,
            to_state=locked.state,
            comment=comment,
        )
        _send_after_commit(
            signals.assignment_transitioned,
            sender=Assignment,
            assignment=locked,
            transition=transition,
            actor=user,
        )
    _copy_state(locked, assignment)
    return transition


def assign(section, department, user, deadline=None):
    """Assign a section to a department (or move a draft to another); logs it and notifies."""
    report = section.report
    if not report.is_coordinator(user):
        raise PermissionDenied(_("Only the coordinators of this report may assign sections."))
    if report.is_final:
        raise final_report_error()
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().filter(section=section).first()
        if assignment is None:
            assignment = Assignment.objects.create(
                section=section, department=department, deadline=deadline or report.deadline
            )
            from_state = ""
        elif assignment.state != S.DRAFT:
            raise ValidationError(
                _("Only a section still being drafted can be assigned to another department."), code="state"
            )
        else:
            from_state = assignment.state
            assignment.department = department
            if deadline:
                assignment.deadline = deadline
            assignment.save(update_fields=["department", "deadline", "updated_at"])
        transition = AssignmentTransition.objects.create(
            assignment=assignment,
            actor=user,
            action=A.ASSIGN,
            from_state=from_state,
            to_state=assignment.state,
            comment=department.name,
        )
        _send_after_commit(
            signals.assignment_transitioned,
            sender=Assignment,
            assignment=assignment,
            transition=transition,
            actor=user,
        )
    return assignment


def remind(assignment, user=None, today=None):
    """Remind the department of its deadline, at most once a day. `user` None is the cron job."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _lock(assignment.pk)
        report = locked.section.report
        if user is not None and not report.is_coordinator(user):
            raise PermissionDenied(_("Only the coordinators of this report may send reminders."))
        if report.is_final:
            raise final_report_error()
        if locked.state not in REMINDABLE_STATES:
            raise ValidationError(_("The department has done its part: there is nothing to remind."), code="state")
        if locked.last_reminded_on == today:
            return False
        locked.last_reminded_on = today
        locked.save(update_fields=["last_reminded_on", "updated_at"])
        AssignmentTransition.objects.create(
            assignment=locked, actor=user, action=A.REMIND, from_state=locked.state, to_state=locked.state
        )
        _send_after_commit(signals.assignment_reminded, sender=Assignment, assignment=locked, actor=user)
    _copy_state(locked, assignment)
    return True


# --- The report's lifecycle --------------------------------------------------------------


def _check_coordinator(report, user):
    if not user.is_authenticated:
        raise PermissionDenied(_("Please log in first."))
    if not report.is_coordinator(user):
        raise PermissionDenied(_("Only the coordinators of this report may finalise or reopen it."))


def finalise_problems(report):
    """Why the report cannot be final yet: sections not accepted, placeholders, empty measures."""
    outline = report.outline(measures=True)
    messages = []
    for section in outline:
        if section.has_assignment and section.assignment.state != S.ACCEPTED:
            messages.append(
                _("“%(section)s” (%(department)s) is “%(state)s”, not yet accepted.")
                % {
                    "section": f"{section.label}{section.heading}",
                    "department": section.assignment.department.display_name,
                    "state": section.assignment.get_state_display(),
                }
            )
    messages += [p.message for p in report_problems(report, outline)]
    return messages


def finalise(report, user):
    _check_coordinator(report, user)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.is_final:
            raise ValidationError(_("The report is already final."), code="final")
        # Hold every assignment of the report still while checking them.
        list(Assignment.objects.select_for_update(of=("self",)).filter(section__report=locked).values_list("pk"))
        messages = finalise_problems(locked)
        if messages:
            raise _refusal(_("The report cannot be finalised yet:"), messages, code="not_ready")
        locked.is_final = True
        locked.save(update_fields=["is_final", "updated_at"])
        event = ReportEvent.objects.create(report=locked, actor=user, action=ReportAction.FINALISE)
        _send_after_commit(signals.report_lifecycle, sender=Report, report=locked, event=event, actor=user)
    report.is_final = True
    return event


def reopen(report, user, reason):
    _check_coordinator(report, user)
    reason = clean_text(reason or "").strip()
    if not reason:
        raise ValidationError(_("Please give a reason for reopening the report."), code="reason_required")
    if len(reason) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            _("The note is too long: at most %(max)d characters.") % {"max": COMMENT_MAX_LENGTH}, code="too_long"
        )
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if not locked.is_final:
            raise ValidationError(_("The report is not final."), code="not_final")
        locked.is_final = False
        locked.save(update_fields=["is_final", "updated_at"])
        event = ReportEvent.objects.create(report=locked, actor=user, action=ReportAction.REOPEN, comment=reason)
        _send_after_commit(signals.report_lifecycle, sender=Report, report=locked, event=event, actor=user)
    report.is_final = False
    return event

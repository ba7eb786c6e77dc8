"""Who may do what with a section: one object per section and user that every page asks.

Like Wagtail's PagePermissionTester: the editor, the review page, the dashboard's next action,
the board's buttons and the transition methods all ask `section.permissions_for(user)`, so the
permission table of DESIGN.md lives here and nowhere else. Pages that know the user's role and
coordinator status for many sections at once (the dashboard, the board) pass them in.
"""

import functools
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reports.states import (
    CO_SIGNER,
    COMMENT_MAX_LENGTH,
    COORDINATOR,
    EDITABLE_STATES,
    GATE_STATES,
    MEMBER,
    REMINDABLE_STATES,
    RULES,
    SIGNER,
    AssignmentState,
    Role,
    TransitionAction,
    state_labels,
)

_UNKNOWN = object()


def final_report_error():
    return ValidationError(_("The report is final and read-only. A coordinator must reopen it first."), code="final")


def can_read_whole_report(report, user, coordinates=None):
    """Whether the user may read every section of a report they take part in (its preview):
    its coordinators always, the departments writing its sections when the office allows it.
    `coordinates`: whether the user coordinates it, when the page knows already."""
    if not user.is_authenticated:
        return False
    if coordinates is None:
        coordinates = report.is_coordinator(user)
    return coordinates or report.departments_see_whole_report


def whole_report_refusal():
    return _("The coordinating office has not opened the whole report to the departments.")


class ListedAssignment(NamedTuple):
    """What SectionPermissions.listed knows of a section's assignment."""

    state: str


class SectionPermissions:
    """What one user may do with one section, asked by every page and every move.

    Like Wagtail's PagePermissionTester: the editor, the review page, the dashboard's next
    action, the board's buttons and the transition methods ask this object, so the rules of
    DESIGN.md's permission table live in one place. `role` and `coordinates` may be passed in
    by pages that already know them for many sections at once (the dashboard, the board).
    """

    def __init__(self, section, user, *, role=_UNKNOWN, coordinates=_UNKNOWN):
        self.section = section
        self.user = user
        self.report = section.report
        self.assignment = section.assignment if section.has_assignment else None
        self.authenticated = user.is_authenticated
        self.role = section.member_role(user) if role is _UNKNOWN else role
        self.coordinates = self.report.is_coordinator(user) if coordinates is _UNKNOWN else coordinates

    @classmethod
    def listed(cls, user, *, report, state, role, coordinates):
        """The permissions of a section a page lists as a row, not an instance (the dashboard
        reads hundreds): from its report, its assignment's state and what the page knows of the
        user. Only the rules those facts decide may be asked (next_action, can_edit, can_rename,
        can_remind, shows_gate); the ones that read the section itself need __init__."""
        permissions = cls.__new__(cls)
        permissions.section = None
        permissions.user = user
        permissions.report = report
        permissions.assignment = ListedAssignment(state)
        permissions.authenticated = user.is_authenticated
        permissions.role = role
        permissions.coordinates = coordinates
        return permissions

    @property
    def is_member(self):
        return bool(self.role)

    @cached_property
    def co_roles(self):
        """{department id: role} of the user in the section's co-departments (会签)."""
        if self.assignment is None or not self.authenticated:
            return {}
        return self.section.co_roles(self.user)

    @cached_property
    def can_view(self):
        return self.authenticated and (self.is_member or self.coordinates or bool(self.co_roles))

    @cached_property
    def may_cosign(self):
        """A signer of a co-department whose 会签 is still to come."""
        signer_of = [pk for pk, role in self.co_roles.items() if role == Role.SIGNER]
        return (
            bool(signer_of)
            and self.assignment.cosignatures.filter(department_id__in=signer_of, signed_at__isnull=True).exists()
        )

    @cached_property
    def awaits_confirmation(self):
        """The text changed after sign-off and waits for the signer's confirmation."""
        if self.assignment is None:
            return False
        return self.assignment.awaits_confirmation(self.section, list(self.section.measures.all()))

    @cached_property
    def can_edit(self):
        """Members edit while drafting or returned; coordinators edit unassigned or accepted sections."""
        if not self.authenticated or self.report.is_final:
            return False
        if self.assignment is None:
            return self.coordinates
        if self.assignment.state in EDITABLE_STATES and self.is_member:
            return True
        return self.assignment.state == AssignmentState.ACCEPTED and self.coordinates

    @property
    def can_edit_heading(self):
        """Headings belong to the outline, which the coordinators own."""
        return self.can_edit and self.coordinates

    @property
    def edit_refusal(self):
        """Why the user may not edit the section now (for the read-only notice and the 403 page)."""
        if self.report.is_final:
            return _("The report is final, so its sections are read-only.")
        if self.assignment is not None:
            return _("This section is %(state)s and cannot be edited now.") % {
                "state": state_labels()[self.assignment.state]
            }
        return _("You may read this section but not edit it.")

    @property
    def can_rename(self):
        """Headings belong to the outline, which the coordinators own while the report is open."""
        return self.authenticated and self.coordinates and not self.report.is_final

    @property
    def can_remind(self):
        return bool(
            self.coordinates
            and self.assignment is not None
            and not self.report.is_final
            and self.assignment.state in REMINDABLE_STATES
        )

    @property
    def shows_gate(self):
        """Whether pages list what still blocks sign-off: while the department writes or signs."""
        return self.assignment is not None and not self.report.is_final and self.assignment.state in GATE_STATES

    def _has_role(self, who):
        if who == MEMBER:
            return self.is_member
        if who == SIGNER:
            return self.role == Role.SIGNER
        if who == COORDINATOR:
            return self.coordinates
        if who == CO_SIGNER:
            return self.may_cosign
        return self.can_view

    def _role_error(self, who):
        department = self.assignment.department.display_name
        if who == MEMBER:
            return PermissionDenied(_("Only members of %(department)s may do this.") % {"department": department})
        if who == SIGNER:
            return PermissionDenied(
                _("Only the signers of %(department)s may sign off or send back this section.")
                % {"department": department}
            )
        if who == COORDINATOR:
            return PermissionDenied(_("Only the coordinators of this report may accept or return sections."))
        if who == CO_SIGNER:
            return PermissionDenied(_("Only a signer of a co-department that has not co-signed yet may co-sign."))
        return PermissionDenied(_("Only the department and the report's coordinators may comment on this section."))

    def refusal(self, action, comment="-"):
        """Why `action` is not possible now (a PermissionDenied or ValidationError), or None."""
        rule = RULES.get(action)
        if rule is None or self.assignment is None:
            return ValidationError(_("Unknown action."), code="unknown")
        if not self.authenticated:
            return PermissionDenied(_("Please log in first."))
        if not self._has_role(rule.who):
            return self._role_error(rule.who)
        if self.report.is_final:
            return final_report_error()
        if self.assignment.state not in rule.sources:
            return ValidationError(
                _("“%(action)s” is not possible: the section is “%(state)s”.")
                % {"action": rule.label, "state": state_labels()[self.assignment.state]},
                code="state",
            )
        if action in (TransitionAction.CONFIRM, TransitionAction.DISPUTE) and not self.awaits_confirmation:
            return ValidationError(_("There is no change after sign-off to confirm."), code="nothing_to_confirm")
        if rule.needs_comment and not comment:
            if action == TransitionAction.COMMENT:
                return ValidationError(_("The comment is empty."), code="comment_required")
            return ValidationError(_("Please write a note saying what needs to change."), code="comment_required")
        if len(comment) > COMMENT_MAX_LENGTH:
            return ValidationError(
                _("The note is too long: at most %(max)d characters.") % {"max": COMMENT_MAX_LENGTH},
                code="too_long",
            )
        return None

    def check(self, action, comment):
        """Raise the refusal of `action` with this comment, if any (the transition methods call this)."""
        error = self.refusal(action, comment)
        if error is not None:
            raise error

    def can(self, action):
        return self.assignment is not None and self.refusal(action) is None

    @cached_property
    def allowed_actions(self):
        """The moves the user may try now (the sign-off gate is checked when they do)."""
        if self.assignment is None:
            return []
        state = self.assignment.state
        # A move the state rules out is skipped before its refusal message is built.
        return [action for action, rule in RULES.items() if state in rule.sources and self.refusal(action) is None]

    @cached_property
    def offered_actions(self):
        """The moves a page shows as buttons: those the user's role makes from this state, whether
        or not they can act now (action_refusal says why not). The confirmation of a change
        after sign-off only while one waits; nothing in a final report (its pages say it is final)."""
        if self.assignment is None or self.report.is_final or not self.authenticated:
            return []
        state = self.assignment.state
        return [
            action
            for action, rule in RULES.items()
            if action != TransitionAction.COMMENT
            and state in rule.sources
            and self._has_role(rule.who)
            and (action not in (TransitionAction.CONFIRM, TransitionAction.DISPUTE) or self.awaits_confirmation)
        ]

    def action_refusal(self, action, problems=()):
        """Why the button for `action` cannot act now, as one line, or "" when it can: the rules'
        refusal, then what the move itself checks when made (the sign-off gate's `problems`,
        会签 still to come, open comments before acceptance)."""
        error = self.refusal(action)
        if error is not None:
            return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        if action == TransitionAction.SIGN_OFF:
            reasons = []
            placeholders = sum(1 for problem in problems if problem.placeholder)
            empty = sum(1 for problem in problems if problem.is_empty_measure)
            if placeholders:
                reasons.append(_("%(count)d placeholders remain") % {"count": placeholders})
            if empty:
                reasons.append(_("%(count)d measures are empty") % {"count": empty})
            carried = sum(1 for problem in problems if problem.carried)
            if carried:
                reasons.append(_("%(count)d figures carried from last period to check") % {"count": carried})
            errors = sum(1 for problem in problems if problem.blocking and problem.severity is not None)
            if errors:
                reasons.append(_("%(count)d proofreading errors to correct") % {"count": errors})
            waiting = [
                c.department.display_name
                for c in self.assignment.cosignatures.select_related("department")
                if c.signed_at is None
            ]
            if waiting:
                reasons.append(_("%(departments)s must co-sign first") % {"departments": "、".join(waiting)})
            return "；".join(reasons)
        if (
            action == TransitionAction.ACCEPT
            and self.report.comments_block_acceptance
            and self.section.comments.filter(resolved_at__isnull=True).exists()
        ):
            return _("Open comments remain: resolve them first")
        return ""

    @staticmethod
    def coordinator_actions(state, final):
        """The moves a report's coordinator may make on an assigned section in `state`, and
        whether they may remind its department. On the board, which only coordinators open,
        nothing else decides: it asks this once per state rather than once per row."""
        if final:
            return [], False
        moves = [action for action, rule in RULES.items() if rule.who == COORDINATOR and state in rule.sources]
        return moves, state in REMINDABLE_STATES

    def next_action(self, chars, placeholders, labels=None):
        """What the user should do next with the section, as (label, whether it links to the
        editor); a page asking this of many sections passes next_action_labels() read once."""
        step, links = self._next_step(chars, placeholders)
        return (labels or next_action_labels())[step], links

    def _next_step(self, chars, placeholders):
        state = self.assignment.state if self.assignment is not None else None
        if self.is_member and state in EDITABLE_STATES:
            return ("edit", True) if placeholders or not chars else ("submit", True)
        if state == AssignmentState.SUBMITTED and self.role == Role.SIGNER:
            return "sign_off", True
        if state == AssignmentState.SUBMITTED and self.is_member:
            return "awaiting_sign_off", False
        if state == AssignmentState.SIGNED_OFF and self.coordinates:
            return "accept", True
        if state == AssignmentState.SIGNED_OFF:
            return "awaiting_acceptance", False
        if self.coordinates:
            return "view", True
        return "none", False


def next_action_labels():
    """{step: label} of SectionPermissions.next_action in the active language: one dict a page,
    not a translation per row."""
    return _next_action_labels(get_language())


@functools.cache
def _next_action_labels(language):
    return {
        "edit": _("Edit"),
        "submit": _("Submit"),
        "sign_off": _("Sign off"),
        "awaiting_sign_off": _("Awaiting sign-off"),
        "accept": _("Accept"),
        "awaiting_acceptance": _("Awaiting acceptance"),
        "view": _("View"),
        "none": "—",
    }

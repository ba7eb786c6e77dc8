"""The domain of Huigao: departments, reports, their sections and measures, assignments."""

import datetime
import functools
from dataclasses import dataclass

import reversion
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from reports import numbering


class Department(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name


class Role(models.TextChoices):
    DRAFTER = "drafter", _("Drafter")
    SIGNER = "signer", _("Signer")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("department"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.DRAFTER)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "department"], name="one_membership_per_department"),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} · {self.department} · {self.get_role_display()}"


class MeasureLayout(models.TextChoices):
    PARAGRAPHS = "paragraphs", _("One paragraph per measure")
    RUN_IN = "run_in", _("Run-in, one paragraph per section")


class ReportQuerySet(models.QuerySet):
    def coordinated_by(self, user):
        """Reports whose lead department the user belongs to (every report for a superuser)."""
        if user.is_superuser:
            return self
        return self.filter(lead_department__memberships__user=user)

    def for_user(self, user):
        """Reports the user may see: coordinated by them or with a section of their department."""
        if user.is_superuser:
            return self
        departments = Department.objects.filter(memberships__user=user)
        return self.filter(
            Q(lead_department__in=departments) | Q(sections__assignment__department__in=departments)
        ).distinct()

    def open(self):
        return self.filter(is_final=False)


class Report(models.Model):
    title = models.CharField(_("title"), max_length=200)
    preamble = models.TextField(_("preamble"), blank=True)
    closing = models.TextField(_("closing"), blank=True)
    issuer = models.CharField(_("issuer"), max_length=100, blank=True)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    # A template's or draft's date often still holds placeholders (2025年12月X日), which no
    # DateField can hold: the text is kept here and printed when issued_on is blank.
    issued_on_text = models.CharField(
        _("date of issue as written"),
        max_length=40,
        blank=True,
        help_text=_("Used when the date is not complete yet, e.g. 2025年12月X日."),
    )
    lead_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="led_reports",
        verbose_name=_("lead department"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    measure_layout = models.CharField(
        _("measure layout"), max_length=12, choices=MeasureLayout, default=MeasureLayout.PARAGRAPHS
    )
    bold_measure_leads = models.BooleanField(_("measure leads in bold"), default=False)
    is_final = models.BooleanField(_("final"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reports:report-detail", args=[self.pk])

    @property
    def issued_on_display(self):
        """The date as the document prints it: 2025年6月9日 (no leading zeros), or as written."""
        if self.issued_on:
            return f"{self.issued_on.year}年{self.issued_on.month}月{self.issued_on.day}日"
        return self.issued_on_text

    def is_coordinator(self, user):
        if not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        # Asked several times a page (access, editing, the workflow panel): once per user per instance.
        if "_coordinators" not in self.__dict__:
            self._coordinators = {}
        if user.pk not in self._coordinators:
            self._coordinators[user.pk] = Membership.objects.filter(
                user=user, department_id=self.lead_department_id
            ).exists()
        return self._coordinators[user.pk]

    # Finalising and reopening: rules in reports/workflow.py, like the section workflow.
    def finalise(self, user):
        from reports import workflow

        return workflow.finalise(self, user)

    def reopen(self, user, reason):
        from reports import workflow

        return workflow.reopen(self, user, reason)

    def outline(self, measures=False):
        """Every section in reading order, numbered, with assignments: a constant number of queries."""
        sections = self.sections.select_related("assignment__department")
        if measures:
            sections = sections.prefetch_related("measures")
        return numbering.number_tree(list(sections))


# A revision of a section holds its measures too, so restoring brings back the whole text.
@reversion.register(follow=["measures"])
class Section(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections", verbose_name=_("report"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent section"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    heading = models.CharField(_("heading"), max_length=200)
    intro = models.TextField(_("intro text"), blank=True)
    # Bumped on every content save; a save carrying an older version is a conflict.
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["report", "parent", "position"])]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return f"{self.label}{self.heading}"

    def get_absolute_url(self):
        return reverse("drafting:section-edit", args=[self.pk])

    # level, number and label are derived. Report.outline() fills them for a whole report
    # at once; on a lone section they are computed from the database on first use.
    @property
    def level(self):
        if "_level" not in self.__dict__:
            level, node = 1, self
            while node.parent_id is not None:
                node = node.parent
                level += 1
            self._level = level
        return self._level

    @level.setter
    def level(self, value):
        self._level = value

    @property
    def number(self):
        if "_number" not in self.__dict__:
            # The siblings' places, ranked here: a plainer query than a COUNT with an OR, and
            # cheaper to build, on a page (the editor) that asks for one label.
            siblings = Section.objects.filter(report_id=self.report_id, parent_id=self.parent_id).values_list(
                "position", "pk"
            )
            self._number = sum(1 for place in siblings if place < (self.position, self.pk)) + 1
        return self._number

    @number.setter
    def number(self, value):
        self._number = value

    @property
    def label(self):
        if "_label" not in self.__dict__:
            self._label = numbering.section_label(min(self.level, numbering.MAX_LEVEL), self.number)
        return self._label

    @label.setter
    def label(self, value):
        self._label = value

    # Who may do what with a section (DESIGN.md's permission table). Views call these
    # through their access helpers; the transition methods check their own rules.
    def member_role(self, user):
        """The user's role in the department this section is assigned to, or None."""
        if not user.is_authenticated or not self.has_assignment:
            return None
        assignment = self.assignment
        if "_member_roles" not in self.__dict__:
            self._member_roles = {}
        if user.pk not in self._member_roles:
            # The report's lead department in the same query when the report is at hand: pages
            # that ask for the role ask whether the user coordinates the report next.
            report = self.report if Section.report.is_cached(self) else None
            departments = {assignment.department_id}
            if report is not None:
                departments.add(report.lead_department_id)
            roles = dict(
                Membership.objects.filter(user=user, department_id__in=departments).values_list("department_id", "role")
            )
            self._member_roles[user.pk] = roles.get(assignment.department_id)
            if report is not None:
                report.__dict__.setdefault("_coordinators", {})[user.pk] = report.lead_department_id in roles
        return self._member_roles[user.pk]

    @property
    def has_assignment(self):
        try:
            return self.assignment is not None
        except Assignment.DoesNotExist:
            return False

    def permissions_for(self, user, **known):
        """What `user` may do with this section (SectionPermissions); asked once per user per instance."""
        if known:
            return SectionPermissions(self, user, **known)
        cache = self.__dict__.setdefault("_permissions", {})
        if user.pk not in cache:
            cache[user.pk] = SectionPermissions(self, user)
        return cache[user.pk]


@reversion.register()
class Measure(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="measures", verbose_name=_("section"))
    position = models.PositiveIntegerField(_("position"), default=0)
    lead = models.CharField(_("lead sentence"), max_length=500, blank=True)
    body = models.TextField(_("body"), blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self):
        return self.lead or self.body[:30]


class MeasureRow:
    """A measure's text without a model instance: pages that read every measure of a large report
    (board, preview, export) spend most of their time building Measure instances otherwise."""

    __slots__ = ("pk", "section_id", "position", "lead", "body", "ordinal")

    def __init__(self, pk, section_id, position, lead, body):
        self.pk, self.section_id, self.position, self.lead, self.body = pk, section_id, position, lead, body


def measures_by_section(sections):
    """{section pk: [MeasureRow, …]} for the given sections, in one query (none if there are none)."""
    by_section = {}
    section_ids = [section.pk for section in sections]
    if section_ids:
        rows = Measure.objects.filter(section_id__in=section_ids)
        for row in rows.values_list("pk", "section_id", "position", "lead", "body"):
            by_section.setdefault(row[1], []).append(MeasureRow(*row))
    return by_section


def numbered_measures(measures):
    """Pair each measure with its ordinal (一是, 二是 …) by rank, whatever positions are stored."""
    ordered = sorted(measures, key=lambda m: (m.position, m.pk or 0))
    for n, measure in enumerate(ordered, start=1):
        measure.ordinal = numbering.measure_ordinal(n)
    return ordered


class AssignmentState(models.TextChoices):
    DRAFT = "draft", _("Drafting")
    SUBMITTED = "submitted", _("Awaiting sign-off")
    SIGNED_OFF = "signed_off", _("Signed off")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for revision")


COMMENT_MAX_LENGTH = 5000
EDITABLE_STATES = (AssignmentState.DRAFT, AssignmentState.RETURNED)


def state_labels():
    """{state: label} in the active language: one dict a page, not get_state_display() per row
    (which rebuilds the choices and translates each label on every call)."""
    return _state_labels(get_language())


@functools.cache
def _state_labels(language):
    return {value: str(label) for value, label in AssignmentState.choices}


# Reminding makes sense while the department still has something to do.
REMINDABLE_STATES = (AssignmentState.DRAFT, AssignmentState.RETURNED, AssignmentState.SUBMITTED)
# While the department still writes or signs, pages show what blocks its sign-off.
GATE_STATES = REMINDABLE_STATES


class TransitionAction(models.TextChoices):
    ASSIGN = "assign", _("Assigned")
    SUBMIT = "submit", _("Submitted")
    WITHDRAW = "withdraw", _("Withdrawn")
    SIGN_OFF = "sign_off", _("Signed off")
    SEND_BACK = "send_back", _("Sent back")
    ACCEPT = "accept", _("Accepted")
    RETURN = "return", _("Returned")
    COMMENT = "comment", _("Commented")
    REMIND = "remind", _("Reminded")
    RESET = "reset", _("Reset to drafting")


# Who may make a move: the department's members, its signers, the report's coordinators, or
# anyone who may see the section (free comments).
MEMBER, SIGNER, COORDINATOR, VIEWER = "member", "signer", "coordinator", "viewer"


@dataclass(frozen=True)
class Rule:
    """One move of the sign-off workflow: from which states, to which, by whom, and its button."""

    sources: tuple
    target: str | None
    who: str
    label: str
    needs_comment: bool = False


_S, _A = AssignmentState, TransitionAction

# The workflow (DESIGN.md): every Assignment transition method checks its move against this.
RULES = {
    _A.SUBMIT: Rule((_S.DRAFT, _S.RETURNED), _S.SUBMITTED, MEMBER, _("Submit for sign-off")),
    _A.WITHDRAW: Rule((_S.SUBMITTED,), _S.DRAFT, MEMBER, _("Withdraw")),
    _A.SIGN_OFF: Rule((_S.SUBMITTED,), _S.SIGNED_OFF, SIGNER, _("Sign off")),
    _A.SEND_BACK: Rule((_S.SUBMITTED,), _S.DRAFT, SIGNER, _("Send back to the drafters"), needs_comment=True),
    _A.ACCEPT: Rule((_S.SIGNED_OFF,), _S.ACCEPTED, COORDINATOR, _("Accept")),
    _A.RETURN: Rule((_S.SIGNED_OFF, _S.ACCEPTED), _S.RETURNED, COORDINATOR, _("Return for revision"), True),
    _A.COMMENT: Rule(tuple(_S), None, VIEWER, _("Add comment"), needs_comment=True),
}


class AssignmentQuerySet(models.QuerySet):
    def for_user(self, user):
        """Assignments of the user's departments (every assignment for a superuser)."""
        if user.is_superuser:
            return self
        return self.filter(department__memberships__user=user)

    def in_open_reports(self):
        return self.filter(section__report__is_final=False)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(deadline__lt=today).exclude(state=AssignmentState.ACCEPTED)

    def due_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.filter(deadline__gte=today, deadline__lte=today + datetime.timedelta(days=days)).exclude(
            state=AssignmentState.ACCEPTED
        )


# Registered so that deleting a section keeps its assignment and log in the deletion's
# revision: restoring the section brings them back too.
@reversion.register(follow=["transitions"])
class Assignment(models.Model):
    State = AssignmentState

    section = models.OneToOneField(
        Section, on_delete=models.CASCADE, related_name="assignment", verbose_name=_("section")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("department")
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    char_limit = models.PositiveIntegerField(_("length limit (characters)"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=AssignmentState, default=AssignmentState.DRAFT)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    last_reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self):
        return f"{self.section} → {self.department}"

    @property
    def is_editable_state(self):
        return self.state in EDITABLE_STATES

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return bool(self.deadline and self.deadline < today and self.state != AssignmentState.ACCEPTED)

    def is_due_soon(self, days=3, today=None):
        today = today or timezone.localdate()
        return bool(
            self.deadline
            and today <= self.deadline <= today + datetime.timedelta(days=days)
            and self.state != AssignmentState.ACCEPTED
        )

    # The sign-off workflow (DESIGN.md). The rules live in reports/workflow.py; each method
    # is atomic, raises PermissionDenied or ValidationError saying why, and changes nothing
    # when it raises. Each returns the AssignmentTransition it recorded.
    @classmethod
    def assign(cls, section, department, user, deadline=None):
        from reports import workflow

        return workflow.assign(section, department, user, deadline=deadline)

    def submit(self, user):
        return self._perform(user, TransitionAction.SUBMIT)

    def withdraw(self, user):
        return self._perform(user, TransitionAction.WITHDRAW)

    def sign_off(self, user):
        return self._perform(user, TransitionAction.SIGN_OFF)

    def send_back(self, user, comment):
        return self._perform(user, TransitionAction.SEND_BACK, comment)

    def accept(self, user):
        return self._perform(user, TransitionAction.ACCEPT)

    def return_to_department(self, user, comment):
        return self._perform(user, TransitionAction.RETURN, comment)

    def comment(self, user, text):
        return self._perform(user, TransitionAction.COMMENT, text)

    def remind(self, user=None, today=None):
        """Remind the department (at most once a day); True if a reminder went out."""
        from reports import workflow

        return workflow.remind(self, user, today=today)

    def allowed_actions(self, user):
        from reports import workflow

        return workflow.allowed_actions(self, user)

    def _perform(self, user, action, comment=""):
        from reports import workflow

        return workflow.perform(self, user, action, comment)


_UNKNOWN = object()


def final_report_error():
    return ValidationError(_("The report is final and read-only. A coordinator must reopen it first."), code="final")


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

    @property
    def is_member(self):
        return bool(self.role)

    @cached_property
    def can_view(self):
        return self.authenticated and (self.is_member or self.coordinates)

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
        return self.is_member or self.coordinates

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

    def next_action(self, chars, placeholders):
        """What the user should do next with the section, as (label, whether it links to the editor)."""
        state = self.assignment.state if self.assignment is not None else None
        if self.is_member and state in EDITABLE_STATES:
            return (_("Edit"), True) if placeholders or not chars else (_("Submit"), True)
        if state == AssignmentState.SUBMITTED and self.role == Role.SIGNER:
            return _("Sign off"), True
        if state == AssignmentState.SUBMITTED and self.is_member:
            return _("Awaiting sign-off"), False
        if state == AssignmentState.SIGNED_OFF and self.coordinates:
            return _("Accept"), True
        if state == AssignmentState.SIGNED_OFF:
            return _("Awaiting acceptance"), False
        if self.coordinates:
            return _("View"), True
        return "—", False


class LogEntry(models.Model):
    """Who did something, when, and what they said: the shape of every log in Huigao."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


@reversion.register()
class AssignmentTransition(LogEntry):
    """The assignment's log: every move between states, and free comments, newest last."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("assignment")
    )
    action = models.CharField(_("action"), max_length=12, choices=TransitionAction)
    from_state = models.CharField(_("from"), max_length=12, choices=AssignmentState, blank=True)
    to_state = models.CharField(_("to"), max_length=12, choices=AssignmentState, blank=True)

    class Meta(LogEntry.Meta):
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")

    def __str__(self):
        return f"{self.get_action_display()} · {self.actor} · {self.created_at:%Y-%m-%d %H:%M}"


class ReportAction(models.TextChoices):
    CREATE = "create", _("Created")
    IMPORT = "import", _("Imported")
    CLONE = "clone", _("Cloned")
    FINALISE = "finalise", _("Finalised")
    REOPEN = "reopen", _("Reopened")
    EXPORT = "export", _("Exported")
    DELETE_SECTION = "delete_section", _("Section deleted")


class ReportEvent(LogEntry):
    """Report-level happenings (finalise, reopen with its reason, import, export …)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events", verbose_name=_("report"))
    action = models.CharField(_("action"), max_length=16, choices=ReportAction)

    class Meta(LogEntry.Meta):
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self):
        return f"{self.get_action_display()} · {self.report}"


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("A section is assigned to my department")
    SUBMITTED = "submitted", _("A section awaits my sign-off")
    SIGNED_OFF = "signed_off", _("A department signed off a section of my report")
    SENT_BACK = "sent_back", _("A section is sent back or returned")
    FINALISED = "finalised", _("A report is finalised or reopened")
    REMINDER = "reminder", _("Deadline reminders (催办)")


class NotificationPreference(models.Model):
    """A kind of e-mail the user turned off (or on again). No row means the e-mail is sent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=NotificationKind)
    enabled = models.BooleanField(_("send e-mail"), default=True)

    class Meta:
        ordering = ["user_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
        ]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {self.enabled}"

    @classmethod
    def disabled_for(cls, kind):
        """User ids that turned this kind off."""
        return cls.objects.filter(kind=kind, enabled=False).values("user_id")

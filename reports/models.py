"""The domain of Huigao: departments, reports, their sections and measures, assignments."""

import datetime
import hashlib
import json
import logging

import reversion
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.models import Revision, Version

from reports import gate, numbering, signals
from reports.permissions import SectionPermissions, final_report_error

# The querysets and row helpers, and the models kept in a module of their own (reports.records),
# imported so that Django registers every model with the app and reports.models names them all.
from reports.queries import AssignmentQuerySet, MeasureRow, ReportQuerySet, measures_by_section  # noqa: F401
from reports.records import (  # noqa: F401
    AssignmentTransition,
    Attachment,
    Comment,
    CoSignature,
    ExportFile,
    ExportFormat,
    ExportState,
    LogEntry,
    NotificationKind,
    NotificationPreference,
    ReportAction,
    ReportEvent,
    SectionTally,
    WordingRule,
    WordingRuleQuerySet,
)
from reports.states import (
    COMMENT_MAX_LENGTH,
    EDITABLE_STATES,
    REMINDABLE_STATES,
    RULES,
    SIGNED_STATES,
    AssignmentState,
    Role,
    TransitionAction,
)
from reports.text import clean_text

logger = logging.getLogger("huigao.workflow")


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


class TableFontSize(models.IntegerChoices):
    """Sizes of a table's text in points, by their Chinese names."""

    SIZE_3 = 16, _("三号 (16 pt, as the body)")
    SMALL_3 = 15, _("小三 (15 pt)")
    SIZE_4 = 14, _("四号 (14 pt)")
    SMALL_4 = 12, _("小四 (12 pt)")


class MeasureLayout(models.TextChoices):
    PARAGRAPHS = "paragraphs", _("One paragraph per measure")
    RUN_IN = "run_in", _("Run-in, one paragraph per section")


class Report(models.Model):
    title = models.CharField(_("title"), max_length=200)
    # 主送机关: printed under the title, flush left, ending in a full-width colon (GB/T 9704 7.3.2).
    addressee = models.CharField(_("addressee"), max_length=200, blank=True)
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
    # 附注, printed in parentheses under the date (GB/T 9704 7.3.6).
    annotation = models.CharField(_("annotation (附注)"), max_length=300, blank=True)
    # The 版记 (7.5): 抄送 and the 印发机关 with its 印发日期, between rules at the foot of the last, even page.
    cc = models.CharField(_("copies to (抄送)"), max_length=500, blank=True)
    printed_by = models.CharField(_("printed by (印发机关)"), max_length=100, blank=True)
    printed_on = models.DateField(_("printed on (印发日期)"), null=True, blank=True)
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
    table_font_size = models.PositiveSmallIntegerField(
        _("table font size"), choices=TableFontSize, default=TableFontSize.SIZE_3
    )
    reconfirm_changes = models.BooleanField(
        _("signers confirm changes made after their sign-off"),
        default=False,
        help_text=_("A section changed after its department signed it off then waits for its signer before 定稿."),
    )
    page_limit = models.PositiveIntegerField(
        _("page limit"), null=True, blank=True, help_text=_("The most pages the report may take (22 lines of 28).")
    )
    comments_block_acceptance = models.BooleanField(
        _("open comments block acceptance"),
        default=False,
        help_text=_("A section with an unresolved comment cannot be accepted."),
    )
    proofreading_blocks_sign_off = models.BooleanField(
        _("proofreading errors block sign-off"),
        default=False,
        help_text=_(
            "Errors the proofreading finds (such as an unpaired quotation mark or bracket) must be "
            "corrected before a section is signed off or the report is final. Warnings never block."
        ),
    )
    departments_see_whole_report = models.BooleanField(
        _("departments may read the whole report"),
        default=False,
        help_text=_("The departments that write its sections may read the other sections too, in the preview."),
    )
    is_final = models.BooleanField(_("final"), default=False)
    # Only a final report is archived: it leaves the list of reports in use but stays reachable.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
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

    # Finalising and reopening: coordinators only, under a lock on the report row.
    def finalise(self, user):
        """Make the report final (read-only) once every section is accepted and nothing is missing."""
        self._check_coordinator(user)
        with transaction.atomic():
            locked = Report.objects.select_for_update().get(pk=self.pk)
            if locked.is_final:
                raise ValidationError(gettext("The report is already final."), code="final")
            # Hold every assignment of the report still while checking them.
            list(Assignment.objects.select_for_update(of=("self",)).filter(section__report=locked).values_list("pk"))
            messages = gate.finalise_problems(locked, WordingRule.objects.in_use())
            if messages:
                raise gate.refusal(gettext("The report cannot be finalised yet:"), messages, code="not_ready")
            locked.is_final = True
            locked.save(update_fields=["is_final", "updated_at"])
            event = ReportEvent.objects.create(report=locked, actor=user, action=ReportAction.FINALISE)
            _send_on_commit(signals.report_lifecycle, sender=Report, report=locked, event=event, actor=user)
        self.is_final = True
        return event

    def reopen(self, user, reason):
        """Make a final report editable again; the reason is recorded and announced."""
        self._check_coordinator(user)
        reason = clean_text(reason or "").strip()
        if not reason:
            raise ValidationError(gettext("Please give a reason for reopening the report."), code="reason_required")
        if len(reason) > COMMENT_MAX_LENGTH:
            raise ValidationError(
                gettext("The note is too long: at most %(max)d characters.") % {"max": COMMENT_MAX_LENGTH},
                code="too_long",
            )
        with transaction.atomic():
            locked = Report.objects.select_for_update().get(pk=self.pk)
            if not locked.is_final:
                raise ValidationError(gettext("The report is not final."), code="not_final")
            locked.is_final = False
            # A reopened report is in use again, so it leaves the archive too.
            locked.archived_at = None
            locked.save(update_fields=["is_final", "archived_at", "updated_at"])
            event = ReportEvent.objects.create(report=locked, actor=user, action=ReportAction.REOPEN, comment=reason)
            _send_on_commit(signals.report_lifecycle, sender=Report, report=locked, event=event, actor=user)
        self.is_final = False
        self.archived_at = None
        return event

    def archive(self, user):
        """Put a final report away: it leaves the reports in use, and stays readable and exportable."""
        self._check_coordinator(user, gettext("Only the coordinators of this report may archive it."))
        with transaction.atomic():
            locked = Report.objects.select_for_update().get(pk=self.pk)
            if not locked.is_final:
                raise ValidationError(gettext("Only a final report can be archived."), code="not_final")
            if locked.archived_at is not None:
                raise ValidationError(gettext("The report is already archived."), code="archived")
            locked.archived_at = timezone.now()
            locked.save(update_fields=["archived_at", "updated_at"])
            event = ReportEvent.objects.create(report=locked, actor=user, action=ReportAction.ARCHIVE)
        self.archived_at = locked.archived_at
        return event

    def unarchive(self, user):
        """Bring an archived report back among the reports in use (still final)."""
        self._check_coordinator(user, gettext("Only the coordinators of this report may archive it."))
        with transaction.atomic():
            locked = Report.objects.select_for_update().get(pk=self.pk)
            if locked.archived_at is None:
                raise ValidationError(gettext("The report is not archived."), code="not_archived")
            locked.archived_at = None
            locked.save(update_fields=["archived_at", "updated_at"])
            event = ReportEvent.objects.create(report=locked, actor=user, action=ReportAction.UNARCHIVE)
        self.archived_at = None
        return event

    @property
    def state_label(self):
        if self.archived_at is not None:
            return gettext("Archived")
        if self.is_final:
            return gettext("Final")
        return gettext("Drafting")

    def _check_coordinator(self, user, message=None):
        if not user.is_authenticated:
            raise PermissionDenied(gettext("Please log in first."))
        if not self.is_coordinator(user):
            raise PermissionDenied(
                message or gettext("Only the coordinators of this report may finalise or reopen it.")
            )

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
    # Last period's counterpart, for a report cloned from it.
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last period's section"),
    )
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

    def co_roles(self, user):
        """{department id: role} of the user in this section's co-departments (会签)."""
        return dict(
            Membership.objects.filter(user=user, department__cosignatures__assignment__section=self).values_list(
                "department_id", "role"
            )
        )

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
    # A table printed after the measure's text (reports/tables.py's format), None when none; a
    # measure may be a table alone, which takes no ordinal.
    table = models.JSONField(_("table"), null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last period's measure"),
    )
    # The figures a clone carried over from last period that the department has not checked yet,
    # as reports.carried.number_keys: a figure edited away leaves the list on the next save.
    carried_numbers = models.JSONField(_("figures to check"), default=list, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self):
        return self.lead or self.body[:30]


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
    # What was signed: the revision of the text and its fingerprint (content.text_hash), so every
    # page can tell whether the text is still the one the department signed.
    signed_revision = models.ForeignKey(
        Revision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed revision"),
    )
    signed_hash = models.CharField(_("fingerprint of the signed text"), max_length=64, blank=True)
    # The fingerprint of the text the signer confirmed after a change (where the report asks).
    confirmed_hash = models.CharField(_("fingerprint of the confirmed text"), max_length=64, blank=True)
    last_reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)
    # What the log says last, kept here for the pages that list hundreds of sections (set with
    # each log entry by `logged`): when an entry was last made, and the note of the send-back
    # (退回起草) or return (退回修改) that was the last move, "" once another move followed.
    logged_at = models.DateTimeField(_("last logged at"), null=True, blank=True, editable=False)
    return_note = models.TextField(_("return note"), blank=True, editable=False)
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
        return self.overdue_on(self.deadline, self.state, today or timezone.localdate())

    def is_due_soon(self, days=3, today=None):
        return self.due_soon_on(self.deadline, self.state, today or timezone.localdate(), days)

    # The same rules from an assignment's values, for pages that list them as rows.
    @staticmethod
    def overdue_on(deadline, state, today):
        return bool(deadline and deadline < today and state != AssignmentState.ACCEPTED)

    @staticmethod
    def due_soon_on(deadline, state, today, days=3):
        return bool(
            deadline
            and today <= deadline <= today + datetime.timedelta(days=days)
            and state != AssignmentState.ACCEPTED
        )

    # The sign-off workflow (DESIGN.md), as Wagtail's TaskState.approve(): each move runs in one
    # transaction that first locks the assignment row (SELECT … FOR UPDATE), so two signers
    # clicking at once make one sign-off (the second finds it no longer submitted). The rules
    # table is reports.states.RULES, asked through the section's permissions object. A refused
    # move raises PermissionDenied (wrong person) or ValidationError (wrong state, missing
    # note, placeholders left, final report) saying why, and changes nothing. Signals go out
    # only after the commit, so an e-mail never announces a move that was rolled back. Each
    # move returns the AssignmentTransition it recorded.
    @classmethod
    def assign(cls, section, department, user, deadline=None):
        """Give an unassigned section to a department; logged, and the department is notified."""
        report = section.report
        if not report.is_coordinator(user):
            raise PermissionDenied(gettext("Only the coordinators of this report may assign sections."))
        with transaction.atomic():
            locked = Section.objects.select_for_update(of=("self",)).select_related("report").get(pk=section.pk)
            if locked.report.is_final:
                raise final_report_error()
            if cls.objects.filter(section=locked).exists():
                raise ValidationError(gettext("The section is assigned already."), code="assigned")
            assignment = cls.objects.create(
                section=locked, department=department, deadline=deadline or locked.report.deadline
            )
            assignment._record(user, TransitionAction.ASSIGN, "", comment=department.name)
        return assignment

    def submit(self, user):
        return self._transition(user, TransitionAction.SUBMIT)

    def withdraw(self, user):
        return self._transition(user, TransitionAction.WITHDRAW)

    def sign_off(self, user):
        return self._transition(user, TransitionAction.SIGN_OFF)

    def send_back(self, user, comment):
        return self._transition(user, TransitionAction.SEND_BACK, comment)

    def accept(self, user):
        return self._transition(user, TransitionAction.ACCEPT)

    def return_to_department(self, user, comment):
        return self._transition(user, TransitionAction.RETURN, comment)

    def comment(self, user, text):
        return self._transition(user, TransitionAction.COMMENT, text)

    def cosign(self, user, comment=""):
        """会签: a co-department's signer agrees to the submitted text (with a comment if any)."""
        return self._transition(user, TransitionAction.COSIGN, comment)

    def confirm_change(self, user):
        """The signer confirms the text as changed after their sign-off."""
        return self._transition(user, TransitionAction.CONFIRM)

    def dispute_change(self, user, comment):
        """The signer objects to a change made after their sign-off, saying why."""
        return self._transition(user, TransitionAction.DISPUTE, comment)

    def reassign(self, user, department, deadline=None):
        """Move the section to another department, which starts from a draft (whatever the first
        one had reached). The log stays: the move is one more entry in it. Returns the entry, or
        None when the department is the same."""
        with transaction.atomic():
            locked = self._locked()
            permissions = locked.section.permissions_for(user)
            if not permissions.coordinates:
                raise PermissionDenied(gettext("Only the coordinators of this report may assign sections."))
            if locked.section.report.is_final:
                raise final_report_error()
            if locked.department_id == department.pk:
                return None
            from_state = locked.state
            locked.department = department
            locked.state = AssignmentState.DRAFT
            locked.signed_off_by, locked.signed_off_at = None, None
            if deadline:
                locked.deadline = deadline
            locked.save(
                update_fields=["department", "state", "signed_off_by", "signed_off_at", "deadline", "updated_at"]
            )
            transition = locked._record(user, TransitionAction.ASSIGN, from_state, comment=department.name)
        self.refresh_from_db()
        return transition

    def remind(self, user=None, today=None):
        """Remind the department of its deadline, at most once a day (`user` None: the daily job).

        True if a reminder went out.
        """
        today = today or timezone.localdate()
        with transaction.atomic():
            locked = self._locked()
            report = locked.section.report
            if user is not None and not report.is_coordinator(user):
                raise PermissionDenied(gettext("Only the coordinators of this report may send reminders."))
            if report.is_final:
                raise final_report_error()
            if locked.state not in REMINDABLE_STATES:
                raise ValidationError(
                    gettext("The department has done its part: there is nothing to remind."), code="state"
                )
            if locked.last_reminded_on == today:
                return False
            locked.last_reminded_on = today
            locked.save(update_fields=["last_reminded_on", "updated_at"])
            locked.logged(
                AssignmentTransition.objects.create(
                    assignment=locked,
                    actor=user,
                    action=TransitionAction.REMIND,
                    from_state=locked.state,
                    to_state=locked.state,
                )
            )
            _send_on_commit(signals.assignment_reminded, sender=Assignment, assignment=locked, actor=user)
        self.refresh_from_db()
        return True

    def allowed_actions(self, user):
        return self.section.permissions_for(user).allowed_actions

    def _locked(self):
        """This assignment, locked for the transaction, with its section and report read after
        the lock (a report finalised meanwhile is seen as final)."""
        locked = Assignment.objects.select_for_update(of=("self",)).select_related("department").get(pk=self.pk)
        locked.section = Section.objects.select_related("report").get(pk=locked.section_id)
        locked.section.assignment = locked
        return locked

    def _transition(self, user, action, comment=""):
        if action not in RULES:
            raise ValidationError(gettext("Unknown action."), code="unknown")
        comment = clean_text(comment or "").strip()
        rule = RULES[action]
        with transaction.atomic():
            locked = self._locked()
            locked.section.permissions_for(user).check(action, comment)
            measures = list(locked.section.measures.all())
            if action == TransitionAction.SIGN_OFF:
                locked._check_sign_off(measures)
            if action == TransitionAction.ACCEPT:
                locked._check_no_open_comments()
            from_state = locked.state
            fields = ["updated_at"]
            if rule.target is not None:
                locked.state = rule.target
                fields.append("state")
            if action == TransitionAction.SIGN_OFF:
                # The pin: exactly what the signer signed, as a revision and its fingerprint.
                locked.signed_off_by, locked.signed_off_at = user, timezone.now()
                locked.signed_revision = _revision_of(locked.section)
                locked.signed_hash = locked.confirmed_hash = fingerprint(locked.section, measures)
                fields += ["signed_off_by", "signed_off_at", "signed_revision", "signed_hash", "confirmed_hash"]
            elif action == TransitionAction.RETURN:
                locked.signed_off_by, locked.signed_off_at = None, None
                fields += ["signed_off_by", "signed_off_at"]
            elif action == TransitionAction.CONFIRM:
                locked.confirmed_hash = fingerprint(locked.section, measures)
                fields.append("confirmed_hash")
            if action == TransitionAction.COSIGN:
                locked._cosign(user, comment)
            elif rule.target == AssignmentState.DRAFT or rule.target == AssignmentState.RETURNED:
                # The text will change: co-departments agree again to what is submitted next.
                locked.cosignatures.update(signed_by=None, signed_at=None, comment="")
            locked.save(update_fields=fields)
            transition = locked._record(user, action, from_state, comment=comment)
        self.refresh_from_db()
        return transition

    def _check_sign_off(self, measures):
        error = gate.sign_off_refusal(self.section, measures, WordingRule.objects.in_use())
        if error is not None:
            raise error
        waiting = [c.department.display_name for c in self.cosignatures.select_related("department") if not c.signed]
        if waiting:
            raise ValidationError(
                gettext("Sign-off refused: %(departments)s must co-sign (会签) first.")
                % {"departments": "、".join(waiting)},
                code="cosign",
            )

    def _check_no_open_comments(self):
        report = self.section.report
        if report.comments_block_acceptance and self.section.comments.filter(resolved_at__isnull=True).exists():
            raise ValidationError(
                gettext("The section has open comments: resolve them before accepting it."), code="open_comments"
            )

    def _cosign(self, user, comment):
        departments = set(user.memberships.filter(role=Role.SIGNER).values_list("department_id", flat=True))
        cosignature = self.cosignatures.filter(department_id__in=departments, signed_at__isnull=True).first()
        cosignature.signed_by, cosignature.signed_at, cosignature.comment = user, timezone.now(), comment
        cosignature.save(update_fields=["signed_by", "signed_at", "comment"])

    def record_change(self, user, reason):
        """Log a change of the signed text (content.save_content calls this inside its lock)."""
        return self._record(user, TransitionAction.CHANGE, self.state, comment=reason)

    def set_co_departments(self, user, departments):
        """The departments that co-sign (会签) before this one signs off; logged."""
        if not self.section.report.is_coordinator(user):
            raise PermissionDenied(gettext("Only the coordinators of this report may assign sections."))
        with transaction.atomic():
            locked = self._locked()
            if locked.section.report.is_final:
                raise final_report_error()
            wanted = {d.pk: d for d in departments if d.pk != locked.department_id}
            existing = set(locked.cosignatures.values_list("department_id", flat=True))
            if set(wanted) == existing:
                return None
            locked.cosignatures.exclude(department_id__in=wanted).delete()
            CoSignature.objects.bulk_create(
                CoSignature(assignment=locked, department=d) for pk, d in wanted.items() if pk not in existing
            )
            names = "、".join(d.name for d in wanted.values()) or gettext("none")
            transition = locked._record(
                user,
                TransitionAction.ASSIGN,
                locked.state,
                comment=gettext("Co-departments (会签): %(names)s") % {"names": names},
            )
        return transition

    def changed_since_sign_off(self, section, measures):
        """Whether the text differs from what the department signed (only once it has signed)."""
        return bool(
            self.state in SIGNED_STATES and self.signed_hash and fingerprint(section, measures) != self.signed_hash
        )

    def awaits_confirmation(self, section, measures):
        """A change after sign-off the signer has not confirmed yet, where the report asks for it."""
        if not (section.report.reconfirm_changes and self.state in SIGNED_STATES and self.signed_hash):
            return False
        current = fingerprint(section, measures)  # hashed once for both comparisons
        return current != self.signed_hash and current != self.confirmed_hash

    def logged(self, transition):
        """Keep what a new entry of the log changes of its summary here (logged_at, return_note)."""
        fields = {"logged_at": transition.created_at}
        if transition.from_state != transition.to_state:
            returned = transition.action in (TransitionAction.SEND_BACK, TransitionAction.RETURN)
            fields["return_note"] = transition.comment if returned else ""
        Assignment.objects.filter(pk=self.pk).update(**fields)
        for name, value in fields.items():
            setattr(self, name, value)

    def _record(self, user, action, from_state, comment=""):
        """Log the move and announce it once the transaction commits."""
        transition = AssignmentTransition.objects.create(
            assignment=self, actor=user, action=action, from_state=from_state, to_state=self.state, comment=comment
        )
        self.logged(transition)
        _send_on_commit(
            signals.assignment_transitioned, sender=Assignment, assignment=self, transition=transition, actor=user
        )
        return transition


def fingerprint(section, measures):
    """The SHA-256 of a section's text (heading, intro, measures in order): what a sign-off pins."""
    ordered = sorted(measures, key=lambda m: (m.position, m.pk or 0))
    # A table joins its measure's entry only when there is one: texts signed before tables
    # existed keep their hashes.
    text = json.dumps(
        [section.heading, section.intro, [[m.lead, m.body, *([m.table] if m.table else [])] for m in ordered]],
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _revision_of(section):
    """The revision holding the section's current text, recorded now if it has none yet."""
    version = Version.objects.get_for_object(section).select_related("revision").first()
    if version is not None and version.field_dict.get("version") == section.version:
        return version.revision
    with reversion.create_revision():
        reversion.set_comment(gettext("Text as signed off"))
        reversion.add_to_revision(section)
    return Version.objects.get_for_object(section).select_related("revision").first().revision


def _send_on_commit(signal, **kwargs):
    def send():
        for receiver, result in signal.send_robust(**kwargs):
            if isinstance(result, Exception):
                logger.error("Signal receiver %r failed", receiver, exc_info=result)

    transaction.on_commit(send)

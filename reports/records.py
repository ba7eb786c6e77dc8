"""What is kept beside the reports and their sections: the log of moves and events, co-signatures
and comments, the office's wording list and notification preferences, attachments, exports and
the sections' tallies. The models refer to the core ones (reports.models) by name, so that this
module imports none of them and reports.models can import it to register them with the app."""

import logging

import reversion
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reports.permissions import final_report_error
from reports.states import (
    COMMENT_MAX_LENGTH,
    AssignmentState,
    TransitionAction,
)
from reports.text import clean_text

logger = logging.getLogger("huigao.workflow")


class Attachment(models.Model):
    """附件: after the signature, each on a page of its own, numbered by position (GB/T 9704 7.4, 8.2).
    The table, if any, is {"header": bool, "rows": [[str, …], …]} (reports/attachments.py)."""

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="attachments", verbose_name=_("report")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    table = models.JSONField(_("table"), null=True, blank=True)
    # Bumped on every save: an edit made on a stale page is refused, not silently overwritten.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title


class SectionTally(models.Model):
    """What the whole-report pages show of a section's text, kept between saves so that they
    read one row a section instead of every text (reports/tallies.py computes and keeps it).

    The text figures hold for the text as it was at `version`; the proofreading counts also
    for the section's `level` and the office's wording list (`wording`, its fingerprint)."""

    section = models.OneToOneField("reports.Section", on_delete=models.CASCADE, primary_key=True, related_name="tally")
    version = models.PositiveIntegerField()
    chars = models.PositiveIntegerField()  # intro and measures, white space not counted
    length = models.PositiveIntegerField()  # intro and measures, line breaks not counted
    placeholders = models.PositiveIntegerField()  # in the intro and measures
    empty_measures = models.PositiveIntegerField()
    lines = models.PositiveIntegerField()  # at 28 characters a line
    fingerprint = models.CharField(max_length=64)
    level = models.PositiveSmallIntegerField()
    wording = models.CharField(max_length=32)
    errors = models.PositiveIntegerField()
    warnings = models.PositiveIntegerField()
    hints = models.PositiveIntegerField()
    # What the rules comparing texts across the report read: counts of each form, and figures.
    compared = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("section tally")
        verbose_name_plural = _("section tallies")

    def __str__(self):
        return f"{self.section_id} @ {self.version}"


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
        "reports.Assignment", on_delete=models.CASCADE, related_name="transitions", verbose_name=_("assignment")
    )
    action = models.CharField(_("action"), max_length=12, choices=TransitionAction)
    from_state = models.CharField(_("from"), max_length=12, choices=AssignmentState, blank=True)
    to_state = models.CharField(_("to"), max_length=12, choices=AssignmentState, blank=True)

    class Meta(LogEntry.Meta):
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")

    def __str__(self):
        return f"{self.get_action_display()} · {self.actor} · {self.created_at:%Y-%m-%d %H:%M}"


@reversion.register()
class CoSignature(models.Model):
    """A co-department of a section (会签): it agrees to the submitted text before the lead
    department signs it off. Unsigned again whenever the text goes back to drafting."""

    assignment = models.ForeignKey(
        "reports.Assignment", on_delete=models.CASCADE, related_name="cosignatures", verbose_name=_("assignment")
    )
    department = models.ForeignKey(
        "reports.Department", on_delete=models.PROTECT, related_name="cosignatures", verbose_name=_("department")
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("co-signed by"),
    )
    signed_at = models.DateTimeField(_("co-signed at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "department"], name="one_cosignature_per_department"),
        ]
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")

    def __str__(self):
        return f"{self.assignment} · {self.department}"

    @property
    def signed(self):
        return self.signed_at is not None


class Comment(models.Model):
    """A comment on a section, on one of its measures, or on a span of a measure's text;
    threaded (replies point to the first comment) and resolvable."""

    section = models.ForeignKey(
        "reports.Section", on_delete=models.CASCADE, related_name="comments", verbose_name=_("section")
    )
    measure = models.ForeignKey(
        "reports.Measure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("measure"),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("reply to")
    )
    # The words the comment is about, as selected in the measure's text.
    quote = models.CharField(_("quoted text"), max_length=500, blank=True)
    text = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return self.text[:40]

    @classmethod
    def add(cls, section, user, text, *, measure=None, quote="", parent=None):
        """A new comment (or a reply) by anyone who may see the section."""
        if not section.permissions_for(user).can_view:
            raise PermissionDenied(
                gettext("Only the department and the report's coordinators may comment on this section.")
            )
        if section.report.is_final:
            raise final_report_error()
        text = clean_text(text or "").strip()
        if not text:
            raise ValidationError(gettext("The comment is empty."), code="comment_required")
        if len(text) > COMMENT_MAX_LENGTH:
            raise ValidationError(
                gettext("The note is too long: at most %(max)d characters.") % {"max": COMMENT_MAX_LENGTH},
                code="too_long",
            )
        if measure is not None and measure.section_id != section.pk:
            raise ValidationError(gettext("That measure is not part of this section."), code="measure")
        if parent is not None:
            if parent.section_id != section.pk:
                raise ValidationError(gettext("That comment is not part of this section."), code="parent")
            parent = parent.parent or parent  # one level of replies
            measure = parent.measure
        quote = " ".join(clean_text(quote or "").split())[:500]
        if quote and measure is not None and quote not in f"{measure.lead}{measure.body}":
            raise ValidationError(gettext("The quoted words are not in the measure's text."), code="quote")
        return cls.objects.create(section=section, measure=measure, parent=parent, quote=quote, text=text, author=user)

    def resolve(self, user):
        """Mark the thread resolved: by its author, the department or the coordinators."""
        permissions = self.section.permissions_for(user)
        if not (permissions.is_member or permissions.coordinates or user.pk == self.author_id):
            raise PermissionDenied(gettext("Only the department and the report's coordinators may resolve comments."))
        root = self.parent or self
        Comment.objects.filter(pk=root.pk).update(resolved_by=user, resolved_at=timezone.now())
        root.refresh_from_db()
        return root


class ReportAction(models.TextChoices):
    CREATE = "create", _("Created")
    IMPORT = "import", _("Imported")
    CLONE = "clone", _("Cloned")
    FINALISE = "finalise", _("Finalised")
    REOPEN = "reopen", _("Reopened")
    ARCHIVE = "archive", _("Archived")
    UNARCHIVE = "unarchive", _("Taken out of the archive")
    EXPORT = "export", _("Exported")
    DELETE_SECTION = "delete_section", _("Section deleted")


class ReportEvent(LogEntry):
    """Report-level happenings (finalise, reopen with its reason, import, export …)."""

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="events", verbose_name=_("report")
    )
    action = models.CharField(_("action"), max_length=16, choices=ReportAction)

    class Meta(LogEntry.Meta):
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self):
        return f"{self.get_action_display()} · {self.report}"


class WordingRuleQuerySet(models.QuerySet):
    def in_use(self):
        """The rules in use as (wrong, right) pairs, the form the proofreading rules take."""
        return list(self.filter(enabled=True).values_list("wrong", "right"))


class WordingRule(models.Model):
    """A wording the office standardises (full names of meetings and documents, 规范表述):
    proofreading flags every exact occurrence of `wrong` and offers `right`."""

    wrong = models.CharField(_("wrong form"), max_length=100, unique=True)
    right = models.CharField(_("right form"), max_length=100)
    note = models.CharField(_("note"), max_length=200, blank=True)
    enabled = models.BooleanField(_("in use"), default=True)

    objects = WordingRuleQuerySet.as_manager()

    class Meta:
        ordering = ["wrong"]
        verbose_name = _("wording rule")
        verbose_name_plural = _("wording rules")

    def __str__(self):
        return f"{self.wrong} → {self.right}"


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("A section is assigned to my department")
    SUBMITTED = "submitted", _("A section awaits my sign-off")
    SIGNED_OFF = "signed_off", _("A department signed off a section of my report")
    ACCEPTED = "accepted", _("The coordinating office accepted a section of my department")
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


class ExportFormat(models.TextChoices):
    DOCX = "docx", "DOCX"
    PDF = "pdf", "PDF"


class ExportState(models.TextChoices):
    PENDING = "pending", _("Being generated")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ExportFile(models.Model):
    """An export built by the worker, kept in the database so whichever app server the
    download reaches can serve it; deleted once it expires (reports/exporting.py)."""

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="export_files", verbose_name=_("report")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat)
    draft = models.BooleanField(_("draft for comments"), default=False)
    state = models.CharField(_("state"), max_length=8, choices=ExportState, default=ExportState.PENDING)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    content = models.BinaryField(_("content"), null=True, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    # Set on a DOCX kept for reuse (reports/exporting.py, docx_content): the fingerprint of
    # everything it shows. Empty on the exports users ask the worker for.
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export file")
        verbose_name_plural = _("export files")

    def __str__(self):
        return self.file_name or f"{self.report_id} · {self.format}"

    def get_absolute_url(self):
        return reverse("reports:export-status", args=[self.pk])

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

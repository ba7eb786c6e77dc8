"""The recurring filters of reports and assignments, and measures read as bare rows: what the
pages ask of the database again and again, kept apart from the models they filter."""

import datetime

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from reports.states import AssignmentState


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
        departments = apps.get_model("reports", "Department").objects.filter(memberships__user=user)
        # EXISTS, not a join: a join returns a row per section of the report, which DISTINCT then
        # has to sort to give the report once.
        theirs = apps.get_model("reports", "Section").objects.filter(
            report=models.OuterRef("pk"), assignment__department__in=departments
        )
        return self.filter(Q(lead_department__in=departments) | Q(models.Exists(theirs)))

    def open(self):
        return self.filter(is_final=False)

    def final(self):
        """Final and still in use: not archived."""
        return self.filter(is_final=True, archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)


class MeasureRow:
    """A measure's text without a model instance: pages that read every measure of a large report
    (board, preview, export) spend most of their time building Measure instances otherwise."""

    __slots__ = ("pk", "section_id", "position", "lead", "body", "carried_numbers", "table", "ordinal")

    def __init__(self, pk, section_id, position, lead, body, carried_numbers=(), table=None):
        self.pk, self.section_id, self.position, self.lead, self.body = pk, section_id, position, lead, body
        self.carried_numbers = carried_numbers
        self.table = table


def measures_by_section(sections, carried=True, report=None):
    """{section pk: [MeasureRow, …]} for the given sections, in one query (none if there are none).
    carried=False leaves out the figures carried from last period (decoding them is a JSON parse
    a measure) for readers that do not show them (the report walk). `report`: the sections are
    all of that report's, so the query names the report rather than each section (hundreds of
    parameters to bind, and a list as long for the database to plan)."""
    by_section = {}
    section_ids = [section.pk for section in sections]
    if section_ids:
        rows = apps.get_model("reports", "Measure").objects.all()
        rows = rows.filter(section__report=report) if report is not None else rows.filter(section_id__in=section_ids)
        if carried:
            fields = ("pk", "section_id", "position", "lead", "body", "carried_numbers", "table")
            for row in rows.values_list(*fields):
                by_section.setdefault(row[1], []).append(MeasureRow(*row))
        else:
            for pk, section_id, position, lead, body, table in rows.values_list(
                "pk", "section_id", "position", "lead", "body", "table"
            ):
                by_section.setdefault(section_id, []).append(
                    MeasureRow(pk, section_id, position, lead, body, (), table)
                )
    return by_section


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

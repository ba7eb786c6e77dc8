"""Remind departments of sections due within N days or overdue (for cron, e.g. daily at 8:30).

Each section is reminded at most once a day, however often this runs (Assignment.last_reminded_on).
The e-mails themselves are sent by drafting/notifications.py on the `assignment_reminded` signal.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.models import Assignment
from reports.states import REMINDABLE_STATES


class Command(BaseCommand):
    help = "E-mail departments whose sections are due within --days days or overdue (once a day per section)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="Remind of deadlines this many days ahead (3).")

    def handle(self, *args, days, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        today = timezone.localdate()
        open_assignments = Assignment.objects.in_open_reports().filter(state__in=REMINDABLE_STATES)
        due = (open_assignments.due_within(days, today) | open_assignments.overdue(today)).exclude(
            last_reminded_on=today
        )
        sent = 0
        for assignment in due.order_by("deadline", "pk"):
            try:
                if assignment.remind(None, today=today):
                    sent += 1
            except ValidationError:
                continue  # finalised or moved on since the query: nothing to remind
        self.stdout.write(f"Sent {sent} reminder(s).")

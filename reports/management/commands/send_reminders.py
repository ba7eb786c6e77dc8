"""Remind departments of sections due within N days or overdue, now.

The worker (`db_worker`) does this every day at HUIGAO_REMINDER_TIME; this command is for a
cron job instead (with HUIGAO_REMINDER_TIME empty) or for reminding at once. Each section is
reminded at most once a day, however often this runs (Assignment.last_reminded_on). The
e-mails are queued by drafting/notifications.py on the `assignment_reminded` signal.
"""

from django.core.management.base import BaseCommand, CommandError

from reports.tasks import remind_due_sections


class Command(BaseCommand):
    help = "E-mail departments whose sections are due within --days days or overdue (once a day per section)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="Remind of deadlines this many days ahead (3).")

    def handle(self, *args, days, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        sent = remind_due_sections(days)
        self.stdout.write(f"Sent {sent} reminder(s).")

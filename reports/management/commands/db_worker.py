"""python manage.py db_worker: django-tasks-db's worker, plus Huigao's schedule.

Beside the worker loop a scheduler thread runs reports.tasks.schedule_due_tasks every few
seconds (the heartbeat /health/ looks for, the daily reminders, deleting old results). Run one
worker or several, on any machine that reaches the database (README.md, "Deployment").
"""

import logging
import os
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from reports.tasks import schedule_due_tasks

logger = logging.getLogger("huigao.tasks")


def run_schedule(stop):
    while not stop.is_set():
        try:
            close_old_connections()
            schedule_due_tasks()
        except Exception:
            # The database may be away for a moment; the next round tries again.
            logger.exception("The worker's schedule failed")
        finally:
            connection.close()
        stop.wait(max(1, settings.HUIGAO_HEARTBEAT_SECONDS / 3))


class Command(db_worker.Command):
    help = "Run background tasks (e-mail, reminders) from the database, and keep Huigao's schedule."

    def handle(self, *args, **options):
        # Under --reload the first process only watches files; the child it starts works.
        reloading = options["reload"] and not options["batch"]
        if options["batch"]:
            schedule_due_tasks()
        elif not reloading or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            threading.Thread(target=run_schedule, args=(threading.Event(),), name="schedule", daemon=True).start()
        super().handle(*args, **options)

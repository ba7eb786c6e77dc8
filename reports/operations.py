"""What an operator watches: /health/ for the load balancer, and the figures on the admin's
运行状态 page (queued and failed tasks, failed e-mail, the worker's last heartbeat).

The admin site is Huigao's own only to add that page and its entry on the admin index.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from reports.text import minute_label


def _age(moment, now):
    return None if moment is None else max(0, int((now - moment).total_seconds()))


def worker_state(now=None):
    """The worker's figures from the task table; None when tasks run at once (no worker)."""
    from reports import tasks

    if not tasks.uses_worker():
        return None
    now = now or timezone.now()
    results = tasks.task_results()
    last_task = results.finished().exclude(task_path=tasks.heartbeat.module_path).order_by("-finished_at").first()
    heartbeat = tasks.last_heartbeat()
    heartbeat_age = _age(heartbeat, now)
    return {
        "heartbeat_age": heartbeat_age,
        "alive": heartbeat_age is not None and heartbeat_age <= settings.HUIGAO_WORKER_TIMEOUT,
        "last_task_age": _age(last_task.finished_at if last_task else None, now),
        "results": results,
    }


@require_safe
def health(request):
    """200 `ok` while the database answers and the worker runs tasks; 503 with the reasons."""
    problems, lines = [], []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        worker = worker_state()
    except DatabaseError as error:
        problems.append(f"database: unreachable ({type(error).__name__})")
    else:
        lines.append("database: reachable")
        if worker is None:
            lines.append("worker: none, tasks run at once")
        else:
            heartbeat = worker["heartbeat_age"]
            if not worker["alive"]:
                problems.append(
                    "worker: no heartbeat yet" if heartbeat is None else f"worker: silent for {heartbeat} s"
                )
            else:
                lines.append(f"worker: heartbeat {heartbeat} s ago")
            last = worker["last_task_age"]
            lines.append("last task: none yet" if last is None else f"last task: finished {last} s ago")
    body = "\n".join(["unhealthy" if problems else "ok", *problems, *lines]) + "\n"
    response = HttpResponse(body, content_type="text/plain; charset=utf-8", status=503 if problems else 200)
    response["Cache-Control"] = "no-store"
    return response


def _duration(seconds):
    if seconds is None:
        return _("never")
    if seconds < 120:
        return _("%(n)d seconds ago") % {"n": seconds}
    if seconds < 7200:
        return _("%(n)d minutes ago") % {"n": seconds // 60}
    return _("%(n)d hours ago") % {"n": seconds // 3600}


def operations_rows(now=None):
    """The figures of the 运行状态 page, as (label, value, warn) rows, and the failed tasks."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import get_date_max

    from reports import tasks

    now = now or timezone.now()
    worker = worker_state(now)
    if worker is None:
        return [(_("Worker"), _("None: tasks run inside the request (TASKS_IMMEDIATE)"), False)], []
    results = worker["results"]
    mail = results.filter(task_path=tasks.send_mail.module_path)
    ready = results.filter(status=TaskResultStatus.READY)
    # A task queued to run as soon as possible has the backend's far-future run_after.
    waiting = ready.filter(run_after__gt=now).exclude(run_after=get_date_max())
    next_reminders = ready.filter(task_path=tasks.send_reminders.module_path).order_by("run_after").first()
    failed_mail = mail.filter(status=TaskResultStatus.FAILED).count()
    due = ready.count() - waiting.count()
    rows = [
        (_("Worker"), _("running") if worker["alive"] else _("not running"), not worker["alive"]),
        (_("Last heartbeat"), _duration(worker["heartbeat_age"]), not worker["alive"]),
        (_("Last task finished"), _duration(worker["last_task_age"]), False),
        (_("Tasks due now"), due, due > 100),
        (_("Tasks running"), results.filter(status=TaskResultStatus.RUNNING).count(), False),
        (
            _("E-mails waiting to be retried"),
            waiting.filter(task_path=tasks.send_mail.module_path).count(),
            False,
        ),
        (_("E-mails that could not be sent"), failed_mail, failed_mail > 0),
        (_("Other failed tasks"), results.filter(status=TaskResultStatus.FAILED).count() - failed_mail, False),
        (
            _("Next reminders"),
            minute_label(next_reminders.run_after) if next_reminders else _("none"),
            False,
        ),
    ]
    failed = [
        {
            "finished_at": minute_label(result.finished_at),
            "task": result.task_name,
            "error": (result.traceback.strip().splitlines() or [""])[-1][:300],
            "url": reverse("admin:django_tasks_database_dbtaskresult_change", args=[result.pk]),
        }
        for result in results.filter(status=TaskResultStatus.FAILED).order_by("-finished_at")[:20]
    ]
    return rows, failed


class HuigaoAdminSite(admin.AdminSite):
    def get_urls(self):
        return [path("operations/", self.admin_view(self.operations_view), name="operations"), *super().get_urls()]

    def operations_view(self, request):
        if not request.user.is_superuser:
            raise PermissionDenied
        rows, failed = operations_rows()
        context = {**self.each_context(request), "title": _("Operations"), "rows": rows, "failed": failed}
        return TemplateResponse(request, "admin/operations.html", context)

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if app_label is None and request.user.is_superuser:
            url = reverse("admin:operations", current_app=self.name)
            entry = {"name": _("Operations"), "object_name": "operations", "admin_url": url, "view_only": True}
            app_list.insert(
                0,
                {
                    "name": _("Operations"),
                    "app_label": "operations",
                    "app_url": url,
                    "has_module_perms": True,
                    "models": [{**entry, "name": _("Tasks and e-mail"), "perms": {"view": True}}],
                },
            )
        return app_list


class HuigaoAdminConfig(AdminConfig):
    default_site = "reports.operations.HuigaoAdminSite"
    verbose_name = gettext_lazy("Administration")

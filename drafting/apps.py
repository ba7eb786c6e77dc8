from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "drafting"
    verbose_name = _("Department drafting")

    def ready(self):
        from drafting import comparison_docx, notifications
        from reports import docx_export, signals
        from reports.models import Assignment, Report

        signals.assignment_transitioned.connect(
            notifications.on_transition, sender=Assignment, dispatch_uid="drafting.notify.transition"
        )
        signals.assignment_reminded.connect(
            notifications.on_reminder, sender=Assignment, dispatch_uid="drafting.notify.reminder"
        )
        docx_export.EXPORTERS["comparison"] = comparison_docx.exporter
        signals.report_lifecycle.connect(
            notifications.on_report_lifecycle, sender=Report, dispatch_uid="drafting.notify.report"
        )

from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoginProtectionConfig(AxesConfig):
    """django-axes, named in Chinese in the admin (settings name it instead of "axes")."""

    # Two app configs live here: Django takes the one marked default for "reports".
    default = False
    verbose_name = _("Login protection")


class ReportsConfig(AppConfig):
    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from django.contrib.auth import signals
        from django.db.models.signals import post_save

        from reports import logs, tallies
        from reports.models import AssignmentTransition, Measure, ReportEvent, Section

        signals.user_logged_in.connect(logs.log_login, dispatch_uid="huigao-log-login")
        signals.user_logged_out.connect(logs.log_logout, dispatch_uid="huigao-log-logout")
        signals.user_login_failed.connect(logs.log_login_failed, dispatch_uid="huigao-log-login-failed")
        post_save.connect(logs.log_transition, sender=AssignmentTransition, dispatch_uid="huigao-log-transition")
        post_save.connect(logs.log_report_event, sender=ReportEvent, dispatch_uid="huigao-log-report-event")
        post_save.connect(tallies.drop, sender=Section, dispatch_uid="huigao-drop-section-tally")
        post_save.connect(tallies.drop, sender=Measure, dispatch_uid="huigao-drop-measure-tally")

"""E-mail and inbox notifications, written when the workflow's signals arrive (after the move committed).

The messages are written here, in the request, and sent by a background task
(reports.tasks.send_mail): a save never waits for the mail server, and a failed send is retried.

Who hears of what: whoever has the next step, or whose work the move concerns. A new
assignment goes to the department's members, a submission to its signers, a sign-off to the
report's coordinators, an acceptance to the department's members, a send-back or return to the
department's drafters, finalising and reopening to everyone on the report, reminders to the
department's members. Nobody is told of their own move, and each user can turn each kind off
(reports.NotificationPreference, edited on drafting:notification-settings).

Each e-mail has its twin in the recipient's inbox (drafting.Notification), written in the same
step for the same people, so the two never disagree; a user without an e-mail address still
finds it in the inbox.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from drafting.links import absolute_url, section_page_url
from drafting.models import Notification
from reports.models import NotificationKind, NotificationPreference, ReportAction, Role, TransitionAction
from reports.tasks import send_mail

logger = logging.getLogger("huigao.notifications")


def _users():
    return get_user_model().objects.filter(is_active=True)


def department_members(department, role=None):
    if role is None:
        return _users().filter(memberships__department=department)
    return _users().filter(memberships__department=department, memberships__role=role)


def report_coordinators(report):
    return _users().filter(memberships__department_id=report.lead_department_id)


def report_people(report):
    """Coordinators and the members of every department with a section in the report."""
    return _users().filter(
        Q(memberships__department_id=report.lead_department_id)
        | Q(memberships__department__assignments__section__report=report)
    )


def send(kind, users, subject, body, actor=None, url=""):
    """Write the inbox notifications and queue one e-mail per recipient (nobody sees the others'
    addresses, the e-mail ends with the link); returns how many e-mails."""
    users = users.exclude(pk__in=NotificationPreference.disabled_for(kind))
    if actor is not None and actor.is_authenticated:
        users = users.exclude(pk=actor.pk)
    recipients = dict(users.values_list("pk", "email"))
    Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=kind, title=subject, body=body.strip(), url=url) for pk in sorted(recipients)
    )
    addresses = sorted({address for address in recipients.values() if address})
    if not addresses:
        return 0
    mail_body = _body(body.rstrip("\n"), "", absolute_url(url)) if url else body
    messages = [{"to": address, "subject": subject, "body": mail_body} for address in addresses]
    try:
        send_mail.enqueue(str(kind), messages)
    except Exception:
        # The move has committed: a failure to queue its e-mail must not turn it into an error page.
        logger.exception("Could not queue %s notifications", kind)
        return 0
    return len(messages)


def _who(user):
    if user is None:
        return _("Huigao")
    return user.get_full_name() or user.username


def _section_title(section):
    return f"{section.label}{section.heading}"


def _body(*lines):
    return "\n".join(line for line in lines if line is not None) + "\n"


def on_transition(sender, assignment, transition, actor, **kwargs):
    section = assignment.section
    report = section.report
    department = assignment.department
    with translation.override(settings.LANGUAGE_CODE):
        names = {"section": _section_title(section), "department": department.display_name}
        recipients = {
            TransitionAction.ASSIGN: (NotificationKind.ASSIGNED, department_members(department)),
            TransitionAction.SUBMIT: (NotificationKind.SUBMITTED, department_members(department, Role.SIGNER)),
            TransitionAction.SIGN_OFF: (NotificationKind.SIGNED_OFF, report_coordinators(report)),
            TransitionAction.ACCEPT: (NotificationKind.ACCEPTED, department_members(department)),
            TransitionAction.SEND_BACK: (NotificationKind.SENT_BACK, department_members(department, Role.DRAFTER)),
            TransitionAction.RETURN: (NotificationKind.SENT_BACK, department_members(department, Role.DRAFTER)),
        }
        subjects = {
            TransitionAction.ASSIGN: _("[Huigao] New section for %(department)s: %(section)s"),
            TransitionAction.SUBMIT: _("[Huigao] Awaiting your sign-off: %(section)s"),
            TransitionAction.SIGN_OFF: _("[Huigao] Signed off by %(department)s: %(section)s"),
            TransitionAction.ACCEPT: _("[Huigao] Accepted by the coordinating office: %(section)s"),
            TransitionAction.SEND_BACK: _("[Huigao] Sent back by your signer: %(section)s"),
            TransitionAction.RETURN: _("[Huigao] Returned by the coordinating office: %(section)s"),
        }
        if transition.action not in recipients:
            return
        kind, users = recipients[transition.action]
        deadline = (
            _("Deadline: %(date)s") % {"date": date_format(assignment.deadline, "Y年n月j日")}
            if assignment.deadline
            else None
        )
        body = _body(
            report.title,
            _section_title(section),
            f"{_who(actor)} · {transition.get_action_display()} · "
            f"{date_format(timezone.localtime(transition.created_at), 'Y-m-d H:i')}",
            (_("Note: %(comment)s") % {"comment": transition.comment})
            if transition.comment and transition.action != TransitionAction.ASSIGN
            else None,
            deadline,
        )
        send(kind, users, subjects[transition.action] % names, body, actor, section_page_url(section))


def on_reminder(sender, assignment, actor, **kwargs):
    section = assignment.section
    with translation.override(settings.LANGUAGE_CODE):
        names = {"section": _section_title(section)}
        if assignment.is_overdue():
            subject = _("[Huigao] Overdue: %(section)s") % names
        else:
            subject = _("[Huigao] Reminder: %(section)s is due soon") % names
        body = _body(
            section.report.title,
            _section_title(section),
            _("State: %(state)s") % {"state": assignment.get_state_display()},
            (_("Deadline: %(date)s") % {"date": date_format(assignment.deadline, "Y年n月j日")})
            if assignment.deadline
            else None,
            _("Reminder sent by %(who)s.") % {"who": _who(actor)},
        )
        send(
            NotificationKind.REMINDER,
            department_members(assignment.department),
            subject,
            body,
            actor,
            section_page_url(section),
        )


def on_report_lifecycle(sender, report, event, actor, **kwargs):
    with translation.override(settings.LANGUAGE_CODE):
        if event.action == ReportAction.FINALISE:
            subject = _("[Huigao] Report finalised: %(report)s") % {"report": report.title}
        else:
            subject = _("[Huigao] Report reopened: %(report)s") % {"report": report.title}
        body = _body(
            report.title,
            f"{_who(actor)} · {event.get_action_display()}",
            (_("Reason: %(reason)s") % {"reason": event.comment}) if event.comment else None,
        )
        send(NotificationKind.FINALISED, report_people(report), subject, body, actor, report.get_absolute_url())

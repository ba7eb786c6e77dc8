"""The workflow's pages on the department side: the transition buttons' target, a read-only
section page that carries the workflow panel, and the notification settings."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from drafting.links import section_page_url
from reports.access import get_section_for_viewer
from reports.models import NotificationKind, NotificationPreference, TransitionAction
from reports.numbering import numbered_measures
from reports.states import RULES
from reports.view_helpers import local_next, show_refusal


def section_review(request, pk):
    section = get_section_for_viewer(request, pk)
    measures = numbered_measures(section.measures.all())
    return render(
        request,
        "drafting/section_review.html",
        {
            "section": section,
            "report": section.report,
            "measures": measures,
            "edit_url": section_page_url(section, request.user)
            if section.permissions_for(request.user).can_edit
            else None,
            "is_coordinator": section.report.is_coordinator(request.user),
        },
    )


# The URL's action name → the Assignment method it calls (DESIGN.md's interface).
ACTIONS = {
    TransitionAction.SUBMIT: lambda a, user, comment: a.submit(user),
    TransitionAction.WITHDRAW: lambda a, user, comment: a.withdraw(user),
    TransitionAction.SIGN_OFF: lambda a, user, comment: a.sign_off(user),
    TransitionAction.SEND_BACK: lambda a, user, comment: a.send_back(user, comment),
    TransitionAction.ACCEPT: lambda a, user, comment: a.accept(user),
    TransitionAction.RETURN: lambda a, user, comment: a.return_to_department(user, comment),
    TransitionAction.COMMENT: lambda a, user, comment: a.comment(user, comment),
}


def _next_url(request, section):
    return local_next(request, section_page_url(section, request.user))


@require_POST
def section_action(request, pk, action):
    section = get_section_for_viewer(request, pk)
    if action not in ACTIONS or not section.has_assignment:
        raise Http404
    try:
        ACTIONS[action](section.assignment, request.user, request.POST.get("comment", ""))
    except (PermissionDenied, ValidationError) as error:
        # The sign-off refusal lists every placeholder; the panel shows them again with links.
        show_refusal(request, error)
    else:
        if action == TransitionAction.COMMENT:
            messages.success(request, _("Your comment is added."))
            return redirect(_next_url(request, section))
        messages.success(
            request,
            _("%(action)s: done. The section is now “%(state)s”.")
            % {"action": RULES[action].label, "state": section.assignment.get_state_display()},
        )
    return redirect(_next_url(request, section))


class NotificationSettingsForm(forms.Form):
    """One checkbox per kind of e-mail; unchecked means "do not send me this"."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        disabled = set(NotificationPreference.objects.filter(user=user, enabled=False).values_list("kind", flat=True))
        for kind in NotificationKind:
            self.fields[kind.value] = forms.BooleanField(
                label=kind.label, required=False, initial=kind.value not in disabled
            )


def notification_settings(request):
    form = NotificationSettingsForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        for kind in NotificationKind:
            NotificationPreference.objects.update_or_create(
                user=request.user, kind=kind.value, defaults={"enabled": form.cleaned_data[kind.value]}
            )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("drafting:notification-settings")
    return render(
        request,
        "drafting/notification_settings.html",
        {"form": form, "has_email": bool(request.user.email)},
    )

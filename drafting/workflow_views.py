"""The workflow's pages on the department side: the transition buttons' target, a read-only
section page that carries the workflow panel, and the notification settings."""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from drafting.forms import int_or
from drafting.links import section_page_url
from drafting.marks import marked, marked_table
from reports import gate, proofread
from reports.access import get_section_for_viewer
from reports.models import (
    Comment,
    Measure,
    NotificationKind,
    NotificationPreference,
    WordingRule,
    measures_by_section,
)
from reports.numbering import numbered_measures
from reports.permissions import final_report_error
from reports.states import RULES, AssignmentState, TransitionAction, state_labels
from reports.text import minute_label
from reports.view_helpers import local_next, show_refusal

# The sign-off gate's list stays open up to this many lines, and is folded (<details>) beyond.
GATE_LINES_OPEN = 3


@dataclass(frozen=True)
class ThreadEntry:
    action: str
    action_label: str
    at: datetime.datetime
    who: str
    moved: tuple | None  # (from label, to label) when the state changed
    comment: str


def _thread(assignment):
    """Notes, comments and the timeline, oldest first, with their words looked up once."""
    actions = {value: str(label) for value, label in TransitionAction.choices}
    states = state_labels()
    entries = []
    for entry in assignment.transitions.select_related("actor"):
        moved = None
        if entry.from_state and entry.to_state and entry.from_state != entry.to_state:
            moved = (states.get(entry.from_state, entry.from_state), states.get(entry.to_state, entry.to_state))
        entries.append(
            ThreadEntry(
                action=entry.action,
                action_label=actions.get(entry.action, entry.action),
                at=timezone.localtime(entry.created_at),
                who=(entry.actor.get_full_name() or entry.actor.username) if entry.actor else "",
                moved=moved,
                comment=entry.comment if entry.action != TransitionAction.ASSIGN else "",
            )
        )
    return entries


def gate_problems(section, permissions, measures, marks):
    """What blocks sign-off, and what the proofreading asks the signer to look at, listed while
    the department writes or signs.

    `marks` are the page's texts (heading, intro, measures), already split at their placeholders
    (drafting.marks): the gate's own scan, which words each placeholder, runs only when there is
    one to word, an empty measure or a figure carried from last period (pages that do not mark
    those in their texts still list them). The proofreading reads every text of the section once.
    """
    if not permissions.shows_gate:
        return []
    problems = []
    placeholders = any(text.pairs for text in marks)
    empty = not all(m.lead.strip() or m.body.strip() or m.table for m in measures)
    if placeholders or empty or any(m.carried_numbers for m in measures):
        problems = gate.section_problems(section, measures)
    return problems + gate.proofreading_problems(section, measures, WordingRule.objects.in_use())


# The note field's label for each move that takes one; 会签 takes an optional one.
def _comment_labels():
    return {
        TransitionAction.DISPUTE: _("Your objection (required): what is wrong with the change"),
        TransitionAction.COSIGN: _("Comment (optional)"),
    }


def _cosignatures(assignment):
    """The co-departments (会签) in order, each with whether and by whom it has co-signed."""
    rows = []
    for cosignature in assignment.cosignatures.select_related("department", "signed_by"):
        who = cosignature.signed_by
        rows.append(
            {
                "department": cosignature.department.display_name,
                "signed": cosignature.signed,
                "who": (who.get_full_name() or who.username) if who else "",
                "at": timezone.localtime(cosignature.signed_at) if cosignature.signed_at else None,
                "comment": cosignature.comment,
            }
        )
    return rows


def workflow_panel(request, section, problems, measures=None):
    """What the workflow panel shows (drafting/_workflow_panel.html): the state, the moves the
    user may make, what blocks sign-off (`problems`, from gate_problems), the co-departments and
    who still has to co-sign, whether the text changed after sign-off, the thread.

    `measures`: the section's measures when the page has them already."""
    permissions = section.permissions_for(request.user)
    assignment = permissions.assignment
    panel = {"section": section, "assignment": assignment, "next": request.get_full_path()}
    if assignment is None:
        return panel
    allowed = permissions.allowed_actions
    if measures is None:
        measures = list(section.measures.all())
    thread = _thread(assignment)
    changed = assignment.changed_since_sign_off(section, measures)
    # The reason given with the latest change after sign-off (the editor's note).
    change_reason = next((e.comment for e in reversed(thread) if e.action == TransitionAction.CHANGE), "")
    # What the department is asked to change: the note of a send-back or return that was the
    # last move (as reports.models.return_note), shown by the state rather than deep in the thread.
    last_move = next((e for e in reversed(thread) if e.moved), None)
    returned = last_move is not None and last_move.action in (TransitionAction.SEND_BACK, TransitionAction.RETURN)
    cosignatures = _cosignatures(assignment)
    labels = _comment_labels()
    signed = assignment.state in (AssignmentState.SIGNED_OFF, AssignmentState.ACCEPTED) and assignment.signed_off_by_id
    page = section_page_url(section, request.user) if problems else ""
    severities = proofread.SEVERITY_LABELS
    own = [problem for problem in problems if problem.blocking and problem.severity is None]
    panel.update(
        state_label=state_labels()[assignment.state],
        department=assignment.department.display_name,
        overdue=assignment.is_overdue(),
        signer=(assignment.signed_off_by.get_full_name() or assignment.signed_off_by.username) if signed else "",
        actions=[
            {
                "action": action,
                "label": str(RULES[action].label),
                "explanation": str(RULES[action].explanation),
                # Why the button cannot act now ("" when it can): shown beside it, disabled.
                "refusal": permissions.action_refusal(action, problems),
                "needs_comment": RULES[action].needs_comment,
                "takes_comment": RULES[action].needs_comment or action == TransitionAction.COSIGN,
                "comment_label": labels.get(action, _("Note (required): what needs to change")),
            }
            for action in permissions.offered_actions
        ],
        can_comment=TransitionAction.COMMENT in allowed,
        # The gate's own problems one line per place; a long list folds away so that the text
        # stays in view, a short one stays open.
        problems=[{"message": group.message, "url": f"{page}#{group.anchor}"} for group in gate.grouped(own)],
        problems_collapsed=len({(p.anchor, p.where) for p in own}) > GATE_LINES_OPEN,
        placeholder_count=sum(1 for problem in own if problem.placeholder),
        empty_count=sum(1 for problem in own if problem.is_empty_measure),
        proofreading_blockers=[
            _problem_row(page, problem) for problem in problems if problem.blocking and problem.severity is not None
        ],
        warnings=[_problem_row(page, problem, severities) for problem in problems if not problem.blocking],
        cosignatures=cosignatures,
        cosign_waiting="、".join(row["department"] for row in cosignatures if not row["signed"]),
        changed_after_sign_off=changed,
        change_reason=change_reason,
        return_note=last_move.comment if returned else "",
        return_by=last_move.who if returned else "",
        awaits_confirmation=changed and permissions.awaits_confirmation,
        thread=thread,
    )
    return panel


def _problem_row(page, problem, severities=None):
    row = {"message": problem.message, "url": f"{page}#{problem.anchor}"}
    if severities is not None:
        row.update(severity=problem.severity, severity_label=severities[problem.severity])
    return row


def _name(user):
    return (user.get_full_name() or user.username) if user else ""


def comment_threads(section, user, measures):
    """The section's comment threads, oldest first, each with its replies: one query.

    `measures` are the numbered measures, for the ordinal a thread on a measure shows."""
    permissions = section.permissions_for(user)
    may_resolve_any = permissions.is_member or permissions.coordinates
    ordinals = {m.pk: m.ordinal for m in measures}
    threads, replies = [], {}
    for comment in section.comments.select_related("author", "resolved_by"):
        row = {
            "pk": comment.pk,
            "text": comment.text,
            "quote": comment.quote,
            "author": _name(comment.author),
            "at": timezone.localtime(comment.created_at),
            "measure": ordinals.get(comment.measure_id, ""),
            "measure_pk": comment.measure_id,
        }
        if comment.parent_id is not None:
            replies.setdefault(comment.parent_id, []).append(row)
            continue
        row.update(
            resolved=comment.resolved_at is not None,
            resolved_by=_name(comment.resolved_by),
            resolved_at=timezone.localtime(comment.resolved_at) if comment.resolved_at else None,
            can_resolve=comment.resolved_at is None and (may_resolve_any or comment.author_id == user.pk),
        )
        threads.append(row)
    for thread in threads:
        thread["replies"] = replies.get(thread["pk"], [])
    return threads


def open_threads_by_measure(section, user, measures, page_url):
    """Each measure's open comment threads for the editor's cards, {measure pk: [thread, …]}, with
    the review page's thread link and what the inline reply and resolve forms need."""
    writable = not section.report.is_final
    by_measure = {}
    for thread in comment_threads(section, user, measures):
        if thread["resolved"] or thread["measure_pk"] is None:
            continue
        thread.update(
            url=_review_url(section, f"comment-{thread['pk']}"),
            at_text=minute_label(thread["at"]),
            can_reply=writable,
            can_resolve=writable and thread["can_resolve"],
            next=f"{page_url}#measure-{thread['measure_pk']}",
        )
        by_measure.setdefault(thread["measure_pk"], []).append(thread)
    return by_measure


def _comments(request, section, measures):
    """What the comments partial shows (drafting/_comments.html)."""
    return {
        "threads": comment_threads(section, request.user, measures),
        "can_add": not section.report.is_final,
        "add_url": reverse("drafting:section-comment-add", args=[section.pk]),
        "measures": [{"pk": m.pk, "label": f"{m.ordinal}{m.lead}"} for m in measures],
    }


def _all_rows(table):
    return [*([table["header"]] if table["header"] else []), *table["rows"]]


def section_review(request, pk):
    section = get_section_for_viewer(request, pk)
    measures = numbered_measures(measures_by_section([section]).get(section.pk, []))
    permissions = section.permissions_for(request.user)
    heading = marked(section.heading)
    intro_lines = [marked(line) for line in section.intro.splitlines() if line.strip()]
    shown = [
        {
            "pk": m.pk,
            "ordinal": m.ordinal,
            "lead": marked(m.lead),
            "body": marked(m.body),
            "has_text": bool(m.lead.strip() or m.body.strip()),
            "table": marked_table(m.table),
            "empty": not (m.lead.strip() or m.body.strip() or m.table),
        }
        for m in measures
    ]
    texts = [heading, *intro_lines, *(m["lead"] for m in shown), *(m["body"] for m in shown)]
    texts += [cell for m in shown if m["table"] for row in _all_rows(m["table"]) for cell in row]
    problems = gate_problems(section, permissions, measures, texts)
    return render(
        request,
        "drafting/section_review.html",
        {
            "section": section,
            "report": section.report,
            "heading": heading,
            "intro_lines": intro_lines,
            "measures": shown,
            "edit_url": section_page_url(section, request.user) if permissions.can_edit else None,
            "is_coordinator": permissions.coordinates,
            "panel": workflow_panel(request, section, problems, measures),
            "comments": _comments(request, section, measures),
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
    TransitionAction.COSIGN: lambda a, user, comment: a.cosign(user, comment),
    TransitionAction.CONFIRM: lambda a, user, comment: a.confirm_change(user),
    TransitionAction.DISPUTE: lambda a, user, comment: a.dispute_change(user, comment),
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
            % {"action": RULES[action].label, "state": state_labels()[section.assignment.state]},
        )
    return redirect(_next_url(request, section))


def _review_url(section, anchor="comments"):
    return reverse("drafting:section-review", args=[section.pk]) + f"#{anchor}"


@require_POST
def comment_add(request, pk):
    """A new comment (on the section, a measure, or words quoted from it) or a reply."""
    section = get_section_for_viewer(request, pk)
    measure_pk = int_or(request.POST.get("measure"), None)
    parent_pk = int_or(request.POST.get("parent"), None)
    # Looked up in this section only: another section's measure or comment is simply not there.
    measure = Measure.objects.filter(section=section, pk=measure_pk).first() if measure_pk else None
    parent = Comment.objects.filter(section=section, pk=parent_pk).first() if parent_pk else None
    if (measure_pk and measure is None) or (parent_pk and parent is None):
        messages.error(request, _("That measure or comment is not part of this section."))
        return redirect(local_next(request, _review_url(section)))
    try:
        comment = Comment.add(
            section,
            request.user,
            request.POST.get("text", ""),
            measure=measure,
            quote=request.POST.get("quote", ""),
            parent=parent,
        )
    except (PermissionDenied, ValidationError) as error:
        show_refusal(request, error)
        return redirect(local_next(request, _review_url(section)))
    messages.success(request, _("Your comment is added."))
    # The editor's inline reply comes back to the editor, at the measure.
    return redirect(local_next(request, _review_url(section, f"comment-{comment.parent_id or comment.pk}")))


@require_POST
def comment_resolve(request, pk, comment_pk):
    section = get_section_for_viewer(request, pk)
    comment = get_object_or_404(Comment, pk=comment_pk, section=section)
    try:
        if section.report.is_final:
            raise final_report_error()
        comment.resolve(request.user)
    except (PermissionDenied, ValidationError) as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The comment is resolved."))
    return redirect(local_next(request, _review_url(section, f"comment-{comment.parent_id or comment.pk}")))


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

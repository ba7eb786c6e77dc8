"""The department-facing pages: my sections, the section editor, paste-split and revisions."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from drafting.diffs import compare, count_changes
from drafting.forms import (
    MAX_MEASURES,
    MEASURE_PREFIX,
    MeasureFormSet,
    PasteForm,
    SectionForm,
    arrange_measures,
    int_or,
    measure_initial,
)
from drafting.last_period import last_period
from drafting.marks import Marked, marked, marked_table
from drafting.models import Notification
from drafting.workflow_views import gate_problems, open_threads_by_measure, workflow_panel
from reports import carried, content, numbering, tables, tallies
from reports.access import get_section_for_viewer
from reports.carried import marked_numbers
from reports.models import Assignment, Department, Measure, Membership, Report, Section, measures_by_section
from reports.numbering import numbered_measures
from reports.permissions import SectionPermissions, can_read_whole_report, next_action_labels
from reports.splitting import join_measure
from reports.states import state_labels
from reports.text import char_count, short_date

User = get_user_model()


def _forbidden(request, section, message, **context):
    """The page for a change the user may not make now: why, and their text when they sent one."""
    return render(request, "drafting/forbidden.html", {"section": section, "message": message, **context}, status=403)


# My sections ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardRow:
    """One section on the dashboard, everything the row shows computed once per page."""

    section_pk: int
    label: str
    heading: str
    department: str
    state: str
    state_label: str
    deadline: str
    overdue: bool
    due_soon: bool
    edited_by: str
    edited_at: str
    placeholders: int
    chars: int
    char_limit: int | None
    over_limit: bool
    action: str
    action_url: str | None
    # The heading links to the editor for the department's members and whoever has a next step.
    heading_url: str | None
    # What the signer or the coordinating office asked to change, while the section is back with its drafters.
    return_note: str


@dataclass
class DashboardGroup:
    report: Report
    coordinates: bool
    rows: list = field(default_factory=list)
    # The whole report's preview, for a department the office lets read it (coordinators reach
    # it from the report's page).
    preview_url: str | None = None


def _outline_rows(reports, parents):
    """(report_id, pk, parent_id, position) of the sections places_of needs to number the rows
    of these reports, whose sections hang under `parents`: the siblings on the way up from each,
    not whole outlines (a large report has thousands)."""
    if not reports:
        return []
    sections = Section.objects.order_by()  # places_of sorts siblings itself
    columns = ("report_id", "pk", "parent_id", "position")
    # Every path ends among the top-level sections; below, the siblings of each row's section.
    rows = list(
        sections.filter(Q(report_id__in=reports, parent_id=None) | Q(parent_id__in=parents - {None})).values_list(
            *columns
        )
    )
    seen = {pk for _report, pk, _parent, _position in rows}
    missing = {parent for _report, _pk, parent, _position in rows if parent is not None and parent not in seen}
    # Deeper sections: one query a level (an outline has at most a handful), never one a section.
    while missing:
        more = list(
            sections.filter(parent_id__in=Section.objects.filter(pk__in=missing).values("parent_id")).values_list(
                *columns
            )
        )
        rows += more
        seen.update(pk for _report, pk, _parent, _position in more)
        missing = {parent for _report, _pk, parent, _position in more if parent is not None and parent not in seen}
    return rows


# What a dashboard row reads of an assignment, its section, department and last editor: values,
# not five model instances a row.
_DASHBOARD_COLUMNS = (
    "section_id",
    "section__report_id",
    "section__parent_id",
    "section__heading",
    "section__intro",
    "section__updated_at",
    "section__updated_by_id",
    "section__updated_by__username",
    "section__updated_by__first_name",
    "section__updated_by__last_name",
    "department_id",
    "department__name",
    "department__short_name",
    "state",
    "deadline",
    "char_limit",
    "section__version",
    "section__tally__version",
    "section__tally__chars",
    "section__tally__placeholders",
    "return_note",
)


def dashboard(request):
    user = request.user
    # The user's role in each of their departments: a handful of rows, read once, so that the
    # queries below compare with a list of ids rather than run a subquery a row.
    roles = dict(Membership.objects.filter(user=user).values_list("department_id", "role"))
    mine = list(roles)
    assignments = Assignment.objects.in_open_reports().order_by()
    if not user.is_superuser:
        assignments = assignments.filter(Q(department_id__in=mine) | Q(section__report__lead_department_id__in=mine))
    rows = list(assignments.values_list(*_DASHBOARD_COLUMNS))
    # The group headings: the reports of the rows and those the user coordinates (which may
    # have no assigned section yet), whether the user coordinates each, and the navigation's
    # unread count, in one query.
    reports = Report.objects.open()
    if not user.is_superuser:
        reports = reports.filter(Q(pk__in={row[1] for row in rows}) | Q(lead_department_id__in=mine))
    unread = Notification.objects.for_user(user).unread().order_by().values("recipient_id")
    reports = reports.annotate(unread=Subquery(unread.annotate(n=Count("pk")).values("n")))
    reports = {report.pk: report for report in reports}
    for report in reports.values():
        report.coordinated = report.lead_department_id in roles
    coordinated = [pk for pk, report in reports.items() if user.is_superuser or report.coordinated]
    # Each section's characters and placeholders, from its tally.
    counted = tallies.of_sections((row[0], row[16], row[17], row[18], row[19], row[3], row[4]) for row in rows)
    place = numbering.places_of(_outline_rows({row[1] for row in rows}, {row[2] for row in rows}), counted)

    states = state_labels()
    overdue_word, soon_word = _("overdue"), _("due soon")
    actions = next_action_labels()
    today = timezone.localdate()
    sections_url = reverse("drafting:sections")
    zone = timezone.get_current_timezone()
    # Names through the models' own methods, once per department and editor, not once a row.
    departments, editors = {}, {}
    groups = {}
    for (
        section_pk,
        report_pk,
        _parent,
        heading,
        _intro,
        updated_at,
        editor_pk,
        username,
        first_name,
        last_name,
        department_pk,
        department_name,
        short_name,
        state,
        deadline,
        limit,
        *_tally,
        note,
    ) in rows:
        report = reports.get(report_pk)
        if report is None:  # made final, or new, since the reports were read
            continue
        role = roles.get(department_pk)
        coordinates = user.is_superuser or report.coordinated
        chars, placeholders = counted[section_pk]
        permissions = SectionPermissions.listed(user, report=report, state=state, role=role, coordinates=coordinates)
        action, links = permissions.next_action(chars, placeholders, actions)
        order, label = place.get(section_pk, ((), ""))
        # sections/<pk>/ under the one base URL (drafting/urls.py), reversed once a page.
        edit_url = f"{sections_url}{section_pk}/" if links or role else None
        overdue = Assignment.overdue_on(deadline, state, today)
        due_soon = not overdue and Assignment.due_soon_on(deadline, state, today)
        deadline_text = ""
        if deadline:
            deadline_text = short_date(deadline, today)
            if overdue or due_soon:
                deadline_text = f"{deadline_text} {overdue_word if overdue else soon_word}"
        if department_pk not in departments:
            departments[department_pk] = Department(name=department_name, short_name=short_name).display_name
        if editor_pk is not None and editor_pk not in editors:
            editor = User(username=username, first_name=first_name, last_name=last_name)
            editors[editor_pk] = editor.get_full_name() or editor.username
        edited_at = timezone.localtime(updated_at, zone) if updated_at else None
        row = DashboardRow(
            section_pk=section_pk,
            label=label,
            heading=heading,
            department=departments[department_pk],
            state=state,
            state_label=states.get(state, state),
            deadline=deadline_text,
            overdue=overdue,
            due_soon=due_soon,
            edited_by=editors.get(editor_pk, ""),
            edited_at=f"{short_date(edited_at, today)} {edited_at:%H:%M}" if edited_at else "",
            placeholders=placeholders,
            chars=chars,
            char_limit=limit,
            over_limit=bool(limit and chars > limit),
            action=action,
            action_url=edit_url if links else None,
            heading_url=edit_url,
            return_note=note or "",
        )
        group = groups.get(report_pk)
        if group is None:
            preview_url = None
            if not coordinates and can_read_whole_report(report, user, coordinates):
                preview_url = reverse("reports:report-preview", args=[report_pk])
            group = groups[report_pk] = DashboardGroup(report, coordinates, preview_url=preview_url)
        group.rows.append((order, row))
    for pk in coordinated:
        groups.setdefault(pk, DashboardGroup(reports[pk], True))
    ordered = sorted(groups.values(), key=lambda g: (g.report.created_at, g.report.pk), reverse=True)
    for group in ordered:
        group.rows = [row for _order, row in sorted(group.rows, key=lambda item: item[0])]
    context = {"groups": ordered}
    if reports:
        context["unread_notifications"] = next(iter(reports.values())).unread or 0
    return render(request, "drafting/dashboard.html", context)


# The section editor ---------------------------------------------------------------------


@dataclass(frozen=True)
class ShownMeasure:
    """A measure's text as the editor shows it (after its ordinal), split once for its marks."""

    pk: int | None
    ordinal: str
    text: str
    marked: Marked
    chars: int
    carried: tuple = ()  # the keys of its figures carried from last period (reports.carried)
    table: dict | None = None  # drafting.marks.marked_table

    @classmethod
    def of(cls, pk, ordinal, lead, body, carried=(), table=None):
        text = join_measure(lead or "", body or "")
        return cls(pk, ordinal, text, marked(text, carried), char_count(text), tuple(carried), marked_table(table))


def _card_texts(formset, measures):
    """Each measure form's text and ordinal (deleted measures have none), once per page.

    Unbound forms hold the measures as saved: their texts are the ones the counts and the
    sign-off gate read, so they are split once for all three.
    """
    if not formset.is_bound:
        for form, measure in zip(formset.forms, measures, strict=True):
            form.deleted, form.card = False, measure
        return
    n = 0
    for form in formset.forms:
        form.deleted = str(form["DELETE"].value()).lower() in {"on", "true", "1"}
        # A table alone takes no ordinal.
        table_only = (form["table"].value() or "").strip() and not (form["lead"].value() or form["body"].value())
        numbered = not (form.deleted or table_only)
        if numbered:
            n += 1
        ordinal = numbering.measure_ordinal(min(n, numbering.MAX_NUMBER)) if numbered else ""
        form.card = ShownMeasure.of(None, ordinal, form["lead"].value(), form["body"].value())


def _card_extras(formset, threads, previous):
    """Each card's open comments and last period's counterpart (by the measure it edits)."""
    for form in formset.forms:
        pk = int_or(form["id"].value(), None)
        form.comments = threads.get(pk, []) if pk else []
        form.previous = previous.counterpart(pk, form.card.text) if previous and not form.deleted else None


def _read_only_rows(texts, threads, previous):
    return [
        {
            "measure": text,
            "comments": threads.get(text.pk, []),
            "previous": previous.counterpart(text.pk, text.text) if previous else None,
        }
        for text in texts
    ]


def _editor(request, section, form=None, formset=None, status=200, **context):
    measures = numbered_measures(measures_by_section([section]).get(section.pk, []))
    texts = [ShownMeasure.of(m.pk, m.ordinal, m.lead, m.body, m.carried_numbers, m.table) for m in measures]
    intro = marked(section.intro)
    table_marks = [marked(cell) for cell in tables.measure_cells(measures)]
    # tallies.counts' sums, from the texts split above rather than a second scan of each.
    chars = char_count(section.intro) + sum(char_count(m.lead) + char_count(m.body) for m in measures)
    chars += sum(char_count(cell) for cell in tables.measure_cells(measures))
    placeholders = intro.placeholders + sum(text.marked.placeholders for text in texts)
    placeholders += sum(mark.placeholders for mark in table_marks)
    permissions = section.permissions_for(request.user)
    can_edit = permissions.can_edit
    heading_editable = permissions.can_edit_heading
    if can_edit and form is None:
        form = SectionForm(
            initial={"heading": section.heading, "intro": section.intro, "version": section.version},
            heading_editable=heading_editable,
        )
        formset = MeasureFormSet(initial=measure_initial(measures), prefix=MEASURE_PREFIX)
    page_url = reverse("drafting:section-edit", args=[section.pk])
    threads = open_threads_by_measure(section, request.user, measures, page_url)
    previous = last_period(section)
    if formset is not None:
        _card_texts(formset, texts)
        _card_extras(formset, threads, previous)
    char_limit = section.assignment.char_limit if section.has_assignment else None
    marks = [marked(section.heading), intro, *(text.marked for text in texts), *table_marks]
    problems = gate_problems(section, permissions, measures, marks)
    context = {
        "section": section,
        "report": section.report,
        "measures": texts,
        # The read-only text, paragraph by paragraph.
        "intro_lines": None if can_edit else [marked(line) for line in section.intro.splitlines() if line],
        "can_edit": can_edit,
        "heading_editable": heading_editable,
        "form": form,
        "formset": formset,
        # The card a new measure starts from (the page's script copies it).
        "empty_forms": [formset.empty_form] if formset is not None else [],
        "intro_marked": marked(form["intro"].value()) if form is not None and form.is_bound else intro,
        "paste_form": PasteForm(initial={"version": section.version}) if can_edit else None,
        "chars": chars,
        "placeholders": placeholders,
        "char_limit": char_limit,
        "over_limit": bool(char_limit and chars > char_limit),
        "read_only_reason": None if can_edit else permissions.edit_refusal,
        "carried_rows": _carried_rows(measures, texts) if permissions.shows_gate else [],
        "can_confirm_figures": can_edit,
        "whole_report_url": reverse("reports:report-preview", args=[section.report_id])
        if can_read_whole_report(section.report, request.user, permissions.coordinates)
        else None,
        "panel": workflow_panel(request, section, problems),
        # Open comments beside their measures, and last period's text on request.
        "editor_threads": [thread for group in threads.values() for thread in group],
        "read_only_measures": None if can_edit else _read_only_rows(texts, threads, previous),
        "last_period": previous,
        **context,
    }
    return render(request, "drafting/section_edit.html", context, status=status)


def _carried_rows(measures, texts):
    """The measures with figures carried from last period still to check, each figure once with
    the words before it, for the editor's 已核对 list."""
    rows = []
    for measure, text in zip(measures, texts, strict=True):
        figures = marked_numbers(text.text, measure.carried_numbers)
        if figures:
            rows.append(
                {
                    "ordinal": measure.ordinal,
                    "anchor": f"measure-{measure.pk}",
                    "url": reverse("drafting:measure-confirm-figures", args=[measure.pk]),
                    "figures": [
                        {"text": f.text, "key": f.key, "before": text.text[max(0, f.start - 8) : f.start]}
                        for f in figures
                    ],
                }
            )
    return rows


@require_POST
def measure_confirm_figures(request, pk):
    """已核对: one carried figure (its key posted) or all of a measure's are confirmed as current."""
    measure = get_object_or_404(Measure.objects.only("pk", "section_id"), pk=pk)
    section = get_section_for_viewer(request, measure.section_id)
    key = request.POST.get("key") or None
    try:
        carried.confirm(measure, request.user, key=key[:200] if key else None)
    except PermissionDenied as refusal:
        return _forbidden(request, section, str(refusal))
    if key:
        messages.success(request, _("The figure was confirmed as current."))
    else:
        messages.success(request, _("The figures of this measure were confirmed as current."))
    return redirect(reverse("drafting:section-edit", args=[section.pk]) + "#carried-figures")


def _submitted_snapshot(section, form, formset):
    data = form.cleaned_data
    return content.Snapshot(data.get("heading", section.heading), data["intro"], tuple(formset.measure_texts()))


def _raw_snapshot(section, post):
    """What the user sent, even when it does not validate: shown so that nothing is lost."""
    data = arrange_measures(post)
    measures = []
    # int_or: not a number, or one of thousands of digits (which Python refuses to parse), is none.
    for index in range(min(int_or(data.get(f"{MEASURE_PREFIX}-TOTAL_FORMS"), 0), MAX_MEASURES)):
        lead = data.get(f"{MEASURE_PREFIX}-{index}-lead", "")
        body = data.get(f"{MEASURE_PREFIX}-{index}-body", "")
        try:
            table = tables.parse_tsv(data.get(f"{MEASURE_PREFIX}-{index}-table", ""))
        except tables.TableError:
            table = None  # too large to keep: what it was is no text a comparison can show
        if (lead or body or table) and not data.get(f"{MEASURE_PREFIX}-{index}-DELETE"):
            measures.append(content.MeasureText(None, lead, body, table))
    return content.Snapshot(post.get("heading", section.heading), post.get("intro", ""), tuple(measures))


def section_edit(request, pk):
    section = get_section_for_viewer(request, pk)
    if request.method != "POST":
        return _editor(request, section)
    permissions = section.permissions_for(request.user)
    if not permissions.can_edit:
        # Refused before any comparison: a diff of what an attacker sends must cost nothing here.
        return _forbidden(request, section, permissions.edit_refusal, mine=_raw_snapshot(section, request.POST))

    data = arrange_measures(
        request.POST, move=request.POST.get("move"), add="add" in request.POST, add_table=request.POST.get("add_table")
    )
    heading_editable = section.permissions_for(request.user).can_edit_heading
    form = SectionForm(data, heading_editable=heading_editable)
    formset = MeasureFormSet(data, prefix=MEASURE_PREFIX)
    if "move" in request.POST or "add" in request.POST or "add_table" in request.POST:
        # Rearranging without JavaScript: show the new order, save nothing yet.
        return _editor(request, section, form, formset, rearranged=True)
    if not (form.is_valid() and formset.is_valid()):
        messages.error(request, _("Nothing was saved: please correct the marked fields."))
        return _editor(request, section, form, formset, status=400)

    try:
        saved = content.save_content(
            section,
            request.user,
            expected_version=form.expected_version,
            heading=form.cleaned_data.get("heading"),
            intro=form.cleaned_data["intro"],
            measures=formset.measure_texts(),
            note=form.cleaned_data["note"],
        )
    except content.VersionConflict as conflict:
        return _conflict(request, conflict.section, form, formset)
    except PermissionDenied as refusal:
        # The section was submitted (or the report finalised) between the page and the save.
        return _forbidden(request, section, str(refusal), mine=_submitted_snapshot(section, form, formset))
    except ValidationError as error:
        if error.code != "reason_required":
            raise
        # A signed-off text changes only with its reason: the form keeps the user's text.
        form.add_error("note", error)
        messages.error(request, _("Nothing was saved: please correct the marked fields."))
        return _editor(request, section, form, formset, status=400)
    messages.success(request, _("Saved. This is version %(version)d.") % {"version": saved.version})
    _warn_over_limit(request, section, saved)
    return redirect("drafting:section-edit", pk=section.pk)


def _warn_over_limit(request, section, saved):
    """A length limit is advice from the coordinating office: saving is allowed, with a warning."""
    limit = section.assignment.char_limit if section.has_assignment else None
    chars, _placeholders = tallies.counts(saved, saved.measures.all())
    if limit and chars > limit:
        messages.warning(
            request,
            _("The section has %(chars)d characters, %(over)d over its limit of %(limit)d.")
            % {"chars": chars, "over": chars - limit, "limit": limit},
        )


def _conflict(request, current, form, formset):
    """Someone saved first: both texts side by side, the user's kept in the form.

    The form still carries the version the user started from, so a plain second 保存 is refused
    again; only ticking "overwrite" saves, and only over the version shown here."""
    section = get_section_for_viewer(request, current.pk)
    mine = _submitted_snapshot(section, form, formset)
    rows = compare(content.snapshot(section), mine)
    # Saved again, without the choice, over the very version the last conflict showed.
    repeated = form.cleaned_data.get("seen_version") == section.version
    data = form.data.copy()
    data["seen_version"] = str(section.version)
    data.pop("overwrite", None)
    heading_editable = section.permissions_for(request.user).can_edit_heading
    form = SectionForm(data, heading_editable=heading_editable)
    formset = MeasureFormSet(data, prefix=MEASURE_PREFIX)
    return _editor(request, section, form, formset, status=409, conflict_rows=rows, conflict_repeated=repeated)


# Paste to split -------------------------------------------------------------------------


@require_POST
def section_paste(request, pk):
    section = get_section_for_viewer(request, pk)
    permissions = section.permissions_for(request.user)
    if not permissions.can_edit:
        return _forbidden(request, section, permissions.edit_refusal)
    current = content.snapshot(section).measures
    form = PasteForm(request.POST, existing=len(current))
    context = {"section": section, "report": section.report, "form": form, "current_count": len(current)}
    if not form.is_valid():
        return render(request, "drafting/section_paste.html", context, status=400)
    pasted = form.measure_texts()
    # Appended measures are numbered on from the current ones; the version check below refuses
    # the save if the current ones changed since the page was shown.
    first = len(current) + 1 if form.appends else 1
    measures = [*current, *pasted] if form.appends else pasted
    context["split"] = form.split
    context["appends"] = form.appends
    context["numbered"] = [(numbering.measure_ordinal(n), m) for n, m in enumerate(pasted, start=first)]
    if "confirm" not in request.POST:
        return render(request, "drafting/section_paste.html", context)
    use_intro = form.cleaned_data["replace_intro"] and form.split.intro
    try:
        saved = content.save_content(
            section,
            request.user,
            expected_version=form.cleaned_data["version"],
            intro=form.split.intro if use_intro else None,
            measures=measures,
            note=_("Measures appended from pasted text") if form.appends else _("Measures replaced by pasted text"),
        )
    except PermissionDenied as refusal:
        return _forbidden(
            request,
            section,
            str(refusal),
            mine=content.Snapshot(section.heading, form.split.intro or "", tuple(measures)),
        )
    except content.VersionConflict as conflict:
        data = request.POST.copy()
        data["version"] = str(conflict.section.version)
        context["form"] = form = PasteForm(data, existing=conflict.section.measures.count())
        form.is_valid()
        context["stale"] = conflict.section
        return render(request, "drafting/section_paste.html", context, status=409)
    if form.appends:
        message = _("%(count)d measures were appended, version %(version)d.")
    else:
        message = _("The measures were replaced: %(count)d measures, version %(version)d.")
    messages.success(request, message % {"count": len(pasted), "version": saved.version})
    return redirect("drafting:section-edit", pk=section.pk)


# Revisions ------------------------------------------------------------------------------


def section_history(request, pk):
    section = get_section_for_viewer(request, pk)
    versions = list(content.revisions(section))
    for version in versions:
        version.section_version = version.field_dict.get("version")
    return render(
        request,
        "drafting/section_history.html",
        {
            "section": section,
            "report": section.report,
            "versions": versions,
            "can_edit": section.permissions_for(request.user).can_edit,
        },
    )


def _version_of(section, value):
    try:
        return content.revisions(section).get(pk=int(value))
    except (TypeError, ValueError, content.Version.DoesNotExist) as error:
        raise Http404 from error


def _version_title(version):
    saved_at = timezone.localtime(version.revision.date_created).strftime("%Y-%m-%d %H:%M:%S")
    return _("Version %(version)s (%(when)s)") % {"version": version.field_dict.get("version", "?"), "when": saved_at}


def section_compare(request, pk):
    """Two revisions (`a` older, `b` newer; without `b`, the current text) measure by measure."""
    section = get_section_for_viewer(request, pk)
    old = _version_of(section, request.GET.get("a"))
    if request.GET.get("b"):
        new = _version_of(section, request.GET["b"])
        new_snapshot = content.snapshot_of_version(new)
    else:
        new, new_snapshot = None, content.snapshot(section)
    rows = compare(content.snapshot_of_version(old), new_snapshot)
    return render(
        request,
        "drafting/section_compare.html",
        {
            "section": section,
            "report": section.report,
            "old": old,
            "old_title": _version_title(old),
            "new_title": _version_title(new) if new else _("Now"),
            "rows": rows,
            "changes": count_changes(rows),
            "can_edit": section.permissions_for(request.user).can_edit,
        },
    )


@require_POST
def section_restore(request, pk, version_pk):
    section = get_section_for_viewer(request, pk)
    version = _version_of(section, version_pk)
    permissions = section.permissions_for(request.user)
    if not permissions.can_edit:
        return _forbidden(request, section, permissions.edit_refusal)
    try:
        saved = content.restore(section, request.user, version, with_heading=permissions.can_edit_heading)
    except PermissionDenied as refusal:
        return _forbidden(request, section, str(refusal))
    messages.success(request, _("The earlier text was restored as version %(version)d.") % {"version": saved.version})
    return redirect("drafting:section-edit", pk=section.pk)

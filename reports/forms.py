"""Forms of the coordinator's pages: they validate and normalise; views copy and save."""

import re
from collections import Counter

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports import tables
from reports.models import Department, Report, Section
from reports.numbering import MAX_LEVEL, MAX_NUMBER
from reports.search import MAX_QUERY_CHARS
from reports.text import chinese_date, full_width_punctuation, one_line, text_block

MAX_TEXT = 50_000


def _too_many_siblings():
    # Labels are numbered up to MAX_NUMBER (九千九百九十九、): one more could not be numbered.
    return ValidationError(
        _("At most %(max)d sections can stand side by side at one level."),
        code="too_many_sections",
        params={"max": MAX_NUMBER},
    )


def _clean_long(value, field_name):
    value = text_block(value)
    if len(value) > MAX_TEXT:
        raise ValidationError(
            _("%(field)s is too long (at most %(max)d characters)."),
            code="too_long",
            params={"field": field_name, "max": MAX_TEXT},
        )
    return value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReportForm(forms.ModelForm):
    """The report's frame: everything but the outline."""

    class Meta:
        model = Report
        fields = [
            "title",
            "addressee",
            "lead_department",
            "preamble",
            "closing",
            "issuer",
            "issued_on",
            "deadline",
            "measure_layout",
            "bold_measure_leads",
            "proofreading_blocks_sign_off",
            "departments_see_whole_report",
            "table_font_size",
            "annotation",
            "cc",
            "printed_by",
            "printed_on",
        ]
        widgets = {
            "preamble": forms.Textarea(attrs={"rows": 4}),
            "closing": forms.Textarea(attrs={"rows": 3}),
            "issued_on": DateInput(),
            "printed_on": DateInput(),
            "deadline": DateInput(),
            "measure_layout": forms.RadioSelect(),
        }
        help_texts = {
            "addressee": _("主送机关, e.g. 县委办公室 (printed under the title, ending in a full-width colon)."),
            "preamble": _("One paragraph per line."),
            "issued_on": _("Leave blank while the date is not fixed."),
            "table_font_size": _("Tables in the exported document are set in the body font (仿宋) at this size."),
            "annotation": _("附注, e.g. （联系人：张某，联系电话：1234567）: printed in parentheses under the date."),
            "cc": _(
                "抄送: the offices, separated by “，”. With 印发机关 and 印发日期 it makes the 版记 on the last page."
            ),
            "printed_by": _("印发机关, e.g. 中共X县委办公室: printed in the 版记 with the date of printing."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.all()
        if not user.is_superuser:
            departments = departments.filter(memberships__user=user)
        if self.instance.pk:
            departments = departments | Department.objects.filter(pk=self.instance.lead_department_id)
        self.fields["lead_department"].queryset = departments.distinct()
        self.fields["lead_department"].empty_label = None
        self.fields["lead_department"].help_text = _("The coordinating office: its members coordinate the report.")
        # Left out (a script, an older form), the size stays as it is.
        self.fields["table_font_size"].required = False

    def clean_table_font_size(self):
        return self.cleaned_data["table_font_size"] or self.instance.table_font_size

    def clean_addressee(self):
        # GB/T 9704 7.3.2: the addressee line ends in a full-width colon, whatever was typed.
        addressee = one_line(self.cleaned_data["addressee"]).rstrip("：:")
        return f"{addressee}：" if addressee else ""

    def clean_title(self):
        title = one_line(self.cleaned_data["title"])
        if not title:
            raise ValidationError(_("The title cannot be empty."), code="required")
        return title

    def clean_issuer(self):
        return one_line(self.cleaned_data["issuer"])

    def clean_annotation(self):
        # 7.3.6: the note stands in parentheses, whatever was typed.
        annotation = one_line(self.cleaned_data["annotation"]).strip("（）() ")
        return f"（{annotation}）" if annotation else ""

    def clean_cc(self):
        # Stored as the offices alone: the 版记 prints 抄送：… and the closing 。 itself (7.5.2).
        cc = one_line(self.cleaned_data["cc"]).rstrip("。.，,、；; ")
        for prefix in ("抄送：", "抄送:", "抄送"):
            cc = cc.removeprefix(prefix)
        return full_width_punctuation(cc.strip())

    def clean_printed_by(self):
        return one_line(self.cleaned_data["printed_by"])

    def clean(self):
        data = super().clean()
        printed_by, printed_on = data.get("printed_by"), data.get("printed_on")
        if "printed_on" in self.errors:
            return data
        # The 版记 always names who printed the report and when (7.5.3); 抄送 alone is no 版记.
        if (printed_by or printed_on or data.get("cc")) and not (printed_by and printed_on):
            raise ValidationError(
                _(
                    "The 版记 needs both the 印发机关 and the 印发日期: fill in both, or clear 抄送, 印发机关 and 印发日期."
                ),
                code="imprint_incomplete",
            )
        return data

    def clean_preamble(self):
        return _clean_long(self.cleaned_data["preamble"], _("The preamble"))

    def clean_closing(self):
        return _clean_long(self.cleaned_data["closing"], _("The closing"))


class SectionAddForm(forms.Form):
    heading = forms.CharField(label=_("Heading"), max_length=200)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report

    def clean_heading(self):
        heading = one_line(self.cleaned_data["heading"])
        if not heading:
            raise ValidationError(_("The heading cannot be empty."), code="required")
        return heading

    def clean_parent(self):
        pk = self.cleaned_data.get("parent")
        if pk is None:
            return None
        parent = Section.objects.filter(report=self.report, pk=pk).first()
        if parent is None:
            raise ValidationError(_("That section is not in this report."), code="invalid_parent")
        if parent.level >= MAX_LEVEL:
            raise ValidationError(
                _("Sections go at most %(max)d levels deep."), code="too_deep", params={"max": MAX_LEVEL}
            )
        return parent

    def clean(self):
        cleaned = super().clean()
        if "parent" in cleaned and self.report.sections.filter(parent=cleaned["parent"]).count() >= MAX_NUMBER:
            raise _too_many_siblings()
        return cleaned


class DepartmentsField(forms.ModelMultipleChoiceField):
    """Objects (departments, sections) by pk; a value that is no pk the database can hold is
    refused before the query (SQLite raises OverflowError on an integer past 64 bits)."""

    def _check_values(self, value):
        for pk in value:
            if not re.fullmatch(r"[0-9]{1,18}", str(pk)):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class SectionFrameForm(forms.Form):
    """Rename a section and assign it: department, deadline, length limit."""

    heading = forms.CharField(label=_("Heading"), max_length=200)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("(not assigned: the coordinators write it)"),
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    char_limit = forms.IntegerField(
        label=_("Length limit (characters)"), required=False, min_value=1, max_value=1_000_000
    )
    co_departments = DepartmentsField(
        label=_("Co-departments (会签)"), queryset=Department.objects.all(), required=False
    )

    def clean_heading(self):
        heading = one_line(self.cleaned_data["heading"])
        if not heading:
            raise ValidationError(_("The heading cannot be empty."), code="required")
        return heading

    def clean(self):
        data = super().clean()
        department = data.get("department")
        co_departments = list(data.get("co_departments") or [])
        if co_departments and department is None:
            raise ValidationError(
                _("Choose the department that writes the section before its co-departments."), code="no_department"
            )
        # The department that writes the section does not co-sign its own text.
        data["co_departments"] = [d for d in co_departments if d != department]
        return data


def clean_future_deadline(deadline):
    """A deadline that has passed already is a slip of the date picker: refused."""
    if deadline is not None and deadline < timezone.localdate():
        raise ValidationError(
            _("The deadline %(date)s has passed already: choose today or a later day."),
            code="past_deadline",
            params={"date": chinese_date(deadline)},
        )
    return deadline


class BulkAssignForm(forms.Form):
    """Many sections of one report to one department with one deadline (the outline's checkboxes)."""

    sections = DepartmentsField(
        label=_("Sections"),
        queryset=Section.objects.none(),
        error_messages={
            "required": _("Choose at least one section to assign."),
            "invalid_choice": _("A chosen section is not in this report (it may have been deleted): reload the page."),
            "invalid_pk_value": _(
                "A chosen section is not in this report (it may have been deleted): reload the page."
            ),
        },
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        empty_label=_("Choose a department"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm", "data-testid": "bulk-department"}),
        error_messages={
            "required": _("Choose the department the sections go to."),
            "invalid_choice": _("That department does not exist (any more): reload the page."),
        },
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=DateInput(attrs={"class": "form-control form-control-sm", "data-testid": "bulk-deadline"}),
        error_messages={
            "required": _("Choose the deadline for the chosen sections."),
            "invalid": _("The deadline is not a date."),
        },
    )

    def __init__(self, *args, report, **kwargs):
        # Ids of their own: the outline's per-section forms sit on the same page.
        kwargs.setdefault("auto_id", "bulk-%s")
        super().__init__(*args, **kwargs)
        self.fields["sections"].queryset = Section.objects.filter(report=report).select_related("report", "assignment")

    def clean_deadline(self):
        return clean_future_deadline(self.cleaned_data["deadline"])


class ReorderForm(forms.Form):
    """The whole outline after a drag: "id:parent" pairs in reading order (parent empty at the top)."""

    order = forms.CharField(max_length=100_000)

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report

    def clean_order(self):
        pairs = []
        try:
            for item in self.cleaned_data["order"].split(","):
                pk, _sep, parent = item.partition(":")
                pairs.append((int(pk), int(parent) if parent else None))
        except ValueError:
            raise ValidationError(_("The new order could not be read."), code="invalid") from None
        existing = set(self.report.sections.values_list("pk", flat=True))
        if {pk for pk, _parent in pairs} != existing or len(pairs) != len(existing):
            raise ValidationError(_("The outline changed meanwhile: reload the page and try again."), code="stale")
        if max(Counter(parent for _pk, parent in pairs).values(), default=0) > MAX_NUMBER:
            raise _too_many_siblings()
        parents = dict(pairs)
        for pk in parents:
            depth, node, seen = 1, pk, {pk}
            while parents[node] is not None:
                node = parents[node]
                if node in seen or node not in parents:
                    raise ValidationError(_("The new order could not be read."), code="invalid")
                seen.add(node)
                depth += 1
            if depth > MAX_LEVEL:
                raise ValidationError(
                    _("Sections go at most %(max)d levels deep."), code="too_deep", params={"max": MAX_LEVEL}
                )
        return pairs


class ReportListForm(forms.Form):
    """The report list's filter: a state and a few words of the title."""

    STATES = [
        ("", _("All states")),
        ("open", _("Drafting")),
        ("final", _("Final")),
        ("archived", _("Archived")),
    ]
    state = forms.ChoiceField(label=_("State"), choices=STATES, required=False)
    q = forms.CharField(label=_("Title contains"), max_length=100, required=False)

    def clean_q(self):
        return one_line(self.cleaned_data["q"])


class SearchForm(forms.Form):
    """Words to find in the titles, headings and measures the user may read."""

    q = forms.CharField(
        label=_("Search"),
        max_length=MAX_QUERY_CHARS,
        error_messages={
            "required": _("Type a word or phrase to search for."),
            "max_length": _("Search for at most %(limit_value)d characters."),
        },
    )

    def clean_q(self):
        q = one_line(self.cleaned_data["q"])
        if not q:
            raise ValidationError(_("Type a word or phrase to search for."), code="required")
        return q


class AttachmentForm(forms.Form):
    """An attachment's title, body and table; the table as tab-separated text, one row a line."""

    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("The title cannot be empty.")}
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One paragraph per line."),
    )
    table = forms.CharField(
        label=_("Table"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "font-monospace"}),
        help_text=_("One row per line, cells separated by tabs: paste the cells from Excel or WPS."),
    )
    header = forms.BooleanField(label=_("The first row is a header"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)

    def clean_title(self):
        title = one_line(self.cleaned_data["title"])
        if not title:
            raise ValidationError(_("The title cannot be empty."), code="required")
        return title

    def clean_body(self):
        return _clean_long(self.cleaned_data["body"], _("The text"))

    def clean_table(self):
        return tables.parse_tsv(self.cleaned_data["table"], limits=tables.ATTACHMENT)

    def clean(self):
        data = super().clean()
        if data.get("table"):
            data["table"]["header"] = bool(data.get("header"))
        if "body" in data and "table" in data and not data["body"] and not data["table"]:
            raise ValidationError(_("Give the attachment a text or a table."), code="empty")
        return data

    @staticmethod
    def initial_for(attachment):
        table = attachment.table or {}
        return {
            "title": attachment.title,
            "body": attachment.body,
            "table": tables.to_tsv(table),
            "header": table.get("header", True),
            "version": attachment.version,
        }

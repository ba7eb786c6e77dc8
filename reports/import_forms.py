"""Forms of the import and clone pages: they validate and parse; the views create."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reports import importer
from reports.cloning import next_period_title
from reports.forms import DateInput, clean_future_deadline
from reports.models import Department, Report
from reports.parsed import LineRole
from reports.text import one_line


def departments_of(user):
    """The departments a user may lead an imported report for: their own (all for a superuser)."""
    if user.is_superuser:
        return Department.objects.all()
    return Department.objects.filter(memberships__user=user).distinct()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        required=False,
        error_messages={"empty": _("The file is empty.")},
        help_text=_("A .docx or .txt file (UTF-8 or GBK), at most %(limit)s MB.")
        % {"limit": settings.HUIGAO_IMPORT_MAX_BYTES // 1024 // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.txt,text/plain"}),
    )
    text = forms.CharField(
        label=_("Or paste the text"),
        required=False,
        strip=False,
        max_length=settings.HUIGAO_IMPORT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("One paragraph a line: the title first, then the preamble, the sections and the closing."),
    )
    lead_department = forms.ModelChoiceField(
        label=_("Lead department"), queryset=Department.objects.none(), empty_label=None
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_department"].queryset = departments_of(user)
        self.parsed = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # Refused before reading: the size the browser sent is known without touching the data.
        if upload and upload.size > settings.HUIGAO_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s MB); at most %(limit)s MB can be imported.")
                % {
                    "size": f"{upload.size / 1024 / 1024:.1f}",
                    "limit": settings.HUIGAO_IMPORT_MAX_BYTES // 1024 // 1024,
                },
                code="too_large",
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if self.errors:
            return cleaned
        if upload and text.strip():
            raise forms.ValidationError(_("Upload a file or paste text, not both."), code="both")
        try:
            if upload:
                self.parsed = importer.parse_file(upload.name, upload.read())
            elif text.strip():
                self.parsed = importer.parse_text(text)
            else:
                raise forms.ValidationError(_("Choose a file or paste the report's text."), code="required")
        except importer.ImportFailed as error:
            self.add_error("file" if upload else "text", error)
        return cleaned


class ImportReviewForm(forms.Form):
    """The import preview: the role of every line (the user corrects the parse), whether to keep
    the converted punctuation, and the title when none was found. Nothing is created until the
    user confirms."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=Report._meta.get_field("title").max_length,
        help_text=_("Only if the title found above is wrong or missing."),
    )
    keep_half_width = forms.BooleanField(
        label=_("Keep half-width punctuation as written (otherwise ， ： ； （ ） ！ ？ in Chinese text)"),
        required=False,
    )

    deadline = forms.DateField(
        label=_("Deadline of the report"),
        required=False,
        widget=DateInput(attrs={"class": "form-control", "data-testid": "import-deadline"}),
        help_text=_("The deadline of every section assigned below that has none of its own."),
        error_messages={"invalid": _("The deadline is not a date.")},
    )

    def __init__(self, *args, parsed, **kwargs):
        kwargs.setdefault("initial", {}).update(keep_half_width=not parsed.punctuation_converted)
        super().__init__(*args, **kwargs)
        self.parsed = parsed
        # A table stays a table or goes; text is never read as a table.
        table_roles = [
            (value, label)
            for value, label in LineRole.choices
            if value in (LineRole.TABLE, LineRole.ATTACHMENT_BODY, LineRole.IMPRINT, LineRole.NOISE)
        ]
        text_roles = [(value, label) for value, label in LineRole.choices if value != LineRole.TABLE]
        # Who writes each top-level section (and everything under it), and by when.
        for index, _section in enumerate(parsed.sections):
            self.fields[f"department_{index}"] = forms.ModelChoiceField(
                label=_("Department"),
                queryset=Department.objects.all(),
                required=False,
                empty_label=_("(not assigned: the coordinators write it)"),
                widget=forms.Select(attrs={"class": "form-select form-select-sm", "data-testid": "import-department"}),
                error_messages={"invalid_choice": _("That department does not exist (any more): reload the page.")},
            )
            self.fields[f"deadline_{index}"] = forms.DateField(
                label=_("Deadline"),
                required=False,
                widget=DateInput(
                    attrs={"class": "form-control form-control-sm", "data-testid": "import-section-deadline"}
                ),
                error_messages={"invalid": _("The deadline is not a date.")},
            )
        for index, line in enumerate(parsed.lines):
            self.fields[f"role_{index}"] = forms.ChoiceField(
                label=_("Paragraph %(number)s") % {"number": line.number},
                choices=table_roles if line.table is not None else text_roles,
                initial=line.role,
                # A line the form did not send keeps the role it has.
                required=False,
            )

    def role_fields(self):
        """(line, its role field) for the preview's table, in reading order."""
        return [(line, self[f"role_{index}"]) for index, line in enumerate(self.parsed.lines)]

    def clean_title(self):
        return one_line(self.cleaned_data["title"])

    def clean_deadline(self):
        return clean_future_deadline(self.cleaned_data["deadline"])

    def clean(self):
        cleaned = super().clean()
        for index, section in enumerate(self.parsed.sections):
            name = f"deadline_{index}"
            if cleaned.get(name) is None:
                continue
            try:
                clean_future_deadline(cleaned[name])
            except forms.ValidationError as error:
                self.add_error(name, error)
                continue
            if cleaned.get(f"department_{index}") is None:
                self.add_error(
                    name,
                    forms.ValidationError(
                        _("“%(heading)s” has a deadline but no department: choose one or clear the deadline."),
                        code="deadline_without_department",
                        params={"heading": section.heading},
                    ),
                )
        return cleaned

    def outline_rows(self):
        """The outline's rows; each top-level one with its department and deadline fields."""
        rows, index = [], 0
        for row in self.parsed.outline():
            if row["level"] == 1:
                row = {**row, "department": self[f"department_{index}"], "deadline": self[f"deadline_{index}"]}
                index += 1
            rows.append(row)
        return rows

    def assignment_plan(self):
        """[(top-level position, department, deadline or None)] for the sections given a department."""
        return [
            (index, self.cleaned_data[f"department_{index}"], self.cleaned_data[f"deadline_{index}"])
            for index in range(len(self.parsed.sections))
            if self.cleaned_data.get(f"department_{index}") is not None
        ]

    def kept_choices(self, parsed):
        """The deadline and assignments to carry into the form for `parsed` (the outline as
        corrected): the assignments only while the top-level sections are the same ones."""
        kept = {"deadline": self.cleaned_data.get("deadline")}
        if [s.heading for s in parsed.sections] == [s.heading for s in self.parsed.sections]:
            for index in range(len(parsed.sections)):
                kept[f"department_{index}"] = self.cleaned_data.get(f"department_{index}")
                kept[f"deadline_{index}"] = self.cleaned_data.get(f"deadline_{index}")
        return kept

    def roles(self):
        return {index: self.cleaned_data[f"role_{index}"] or line.role for index, line in enumerate(self.parsed.lines)}

    def corrected(self):
        """The report as the user's roles and choices describe it."""
        parsed = importer.reassemble(self.parsed, self.roles(), punctuation=not self.cleaned_data["keep_half_width"])
        # A title typed earlier in the preview stays unless the user types another or marks one.
        parsed.title = self.cleaned_data["title"] or parsed.title or self.parsed.title
        return parsed


class CloneForm(forms.Form):
    CONTENT_DRAFT = "draft"
    CONTENT_EMPTY = "empty"

    title = forms.CharField(label=_("Title of the new report"), max_length=Report._meta.get_field("title").max_length)
    shift_days = forms.IntegerField(
        label=_("Move deadlines by (days)"),
        initial=365,
        min_value=-3660,
        max_value=3660,
        help_text=_("Every assignment's deadline, and the report's, moves by this many days."),
    )
    content = forms.ChoiceField(
        label=_("Content"),
        choices=[
            (CONTENT_DRAFT, _("Copy the text as a starting draft")),
            (CONTENT_EMPTY, _("Empty sections: headings and assignments only")),
        ],
        initial=CONTENT_DRAFT,
        widget=forms.RadioSelect,
    )
    mark_figures = forms.BooleanField(
        label=_("Mark every figure carried over as to be checked"),
        required=False,
        initial=True,
        help_text=_(
            "Numbers, percentages and amounts copied from last period are marked like placeholders "
            "until the department changes them or confirms them (已核对); sign-off waits for them."
        ),
    )

    def __init__(self, *args, source, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("title", next_period_title(source.title))
        super().__init__(*args, **kwargs)

    def clean_title(self):
        # One line like every other title: a pasted title's line breaks would stay in the DOCX.
        title = one_line(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError(_("The title cannot be empty."), code="required")
        return title

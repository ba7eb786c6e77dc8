"""Forms of the import and clone pages: they validate and parse; the views create."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reports import importer
from reports.cloning import next_period_title
from reports.models import Department, Report
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


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


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

    def __init__(self, *args, source, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("title", next_period_title(source.title))
        super().__init__(*args, **kwargs)

    def clean_title(self):
        # One line like every other title: a pasted title's line breaks would stay in the DOCX.
        title = one_line(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError(_("The title cannot be empty."), code="required")
        return title

"""The section editor's forms: the section itself, its measures as an ordered formset, paste-split."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from reports import tables
from reports.content import MeasureText
from reports.splitting import split_measures
from reports.text import one_line, text_block

MEASURE_PREFIX = "measures"
# 200 measures of four fields each stay under Django's DATA_UPLOAD_MAX_NUMBER_FIELDS (1000).
MAX_MEASURES = 200
MAX_TEXT = 20_000
MAX_PASTE = 100_000
MEASURE_FIELDS = ("id", "lead", "body", "table", "table_header", "DELETE", "ORDER")
# What "Add a table" starts from without JavaScript: two rows of two empty cells.
BLANK_TABLE_TSV = tables.to_tsv(tables.blank_table())


class SectionForm(forms.Form):
    heading = forms.CharField(label=_("Heading"), max_length=200)
    intro = forms.CharField(
        label=_("Intro text"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4, "data-count": "intro"}),
        help_text=_("Free paragraphs before the measures, one per line."),
    )
    note = forms.CharField(
        label=_("Note for this revision"),
        required=False,
        max_length=200,
        help_text=_("Optional: what changed, for the history."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # After a conflict: the version the user was shown beside their text, and whether they chose
    # to put their text over it. Saving over someone else's text needs both.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    overwrite = forms.BooleanField(label=_("Overwrite with my version"), required=False)

    def __init__(self, *args, heading_editable=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not heading_editable:
            # Departments write below a heading the coordinating office owns.
            del self.fields["heading"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_heading(self):
        heading = one_line(self.cleaned_data["heading"])
        if not heading:
            raise ValidationError(_("The heading cannot be empty."), code="empty_heading")
        return heading

    def clean_intro(self):
        return text_block(self.cleaned_data["intro"])

    def clean_note(self):
        return one_line(self.cleaned_data["note"])

    @property
    def expected_version(self):
        """The version the save may replace: the one the editor was opened on, or, when the user
        chose to overwrite after a conflict, the one the conflict showed them (and no later one)."""
        data = self.cleaned_data
        if data.get("overwrite") and data.get("seen_version"):
            return data["seen_version"]
        return data["version"]


class MeasureForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    lead = forms.CharField(
        label=_("Lead sentence"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"data-count": "lead", "placeholder": _("e.g. 推行“一件事一次办”")}),
    )
    body = forms.CharField(
        label=_("Body"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3, "data-count": "body"}),
    )

    # The table travels as tab-separated text in one field (the page's grid writes it; without
    # JavaScript it is the field itself), so a measure adds two fields at most, never one a cell.
    table = forms.CharField(
        label=_("Table (tab-separated: paste cells copied from Excel or WPS)"),
        required=False,
        strip=False,  # parse_tsv bounds its length, with a message of its own
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    table_header = forms.BooleanField(label=_("The first row is a header row"), required=False)

    def clean_lead(self):
        # The ordinal and the full stop after the lead are added when the text is put together.
        return one_line(self.cleaned_data["lead"]).removesuffix("。")

    def clean_body(self):
        return text_block(self.cleaned_data["body"])

    def clean(self):
        cleaned = super().clean()
        if "table" in cleaned:
            try:
                cleaned["table"] = tables.parse_tsv(cleaned["table"], header=cleaned.get("table_header", False))
            except tables.TableError as error:
                self.add_error("table", error)
        return cleaned


class BaseMeasureFormSet(forms.BaseFormSet):
    default_error_messages = {
        "missing_management_form": _(
            "The form arrived incomplete (%(field_names)s missing). Nothing was saved: reload the page and try again."
        ),
        "too_many_forms": _("A section holds at most %(num)d measures; nothing was saved."),
        "forged_management_form": _(
            "The form's count of measures is not one this page sends. Nothing was saved: reload the page and try again."
        ),
    }

    def clean(self):
        # Django accepts any integers here (a count of -3 gives no forms, so every measure would
        # be deleted); a management form Django itself refused already carries its message.
        if self.management_form.is_valid() and management_problem(self.data, self.prefix):
            raise ValidationError(self.error_messages["forged_management_form"], code="forged_management_form")

    def measure_texts(self):
        """The kept measures in order; a measure left entirely blank counts as deleted."""
        kept = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE") or not (data.get("lead") or data.get("body") or data.get("table")):
                continue
            kept.append(MeasureText(data.get("id"), data["lead"], data["body"], data.get("table")))
        return kept


MeasureFormSet = forms.formset_factory(
    MeasureForm,
    formset=BaseMeasureFormSet,
    extra=0,
    can_delete=True,
    can_order=True,
    max_num=MAX_MEASURES,
    validate_max=True,
    # One more than allowed, so that too many measures fail validation instead of being cut off.
    absolute_max=MAX_MEASURES + 1,
)


def int_or(value, default):
    """value as an int, or default when it is none (int() also refuses 4,301 digits or more)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _count(value):
    """A count as this page writes it: ASCII digits, a few of them; anything else is None."""
    value = str(value).strip() if value is not None else ""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


def management_problem(data, prefix=MEASURE_PREFIX):
    """True when the posted management form is not one the editor sends (missing, negative,
    not a number, fewer forms counted than posted, initial past total, min past max)."""

    def count(name, absent=None):
        raw = data.get(f"{prefix}-{name}")
        return absent if raw is None else _count(raw)

    total, initial = count("TOTAL_FORMS"), count("INITIAL_FORMS")
    # MIN and MAX are for scripts in the page (Django ignores them) and optional, but not forged.
    low, high = count("MIN_NUM_FORMS", 0), count("MAX_NUM_FORMS", MAX_MEASURES)
    if None in (total, initial, low, high) or initial > total or low > high:
        return True
    # A form posted past the count would be dropped, and its measure deleted on save.
    for key in data:
        index = key[len(prefix) + 1 :].partition("-")[0] if key.startswith(f"{prefix}-") else ""
        if index.isascii() and index.isdigit() and (len(index) > 9 or int(index) >= total):
            return True
    return False


def arrange_measures(data, move=None, add=False, add_table=None):
    """The posted data with its measures renumbered in the order the user chose.

    Drag and drop only rewrites the ORDER fields; the move up/down buttons (which work
    without JavaScript) post `move=measures-<index>:up|down`; `add` appends a blank measure;
    `add_table=measures-<index>` gives that measure an empty table to fill in. The
    result has form i at position i, so the formset's forms are in reading order.
    """
    prefix = MEASURE_PREFIX
    if management_problem(data, prefix):
        # Left as posted, so that the formset refuses it instead of saving no measures.
        return data.copy()
    total = min(_count(data.get(f"{prefix}-TOTAL_FORMS")), MAX_MEASURES + 1)
    rows = []
    for index in range(total):
        row = {name: data.get(f"{prefix}-{index}-{name}", "") for name in MEASURE_FIELDS}
        rows.append((int_or(row["ORDER"], index + 1), index, row))
    rows.sort(key=lambda item: (item[0], item[1]))
    rows = [(index, row) for _order, index, row in rows]
    if move:
        # The button names its form by prefix ("measures-3:up"), which survives JavaScript cloning.
        reference, _sep, direction = move.rpartition(":")
        index = reference.rpartition("-")[2]
        where = next((n for n, (i, _row) in enumerate(rows) if str(i) == index), None)
        target = None if where is None else where + (-1 if direction == "up" else 1)
        if target is not None and 0 <= target < len(rows):
            rows[where], rows[target] = rows[target], rows[where]
    if add_table:
        index = add_table.rpartition("-")[2]
        for i, row in rows:
            if str(i) == index and not row["table"].strip():
                row["table"] = BLANK_TABLE_TSV
    if add and len(rows) < MAX_MEASURES:
        rows.append((len(rows), dict.fromkeys(MEASURE_FIELDS, "")))

    arranged = QueryDict(mutable=True)
    for key, values in data.lists():
        if not key.startswith(f"{prefix}-"):
            arranged.setlist(key, values)
    arranged[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
    arranged[f"{prefix}-INITIAL_FORMS"] = "0"
    arranged[f"{prefix}-MIN_NUM_FORMS"] = "0"
    arranged[f"{prefix}-MAX_NUM_FORMS"] = str(MAX_MEASURES)
    for position, (_index, row) in enumerate(rows):
        for name in ("id", "lead", "body"):
            arranged[f"{prefix}-{position}-{name}"] = row[name]
        # A measure without a table posts no table fields: absent, they stay absent.
        for name in ("table", "table_header", "DELETE"):
            if row[name]:
                arranged[f"{prefix}-{position}-{name}"] = row[name]
        arranged[f"{prefix}-{position}-ORDER"] = str(position + 1)
    return arranged


def measure_initial(measures):
    return [
        {
            "id": m.pk,
            "lead": m.lead,
            "body": m.body,
            "table": tables.to_tsv(m.table),
            "table_header": bool(m.table and m.table["header"]),
            "ORDER": n,
        }
        for n, m in enumerate(measures, start=1)
    ]


class PasteForm(forms.Form):
    REPLACE, APPEND = "replace", "append"

    text = forms.CharField(
        label=_("Text copied from Word"),
        max_length=MAX_PASTE,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Measures run in (一是…。二是…) or one per line. The text before 一是 can become the intro."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    replace_intro = forms.BooleanField(
        label=_("Use the text before 一是 as the intro"),
        required=False,
        initial=True,
    )
    mode = forms.ChoiceField(
        label=_("The pasted measures"),
        choices=[(REPLACE, _("replace the current measures")), (APPEND, _("come after the current measures"))],
        initial=REPLACE,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, existing=0, **kwargs):
        """`existing`: how many measures the section holds now (appending must stay within the limit)."""
        super().__init__(*args, **kwargs)
        self.existing = existing

    def clean_text(self):
        return text_block(self.cleaned_data["text"])

    def clean_mode(self):
        return self.cleaned_data["mode"] or self.REPLACE

    @property
    def appends(self):
        return self.cleaned_data.get("mode") == self.APPEND

    def clean(self):
        cleaned = super().clean()
        if "text" in cleaned:
            self.split = split_measures(cleaned["text"])
            if not self.split.measures:
                raise ValidationError(
                    _("No 一是 was found at the start of a sentence, so the text cannot be split into measures."),
                    code="no_measures",
                )
            kept = self.existing if cleaned.get("mode") == self.APPEND else 0
            if kept + len(self.split.measures) > MAX_MEASURES:
                raise ValidationError(
                    _("A section holds at most %(max)d measures."), code="too_many", params={"max": MAX_MEASURES}
                )
        return cleaned

    def measure_texts(self):
        return [MeasureText(None, lead[:500], body) for lead, body in self.split.measures]

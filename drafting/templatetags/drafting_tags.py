"""Small filters for the drafting pages."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from reports.placeholders import count_placeholders, split_placeholders
from reports.splitting import join_measure
from reports.text import char_count

register = template.Library()


@register.filter
def highlight_placeholders(text):
    """The text, escaped, with every placeholder (X月X日, ×××) in a <mark>."""
    pieces = []
    for fragment, is_placeholder in split_placeholders(text or ""):
        if is_placeholder:
            pieces.append(f'<mark class="placeholder">{escape(fragment)}</mark>')
        else:
            pieces.append(escape(fragment))
    return mark_safe("".join(pieces))


@register.filter
def chars(text):
    return char_count(text)


@register.filter
def placeholder_count(text):
    return count_placeholders(text)


@register.filter
def measure_text(form):
    """A measure form's text as it will read after its ordinal (lead。body)."""
    return join_measure(form["lead"].value() or "", form["body"].value() or "")


@register.filter
def joined(measure):
    return join_measure(measure.lead, measure.body)


# The editor shows a dozen text fields; crispy-forms renders each through a dozen templates, most
# of the page's time. Plain text inputs and textareas without errors get the same Bootstrap 5 markup
# here; anything else (errors, other widgets, a helper that changes the layout) goes to crispy.
_FAST_WIDGETS = {forms.TextInput: "textinput", forms.Textarea: "textarea"}


def _default_layout(form):
    helper = getattr(form, "helper", None)
    return helper is None or (
        not helper.field_template
        and not helper.label_class
        and not helper.field_class
        and helper.form_show_labels
        and helper.form_show_errors
        and "form-horizontal" not in (helper.form_class or "")
    )


def _attrs_html(attrs):
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _widget_html(field, widget):
    """What BoundField.as_widget() renders for a TextInput or a Textarea, without the templates."""
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    value = context["value"]
    if isinstance(widget, forms.Textarea):
        text = escape(value) if value else ""
        return f'<textarea name="{escape(context["name"])}"{_attrs_html(context["attrs"])}>\n{text}</textarea>'
    value_html = f' value="{escape(str(value))}"' if value is not None else ""
    return f'<input type="{escape(context["type"])}" name="{escape(context["name"])}"{value_html}{_attrs_html(context["attrs"])}>'


@register.filter
def bootstrap_field(field):
    """A form field as crispy-forms' |as_crispy_field shows it (Bootstrap 5)."""
    widget = field.field.widget
    class_name = _FAST_WIDGETS.get(type(widget))
    if (
        class_name is None
        or field.errors
        or not field.label
        or widget.template_name != type(widget).template_name
        or not _default_layout(field.form)
    ):
        return as_crispy_field(field)
    # The classes crispy-forms adds to the widget (it keeps them on the widget too).
    css_class = widget.attrs.get("class", "")
    if not css_class:
        css_class = class_name
    elif class_name not in css_class:
        css_class += f" {class_name}"
    if "form-control" not in css_class.split():
        css_class += " form-control"
    widget.attrs["class"] = css_class
    required = field.field.required
    wrapper_class = f" {field.css_classes()}" if field.css_classes() else ""
    label_for = f' for="{escape(field.id_for_label)}"' if field.id_for_label else ""
    label = escape(str(field.label)) + ('<span class="asteriskField">*</span>' if required else "")
    help_text = ""
    if field.help_text:
        help_id = f'id="{escape(field.auto_id)}_helptext" ' if field.auto_id else ""
        help_text = f'\n    <div {help_id}class="form-text">{field.help_text}</div>'
    return mark_safe(
        f'<div id="div_{escape(field.auto_id)}" class="mb-3{escape(wrapper_class)}">\n'
        f'    <label{label_for} class="form-label{" requiredField" if required else ""}">{label}</label>\n'
        f"    {_widget_html(field, widget)}{help_text}\n"
        "</div>"
    )

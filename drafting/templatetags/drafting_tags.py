"""Small filters for the drafting pages."""

import functools
import html

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms, template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from reports.placeholders import count_placeholders, split_placeholders
from reports.splitting import join_measure
from reports.text import char_count

register = template.Library()


def escape(value):
    """The standard library's escape: Django's checks every argument for lazy strings first, which
    was a third of a measure card's time. Everything here is built into plain strings anyway."""
    return html.escape(str(value))


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
_FAST_WIDGETS = {forms.TextInput: "textinput", forms.Textarea: "textarea", forms.CheckboxInput: "checkboxinput"}


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
    """What BoundField.as_widget() renders for an input or a textarea, without the templates."""
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


def _add_classes(widget, class_name, bootstrap_class):
    """The classes crispy-forms adds to a widget (it keeps them on the widget too)."""
    css_class = widget.attrs.get("class", "")
    if not css_class:
        css_class = class_name
    elif class_name not in css_class:
        css_class += f" {class_name}"
    if bootstrap_class not in css_class.split():
        css_class += f" {bootstrap_class}"
    widget.attrs["class"] = css_class


def _help_html(field):
    if not field.help_text:
        return ""
    help_id = f'id="{escape(field.auto_id)}_helptext" ' if field.auto_id else ""
    return f'\n    <div {help_id}class="form-text">{field.help_text}</div>'


@register.filter
def bootstrap_field(field):
    """A form field as crispy-forms' |as_crispy_field shows it (Bootstrap 5)."""
    widget = field.field.widget
    widget_type = type(widget)
    if field.field.show_hidden_initial or widget.template_name != widget_type.template_name:
        return as_crispy_field(field)
    if widget_type is forms.HiddenInput:
        return mark_safe(_widget_html(field, widget))
    class_name = _FAST_WIDGETS.get(widget_type)
    if class_name is None or field.errors or not field.label or not _default_layout(field.form):
        return as_crispy_field(field)
    required = field.field.required
    label_for = f' for="{escape(field.id_for_label)}"' if field.id_for_label else ""
    asterisk = '<span class="asteriskField">*</span>' if required else ""
    label = f"{escape(str(field.label))}{asterisk}"
    css_classes = field.css_classes()
    wrapper_class = f" {escape(css_classes)}" if css_classes else ""
    if widget_type is forms.CheckboxInput:
        _add_classes(widget, class_name, "form-check-input")
        return mark_safe(
            f'<div class="mb-3">\n<div id="div_{escape(field.auto_id)}" class="form-check{wrapper_class}">\n'
            f"    {_widget_html(field, widget)}\n"
            f'    <label{label_for} class="form-check-label{" requiredField" if required else ""}">{label}</label>'
            f"{_help_html(field)}\n"
            "</div>\n</div>"
        )
    _add_classes(widget, class_name, "form-control")
    return mark_safe(
        f'<div id="div_{escape(field.auto_id)}" class="mb-3{wrapper_class}">\n'
        f'    <label{label_for} class="form-label{" requiredField" if required else ""}">{label}</label>\n'
        f"    {_widget_html(field, widget)}{_help_html(field)}\n"
        "</div>"
    )


@register.filter
def bootstrap_form(form):
    """An unbound form as crispy-forms' |crispy shows it; bound forms (errors) go to crispy."""
    if form.is_bound or getattr(form, "helper", None) is not None:
        return as_crispy_form(form)
    return mark_safe("\n".join(bootstrap_field(field) for field in form))


@register.filter
def hidden_inputs(form):
    """A form of hidden fields only (a formset's management form) without the form templates."""
    return mark_safe("".join(bootstrap_field(field) for field in form))


@functools.cache
def _card_words(language):
    """The words on a measure card, escaped, in `language` (the active one: gettext answers in it).

    Once per language rather than eight gettext calls per card. gettext stays outside f-strings:
    makemessages cannot see calls inside them.
    """
    return tuple(
        escape(word)
        for word in (
            gettext("Drag to reorder"),
            gettext("characters"),
            gettext("placeholders"),
            gettext("Move up"),
            gettext("Up"),
            gettext("Move down"),
            gettext("Down"),
            gettext("Delete"),
        )
    )


@register.filter
def measure_card(form):
    """One measure's card in the editor (also the template for new measures, from the empty form).

    Built here rather than through an include per measure: the editor is a hot page.
    """
    text = measure_text(form)
    deleted = getattr(form, "deleted", False)
    measure_id = form["id"].value()
    order = form["ORDER"].value() if "ORDER" in form.fields else None
    delete = form["DELETE"]
    prefix = escape(form.prefix)
    (
        word_drag_to_reorder,
        word_characters,
        word_placeholders,
        word_move_up,
        word_up,
        word_move_down,
        word_down,
        word_delete,
    ) = _card_words(get_language())
    return mark_safe(
        f'<div class="card mb-2 measure-form{" measure-deleted" if deleted else ""}" data-measure'
        f"{f' id="measure-{escape(str(measure_id))}"' if measure_id else ''}>\n"
        '  <div class="card-body py-2">\n'
        '    <div class="d-flex flex-wrap align-items-center gap-2 mb-1">\n'
        f'      <span class="drag-handle d-none" title="{word_drag_to_reorder}" aria-hidden="true">⠿</span>\n'
        f'      <span class="measure-ordinal fw-bold" data-testid="measure-ordinal">{escape(getattr(form, "ordinal", ""))}</span>\n'
        '      <span class="small text-body-secondary ms-auto">\n'
        f"        <span data-chars>{char_count(text)}</span> {word_characters} ·\n"
        f"        {word_placeholders} <span data-placeholders>{count_placeholders(text)}</span>\n"
        "      </span>\n"
        f'      <button type="submit" name="move" value="{prefix}:up" class="btn btn-sm btn-outline-secondary" data-move="up" title="{word_move_up}">{word_up}</button>\n'
        f'      <button type="submit" name="move" value="{prefix}:down" class="btn btn-sm btn-outline-secondary" data-move="down" title="{word_move_down}">{word_down}</button>\n'
        '      <div class="form-check mb-0">\n'
        f'        <input type="checkbox" class="form-check-input" name="{escape(delete.html_name)}" id="{escape(delete.auto_id)}" data-delete{" checked" if deleted else ""}>\n'
        f'        <label class="form-check-label small" for="{escape(delete.auto_id)}">{word_delete}</label>\n'
        "      </div>\n"
        "    </div>\n"
        f"    {bootstrap_field(form['id'])}\n"
        f'    <input type="hidden" name="{escape(form.add_prefix("ORDER"))}" value="{escape(str(order or ""))}" data-order>\n'
        f"    {bootstrap_field(form['lead'])}\n"
        f"    {bootstrap_field(form['body'])}\n"
        f'    <div class="measure-preview small text-body-secondary" data-preview>{highlight_placeholders(text)}</div>\n'
        "  </div>\n"
        "</div>\n"
    )

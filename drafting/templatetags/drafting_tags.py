"""Small filters for the drafting pages."""

from django import template
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

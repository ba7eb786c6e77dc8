"""Small filters for the drafting pages; the markup they feed stays in the templates."""

from django import template

from reports.placeholders import split_placeholders

register = template.Library()

# Text as (fragment, is_placeholder) pieces, for drafting/_marked.html to mark the placeholders.
register.filter("placeholder_pieces", split_placeholders)


@register.filter
def hidden_with_data(field, name):
    """The field as Django's hidden input, with the data-<name> attribute the editor's script looks for."""
    return field.as_hidden(attrs={f"data-{name}": True})

"""Small filters for the drafting pages; the markup they feed stays in the templates."""

from django import template

from drafting.marks import marked

register = template.Library()

# Text split at its placeholders, for drafting/_marked.html to mark them.
register.filter("marked", marked)


@register.filter
def hidden_with_data(field, name):
    """The field as Django's hidden input, with the data-<name> attribute the editor's script looks for."""
    return field.as_hidden(attrs={f"data-{name}": True})

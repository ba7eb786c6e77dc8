"""Small filters for the drafting pages; the markup they feed stays in the templates."""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

from drafting.marks import marked
from reports import tables

register = template.Library()

# Text split at its placeholders, for drafting/_marked.html to mark them.
register.filter("marked", marked)


WORDS = (
    "drag",
    "characters",
    "placeholders",
    "move_up",
    "up",
    "move_down",
    "down",
    "delete",
    "add_table",
    "table",
    "header_row",
    "add_row",
    "add_column",
    "remove_row",
    "remove_column",
    "remove_table",
    "table_text",
    "table_help",
    "paste",
    "paste_hint",
    "cell",
    "open_comments",
    "reply",
    "resolve",
    "thread",
    "last_period",
    "same",
    "new",
    "new_title",
)


def _render(context, name="drafting/measure_cards.html", **values):
    words = {name: context[f"word_{name}"] for name in WORDS}
    limits = {"rows": tables.MAX_ROWS, "columns": tables.MAX_COLUMNS}
    template = engines["jinja2"].get_template(name)
    return mark_safe(template.render({"forms": (), "words": words, "limits": limits, **values}))


@register.simple_tag(takes_context=True)
def measure_cards(context, forms):
    """The editor's measure cards from their Jinja2 template (templates/jinja2/drafting/): Jinja2
    escapes every value itself, so its output is marked safe for the page it goes into."""
    return _render(context, forms=forms)


@register.simple_tag(takes_context=True)
def measure_table_template(context):
    """The table editor a measure gets from "Add a table" in the page's script (prefix __prefix__)."""
    return _render(context, "drafting/measure_table.html", template_only=True)

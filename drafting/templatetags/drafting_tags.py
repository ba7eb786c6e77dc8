"""Small filters for the drafting pages; the markup they feed stays in the templates."""

from django import template

from drafting.marks import marked
from reports import tables
from reports.templatetags.jinja_rows import render_jinja

register = template.Library()

# Text split at its placeholders, for drafting/_marked.html to mark them.
register.filter("marked", marked)


def _render(context, name="drafting/measure_cards.html", **values):
    limits = {"rows": tables.MAX_ROWS, "columns": tables.MAX_COLUMNS}
    return render_jinja(context, name, **{"forms": (), "limits": limits, **values})


@register.simple_tag(takes_context=True)
def measure_cards(context, forms):
    """The editor's measure cards from their Jinja2 template (templates/jinja2/drafting/): Jinja2
    escapes every value itself, so its output is marked safe for the page it goes into."""
    return _render(context, forms=forms)


@register.simple_tag(takes_context=True)
def measure_table_template(context):
    """The table editor a measure gets from "Add a table" in the page's script (prefix __prefix__)."""
    return _render(context, "drafting/measure_table.html", template_only=True)

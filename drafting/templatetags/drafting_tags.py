"""Small filters for the drafting pages; the markup they feed stays in the templates."""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

from drafting.marks import marked

register = template.Library()

# Text split at its placeholders, for drafting/_marked.html to mark them.
register.filter("marked", marked)


@register.simple_tag(takes_context=True)
def measure_cards(context, forms):
    """The editor's measure cards from their Jinja2 template (templates/jinja2/drafting/): Jinja2
    escapes every value itself, so its output is marked safe for the page it goes into."""
    words = {
        name: context[f"word_{name}"]
        for name in (
            *("drag", "characters", "placeholders", "move_up", "up", "move_down", "down", "delete"),
            *("open_comments", "reply", "resolve", "thread", "last_period", "same", "new", "new_title"),
        )
    }
    template = engines["jinja2"].get_template("drafting/measure_cards.html")
    return mark_safe(template.render({"forms": forms, "words": words}))

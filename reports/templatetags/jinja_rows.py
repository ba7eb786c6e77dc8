"""The `jinja_rows` tag: a page's repeated rows from their Jinja2 template (templates/jinja2/),
embedded in the Django template around them."""

from django import template
from django.template import engines
from django.template.backends.utils import csrf_input
from django.utils.safestring import mark_safe

register = template.Library()


def render_jinja(context, name, **values):
    """templates/jinja2/<name> rendered with `values`, the page's `word_*` translations as
    `words` and the page's CSRF field as `csrf_input` (written once, not once a form). Jinja2
    escapes every value itself, so its output is marked safe for the page it goes into."""
    words = {key[5:]: value for key, value in context.flatten().items() if key.startswith("word_")}
    request = context.get("request")
    field = csrf_input(request) if request is not None else ""
    return mark_safe(engines["jinja2"].get_template(name).render({"words": words, "csrf_input": field, **values}))


@register.simple_tag(takes_context=True)
def jinja_rows(context, name, **values):
    """A page's repeated rows from their Jinja2 template: see render_jinja."""
    return render_jinja(context, name, **values)

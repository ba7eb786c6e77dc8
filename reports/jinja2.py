"""The Jinja2 environment for the templates a benchmark showed need it (the editor's measure cards,
the board's and the dashboard's rows): autoescaped like every template, with crispy-forms' field
renderer for fields with errors and Django's truncatechars, so text is cut as in the other templates."""

import html

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.template.defaultfilters import truncatechars
from jinja2 import Environment
from markupsafe import Markup


def escaped(value):
    """A value escaped as Django's templates escape it (html.escape: &quot; and &#x27; for the
    quotes, where Jinja2 writes &#34; and &#39;), so a page reads the same whichever engine wrote
    a part of it; what is already safe stays as it is."""
    # Only text with quote marks needs Django's spelling; everything else goes to Jinja2's own
    # (much faster) escaping, which writes the other characters as Django does.
    if type(value) is str and ('"' in value or "'" in value):
        return Markup(html.escape(value))
    return value


def environment(**options):
    env = Environment(finalize=escaped, **options)
    env.globals["crispy_field"] = as_crispy_field
    env.filters["truncatechars"] = truncatechars
    return env

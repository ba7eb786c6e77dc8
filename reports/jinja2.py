"""The Jinja2 environment for the templates a benchmark showed need it (the editor's measure cards,
the board's and the dashboard's rows): autoescaped like every template, with crispy-forms' field
renderer for fields with errors and Django's truncatechars, so text is cut as in the other templates.
Values are escaped by Django's own escape (finalize), so they read exactly as in the Django
templates around them (&quot;, not &#34;); Jinja2 leaves what is already safe alone."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.template.defaultfilters import truncatechars
from django.utils.html import conditional_escape
from jinja2 import Environment


def environment(**options):
    env = Environment(finalize=conditional_escape, **options)
    env.globals["crispy_field"] = as_crispy_field
    env.filters["truncatechars"] = truncatechars
    return env

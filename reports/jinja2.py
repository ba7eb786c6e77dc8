"""The Jinja2 environment for the one template a benchmark showed needs it (the editor's measure
cards): autoescaped like every template, with crispy-forms' field renderer for fields with errors."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from jinja2 import Environment


def environment(**options):
    env = Environment(**options)
    env.globals["crispy_field"] = as_crispy_field
    return env

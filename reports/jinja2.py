"""The Jinja2 environment for the templates a benchmark showed need it (the editor's measure cards,
the board's and the dashboard's rows): autoescaped like every template, with crispy-forms' field
renderer for fields with errors and Django's truncatechars, so text is cut as in the other templates."""

import html

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.template.defaultfilters import truncatechars
from jinja2 import Environment
from markupsafe import Markup

from reports.lru import LRU

# Rows rendered before, by everything they were rendered from (see `kept`): a board's 500 rows
# ten times over.
FRAGMENTS = LRU(5_000)


def escaped(value):
    """A value escaped as Django's templates escape it (html.escape: &quot; and &#x27; for the
    quotes, where Jinja2 writes &#34; and &#39;), so a page reads the same whichever engine wrote
    a part of it; what is already safe stays as it is."""
    # Only text with quote marks needs Django's spelling; everything else goes to Jinja2's own
    # (much faster) escaping, which writes the other characters as Django does.
    if type(value) is str and ('"' in value or "'" in value):
        return Markup(html.escape(value))
    return value


def page_key(*values):
    """The values of a page that a kept fragment reads besides its row, as one hashable key
    (a dict, such as the page's words, as its items)."""
    return tuple(tuple(value.items()) if isinstance(value, dict) else value for value in values)


def kept(name, macro, row, page):
    """macro(row), the fragment `name` of a row (a dict), rendered once for the same row values and
    page values (page_key) and then kept (FRAGMENTS). What a template's macro reads is its row,
    the page's values and the request's CSRF field, nothing else; a fragment holding that field
    is never kept, so the fragment is a function of the key alone."""
    key = (name, page, tuple(row), tuple(row.values()))
    fragment = FRAGMENTS.get(key)
    if fragment is None:
        fragment = macro(row)
        if "csrfmiddlewaretoken" not in fragment:
            FRAGMENTS.put(key, fragment)
    return fragment


def _rendered(name, macro, row, page):
    return macro(row)


def environment(**options):
    env = Environment(finalize=escaped, **options)
    # With templates reloaded as they are edited (DEBUG), a kept row would outlive its template.
    env.globals["kept"] = _rendered if env.auto_reload else kept
    env.globals["page_key"] = page_key
    env.globals["crispy_field"] = as_crispy_field
    env.filters["truncatechars"] = truncatechars
    return env

"""What the views of both apps share: where a POST goes back to, how a refusal is shown, and the
small pieces of the pages whose HTML is built in Python (URL patterns, hidden fields, dates)."""

from html import escape

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def local_next(request, default):
    """The form's `next` when it is a path on this site, else `default`.

    Only a local path: redirect() would read a bare word such as "0" as a view name.
    """
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def show_refusal(request, error):
    """A refused move as error messages: each problem of a ValidationError, or the PermissionDenied reason."""
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(error) or _("You may not do this."))


_PK = 2147483647  # reversed in place of a primary key, then replaced


def url_pattern(name, *args):
    """The URL of `name` as a format string: '{}' in place of each primary key."""
    return reverse(name, args=[_PK if arg is None else arg for arg in args]).replace(str(_PK), "{}")


def hidden_fields(csrf_token, next_url):
    """The CSRF token and the page to come back to, for each small POST form built in Python."""
    token = str(csrf_token or "")
    # What {% csrf_token %} writes: nothing when the view was rendered without CSRF protection.
    token_field = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">' if token != "NOTPROVIDED" else ""
    )
    return f'{token_field}<input type="hidden" name="next" value="{escape(next_url)}">'


def day_label(value):
    """A date as Django's date:"Y年n月j日" writes it (the year in four digits)."""
    return f"{value.year:04d}年{value.month}月{value.day}日"

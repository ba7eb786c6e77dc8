"""What the views of both apps share: where a POST goes back to, and how a refusal is shown."""

from django.contrib import messages
from django.core.exceptions import ValidationError
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

"""How django-axes identifies a login attempt.

The login form does not cap the length of the name typed in (Django sets the field's
max_length after its validators are built), so axes would store whatever arrives in its
255-character column: PostgreSQL refuses a longer name, and the login page answered 500.
"""

from django.conf import settings
from django.utils.translation import gettext_noop

from reports.text import clean_text

USERNAME_LENGTH = 150  # auth.User.username; a longer name belongs to no account


def axes_username(request, credentials=None):
    """The name tried, cleaned and cut to what an account name can be."""
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None:
        return None
    return clean_text(str(username))[:USERNAME_LENGTH]


def client_address(request):
    """The visitor's address; behind the TLS proxy, the one the proxy saw, not the proxy's own.

    Only the last X-Forwarded-For entry is trusted: the proxy appends it, while anything before
    it came from the visitor and could be forged to dodge a lockout.
    """
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded[:45]
    return request.META.get("REMOTE_ADDR")


# django-axes ships no Chinese. Its admin, where administrators unlock accounts, takes these
# from this project's catalogue; gettext_noop keeps them there when makemessages runs.
AXES_ADMIN_STRINGS = [
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Locked Out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
]

"""How django-axes identifies a login attempt.

The login form does not cap the length of the name typed in (Django sets the field's
max_length after its validators are built), so axes would store whatever arrives in its
255-character column: PostgreSQL refuses a longer name, and the login page answered 500.
"""

from django.conf import settings

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

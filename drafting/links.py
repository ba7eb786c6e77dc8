"""Where a section is shown: the editor when it exists, else the read-only review page."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse


def section_page_url(section, user=None):
    """The editor for those who may edit now; the review page otherwise."""
    if user is None or section.can_edit(user):
        try:
            return reverse("drafting:section-edit", args=[section.pk])
        except NoReverseMatch:
            pass  # the editor comes with issue 3
    return reverse("drafting:section-review", args=[section.pk])


def absolute_url(path):
    return getattr(settings, "HUIGAO_BASE_URL", "").rstrip("/") + path

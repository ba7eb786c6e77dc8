"""Where a section is shown: the editor for those who may edit, else the read-only review page."""

from django.conf import settings
from django.urls import reverse


def section_page_url(section, user=None):
    """The editor for those who may edit now; the review page otherwise."""
    if user is None or section.permissions_for(user).can_edit:
        return reverse("drafting:section-edit", args=[section.pk])
    return reverse("drafting:section-review", args=[section.pk])


def absolute_url(path):
    return getattr(settings, "HUIGAO_BASE_URL", "").rstrip("/") + path

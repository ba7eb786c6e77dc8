"""A URLconf with one careless view, to prove the permission sweep notices it."""

from django.http import HttpResponse
from django.urls import path

from reports.models import Section
from reports.urls import urlpatterns as real_urlpatterns


def section_peek(request, pk):
    section = Section.objects.get(pk=pk)  # no access check: the mistake the sweep must catch
    return HttpResponse(f"{section.heading} {section.intro}")


urlpatterns = [*real_urlpatterns, path("peek/<int:pk>/", section_peek, name="section-peek")]

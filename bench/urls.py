"""The application's URLs and a baseline: a logged-in page that renders nothing.

Only bench/settings.py uses this URLconf, so production has no extra URL.
"""

from django.http import HttpResponse
from django.urls import path

from reports.urls import urlpatterns as application_urlpatterns


def baseline(request):
    # Through the same middleware (session, authentication, login required, CSP …) as every
    # page, with no query and no template of its own: the ceiling the pages are compared with.
    return HttpResponse("<!doctype html><title>baseline</title>")


urlpatterns = [*application_urlpatterns, path("bench/baseline", baseline, name="bench-baseline")]

"""The application's URLs and a baseline: a logged-in page with nothing on it.

Only bench/settings.py uses this URLconf, so production has no extra URL.
"""

from django.shortcuts import render
from django.urls import path

from reports.urls import urlpatterns as application_urlpatterns


def baseline(request):
    # An empty page of the application: through the same middleware (session, authentication,
    # login required, CSP …) and the same layout (base.html, its menu and logout form) as every
    # page, with no query and no content of its own: the ceiling the pages are compared with.
    return render(request, "base.html")


urlpatterns = [*application_urlpatterns, path("bench/baseline", baseline, name="bench-baseline")]

"""The application's URLs, a baseline (a logged-in page with nothing on it) and the peers that
bench/pages.py measures the pages against.

Only bench/settings.py uses this URLconf, so production has no extra URL.
"""

from django.shortcuts import render
from django.urls import path

from bench import peers
from reports.urls import urlpatterns as application_urlpatterns


def baseline(request):
    # An empty page of the application: through the same middleware (session, authentication,
    # login required, CSP …) and the same layout (base.html, its menu and logout form) as every
    # page, with no query and no content of its own: the ceiling the pages are compared with.
    return render(request, "base.html")


urlpatterns = [
    *application_urlpatterns,
    path("bench/baseline", baseline, name="bench-baseline"),
    path("bench/peers/board/<int:pk>/", peers.board, name="peer-board"),
    path("bench/peers/preview/<int:pk>/", peers.preview, name="peer-preview"),
    path("bench/peers/dashboard/", peers.dashboard, name="peer-dashboard"),
    path("bench/peers/editor/<int:pk>/", peers.editor, name="peer-editor"),
]

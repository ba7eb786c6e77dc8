"""A URLconf with an argument the permission sweep has not been taught, to prove it says so."""

from django.http import HttpResponse
from django.urls import path

from reports.urls import urlpatterns as real_urlpatterns


def widget(request, widget_pk):
    return HttpResponse("")


urlpatterns = [*real_urlpatterns, path("widgets/<int:widget_pk>/", widget, name="widget-detail")]

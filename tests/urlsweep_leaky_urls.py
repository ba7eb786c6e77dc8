"""A URLconf with careless views, to prove the permission sweep and the fuzzer notice them."""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path

from reports.models import Section
from reports.urls import urlpatterns as real_urlpatterns


def section_peek(request, pk):
    section = Section.objects.get(pk=pk)  # no access check: the mistake the sweep must catch
    return HttpResponse(f"{section.heading} {section.intro}")


def fragile_form(request):
    if request.method == "POST":
        title = request.POST.get("title", "")
        if "\x00" in title or len(title) > 1000:  # the mistake the fuzzer must catch
            raise ValueError("unexpected input")
        return HttpResponse("saved")
    return HttpResponse(
        f'<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">'
        '<input name="title"><button type="submit">保存</button></form>'
    )


urlpatterns = [
    *real_urlpatterns,
    path("peek/<int:pk>/", section_peek, name="section-peek"),
    path("fragile/", fragile_form, name="fragile-form"),
]

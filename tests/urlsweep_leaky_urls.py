"""A URLconf with careless views, to prove the permission sweep, the fuzzer and the fault tests notice them."""

from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import path
from django.utils.html import escape

from reports.models import Measure, Section
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


def _editor(request, pk, atomic):
    section = Section.objects.get(pk=pk)
    if request.method == "POST":
        if "heading" not in request.POST:
            return HttpResponse("incomplete", status=400)
        with transaction.atomic() if atomic else transaction.mark_for_rollback_on_error():
            section.heading = request.POST["heading"]
            section.intro = request.POST["intro"]
            section.version += 1
            section.save()
            section.measures.all().delete()
            for n in range(int(request.POST["measures-TOTAL_FORMS"])):
                Measure.objects.create(
                    section=section,
                    position=n,
                    lead=request.POST[f"measures-{n}-lead"],
                    body=request.POST[f"measures-{n}-body"],
                )
        return HttpResponseRedirect(request.path)
    measures = list(section.measures.all())
    rows = "".join(
        f'<input name="measures-{n}-lead" value="{escape(m.lead)}"><textarea name="measures-{n}-body">{escape(m.body)}</textarea>'
        for n, m in enumerate(measures)
    )
    return HttpResponse(
        f'<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">'
        f'<input name="heading" value="{escape(section.heading)}"><textarea name="intro">{escape(section.intro)}</textarea>'
        f'<input type="hidden" name="measures-TOTAL_FORMS" value="{len(measures)}">{rows}'
        '<button type="submit" name="save">保存</button></form>'
    )


def careful_editor(request, pk):
    return _editor(request, pk, atomic=True)


def careless_editor(request, pk):
    return _editor(request, pk, atomic=False)


urlpatterns = [
    *real_urlpatterns,
    path("peek/<int:pk>/", section_peek, name="section-peek"),
    path("fragile/", fragile_form, name="fragile-form"),
    path("careful/<int:pk>/", careful_editor, name="section-careful-edit"),
    path("careless/<int:pk>/", careless_editor, name="section-careless-edit"),
]

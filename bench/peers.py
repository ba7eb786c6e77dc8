"""The straightforward peers bench/pages.py measures each page against: plain Django views that
run one queryset (with the usual select_related / prefetch_related) and one template loop over
the same report, in the same base.html, linking each row with {% url %} as a page normally would.

They are not part of the application: only bench/urls.py routes to them.
"""

from django import forms
from django.shortcuts import get_object_or_404, render

from reports.models import Assignment, Measure, Report, Section


def board(request, pk):
    report = get_object_or_404(Report, pk=pk)
    sections = (
        Section.objects.filter(report=report).select_related("assignment__department").prefetch_related("measures")
    )
    return render(request, "bench/board.html", {"report": report, "sections": sections})


def preview(request, pk):
    report = get_object_or_404(Report, pk=pk)
    sections = Section.objects.filter(report=report).prefetch_related("measures")
    return render(request, "bench/preview.html", {"report": report, "sections": sections})


def dashboard(request):
    assignments = Assignment.objects.filter(department__memberships__user=request.user).select_related(
        "section__report", "department"
    )
    return render(request, "bench/dashboard.html", {"assignments": assignments})


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["heading", "intro"]


MeasureFormSet = forms.modelformset_factory(Measure, fields=["lead", "body"], extra=0)


def editor(request, pk):
    section = get_object_or_404(Section, pk=pk)
    form = SectionForm(instance=section)
    formset = MeasureFormSet(queryset=Measure.objects.filter(section=section))
    return render(request, "bench/editor.html", {"section": section, "form": form, "formset": formset})

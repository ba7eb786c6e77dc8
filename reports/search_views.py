"""The search page: titles, headings and measures across what the user may read."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render

from reports import search
from reports.forms import SearchForm


def search_page(request):
    form = SearchForm(request.GET if "q" in request.GET else None)
    context = {"form": form, "page": None, "results": []}
    status = 200
    if form.is_bound and form.is_valid():
        q = form.cleaned_data["q"]
        reports = search.matching_reports(request.user, q).select_related("lead_department")
        page = Paginator(reports, search.REPORTS_PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            q=q,
            page=page,
            results=search.results(request.user, q, list(page.object_list)),
            query=urlencode({"q": q}),
        )
    elif form.is_bound:
        status = 400
    return render(request, "reports/search.html", context, status=status)

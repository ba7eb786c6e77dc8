"""Search across what the user may read: titles, headings, intros and measures."""

from django.db import connection
from django.urls import reverse

from reports import search
from reports.models import Measure, Report, Section

SEARCH = reverse("reports:search")


def found(client, q, **params):
    response = client.get(SEARCH, {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_a_drafter_finds_a_measure_of_their_own_section_with_the_words_marked(login, drafter, report, our_section):
    html = found(login(drafter), "一网通办")
    assert 'data-testid="search-report"' in html
    assert '<mark class="search-match">一网通办</mark>' in html
    assert reverse("drafting:section-edit", args=[our_section.pk]) in html
    # The section's number, as the outline gives it.
    assert "（一）在提升政务服务效能方面" in html


def test_a_drafter_does_not_find_another_departments_measure(login, drafter, report):
    html = found(login(drafter), "闲置土地")
    assert 'data-testid="search-empty"' in html
    assert "盘活" not in html


def test_once_the_office_opens_the_report_the_drafter_finds_the_other_sections_read_only(login, drafter, report):
    report.departments_see_whole_report = True
    report.save()
    html = found(login(drafter), "闲置土地")
    assert '<mark class="search-match">闲置土地</mark>' in html
    assert reverse("reports:report-preview", args=[report.pk]) in html
    assert reverse("drafting:section-edit", args=[report.their_section.pk]) not in html


def test_a_coordinator_finds_headings_intros_and_the_title(login, coordinator, report):
    client = login(coordinator)
    assert '<mark class="search-match">要素保障</mark>' in found(client, "要素保障")
    assert '<mark class="search-match">专题研究</mark>' in found(client, "专题研究")
    html = found(client, "测试工作")
    assert '<mark class="search-match">测试工作</mark>' in html and report.get_absolute_url() in html


def test_someone_with_no_part_in_a_report_finds_nothing_of_it(login, other_coordinator, report):
    html = found(login(other_coordinator), "测试")
    assert 'data-testid="search-empty"' in html


def test_latin_text_matches_whatever_its_case(login, coordinator, report, our_section):
    Measure.objects.create(section=our_section, position=5, lead="上线政务APP", body="")
    html = found(login(coordinator), "app")
    assert '<mark class="search-match">APP</mark>' in html


def test_a_one_character_query_works_too(login, coordinator, report):
    assert '<mark class="search-match">亩</mark>' in found(login(coordinator), "亩")


def test_an_empty_or_overlong_query_is_refused_with_a_message_in_chinese(login, drafter, report):
    client = login(drafter)
    response = client.get(SEARCH, {"q": "   "})
    assert response.status_code == 400
    assert "请输入要查找的词句" in response.content.decode()
    response = client.get(SEARCH, {"q": "政" * (search.MAX_QUERY_CHARS + 1)})
    assert response.status_code == 400
    assert f"最多查找 {search.MAX_QUERY_CHARS} 个字" in response.content.decode()


def test_the_search_page_shows_the_form_without_a_query_and_the_navigation_links_to_it(login, drafter, report):
    response = login(drafter).get(SEARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="search-form"' in html and 'data-testid="search-report"' not in html
    assert f'href="{SEARCH}" data-testid="nav-search"' in html


def test_results_are_paged_by_report_and_the_query_stays_in_the_page_links(
    login, coordinator, office, django_assert_max_num_queries
):
    for n in range(search.REPORTS_PER_PAGE + 2):
        other = Report.objects.create(title=f"第{n}份报告", lead_department=office)
        section = Section.objects.create(report=other, position=0, heading="优化营商环境")
        for m in range(search.HITS_PER_REPORT + 3):
            sub = Section.objects.create(report=other, parent=section, position=m, heading=f"营商环境第{m}项")
            Measure.objects.create(section=sub, position=0, lead="优化营商环境", body="营商环境持续优化。")
    client = login(coordinator)
    with django_assert_max_num_queries(40):
        html = found(client, "营商环境")
    assert html.count('data-testid="search-report"') == search.REPORTS_PER_PAGE
    assert "q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83&amp;page=2" in html
    # Each report shows its first sections, and says how many more there are.
    assert html.count('data-testid="search-hit"') == search.REPORTS_PER_PAGE * search.HITS_PER_REPORT
    assert "本报告另有 4 个章节" in html
    second = found(client, "营商环境", page=2)
    assert second.count('data-testid="search-report"') == 2


def test_highlight_marks_every_match_in_the_window_and_cuts_long_text_with_an_ellipsis():
    text = "甲" * 50 + "营商环境" + "乙" * 10 + "营商环境" + "丙" * 100
    pieces = search.highlight(text, "营商环境")
    assert pieces[0] == ("…", False) and pieces[-1] == ("…", False)
    assert [p for p, matched in pieces if matched] == ["营商环境", "营商环境"]
    assert search.highlight("<b>政务</b>", "政务") == [("<b>", False), ("政务", True), ("</b>", False)]


def test_markup_in_the_text_is_shown_as_text(login, coordinator, report, our_section):
    Measure.objects.create(section=our_section, position=6, lead="推进<script>alert(1)</script>", body="")
    html = found(login(coordinator), "推进")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_trigram_indexes_exist_on_postgresql_and_nowhere_else(db):
    with connection.cursor() as cursor:
        names = {
            name
            for table in ("reports_report", "reports_section", "reports_measure")
            for name in connection.introspection.get_constraints(cursor, table)
        }
    trigram = {name for name in names if name.endswith("_trgm")}
    if connection.vendor == "postgresql":
        assert trigram == {name for _model, _column, name in _searched()}
    else:
        assert trigram == set()


def test_on_postgresql_a_three_character_search_can_use_the_trigram_index(db):
    query = Measure.objects.filter(body__icontains="政务服务").values("pk")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            sql, params = query.query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "measure_body_trgm" in plan
        else:
            # SQLite: a plain scan with LIKE, which matches case-insensitively for ASCII only;
            # Chinese has no case.
            assert "LIKE" in str(query.query)


def _searched():
    from importlib import import_module

    framing = import_module("reports.migrations.0017_report_preamble_closing_trgm").SEARCHED
    return import_module("reports.migrations.0012_search_trigram_indexes").SEARCHED + [
        ("report", column, name) for column, name in framing
    ]


def with_framing(report):
    report.preamble = "今年以来，我县坚持稳中求进工作总基调，统筹推进各项工作。"
    report.closing = "下一步，我们将持续巩固拓展成果，奋力谱写新篇章。"
    report.save()
    return report


def test_the_office_finds_words_of_its_reports_preamble_and_closing_linked_to_the_preview(login, coordinator, report):
    with_framing(report)
    client = login(coordinator)
    preview = reverse("reports:report-preview", args=[report.pk])
    html = found(client, "稳中求进")
    assert 'data-kind="preamble"' in html and '<mark class="search-match">稳中求进</mark>' in html
    assert f'<a href="{preview}">导语</a>' in html
    html = found(client, "谱写新篇章")
    assert 'data-kind="closing"' in html and f'<a href="{preview}">结束语</a>' in html
    assert 'data-kind="preamble"' not in html


def test_a_drafter_finds_the_preamble_only_once_the_office_opens_the_whole_report(login, drafter, report):
    with_framing(report)
    client = login(drafter)
    # The drafter takes part in the report but may not read the office's text yet.
    html = found(client, "稳中求进")
    assert 'data-testid="search-empty"' in html and "统筹推进" not in html
    report.departments_see_whole_report = True
    report.save()
    html = found(client, "稳中求进")
    assert 'data-kind="preamble"' in html


def test_someone_outside_the_report_never_finds_its_preamble(login, other_coordinator, report):
    with_framing(report)
    report.departments_see_whole_report = True
    report.save()
    html = found(login(other_coordinator), "稳中求进")
    assert 'data-testid="search-empty"' in html


def test_markup_in_a_preamble_is_shown_as_text(login, coordinator, report):
    report.preamble = "<img src=x>稳中求进</b>"
    report.save()
    html = found(login(coordinator), "稳中求进")
    assert "<img src=x>" not in html and "&lt;img src=x&gt;<mark" in html and "&lt;/b&gt;" in html

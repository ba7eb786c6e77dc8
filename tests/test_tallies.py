"""Each section's tally (its counts, page-estimate lines and fingerprint, kept with its text) says
what a full reading of the text says, after every way text changes: the editor's save, restore,
import, clone, a wording rule, a move to another level, a save outside the editor."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import cloning, content, gate, importer, outline_edit, proofreading, tallies
from reports.models import Measure, Report, Section, SectionTally, WordingRule
from tests.conftest import editor_data

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


def board(client, report):
    return client.get(reverse("reports:report-board", args=[report.pk]))


def counted(report):
    """What the board counts from the tallies: ({pk: {severity: n}}, pages)."""
    outline, _departments = tallies.numbered_outline(report, "assignment__char_limit")
    wording = WordingRule.objects.in_use()
    found = tallies.of_outline(outline, wording)
    limits = {s.pk: s.values["assignment__char_limit"] for s in outline}
    return tallies.report_proofreading(report, outline, found, wording, limits)


def read_in_full(report):
    """What a proofreading of every text says: ({pk: {severity: n}}, pages)."""
    result = proofreading.proofread(Report.objects.get(pk=report.pk))
    by_section = result.counts()
    return {s.pk: dict(by_section[s.pk]) for s in report.outline()}, result.pages


def assert_tallies_fresh(report, *sections):
    """Every stored tally of the report equals one computed now from the text; every section of
    the report has one, or those given do."""
    wording = WordingRule.objects.in_use()
    outline = list(report.outline(measures=True))
    stored_for = set(SectionTally.objects.filter(section__report=report).values_list("section_id", flat=True))
    assert {s.pk for s in sections or outline} <= stored_for
    for section in outline:
        if section.pk not in stored_for:
            continue
        stored = SectionTally.objects.get(section=section)
        fresh = tallies.compute(
            section, section.measures.all(), version=section.version, level=section.level, wording=wording
        )
        assert {f: getattr(stored, f) for f in tallies.FIELDS} == {f: getattr(fresh, f) for f in tallies.FIELDS}, (
            section.heading
        )


def save(section, intro=None, measures=None, heading=None, user=None):
    texts = None if measures is None else [content.MeasureText(None, lead, body) for lead, body in measures]
    return content.save_content(Section.objects.get(pk=section.pk), user, intro=intro, measures=texts, heading=heading)


def row_of(response, section):
    return next(row for row in response.context["rows"] if row["pk"] == section.pk)


# Pieces of text with the usual slips, and clean ones, for the property test.
PIECES = [
    "县委专题研究部署。",
    "今年以来,我局完成调查",
    "2025年全县新增企业",
    "二〇二五年",
    "百分之十二",
    "增长12%",
    "十余家",
    "10余家",
    "企业数量达到120家。",
    "企业数量达到150家。",
    "清单X项",
    "会议开得很好。。",
    "群众满意“度高",
    "的的确确",
    "营商环境优化提升",
    "1.加强调度。",
    "（1）压实责任。",
    "3~5个工作日",
    "12,345元",
    "2025年06月09日",
    "一是抓落实。三是抓整改。",
    "",
]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=4).map("".join)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=TEXTS,
    preamble=TEXTS,
    first=TEXTS,
    ours=st.lists(st.tuples(TEXTS, TEXTS), max_size=3),
    theirs=st.lists(st.tuples(TEXTS, TEXTS), max_size=3),
    limit=st.sampled_from([None, 10, 200]),
)
def test_the_counts_from_tallies_are_those_of_reading_every_text(report, title, preamble, first, ours, theirs, limit):
    WordingRule.objects.get_or_create(wrong="营商环境优化提升", right="营商环境持续优化")
    Report.objects.filter(pk=report.pk).update(title=title or "报告", preamble=preamble)
    report.refresh_from_db()
    report.our_section.assignment.char_limit = limit
    report.our_section.assignment.save()
    save(report.first_section, intro=first)
    save(report.our_section, measures=ours)
    save(report.their_section, measures=theirs)
    assert counted(report) == read_in_full(report)  # stores the tallies the saves did not write
    assert_tallies_fresh(report)


def test_a_save_refreshes_the_tally_and_the_board_shows_it(login, report, coordinator, drafter):
    ours = report.our_section
    client = login(coordinator)
    assert row_of(board(client, report), ours)["placeholders"] == 0
    # The drafter saves through the editor.
    measures = [(None, "推行一件事一次办", "梳理形成清单X项。"), (None, "深化一网通办", "网办率达到90%。。")]
    response = login(drafter).post(
        reverse("drafting:section-edit", args=[ours.pk]), editor_data(ours, measures, intro="完成XX项")
    )
    assert response.status_code == 302
    ours.refresh_from_db()
    tally = SectionTally.objects.get(section=ours)
    assert tally.version == ours.version
    assert (tally.placeholders, tally.empty_measures) == (2, 0)
    assert_tallies_fresh(report, ours)
    row = row_of(board(login(coordinator), report), ours)
    assert row["placeholders"] == 2
    assert row["proof_warnings"] == read_in_full(report)[0][ours.pk]["warning"] > 0


def test_restoring_a_version_restores_its_counts(login, report, drafter):
    ours = report.our_section
    save(ours, intro="清单X项。")
    before = SectionTally.objects.get(section=ours)
    save(ours, intro="清单12项。")
    assert SectionTally.objects.get(section=ours).placeholders == 0
    version = content.revisions(ours)[1]  # the one holding 清单X项
    content.restore(Section.objects.get(pk=ours.pk), drafter, version)
    after = SectionTally.objects.get(section=ours)
    assert after.placeholders == before.placeholders == 1
    assert after.fingerprint == before.fingerprint
    assert_tallies_fresh(report, ours)


def test_an_imported_report_has_its_tallies(office):
    parsed = importer.parse_text(
        "关于测试的报告\n一、强化组织领导\n县委专题研究部署,召开会议X次。\n（一）子部分\n一是抓落实。三是抓整改。\n县委办公室"
    )
    report = importer.create_report(parsed, office)
    assert SectionTally.objects.filter(section__report=report).count() == report.sections.count() == 2
    assert_tallies_fresh(report)
    assert counted(report) == read_in_full(report)


def test_a_cloned_report_has_its_tallies(report, coordinator):
    save(report.our_section, measures=[("推行", "清单X项，，")])
    copy = cloning.clone_report(report, coordinator, title="新一期报告")
    assert SectionTally.objects.filter(section__report=copy).count() == copy.sections.count()
    assert_tallies_fresh(copy)
    assert counted(copy) == read_in_full(copy)
    empty = cloning.clone_report(report, coordinator, title="空白报告", copy_content=False)
    assert_tallies_fresh(empty)


def test_a_new_wording_rule_counts_on_the_next_board(login, report, coordinator):
    save(report.first_section, intro="持续优化营商环境优化提升工作。")
    client = login(coordinator)
    assert row_of(board(client, report), report.first_section)["proof_warnings"] == 0
    WordingRule.objects.create(wrong="营商环境优化提升", right="营商环境持续优化")
    assert row_of(board(client, report), report.first_section)["proof_warnings"] == 1
    assert_tallies_fresh(report)
    WordingRule.objects.update(enabled=False)
    assert row_of(board(client, report), report.first_section)["proof_warnings"] == 0


def test_a_section_moved_to_another_level_is_counted_at_its_new_level(login, report, coordinator):
    # "1." opening a paragraph skips a level under a level-1 section, not under a level-2 one.
    third = outline_edit.add_section(report, "第三部分")
    save(third, intro="1.加强调度。")
    client = login(coordinator)
    assert row_of(board(client, report), third)["proof_warnings"] == 1
    outline_edit.move_section(Section.objects.get(pk=third.pk), "indent")
    assert row_of(board(client, report), third)["proof_warnings"] == 0
    assert_tallies_fresh(report)
    assert counted(report) == read_in_full(report)


def test_a_measure_saved_outside_the_editor_drops_the_tally(login, report, coordinator):
    client = login(coordinator)
    board(client, report)
    assert SectionTally.objects.filter(section=report.our_section).exists()
    measure = Measure.objects.filter(section=report.our_section).first()
    measure.body = "清单X项。"
    measure.save()  # as the admin saves it
    assert not SectionTally.objects.filter(section=report.our_section).exists()
    assert row_of(board(client, report), report.our_section)["placeholders"] == 1
    assert_tallies_fresh(report)


def test_a_tally_of_an_older_version_is_not_believed(login, report, coordinator):
    """A page that read the text just before a save may store a tally of the old text after it:
    the version says so, and the next page counts again."""
    client = login(coordinator)
    board(client, report)
    save(report.our_section, intro="清单X项。")
    SectionTally.objects.filter(section=report.our_section).update(version=1, placeholders=0, warnings=9)
    row = row_of(board(client, report), report.our_section)
    assert row["placeholders"] == 1 and row["proof_warnings"] == 0
    assert_tallies_fresh(report)


def test_a_restored_deleted_section_is_counted(login, report, coordinator):
    save(report.their_section, measures=[("保障", "盘活土地X亩")])
    client = login(coordinator)
    outline_edit.delete_section(Section.objects.get(pk=report.their_section.pk), coordinator)
    assert not SectionTally.objects.filter(section_id=report.their_section.pk).exists()
    outline_edit.restore_deleted(report, outline_edit.deleted_revisions(report)[0].pk)
    assert row_of(board(client, report), report.their_section)["placeholders"] == 1
    assert_tallies_fresh(report)


def test_the_board_lists_the_first_problems_and_counts_the_rest(login, report, coordinator):
    Report.objects.filter(pk=report.pk).update(title="关于X项工作的报告", closing="下一步，完成X项。")
    save(report.first_section, intro="召开会议X次，".join("一二三四五六七八九十"))
    save(report.our_section, measures=[("", ""), ("推行", "清单XX项")])
    save(report.their_section, intro="盘活X亩" * 15)
    report.refresh_from_db()
    expected = gate.report_problems(report)
    assert len(expected) > 20
    response = board(login(coordinator), report)
    assert [p["message"] for p in response.context["problems"]] == [p.message for p in expected[:20]]
    assert response.context["more_problems"] == len(expected) - 20
    assert not response.context["ready_to_finalise"]
    assert f"……另有{len(expected) - 20}处。" in response.content.decode()


def test_the_dashboard_counts_follow_a_save(login, drafter, report):
    ours = report.our_section
    client = login(drafter)

    def dashboard_row():
        response = client.get(reverse("drafting:dashboard"))
        return next(row for group in response.context["groups"] for row in group.rows if row.section_pk == ours.pk)

    assert dashboard_row().placeholders == 0
    save(ours, intro="完成X项，", user=drafter)
    assert_tallies_fresh(report, ours)
    row = dashboard_row()
    assert row.placeholders == 1
    assert row.chars == len("完成X项，推行一件事一次办梳理形成清单12项。深化一网通办全程网办率达到90%。")


def test_the_editor_estimates_the_pages_the_board_shows(login, report, coordinator, drafter):
    save(report.first_section, intro="县委专题研究部署。\n" * 60)
    ours = report.our_section
    pages = board(login(coordinator), report).context["pages"]
    assert pages == read_in_full(report)[1] > 1
    check = reverse("drafting:section-check", args=[ours.pk])
    client = login(drafter)
    assert f"全文约 {pages} 页" in client.post(check, editor_data(ours)).content.decode()
    longer = editor_data(ours, [(None, "长文", "字" * 28 * 22 * 2)])
    assert f"全文约 {pages + 2} 页" in client.post(check, longer).content.decode()

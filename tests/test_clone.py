"""New period from this report: outline, assignments with moved deadlines, content or empty."""

import datetime

from django.urls import reverse

from reports.cloning import next_period_title
from reports.models import Assignment, AssignmentState, Measure, Report, ReportAction


def clone_url(report):
    return reverse("reports:report-clone", args=[report.pk])


def post_clone(client, report, **data):
    return client.post(clone_url(report), {"title": "新一期报告", "shift_days": 30, "content": "draft", **data})


def new_report(source):
    return Report.objects.exclude(pk=source.pk).get()


def test_the_form_suggests_next_years_title(login, coordinator, report):
    report.title = "关于2025年度优化营商环境工作的报告"
    report.save()
    content = login(coordinator).get(clone_url(report)).content.decode()
    assert "关于2026年度优化营商环境工作的报告" in content
    assert "成文日期和印发日期留待新一期填写" in content
    assert next_period_title("2019年至2025年总结") == "2020年至2026年总结"


def test_cloning_copies_the_outline_assignments_and_content_as_a_draft(login, coordinator, report, our_section):
    our_section.assignment.state = AssignmentState.ACCEPTED
    our_section.assignment.char_limit = 800
    our_section.assignment.save()
    response = post_clone(login(coordinator), report)
    copy = new_report(report)
    assert response.status_code == 302 and response.url == copy.get_absolute_url()
    assert copy.title == "新一期报告"
    assert copy.lead_department == report.lead_department and copy.created_by == coordinator
    assert copy.preamble == report.preamble and copy.closing == report.closing and copy.issuer == report.issuer
    assert copy.deadline == report.deadline + datetime.timedelta(days=30)
    outline = copy.outline(measures=True)
    assert [f"{s.label}{s.heading}" for s in outline] == [f"{s.label}{s.heading}" for s in report.outline()]
    assert outline[0].intro == "县委专题研究部署。"
    assert [(m.lead, m.body) for m in outline[2].measures.all()] == [
        ("推行一件事一次办", "梳理形成清单12项。"),
        ("深化一网通办", "全程网办率达到90%。"),
    ]
    ours = outline[2].assignment
    assert ours.department == our_section.assignment.department
    assert ours.deadline == our_section.assignment.deadline + datetime.timedelta(days=30)
    assert ours.char_limit == 800
    assert set(Assignment.objects.filter(section__report=copy).values_list("state", flat=True)) == {"draft"}
    assert ours.signed_off_by is None
    event = copy.events.get()
    assert event.action == ReportAction.CLONE and event.actor == coordinator
    # The source is untouched.
    our_section.assignment.refresh_from_db()
    assert our_section.assignment.state == AssignmentState.ACCEPTED
    assert Measure.objects.filter(section__report=report).count() == 3


def test_cloning_with_empty_sections_keeps_headings_and_assignments_only(login, coordinator, report):
    post_clone(login(coordinator), report, content="empty", shift_days=-7)
    copy = new_report(report)
    assert copy.sections.count() == 4
    assert Measure.objects.filter(section__report=copy).count() == 0
    assert set(copy.sections.values_list("intro", flat=True)) == {""}
    assert copy.preamble == "" and copy.closing == ""
    assert Assignment.objects.filter(section__report=copy).count() == 2
    assert copy.sections.get(
        heading="在提升政务服务效能方面"
    ).assignment.deadline == report.deadline - datetime.timedelta(days=7)


def test_a_final_report_can_start_the_next_period(login, coordinator, report):
    report.is_final = True
    report.save()
    post_clone(login(coordinator), report)
    assert new_report(report).is_final is False


def test_cloning_takes_a_constant_number_of_queries(coordinator, report, django_assert_max_num_queries):
    from reports.cloning import clone_report
    from reports.models import Section

    for n in range(30):
        section = Section.objects.create(report=report, position=10 + n, heading=f"部分{n}")
        Measure.objects.create(section=section, position=0, lead="甲", body="乙")
    # Whatever the number of sections: the sections, measures, tallies and attachments are each
    # written in one query, the office's wording list read once.
    with django_assert_max_num_queries(14):
        clone_report(report, coordinator, title="新", shift_days=1)


def test_a_department_member_who_does_not_coordinate_cannot_clone(login, drafter, report):
    client = login(drafter)
    assert client.get(clone_url(report)).status_code == 403
    assert post_clone(client, report).status_code == 403
    assert Report.objects.count() == 1


def test_someone_who_cannot_see_the_report_gets_404(login, other_coordinator, report):
    assert post_clone(login(other_coordinator), report).status_code == 404
    assert Report.objects.count() == 1


def test_bad_input_gets_a_chinese_message_and_creates_nothing(login, coordinator, report):
    response = post_clone(login(coordinator), report, title="  ", shift_days="很多", content="all")
    assert response.status_code == 400
    content = response.content.decode()
    assert "这个字段是必填项" in content or "标题不能为空" in content
    assert "输入整数" in content
    assert Report.objects.count() == 1


def test_a_pasted_title_is_kept_on_one_line_like_every_other_title(login, coordinator, report):
    title = "关于2026年度\r\n优化营商环境\t\t工作\u3000情况的报告\n\x07"
    response = post_clone(login(coordinator), report, title=title)
    assert response.status_code == 302
    assert new_report(report).title == "关于2026年度 优化营商环境 工作 情况的报告"


def test_a_title_of_line_breaks_only_is_refused(login, coordinator, report):
    response = post_clone(login(coordinator), report, title="\r\n\x07\n")
    assert response.status_code == 400
    assert "标题不能为空" in response.content.decode()
    assert Report.objects.count() == 1


def test_the_report_page_offers_the_clone_to_coordinators_only(login, coordinator, drafter, report):
    assert clone_url(report) in login(coordinator).get(report.get_absolute_url()).content.decode()
    assert clone_url(report) not in login(drafter).get(report.get_absolute_url()).content.decode()


def test_a_cloned_section_and_its_measures_know_their_counterparts_of_last_period(coordinator, report):
    from reports.cloning import clone_report
    from reports.models import Measure

    copy = clone_report(report, coordinator, title="关于2026年测试工作情况的报告")
    new = copy.sections.get(heading="在提升政务服务效能方面")
    assert new.previous == report.our_section
    assert [m.previous for m in Measure.objects.filter(section=new).order_by("position")] == list(
        report.our_section.measures.order_by("position")
    )


def give_attachments_and_imprint(report):
    from reports.models import Attachment

    report.addressee = "县委"
    report.annotation = "（联系人：张某，联系电话：1234567）"
    report.cc = "市委办公室，市政府办公室"
    report.printed_by = "中共测试县委办公室"
    report.printed_on = datetime.date(2025, 12, 20)
    report.issued_on = datetime.date(2025, 12, 18)
    report.save()
    Attachment.objects.create(report=report, position=0, title="典型经验材料", body="第一段。\n第二段。")
    Attachment.objects.create(
        report=report,
        position=1,
        title="重点项目进度表",
        body="",
        table={"header": True, "rows": [["项目", "进度"], ["一号工程", "80%"]]},
    )


def test_cloning_carries_the_attachments_the_annotation_and_the_imprint_but_not_the_dates(login, coordinator, report):
    give_attachments_and_imprint(report)
    post_clone(login(coordinator), report)
    copy = new_report(report)
    copy.refresh_from_db()
    assert [(a.position, a.title, a.body, a.table) for a in copy.attachments.all()] == [
        (0, "典型经验材料", "第一段。\n第二段。", None),
        (1, "重点项目进度表", "", {"header": True, "rows": [["项目", "进度"], ["一号工程", "80%"]]}),
    ]
    assert copy.addressee == "县委"
    assert copy.annotation == "（联系人：张某，联系电话：1234567）"
    assert (copy.cc, copy.printed_by) == ("市委办公室，市政府办公室", "中共测试县委办公室")
    # Both dates belong to the new period: the office fills them in when it issues it.
    assert copy.printed_on is None and copy.issued_on is None
    # The source keeps its own.
    report.refresh_from_db()
    assert report.attachments.count() == 2 and report.printed_on == datetime.date(2025, 12, 20)


def test_cloning_with_empty_sections_keeps_attachment_titles_and_table_headers_only(login, coordinator, report):
    give_attachments_and_imprint(report)
    post_clone(login(coordinator), report, content="empty")
    copy = new_report(report)
    assert [(a.title, a.body, a.table) for a in copy.attachments.all()] == [
        ("典型经验材料", "", None),
        ("重点项目进度表", "", {"header": True, "rows": [["项目", "进度"]]}),
    ]
    assert copy.annotation == report.annotation and copy.printed_by == report.printed_by


def test_cloning_attachments_keeps_the_number_of_queries_constant(coordinator, report, django_assert_max_num_queries):
    from reports.cloning import clone_report
    from reports.models import Attachment

    Attachment.objects.bulk_create(Attachment(report=report, position=n, title=f"附件{n}") for n in range(30))
    with django_assert_max_num_queries(14):
        copy = clone_report(report, coordinator, title="新", shift_days=1)
    assert copy.attachments.count() == 30

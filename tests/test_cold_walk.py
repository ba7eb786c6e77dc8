"""What a new coordinator and a new department drafter met on a first walk through a report:
each problem on the way to 定稿 says where it is fixed, a returned section shows its note where
the drafter starts, a refusal reads as one message, and the outline's buttons say what they do."""

import pytest
from django.urls import reverse

from reports.models import Measure
from tests.conftest import set_assignment_state

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


def test_the_board_links_a_placeholder_in_the_preamble_to_the_report_form(login, report, coordinator):
    report.preamble = "今年以来，我县推进X项重点工作。"
    report.save()
    page = login(coordinator).get(reverse("reports:report-board", args=[report.pk])).content.decode()
    edit = reverse("reports:report-edit", args=[report.pk])
    assert f'<a href="{edit}#id_preamble" data-testid="finalise-blocker">导语：占位符“X”' in page


def test_the_board_links_a_placeholder_in_a_section_to_its_page(login, report, coordinator):
    measure = Measure.objects.get(section=report.their_section)
    measure.body = "盘活闲置土地X亩。"
    measure.save()
    page = login(coordinator).get(reverse("reports:report-board", args=[report.pk])).content.decode()
    review = reverse("drafting:section-review", args=[report.their_section.pk])
    assert f'<a href="{review}#measure-{measure.pk}" data-testid="finalise-blocker">' in page


def test_a_returned_section_shows_the_note_by_its_state_in_the_editor(login, report, coordinator, drafter, signer):
    assignment = report.our_section.assignment
    set_assignment_state(assignment, "signed_off", signer)
    assignment.return_to_department(coordinator, "请补充脱贫劳动力专场招聘的场次。")
    page = login(drafter).get(reverse("drafting:section-edit", args=[report.our_section.pk])).content.decode()
    panel = page[page.index('id="workflow-panel"') : page.index('data-testid="review-thread"')]
    assert 'data-testid="panel-return-note"' in panel
    assert "退回，意见：" in panel and "请补充脱贫劳动力专场招聘的场次。" in panel


def test_the_note_goes_once_the_section_is_submitted_again(login, report, coordinator, drafter, signer):
    assignment = report.our_section.assignment
    set_assignment_state(assignment, "signed_off", signer)
    assignment.return_to_department(coordinator, "请补充脱贫劳动力专场招聘的场次。")
    assignment.refresh_from_db()
    assignment.submit(drafter)
    page = login(drafter).get(reverse("drafting:section-edit", args=[report.our_section.pk])).content.decode()
    assert 'data-testid="panel-return-note"' not in page


def test_a_refused_finalise_is_one_message_with_its_problems_listed(login, report, coordinator):
    response = login(coordinator).post(reverse("reports:report-finalise", args=[report.pk]), follow=True)
    page = response.content.decode()
    main = page[page.index("<main") :]
    alert = main[: main.index("btn-close")]
    assert "报告暂不能定稿：" in alert
    assert "成文日期为空。" in alert  # the problems are in the header's box, not boxes of their own
    assert main.count('role="alert"') == main[: main.index("breadcrumb")].count('role="alert"') == 1
    report.refresh_from_db()
    assert not report.is_final


def test_the_outline_button_that_opens_a_sections_settings_says_what_it_opens(login, report, coordinator):
    page = login(coordinator).get(reverse("reports:report-detail", args=[report.pk])).content.decode()
    assert page.count(">标题和分派</button>") == 4
    assert 'title="修改标题、责任单位、截止日期、字数限制和会签单位"' in page

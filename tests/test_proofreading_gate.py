"""Proofreading in the sign-off gate: the report's setting 校对错误阻止签发 decides whether errors
block 签发 (and 定稿); off, they are listed as warnings; warnings never block. The figure rule,
which compares two departments' sections, never blocks."""

import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports.models import AssignmentState, Measure, Report
from tests.conftest import set_assignment_state

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

UNPAIRED = "深化“一网通办改革。"  # P003, an error: the opening quotation mark has no closing one
HALF_WIDTH = "梳理形成清单12项,全部公开。"  # P001, a warning: a half-width comma


@pytest.fixture
def submitted(report):
    return set_assignment_state(report.our_section.assignment, AssignmentState.SUBMITTED)


@pytest.fixture
def slips(report):
    """The 发改局's section with one proofreading error (二是) and one warning (一是)."""
    section = report.our_section
    first, second = section.measures.get(position=0), section.measures.get(position=1)
    first.body = HALF_WIDTH
    first.save()
    second.body = UNPAIRED
    second.save()
    return first, second


def blocking(report, on=True):
    report.proofreading_blocks_sign_off = on
    report.save(update_fields=["proofreading_blocks_sign_off"])


def review(client, section):
    return client.get(reverse("drafting:section-review", args=[section.pk])).content.decode()


def sign_off_url(section):
    return reverse("drafting:section-action", args=[section.pk, "sign_off"])


def test_the_setting_is_off_by_default_and_errors_do_not_block_sign_off(report, signer, submitted, slips):
    assert Report._meta.get_field("proofreading_blocks_sign_off").default is False
    submitted.sign_off(signer)
    submitted.refresh_from_db()
    assert submitted.state == AssignmentState.SIGNED_OFF
    assert submitted.signed_off_by == signer


def test_with_the_setting_off_the_panel_lists_errors_and_warnings_as_warnings(client, report, signer, submitted, slips):
    first, second = slips
    client.force_login(signer)
    page = review(client, report.our_section)
    assert 'data-testid="sign-off-blockers"' not in page
    warnings = page[page.index('data-testid="sign-off-warnings"') :]
    warnings = warnings[: warnings.index("</div>")]
    assert "校对提示：签发前请留意以下2处（不阻止签发）" in warnings
    assert "举措“二是”：““”缺少配对的后半个。（P003）" in warnings
    assert "举措“一是”：中文文字中的半角“,”。（P001）" in warnings
    # errors first, each with its severity and a link to its measure on the page
    assert warnings.index("P003") < warnings.index("P001")
    assert ">错误</span>" in warnings and ">警告</span>" in warnings
    section_page = reverse("drafting:section-review", args=[report.our_section.pk])
    assert f'href="{section_page}#measure-{second.pk}"' in warnings
    assert f'href="{section_page}#measure-{first.pk}"' in warnings
    assert f'id="measure-{second.pk}"' in page
    # and the signer may still sign off
    assert 'data-action="sign_off"' in page


def test_with_the_setting_on_an_error_refuses_sign_off_naming_the_count_and_changes_nothing(
    report, signer, submitted, slips
):
    blocking(report)
    with pytest.raises(ValidationError) as refused:
        submitted.sign_off(signer)
    assert refused.value.messages == [
        "无法签发：校对发现1处错误，本报告设定校对错误阻止签发，请先改正。",
        "举措“二是”：““”缺少配对的后半个。（P003）",
    ]
    assert refused.value.error_list[0].code == "proofreading"
    submitted.refresh_from_db()
    assert submitted.state == AssignmentState.SUBMITTED
    assert submitted.signed_off_by is None and submitted.signed_off_at is None
    assert submitted.signed_hash == ""
    assert not submitted.transitions.exists()


def test_once_the_error_is_corrected_the_signer_signs_off_with_the_warning_left(report, signer, submitted, slips):
    blocking(report)
    _first, second = slips
    with pytest.raises(ValidationError):
        submitted.sign_off(signer)
    second.body = "深化“一网通办”改革。"
    second.save()
    submitted.sign_off(signer)  # the half-width comma of 一是 is still there: warnings never block
    submitted.refresh_from_db()
    assert submitted.state == AssignmentState.SIGNED_OFF
    assert submitted.signed_off_by == signer


def test_with_the_setting_on_the_refused_sign_off_shows_the_reason_and_the_error_blocks_in_the_panel(
    client, report, signer, submitted, slips
):
    blocking(report)
    first, second = slips
    client.force_login(signer)
    response = client.post(sign_off_url(report.our_section), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "无法签发：校对发现1处错误，本报告设定校对错误阻止签发，请先改正。" in page
    blockers = page[page.index('data-testid="sign-off-blockers"') :]
    blockers = blockers[: blockers.index("</details>")]
    assert "本报告设定校对错误阻止签发：有1处错误须改正。" in blockers
    section_page = reverse("drafting:section-review", args=[report.our_section.pk])
    assert f'href="{section_page}#measure-{second.pk}"' in blockers
    assert "P001" not in blockers  # the warning stays a warning
    warnings = page[page.index('data-testid="sign-off-warnings"') :]
    assert "举措“一是”：中文文字中的半角“,”。（P001）" in warnings
    submitted.refresh_from_db()
    assert submitted.state == AssignmentState.SUBMITTED


def test_placeholders_and_errors_are_refused_together_with_the_errors_counted(report, signer, submitted, slips):
    blocking(report)
    first, _second = slips
    first.body = "完成X项，“重点工作。"
    first.save()
    with pytest.raises(ValidationError) as refused:
        submitted.sign_off(signer)
    messages = refused.value.messages
    assert messages[0] == (
        "无法签发：请先填写以下占位符和空举措，并改正校对发现的2处错误（本报告设定校对错误阻止签发）。"
    )
    assert messages[1].startswith("举措“一是”：占位符“X”")
    assert [m for m in messages if "P003" in m] == [
        "举措“一是”：““”缺少配对的后半个。（P003）",
        "举措“二是”：““”缺少配对的后半个。（P003）",
    ]
    assert not any("S004" in m for m in messages)  # the placeholder is listed once, as the gate words it


def test_drafters_are_not_stopped_from_submitting_by_proofreading_errors(report, drafter, slips):
    blocking(report)
    assignment = report.our_section.assignment
    assignment.submit(drafter)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.SUBMITTED


def test_two_sections_quoting_one_figure_differently_do_not_block_sign_off(report, signer, submitted):
    blocking(report)
    Measure.objects.filter(section=report.our_section, position=1).update(body="全程网办率达到90%。")
    report.their_section.intro = "全程网办率达到85%。"
    report.their_section.save()
    from reports.proofreading import proofread

    assert "F001" in {finding.code for finding in proofread(report).findings}  # the rule sees it
    submitted.sign_off(signer)
    submitted.refresh_from_db()
    assert submitted.state == AssignmentState.SIGNED_OFF


def test_the_coordinator_turns_the_setting_on_in_the_reports_settings_form(login, coordinator, office, report):
    client = login(coordinator)
    url = reverse("reports:report-edit", args=[report.pk])
    page = client.get(url).content.decode()
    assert "校对错误阻止签发" in page and 'name="proofreading_blocks_sign_off"' in page
    data = {
        "title": report.title,
        "lead_department": office.pk,
        "preamble": report.preamble,
        "closing": report.closing,
        "issuer": report.issuer,
        "measure_layout": report.measure_layout,
        "proofreading_blocks_sign_off": "on",
    }
    assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.proofreading_blocks_sign_off is True
    data.pop("proofreading_blocks_sign_off")
    client.post(url, data)
    report.refresh_from_db()
    assert report.proofreading_blocks_sign_off is False


def test_with_the_setting_on_an_error_in_the_offices_own_text_keeps_the_report_from_being_final(
    login, complete_report, coordinator
):
    report = complete_report
    report.preamble = "今年以来，我县扎实推进“放管服改革。"
    report.save()
    report.finalise(coordinator)  # off: the error does not keep the report from being final
    report.reopen(coordinator, "再改一处")
    blocking(report)
    with pytest.raises(ValidationError) as refused:
        report.finalise(coordinator)
    assert "导语：““”缺少配对的后半个。（P003）" in refused.value.messages
    report.refresh_from_db()
    assert report.is_final is False
    response = login(coordinator).get(reverse("reports:report-export", args=[report.pk]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "导语：““”缺少配对的后半个。（P003）" in page
    assert reverse("reports:report-edit", args=[report.pk]) + "#id_preamble" in page
    report.preamble = "今年以来，我县扎实推进“放管服”改革。"
    report.save()
    report.finalise(coordinator)
    report.refresh_from_db()
    assert report.is_final is True


def test_the_rules_and_the_gate_import_no_model():
    """The models import the gate, which imports the rules: a model import there is a circle."""
    code = "import sys, reports.gate; sys.exit('reports.models' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr

"""Clone marks the figures carried from last period; they block sign-off until checked or changed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports import carried, content
from reports.models import Measure, Report
from tests.conftest import editor_data, set_assignment_state


def clone(client, report, **data):
    response = client.post(
        reverse("reports:report-clone", args=[report.pk]),
        {"title": "新一期报告", "shift_days": 365, "content": "draft", **data},
    )
    assert response.status_code == 302
    return Report.objects.exclude(pk=report.pk).get()


def our_copy(copy):
    return copy.sections.get(heading="在提升政务服务效能方面")


@pytest.fixture
def cloned(login, coordinator, report):
    return our_copy(clone(login(coordinator), report, mark_figures="on"))


def edit_url(section):
    return reverse("drafting:section-edit", args=[section.pk])


def test_the_clone_form_offers_to_mark_the_figures(login, coordinator, report):
    html = login(coordinator).get(reverse("reports:report-clone", args=[report.pk])).content.decode()
    assert 'name="mark_figures"' in html


def test_cloning_with_the_box_checked_marks_every_figure_in_the_copied_measures(cloned):
    measures = list(cloned.measures.order_by("position"))
    assert [carried.marked_numbers(carried.measure_text(m.lead, m.body), m.carried_numbers) for m in measures]
    texts = [[n.text for n in carried.marked_numbers(carried.measure_text(m.lead, m.body), m.carried_numbers)]
             for m in measures]  # fmt: skip
    assert texts == [["12"], ["90%"]]


def test_cloning_without_the_box_marks_nothing(login, coordinator, report):
    copy = clone(login(coordinator), report)
    assert not any(Measure.objects.filter(section__report=copy).values_list("carried_numbers", flat=True))


def test_the_editor_marks_the_carried_figures_and_lists_them_to_check(login, drafter, cloned):
    html = login(drafter).get(edit_url(cloned)).content.decode()
    assert 'data-testid="carried-figures"' in html
    assert html.count('data-testid="confirm-figure"') == 2
    assert '<mark class="carried-number"' in html


def test_sign_off_is_refused_while_a_carried_figure_is_unchecked(signer, cloned):
    set_assignment_state(cloned.assignment, "submitted")
    with pytest.raises(ValidationError) as refused:
        cloned.assignment.sign_off(signer)
    assert any("90%" in message and "上期" in message for message in refused.value.messages)
    cloned.assignment.refresh_from_db()
    assert cloned.assignment.state == "submitted"


def test_confirming_each_figure_clears_it_and_then_sign_off_goes_through(login, drafter, signer, cloned):
    client = login(drafter)
    for measure in cloned.measures.all():
        for key in list(measure.carried_numbers):
            url = reverse("drafting:measure-confirm-figures", args=[measure.pk])
            assert client.post(url, {"key": key}).status_code == 302
        measure.refresh_from_db()
        assert measure.carried_numbers == []
    version = cloned.version
    cloned.refresh_from_db()
    assert cloned.version == version  # the text did not change
    assert 'data-testid="carried-figures"' not in client.get(edit_url(cloned)).content.decode()
    set_assignment_state(cloned.assignment, "submitted")
    cloned.assignment.sign_off(signer)
    cloned.assignment.refresh_from_db()
    assert cloned.assignment.state == "signed_off"


def test_all_checked_confirms_every_figure_of_a_measure(login, drafter, cloned, report):
    measure = cloned.measures.get(position=0)
    measure.body = "梳理形成清单12项，办结率95%。"
    measure.carried_numbers = carried.number_keys(carried.measure_text(measure.lead, measure.body))
    measure.save()
    login(drafter).post(reverse("drafting:measure-confirm-figures", args=[measure.pk]))
    measure.refresh_from_db()
    assert measure.carried_numbers == []


def test_changing_a_figure_clears_it_and_reordering_keeps_the_others(login, drafter, cloned):
    first, second = cloned.measures.order_by("position")
    # Swap the two measures and change 12 to 15 in the first.
    data = editor_data(
        cloned,
        [
            (second.pk, second.lead, second.body),
            (first.pk, first.lead, "梳理形成清单15项。"),
        ],
    )
    response = login(drafter).post(edit_url(cloned), data)
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.position == 1 and first.carried_numbers == []
    assert second.position == 0 and [n.text for n in carried.marked_numbers(
        carried.measure_text(second.lead, second.body), second.carried_numbers)] == ["90%"]  # fmt: skip


def test_a_confirmation_survives_a_reorder(login, drafter, cloned):
    first, second = cloned.measures.order_by("position")
    login(drafter).post(reverse("drafting:measure-confirm-figures", args=[second.pk]))
    content.save_content(cloned, drafter, measures=[
        content.MeasureText(second.pk, second.lead, second.body),
        content.MeasureText(first.pk, first.lead, first.body),
    ])  # fmt: skip
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.carried_numbers == [] and first.carried_numbers == ["形成清单|12"]


def test_another_department_cannot_confirm_a_figure(login, other_drafter, cloned):
    measure = cloned.measures.get(position=0)
    url = reverse("drafting:measure-confirm-figures", args=[measure.pk])
    assert login(other_drafter).post(url).status_code == 404
    measure.refresh_from_db()
    assert measure.carried_numbers == ["形成清单|12"]


def test_a_signer_cannot_confirm_figures_once_the_section_is_submitted(login, drafter, cloned):
    set_assignment_state(cloned.assignment, "submitted")
    measure = cloned.measures.get(position=0)
    response = login(drafter).post(reverse("drafting:measure-confirm-figures", args=[measure.pk]))
    assert response.status_code == 403
    measure.refresh_from_db()
    assert measure.carried_numbers == ["形成清单|12"]


def test_number_keys_cover_digits_decimals_percentages_and_amounts():
    keys = carried.number_keys("全年办理12.5万件，投入3,000万元，满意度达98%，同比增长１５％。")
    assert [key.split("|")[1] for key in keys] == ["12.5", "3,000", "98%", "１５％"]


def test_the_review_page_disables_sign_off_while_a_carried_figure_is_unchecked(login, signer, cloned):
    set_assignment_state(cloned.assignment, "submitted")
    html = login(signer).get(reverse("drafting:section-review", args=[cloned.pk])).content.decode()
    assert 'data-testid="refusal-sign_off">还有2处沿用上期的数字待核对</span>' in html
    assert "“90%”" in html[html.index('data-testid="sign-off-blockers"') :]

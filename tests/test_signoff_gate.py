"""A signer cannot sign off while placeholders or empty measures remain; the refusal lists
each, and the section page links to where each stands."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports.models import AssignmentState, Measure
from tests.conftest import set_assignment_state

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


@pytest.fixture
def submitted(report):
    return set_assignment_state(report.our_section.assignment, AssignmentState.SUBMITTED)


def test_a_placeholder_in_a_measure_blocks_sign_off_and_is_listed(report, signer, submitted):
    measure = report.our_section.measures.get(position=1)
    measure.body = "全程网办率达到X%，较上年提高XX个百分点。"
    measure.save()
    with pytest.raises(ValidationError) as refused:
        submitted.sign_off(signer)
    assert refused.value.messages == [
        "无法签发：请先填写以下占位符和空举措。",
        "举措“二是”：占位符“X”，位于“…全程网办率达到X%，较上年提高X…”",
        "举措“二是”：占位符“XX”，位于“…X%，较上年提高XX个百分点。…”",
    ]
    submitted.refresh_from_db()
    assert submitted.state == AssignmentState.SUBMITTED
    assert submitted.signed_off_by is None
    assert not submitted.transitions.exists()


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("heading", "在X个方面", "标题"),
        ("intro", "今年共办理××件。", "导语文字"),
    ],
)
def test_placeholders_in_heading_and_intro_block_sign_off(report, signer, submitted, field, value, where):
    section = report.our_section
    setattr(section, field, value)
    section.save()
    with pytest.raises(ValidationError) as refused:
        submitted.sign_off(signer)
    assert refused.value.messages[1].startswith(f"{where}：占位符")


def test_an_empty_measure_blocks_sign_off(report, signer, submitted):
    Measure.objects.create(section=report.our_section, position=2, lead="  ", body="")
    with pytest.raises(ValidationError) as refused:
        submitted.sign_off(signer)
    assert refused.value.messages[1:] == ["举措“三是”内容为空。"]


def test_latin_words_are_not_placeholders(report, signer, submitted):
    measure = report.our_section.measures.get(position=0)
    measure.body = "上线政务服务APP，接入XML数据交换。"
    measure.save()
    submitted.sign_off(signer)
    submitted.refresh_from_db()
    assert submitted.state == AssignmentState.SIGNED_OFF


def test_a_long_list_of_placeholders_is_capped(report, signer, submitted):
    measure = report.our_section.measures.get(position=0)
    measure.body = "，".join(["X项"] * 25)
    measure.save()
    with pytest.raises(ValidationError) as refused:
        submitted.sign_off(signer)
    assert len(refused.value.messages) == 22
    assert refused.value.messages[-1] == "……另有5处。"


def test_the_section_page_lists_each_blocker_with_a_link_to_its_measure(client, report, signer, submitted):
    measure = report.our_section.measures.get(position=1)
    measure.body = "全程网办率达到X%。"
    measure.save()
    client.force_login(signer)
    url = reverse("drafting:section-action", args=[report.our_section.pk, "sign_off"])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "无法签发：请先填写以下占位符和空举措。" in page
    blockers = page[page.index('data-testid="sign-off-blockers"') :]
    review = reverse("drafting:section-review", args=[report.our_section.pk])
    assert f'href="{review}#measure-{measure.pk}"' in blockers
    assert "举措“二是”：1 处占位符（X）" in blockers
    # the measure the link points at is on the page, with its placeholder marked
    assert f'id="measure-{measure.pk}"' in page
    assert '<mark class="placeholder">X</mark>' in page
    submitted.refresh_from_db()
    assert submitted.state == AssignmentState.SUBMITTED


def test_drafters_see_the_blockers_before_they_submit(client, report, drafter):
    section = report.our_section
    section.intro = "共X项。"
    section.save()
    client.force_login(drafter)
    page = client.get(reverse("drafting:section-review", args=[section.pk])).content.decode()
    assert "以下内容填写完毕前不能签发" in page
    assert "#section-intro" in page


def test_once_fixed_the_signer_can_sign_off(report, signer, submitted):
    measure = report.our_section.measures.get(position=1)
    measure.body = "全程网办率达到X%。"
    measure.save()
    with pytest.raises(ValidationError):
        submitted.sign_off(signer)
    measure.body = "全程网办率达到95%。"
    measure.save()
    submitted.sign_off(signer)
    submitted.refresh_from_db()
    assert submitted.state == AssignmentState.SIGNED_OFF
    assert submitted.signed_off_by == signer

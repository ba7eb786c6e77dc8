"""The sign-off panel on the editor and the review page: 会签 with an optional comment, confirming
or disputing a change after sign-off, who still has to co-sign, the 签发后改动 notice with its
reason; the editor asking for that reason; the outline choosing the co-departments."""

import pytest
from django.urls import reverse

from reports import content
from reports.models import Assignment, CoSignature, Department
from reports.states import AssignmentState, Role, TransitionAction
from tests.conftest import editor_data

S, A = AssignmentState, TransitionAction


def action_url(section, action):
    return reverse("drafting:section-action", args=[section.pk, action])


def review(client, section):
    return client.get(reverse("drafting:section-review", args=[section.pk])).content.decode()


def edit_page(client, section):
    return client.get(reverse("drafting:section-edit", args=[section.pk])).content.decode()


@pytest.fixture
def shared(our_section, coordinator, other_department, drafter):
    """The 发改局's section, submitted, waiting for the 财政局's 会签."""
    assignment = Assignment.objects.get(section=our_section)
    assignment.set_co_departments(coordinator, [other_department])
    assignment.submit(drafter)
    return assignment


@pytest.fixture
def changed(report, our_section, drafter, signer, coordinator):
    """Signed off, accepted, then changed by the office with a reason; the signer must confirm."""
    report.reconfirm_changes = True
    report.save()
    assignment = Assignment.objects.get(section=our_section)
    assignment.submit(drafter)
    assignment.sign_off(signer)
    assignment.accept(coordinator)
    measures = [content.MeasureText(m.pk, m.lead, m.body) for m in our_section.measures.all()]
    content.save_content(our_section, coordinator, intro="牵头单位补充的导语。", measures=measures, note="统一口径")
    assignment.refresh_from_db()
    our_section.refresh_from_db()
    return assignment


def test_the_lead_department_sees_who_still_has_to_co_sign(login, shared, our_section, drafter):
    page = edit_page(login(drafter), our_section)
    panel = page[page.index('id="workflow-panel"') :]
    assert "会签单位" in panel
    assert "尚待会签：县财政局" in panel
    assert 'data-action="cosign"' not in panel


def test_a_co_department_signer_co_signs_with_a_comment_from_the_review_page(login, shared, our_section, other_signer):
    client = login(other_signer)
    page = review(client, our_section)
    assert 'data-action="cosign"' in page and "意见（可不填）" in page
    response = client.post(action_url(our_section, "cosign"), {"comment": "同意，建议补充资金数据。"}, follow=True)
    assert response.status_code == 200
    cosignature = CoSignature.objects.get(assignment=shared)
    assert (cosignature.signed_by, cosignature.comment) == (other_signer, "同意，建议补充资金数据。")
    page = response.content.decode()
    assert "已会签" in page and "同意，建议补充资金数据。" in page
    assert "尚待会签" not in page
    assert 'data-action="cosign"' not in page  # once is enough


def test_co_signing_without_a_comment_is_fine(login, shared, our_section, other_signer):
    login(other_signer).post(action_url(our_section, "cosign"), {"comment": ""})
    cosignature = CoSignature.objects.get(assignment=shared)
    cosignature.refresh_from_db()
    assert cosignature.signed and cosignature.comment == ""


def test_a_co_department_drafter_may_not_co_sign(login, shared, our_section, other_drafter):
    client = login(other_drafter)
    assert 'data-action="cosign"' not in review(client, our_section)
    response = client.post(action_url(our_section, "cosign"), {"comment": "同意"}, follow=True)
    assert "只有尚未会签的会签单位签发人可以会签。" in response.content.decode()
    cosignature = CoSignature.objects.get(assignment=shared)
    cosignature.refresh_from_db()
    assert not cosignature.signed


def test_a_change_after_sign_off_is_shown_with_its_reason_on_editor_and_review_page(
    login, changed, our_section, drafter, coordinator
):
    for user in (drafter, coordinator):
        client = login(user)
        for page in (edit_page(client, our_section), review(client, our_section)):
            notice = page[page.index('data-testid="changed-after-sign-off"') :]
            assert "签发后改动" in notice
            assert "修改理由：" in notice and "统一口径" in notice
            assert "定稿前须由签发人确认改动或提出异议。" in notice


@pytest.mark.parametrize("show", [review, edit_page], ids=["review", "editor"])
def test_an_unchanged_signed_text_shows_no_notice(login, our_section, drafter, signer, show):
    assignment = Assignment.objects.get(section=our_section)
    assignment.submit(drafter)
    assignment.sign_off(signer)
    page = show(login(drafter), our_section)
    assert "已签发" in page
    assert 'data-testid="changed-after-sign-off"' not in page


def test_the_signer_disputes_the_change_only_with_a_comment(login, changed, our_section, signer):
    client = login(signer)
    page = review(client, our_section)
    assert 'data-action="dispute"' in page and 'data-action="confirm"' in page
    response = client.post(action_url(our_section, "dispute"), {"comment": ""}, follow=True)
    assert "请写明需要修改的内容" in response.content.decode()
    assert not changed.transitions.filter(action=A.DISPUTE).exists()
    client.post(action_url(our_section, "dispute"), {"comment": "这一句不符合实际。"})
    dispute = changed.transitions.get(action=A.DISPUTE)
    assert (dispute.actor, dispute.comment) == (signer, "这一句不符合实际。")
    page = review(client, our_section)
    assert "这一句不符合实际。" in page[page.index('data-testid="review-thread"') :]


def test_the_signer_confirms_the_change_and_nothing_waits_any_more(login, changed, our_section, signer):
    client = login(signer)
    assert changed.awaits_confirmation(our_section, list(our_section.measures.all()))
    client.post(action_url(our_section, "confirm"))
    changed.refresh_from_db()
    our_section.refresh_from_db()
    assert not changed.awaits_confirmation(our_section, list(our_section.measures.all()))
    page = review(client, our_section)
    assert 'data-action="confirm"' not in page
    assert "定稿前须由签发人确认改动或提出异议。" not in page
    assert "签发后改动" in page  # still not the text signed, but confirmed


def test_a_drafter_may_neither_confirm_nor_dispute(login, changed, our_section, drafter):
    client = login(drafter)
    page = review(client, our_section)
    assert 'data-action="confirm"' not in page and 'data-action="dispute"' not in page
    before = changed.confirmed_hash
    client.post(action_url(our_section, "confirm"))
    client.post(action_url(our_section, "dispute"), {"comment": "不同意"})
    changed.refresh_from_db()
    assert changed.confirmed_hash == before
    assert not changed.transitions.filter(action__in=[A.CONFIRM, A.DISPUTE]).exists()


def test_another_department_cannot_reach_the_new_moves(login, changed, our_section, other_signer):
    client = login(other_signer)
    for action in ("confirm", "dispute", "cosign"):
        assert client.post(action_url(our_section, action), {"comment": "x"}).status_code == 404
    changed.refresh_from_db()
    assert not changed.transitions.filter(action__in=[A.CONFIRM, A.DISPUTE, A.COSIGN]).exists()


# The editor asks for the reason --------------------------------------------------------------


def test_saving_an_accepted_section_without_a_reason_is_a_form_error_and_saves_nothing(
    login, our_section, drafter, signer, coordinator
):
    assignment = Assignment.objects.get(section=our_section)
    assignment.submit(drafter)
    assignment.sign_off(signer)
    assignment.accept(coordinator)
    our_section.refresh_from_db()
    version = our_section.version
    client = login(coordinator)
    url = reverse("drafting:section-edit", args=[our_section.pk])
    response = client.post(url, editor_data(our_section, intro="牵头单位加的一句。", heading=our_section.heading))
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["note"] == ["部门已签发此文字：请填写修改理由。"]
    page = response.content.decode()
    assert "牵头单位加的一句。" in page  # the text typed is kept
    our_section.refresh_from_db()
    assert (our_section.version, our_section.intro) == (version, "")
    assert not assignment.transitions.filter(action=A.CHANGE).exists()

    response = client.post(
        url, editor_data(our_section, intro="牵头单位加的一句。", heading=our_section.heading, note="补充背景")
    )
    assert response.status_code == 302
    our_section.refresh_from_db()
    assert our_section.intro == "牵头单位加的一句。"
    assert assignment.transitions.get(action=A.CHANGE).comment == "补充背景"


def test_saving_a_draft_needs_no_reason(login, our_section, drafter):
    response = login(drafter).post(
        reverse("drafting:section-edit", args=[our_section.pk]), editor_data(our_section, intro="起草中的导语。")
    )
    assert response.status_code == 302
    our_section.refresh_from_db()
    assert our_section.intro == "起草中的导语。"


# The outline chooses the co-departments ------------------------------------------------------


def frame_data(section, **extra):
    return {
        "heading": section.heading,
        "department": section.assignment.department_id,
        "deadline": "",
        "char_limit": "",
        **extra,
    }


def test_the_coordinator_chooses_co_departments_in_the_outline(
    login, report, our_section, coordinator, department, other_department
):
    client = login(coordinator)
    third = Department.objects.create(name="县住建局", short_name="住建局", position=9)
    url = reverse("reports:section-frame", args=[our_section.pk])
    response = client.post(url, frame_data(our_section, co_departments=[other_department.pk, third.pk]))
    assert response.status_code == 302
    assignment = Assignment.objects.get(section=our_section)
    assert set(assignment.cosignatures.values_list("department_id", flat=True)) == {other_department.pk, third.pk}
    page = client.get(reverse("reports:report-detail", args=[report.pk])).content.decode()
    select = page[page.index(f'id="s{our_section.pk}-co_departments"') :]
    select = select[: select.index("</select>")]
    assert f'value="{third.pk}" selected' in select and f'value="{department.pk}" selected' not in select

    # The writing department is never its own co-department; clearing the choice removes them.
    client.post(url, frame_data(our_section, co_departments=[department.pk]))
    assert not assignment.cosignatures.exists()


def test_co_departments_need_a_writing_department(login, report, coordinator, other_department):
    section = report.first_section
    client = login(coordinator)
    response = client.post(
        reverse("reports:section-frame", args=[section.pk]),
        {"heading": section.heading, "department": "", "co_departments": [other_department.pk]},
        follow=True,
    )
    assert "请先选择负责本节的责任单位，再选择会签单位。" in response.content.decode()
    assert not Assignment.objects.filter(section=section).exists()


def test_a_department_may_not_choose_co_departments(login, our_section, drafter, other_department):
    response = login(drafter).post(
        reverse("reports:section-frame", args=[our_section.pk]),
        frame_data(our_section, co_departments=[other_department.pk]),
    )
    assert response.status_code in (403, 404)
    assert not CoSignature.objects.exists()


def test_names_and_reasons_in_the_panel_are_shown_as_text(
    login, report, our_section, drafter, signer, coordinator, other_department
):
    other_department.short_name = "<b>财政</b>"
    other_department.save()
    assignment = Assignment.objects.get(section=our_section)
    assignment.set_co_departments(coordinator, [other_department])
    page = review(login(drafter), our_section)
    assert "&lt;b&gt;财政&lt;/b&gt;" in page and "<b>财政</b>" not in page
    assignment.submit(drafter)
    assignment.cosign(other_signer_of(other_department), "<script>同意</script>")
    assignment.sign_off(signer)
    assignment.accept(coordinator)
    measures = [content.MeasureText(m.pk, m.lead, m.body) for m in our_section.measures.all()]
    content.save_content(our_section, coordinator, intro="改。", measures=measures, note="<i>口径</i>")
    page = review(login(drafter), our_section)
    panel = page[page.index('id="workflow-panel"') :]
    assert "&lt;i&gt;口径&lt;/i&gt;" in panel and "<i>口径" not in panel
    assert "&lt;script&gt;同意&lt;/script&gt;" in panel and "<script>同意" not in panel


def other_signer_of(department):
    from tests.conftest import make_user

    return make_user("co_signer", department, Role.SIGNER)


@pytest.mark.parametrize("value", ["9223372036854775808", "1" * 5000, "²", "-1", "abc"])
def test_a_co_department_that_is_no_department_is_refused(login, our_section, coordinator, value):
    response = login(coordinator).post(
        reverse("reports:section-frame", args=[our_section.pk]), frame_data(our_section, co_departments=[value])
    )
    assert response.status_code == 302
    assert not CoSignature.objects.exists()

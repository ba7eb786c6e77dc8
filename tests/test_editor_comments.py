"""The open comments on a measure stand beside that measure in the editor, with a reply box and a
resolve button that come back to the editor, and a link to the thread on the review page."""

import pytest
from django.urls import reverse

from reports.models import Assignment, Comment
from tests.conftest import card_of, set_assignment_state
from tests.conftest import editor_url as editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def first_measure(our_section):
    return our_section.measures.order_by("position").first()


@pytest.fixture
def thread(our_section, first_measure, coordinator):
    return Comment.add(our_section, coordinator, "数字请核实。", measure=first_measure, quote="清单12项")


def test_an_open_comment_stands_in_its_measures_card_with_reply_and_resolve(
    login, drafter, our_section, first_measure, thread
):
    page = login(drafter).get(editor(our_section)).content.decode()
    card = card_of(page, first_measure)
    assert "数字请核实。" in card and "“清单12项”" in card and "王协调" in card
    assert f'form="reply-comment-{thread.pk}"' in card and f'form="resolve-comment-{thread.pk}"' in card
    assert reverse("drafting:section-review", args=[our_section.pk]) + f"#comment-{thread.pk}" in card
    # The forms those controls belong to stand outside the editor's own form.
    editor_form_end = page.index("</form>", page.index('id="section-form"'))
    assert page.index(f'id="reply-comment-{thread.pk}"') > editor_form_end
    second = our_section.measures.order_by("position").last()
    assert "数字请核实。" not in card_of(page, second)


def test_resolved_comments_and_comments_on_the_whole_section_are_not_in_the_cards(
    login, drafter, coordinator, our_section, first_measure, thread
):
    thread.resolve(coordinator)
    Comment.add(our_section, coordinator, "整节意见。")
    page = login(drafter).get(editor(our_section)).content.decode()
    assert "数字请核实。" not in page and "整节意见。" not in page
    assert 'data-testid="measure-comments"' not in page


def test_a_reply_from_the_editor_is_added_to_the_thread_and_comes_back_to_the_editor(
    login, drafter, our_section, first_measure, thread
):
    client = login(drafter)
    back = editor(our_section) + f"#measure-{first_measure.pk}"
    response = client.post(
        reverse("drafting:section-comment-add", args=[our_section.pk]),
        {"parent": thread.pk, "text": "已核实，为12项。", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    reply = Comment.objects.get(parent=thread)
    assert (reply.text, reply.measure_id, reply.author) == ("已核实，为12项。", first_measure.pk, drafter)
    assert "已核实，为12项。" in card_of(client.get(editor(our_section)).content.decode(), first_measure)


def test_resolving_from_the_editor_comes_back_to_the_editor_and_takes_the_comment_away(
    login, drafter, our_section, first_measure, thread
):
    client = login(drafter)
    back = editor(our_section) + f"#measure-{first_measure.pk}"
    response = client.post(
        reverse("drafting:section-comment-resolve", args=[our_section.pk, thread.pk]), {"next": back}
    )
    assert response["Location"] == back
    thread.refresh_from_db()
    assert thread.resolved_by == drafter
    assert "数字请核实。" not in client.get(editor(our_section)).content.decode()


def test_a_next_address_off_the_site_is_ignored(login, drafter, our_section, thread):
    response = login(drafter).post(
        reverse("drafting:section-comment-resolve", args=[our_section.pk, thread.pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"].startswith(reverse("drafting:section-review", args=[our_section.pk]))


def test_the_read_only_editor_shows_the_comments_beside_the_measures_too(
    login, signer, our_section, first_measure, thread
):
    set_assignment_state(Assignment.objects.get(section=our_section), "submitted")
    page = login(signer).get(editor(our_section)).content.decode()
    assert 'data-testid="read-only"' in page
    block = page[page.index(f'id="measure-{first_measure.pk}"') :]
    assert block.index("数字请核实。") < block.index('data-testid="measure"', 10)


def test_another_department_sees_neither_the_editor_nor_its_comments(login, other_drafter, our_section, thread):
    assert login(other_drafter).get(editor(our_section)).status_code == 404


def test_comment_text_in_the_cards_is_escaped(login, drafter, coordinator, our_section, first_measure):
    Comment.add(our_section, coordinator, "<img src=x onerror=alert(1)>", measure=first_measure)
    card = card_of(login(drafter).get(editor(our_section)).content.decode(), first_measure)
    assert "<img src=x" not in card and "&lt;img src=x onerror=alert(1)&gt;" in card

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_drafter_logs_in_through_the_form_and_sees_their_section(page, login_as, drafter, report):
    login_as(drafter)
    assert page.get_by_text("我的章节").first.is_visible()
    assert page.get_by_text("在提升政务服务效能方面").is_visible()
    assert page.get_by_text("在强化要素保障方面").count() == 0


def test_a_wrong_password_keeps_the_visitor_on_the_login_page(page, drafter):
    page.goto("/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", drafter.username)
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    error = page.locator(".alert, .invalid-feedback, .errorlist").first
    error.wait_for()  # the form posts and the page comes back with the error
    assert "/accounts/login/" in page.url
    assert "正确的用户名和密码" in error.inner_text()

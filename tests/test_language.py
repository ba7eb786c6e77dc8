"""The interface is Chinese, admin included, whatever the browser asks for; a switch in the user
menu chooses English and back, and the choice persists."""

from django.conf import settings
from django.urls import reverse

DASHBOARD = reverse("drafting:dashboard")
SET_LANGUAGE = reverse("set_language")


def test_an_english_browser_still_gets_chinese(login, drafter):
    page = login(drafter).get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "我的章节" in page
    assert "My sections" not in page
    assert '<html lang="zh-hans">' in page


def test_the_login_page_is_chinese_for_an_english_browser(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="zh-hans">' in page


def test_the_user_menu_switches_to_english_and_back_and_the_choice_persists(login, drafter):
    client = login(drafter)
    page = client.get(DASHBOARD).content.decode()
    assert 'data-testid="language-en"' in page
    response = client.post(SET_LANGUAGE, {"language": "en", "next": DASHBOARD})
    assert response.status_code == 302 and response.url == DASHBOARD
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) >= 300 * 24 * 60 * 60
    page = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "My sections" in page and '<html lang="en">' in page
    assert 'data-testid="language-zh-hans"' in page and "简体中文" in page

    client.post(SET_LANGUAGE, {"language": "zh-hans", "next": DASHBOARD})
    page = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "我的章节" in page


def test_an_unknown_language_changes_nothing(login, drafter):
    client = login(drafter)
    client.post(SET_LANGUAGE, {"language": "xx", "next": DASHBOARD})
    assert "我的章节" in client.get(DASHBOARD).content.decode()


def test_switching_language_needs_a_post(login, drafter):
    client = login(drafter)
    client.get(SET_LANGUAGE, {"language": "en"})
    assert "我的章节" in client.get(DASHBOARD).content.decode()


def test_the_admin_says_huigao_in_chinese_and_names_login_protection(login, superuser):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(username="someone", ip_address="10.0.0.1", failures_since_start=3)
    client = login(superuser)
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "汇稿管理" in page
    assert "Django" not in page
    assert "登录保护" in page
    assert "Axes" not in page and "AXES" not in page
    page = client.get(reverse("admin:axes_accessattempt_changelist"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "登录尝试" in page and "用户名" in page
    assert "Username" not in page


def test_the_reports_app_keeps_its_own_config_beside_the_login_protection_one():
    from django.apps import apps

    from reports.apps import LoginProtectionConfig, ReportsConfig

    assert type(apps.get_app_config("reports")) is ReportsConfig
    assert type(apps.get_app_config("axes")) is LoginProtectionConfig

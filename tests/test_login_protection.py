"""Login protection: axes locks an account+address pair after repeated failures; admins unlock."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import PASSWORD

LIMIT = settings.AXES_FAILURE_LIMIT


def attempt(client, username, password, address="10.0.0.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, follow=False
    )


def fail_until_locked(client, username, address="10.0.0.7"):
    for _ in range(LIMIT):
        attempt(client, username, "wrong-password", address)


def test_the_limit_is_five_wrong_passwords():
    assert LIMIT == 5
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_wrong_passwords_below_the_limit_still_allow_logging_in(client, drafter):
    for _ in range(LIMIT - 1):
        response = attempt(client, "drafter", "wrong-password")
        assert response.status_code == 200
        assert "请输入一个正确的" in response.text
    response = attempt(client, "drafter", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("drafting:dashboard")


def test_repeated_failures_lock_the_account_with_a_chinese_message(client, drafter):
    fail_until_locked(client, "drafter")
    response = attempt(client, "drafter", PASSWORD)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.text
    assert "管理员" in response.text and "60" in response.text
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("drafting:dashboard")).status_code == 302


def test_a_lock_holds_one_account_from_one_address_only(client, drafter, signer):
    fail_until_locked(client, "drafter", address="10.0.0.7")
    # Colleagues behind the same address, and the same person from another computer, still get in.
    assert attempt(client, "signer", PASSWORD, address="10.0.0.7").status_code == 302
    client.logout()
    assert attempt(client, "drafter", PASSWORD, address="10.0.0.8").status_code == 302


def test_an_administrator_unlocks_the_account_in_the_admin(client, drafter, superuser):
    fail_until_locked(client, "drafter")
    locked = AccessAttempt.objects.get(username="drafter")
    assert locked.failures_since_start >= LIMIT

    client.force_login(superuser)
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = client.get(changelist).text
    assert "drafter" in page and "登录尝试" in page and "IP地址" in page
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [locked.pk], "post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert not AccessAttempt.objects.filter(username="drafter").exists()
    client.logout()

    assert attempt(client, "drafter", PASSWORD).status_code == 302


def test_axes_reset_unlocks_the_account_from_the_command_line(client, drafter):
    from django.core.management import call_command

    fail_until_locked(client, "drafter")
    assert attempt(client, "drafter", PASSWORD).status_code == 429
    call_command("axes_reset_username", "drafter", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert attempt(client, "drafter", PASSWORD).status_code == 302


def test_a_successful_login_forgets_earlier_failures(client, drafter):
    for _ in range(LIMIT - 1):
        attempt(client, "drafter", "wrong-password")
    assert attempt(client, "drafter", PASSWORD).status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        attempt(client, "drafter", "wrong-password")
    assert attempt(client, "drafter", PASSWORD).status_code == 302


def test_a_non_staff_user_cannot_open_the_lockout_admin(client, drafter):
    client.force_login(drafter)
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_force_login_in_tests_still_works(client, drafter):
    client.force_login(drafter)
    assert client.get(reverse("drafting:dashboard")).status_code == 200


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short1", "password_too_short"),
        ("12345678901", "password_entirely_numeric"),
        ("password123", "password_too_common"),
    ],
)
def test_weak_passwords_are_refused_with_a_chinese_reason(password, code, drafter):
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password, user=drafter)
    assert code in [error.code for error in excinfo.value.error_list]
    assert any("密码" in message for message in excinfo.value.messages)


def test_the_admin_refuses_to_create_a_user_with_a_weak_password(client, superuser, django_user_model):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "newbie", "password1": "12345678", "password2": "12345678", "usable_password": "true"},
    )
    assert response.status_code == 200
    assert "这个密码太常见了" in response.text
    assert not django_user_model.objects.filter(username="newbie").exists()
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newbie",
            "password1": "Qz7!lantern-river",
            "password2": "Qz7!lantern-river",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert django_user_model.objects.filter(username="newbie").exists()


@pytest.mark.parametrize("username", ["管" * 5000, "a\x00b", "x\x01" * 200])
def test_an_absurd_username_is_a_failed_login_not_a_crash(client, drafter, username):
    for _ in range(LIMIT + 1):
        response = attempt(client, username, "wrong-password")
        assert response.status_code in (200, 429)
    assert attempt(client, "drafter", PASSWORD).status_code == 302


def test_the_admin_login_is_protected_too(client, superuser):
    for _ in range(LIMIT):
        client.post(reverse("admin:login"), {"username": "root", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.text


def test_behind_the_tls_proxy_each_visitor_is_locked_by_the_address_the_proxy_saw(client, drafter, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxy = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_PROTO": "https"}
    for _ in range(LIMIT):
        # A forged first entry does not help: the proxy's appended entry counts.
        client.post(
            reverse("login"),
            {"username": "drafter", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"1.2.3.{_}, 192.168.5.5",
            **proxy,
        )
    login = {"username": "drafter", "password": PASSWORD}
    assert client.post(reverse("login"), login, HTTP_X_FORWARDED_FOR="192.168.5.5", **proxy).status_code == 429
    # A colleague's computer behind the same proxy is not locked.
    assert client.post(reverse("login"), login, HTTP_X_FORWARDED_FOR="192.168.5.6", **proxy).status_code == 302

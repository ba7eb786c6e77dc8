"""Configured exactly as README.md's production section says, `check --deploy` is clean and
the defaults are the secure ones; production without a mail server is an explicit choice."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
README = (BASE_DIR / "README.md").read_text(encoding="utf-8")


@pytest.fixture
def readme_env(tmp_path):
    """The KEY=value lines of the README's /etc/huigao/env block, SECRET_KEY generated as it
    says, and the audit log in a folder of this test rather than /var/log/huigao."""

    def _env():
        env = _readme_env()
        assert env["HUIGAO_AUDIT_LOG"] == "/var/log/huigao/audit.jsonl"
        env["HUIGAO_AUDIT_LOG"] = str(tmp_path / "audit.jsonl")
        return env

    return _env


def _readme_env():
    block = re.search(r"```sh\n# /etc/huigao/env\n(.*?)```", README, re.S)
    assert block, "README.md has no /etc/huigao/env block"
    env = dict(line.split("=", 1) for line in block.group(1).splitlines() if line and not line.startswith("#"))
    assert env["SECRET_KEY"] == "" and "secrets.token_urlsafe(50)" in block.group(1)
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def run(args, env):
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DJANGO_SETTINGS_MODULE": "reports.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(env, *names):
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        f"print(json.dumps([getattr(s, name) for name in {list(names)!r}], default=str))"
    )
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_check_deploy_is_clean_under_the_readme_production_settings(readme_env):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], readme_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (" in result.stdout


def test_without_debug_https_hsts_and_secure_cookies_are_on_and_state_is_in_the_database(readme_env):
    env = readme_env()
    del env["DEBUG"]  # off unless the environment turns it on
    values = production_settings(
        env,
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_ENGINE",
        "AXES_HANDLER",
        "CACHES",
        "TASKS",
        "MAILERS",
    )
    debug, redirect, hsts, session_secure, csrf_secure, sessions, axes, caches, task_settings, mailers = values
    assert debug is False and redirect is True and hsts == 31536000
    assert session_secure is True and csrf_secure is True
    assert sessions == "django.contrib.sessions.backends.db"
    assert axes == "axes.handlers.database.AxesDatabaseHandler"
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert task_settings["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert mailers["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailers["default"]["OPTIONS"]["host"] == "smtp.intranet.example"


def test_production_without_a_mail_server_refuses_to_start(readme_env):
    env = readme_env()
    del env["EMAIL_HOST"]
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "Set EMAIL_HOST (the SMTP server) or EMAIL_BACKEND" in result.stderr


def test_sending_no_mail_in_production_is_an_explicit_choice_and_passes_the_checks(readme_env):
    env = readme_env()
    del env["EMAIL_HOST"]
    env["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_development_prints_mail_on_the_console_only_with_debug_on():
    env = {"DEBUG": "1"}
    assert production_settings(env, "MAILERS") == [
        {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    ]
    assert production_settings(env, "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS") == [False, 0]


@pytest.mark.parametrize("unit", ["huigao.service", "huigao-worker.service"])
def test_the_readme_systemd_units_read_the_env_file(unit):
    block = re.search(rf"`/etc/systemd/system/{re.escape(unit)}`.*?```ini\n(.*?)```", README, re.S)
    assert block, unit
    assert "EnvironmentFile=/etc/huigao/env" in block.group(1)


def test_the_readme_nginx_site_lets_the_largest_import_through():
    size = re.search(r"client_max_body_size (\d+)m;", README)
    assert size and int(size.group(1)) * 1024 * 1024 > settings.HUIGAO_IMPORT_MAX_BYTES
    assert "db_worker" in README and "/health/" in README

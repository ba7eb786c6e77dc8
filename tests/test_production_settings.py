"""Production settings: `check --deploy` is clean, and no template needs an inline script or style."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.urlsweep import inline_code_in

BASE_DIR = Path(settings.BASE_DIR)

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k7#Vq9!zX2mL5pR8wT1yB4nC6dF0gH3jS-production-test-secret-not-used-elsewhere",
    "ALLOWED_HOSTS": "huigao.intranet.example",
    "EMAIL_HOST": "smtp.intranet.example",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "DATABASE_URL": "sqlite:///:memory:",
}


def _run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_under_production_settings():
    result = _run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr and "ERRORS" not in result.stderr


def test_production_settings_make_cookies_secure_and_send_hsts():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "print(json.dumps([s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.X_FRAME_OPTIONS, s.AUTHENTICATION_BACKENDS[0]]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "reports.settings", **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        '[false, true, true, true, true, 31536000, "DENY", "axes.backends.AxesStandaloneBackend"]'
    )


def test_check_deploy_complains_when_the_production_switches_are_missing():
    # The clean result above is earned by the settings, not by a check that never fires.
    env = {**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0"}
    result = _run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


def test_pages_forbid_framing(client, db):
    response = client.get(reverse("login"))
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


# --- No template may need 'unsafe-inline' ------------------------------------------------------

TEMPLATE_DIRS = [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]


def template_files():
    files = sorted({path for folder in TEMPLATE_DIRS if folder.is_dir() for path in folder.rglob("*.html")})
    assert files, "no templates found"
    return files


def test_no_template_has_inline_script_style_or_event_handlers():
    offenders = {
        str(path.relative_to(BASE_DIR)): problems
        for path in template_files()
        if (problems := inline_code_in(path.read_text(encoding="utf-8")))
    }
    assert not offenders, (
        "The Content Security Policy blocks these (move JS to static/js/, CSS to static/css/): " + repr(offenders)
    )


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<div style="color: red">x</div>',
        "<style>p { color: red }</style>",
        '<button type="button" onclick="go()">x</button>',
        '<a href="#" class="{% if x %}a{% endif %}" onmouseover="go()">x</a>',
        '<a href="javascript:go()">x</a>',
    ],
)
def test_the_template_scan_catches_inline_code(snippet):
    assert inline_code_in(snippet)


def test_the_template_scan_allows_external_scripts_and_classes():
    assert not inline_code_in('<script src="/static/js/editor.js" defer></script><p class="lead">x</p>')
    assert not inline_code_in('<input name="onboarding" data-style="x" value="{{ form.style }}">')


# --- PostgreSQL prepares the queries every page repeats ------------------------------------------


def _database_options(**env):
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "print(json.dumps(s.DATABASES['default'].get('OPTIONS', {}), sort_keys=True))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "reports.settings", **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_postgresql_uses_prepared_statements_unless_switched_off():
    url = {"DATABASE_URL": "postgres://huigao@db.intranet.example/huigao"}
    assert _database_options(**url) == '{"prepare_threshold": 5, "server_side_binding": true}'
    assert _database_options(**url, DB_PREPARED_STATEMENTS="0") == "{}"


@pytest.mark.django_db
def test_a_query_run_again_and_again_is_prepared_on_postgresql():
    from django.db import connection

    from reports.models import Section

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's; CI runs this file on PostgreSQL too")
    for _ in range(6):
        list(Section.objects.filter(report_id=1, parent_id=None).values_list("position", "pk"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any('FROM "reports_section"' in statement for statement in statements), statements

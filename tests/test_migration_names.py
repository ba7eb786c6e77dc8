"""Migrations are named for what they change; the two renamed ones replace their old names, so a
database that applied them under the old names has nothing to apply and nothing missing."""

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

ROOT = Path(__file__).resolve().parent.parent
RENAMED = {
    "0002_transition_actions_and_notification_preferences": "0002_issue4_workflow",
    "0003_report_date_as_written": "0003_issue6_import",
}


def test_no_migration_is_named_for_an_issue():
    names = [path.stem for app in ("reports", "drafting") for path in (ROOT / app / "migrations").glob("0*.py")]
    assert names and not [name for name in names if re.search(r"issue_?\d|#\d", name, re.IGNORECASE)]


def test_each_renamed_migration_replaces_its_old_name_and_nothing_depends_on_an_old_name():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for new, old in RENAMED.items():
        assert loader.disk_migrations[("reports", new)].replaces == [("reports", old)]
    old_names = {("reports", old) for old in RENAMED.values()}
    for key, migration in loader.disk_migrations.items():
        assert not old_names & set(migration.dependencies), key


@pytest.mark.django_db
def test_a_database_that_recorded_the_old_names_has_everything_applied():
    recorder = MigrationRecorder(connection)
    recorder.migration_qs.filter(app="reports", name__in=[*RENAMED, *RENAMED.values()]).delete()
    for old in RENAMED.values():
        recorder.record_applied("reports", old)
    loader = MigrationLoader(connection)
    for new in RENAMED:
        assert ("reports", new) in loader.applied_migrations
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    call_command("migrate", "--check", verbosity=0)  # exits non-zero if anything were unapplied


def run(database, *args):
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_a_fresh_database_then_one_migrated_under_the_old_names_migrate_check_and_show_all_applied(tmp_path):
    database = tmp_path / "old.sqlite3"
    assert run(database, "migrate", "-v0").returncode == 0
    assert run(database, "migrate", "--check").returncode == 0

    # The old database: its tables are the ones the same operations made, recorded under the old names.
    with sqlite3.connect(database) as db:
        db.execute("DELETE FROM django_migrations WHERE app = 'reports' AND name IN (?, ?)", tuple(RENAMED))
        for old in RENAMED.values():
            db.execute("DELETE FROM django_migrations WHERE app = 'reports' AND name = ?", (old,))
            db.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('reports', ?, '2026-11-26')", (old,))
        columns = {row[1] for row in db.execute("PRAGMA table_info(reports_report)")}
        assert "issued_on_text" in columns

    check = run(database, "migrate", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    shown = run(database, "showmigrations", "reports").stdout
    assert "[ ]" not in shown
    for new in RENAMED:
        assert f"{new} (1 squashed migrations)" in shown

    migrated = run(database, "migrate")
    assert migrated.returncode == 0 and "No migrations to apply." in migrated.stdout
    shown = run(database, "showmigrations", "reports").stdout
    assert "[ ]" not in shown and "[-]" not in shown
    for new in RENAMED:
        assert f"[X] {new}" in shown

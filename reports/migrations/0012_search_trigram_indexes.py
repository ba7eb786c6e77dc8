"""Trigram GIN indexes (pg_trgm) for the search's case-insensitive substring matches, on
PostgreSQL only: elsewhere (SQLite) this migration changes nothing.

The indexes are on UPPER(column), the expression Django's icontains compares on PostgreSQL
(its ::text cast of a text or varchar column is the same expression), so the planner can use
them. They stay out of the models' Meta: SQLite rebuilds a
table from its model state on some schema changes and cannot create a GIN index.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SEARCHED = [
    ("report", "title", "report_title_trgm"),
    ("section", "heading", "section_heading_trgm"),
    ("section", "intro", "section_intro_trgm"),
    ("measure", "lead", "measure_lead_trgm"),
    ("measure", "body", "measure_body_trgm"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for model_name, column, name in SEARCHED:
        table = apps.get_model("reports", model_name)._meta.db_table
        schema_editor.execute(
            f"CREATE INDEX {quote(name)} ON {quote(table)} USING gin (UPPER({quote(column)}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _model_name, _column, name in SEARCHED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0011_report_whole_report_for_departments_measure_carried_numbers")]

    operations = [
        # CreateExtension does nothing on a database other than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]

"""Trigram GIN indexes (pg_trgm) on the reports' preambles and closings, which the search now
reads as it reads titles (see 0012): on PostgreSQL only, elsewhere nothing."""

from django.db import migrations

SEARCHED = [
    ("preamble", "report_preamble_trgm"),
    ("closing", "report_closing_trgm"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    table = apps.get_model("reports", "report")._meta.db_table
    for column, name in SEARCHED:
        schema_editor.execute(
            f"CREATE INDEX {quote(name)} ON {quote(table)} USING gin (UPPER({quote(column)}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _column, name in SEARCHED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0016_section_tally")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]

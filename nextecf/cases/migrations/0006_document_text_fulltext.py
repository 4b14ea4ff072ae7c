"""The text of filed documents, and the word indexes of full-text and name searches.

PostgreSQL: GIN indexes on to_tsvector() of exactly the expressions cases.fulltext
queries (Django's SearchVector, so the planner matches them): the `simple` configuration
on case titles and party names, `english` on docket text and document text. They are
PostgreSQL's alone and kept out of the models' state. SQLite: FTS5 tables kept by
triggers (cases.fulltext.ensure_sqlite_fulltext, which also runs after every migrate).
"""

import django.db.models.deletion
import django.utils.timezone
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

INDEXES = {
    "case": [GinIndex(SearchVector("title", config="simple"), name="case_title_words")],
    "party": [GinIndex(SearchVector("name", config="simple"), name="party_name_words")],
    "docketentry": [GinIndex(SearchVector("text", config="english"), name="entry_text_words")],
    "documenttext": [
        GinIndex(SearchVector("text", config="english"), name="document_text_words")
    ],
}


# The prefix indexes' expressions (cases.0004) get a finer histogram: at the default, a
# surname's prefix can fall on a bucket bound and be guessed at 1% of a million cases, and
# the planner then walks the cases in PCL's sort order instead of the prefix index.
FINE_STATISTICS = ("case_title_prefix", "party_name_prefix")


def add_indexes(apps, schema_editor):
    from nextecf.cases.fulltext import ensure_sqlite_fulltext

    if schema_editor.connection.vendor == "sqlite":
        ensure_sqlite_fulltext(schema_editor.connection)
        return
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, indexes in INDEXES.items():
        model = apps.get_model("cases", model_name)
        for index in indexes:
            schema_editor.add_index(model, index)
    for name in FINE_STATISTICS:
        schema_editor.execute(f"ALTER INDEX {name} ALTER COLUMN 1 SET STATISTICS 2000")


def remove_indexes(apps, schema_editor):
    from nextecf.cases.fulltext import drop_sqlite_fulltext

    if schema_editor.connection.vendor == "sqlite":
        drop_sqlite_fulltext(schema_editor.connection)
        return
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in FINE_STATISTICS:
        schema_editor.execute(f"ALTER INDEX {name} ALTER COLUMN 1 SET STATISTICS -1")
    for model_name, indexes in INDEXES.items():
        model = apps.get_model("cases", model_name)
        for index in indexes:
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_judge_account")]

    operations = [
        migrations.CreateModel(
            name="DocumentText",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="text_layer",
                        serialize=False,
                        to="cases.document",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("text", "Text searchable"),
                            ("no_text", "No text layer (scanned): not searchable"),
                            ("unreadable", "Text could not be read: not searchable"),
                        ],
                        max_length=12,
                    ),
                ),
                ("text", models.TextField(blank=True)),
                ("extracted_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.RunPython(add_indexes, remove_indexes),
    ]

"""Indexes for searching cases and parties by name on PostgreSQL.

The searches compare UPPER(column) (Django's icontains, istartswith and iexact on
PostgreSQL), so the indexes are on that expression: trigram GIN for "contains", a
text_pattern_ops b-tree for "starts with" and "equals". They are PostgreSQL's alone, so
they are created here and kept out of the models' state: SQLite runs the same queries
without them.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models
from django.db.models.functions import Upper

INDEXES = {
    "case": [
        GinIndex(OpClass(Upper("title"), name="gin_trgm_ops"), name="case_title_trgm"),
        models.Index(OpClass(Upper("title"), name="text_pattern_ops"), name="case_title_prefix"),
    ],
    "party": [
        GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="party_name_trgm"),
        models.Index(OpClass(Upper("name"), name="text_pattern_ops"), name="party_name_prefix"),
    ],
}


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, indexes in INDEXES.items():
        model = apps.get_model("cases", model_name)
        for index in indexes:
            schema_editor.add_index(model, index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, indexes in INDEXES.items():
        model = apps.get_model("cases", model_name)
        for index in indexes:
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_panel_seats_flags_jury_designations")]

    operations = [
        TrigramExtension(),  # a no-op on other databases
        migrations.RunPython(add_indexes, remove_indexes),
    ]

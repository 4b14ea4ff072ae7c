import django.db.models.deletion
from django.db import migrations, models

import nextecf.audit.models


class Migration(migrations.Migration):
    dependencies = [("audit", "0008_drop_unkeyed_seals")]

    operations = [
        migrations.AddField(
            model_name="auditseal",
            name="key_id",
            # The table is empty after 0008; the default only satisfies ADD COLUMN.
            field=models.CharField(
                default="", help_text="Which chain key made the digest.", max_length=16
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditseal",
            name="previous",
            field=models.OneToOneField(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="next",
                to="audit.auditseal",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="event_type",
            field=models.CharField(
                choices=nextecf.audit.models.event_types, db_index=True, max_length=40
            ),
        ),
    ]

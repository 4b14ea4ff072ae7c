# OutboundEmail moved to nextecf.outbox with its table (outbox.0001): FreeLook's key now
# points there and the model leaves notices' state. Nothing changes in the database.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0002_freelook'),
        ('outbox', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='freelook',
                    name='email',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='outbox.outboundemail'),
                ),
                migrations.DeleteModel(name='OutboundEmail'),
            ],
            database_operations=[],
        ),
    ]

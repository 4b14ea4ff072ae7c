# The outbox left nextecf.notices with its table: this only takes the model into the outbox's
# state (notices.0003 drops it from notices' state); the database is not touched.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('notices', '0002_freelook'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='OutboundEmail',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('kind', models.CharField(help_text='e.g. link_confirmation', max_length=40)),
                        ('to', models.EmailField(max_length=254)),
                        ('subject', models.CharField(max_length=250)),
                        ('body', models.TextField()),
                        ('html_body', models.TextField(blank=True)),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('sent', 'Sent'), ('failed', 'Failed')], default='queued', max_length=10)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('last_error', models.CharField(blank=True, max_length=500)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('account', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'notices_outboundemail',
                        'indexes': [models.Index(fields=['status', 'created_at'], name='notices_out_status_33d9f0_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

"""A draft belongs to the person (their account), not to the sign-on that started it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def owners_from_signons(apps, schema_editor):
    FilingDraft = apps.get_model("filing", "FilingDraft")
    SignOn = apps.get_model("accounts", "SignOn")
    for draft in FilingDraft.objects.filter(account=None).iterator():
        draft.account_id = SignOn.objects.filter(pk=draft.signon_id).values_list(
            "account_id", flat=True
        ).first()
        draft.save(update_fields=["account"])


class Migration(migrations.Migration):
    dependencies = [
        ("filing", "0001_initial"),
        ("courts", "0007_court_draft_days"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="filingdraft",
            name="account",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(owners_from_signons, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="filingdraft",
            name="account",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="filingdraft",
            name="signon",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="accounts.signon",
            ),
        ),
        migrations.AddIndex(
            model_name="filingdraft",
            index=models.Index(
                fields=["account", "court", "expires_at"], name="filing_fili_account_e916c4_idx"
            ),
        ),
    ]

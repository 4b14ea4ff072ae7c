"""Runs one instance of NextECF in a process of its own, for test_training: `python -m
nextecf.courts.tests.training_driver <command>` against the database in DATABASE_URL, as
the environment makes it (TRAINING_INSTANCE, LIVE_DATABASE_URL ...).

Commands:
  live   create the schema and load the demo: the LIVE database
  train  create the schema, reset to the demo (the nightly job), log in as the demo's
         linked filer mwhitfield and open a case with a Summons, paying with the sandbox
         card; print what was filed
  reset  only the nightly job; print whether it ran or was refused
Each prints one JSON line.
"""

from __future__ import annotations

import json
import os
import re
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nextecf.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2Hasher"]
settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
settings.ALLOWED_HOSTS = ["testserver"]
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def reset() -> dict[str, object]:
    from nextecf.courts.tasks import training_reset_job
    from nextecf.courts.training import TrainingResetRefused

    try:
        training_reset_job.call_local()
    except TrainingResetRefused as refused:
        return {"reset": "refused", "why": str(refused)}
    return {"reset": "done"}


def train() -> dict[str, object]:
    from django.test import Client

    from conftest import login
    from nextecf.cases.models import Case, EventType
    from nextecf.courts.management.commands.load_demo import DEMO_PASSWORD
    from nextecf.courts.models import Court
    from nextecf.filing.models import Filing
    from nextecf.filing.tests.conftest import Filer

    call_command("migrate", verbosity=0)
    result = reset()
    client = Client()
    response = login(client, "mwhitfield", password=DEMO_PASSWORD, court="cit")
    assert response.status_code == 302, response.content.decode()[:2000]
    home = client.get("/cit/").content.decode()
    main = client.get("/cit/cgi-bin/login.pl").content.decode()
    summons = EventType.objects.get(court_id="cit", code="summons")
    Filer(client).open_case(summons, plaintiffs="Training Practice Imports, Inc.")
    filing = Filing.objects.select_related("case", "payment").get(
        case__title__startswith="Training Practice"
    )
    return {
        **result,
        "court_database": Court.objects.get(pk="cit").database,
        "banner": bool(re.search(r"TRAINING DATABASE", main)),
        "home_says_training": "TRAINING Database - Document Filing System" in home,
        "case": filing.case.number,
        "gateway": filing.payment.gateway if filing.payment else "",
        "cases": Case.objects.count(),
    }


def live() -> dict[str, object]:
    from nextecf.cases.models import Case

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    return {"cases": Case.objects.count()}


if __name__ == "__main__":
    sys.path.insert(0, str(settings.BASE_DIR))
    command = sys.argv[1]
    print(json.dumps({"live": live, "train": train, "reset": reset}[command]()))

"""Runs a filing in a process of its own, for test_faults: `python -m
nextecf.filing.tests.fault_driver <command>` against the database in DATABASE_URL (a SQLite
file), with NEXTECF_FAULT_POINT naming where the process is to die.

Commands:
  migrate  create the schema
  file     make a court, a linked filer with two secondary NEF addresses and a Summons
           draft with a main document and an attachment, then submit it (with its fee)
  recover  print the state, run the clean-up commands eight days later (past the court's
           seven-day draft lifetime), print the state,
           send the queued mail, print the state
Each prints one JSON line per state.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nextecf.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2Hasher"]
settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
settings.EMAIL_FILE_PATH = os.environ["FAULT_MAIL_DIR"]


def state() -> dict[str, object]:
    from nextecf.billing.models import Payment, SandboxCharge
    from nextecf.cases.models import Case, CaseSequence, DocketEntry, Document
    from nextecf.filing.models import Filing, FilingDraft
    from nextecf.filing.services import staging_store
    from nextecf.lib.storage import document_store
    from nextecf.notices.models import FreeLook
    from nextecf.outbox.models import OutboundEmail

    mail_dir = settings.EMAIL_FILE_PATH
    delivered = 0
    if os.path.isdir(mail_dir):
        for name in os.listdir(mail_dir):
            with open(os.path.join(mail_dir, name), encoding="utf-8") as log:
                delivered += sum(line.startswith("Message-ID:") for line in log)
    return {
        "cases": Case.objects.count(),
        "case_sequence": CaseSequence.objects.values_list("last", flat=True).first() or 0,
        "entries": DocketEntry.objects.count(),
        "documents": Document.objects.count(),
        "document_keys": sorted(Document.objects.values_list("storage_key", flat=True)),
        "filings": Filing.objects.count(),
        "drafts": FilingDraft.objects.count(),
        "payments": Payment.objects.count(),
        "charges": dict(
            SandboxCharge.objects.values_list("status").annotate(n=Count("id")).order_by()
        ),
        "emails": dict(
            OutboundEmail.objects.values_list("status").annotate(n=Count("id")).order_by()
        ),
        "free_looks": FreeLook.objects.count(),
        "blobs": sorted(document_store().keys()),
        "staged_blobs": sorted(staging_store().keys()),
        "delivered": delivered,
    }


def file() -> None:
    from nextecf.accounts.models import Account, SignOn
    from nextecf.billing.gateways import Card
    from nextecf.cases.catalogue import catalogue_install
    from nextecf.cases.models import EventType
    from nextecf.courts.factories import CourtFactory, FilerAccountFactory
    from nextecf.courts.models import NoticeAddress
    from nextecf.filing.services import draft_stage_upload, draft_start, filing_submit
    from nextecf.lib.actor import Actor
    from nextecf.lib.pdf import make_pdf

    court = CourtFactory()
    catalogue_install(court=court)
    account = Account.objects.create_user("faultfiler1", "a long enough password 1")
    filer = FilerAccountFactory(court=court, login="fault", account=account)
    for n in (1, 2):
        NoticeAddress.objects.create(filer=filer, email=f"second{n}@lawfirm.example")
    token = SignOn.new_token()
    signon = SignOn.objects.create(
        account=account, token_hash=hashlib.sha256(token.encode()).hexdigest()
    )
    draft = draft_start(
        signon=signon,
        filer=filer,
        event=EventType.objects.get(court=court, code="summons"),
        case_data={
            "title": "Acme Corp. v. United States",
            "jurisdiction": "1581a",
            "plaintiffs": ["Acme Corp."],
            "defendant": "United States",
        },
    )
    for main, name in ((True, "summons.pdf"), (False, "exhibit.pdf")):
        data = make_pdf([[f"{name} of {draft.pk}"]])
        upload = SimpleUploadedFile(name, data, content_type="application/pdf")
        draft_stage_upload(draft=draft, upload=upload, description="Exhibit A", main=main)
    outcome = filing_submit(
        draft_id=draft.pk,
        signon=signon,
        card=Card(number="4111111111111111", exp_month=12, exp_year=2030, cvv="123"),
        actor=Actor(),
    )
    print(json.dumps({"filed": outcome.filing.case.number}))


def recover() -> None:
    import time_machine

    print(json.dumps(state()))
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        call_command("sweep_documents", stdout=sys.stderr)
        call_command("void_abandoned_charges", stdout=sys.stderr)
    print(json.dumps(state()))
    call_command("send_queued_mail", stdout=sys.stderr)
    print(json.dumps(state()))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "migrate":
        call_command("migrate", verbosity=0)
    elif command == "file":
        file()
    elif command == "recover":
        recover()
    else:
        raise SystemExit(f"unknown command {command}")

from __future__ import annotations

from datetime import date
from typing import Any

import factory
from django.utils import timezone

from nextecf.accounts.models import Account
from nextecf.cases.models import (
    Appearance,
    Case,
    CaseSequence,
    DocketEntry,
    Document,
    EventType,
    Judge,
    Party,
)
from nextecf.courts.factories import CourtFactory, FilerAccountFactory, staff_account
from nextecf.courts.models import StaffRole
from nextecf.lib.pdf import make_pdf
from nextecf.lib.storage import document_store


class JudgeFactory(factory.django.DjangoModelFactory[Judge]):
    class Meta:
        model = Judge

    court = factory.SubFactory(CourtFactory)
    name = factory.Sequence(lambda n: f"Judge Number {n}")
    initials = factory.Sequence(lambda n: f"J{n:02d}")


def judge_account(judge: Judge, *, username: str, with_app: bool = True) -> Account:
    """A central account for a judge record: the judge role in the judge's court, linked
    from the record, with an authenticator app unless with_app=False."""
    account = staff_account(
        judge.court,
        StaffRole.JUDGE,
        username=username,
        with_app=with_app,
        first_name=judge.name.split()[0],
        last_name=judge.last_name,
    )
    judge.account = account
    judge.save(update_fields=["account"])
    return account


class CaseFactory(factory.django.DjangoModelFactory[Case]):
    class Meta:
        model = Case

    court = factory.SubFactory(CourtFactory)
    title = factory.Sequence(lambda n: f"Importer {n}, Inc. v. United States")
    jurisdiction = Case.Jurisdiction.A
    category = "Classification 19USC § 1514(a)(2)"
    agency = "U.S. Customs and Border Protection"
    date_filed = factory.LazyFunction(timezone.localdate)

    @classmethod
    def _create(cls, model_class: type[Case], *args: Any, **kwargs: Any) -> Case:
        if "number" not in kwargs:
            year = kwargs.get("year") or kwargs["date_filed"].year
            sequence = CaseSequence.take_next(kwargs["court"], year)
            kwargs.update(
                year=year,
                sequence=sequence,
                number=Case.format_number(year, sequence, kwargs["court"]),
            )
        return super()._create(model_class, *args, **kwargs)


class PartyFactory(factory.django.DjangoModelFactory[Party]):
    class Meta:
        model = Party

    case = factory.SubFactory(CaseFactory)
    name = factory.Sequence(lambda n: f"Party {n} LLC")
    role = Party.Role.PLAINTIFF


class AppearanceFactory(factory.django.DjangoModelFactory[Appearance]):
    class Meta:
        model = Appearance

    party = factory.SubFactory(PartyFactory)
    filer = factory.SubFactory(FilerAccountFactory)
    lead = True


class EventTypeFactory(factory.django.DjangoModelFactory[EventType]):
    class Meta:
        model = EventType
        django_get_or_create = ("court", "code")

    court = factory.SubFactory(CourtFactory)
    code = "complaint"
    name = "Complaint"
    docket_text = "COMPLAINT"


class DocketEntryFactory(factory.django.DjangoModelFactory[DocketEntry]):
    class Meta:
        model = DocketEntry

    case = factory.SubFactory(CaseFactory)
    date_filed = factory.LazyFunction(timezone.localdate)
    text = "COMPLAINT against United States."

    @classmethod
    def _create(cls, model_class: type[DocketEntry], *args: Any, **kwargs: Any) -> DocketEntry:
        case = kwargs["case"]
        if "seq" not in kwargs:
            kwargs["seq"] = (
                case.entries.order_by("-seq").values_list("seq", flat=True).first() or 0
            ) + 1
        if "number" not in kwargs:
            last = (
                case.entries.exclude(number=None)
                .order_by("-number")
                .values_list("number", flat=True)
                .first()
            )
            kwargs["number"] = (last or 0) + 1
        return super()._create(model_class, *args, **kwargs)


class DocumentFactory(factory.django.DjangoModelFactory[Document]):
    """A document whose PDF is really stored (in the test's DOCUMENT_STORAGE_DIR)."""

    class Meta:
        model = Document

    entry = factory.SubFactory(DocketEntryFactory)
    original_filename = "document.pdf"

    @classmethod
    def _create(cls, model_class: type[Document], *args: Any, **kwargs: Any) -> Document:
        pages = kwargs.pop("page_count", 2)
        data = kwargs.pop("data", None) or make_pdf(
            [[f"{kwargs['entry'].text}", f"Page {n + 1}"] for n in range(pages)]
        )
        key = document_store().put(data)
        kwargs.setdefault("sha256", key)
        kwargs.setdefault("storage_key", key)
        kwargs.setdefault("pages", pages)
        kwargs.setdefault("size_bytes", len(data))
        return super()._create(model_class, *args, **kwargs)


def today() -> date:
    return timezone.localdate()

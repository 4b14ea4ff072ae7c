from __future__ import annotations

from typing import Any

import factory

from nextecf.accounts.models import Account
from nextecf.courts.models import Court, CourtStaff, FilerAccount, StaffRole

LEGACY_PASSWORD = "old cm/ecf password"  # noqa: S105 - test credential


class CourtFactory(factory.django.DjangoModelFactory[Court]):
    class Meta:
        model = Court
        django_get_or_create = ("id",)

    id = "cit"
    name = "U.S. Court of International Trade"
    login_title = "U.S. Court Of International Trade"
    abbreviation = "USCIT"
    helpdesk_phone = "866-450-1859"
    helpdesk_email = "cmecf_helpdesk@cit.uscourts.gov"
    database_name = "LIVE Database (New York)"
    pcl_court_id = factory.LazyAttribute(lambda c: f"{c.id}dc")
    pcl_regions = factory.LazyAttribute(lambda c: "ny,02" if c.id == "cit" else "")


class CourtStaffFactory(factory.django.DjangoModelFactory[CourtStaff]):
    class Meta:
        model = CourtStaff

    court = factory.SubFactory(CourtFactory)
    role = StaffRole.CLERK


def staff_account(
    court: Court,
    role: StaffRole,
    *,
    username: str,
    acts_for: Account | None = None,
    with_app: bool = True,
    **fields: Any,
) -> Account:
    """A central account holding one court role (is_staff, as court staff are), with a
    confirmed authenticator app unless with_app=False. Chambers staff need acts_for (the
    judge's account)."""
    from nextecf.accounts.factories import AccountFactory
    from nextecf.accounts.models import TotpDevice
    from nextecf.lib import totp

    account: Account = AccountFactory.create(username=username, is_staff=True, **fields)
    CourtStaffFactory(court=court, account=account, role=role, acts_for=acts_for)
    if with_app:
        TotpDevice.objects.create_with_secret(
            account=account, name="Phone", secret=totp.new_secret(), confirmed=True
        )
    return account


class FilerAccountFactory(factory.django.DjangoModelFactory[FilerAccount]):
    class Meta:
        model = FilerAccount

    court = factory.SubFactory(CourtFactory)
    login = factory.Sequence(lambda n: f"filer{n}")
    first_name = "John"
    last_name = "Doe"
    email = factory.LazyAttribute(lambda f: f"{f.login}@lawfirm.example")
    bar_status = "ACTIVE"

    @classmethod
    def _create(cls, model_class: type[FilerAccount], *args: Any, **kwargs: Any) -> FilerAccount:
        password = kwargs.pop("password", LEGACY_PASSWORD)
        filer = model_class(*args, **kwargs)
        filer.set_password(password)
        filer.save()
        return filer

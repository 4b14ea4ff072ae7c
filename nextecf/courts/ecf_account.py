"""Maintain Your ECF Account: a linked filer's secondary NEF addresses and docket contact.

Name and primary email come from the PACER account (Manage My Account); what stays in the
court's CM/ECF is who else receives the filer's Notices of Electronic Filing, and the
firm, address, phone and fax printed under the filer's name on dockets. Every change is
audited; adding an address also tells the filer's primary address, since a secondary
recipient gets the free look at every document served on the filer.
"""

from __future__ import annotations

from django.db import transaction

from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.courts.models import FilerAccount, NoticeAddress
from nextecf.lib.actor import Actor
from nextecf.outbox.services import email_queue


class NoticeAddressRefused(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message


def primary_addresses(filer: FilerAccount) -> set[str]:
    """The addresses that already get the filer's notices without a secondary entry."""
    addresses = {filer.email.casefold()}
    if filer.account is not None and filer.account.email:
        addresses.add(filer.account.email.casefold())
    return addresses


def notice_address_add(*, actor: Actor, filer: FilerAccount, email: str) -> NoticeAddress:
    """Add a secondary NEF address: at most NoticeAddress.MAX_PER_FILER, no duplicates
    (the primary address included), compared without regard to case."""
    with transaction.atomic():
        # The filer row lock serialises two adds racing for the last free place.
        locked = (
            FilerAccount.objects.select_for_update(of=("self",))
            .select_related("account", "court")
            .get(pk=filer.pk)
        )
        existing = list(NoticeAddress.objects.filter(filer=locked))
        folded = email.casefold()
        if folded in primary_addresses(locked):
            raise NoticeAddressRefused(
                "primary_address",
                f"{email} is your primary email address; it already receives your notices.",
            )
        if any(a.email.casefold() == folded for a in existing):
            raise NoticeAddressRefused(
                "duplicate", f"{email} is already one of your secondary email addresses."
            )
        if len(existing) >= NoticeAddress.MAX_PER_FILER:
            raise NoticeAddressRefused(
                "limit",
                f"You already have {NoticeAddress.MAX_PER_FILER} secondary email addresses, "
                "the most allowed. Remove one before adding another.",
            )
        address = NoticeAddress.objects.create(filer=locked, email=email)
        audit_record(
            event=Event.PROFILE_CHANGE,
            success=True,
            actor=actor,
            court=locked.court,
            username=locked.login,
            detail={"what": "secondary_email_added", "email": email, "filer": locked.login},
        )
        email_queue(
            kind="secondary_email_added",
            to=locked.email,
            template="emails/secondary_email_added.txt",
            context={"court": locked.court, "filer": locked, "address": email},
            account=locked.account,
        )
    return address


def notice_address_remove(*, actor: Actor, filer: FilerAccount, address_id: int) -> str:
    """Remove one of the filer's secondary addresses; returns it."""
    with transaction.atomic():
        address = (
            NoticeAddress.objects.select_for_update().filter(filer=filer, pk=address_id).first()
        )
        if address is None:
            raise NoticeAddressRefused(
                "not_found", "That secondary email address is not on your account."
            )
        email = address.email
        address.delete()
        audit_record(
            event=Event.PROFILE_CHANGE,
            success=True,
            actor=actor,
            court=filer.court,
            username=filer.login,
            detail={"what": "secondary_email_removed", "email": email, "filer": filer.login},
        )
    return email


def docket_contact_update(
    *, actor: Actor, filer: FilerAccount, changes: dict[str, str]
) -> list[str]:
    """Save the firm/address/phone/fax the filer gave; returns the names of those changed."""
    fields = ["firm", "address", "phone", "fax"]
    with transaction.atomic():
        locked = FilerAccount.objects.select_for_update().get(pk=filer.pk)
        changed = [f for f in fields if f in changes and getattr(locked, f) != changes[f]]
        if not changed:
            return []
        for name in changed:
            setattr(locked, name, changes[name])
        locked.save(update_fields=changed)
        audit_record(
            event=Event.PROFILE_CHANGE,
            success=True,
            actor=actor,
            court=locked.court,
            username=locked.login,
            detail={"what": "docket_contact_changed", "changed": changed, "filer": locked.login},
        )
    for name in changed:
        setattr(filer, name, changes[name])
    return changed

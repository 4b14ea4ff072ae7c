"""Manage My Account: sessions, profile, billing preferences, password and email changes."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from nextecf.accounts.models import Account, EmailLink, SignOn
from nextecf.accounts.passwords import Identity, password_problems
from nextecf.accounts.services.signon import AuthFailure, signon_end, signon_reauthenticate
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.lib.actor import Actor
from nextecf.outbox.services import email_queue

if TYPE_CHECKING:
    pass

# --- Manage My Account ----------------------------------------------------------------------

EMAIL_CHANGE_SALT = "nextecf.accounts.email-change"
EMAIL_CHANGE_MAX_AGE = 24 * 60 * 60
PENDING_SIGNON_SECONDS = 600


def signons_live(*, account: Account) -> list[SignOn]:
    """The account's sign-ons that still work (or, when pending, can still be finished),
    newest first. Expired ones the middleware has not yet closed are left out."""
    now = timezone.now()
    live = []
    for signon in SignOn.objects.live().filter(account=account).order_by("-created_at", "-pk"):
        if signon.stage == SignOn.Stage.PENDING:
            if now - signon.created_at < timedelta(seconds=PENDING_SIGNON_SECONDS):
                live.append(signon)
        elif signon.expiry_reason(now) is None:
            live.append(signon)
    return live


def signon_ref(signon: SignOn) -> str:
    """The digest the audit log uses for a sign-on (never its token)."""
    return hashlib.sha256(f"signon:{signon.pk}".encode()).hexdigest()[:16]


def signon_end_others(*, signon: SignOn, reason: str, actor: Actor) -> int:
    """End every other live sign-on of the account (web and API); audited when any ends."""
    others = list(SignOn.objects.live().filter(account_id=signon.account_id).exclude(pk=signon.pk))
    for other in others:
        signon_end(signon=other, reason=reason)
    if others:
        audit_record(
            event=Event.SIGNON_ENDED,
            success=True,
            actor=actor,
            reason=reason,
            detail={"ended": len(others), "signons": [signon_ref(o) for o in others]},
        )
    return len(others)


def signon_end_one(
    *, account: Account, signon_id: int, current: SignOn, actor: Actor
) -> SignOn | None:
    """End one other sign-on of this account; None when there is no such live one."""
    other = (
        SignOn.objects.live().filter(account=account, pk=signon_id).exclude(pk=current.pk).first()
    )
    if other is None:
        return None
    signon_end(signon=other, reason="ended_by_user")
    audit_record(
        event=Event.SIGNON_ENDED,
        success=True,
        actor=actor,
        reason="ended_by_user",
        detail={"ended": 1, "signons": [signon_ref(other)]},
    )
    return other


def profile_update(
    *, account: Account, first_name: str, middle_name: str, last_name: str, actor: Actor
) -> list[str]:
    """Change the account holder's names; returns the fields that changed (audited)."""
    wanted = {"first_name": first_name, "middle_name": middle_name, "last_name": last_name}
    changed = [field for field, value in wanted.items() if getattr(account, field) != value]
    if not changed:
        return []
    for field in changed:
        setattr(account, field, wanted[field])
    with transaction.atomic():
        account.save(update_fields=changed)
        audit_record(
            event=Event.PROFILE_CHANGE,
            success=True,
            actor=actor,
            detail={"fields": changed},
        )
    return changed


def billing_prefs_update(
    *,
    account: Account,
    client_code_required: bool,
    client_code_format: str,
    actor: Actor,
) -> bool:
    """Set whether every session needs a client code and the format codes must have."""
    if (account.client_code_required, account.client_code_format) == (
        client_code_required,
        client_code_format,
    ):
        return False
    account.client_code_required = client_code_required
    account.client_code_format = client_code_format
    with transaction.atomic():
        account.save(update_fields=["client_code_required", "client_code_format"])
        audit_record(
            event=Event.BILLING_PREFS_CHANGE,
            success=True,
            actor=actor,
            detail={"client_code_required": client_code_required, "format": client_code_format},
        )
    return True


class PasswordChangeRefused(Exception):
    """The change was refused; `field` names the form field the messages belong to."""

    def __init__(self, field: str, messages: list[str], *, signed_off: bool = False) -> None:
        super().__init__(" ".join(messages))
        self.field = field
        self.messages = messages
        self.signed_off = signed_off


def password_change(
    *, signon: SignOn, current_password: str, new_password: str, actor: Actor
) -> str:
    """Change the password of a signed-on account and return the sign-on's new token.

    The current password is checked like a re-authentication (wrong ones count toward the
    account's lockout); every other sign-on of the account ends, and the account is
    emailed. PasswordChangeRefused when the current password is wrong or the new one is
    not allowed.
    """
    account = signon.account
    problems = password_problems(
        new_password,
        identity=Identity(
            username=account.username,
            first_name=account.first_name,
            last_name=account.last_name,
            email=account.email,
        ),
        mfa=account.has_mfa,
    )
    if problems:
        raise PasswordChangeRefused("new_password", problems)
    check = signon_reauthenticate(signon=signon, password=current_password, actor=actor)
    if not check.token:
        audit_record(
            event=Event.PASSWORD_CHANGE,
            success=False,
            actor=actor,
            reason="signed_off" if check.signed_off else str(check.failure),
        )
        message = (
            "Current password is not correct."
            if check.failure is AuthFailure.INVALID
            else "Too many unsuccessful attempts. Try again later, or reset your password."
        )
        raise PasswordChangeRefused("current_password", [message], signed_off=check.signed_off)
    with transaction.atomic():
        account.set_password(new_password)
        account.save(update_fields=["password", "password_changed_at"])
        ended = signon_end_others(signon=signon, reason="password_change", actor=actor)
        audit_record(
            event=Event.PASSWORD_CHANGE,
            success=True,
            actor=actor,
            detail={"other_signons_ended": ended},
        )
        email_queue(
            kind="password_changed",
            to=account.email,
            template="emails/password_changed.txt",
            context={"account": account, "when": timezone.now(), "ended": ended},
            account=account,
        )
    return check.token


def _email_fingerprint(account: Account) -> str:
    """Binds a change link to the address the account has now: once it changes (this link
    or another one used), every outstanding link stops working."""
    return salted_hmac(EMAIL_CHANGE_SALT, f"{account.pk}:{account.email.lower()}").hexdigest()[:32]


def email_change_link(*, account: Account, new_email: str) -> str:
    """A single-use link (its EmailLink row) that supersedes the account's older ones."""
    link = EmailLink.objects.issue(account=account, purpose=EmailLink.Purpose.CHANGE)
    token = signing.dumps(
        {"a": account.pk, "e": new_email, "c": _email_fingerprint(account), "l": link.nonce},
        salt=EMAIL_CHANGE_SALT,
    )
    path = reverse("manage:email_confirm")
    return f"{settings.SITE_URL.rstrip('/')}{path}?{urlencode({'t': token})}"


def email_change_request(*, account: Account, new_email: str, actor: Actor) -> None:
    """Mail a confirmation link (valid 24 hours) to the new address and a notice to the
    current one. The address changes only when the link is used."""
    with transaction.atomic():
        audit_record(
            event=Event.EMAIL_CHANGE_REQUEST,
            success=True,
            actor=actor,
            detail={"new_email": new_email},
        )
        email_queue(
            kind="email_change_confirm",
            to=new_email,
            template="emails/email_change_confirm.txt",
            context={
                "account": account,
                "link": email_change_link(account=account, new_email=new_email),
                "hours": EMAIL_CHANGE_MAX_AGE // 3600,
            },
            account=account,
        )
        email_queue(
            kind="email_change_notice",
            to=account.email,
            template="emails/email_change_notice.txt",
            context={"account": account, "new_email": new_email, "when": timezone.now()},
            account=account,
        )


class EmailChangeInvalid(Exception):
    """The link is wrong, expired, already used, superseded, or for another account;
    reason is "used", "superseded" or "invalid"."""

    def __init__(self, reason: str = "invalid") -> None:
        super().__init__(reason)
        self.reason = reason


def email_change_target(*, account: Account, token: str) -> str:
    """The new address an email change link asks for; EmailChangeInvalid unless it is
    this account's, unexpired, not used or superseded, and made for the address the
    account has now."""
    return _email_change_read(account=account, token=token, lock=False)[0]


def _email_change_read(*, account: Account, token: str, lock: bool) -> tuple[str, EmailLink]:
    """The new address and the link's row (with lock, row-locked until the transaction
    ends); EmailChangeInvalid as for email_change_target."""
    if not token or len(token) > 2000:
        raise EmailChangeInvalid
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.BadSignature:
        raise EmailChangeInvalid from None
    if not isinstance(data, dict):
        raise EmailChangeInvalid
    new_email, fingerprint, nonce = data.get("e"), data.get("c"), data.get("l")
    if data.get("a") != account.pk or not isinstance(new_email, str):
        raise EmailChangeInvalid
    links = EmailLink.objects.select_for_update() if lock else EmailLink.objects.all()
    link = (
        links.filter(nonce=nonce, account=account, purpose=EmailLink.Purpose.CHANGE).first()
        if isinstance(nonce, str) and nonce
        else None
    )
    if link is None:
        raise EmailChangeInvalid
    if link.state is not EmailLink.State.OPEN:
        raise EmailChangeInvalid(str(link.state))
    if not isinstance(fingerprint, str) or not constant_time_compare(
        fingerprint, _email_fingerprint(account)
    ):
        raise EmailChangeInvalid
    return new_email, link


def _email_change_refused(*, actor: Actor, refusal: EmailChangeInvalid) -> None:
    audit_record(event=Event.EMAIL_CHANGE, success=False, actor=actor, reason=refusal.reason)


def email_change_check(*, account: Account, token: str, actor: Actor) -> str:
    """What a link shown (not yet used) would change to; a refused link is audited and
    raises EmailChangeInvalid."""
    try:
        return email_change_target(account=account, token=token)
    except EmailChangeInvalid as refusal:
        _email_change_refused(actor=actor, refusal=refusal)
        raise


def email_change_confirm(*, account: Account, token: str, actor: Actor) -> str:
    """Use an email change link, once: the account's address becomes the new one (and
    counts as verified). The old address is told. Returns the new address; a refused link
    (used, superseded, expired, another account's) changes nothing and is audited."""
    try:
        with transaction.atomic():
            locked = Account.objects.select_for_update().get(pk=account.pk)
            new_email, link = _email_change_read(account=locked, token=token, lock=True)
            if not EmailLink.objects.consume(nonce=link.nonce):
                raise EmailChangeInvalid("used")  # unreachable while the rows are locked
            old_email = locked.email
            locked.email = new_email
            locked.email_verified = True
            locked.save(update_fields=["email", "email_verified"])
            account.email, account.email_verified = new_email, True
            audit_record(
                event=Event.EMAIL_CHANGE,
                success=True,
                actor=actor,
                detail={"old_email": old_email, "new_email": new_email},
            )
            email_queue(
                kind="email_changed",
                to=old_email,
                template="emails/email_changed.txt",
                context={"account": account, "new_email": new_email, "when": timezone.now()},
                account=account,
            )
    except EmailChangeInvalid as refusal:
        _email_change_refused(actor=actor, refusal=refusal)
        raise
    return new_email

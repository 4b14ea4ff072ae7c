"""Passkeys, server side: enrollment, the second factor and the passkey alone against a
software authenticator (P-256 keys from cryptography, CBOR from cbor2, the formats of the
WebAuthn spec), and every refusal: a replayed or cloned assertion, an expired or reused
challenge, another account's passkey, a passkey without user verification as the only
factor, malformed input. The browser test (tests/browser/test_passkeys.py) drives the same
flows through Chromium's virtual authenticator."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import struct
from dataclasses import dataclass, field
from datetime import timedelta

import cbor2
import pytest
import time_machine
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.utils import timezone

from conftest import login
from nextecf.accounts.factories import AccountFactory
from nextecf.accounts.models import Passkey, PasskeyChallenge, SignOn
from nextecf.accounts.passkeys import (
    CHALLENGE_SECONDS,
    PasskeyRefused,
    Relying,
    passkey_authenticate,
    passkey_login_begin,
    passkey_register,
    passkey_register_begin,
    passkey_remove,
)
from nextecf.audit.models import AuditEvent, Event
from nextecf.lib.actor import Actor

RP = Relying(rp_id="testserver", origin="http://testserver")
UP, UV, AT = 0x01, 0x04, 0x40


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class SoftAuthenticator:
    """One credential on a software authenticator."""

    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    credential_id: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    sign_count: int = 0
    verifies_user: bool = True

    def _flags(self, extra: int = 0) -> bytes:
        return bytes([UP | (UV if self.verifies_user else 0) | extra])

    def create(self, options: dict, origin: str = RP.origin) -> str:
        numbers = self.key.public_key().public_numbers()
        cose = cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )
        auth_data = (
            hashlib.sha256(options["rp"]["id"].encode()).digest()
            + self._flags(AT)
            + struct.pack(">I", self.sign_count)
            + bytes(16)
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + cose
        )
        client_data = json.dumps(
            {"type": "webauthn.create", "challenge": options["challenge"], "origin": origin}
        ).encode()
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return json.dumps(
            {
                "id": b64(self.credential_id),
                "rawId": b64(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64(client_data),
                    "attestationObject": b64(attestation),
                    "transports": ["internal"],
                },
            }
        )

    def get(self, options: dict, origin: str = RP.origin) -> str:
        self.sign_count += 1
        auth_data = (
            hashlib.sha256(options["rpId"].encode()).digest()
            + self._flags()
            + struct.pack(">I", self.sign_count)
        )
        client_data = json.dumps(
            {"type": "webauthn.get", "challenge": options["challenge"], "origin": origin}
        ).encode()
        signature = self.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return json.dumps(
            {
                "id": b64(self.credential_id),
                "rawId": b64(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64(client_data),
                    "authenticatorData": b64(auth_data),
                    "signature": b64(signature),
                    "userHandle": None,
                },
            }
        )


@pytest.fixture
def person(db):
    return AccountFactory(username="keyholder1")


def enroll(account, device: SoftAuthenticator, name: str = "Laptop") -> Passkey:
    ceremony = passkey_register_begin(account=account, relying=RP)
    return passkey_register(
        account=account,
        relying=RP,
        challenge_id=ceremony.challenge_id,
        credential=device.create(json.loads(ceremony.options_json)),
        name=name,
        actor=Actor(),
    )


def assert_with(device: SoftAuthenticator, account=None, **tamper) -> Passkey:
    ceremony = passkey_login_begin(relying=RP, account=account)
    options = json.loads(ceremony.options_json)
    return passkey_authenticate(
        relying=RP,
        challenge_id=tamper.get("challenge_id", ceremony.challenge_id),
        credential=tamper.get("credential") or device.get(options, tamper.get("origin", RP.origin)),
        actor=Actor(),
        account=account,
    )


def test_enrolled_passkey_is_stored_audited_and_mailed(person, mailoutbox):
    device = SoftAuthenticator()
    passkey = enroll(person, device)
    assert passkey.credential_id == b64(device.credential_id)
    assert passkey.rp_id == "testserver" and passkey.user_verified
    assert passkey.transports == ["internal"]
    assert person.has_mfa  # a passkey is a second factor
    assert AuditEvent.objects.get(event_type=Event.PASSKEY_ENROLL).actor == person
    assert not PasskeyChallenge.objects.exists()  # the challenge was used up


def test_registration_options_exclude_the_accounts_passkeys(person):
    enroll(person, SoftAuthenticator())
    options = json.loads(passkey_register_begin(account=person, relying=RP).options_json)
    assert [c["id"] for c in options["excludeCredentials"]] == [person.passkeys.get().credential_id]
    assert options["rp"]["id"] == "testserver"
    assert options["authenticatorSelection"]["residentKey"] == "preferred"


def test_a_registration_for_another_origin_is_refused(person):
    ceremony = passkey_register_begin(account=person, relying=RP)
    credential = SoftAuthenticator().create(
        json.loads(ceremony.options_json), origin="https://phish.example"
    )
    with pytest.raises(PasskeyRefused):
        passkey_register(
            account=person,
            relying=RP,
            challenge_id=ceremony.challenge_id,
            credential=credential,
            name="x",
            actor=Actor(),
        )
    assert not Passkey.objects.exists()
    assert AuditEvent.objects.get(event_type=Event.PASSKEY_ERROR).reason == "registration_invalid"


def test_second_factor_and_only_factor_accept_the_passkey_and_advance_its_counter(person):
    device = SoftAuthenticator()
    enroll(person, device)
    assert assert_with(device, account=person).sign_count == 1
    assert assert_with(device).account == person  # alone: user verified
    passkey = person.passkeys.get()
    assert passkey.sign_count == 2 and passkey.last_used_at is not None
    reasons = list(
        AuditEvent.objects.filter(event_type=Event.PASSKEY_USED)
        .order_by("pk")
        .values_list("reason", flat=True)
    )
    assert reasons == ["second_factor", "only_factor"]


def test_a_cloned_authenticator_is_refused(person):
    device = SoftAuthenticator()
    enroll(person, device)
    assert_with(device)
    assert_with(device)
    clone = SoftAuthenticator(key=device.key, credential_id=device.credential_id, sign_count=0)
    with pytest.raises(PasskeyRefused) as refused:
        assert_with(clone)
    assert refused.value.reason == "cloned_or_replayed"
    assert person.passkeys.get().sign_count == 2
    row = AuditEvent.objects.get(event_type=Event.PASSKEY_ERROR)
    assert row.reason == "cloned_or_replayed" and row.actor == person


def test_a_replayed_assertion_is_refused_with_its_own_or_a_new_challenge(person):
    device = SoftAuthenticator()
    enroll(person, device)
    ceremony = passkey_login_begin(relying=RP, account=None)
    answer = device.get(json.loads(ceremony.options_json))
    passkey_authenticate(
        relying=RP,
        challenge_id=ceremony.challenge_id,
        credential=answer,
        actor=Actor(),
        account=None,
    )
    with pytest.raises(PasskeyRefused) as used:
        passkey_authenticate(
            relying=RP,
            challenge_id=ceremony.challenge_id,
            credential=answer,
            actor=Actor(),
            account=None,
        )
    assert used.value.reason == "no_challenge"
    with pytest.raises(PasskeyRefused) as other:
        assert_with(device, credential=answer)  # a fresh challenge the answer does not sign
    assert other.value.reason in ("assertion_invalid", "cloned_or_replayed")


def test_an_expired_challenge_is_refused(person):
    device = SoftAuthenticator()
    enroll(person, device)
    ceremony = passkey_login_begin(relying=RP, account=None)
    answer = device.get(json.loads(ceremony.options_json))
    later = timezone.now() + timedelta(seconds=CHALLENGE_SECONDS + 1)
    with time_machine.travel(later), pytest.raises(PasskeyRefused) as refused:
        passkey_authenticate(
            relying=RP,
            challenge_id=ceremony.challenge_id,
            credential=answer,
            actor=Actor(),
            account=None,
        )
    assert refused.value.reason == "no_challenge"


def test_another_accounts_passkey_is_not_a_second_factor(person):
    other = AccountFactory(username="otherkey1")
    theirs = SoftAuthenticator()
    enroll(other, theirs)
    with pytest.raises(PasskeyRefused) as refused:
        assert_with(theirs, account=person)
    assert refused.value.reason in ("no_challenge", "unknown_passkey")
    assert Passkey.objects.get().sign_count == 0


def test_without_user_verification_a_passkey_is_no_only_factor(person):
    device = SoftAuthenticator(verifies_user=False)
    enroll(person, device)
    with pytest.raises(PasskeyRefused):
        assert_with(device)
    assert assert_with(device, account=person)  # as a second factor it still serves


@pytest.mark.parametrize(
    "credential",
    ["", "not json", "[]", '{"id": 5}', json.dumps({"id": "x", "response": {}}), "{" * 70000],
)
def test_malformed_credentials_are_refused(person, credential):
    enroll(person, SoftAuthenticator())
    with pytest.raises(PasskeyRefused):
        assert_with(SoftAuthenticator(), credential=credential)


def test_a_passkey_is_removed_only_by_its_account(person, mailoutbox):
    passkey = enroll(person, SoftAuthenticator())
    other = AccountFactory(username="otherkey2")
    with pytest.raises(PasskeyRefused):
        passkey_remove(account=other, passkey_id=passkey.pk, actor=Actor())
    passkey_remove(account=person, passkey_id=passkey.pk, actor=Actor())
    assert not Passkey.objects.exists() and not person.has_mfa
    assert AuditEvent.objects.filter(event_type=Event.PASSKEY_REMOVE).count() == 1


# --- through the web pages ---------------------------------------------------------


def test_the_passkey_pages_need_a_sign_on_and_a_fresh_password(person, settings):
    client = Client()
    assert client.get("/account/passkeys/")["Location"].startswith("/csologin/login/")
    login(client, person.username)
    assert client.get("/account/passkeys/").status_code == 200
    SignOn.objects.update(authenticated_at=timezone.now() - timedelta(hours=1))
    assert client.get("/account/passkeys/add/")["Location"].startswith("/csologin/reauth/")


def test_enroll_then_log_in_with_the_passkey_as_second_factor_then_alone(person):
    device = SoftAuthenticator()
    client = Client()
    login(client, person.username)
    page = client.get("/account/passkeys/add/").content.decode()
    options = _options(page)
    response = client.post(
        "/account/passkeys/add/",
        {"name": "Laptop", "challenge": _challenge(page), "credential": device.create(options)},
    )
    assert response.status_code == 200 and b"Passkey added" in response.content
    client.post("/csologin/logout/")

    second = Client()
    step = second.post("/csologin/login/", {"username": person.username, "password": _pw()})
    assert "/login/continue/" in step["Location"]
    page = second.get(step["Location"]).content.decode()
    assert "Use a passkey" in page and 'name="code"' not in page  # no app: no code box
    done = second.post(
        step["Location"],
        {"challenge": _challenge(page), "credential": device.get(_options(page))},
    )
    assert done.status_code == 302 and second.get("/account/").status_code == 200

    alone = Client()
    page = alone.get("/csologin/login/passkey/").content.decode()
    done = alone.post(
        "/csologin/login/passkey/",
        {"challenge": _challenge(page), "credential": device.get(_options(page))},
    )
    assert done.status_code == 302 and alone.get("/account/").status_code == 200
    assert AuditEvent.objects.filter(event_type=Event.LOGIN, actor=person).count() == 3


def test_bad_passkey_posts_get_a_clear_answer_and_change_nothing(person):
    client = Client()
    login(client, person.username)
    page = client.get("/account/passkeys/add/").content.decode()
    missing_name = client.post(
        "/account/passkeys/add/", {"challenge": _challenge(page), "credential": "{}"}
    )
    assert missing_name.status_code == 400
    assert b"Name for this passkey is required." in missing_name.content
    junk = client.post(
        "/account/passkeys/add/", {"name": "x", "challenge": "nope", "credential": "]"}
    )
    assert junk.status_code == 400 and b"expired or was already used" in junk.content
    anonymous = Client().post(
        "/csologin/login/passkey/", {"challenge": "x" * 500, "credential": "x"}
    )
    assert anonymous.status_code == 400 and b"expired or was already used" in anonymous.content
    assert not Passkey.objects.exists()
    assert Client().get("/account/").status_code == 302


def _pw() -> str:
    from nextecf.accounts.factories import PASSWORD

    return PASSWORD


def _options(page: str) -> dict:
    import html
    import re

    found = re.search(
        r'<script id="passkey-options" type="application/json">(.*?)</script>', page, re.S
    )
    assert found, page
    return json.loads(html.unescape(found.group(1)))


def _challenge(page: str) -> str:
    import re

    found = re.search(r'name="challenge" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


@pytest.mark.parametrize(
    ("place", "refusal", "audited_in_court"),
    [
        ("/admin/", b"Your court requires a passkey for its staff", False),
        ("/cit/staff/", b"requires a passkey for its staff", True),
    ],
    ids=["staff tools", "staff workspace"],
)
def test_a_court_that_requires_passkeys_opens_its_staff_pages_only_after_one(
    db, place, refusal, audited_in_court
):
    from conftest import enroll_app
    from nextecf.courts.factories import CourtFactory, CourtStaffFactory

    court = CourtFactory(staff_passkey_required=True)
    clerk = AccountFactory(username="keyclerk1", is_staff=True)
    CourtStaffFactory(court=court, account=clerk)
    enroll_app(clerk)
    device = SoftAuthenticator()
    enroll(clerk, device)

    with_code = Client()
    assert login(with_code, clerk.username).status_code == 302  # password + app code
    refused = with_code.get(place)
    assert refused.status_code == 403
    assert refusal in refused.content
    denied = AuditEvent.objects.get(event_type=Event.ACCESS_DENIED, reason="passkey_required")
    assert denied.actor == clerk
    assert denied.court_id == (court.pk if audited_in_court else None)

    with_key = Client()
    step = with_key.post("/csologin/login/", {"username": clerk.username, "password": _pw()})
    page = with_key.get(step["Location"]).content.decode()
    assert 'name="code"' in page  # the app's code box is offered beside the passkey
    with_key.post(
        step["Location"], {"challenge": _challenge(page), "credential": device.get(_options(page))}
    )
    assert SignOn.objects.filter(account=clerk, mfa_method="passkey").exists()
    assert with_key.get(place).status_code == 200

    court.staff_passkey_required = False
    court.save()
    assert with_code.get(place).status_code == 200  # an app code is enough again

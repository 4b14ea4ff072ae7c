"""Our RFC 6238 implementation against pyotp, the acceptance window, and replay."""

from __future__ import annotations

import base64
import time
from urllib.parse import parse_qs, unquote, urlsplit

import pyotp
import pytest

from nextecf.lib import totp

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_a_new_secret_has_160_random_bits_in_base32():
    secrets_made = {totp.new_secret() for _ in range(50)}
    assert len(secrets_made) == 50
    for secret in secrets_made:
        assert len(base64.b32decode(secret)) == 20


@pytest.mark.parametrize("moment", [0, 59, 1_111_111_109, 1_234_567_890, 2_000_000_000])
def test_codes_agree_with_pyotp(moment):
    secret = totp.new_secret()
    assert totp.code_at(secret, totp.step_at(moment)) == pyotp.TOTP(secret).at(moment)


def test_rfc_6238_sha1_vectors_truncated_to_six_digits():
    # RFC 6238 appendix B (SHA-1, the ASCII key "12345678901234567890"), last six digits.
    key = base64.b32encode(b"12345678901234567890").decode()
    for moment, eight in [(59, "94287082"), (1111111109, "07081804"), (20000000000, "65353130")]:
        assert totp.code_at(key, totp.step_at(moment)) == eight[-6:]


@pytest.mark.parametrize(
    ("offset", "accepted"), [(-2, False), (-1, True), (0, True), (1, True), (2, False)]
)
def test_the_window_is_one_step_either_side(offset, accepted):
    now = 1_700_000_015.0
    step = totp.step_at(now)
    code = pyotp.TOTP(SECRET).at((step + offset) * 30)
    assert (totp.find_step(SECRET, code, moment=now) == step + offset) is accepted


def test_replay_protection_refuses_the_same_or_an_earlier_step():
    now = 1_700_000_015.0
    step = totp.step_at(now)
    current = pyotp.TOTP(SECRET).at(now)
    previous = pyotp.TOTP(SECRET).at(now - 30)
    assert totp.match_step(SECRET, current, last_used_step=0, moment=now) == step
    assert totp.match_step(SECRET, current, last_used_step=step, moment=now) is None
    # A previous-step code after a later one was used is a replay too.
    assert totp.match_step(SECRET, previous, last_used_step=step, moment=now) is None
    assert totp.match_step(SECRET, previous, last_used_step=step - 2, moment=now) == step - 1


@pytest.mark.parametrize(
    "code",
    [
        "",
        "12345",
        "1234567",
        "abcdef",
        "\uff11\uff12\uff13\uff14\uff15\uff16",
        "\x00" * 6,
        "9" * 5000,
    ],
)
def test_anything_but_six_ascii_digits_is_refused(code):
    assert totp.find_step(SECRET, code) is None


def test_spaces_in_a_code_are_ignored():
    code = pyotp.TOTP(SECRET).now()
    assert totp.find_step(SECRET, f"{code[:3]} {code[3:]}") == totp.step_at(time.time())


def test_the_provisioning_uri_names_issuer_and_user():
    uri = totp.provisioning_uri(secret=SECRET, username="johndoe1")
    parts = urlsplit(uri)
    assert parts.scheme == "otpauth" and parts.netloc == "totp"
    assert unquote(parts.path) == "/NextECF:johndoe1"
    query = parse_qs(parts.query)
    assert query["secret"] == [SECRET] and query["issuer"] == ["NextECF"]
    assert query["digits"] == ["6"] and query["period"] == ["30"]
    parsed = pyotp.parse_uri(uri)
    assert parsed.secret == SECRET and parsed.issuer == "NextECF" and parsed.name == "johndoe1"


def test_accepted_codes_agree_with_pyotps_own_check_over_many_steps():
    # pyotp's verify() with a window of one step is the reference for which codes count.
    reference = pyotp.TOTP(SECRET)
    for step in range(4, 400, 7):
        now = step * 30 + 15.0
        for offset in range(-3, 4):
            code = reference.at(now + 30 * offset)
            ours = totp.find_step(SECRET, code, moment=now)
            assert (ours is not None) is reference.verify(code, for_time=now, valid_window=1)
            if ours is not None:
                assert ours == step + offset


@pytest.mark.parametrize(
    ("moment", "eight"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_every_rfc_6238_sha1_vector_is_accepted_at_its_time(moment, eight):
    key = base64.b32encode(b"12345678901234567890").decode()
    assert pyotp.TOTP(key, digits=8).at(moment) == eight
    assert totp.find_step(key, eight[-6:], moment=moment) == totp.step_at(moment)


def test_a_secret_comes_from_pyotp_and_codes_for_it_are_accepted():
    secret = totp.new_secret()
    assert len(secret) == 32 and pyotp.TOTP(secret).byte_secret()
    now = 1_700_000_015.0
    assert totp.match_step(
        secret, pyotp.TOTP(secret).at(now), last_used_step=0, moment=now
    ) == totp.step_at(now)

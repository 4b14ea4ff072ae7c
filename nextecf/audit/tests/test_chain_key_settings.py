"""The chain key comes from outside the database, and production does not start without it."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
PRINT_KEY = "import nextecf.settings as s; print(s.AUDIT_CHAIN_KEY)"


def production(**extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "NEXTECF_DEVELOPMENT": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "MFA_SECRET_KEY": secrets.token_hex(32),
        "MFA_SECRET_KEYS": secrets.token_hex(32),
        # Production also needs its database named (it is never opened here).
        "DATABASE_URL": "sqlite:///var/chain-key-check.sqlite3",
        **extra,
    }
    for name in ("AUDIT_CHAIN_KEY", "AUDIT_CHAIN_KEY_FILE"):
        if name not in extra:
            env.pop(name, None)
    return subprocess.run(  # noqa: S603 - this interpreter and a constant script
        [sys.executable, "-c", PRINT_KEY],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_without_the_chain_key():
    result = production()
    assert result.returncode != 0
    assert "AUDIT_CHAIN_KEY must be set (or AUDIT_CHAIN_KEY_FILE)" in result.stderr


def test_production_refuses_a_short_chain_key():
    result = production(AUDIT_CHAIN_KEY="short")
    assert result.returncode != 0
    assert "AUDIT_CHAIN_KEY must be at least 32 characters" in result.stderr


def test_production_reads_the_chain_key_from_a_file(tmp_path):
    key = secrets.token_hex(32)
    (tmp_path / "audit-key").write_text(f"{key}\n")
    result = production(AUDIT_CHAIN_KEY_FILE=str(tmp_path / "audit-key"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == key


def test_development_derives_a_chain_key_of_its_own(settings):
    assert len(settings.AUDIT_CHAIN_KEY) == 64
    assert settings.AUDIT_CHAIN_KEY != settings.SECRET_KEY

"""Settings read from the environment: DATABASE_URL through dj-database-url, key rings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from nextecf.lib.env import database_from_url, env_secret_list

REPO = Path(__file__).resolve().parents[3]


def test_postgres_url_options_reach_the_driver(tmp_path):
    url = "postgres://app:p%40ss@db.internal:6432/ecf?sslmode=require&connect_timeout=5"
    config = database_from_url(url, tmp_path, conn_max_age=60, conn_health_checks=True)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("ecf", "app", "p@ss")
    assert (config["HOST"], config["PORT"]) == ("db.internal", "6432")
    assert config["OPTIONS"] == {"sslmode": "require", "connect_timeout": 5}
    assert config["CONN_MAX_AGE"] == 60 and config["CONN_HEALTH_CHECKS"] is True


def test_postgres_test_database_name_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TEST_DATABASE_NAME", "test_nextecf_mine")
    config = database_from_url("postgres://postgres@127.0.0.1:5432/test", tmp_path)
    assert config["TEST"] == {"NAME": "test_nextecf_mine"}
    assert config["CONN_MAX_AGE"] == 0 and "OPTIONS" not in config


def test_a_relative_sqlite_path_resolves_against_the_base_directory(tmp_path):
    config = database_from_url("sqlite:///var/x.sqlite3", tmp_path)
    assert config["NAME"] == str(tmp_path / "var" / "x.sqlite3")
    assert (tmp_path / "var").is_dir()
    assert config["OPTIONS"] == {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    absolute = database_from_url(f"sqlite:///{tmp_path / 'abs.sqlite3'}", Path("/nowhere"))
    assert absolute["NAME"] == str(tmp_path / "abs.sqlite3")
    assert database_from_url("sqlite://", tmp_path)["NAME"] == str(
        tmp_path / "var" / "nextecf.sqlite3"
    )


def test_sqlite_url_options_add_to_the_busy_wait_defaults(tmp_path):
    config = database_from_url("sqlite:///db.sqlite3?timeout=5", tmp_path)
    assert config["OPTIONS"] == {"timeout": 5, "transaction_mode": "IMMEDIATE"}


@pytest.mark.parametrize("url", ["mysql2://x@y/z", "nonsense://a/b", "postgres://h:notaport/x"])
def test_an_unusable_url_is_a_configuration_error(tmp_path, url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_url(url, tmp_path)


def test_a_key_ring_reads_commas_or_lines_from_the_variable_or_a_file(tmp_path, monkeypatch):
    monkeypatch.delenv("RING_FILE", raising=False)
    monkeypatch.setenv("RING", " new-key , old-key ,")
    assert env_secret_list("RING") == ["new-key", "old-key"]
    ring = tmp_path / "ring"
    ring.write_text("newest\nolder\n\noldest\n")
    monkeypatch.setenv("RING_FILE", str(ring))
    assert env_secret_list("RING") == ["newest", "older", "oldest"]
    monkeypatch.setenv("RING_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="RING_FILE"):
        env_secret_list("RING")
    monkeypatch.delenv("RING_FILE")
    monkeypatch.delenv("RING")
    assert env_secret_list("RING") == []


def settings_in(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The settings module loaded fresh in a child process with exactly these variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MFA_", "DATABASE_"))}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    script = (
        "import json; from nextecf import settings as s; "
        "print(json.dumps({'db': s.DATABASES['default'], 'keys': s.MFA_SECRET_KEYS}, default=str))"
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", script],
        cwd=REPO,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_settings_pass_url_options_and_connection_age_to_databases():
    result = settings_in(
        {
            "DATABASE_URL": "postgres://u@db:5432/ecf?sslmode=require&connect_timeout=5",
            "DATABASE_CONN_MAX_AGE": "60",
        }
    )
    assert result.returncode == 0, result.stderr
    db = json.loads(result.stdout)["db"]
    assert db["OPTIONS"] == {"sslmode": "require", "connect_timeout": 5}
    assert db["CONN_MAX_AGE"] == 60


def test_settings_take_the_key_ring_newest_first_or_a_single_key(tmp_path):
    ring = json.loads(settings_in({"MFA_SECRET_KEYS": "k2,k1"}).stdout)["keys"]
    assert ring == ["k2", "k1"]
    one = json.loads(settings_in({"MFA_SECRET_KEY": "only-key"}).stdout)["keys"]
    assert one == ["only-key"]
    (tmp_path / "ring").write_text("fk2\nfk1\n")
    from_file = settings_in({"MFA_SECRET_KEYS_FILE": str(tmp_path / "ring")})
    assert json.loads(from_file.stdout)["keys"] == ["fk2", "fk1"]


def test_production_settings_refuse_to_load_without_an_mfa_key():
    result = settings_in({"NEXTECF_DEVELOPMENT": "false", "SECRET_KEY": "s" * 50})
    assert result.returncode != 0 and "MFA_SECRET_KEY" in result.stderr

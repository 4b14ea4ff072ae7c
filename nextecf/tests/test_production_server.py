"""The production settings and server: a missing database refuses to start, and gunicorn's
access log is JSON with the request id and without query strings."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "NEXTECF_DEVELOPMENT": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "MFA_SECRET_KEY": secrets.token_hex(32),
        "AUDIT_CHAIN_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "TASK_QUEUE_URL": f"sqlite:///{tmp_path / 'tasks.sqlite3'}",
        "SECURE_SSL_REDIRECT": "false",
        **extra,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def test_production_refuses_to_start_without_a_database_url(tmp_path):
    env = production_env(tmp_path)
    del env["DATABASE_URL"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "DATABASE_URL must be set outside development" in result.stderr


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_logs_each_request_as_json_with_its_id_and_no_query(tmp_path):
    port = free_port()
    env = production_env(tmp_path, HOST="127.0.0.1", PORT=str(port), WEB_CONCURRENCY="1")
    log = (tmp_path / "access.log").open("w+")
    server = subprocess.Popen(  # noqa: S603 - the venv's gunicorn and our config
        [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "nextecf.wsgi"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/healthz?token=reset-secret-123"
        for _ in range(100):
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    rid = response.headers["X-Request-ID"]
                    assert json.loads(response.read()) == {"status": "ok"}
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not answer")
        for _ in range(50):
            log.seek(0)
            lines = [json.loads(line) for line in log.read().splitlines() if line.startswith("{")]
            # A first try that timed out on a loaded machine may also be logged: find ours.
            access = [
                line
                for line in lines
                if line.get("logger") == "gunicorn.access" and line.get("request_id") == rid
            ]
            if access:
                break
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert access, "no access log line carries the answer's request id"
    assert (access[0]["method"], access[0]["path"], access[0]["status"]) == ("GET", "/healthz", 200)
    assert "reset-secret-123" not in (tmp_path / "access.log").read_text()

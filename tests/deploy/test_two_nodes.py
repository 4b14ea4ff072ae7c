"""Two application nodes behind HAProxy, as deploy/ lays out a court: gunicorn twice on one
fresh PostgreSQL database, one Redis and one S3 store (SeaweedFS), round-robin with no
stickiness. A filer logs in through the balancer, walks the seed (links `doej`) and files
a Summons (upload in one request, submit in another), each request answered by whichever
node the balancer picks: the X-Served-By header shows they alternate."""

from __future__ import annotations

import contextlib
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import requests
from django.conf import settings

from nextecf.courts.management.commands.load_demo import DEMO_PASSWORD, LEGACY_CMECF_PASSWORD
from nextecf.lib.pdf import make_pdf
from tests.seaweedfs import S3Server, free_port

ROOT = Path(__file__).resolve().parents[2]
HAPROXY = os.environ.get("HAPROXY", "/usr/sbin/haproxy")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

pytestmark = pytest.mark.postgres


def _need(binary: str | None, what: str) -> str:
    if not binary or not Path(binary).exists():
        pytest.skip(f"!! {what} is missing: the two-node test did NOT run")
    return binary


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    """A fresh PostgreSQL database on the test server, dropped afterwards."""
    db = settings.DATABASES["default"]
    name = f"nextecf_twonode_{uuid.uuid4().hex[:8]}"
    server = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    binary = _need(shutil.which("redis-server"), "redis-server (Debian's redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited; see {log}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.25)
    raise RuntimeError(f"{url} did not answer; see {log}")


@pytest.fixture(scope="module")
def balancer(database_url, redis_url, s3_server: S3Server) -> Iterator[str]:
    haproxy = _need(HAPROXY, "HAProxy (Debian's haproxy; `make install-test` installs it)")
    workdir = Path(tempfile.mkdtemp(prefix="nextecf-twonode-"))
    env = {
        **os.environ,
        **s3_server.settings(f"twonode-{uuid.uuid4().hex[:8]}"),
        "NEXTECF_DEVELOPMENT": "false",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "TASK_QUEUE_URL": redis_url,
        "SECRET_KEY": "two-node-test-secret-key-" + "x" * 40,
        "AUDIT_CHAIN_KEY": "two-node-test-audit-chain-key-" + "y" * 20,
        "MFA_SECRET_KEYS": "two-node-test-mfa-key-" + "z" * 20,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TRUSTED_PROXIES": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SIGNON_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DOCUMENT_STORAGE_DIR": str(workdir / "unused-documents"),
        "STATIC_ROOT": str(workdir / "static"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    # Hashed static names (whitenoise's manifest) exist only after collectstatic.
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["load_demo"],
        ["collectstatic", "--noinput", "-v", "0"],
    ):
        subprocess.run([*manage, *command], env=env, cwd=ROOT, check=True, capture_output=True)
    # Production settings: the sandbox card gateway takes fees only in a training database.
    with psycopg.connect(database_url) as conn:
        conn.execute("UPDATE courts_court SET database = 'training' WHERE id = 'cit'")

    processes: list[subprocess.Popen[bytes]] = []
    ports = {}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    config = ROOT / "deploy" / "gunicorn.conf.py"
    try:
        for node in ("web1", "web2"):
            port = ports[node] = free_port()
            log = workdir / f"{node}.log"
            command = [gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", "2"]
            if config.exists():
                command[1:1] = ["-c", str(config)]
            process = subprocess.Popen(
                [*command, "nextecf.wsgi"],
                env={**env, "NODE_NAME": node},
                cwd=ROOT,
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
            )
            processes.append(process)
            _wait_for(f"http://127.0.0.1:{port}/csologin/login/", process, log)
        health = "/healthz"
        front = free_port()
        template = (ROOT / "deploy" / "haproxy.cfg").read_text()
        cfg = (
            template.replace("bind :80", f"bind 127.0.0.1:{front}")
            .replace("uri /healthz", f"uri {health}")
            .replace("log stdout format raw local0", "log stderr format raw local0 notice")
            .replace("server web1 app1:8000", f"server web1 127.0.0.1:{ports['web1']}")
            .replace("server web2 app2:8000", f"server web2 127.0.0.1:{ports['web2']}")
        )
        (workdir / "haproxy.cfg").write_text(cfg)
        log = workdir / "haproxy.log"
        process = subprocess.Popen(
            [haproxy, "-db", "-f", str(workdir / "haproxy.cfg")],
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        _wait_for(f"http://127.0.0.1:{front}/csologin/login/", process, log)
        yield f"http://127.0.0.1:{front}"
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


class Browser:
    """A cookie-keeping HTTP client that records which node answered each request."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.nodes: list[str] = []

    def _record(self, response: requests.Response) -> requests.Response:
        self.nodes.append(response.headers.get("X-Served-By", "?"))
        assert response.status_code < 500, response.text[-2000:]
        return response

    def get(self, path: str) -> requests.Response:
        return self._record(self.session.get(self.base + path, allow_redirects=False))

    def post(
        self, path: str, data: dict[str, str], files=None, form: str = ""
    ) -> requests.Response:
        page = self.get(form or path).text
        token = CSRF.search(page)  # PACER's own forms (doc1) carry none
        fields = {"csrfmiddlewaretoken": token.group(1), **data} if token else data
        response = self.session.post(
            self.base + path,
            data=fields,
            files=files,
            allow_redirects=False,
            headers={"Referer": self.base + (form or path)},
        )
        return self._record(response)

    def page(self, path: str) -> str:
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.text


def location(response: requests.Response) -> str:
    """The path (and query) a redirect points to."""
    alert = re.search(r"role=\"alert\">(.*?)</div>", response.text, re.S)
    assert response.status_code in (302, 303), (response.status_code, alert and alert.group(1))
    target = urlsplit(response.headers["Location"])
    return target.path + (f"?{target.query}" if target.query else "")


def test_two_nodes_behind_the_balancer_walk_the_seed_and_file_a_summons(balancer, database_url):
    browser = Browser(balancer)

    # Steps 1-2: the court's site, then the central login as johndoe1.
    assert "U.S. Court of International Trade CM/ECF" in browser.page("/cit/")
    login = "/csologin/login/?court=cit"
    response = browser.post(login, {"username": "johndoe1", "password": DEMO_PASSWORD})
    for _ in range(3):
        target = location(response)
        if "/login/continue/" not in target:
            break
        page = browser.page(target)
        data = {"redaction": "on"}
        if 'name="mfa"' in page:
            data["mfa"] = "skip" if 'value="skip"' in page else "continue"
        response = browser.post(target, data)
    assert location(response) == "/cit/cgi-bin/login.pl"
    assert "You are logged in with PACER account" in browser.page("/cit/cgi-bin/login.pl")

    # Steps 3-6: Utilities, link doej, confirm, done; the Civil menu appears.
    assert "Link my CM/ECF account to my PACER account" in browser.page("/cit/utilities/")
    response = browser.post(
        "/cit/utilities/link/", {"login": "doej", "password": LEGACY_CMECF_PASSWORD}
    )
    confirm = location(response)
    page = browser.page(confirm)
    assert "Do you want to link these accounts?" in page
    pending = re.search(r'name="p" value="([^"]+)"', page)
    assert pending
    response = browser.post(confirm, {"p": pending.group(1)})
    assert "You have successfully linked your accounts." in browser.page(location(response))
    civil = browser.page("/cit/civil/")
    assert "Civil Events" in civil

    # A Summons: open the case, upload the PDF in one request, submit in another.
    event = re.search(r"/cit/civil/open/\?event=(\d+)", civil)
    assert event
    opened = browser.post(
        "/cit/civil/open/",
        {
            "event": event.group(1),
            "plaintiffs": "Two Node Bearings Corp.",
            "defendant": "United States",
            "jurisdiction": "1581a",
            "category": "Classification 19USC § 1514(a)(2)",
            "agency": "U.S. Customs and Border Protection",
            "product_description": "Ball bearings",
            "export_country": "Japan",
            "constitutional_question": "N",
            "lead": "on",
            "to_be_noticed": "on",
        },
        form=f"/cit/civil/open/?event={event.group(1)}",
    )
    documents = location(opened)
    draft = documents.split("/draft/")[1].split("/")[0]
    summons = make_pdf([["Summons", "filed through two nodes"]], title="Summons")
    uploaded = browser.post(
        documents, {"attachment_description": ""}, files={"main_document": ("s.pdf", summons)}
    )
    upload_node = browser.nodes[-1]
    docket = f"/cit/civil/draft/{draft}/docket-text/"
    assert location(uploaded) == documents
    text = re.search(r"<textarea[^>]*>\s*(.*?)</textarea>", browser.page(docket), re.S)
    assert text
    response = browser.post(docket, {"docket_text": html.unescape(text.group(1))})
    submit = location(response)
    if browser.nodes[-1] == upload_node:
        browser.get(submit)  # round-robin: the submit's form then comes from the other node
    token_page = browser.session.get(balancer + submit)
    browser._record(token_page)
    token = CSRF.search(token_page.text)
    assert token
    fee = re.search(r'name="fee_cents" value="(\d+)"', token_page.text)
    response = browser._record(
        browser.session.post(
            balancer + submit,
            data={
                "csrfmiddlewaretoken": token.group(1),
                "card_number": "4111 1111 1111 1111",
                "exp_month": "12",
                "exp_year": "2030",
                "cvv": "123",
                "name_on_card": "John Doe",
                "authorize": "on",
                "fee_cents": fee.group(1) if fee else "35000",
            },
            allow_redirects=False,
            headers={"Referer": balancer + submit},
        )
    )
    submit_node = browser.nodes[-1]
    assert location(response) == f"/cit/civil/receipt/{draft}/"
    assert "Notice of Electronic Filing" in browser.page(f"/cit/civil/receipt/{draft}/")
    assert submit_node != upload_node  # staged on one node, filed on the other

    # The filed PDF comes back through the balancer, byte for byte, from the shared store.
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT d.doc_id, d.storage_key FROM cases_document d "
            "JOIN cases_docketentry e ON e.id = d.entry_id JOIN cases_case c ON c.id = e.case_id "
            "WHERE c.title LIKE 'Two Node Bearings%%'"
        ).fetchone()
    assert row is not None
    doc_id, key = row
    response = browser.post(f"/cit/doc1/{doc_id}", {"got_receipt": "1"})
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.content == summons
    assert hashlib.sha256(summons).hexdigest() == key

    # Both nodes answered, turn about.
    assert set(browser.nodes) == {"web1", "web2"}, browser.nodes
    turns = sum(a != b for a, b in zip(browser.nodes, browser.nodes[1:], strict=False))
    assert turns >= 0.8 * (len(browser.nodes) - 1), browser.nodes

"""Uploading a 50 MB PDF to a real server process: how much does the worker's peak memory
grow, against the file's size? The upload is checked, hashed and staged from Django's
temporary file on disk, so the growth should be a small part of the file."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import requests
from django.conf import settings
from django.db import connections

from bench.report import progress
from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import SignOn
from nextecf.cases.catalogue import catalogue_install
from nextecf.cases.factories import CaseFactory, PartyFactory
from nextecf.cases.models import EventType
from nextecf.courts.factories import FilerAccountFactory
from nextecf.courts.models import Court
from nextecf.filing.models import StagedUpload
from nextecf.filing.services import draft_choose_parties, draft_start
from nextecf.lib.pdf import make_pdf

SIZE = 50 * 1024 * 1024
ROOT = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def fifty_megabyte_pdf(path: Path) -> int:
    line = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. " * 2
    per_page = [line] * 400
    pages = [per_page for _ in range(SIZE // (len(line) * 400) + 1)]
    path.write_bytes(make_pdf(pages, title="Exhibit"))
    return path.stat().st_size


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _status(pid: int, field: str) -> int:
    """A size from /proc/<pid>/status (VmHWM: the peak resident set), in bytes."""
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith(f"{field}:"):
            return int(row.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/{pid}/status")


def _reset_peak(pid: int) -> int:
    """Resets the peak to the current resident set (the login's Argon2 hash, which needs
    far more memory than an upload should, would otherwise hide the upload's peak);
    returns the current resident set."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    return _status(pid, "VmRSS")


def _post(session: requests.Session, url: str, data: dict[str, str], files=None):  # type: ignore[no-untyped-def]
    token = CSRF.search(session.get(url).text)
    fields = {"csrfmiddlewaretoken": token.group(1), **data} if token else data
    return session.post(url, data=fields, files=files, allow_redirects=False)


def _log_in(base: str, username: str) -> requests.Session:
    session = requests.Session()
    url = f"{base}/csologin/login/?court={Court.objects.get().pk}"
    response = _post(session, url, {"username": username, "password": PASSWORD})
    for _ in range(3):
        target = response.headers.get("Location", "")
        if "/login/continue/" not in target:
            break
        step = base + target if target.startswith("/") else target
        page = session.get(step).text
        data = {"redaction": "on"}
        if 'name="mfa"' in page:
            data["mfa"] = "skip" if 'value="skip"' in page else "continue"
        response = _post(session, step, data)
    return session


def upload_50mb_peak_rss_growth_vs_file_size() -> tuple[str, float, float]:
    name, target = "upload_50mb_peak_rss_growth_vs_file_size", 0.5
    court = Court.objects.first()
    assert court is not None
    court.max_pdf_mb = 60
    court.save()
    catalogue_install(court=court)
    event = EventType.objects.get(court=court, code="complaint")
    account = AccountFactory.create(username="uploadbench")
    filer = FilerAccountFactory(court=court, account=account)
    case = CaseFactory(court=court)
    party = PartyFactory(case=case)
    connections.close_all()  # the server opens the same SQLite file

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PDF_CHECK_SECONDS": "600",
        "DOCUMENT_STORAGE_DIR": str(settings.DOCUMENT_STORAGE_DIR),
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    with tempfile.TemporaryDirectory(prefix="nextecf-bench-upload-") as directory:
        pdf = Path(directory) / "exhibit.pdf"
        size = fifty_megabyte_pdf(pdf)
        progress(f"  one PDF of {size / 1024 / 1024:.1f} MB, served by gunicorn (1 worker)")
        log = Path(directory) / "gunicorn.log"
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "600",
             "nextecf.wsgi"],
            env=env, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while True:
                with contextlib.suppress(requests.RequestException):
                    if requests.get(f"{base}/csologin/login/", timeout=2).status_code == 200:
                        break
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start:\n{log.read_text()[-2000:]}")
                time.sleep(0.3)
            workers = psutil.Process(server.pid).children()
            if len(workers) != 1:
                raise RuntimeError(f"expected one gunicorn worker, found {len(workers)}")
            worker = workers[0].pid
            session = _log_in(base, account.username)
            signon = SignOn.objects.filter(account=account).latest("pk")

            def stage(data_path: Path) -> None:
                draft = draft_start(signon=signon, filer=filer, event=event, case=case)
                draft_choose_parties(draft=draft, parties=[party], lead=True, to_be_noticed=True)
                connections.close_all()
                url = f"{base}/{court.pk}/civil/draft/{draft.pk}/documents/"
                with data_path.open("rb") as stream:
                    response = _post(
                        session,
                        url,
                        {"attachment_description": ""},
                        files={"main_document": ("exhibit.pdf", stream, "application/pdf")},
                    )
                if response.status_code != 302:
                    raise RuntimeError(f"upload refused: {response.status_code}")
                if not StagedUpload.objects.filter(draft=draft).exists():
                    raise RuntimeError("the upload was not staged")

            small = Path(directory) / "small.pdf"
            small.write_bytes(make_pdf([["warm-up"]]))
            stage(small)  # the worker's first upload loads pypdf and the filing code
            before = _reset_peak(worker)
            if _status(worker, "VmHWM") > before + 1024 * 1024:
                raise RuntimeError("the kernel did not reset the peak resident set")
            stage(pdf)
            after = _status(worker, "VmHWM")
        finally:
            server.terminate()
            server.wait(timeout=30)
    progress(f"  worker peak RSS {before / 2**20:.0f} MB -> {after / 2**20:.0f} MB")
    return name, (after - before) / size, target

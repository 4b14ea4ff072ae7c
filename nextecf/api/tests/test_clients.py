"""The real PACER API clients, unmodified, against a live server (pacer-api-clients.md §4,
§8): pacersdk 0.1.1 and pacer-cli 0.3.0 (library and `pacer` command) log in with MFA
through /services/cso-auth, computing the one-time code from the secret themselves, then
search cases and parties over several pages in two courts and get exactly what our
database holds.

Our server accepts each one-time code once, and both clients log in again only after a
401 (which does not happen here: tokens live for the whole test), so every client login
below uses an account of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import transaction

from conftest import enroll_app
from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import Account, SignOn, hash_token
from nextecf.api.models import PclReport
from nextecf.billing.models import AccessCharge
from nextecf.cases.factories import CaseFactory, PartyFactory
from nextecf.cases.models import Case, Party
from nextecf.courts.factories import CourtFactory, FilerAccountFactory

TITLE = "Clientco"
PARTY = "Clientparty"
CIT_CASES = 130  # three pages of 54 in cit alone
NYX_CASES = 12
PARTIES = 64  # two pages


@pytest.fixture
def corpus(transactional_db, settings, live_server):
    """130 cases in cit and 12 in a second court titled "Clientco NNN v. United States",
    64 parties named "Clientparty NNN" spread over both courts, and a sealed case that no
    client here may see."""
    settings.SITE_URL = live_server.url
    cit = CourtFactory()
    nyx = CourtFactory(
        id="nyx", name="U.S. District Court for Nowhere", login_title="Nowhere", abbreviation="NYX"
    )
    with transaction.atomic():  # case numbers are taken under a row lock
        _make_corpus(cit, nyx)
    return {"cit": cit, "nyx": nyx}


def _make_corpus(cit, nyx) -> None:
    start = date(2024, 6, 1)
    cases = [
        CaseFactory(
            court=cit, title=f"{TITLE} {n:03d} v. United States", date_filed=start + timedelta(n)
        )
        for n in range(CIT_CASES)
    ]
    cases += [
        CaseFactory(
            court=nyx,
            title=f"{TITLE} {n:03d} v. United States",
            date_filed=start + timedelta(n),
            date_terminated=start + timedelta(n + 200),
        )
        for n in range(NYX_CASES)
    ]
    for n in range(PARTIES):
        PartyFactory(case=cases[n * 2], name=f"{PARTY} {n:03d}", role=Party.Role.PLAINTIFF)
    sealed = CaseFactory(court=cit, title=f"{TITLE} sealed v. United States", is_sealed=True)
    PartyFactory(case=sealed, name=f"{PARTY} sealed")


def mfa_account(username: str, *, filer: bool = False) -> tuple[Account, str]:
    account = AccountFactory(username=username)
    if filer:
        FilerAccountFactory(court_id="cit", login=username[:8], account=account)
    return account, enroll_app(account)


def db_cases(*court_ids: str) -> list[dict]:
    """What our database holds, in the API's default order (court, year, number)."""
    cases = Case.objects.filter(
        title__startswith=TITLE, is_sealed=False, court_id__in=court_ids
    ).order_by("court_id", "year", "sequence", "pk")
    return [
        {
            "courtId": f"{c.court_id}dc",
            "caseId": c.pk,
            "caseNumberFull": f"1:{c.year}cv{c.sequence:05d}",
            "caseTitle": c.title,
            "dateFiled": c.date_filed.isoformat(),
            "effectiveDateClosed": c.date_terminated.isoformat() if c.date_terminated else None,
        }
        for c in cases
    ]


def db_parties() -> list[dict]:
    parties = Party.objects.filter(name__startswith=PARTY, case__is_sealed=False).order_by(
        "name", "case__court_id", "case__year", "case__sequence", "position", "pk"
    )
    return [
        {"lastName": p.name, "caseId": p.case_id, "courtId": f"{p.case.court_id}dc"}
        for p in parties.select_related("case")
    ]


def case_view(item: dict) -> dict:
    return {
        "courtId": item["courtId"],
        "caseId": int(item["caseId"]),
        "caseNumberFull": item["caseNumberFull"],
        "caseTitle": item["caseTitle"],
        "dateFiled": item["dateFiled"],
        "effectiveDateClosed": item.get("effectiveDateClosed"),
    }


def party_view(item: dict) -> dict:
    return {"lastName": item["lastName"], "caseId": int(item["caseId"]), "courtId": item["courtId"]}


# --- pacersdk -------------------------------------------------------------------------------------


def test_pacersdk_logs_in_with_mfa_and_searches_every_page(corpus, live_server, tmp_path):
    from pacersdk import PCLClient

    account, secret = mfa_account("sdkfiler01", filer=True)
    config = tmp_path / "pacer.json"
    config.write_text(
        json.dumps({"local": {"authenticationurl": live_server.url, "pclapiurl": live_server.url}})
    )
    client = PCLClient(
        "sdkfiler01",
        PASSWORD,
        secret=secret,
        environment="local",
        client_code="sdk-1",
        redaction=True,
        config_path=str(config),
    )
    signon = SignOn.objects.get(account=account)
    assert (signon.via, signon.mfa_verified, signon.redaction_agreed) == ("api", True, True)

    # Cases in both courts: search_all stops on totalPages.
    pages = list(client.case.search_all({"caseTitle": TITLE.lower()}))
    assert [p["pageInfo"]["number"] for p in pages] == [0, 1, 2]
    rows = [row for page in pages for row in page["content"]]
    assert [case_view(r) for r in rows] == db_cases("cit", "nyx")
    assert len(rows) == CIT_CASES + NYX_CASES
    # One court, sorted (pacersdk sends sort=caseTitle%2CDESC).
    only_cit = list(
        client.case.search_all(
            {"caseTitle": TITLE, "courtId": ["citdc"]},
            sort=[{"field": "caseTitle", "order": "DESC"}],
        )
    )
    cit_rows = [row for page in only_cit for row in page["content"]]
    assert [r["caseTitle"] for r in cit_rows] == sorted(
        (c["caseTitle"] for c in db_cases("cit")), reverse=True
    )
    # Parties, over two pages.
    party_pages = list(client.party.search_all({"lastName": PARTY}))
    assert len(party_pages) == 2
    parties = [party_view(r) for page in party_pages for r in page["content"]]
    assert parties == db_parties() and len(parties) == PARTIES

    # Every page retrieved was billed once, with the login's client code.
    charges = AccessCharge.objects.filter(account=account)
    assert charges.count() == 3 + len(only_cit) + 2
    assert set(charges.values_list("client_code", flat=True)) == {"sdk-1"}

    # Batch: submit, status, download, list, delete.
    info = client.batch_case.submit({"caseTitle": TITLE, "courtId": ["nyxdc"]})
    assert info["status"] == "COMPLETED" and info["recordCount"] == NYX_CASES
    assert client.batch_case.status(info["reportId"])["reportId"] == info["reportId"]
    download = client.batch_case.download(info["reportId"])
    assert [case_view(r) for r in download["content"]] == db_cases("nyx")
    assert [r["reportId"] for r in client.batch_case.listall()["content"]] == [info["reportId"]]
    assert client.batch_case.delete(info["reportId"]) == {"status": "No Content"}
    party_job = client.batch_party.submit({"lastName": PARTY})
    assert [
        party_view(r) for r in client.batch_party.download(party_job["reportId"])["content"]
    ] == (db_parties())
    assert client.batch_party.delete(party_job["reportId"]) == {"status": "No Content"}
    assert not PclReport.objects.exists()

    # A 406 comes back as pacersdk's RuntimeError carrying our JSON.
    with pytest.raises(RuntimeError, match=r"HTTP 406 Error: .*caseYear"):
        client.case.search({"caseYear": "twenty"})
    client.logout()
    signon.refresh_from_db()
    assert signon.ended_at is not None


# --- pacer-cli, as a library ----------------------------------------------------------------------


@pytest.fixture
def pacer_cli_at(live_server, monkeypatch, tmp_path):
    """pacer_cli.config's three URL constants aimed at the live server, a scratch HOME and
    no PACER_ variables from the environment."""
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in [n for n in os.environ if n.startswith("PACER_")]:
        monkeypatch.delenv(name)
    import pacer_cli.config as pacer_config

    monkeypatch.setattr(pacer_config, "PACER_AUTH_URL", f"{live_server.url}/services/cso-auth")
    monkeypatch.setattr(pacer_config, "PACER_LOGOUT_URL", f"{live_server.url}/services/cso-logout")
    monkeypatch.setattr(pacer_config, "PCL_API_URL", f"{live_server.url}/pcl-public-api/rest")
    return pacer_config


def test_pacer_cli_library_logs_in_with_mfa_and_reads_every_page(corpus, pacer_cli_at):
    from pacer_cli.config import PacerConfig
    from pacer_cli.models import CaseSearchCriteria, PartySearchCriteria
    from pacer_cli.pcl import PCLClient, PCLValidationError

    account, secret = mfa_account("clilib0001")  # no filing rights: pacer-cli sends no redactFlag
    config = PacerConfig(
        username="clilib0001",
        password=PASSWORD,
        totp_secret=secret,
        client_code="cli-7",
        _env_file=None,
    )
    client = PCLClient(config)
    # All pages: stops on pageInfo.last (the pydantic models check every type).
    responses = client.search_cases_all_pages(CaseSearchCriteria(case_title=TITLE))
    assert [r.page_info.number for r in responses] == [0, 1, 2]
    assert responses[-1].page_info.last and not responses[0].page_info.last
    rows = [
        row.model_dump(by_alias=True, exclude_none=True) for r in responses for row in r.content
    ]
    assert [case_view(r) for r in rows] == db_cases("cit", "nyx")
    assert all(r.receipt is not None and r.receipt.search_fee == ".10" for r in responses)
    assert responses[0].receipt.client_code == "cli-7"
    one = client.search_cases(CaseSearchCriteria(case_title=TITLE, court_id=["nyxdc"]))
    assert [case_view(r.model_dump(by_alias=True)) for r in one.content] == db_cases("nyx")
    assert all(r.status == "Closed" for r in one.content)  # effectiveDateClosed is set

    party_pages = client.search_parties_all_pages(PartySearchCriteria(last_name=PARTY))
    parties = [p.model_dump(by_alias=True) for r in party_pages for p in r.content]
    assert [party_view(p) for p in parties] == db_parties()
    assert parties[0]["courtCase"]["caseId"] == parties[0]["caseId"]

    # Batch jobs through pacer-cli's models.
    job = client.start_batch_case_search(CaseSearchCriteria(case_title=TITLE, court_id=["citdc"]))
    assert job.is_complete and job.record_count == CIT_CASES
    assert client.get_batch_status(job.report_id).report_id == job.report_id
    listed = client.list_batch_jobs()
    assert [j.report_id for j in listed.content] == [job.report_id]
    download = client.download_batch_results(job.report_id)
    assert [case_view(r.model_dump(by_alias=True)) for r in download.content] == db_cases("cit")
    assert client.delete_batch_job(job.report_id) is True

    with pytest.raises(PCLValidationError, match="caseYear"):
        client.search_cases(CaseSearchCriteria(case_year="20x5"))
    charges = AccessCharge.objects.filter(account=account)
    assert set(charges.values_list("client_code", flat=True)) == {"cli-7"}  # X-CLIENT-CODE
    assert charges.count() == 3 + 1 + 2 + 1  # pages read, plus the batch download (3 pages)
    assert charges.get(search_criteria__contains="Batch Report").pages == 3


# --- pacer-cli, the `pacer` command ---------------------------------------------------------------

WRAPPER = """\
import sys

import pacer_cli.config as config

base = sys.argv[1]
config.PACER_AUTH_URL = base + "/services/cso-auth"
config.PACER_LOGOUT_URL = base + "/services/cso-logout"
config.PCL_API_URL = base + "/pcl-public-api/rest"

from pacer_cli.cli import cli

sys.argv = ["pacer", *sys.argv[2:]]
cli(prog_name="pacer")
"""


def run_pacer(live_server, tmp_path: Path, username: str, secret: str, *args: str):
    wrapper = tmp_path / "pacer_local.py"
    wrapper.write_text(WRAPPER)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("PACER_", "DJANGO_"))
    }
    env.update(
        HOME=str(home),
        PACER_USERNAME=username,
        PACER_PASSWORD=PASSWORD,
        PACER_TOTP_SECRET=secret,
        PACER_AUDIT_LOG="false",
        PACER_PEAK_WARNING="false",
        COLUMNS="200",
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and wrapper
        [sys.executable, str(wrapper), live_server.url, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def json_from(stdout: str):
    """The JSON the command printed (after its "Cost:" line)."""
    return json.loads(stdout[stdout.index("[") :])


def test_the_pacer_command_searches_cases_and_parties(corpus, live_server, tmp_path):
    _cases_account, cases_secret = mfa_account("clicmd0001")
    done = run_pacer(
        live_server, tmp_path, "clicmd0001", cases_secret,
        "-y", "pcl", "cases", "-t", TITLE, "-c", "citdc", "--all-pages", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr + done.stdout
    printed = json_from(done.stdout)
    assert [case_view(r) for r in printed] == db_cases("cit")
    assert "Cost:" in done.stdout and "$0.30" in done.stdout

    _parties_account, parties_secret = mfa_account("clicmd0002")
    out = tmp_path / "parties.json"
    done = run_pacer(
        live_server, tmp_path, "clicmd0002", parties_secret,
        "-y", "pcl", "parties", "-l", PARTY, "--all-pages", "--json", "-o", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr + done.stdout
    assert [party_view(p) for p in json.loads(out.read_text())] == db_parties()
    # Both command runs signed on through the API with MFA.
    assert (
        SignOn.objects.filter(
            account__username__in=["clicmd0001", "clicmd0002"], via="api", mfa_verified=True
        ).count()
        == 2
    )


# --- Token rotation: the X-NEXT-GEN-CSO response header -----------------------------------------


@pytest.fixture
def rotating_corpus(transactional_db, settings, live_server):
    """A few cases, and every API token due for rotation at its first answer."""
    settings.SITE_URL = live_server.url
    settings.SIGNON_TOKEN_ROTATE_SECONDS = 0
    cit = CourtFactory()
    with transaction.atomic():
        for n in range(3):
            CaseFactory(court=cit, title=f"{TITLE} {n:03d} v. United States")
    return cit


def test_pacer_cli_adopts_the_rotated_token(rotating_corpus, pacer_cli_at):
    from pacer_cli.config import PacerConfig
    from pacer_cli.models import CaseSearchCriteria
    from pacer_cli.pcl import PCLClient

    account, secret = mfa_account("clirot0001")
    client = PCLClient(
        PacerConfig(username="clirot0001", password=PASSWORD, totp_secret=secret, _env_file=None)
    )
    for _ in range(2):
        assert len(client.search_cases(CaseSearchCriteria(case_title=TITLE)).content) == 3
    # Each answer rotated the token it was asked with: the second search came with the
    # first answer's token, so pacer-cli took it from the header.
    first = SignOn.objects.get(account=account, rotated_from__isnull=True)
    second = first.rotated_to
    third = second.rotated_to
    assert third is not None and third.rotated_to is None
    assert client._token and hash_token(client._token) == third.token_hash


def test_pacersdk_ignores_the_rotated_token_and_its_old_one_keeps_working(
    rotating_corpus, live_server, tmp_path
):
    from pacersdk import PCLClient

    account, secret = mfa_account("sdkrot0001", filer=True)
    config = tmp_path / "pacer.json"
    config.write_text(
        json.dumps({"local": {"authenticationurl": live_server.url, "pclapiurl": live_server.url}})
    )
    client = PCLClient(
        "sdkrot0001", PASSWORD, secret=secret, environment="local", redaction=True,
        config_path=str(config),
    )  # fmt: skip
    for _ in range(3):
        assert len(client.case.search({"caseTitle": TITLE})["content"]) == 3
    login = SignOn.objects.get(account=account, rotated_from__isnull=True)
    assert login.rotated_to is not None and login.rotated_to.rotated_to is None  # once
    assert SignOn.objects.filter(account=account).count() == 2  # no re-login after a 401
    client.logout()
    assert not SignOn.objects.live().filter(account=account).exists()

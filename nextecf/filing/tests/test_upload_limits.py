"""Bounded input: a body larger than its route allows is refused before anything reads it,
and a PDF that could run code, carry files or pose as a web page is refused on upload
with nothing staged."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from nextecf.filing.models import StagedUpload
from nextecf.filing.tests.conftest import pdf, staged_keys, upload
from nextecf.lib.tests.test_pdf_checks import (
    with_embedded_file,
    with_javascript,
    with_launch_action,
)

HUGE = 500 * 1024 * 1024


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")

    readline = read


def post_declaring(client: Client, path: str, length: int, **extra):
    return client.generic(
        "POST",
        path,
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": Unreadable()},
        **extra,
    )


@pytest.fixture
def upload_temp_dir(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "path",
    ["/csologin/login.jsf", "/cit/civil/draft/abcdefghijklmnopqrstuvwx/documents/", "/nowhere/"],
)
def test_an_anonymous_500_mb_post_is_refused_unread_and_nothing_lands_on_disk(
    court, path, upload_temp_dir
):
    response = post_declaring(Client(), path, HUGE)
    assert response.status_code == 413
    assert "at most" in response.content.decode()
    assert response["Connection"] == "close"
    assert list(upload_temp_dir.iterdir()) == []


def test_the_authentication_api_answers_an_oversized_body_in_json(db):
    response = post_declaring(Client(), "/services/cso-auth", 2 * 1024 * 1024)
    assert response.status_code == 413
    assert response.json() == {
        "error": "The request is larger than this page accepts: at most 1 MB.",
        "limit_bytes": 1024 * 1024,
    }


def test_the_upload_route_allows_two_of_the_courts_pdfs_and_no_more(court, settings):
    court.max_pdf_mb = 10
    court.save()
    path = "/cit/civil/draft/abcdefghijklmnopqrstuvwx/documents/"
    limit = 2 * 10 * 1024 * 1024 + settings.UPLOAD_BODY_OVERHEAD_BYTES
    assert post_declaring(Client(), path, limit + 1).status_code == 413
    refused = post_declaring(Client(), path, limit + 1).content.decode()
    assert "at most 21 MB" in refused
    # Within the limit the request goes on to the access check (which sends the stranger
    # to log in) without the middleware reading anything.
    within = Client().post(path, {"x": "y"})
    assert within.status_code != 413


def test_a_chunked_body_of_unknown_length_is_refused(db):
    response = Client().generic(
        "POST", "/csologin/login.jsf", b"", HTTP_TRANSFER_ENCODING="chunked"
    )
    assert response.status_code == 411


def test_a_page_without_uploads_refuses_a_body_over_its_small_limit(db, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1000
    response = Client().post("/csologin/login.jsf", {"login": "x" * 2000})
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (with_javascript(), "contains JavaScript"),
        (with_launch_action(), "contains a launch action"),
        (with_embedded_file(), "contains embedded files"),
        (b"<html><body>hi</body></html>" + pdf("Summons"), "contains HTML"),
    ],
    ids=["javascript", "launch", "embedded", "html-hybrid"],
)
def test_an_active_or_disguised_pdf_is_refused_on_upload_and_nothing_is_staged(
    people, as_filer, events, data, problem
):
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_open_case(events["summons"]))
    response = filer.upload(draft, main=upload("bad.pdf", data))
    assert response.status_code == 400
    assert f"bad.pdf {problem}" in response.content.decode()
    assert not StagedUpload.objects.exists()
    assert staged_keys() == set()


def test_embedded_files_upload_where_the_court_allows_them(people, as_filer, events, court):
    court.pdf_embedded_files_allowed = True
    court.save()
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_open_case(events["summons"]))
    assert (
        filer.upload(draft, main=upload("with-file.pdf", with_embedded_file())).status_code == 302
    )
    assert StagedUpload.objects.get().size_bytes == len(with_embedded_file())


def test_a_pdf_over_the_courts_page_limit_is_refused(people, as_filer, events, court):
    court.max_pdf_pages = 2
    court.save()
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_open_case(events["summons"]))
    response = filer.upload(draft, main=upload("long.pdf", pdf("Long", pages=3)))
    assert "long.pdf has more than the court&#x27;s limit of 2 pages" in response.content.decode()
    assert staged_keys() == set()


def test_an_upload_is_staged_from_its_temporary_file_on_disk(
    people, as_filer, events, settings, upload_temp_dir
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # even a small PDF goes to disk first
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_open_case(events["summons"]))
    data = pdf("Summons", pages=40)
    assert filer.upload(draft, main=upload("summons.pdf", data)).status_code == 302
    staged = StagedUpload.objects.get()
    assert staged.size_bytes == len(data) and staged.pages == 40
    assert list(upload_temp_dir.iterdir()) == []  # the temporary file is gone afterwards


def test_the_staff_court_entry_form_allows_its_four_pdfs(db, settings):
    path = "/admin/cases/docketentry/add/"
    limit = 4 * settings.MAX_PDF_BYTES + settings.UPLOAD_BODY_OVERHEAD_BYTES
    assert post_declaring(Client(), path, limit + 1).status_code == 413
    # Within the limit a stranger is sent to log in, the body still unread.
    response = Client().generic(
        "POST", path, b"", CONTENT_LENGTH=str(limit), **{"wsgi.input": Unreadable()}
    )
    assert response.status_code == 302

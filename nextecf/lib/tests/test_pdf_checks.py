"""The PDF check refuses what could run code, carry files, pose as a web page or hold a
worker for long, and says which."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from nextecf.lib.pdf import make_pdf, pdf_check

LIMIT = 35 * 1024 * 1024


def written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank(pages: int = 1) -> PdfWriter:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(612, 792)
    return writer


def action(kind: str, key: str, value: str) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject(kind),
            NameObject(key): TextStringObject(value),
        }
    )


def with_javascript() -> bytes:
    """A document-level script in the names tree, as Acrobat runs on opening."""
    writer = blank()
    script = writer._add_object(action("/JavaScript", "/JS", "app.alert('hello');"))
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("s"), script])})
    names = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})
    writer._root_object[NameObject("/Names")] = writer._add_object(names)
    return written(writer)


def with_launch_action() -> bytes:
    writer = blank()
    launch = writer._add_object(action("/Launch", "/F", "calc.exe"))
    writer._root_object[NameObject("/OpenAction")] = launch
    return written(writer)


def with_embedded_file() -> bytes:
    writer = blank()
    writer.add_attachment("payload.txt", b"not a PDF page")
    return written(writer)


def test_a_plain_pdf_passes_and_its_pages_are_counted():
    check = pdf_check(make_pdf([["one"], ["two"]]), max_bytes=LIMIT)
    assert check.ok and check.pages == 2


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (with_javascript(), "contains JavaScript"),
        (with_launch_action(), "contains a launch action"),
        (with_embedded_file(), "contains embedded files"),
        (b"<html><script>alert(1)</script></html>\n" + make_pdf([["x"]]), "contains HTML"),
        (make_pdf([["x"]]).replace(b"%PDF-1.4\n", b"%PDF-1.4\n<script>1</script>\n", 1), "HTML"),
        (b"MZ garbage before the header\n" + make_pdf([["x"]]), "is not a PDF document"),
    ],
    ids=["javascript", "launch", "embedded", "html-first", "html-after-header", "junk-header"],
)
def test_active_or_disguised_pdfs_are_refused_naming_the_problem(data, problem):
    check = pdf_check(data, max_bytes=LIMIT)
    assert not check.ok
    assert problem in check.problem


def test_embedded_files_pass_where_the_court_allows_them():
    assert pdf_check(with_embedded_file(), max_bytes=LIMIT, allow_embedded=True).ok


def test_a_pdf_over_the_page_limit_is_refused_before_its_pages_are_parsed():
    many = written(blank(3000))
    check = pdf_check(many, max_bytes=LIMIT, max_pages=1000)
    assert check.problem == "has more than the court's limit of 1000 pages"
    assert pdf_check(many, max_bytes=LIMIT, max_pages=3000).pages == 3000


def test_a_check_that_runs_past_its_deadline_stops_and_says_so():
    many = written(blank(3000))
    check = pdf_check(many, max_bytes=LIMIT, max_pages=10_000, seconds=0.05)
    assert check.problem == "takes too long to check; file a simpler or smaller PDF"


def test_the_check_reads_an_open_file_as_well_as_bytes(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(make_pdf([["on disk"]]))
    with path.open("rb") as stream:
        assert pdf_check(stream, max_bytes=LIMIT).pages == 1

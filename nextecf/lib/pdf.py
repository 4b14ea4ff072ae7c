"""Checking filed PDFs with a real PDF library, and writing simple PDFs (demo documents,
tests) without one."""

from __future__ import annotations

import io
import logging
import re
import time
from dataclasses import dataclass
from typing import IO, Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass(frozen=True)
class PdfCheck:
    pages: int = 0
    problem: str = ""  # empty when the file is acceptable

    @property
    def ok(self) -> bool:
        return not self.problem


# The header may follow a little whitespace; anything that makes a browser take the file
# for a web page (an HTML/PDF hybrid) is refused wherever it stands in the first bytes.
HEAD_BYTES = 1024
_HTML = re.compile(rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed)\b", re.I)
# Keys that make a PDF run something or carry other files.
_SCRIPT_KEYS = frozenset({"/JS", "/JavaScript"})
_ACTION_TYPES = {"/JavaScript": "contains JavaScript", "/Launch": "contains a launch action"}
_EMBEDDED_KEYS = frozenset({"/EmbeddedFiles", "/EmbeddedFile"})
DEFAULT_MAX_PAGES = 5000
DEFAULT_SECONDS = 5.0


FORGET_EVERY = 32


class _TooSlow(Exception):
    pass


def _forget(reader: PdfReader) -> None:
    """pypdf keeps every object it has read, page contents included: a 50 MB file checked
    page by page would end up whole in memory. The check never goes back to an object, so
    the cache is emptied as it goes (the file is read again should anything need it)."""
    reader.resolved_objects.clear()


def pdf_check(
    source: bytes | IO[bytes],
    *,
    max_bytes: int,
    max_pages: int = DEFAULT_MAX_PAGES,
    seconds: float = DEFAULT_SECONDS,
    allow_embedded: bool = False,
) -> PdfCheck:
    """Is this a well-formed, unencrypted, inert PDF within the court's limits? Counts its
    pages. `source` is the bytes or an open file (read from disk as pypdf needs it, never
    whole into memory). The check stops at `max_pages` pages (read from the page tree
    before any page is parsed) and after `seconds` of work, checked between objects, so a
    crafted file cannot hold a worker for long."""
    stream: IO[bytes] = io.BytesIO(source) if isinstance(source, bytes) else source
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if not size:
        return PdfCheck(problem="is empty")
    if size > max_bytes:
        return PdfCheck(
            problem=f"is larger than the court's limit of {max_bytes // (1024 * 1024)} MB"
        )
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if _HTML.search(head):
        return PdfCheck(problem="contains HTML; file a plain PDF document")
    if head.lstrip()[:5] != b"%PDF-":
        return PdfCheck(problem="is not a PDF document")
    deadline = time.monotonic() + seconds
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted:
            return PdfCheck(problem="is encrypted or password-protected; file an unprotected PDF")
        pages = len(reader.pages)
        if pages > max_pages:
            return PdfCheck(problem=f"has more than the court's limit of {max_pages} pages")
        problem = _active_content(reader, deadline=deadline, allow_embedded=allow_embedded)
        if problem:
            return PdfCheck(problem=problem)
        for number, page in enumerate(reader.pages):
            page.get_contents()  # parse every page, not just the page tree
            if time.monotonic() > deadline:
                raise _TooSlow
            if number % FORGET_EVERY == 0:
                _forget(reader)
    except _TooSlow:
        return PdfCheck(problem="takes too long to check; file a simpler or smaller PDF")
    except Exception:  # pypdf raises assorted error types on damaged files, not only PdfReadError
        return PdfCheck(problem="is not a well-formed PDF document")
    if pages < 1:
        return PdfCheck(problem="has no pages")
    return PdfCheck(pages=pages)


def _active_content(reader: PdfReader, *, deadline: float, allow_embedded: bool) -> str:
    """Why the document could run code or carries files, or "": every object reachable
    from the trailer is looked at (name trees, open and additional actions, annotations,
    form fields), so an action cannot hide behind indirection."""
    seen: set[tuple[int, int]] = set()
    todo: list[Any] = [reader.trailer]
    visited = 0
    while todo:
        item = todo.pop()
        if isinstance(item, IndirectObject):
            ref = (item.idnum, item.generation)
            if ref in seen:
                continue
            seen.add(ref)
            item = item.get_object()
        visited += 1
        if visited % FORGET_EVERY == 0:
            _forget(reader)
            if time.monotonic() > deadline:
                raise _TooSlow
        if isinstance(item, DictionaryObject):
            keys = set(item.keys())
            if keys & _SCRIPT_KEYS:
                return "contains JavaScript"
            action = item.get("/S")
            if isinstance(action, NameObject) and str(action) in _ACTION_TYPES:
                return _ACTION_TYPES[str(action)]
            if keys & _EMBEDDED_KEYS and not allow_embedded:
                return "contains embedded files"
            if item.get("/Type") == "/Filespec" and "/EF" in keys and not allow_embedded:
                return "contains embedded files"
            todo.extend(value for key, value in item.items() if key != "/Parent")
        elif isinstance(item, ArrayObject):
            todo.extend(item)
    return ""


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]], *, title: str = "") -> bytes:
    """A minimal valid PDF: one page per list of text lines (Helvetica 11 pt, Letter)."""
    page_ids: list[int] = []
    font_id = 3
    next_id = 4
    body: list[tuple[int, bytes]] = []
    for lines in pages:
        content_lines = ["BT", "/F1 11 Tf", "72 720 Td", "14 TL"]
        for line in lines:
            safe = line.encode("latin-1", "replace").decode("latin-1")
            content_lines.append(f"({_escape(safe)}) '")
        content_lines.append("ET")
        stream = "\n".join(content_lines).encode("latin-1")
        content_id, page_id = next_id, next_id + 1
        next_id += 2
        body.append(
            (content_id, b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        )
        body.append(
            (
                page_id,
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                % (font_id, content_id),
            )
        )
        page_ids.append(page_id)
    kids = " ".join(f"{pid} 0 R" for pid in page_ids).encode()
    info = f"<< /Title ({_escape(title)}) /Producer (NextECF) >>".encode("latin-1", "replace")
    objects: list[tuple[int, bytes]] = [
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(page_ids)),
        (3, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
        *body,
        (next_id, info),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number, content in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + content + b"\nendobj\n")
    xref = out.tell()
    count = max(offsets) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % count)
    for number in range(1, count):
        out.write(b"%010d 00000 n \n" % offsets[number])
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (count, next_id, xref)
    )
    return out.getvalue()


TEXT_LIMIT = 2_000_000  # characters kept of one document's text (about 600 pages of prose)


@dataclass(frozen=True)
class PdfText:
    text: str
    problem: str = ""  # empty when the text could be read (the text may still be empty)


def pdf_text(
    source: bytes | IO[bytes], *, seconds: float = DEFAULT_SECONDS, limit: int = TEXT_LIMIT
) -> PdfText:
    """The text layer of a PDF, page after page, for full-text search. A scanned PDF has
    none: its text is empty. Reading stops after `seconds` or `limit` characters (what was
    read until then is kept), so a crafted file cannot hold the worker for long."""
    stream: IO[bytes] = io.BytesIO(source) if isinstance(source, bytes) else source
    deadline = time.monotonic() + seconds
    parts: list[str] = []
    length = 0
    try:
        reader = PdfReader(stream, strict=False)
        for number, page in enumerate(reader.pages):
            if time.monotonic() > deadline or length >= limit:
                break
            text = page.extract_text() or ""
            parts.append(text)
            length += len(text)
            if number % FORGET_EVERY == 0:
                _forget(reader)
    except Exception:  # pypdf raises assorted error types on damaged files
        return PdfText(text="", problem="the PDF's text could not be read")
    # NUL cannot be stored in PostgreSQL text; other control characters only break snippets.
    joined = "\n".join(parts)[:limit]
    return PdfText(text=_CONTROL.sub(" ", joined).strip())


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001]")

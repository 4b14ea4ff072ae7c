"""Checking filed PDFs with a real PDF library, and writing simple PDFs (demo documents,
tests) without one."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from pypdf import PdfReader

logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass(frozen=True)
class PdfCheck:
    pages: int = 0
    problem: str = ""  # empty when the file is acceptable

    @property
    def ok(self) -> bool:
        return not self.problem


def pdf_check(data: bytes, *, max_bytes: int) -> PdfCheck:
    """Is this a well-formed, unencrypted PDF within the size limit? Counts its pages."""
    if not data:
        return PdfCheck(problem="is empty")
    if len(data) > max_bytes:
        return PdfCheck(
            problem=f"is larger than the court's limit of {max_bytes // (1024 * 1024)} MB"
        )
    if data.lstrip()[:5] != b"%PDF-":
        return PdfCheck(problem="is not a PDF document")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return PdfCheck(problem="is encrypted or password-protected; file an unprotected PDF")
        pages = len(reader.pages)
        for page in reader.pages:
            page.get_contents()  # parse every page, not just the page tree
    except Exception:  # pypdf raises assorted error types on damaged files, not only PdfReadError
        return PdfCheck(problem="is not a well-formed PDF document")
    if pages < 1:
        return PdfCheck(problem="has no pages")
    return PdfCheck(pages=pages)


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

"""Loading a court's legacy CM/ECF filer accounts from a CSV file.

Parsing is pure (no database) so a whole file is judged before anything is written; the
import itself is one transaction.
"""

from __future__ import annotations

import codecs
import csv
import importlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.hashers import (
    check_password,
    identify_hasher,
    is_password_usable,
)
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models, transaction

from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.courts.models import Court, FilerAccount
from nextecf.lib.actor import Actor
from nextecf.lib.text import printable

REQUIRED_COLUMNS = (
    "login",
    "first_name",
    "last_name",
    "email",
    "role",
    "password_hash",
    "initial_password",
)
# Absent from the header means "not managed by this file": existing values are kept.
OPTIONAL_COLUMNS = ("middle_name", "bar_status")
COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)

_EXACTLY_ONE_OF = "password_hash/initial_password"

# SQLite builds older than 3.32 refuse more than 999 query parameters.
_LOOKUP_CHUNK = 500


def _max_length(name: str) -> int:
    model_field = FilerAccount._meta.get_field(name)
    assert isinstance(model_field, models.CharField) and model_field.max_length is not None
    return model_field.max_length


LOGIN_MAX = _max_length("login")
PASSWORD_MAX = _max_length("password")

# Legacy exports spell roles either way: "attorney" or "Attorney filer".
_ROLES = {
    key.lower(): value for value, label in FilerAccount.Role.choices for key in (value, str(label))
}


@dataclass(frozen=True)
class Problem:
    """Why a file or one of its rows was refused. Never quotes a password or a hash."""

    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = [f"line {self.line}"] if self.line is not None else []
        if self.column:
            parts.append(self.column)
        parts.append(self.message)
        return ": ".join(parts)


@dataclass(frozen=True)
class FilerRow:
    """One validated row. Exactly one of password_hash and initial_password is set."""

    line: int
    login: str
    first_name: str
    last_name: str
    email: str
    role: str
    # None: the file has no such column.
    middle_name: str | None
    bar_status: str | None
    password_hash: str | None = field(default=None, repr=False)
    initial_password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ParseResult:
    """Either rows (all of them valid) or problems, never both."""

    rows: list[FilerRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Rows with at least one problem; 0 when the file as a whole was refused.
    bad_rows: int = 0


@dataclass(frozen=True)
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Counted again here, on top of updated/unchanged: rows whose password was ignored.
    linked_left_alone: int = 0

    def __str__(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"linked accounts left alone {self.linked_left_alone}"
        )


def _shown(value: str) -> str:
    return '"' + printable(value, 80) + '"'


def _text(
    cells: dict[str, str],
    column: str,
    line: int,
    problems: list[Problem],
    *,
    required: bool = False,
) -> str:
    value = cells[column].strip()
    limit = _max_length(column)
    if required and not value:
        problems.append(Problem("is required", line, column))
    elif len(value) > limit:
        problems.append(Problem(f"is {len(value)} characters long, at most {limit}", line, column))
    elif not value.isprintable():
        problems.append(
            Problem(f"{_shown(value)} contains a control or non-printing character", line, column)
        )
    return value


def _login(value: str, line: int, problems: list[Problem]) -> str:
    login = value.strip().lower()
    if not login:
        problems.append(Problem("is required", line, "login"))
    elif len(login) > LOGIN_MAX:
        problems.append(
            Problem(f"is {len(login)} characters long, at most {LOGIN_MAX}", line, "login")
        )
    elif any(ch.isspace() or not ch.isprintable() for ch in login):
        problems.append(
            Problem(f"{_shown(login)} contains a space or control character", line, "login")
        )
    return login


def _email(value: str, line: int, problems: list[Problem]) -> str:
    email = value.strip()
    limit = _max_length("email")
    if not email:
        problems.append(Problem("is required", line, "email"))
    elif len(email) > limit:
        # EmailValidator allows 320 characters, more than the column holds.
        problems.append(Problem(f"is {len(email)} characters long, at most {limit}", line, "email"))
    else:
        try:
            EmailValidator()(email)
        except ValidationError:
            problems.append(Problem(f"{_shown(email)} is not a valid email address", line, "email"))
    return email


def _role(value: str, line: int, problems: list[Problem]) -> str:
    role = _ROLES.get(value.strip().lower(), "")
    if not value.strip():
        problems.append(Problem("is required", line, "role"))
    elif not role:
        allowed = ", ".join(FilerAccount.Role.values)
        problems.append(Problem(f"{_shown(value.strip())} is not one of {allowed}", line, "role"))
    return role


def _hash_problem(encoded: str) -> str:
    """Why Django could not verify passwords against this hash; "" when it can.

    Django's own messages quote the value, which may be a password pasted into the wrong
    column, so none of them is passed on.
    """
    if len(encoded) > PASSWORD_MAX:
        return f"is longer than {PASSWORD_MAX} characters"
    try:
        hasher = identify_hasher(encoded)
    except ValueError:
        return "is not a hash from any hasher in settings.PASSWORD_HASHERS"
    try:
        hasher.decode(encoded)
    except (ValueError, TypeError):
        return f"is not a well-formed {hasher.algorithm} hash"
    # identify_hasher accepts a hash whose library is missing; check_password would then
    # raise on every login attempt.
    if hasher.library:
        module = hasher.library[1] if isinstance(hasher.library, tuple) else hasher.library
        try:
            importlib.import_module(module)
        except ImportError:
            return f"{hasher.algorithm} hashes need the {module} library, which is not installed"
    return ""


def _passwords(
    cells: dict[str, str], line: int, problems: list[Problem]
) -> tuple[str | None, str | None]:
    encoded = cells["password_hash"].strip()
    # Passwords are kept exactly as given: spaces may be part of them.
    raw = cells["initial_password"]
    has_raw = bool(raw.strip())
    if encoded and has_raw:
        problems.append(Problem("both given: give exactly one", line, _EXACTLY_ONE_OF))
    elif not encoded and not has_raw:
        problems.append(Problem("neither given: give exactly one", line, _EXACTLY_ONE_OF))
    elif encoded:
        reason = _hash_problem(encoded)
        if reason:
            problems.append(Problem(reason, line, "password_hash"))
        return encoded, None
    else:
        return None, raw
    return None, None


def _header_problems(header: list[str]) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for name in header:
        if name in seen and name in COLUMNS:
            problems.append(Problem(f'column "{name}" appears more than once', 1))
        seen.add(name)
    missing = [name for name in REQUIRED_COLUMNS if name not in seen]
    if missing:
        problems.append(Problem(f"missing required columns: {', '.join(missing)}", 1))
    unknown = [printable(name, 40) or "(blank)" for name in header if name not in COLUMNS]
    if unknown:
        problems.append(
            Problem(
                f"unknown columns: {', '.join(unknown)} (allowed: {', '.join(COLUMNS)})",
                1,
            )
        )
    return problems


def _records(text: str) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """Each CSV record with the physical line it starts on (a quoted field may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        # The reader cannot resynchronise after broken quoting: what follows is unread.
        return records, [Problem(f"not readable as CSV ({error}); lines after it unread", start)]
    return records, []


def parse_filer_csv(data: str | bytes) -> ParseResult:
    """Check a whole file of filer accounts; touches no database.

    Every bad row is reported, each problem with its physical line number (the header is
    line 1) and the column at fault.
    """
    if isinstance(data, bytes):
        # Spreadsheet programs start their UTF-8 exports with a byte order mark.
        data = data.removeprefix(codecs.BOM_UTF8)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            return ParseResult(problems=[Problem("the file is not UTF-8 text", line)])
    else:
        text = data.removeprefix("\ufeff")
    if not text.strip():
        return ParseResult(problems=[Problem("the file is empty")])

    records, problems = _records(text)
    if not records:
        return ParseResult(problems=problems)
    header = [name.strip().lower() for name in records[0][1]]
    header_problems = _header_problems(header)
    if header_problems:
        return ParseResult(problems=header_problems)

    rows: list[FilerRow] = []
    first_seen: dict[str, int] = {}
    for line, values in records[1:]:
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            problems.append(
                Problem(f"has {len(values)} fields, the header has {len(header)}", line)
            )
            continue
        cells = dict(zip(header, values, strict=True))
        found: list[Problem] = []
        login = _login(cells["login"], line, found)
        if login and login in first_seen:
            found.append(
                Problem(f"{_shown(login)} is also on line {first_seen[login]}", line, "login")
            )
        first_seen.setdefault(login, line)
        first_name = _text(cells, "first_name", line, found, required=True)
        middle_name = _text(cells, "middle_name", line, found) if "middle_name" in cells else None
        last_name = _text(cells, "last_name", line, found, required=True)
        email = _email(cells["email"], line, found)
        role = _role(cells["role"], line, found)
        bar_status = _text(cells, "bar_status", line, found) if "bar_status" in cells else None
        password_hash, initial_password = _passwords(cells, line, found)
        if found:
            problems.extend(found)
            continue
        rows.append(
            FilerRow(
                line=line,
                login=login,
                first_name=first_name,
                middle_name=middle_name,
                last_name=last_name,
                email=email,
                role=role,
                bar_status=bar_status,
                password_hash=password_hash,
                initial_password=initial_password,
            )
        )
    if problems:
        return ParseResult(problems=problems, bad_rows=len({p.line for p in problems}))
    if not rows:
        return ParseResult(problems=[Problem("the file has a header but no accounts")])
    return ParseResult(rows=rows)


def _verifies(raw: str, encoded: str) -> bool:
    try:
        return check_password(raw, encoded)
    except ValueError:
        # A stored hash whose hasher is gone verifies nothing: the file's password replaces it.
        return False


def filer_accounts_import(
    *, actor: Actor, court: Court, rows: Sequence[FilerRow], source: str
) -> ImportSummary:
    """Create or update the court's filer accounts from validated rows, all or nothing.

    Accounts are matched on login. A linked account's password was retired when it was
    linked and stays retired, and so does one whose link staff reversed (its password is
    unusable, and only a new one given by staff may revive it): neither gets the file's
    password, and no link is ever touched. Fields that are already equal are not written,
    and an initial password is hashed only when the stored hash does not verify it, so a
    second run with the same file changes nothing.

    source (the file's name) goes into the audit event, written in the same transaction.
    """
    created = updated = unchanged = left_alone = 0
    with transaction.atomic():
        logins = [row.login for row in rows]
        existing: dict[str, FilerAccount] = {}
        for at in range(0, len(logins), _LOOKUP_CHUNK):
            # Locked: a link confirmed mid-import must not get a password back afterwards.
            chunk = FilerAccount.objects.select_for_update().filter(
                court=court, login__in=logins[at : at + _LOOKUP_CHUNK]
            )
            existing.update((filer.login, filer) for filer in chunk)

        new: list[FilerAccount] = []
        for row in rows:
            profile = {
                "first_name": row.first_name,
                "middle_name": row.middle_name,
                "last_name": row.last_name,
                "email": row.email,
                "role": row.role,
                "bar_status": row.bar_status,
            }
            filer = existing.get(row.login)
            if filer is None:
                filer = FilerAccount(court=court, login=row.login)
                for name, value in profile.items():
                    setattr(filer, name, value or "")
                if row.password_hash is not None:
                    filer.password = row.password_hash
                else:
                    assert row.initial_password is not None
                    filer.set_password(row.initial_password)
                new.append(filer)
                continue

            changed = [
                name
                for name, value in profile.items()
                if value is not None and getattr(filer, name) != value
            ]
            for name in changed:
                setattr(filer, name, profile[name])
            if filer.is_linked or not is_password_usable(filer.password):
                left_alone += 1
            elif row.password_hash is not None:
                if filer.password != row.password_hash:
                    filer.password = row.password_hash
                    changed.append("password")
            else:
                assert row.initial_password is not None
                if not _verifies(row.initial_password, filer.password):
                    filer.set_password(row.initial_password)
                    changed.append("password")
            if changed:
                # Only the changed fields are written: never the link, the lockout state.
                filer.save(update_fields=changed)
                updated += 1
            else:
                unchanged += 1

        FilerAccount.objects.bulk_create(new, batch_size=_LOOKUP_CHUNK)
        created = len(new)
        audit_record(
            event=Event.FILER_IMPORT,
            success=True,
            actor=actor,
            court=court,
            detail={"file": source, "created": created, "updated": updated, "unchanged": unchanged},
        )
    return ImportSummary(
        created=created, updated=updated, unchanged=unchanged, linked_left_alone=left_alone
    )


def filer_accounts_import_refused(
    *, actor: Actor, court: Court, result: ParseResult, source: str
) -> None:
    """Audit a file that was refused; nothing was imported from it."""
    if result.bad_rows:
        audit_record(
            event=Event.FILER_IMPORT,
            success=False,
            actor=actor,
            court=court,
            reason="invalid_rows",
            detail={"file": source, "invalid_rows": result.bad_rows},
        )
    else:
        audit_record(
            event=Event.FILER_IMPORT,
            success=False,
            actor=actor,
            court=court,
            reason="invalid_file",
            detail={"file": source},
        )

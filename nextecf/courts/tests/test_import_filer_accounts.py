from __future__ import annotations

import importlib.util
import json
from io import StringIO

import pytest
from django.contrib.auth.hashers import is_password_usable, make_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from nextecf.accounts.factories import AccountFactory
from nextecf.audit.models import AuditEvent, Event, Outcome
from nextecf.courts.factories import LEGACY_PASSWORD, FilerAccountFactory
from nextecf.courts.importing import parse_filer_csv
from nextecf.courts.models import FilerAccount

HEADER = (
    "login,first_name,middle_name,last_name,email,role,bar_status,password_hash,initial_password"
)
HASHED_PASSWORD = "legacy pbkdf2 password"
INITIAL_PASSWORD = "first initial password"


def write(tmp_path, *lines, name="filers.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(path, court="cit"):
    out, err = StringIO(), StringIO()
    call_command("import_filer_accounts", "--court", court, str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path, court="cit"):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_filer_accounts", "--court", court, str(path), stdout=out, stderr=err)
    return str(caught.value), err.getvalue(), out.getvalue()


def import_events():
    return list(AuditEvent.objects.filter(event_type=Event.FILER_IMPORT).order_by("id"))


def audit_text():
    return json.dumps(
        [[e.reason, e.username, e.detail] for e in AuditEvent.objects.all()], ensure_ascii=False
    )


def linked(filer):
    """Link as the link flow does: the legacy password is retired."""
    filer.account = AccountFactory()
    filer.linked_at = timezone.now()
    filer.retire_password()
    filer.save()
    return filer


@pytest.fixture
def pbkdf2_hash():
    return make_password(HASHED_PASSWORD, hasher="pbkdf2_sha256")


@pytest.fixture
def good_file(tmp_path, pbkdf2_hash):
    return write(
        tmp_path,
        HEADER,
        f" DoeJ ,John,Q,Doe,jdoe@doelaw.example,attorney,ACTIVE,{pbkdf2_hash},",
        f"sroe,Sam,,Roe,sam.roe@example.com,PRO SE FILER,,,{INITIAL_PASSWORD}",
        "cfiler,Casey,,Confidential,casey@example.com,Confidential,SUSPENDED,,another one",
    )


def test_a_good_file_imports_every_row(court, good_file, pbkdf2_hash):
    out, err = run(good_file)

    assert out.strip() == "created 3, updated 0, unchanged 0, linked accounts left alone 0"
    assert err == ""
    doej = FilerAccount.objects.get(court=court, login="doej")
    assert (doej.first_name, doej.middle_name, doej.last_name) == ("John", "Q", "Doe")
    assert (doej.email, doej.role, doej.bar_status) == (
        "jdoe@doelaw.example",
        FilerAccount.Role.ATTORNEY,
        "ACTIVE",
    )
    assert doej.password == pbkdf2_hash
    assert doej.check_password(HASHED_PASSWORD)
    assert not doej.is_linked and doej.is_active

    sroe = FilerAccount.objects.get(court=court, login="sroe")
    assert sroe.role == FilerAccount.Role.PRO_SE
    assert (sroe.middle_name, sroe.bar_status) == ("", "")
    assert sroe.password.startswith("argon2$argon2id$")
    assert sroe.check_password(INITIAL_PASSWORD)
    assert FilerAccount.objects.get(login="cfiler").role == FilerAccount.Role.CONFIDENTIAL


def test_a_good_import_is_audited_without_secrets(court, good_file, pbkdf2_hash):
    out, err = run(good_file)

    [event] = import_events()
    assert event.outcome == Outcome.SUCCESS
    assert event.court == court
    assert event.detail == {"file": "filers.csv", "created": 3, "updated": 0, "unchanged": 0}
    stored = [f.password for f in FilerAccount.objects.all()]
    for secret in [HASHED_PASSWORD, INITIAL_PASSWORD, "another one", pbkdf2_hash, *stored]:
        assert secret not in audit_text()
        assert secret not in out + err


BAD_ROWS = [
    (
        "bad1,Ann,,Lee,not-an-email,attorney,,,pw",
        'line 4: email: "not-an-email" is not a valid email address',
    ),
    ("bad1,Ann,,Lee,,attorney,,,pw", "line 4: email: is required"),
    (
        f"bad1,Ann,,Lee,{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * 60}.com,attorney,,,pw",
        "line 4: email: is 257 characters long, at most 254",
    ),
    (
        "bad1,Ann,,Lee,ann@example.com,judge,,,pw",
        'line 4: role: "judge" is not one of attorney, pro_se, confidential',
    ),
    ("bad1,Ann,,Lee,ann@example.com,,,,pw", "line 4: role: is required"),
    (
        "ann lee,Ann,,Lee,ann@example.com,attorney,,,pw",
        'line 4: login: "ann lee" contains a space or control character',
    ),
    (",Ann,,Lee,ann@example.com,attorney,,,pw", "line 4: login: is required"),
    (
        f"{'a' * 65},Ann,,Lee,ann@example.com,attorney,,,pw",
        "line 4: login: is 65 characters long, at most 64",
    ),
    (
        " GOOD1 ,Ann,,Lee,ann@example.com,attorney,,,pw",
        'line 4: login: "good1" is also on line 2',
    ),
    ("bad1, ,,Lee,ann@example.com,attorney,,,pw", "line 4: first_name: is required"),
    ("bad1,Ann,,,ann@example.com,attorney,,,pw", "line 4: last_name: is required"),
    (
        f"bad1,Ann,,{'L' * 81},ann@example.com,attorney,,,pw",
        "line 4: last_name: is 81 characters long, at most 80",
    ),
    (
        f"bad1,Ann,{'M' * 81},Lee,ann@example.com,attorney,,,pw",
        "line 4: middle_name: is 81 characters long, at most 80",
    ),
    (
        f"bad1,Ann,,Lee,ann@example.com,attorney,{'B' * 33},,pw",
        "line 4: bar_status: is 33 characters long, at most 32",
    ),
    (
        "bad1,Ann,,Lee,ann@example.com,attorney,,,",
        "line 4: password_hash/initial_password: neither given: give exactly one",
    ),
    (
        "bad1,Ann,,Lee,ann@example.com,attorney,,pbkdf2_sha256$1000$salt$hash,pw",
        "line 4: password_hash/initial_password: both given: give exactly one",
    ),
    (
        "bad1,Ann,,Lee,ann@example.com,attorney,,hunter2-in-the-wrong-column,",
        "line 4: password_hash: is not a hash from any hasher in settings.PASSWORD_HASHERS",
    ),
    (
        "bad1,Ann,,Lee,ann@example.com,attorney,,pbkdf2_sha256$many$salt$hash,",
        "line 4: password_hash: is not a well-formed pbkdf2_sha256 hash",
    ),
    ("bad1,Ann,Lee", "line 4: has 3 fields, the header has 9"),
]


@pytest.mark.parametrize(("row", "problem"), BAD_ROWS)
def test_one_bad_row_among_good_ones_is_reported_and_nothing_is_imported(
    court, tmp_path, row, problem
):
    path = write(
        tmp_path,
        HEADER,
        "good1,Gail,,Good,gail@example.com,attorney,,,good password 1",
        "good2,Gus,,Good,gus@example.com,attorney,,,good password 2",
        row,
        "good3,Gwen,,Good,gwen@example.com,attorney,,,good password 3",
    )

    message, err, out = refused(path)

    assert err.splitlines() == [problem]
    assert message == "filers.csv: 1 bad row(s); nothing imported"
    assert out == ""
    assert not FilerAccount.objects.exists()
    [event] = import_events()
    assert (event.outcome, event.reason) == (Outcome.FAILURE, "invalid_rows")
    assert event.detail == {"file": "filers.csv", "invalid_rows": 1}
    assert "hunter2" not in err + message + audit_text()


def test_every_bad_row_is_reported_with_its_physical_line(court, tmp_path):
    path = write(
        tmp_path,
        HEADER,
        "good1,Gail,,Good,gail@example.com,attorney,,,pw",
        'bad1,"Anna',  # a quoted name over two lines is one row starting on line 3
        'Maria",,Lee,nope,attorney,,,pw',
        "",
        ",,,,,,,,",
        "bad2,Ben,,Bo,ben@example.com,clerk,,,",
        "good2,Gus,,Good,gus@example.com,Attorney Filer,,,pw",
    )

    message, err, _ = refused(path)

    assert err.splitlines() == [
        'line 3: first_name: "Anna\\x0aMaria" contains a control or non-printing character',
        'line 3: email: "nope" is not a valid email address',
        'line 7: role: "clerk" is not one of attorney, pro_se, confidential',
        "line 7: password_hash/initial_password: neither given: give exactly one",
    ]
    assert message == "filers.csv: 2 bad row(s); nothing imported"
    assert not FilerAccount.objects.exists()
    assert import_events()[0].detail["invalid_rows"] == 2


def test_running_the_same_file_again_changes_nothing(court, good_file, pbkdf2_hash):
    run(good_file)
    before = {f.login: f.password for f in FilerAccount.objects.all()}

    out, _ = run(good_file)

    assert out.strip() == "created 0, updated 0, unchanged 3, linked accounts left alone 0"
    assert {f.login: f.password for f in FilerAccount.objects.all()} == before
    assert before["doej"] == pbkdf2_hash
    assert [e.detail for e in import_events()][1] == {
        "file": "filers.csv",
        "created": 0,
        "updated": 0,
        "unchanged": 3,
    }


def test_existing_unlinked_accounts_are_updated(court, tmp_path, pbkdf2_hash):
    moved = FilerAccountFactory(court=court, login="moved", email="old@example.com")
    same_password = FilerAccountFactory(court=court, login="samepw", password=INITIAL_PASSWORD)
    kept_hash = same_password.password
    path = write(
        tmp_path,
        HEADER,
        f"MOVED,Jane,,Moved,new@example.com,pro_se,INACTIVE,{pbkdf2_hash},",
        f"samepw,John,,Doe,samepw@lawfirm.example,attorney,ACTIVE,,{INITIAL_PASSWORD}",
    )

    out, _ = run(path)

    assert out.strip() == "created 0, updated 1, unchanged 1, linked accounts left alone 0"
    moved.refresh_from_db()
    assert (moved.first_name, moved.email, moved.role, moved.bar_status) == (
        "Jane",
        "new@example.com",
        FilerAccount.Role.PRO_SE,
        "INACTIVE",
    )
    assert moved.password == pbkdf2_hash
    assert not moved.check_password(LEGACY_PASSWORD)
    same_password.refresh_from_db()
    assert same_password.password == kept_hash  # verified, not hashed again


def test_an_initial_password_replaces_a_different_one(court, tmp_path):
    filer = FilerAccountFactory(court=court, login="doej", first_name="John", last_name="Doe")
    path = write(
        tmp_path, HEADER, f"doej,John,,Doe,{filer.email},attorney,ACTIVE,,{INITIAL_PASSWORD}"
    )

    out, _ = run(path)

    assert out.strip() == "created 0, updated 1, unchanged 0, linked accounts left alone 0"
    filer.refresh_from_db()
    assert filer.check_password(INITIAL_PASSWORD)
    assert not filer.check_password(LEGACY_PASSWORD)


@pytest.mark.parametrize("offered", ["hash", "initial"])
def test_a_linked_account_keeps_its_retired_password_and_its_link(
    court, tmp_path, pbkdf2_hash, offered
):
    filer = linked(FilerAccountFactory(court=court, login="doej", email="old@doelaw.example"))
    central, retired = filer.account, filer.password
    password_cells = f"{pbkdf2_hash}," if offered == "hash" else f",{INITIAL_PASSWORD}"
    path = write(
        tmp_path, HEADER, f"doej,John,,Doe,new@doelaw.example,attorney,ACTIVE,{password_cells}"
    )

    out, _ = run(path)

    assert out.strip() == "created 0, updated 1, unchanged 0, linked accounts left alone 1"
    filer.refresh_from_db()
    assert filer.password == retired
    assert not is_password_usable(filer.password)
    assert not filer.check_password(HASHED_PASSWORD)
    assert not filer.check_password(INITIAL_PASSWORD)
    assert filer.account == central and filer.linked_at is not None
    assert filer.email == "new@doelaw.example"


def test_an_unchanged_linked_account_is_left_alone(court, tmp_path):
    filer = linked(FilerAccountFactory(court=court, login="doej"))
    retired = filer.password
    path = write(
        tmp_path, HEADER, f"doej,John,,Doe,{filer.email},attorney,ACTIVE,,{INITIAL_PASSWORD}"
    )

    out, _ = run(path)

    assert out.strip() == "created 0, updated 0, unchanged 1, linked accounts left alone 1"
    filer.refresh_from_db()
    assert filer.password == retired and filer.is_linked


def test_a_linked_account_with_a_usable_password_keeps_it(court, tmp_path):
    # Linked without the password being retired, as the test factories do.
    filer = FilerAccountFactory(court=court, login="doej", account=AccountFactory())
    kept = filer.password
    path = write(
        tmp_path, HEADER, f"doej,John,,Doe,{filer.email},attorney,ACTIVE,,{INITIAL_PASSWORD}"
    )

    out, _ = run(path)

    assert out.strip() == "created 0, updated 0, unchanged 1, linked accounts left alone 1"
    filer.refresh_from_db()
    assert filer.password == kept
    assert filer.check_password(LEGACY_PASSWORD)
    assert not filer.check_password(INITIAL_PASSWORD)


def test_a_reversed_link_does_not_get_its_legacy_password_back(court, tmp_path, pbkdf2_hash):
    filer = linked(FilerAccountFactory(court=court, login="doej"))
    # Staff reversed the link: the password stays retired (see link_reverse).
    filer.account, filer.linked_at = None, None
    filer.save()
    retired = filer.password
    path = write(tmp_path, HEADER, f"doej,John,,Doe,{filer.email},attorney,ACTIVE,{pbkdf2_hash},")

    out, _ = run(path)

    assert out.strip() == "created 0, updated 0, unchanged 1, linked accounts left alone 1"
    filer.refresh_from_db()
    assert filer.password == retired
    assert not filer.check_password(HASHED_PASSWORD)


def test_only_the_named_court_is_touched(court, other_court, tmp_path):
    elsewhere = FilerAccountFactory(court=other_court, login="doej", first_name="Other")
    path = write(tmp_path, HEADER, "doej,John,,Doe,jdoe@example.com,attorney,,,pw")

    out, _ = run(path)

    assert out.strip().startswith("created 1,")
    elsewhere.refresh_from_db()
    assert elsewhere.first_name == "Other"
    assert elsewhere.check_password(LEGACY_PASSWORD)


def test_optional_columns_left_out_keep_existing_values(court, tmp_path):
    filer = FilerAccountFactory(court=court, login="doej", middle_name="Q", bar_status="ACTIVE")
    path = write(
        tmp_path,
        "login,first_name,last_name,email,role,password_hash,initial_password",
        f"doej,John,Doe,{filer.email},attorney,,{LEGACY_PASSWORD}",
        "newbie,Nina,New,nina@example.com,attorney,,pw",
    )

    out, _ = run(path)

    assert out.strip() == "created 1, updated 0, unchanged 1, linked accounts left alone 0"
    filer.refresh_from_db()
    assert (filer.middle_name, filer.bar_status) == ("Q", "ACTIVE")
    newbie = FilerAccount.objects.get(login="newbie")
    assert (newbie.middle_name, newbie.bar_status) == ("", "")


def test_a_byte_order_mark_and_crlf_line_ends_are_accepted(court, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        b"\xef\xbb\xbf" + f"{HEADER}\r\njörg,Jörg,,Müller,jm@example.com,attorney,,,pw\r\n".encode()
    )

    out, _ = run(path)

    assert out.strip().startswith("created 1,")
    assert FilerAccount.objects.get(login="jörg").last_name == "Müller"


def test_an_unknown_court_is_refused(court, good_file):
    message, _, _ = refused(good_file, court="nope")

    assert message == 'unknown court "nope" (known: cit)'
    assert not FilerAccount.objects.exists()
    assert not import_events()


def test_a_missing_file_is_refused(court, tmp_path):
    message, _, _ = refused(tmp_path / "absent.csv")

    assert message.startswith('cannot read "')
    assert "absent.csv" in message


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (
            "login,first_name,last_name,password_hash,initial_password",
            "line 1: missing required columns: email, role",
        ),
        (
            f"{HEADER},fax,",
            "line 1: unknown columns: fax, (blank) (allowed: login, first_name, last_name, "
            "email, role, password_hash, initial_password, middle_name, bar_status)",
        ),
        (f"{HEADER},Email", 'line 1: column "email" appears more than once'),
    ],
)
def test_a_bad_header_is_refused(court, tmp_path, header, problem):
    path = write(tmp_path, header, "doej,John,Doe,x,y,z,w,v,u")

    message, err, _ = refused(path)

    assert err.splitlines() == [problem]
    assert message == "filers.csv: the file was refused; nothing imported"
    assert not FilerAccount.objects.exists()
    [event] = import_events()
    assert (event.outcome, event.reason, event.detail) == (
        Outcome.FAILURE,
        "invalid_file",
        {"file": "filers.csv"},
    )


def test_a_file_that_is_not_utf8_is_refused(court, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        f"{HEADER}\nok,Ok,,Ok,ok@example.com,attorney,,,pw\n".encode()
        + "jose,José,,Núñez,jn@example.com,attorney,,,pw\n".encode("latin-1")
    )

    message, err, _ = refused(path)

    assert err.splitlines() == ["line 3: the file is not UTF-8 text"]
    assert "nothing imported" in message
    assert not FilerAccount.objects.exists()


@pytest.mark.parametrize(
    ("content", "problem"),
    [("", "the file is empty"), (f"{HEADER}\n\n", "the file has a header but no accounts")],
)
def test_a_file_without_accounts_is_refused(court, tmp_path, content, problem):
    path = tmp_path / "filers.csv"
    path.write_text(content)

    _, err, _ = refused(path)

    assert err.splitlines() == [problem]
    assert import_events()[0].reason == "invalid_file"


def test_a_hash_whose_hasher_library_is_missing_is_refused():
    if importlib.util.find_spec("bcrypt") is not None:
        pytest.skip("bcrypt is installed here")
    encoded = "bcrypt_sha256$$2b$12$" + "a" * 53

    result = parse_filer_csv(f"{HEADER}\nann,Ann,,Lee,ann@example.com,attorney,,{encoded},\n")

    assert [str(p) for p in result.problems] == [
        "line 2: password_hash: bcrypt_sha256 hashes need the bcrypt library, "
        "which is not installed"
    ]


def test_broken_quoting_is_reported_at_its_line():
    result = parse_filer_csv(
        f'{HEADER}\nok,Ok,,Ok,ok@example.com,attorney,,,pw\nbad,"Ann"x,,Lee,a@example.com,,,,\n'
    )

    assert [str(p) for p in result.problems] == [
        "line 3: not readable as CSV (',' expected after '\"'); lines after it unread"
    ]
    assert result.rows == []


def test_parsed_rows_keep_passwords_exactly_and_do_not_show_them():
    result = parse_filer_csv(
        f"{HEADER}\n{'a' * 64},Ann,,Lee,ann@example.com,attorney,,, {INITIAL_PASSWORD} \n"
    )

    [row] = result.rows
    assert row.login == "a" * 64
    assert row.initial_password == f" {INITIAL_PASSWORD} "
    assert INITIAL_PASSWORD not in repr(row)


def test_the_documented_example_file_imports(court, settings):
    out, _ = run(settings.BASE_DIR / "docs" / "examples" / "cit_filers.csv")

    assert out.strip() == "created 3, updated 0, unchanged 0, linked accounts left alone 0"
    assert FilerAccount.objects.get(login="bmorrow").check_password("change-me-blake-3098")

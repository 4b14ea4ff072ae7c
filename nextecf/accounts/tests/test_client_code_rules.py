"""One set of client code rules for the login, Change Client Code and the APIs."""

from __future__ import annotations

import pytest

from nextecf.accounts.clientcodes import MISSING, account_code_problem
from nextecf.accounts.forms.signon import CLIENT_CODE_REQUIRED, LoginStepForm
from nextecf.courts.forms.court import ClientCodeForm


@pytest.mark.parametrize(
    ("code", "fmt", "required", "problem"),
    [
        ("", "", True, MISSING),
        ("", "##-AAA", False, None),
        ("12-abc", "##-AAA", True, None),
        ("acme 7", "", False, "may not contain a space or a comma"),
        ("x" * 33, "", False, "at most 32 characters"),
        ("7-abc", "##-AAA", False, 'must match your account\'s client code format "##-AAA"'),
    ],
)
def test_a_client_code_is_judged_by_pacers_rules_the_requirement_and_the_format(
    code, fmt, required, problem
):
    found = account_code_problem(code, fmt=fmt, required=required)
    assert (found is None) == (problem is None)
    assert problem is None or problem in found


def _login_step(code: str, *, fmt: str, required: bool) -> list[str]:
    form = LoginStepForm(
        {"client_code": code},
        needs_redaction=False,
        needs_client_code=True,
        client_code_required=required,
        client_code_format=fmt,
    )
    return [] if form.is_valid() else form.errors["client_code"]


def _change_page(code: str, *, fmt: str, required: bool) -> list[str]:
    form = ClientCodeForm({"client_code": code}, required=required, code_format=fmt)
    return [] if form.is_valid() else form.errors["client_code"]


@pytest.mark.parametrize(
    ("code", "fmt", "required"),
    [("", "", True), ("7-abc", "##-AAA", False), ("a,b", "", False), ("12-abc", "##-AAA", True)],
)
def test_the_login_and_the_change_client_code_page_give_the_same_answer(code, fmt, required):
    at_login = _login_step(code, fmt=fmt, required=required)
    assert at_login == _change_page(code, fmt=fmt, required=required)
    if not code and required:
        assert at_login == [CLIENT_CODE_REQUIRED]

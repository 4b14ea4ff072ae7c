"""The access policy for API tokens (access.decide_token): a token is its owner's rights
narrowed by its scopes, and reads public material only, whatever its owner may see."""

from __future__ import annotations

import pytest

from nextecf.access import Action, decide, decide_token, public_entries, token_cases
from nextecf.accounts.models import ApiToken
from nextecf.api.tests.tokens import make_token
from nextecf.cases.factories import AppearanceFactory, CaseFactory, PartyFactory
from nextecf.cases.models import DocketEntry

Scope = ApiToken.Scope


@pytest.fixture
def sealed(people, court):
    case = CaseFactory(court=court, is_sealed=True)
    party = PartyFactory(case=case)
    AppearanceFactory(party=party, filer=people.filer.filer_accounts.get(court=court))
    DocketEntry.objects.create(case=case, number=1, seq=1, date_filed=case.date_filed, text="X")
    return case


def test_the_owner_may_read_a_sealed_case_but_no_token_of_the_owner_may(people, court, sealed):
    assert decide(user=people.filer, court=court, action=Action.VIEW_CASE, case=sealed)
    token, _ = make_token(people.filer, Scope.READ_PUBLIC, Scope.READ_OWN, Scope.FILE, court="cit")
    decision = decide_token(token=token, court=court, action=Action.VIEW_CASE, case=sealed)
    assert not decision and decision.reason == "not_public"
    refused = decide_token(token=token, court=court, action=Action.FILE_IN_CASE, case=sealed)
    assert not refused and refused.reason == "not_public"
    assert sealed not in token_cases(token=token, court=court)
    assert not public_entries(sealed).exists()


def test_scopes_narrow_the_owner(people, court):
    public_case = CaseFactory(court=court)
    reader, _ = make_token(people.filer, Scope.READ_PUBLIC)
    assert decide_token(token=reader, court=court, action=Action.VIEW_CASE, case=public_case)
    assert decide_token(token=reader, court=court, action=Action.FILE).reason == "token_scope"
    filer, _ = make_token(people.filer, Scope.FILE, court="cit")
    assert decide_token(token=filer, court=court, action=Action.FILE)
    assert (
        decide_token(token=filer, court=court, action=Action.VIEW_CASE, case=public_case).reason
        == "token_scope"
    )
    for action in (Action.STAFF, Action.LINK_ACCOUNT, Action.MAINTAIN_ECF_ACCOUNT):
        assert decide_token(token=filer, court=court, action=action).reason == "token_scope"


def test_a_filing_token_of_someone_who_may_not_file_files_nothing(people, court):
    token, _ = make_token(people.public, Scope.FILE, court="cit")
    assert decide_token(token=token, court=court, action=Action.FILE).reason == "not_a_filer"


def test_a_clerks_token_gets_no_staff_powers(people, court, sealed):
    token, _ = make_token(people.clerk, Scope.READ_PUBLIC)
    assert decide(user=people.clerk, court=court, action=Action.VIEW_CASE, case=sealed)
    assert not decide_token(token=token, court=court, action=Action.VIEW_CASE, case=sealed)
    assert not decide_token(token=token, court=court, action=Action.STAFF)

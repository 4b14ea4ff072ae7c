"""The access policy's queries live on the managers; a list (search, reports, PCL) and a
yes/no (decide) must never disagree about the same person and case."""

from __future__ import annotations

from dataclasses import fields

import pytest
from django.contrib.auth.models import AnonymousUser

from conftest import People
from nextecf.access import Action, decide, is_court_staff, visible_cases
from nextecf.accounts.factories import AccountFactory
from nextecf.cases.factories import AppearanceFactory, CaseFactory, PartyFactory
from nextecf.cases.models import Appearance, Case
from nextecf.courts.models import Court, CourtStaff, FilerAccount

PERSONAS = [f.name for f in fields(People)]


@pytest.fixture
def cases(court, other_court, people) -> dict[str, Case]:
    """An open and a sealed case in each court; the persona filer is of record in the
    sealed one here."""
    made = {
        "open": CaseFactory(court=court),
        "sealed": CaseFactory(court=court, is_sealed=True),
        "other_open": CaseFactory(court=other_court),
        "other_sealed": CaseFactory(court=other_court, is_sealed=True),
    }
    filer = FilerAccount.objects.get(court=court, account=people.filer)
    AppearanceFactory(party=PartyFactory(case=made["sealed"]), filer=filer)
    return made


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_visible_list_is_exactly_what_decide_lets_the_person_open(people, cases, persona):
    account = getattr(people, persona)
    for court in Court.objects.all():
        listed = set(Case.objects.visible_to(account, court))
        allowed = {
            case
            for case in Case.objects.filter(court=court)
            if decide(user=account, court=court, action=Action.VIEW_CASE, case=case)
        }
        assert listed == allowed, (persona, court.pk)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_court_at_once_is_the_union_of_each_court(people, cases, persona):
    account = getattr(people, persona)
    each = set()
    for court in Court.objects.all():
        each |= set(visible_cases(user=account, court=court))
    assert set(Case.objects.visible_to(account)) == each


def test_who_sees_the_sealed_cases(people, cases):
    sealed = {cases["sealed"], cases["other_sealed"]}
    sees = {
        persona: sealed & set(Case.objects.visible_to(getattr(people, persona)))
        for persona in PERSONAS
    }
    assert sees == {
        "filer": {cases["sealed"]},
        "other_filer": set(),
        "public": set(),
        "clerk": {cases["sealed"]},
        "other_clerk": {cases["other_sealed"]},
        "shared": set(),
        "legacy": set(),
    }


def test_nobody_signed_on_and_a_disabled_account_see_nothing(people, cases, court):
    assert not Case.objects.visible_to(AnonymousUser(), court).exists()
    people.public.is_active = False
    assert not Case.objects.visible_to(people.public).exists()


def test_an_ended_appearance_or_a_deactivated_court_account_is_not_of_record(people, court):
    case = CaseFactory(court=court, is_sealed=True)
    filer = FilerAccount.objects.get(court=court, account=people.filer)
    appearance = AppearanceFactory(party=PartyFactory(case=case), filer=filer)
    assert Appearance.objects.of_record(people.filer, court).exists()
    appearance.terminated_on = "2026-01-01"
    appearance.save()
    assert not Appearance.objects.of_record(people.filer).exists()
    appearance.terminated_on = None
    appearance.save()
    FilerAccount.objects.filter(pk=filer.pk).update(is_active=False)
    assert not Appearance.objects.of_record(people.filer, court).exists()


def test_an_appearance_through_another_courts_account_does_not_count(people, court, other_court):
    case = CaseFactory(court=court, is_sealed=True)
    elsewhere = FilerAccount.objects.create(
        court=other_court, login="elsewhere", first_name="A", last_name="B", account=people.public
    )
    AppearanceFactory(party=PartyFactory(case=case), filer=elsewhere)
    assert case not in Case.objects.visible_to(people.public)
    assert not Appearance.objects.of_record(people.public, court).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_court_staff_yes_no_and_list_agree(people, persona):
    account = getattr(people, persona)
    for court in Court.objects.all():
        listed = court in Court.objects.staffed_by(account)
        assert CourtStaff.objects.serves(account, court) is listed
        assert is_court_staff(account, court) is listed


def test_a_superuser_with_staff_rights_serves_every_court(court, other_court):
    admin = AccountFactory(is_staff=True, is_superuser=True)
    assert set(Court.objects.staffed_by(admin)) == {court, other_court}
    assert CourtStaff.objects.serves(admin, other_court)
    # Without staff rights a superuser flag alone opens no court's staff tools.
    admin.is_staff = False
    assert not Court.objects.staffed_by(admin).exists()
    assert not CourtStaff.objects.serves(admin, court)


def test_a_disabled_clerk_serves_no_court(people, court):
    people.clerk.is_active = False
    assert not CourtStaff.objects.serves(people.clerk, court)
    assert not Court.objects.staffed_by(people.clerk).exists()

"""Post/redirect/get after every filing form, a refused one too: the POST answers with a
redirect, the GET it names shows the errors and the values entered (the card never kept),
and the kept refusal belongs to the person and page it was made on."""

from __future__ import annotations

from django.test import Client

from nextecf.filing.models import FailedPost, FilingDraft
from nextecf.filing.tests.conftest import Filer


def test_a_refused_case_number_redirects_to_a_get_with_its_error_and_value(
    people, as_filer, events, case
):
    filer = as_filer(people.filer)
    response = filer.start_in_case(events["letter"], "banana")
    assert len(filer.refusals) == 1
    location = filer.refusals[0]
    assert location.startswith(f"/cit/civil/file/?event={events['letter'].pk}&failed=")
    assert response.status_code == 400  # the GET carries the refusal's status
    page = response.content.decode()
    assert "Enter a case number like 1:26-cv-00001" in page
    assert 'value="banana"' in page
    assert not FilingDraft.objects.exists()

    # The same GET again (Back, Forward, reload) shows the same; nothing is posted.
    again = filer.client.get(location)
    assert again.status_code == 400 and 'value="banana"' in again.content.decode()


def test_the_kept_refusal_is_the_persons_own(people, as_filer, signed_in, events, case):
    filer = as_filer(people.filer)
    filer.start_in_case(events["letter"], "banana")
    location = filer.refusals[0]
    other = Filer(signed_in(people.other_filer))
    response = other.client.get(location)
    assert response.status_code == 200
    assert "banana" not in response.content.decode()
    # Nor may a token be replayed on another page.
    token = location.rsplit("failed=", 1)[1]
    assert filer.client.get(f"/cit/civil/?failed={token}").status_code == 200


def test_a_refused_card_is_never_kept(people, as_filer, events, case):
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_in_case(events["complaint"], case.number))
    stash_count = FailedPost.objects.count()
    client: Client = filer.client
    response = client.post(
        filer.url(draft, "submit"),
        {
            "card_number": "4111111111111112",
            "exp_month": "12",
            "exp_year": "2099",
            "cvv": "123",
            "name_on_card": "Jill Rosario",
        },
    )
    assert filer.refusals, "the refusal was not a redirect"
    assert "4111" not in filer.refusals[-1]
    kept = FailedPost.objects.order_by("-created_at").first()
    assert kept is not None and FailedPost.objects.count() == stash_count + 1
    assert not {"card_number", "cvv", "exp_month", "exp_year"} & set(kept.data)
    assert "4111111111111112" not in str(kept.data) + str(kept.errors) + kept.error
    assert "4111111111111112" not in response.content.decode()

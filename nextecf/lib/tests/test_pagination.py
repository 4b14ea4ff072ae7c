from __future__ import annotations

from django.http import QueryDict
from django.template.loader import render_to_string

from nextecf.lib.pagination import DEFAULT_PAGE_SIZE, paginate


def test_the_default_page_is_the_first_fifty_with_a_count() -> None:
    page = paginate(list(range(120)), QueryDict(""))
    assert DEFAULT_PAGE_SIZE == 50
    assert page.items == list(range(50))
    assert (page.number, page.pages, page.count) == (1, 3, 120)
    assert (page.first_index, page.last_index) == (1, 50)
    assert not page.has_previous and page.has_next


def test_links_keep_the_other_parameters_and_drop_a_posted_token() -> None:
    params = QueryDict("start=01/01/2026&sort=client_code&page=2&csrfmiddlewaretoken=x&tag=a&tag=b")
    page = paginate(list(range(120)), params)
    assert page.items == list(range(50, 100))
    assert page.previous_url == "?start=01%2F01%2F2026&sort=client_code&tag=a&tag=b&page=1"
    assert page.next_url.endswith("&page=3")
    assert "csrfmiddlewaretoken" not in page.next_url


def test_a_bad_page_number_shows_the_nearest_page_never_an_error() -> None:
    items = list(range(120))
    assert paginate(items, QueryDict("page=abc")).number == 1
    assert paginate(items, QueryDict("page=0")).number == 3  # Django: below 1 is the last
    assert paginate(items, QueryDict("page=999")).items == list(range(100, 120))
    assert paginate(items, QueryDict("page=" + "9" * 60)).number == 3


def test_an_empty_list_is_one_empty_page() -> None:
    page = paginate([], QueryDict(""))
    assert (page.items, page.pages, page.count, page.first_index, page.last_index) == (
        [],
        1,
        0,
        0,
        0,
    )
    html = render_to_string("includes/pagination.html", {"page": page, "label": "Payments"})
    assert "No payments" in html and "<a " not in html


def test_the_include_shows_the_count_and_previous_next_links() -> None:
    page = paginate(list(range(120)), QueryDict("page=2"))
    html = render_to_string("includes/pagination.html", {"page": page, "label": "Accesses"})
    assert 'aria-label="Accesses pages"' in html
    assert "Accesses 51 to 100 of 120 (page 2 of 3)" in html
    assert '<a href="?page=1" rel="prev">Previous</a>' in html
    assert '<a href="?page=3" rel="next">Next</a>' in html

"""Long lists, a page at a time: one helper for every list page (billing history, the
transaction log, payments, query results, the mailbox, staff lists). It wraps Django's
Paginator, keeps the page's other query parameters in its previous/next links, and never
fails on a bad page number (text, zero, past the end: the nearest page is shown).
Templates show it with ``{% include "includes/pagination.html" with page=page %}``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Model, QuerySet

DEFAULT_PAGE_SIZE = 50
PAGE_PARAMETER = "page"

T = TypeVar("T")
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class ListPage(Generic[T]):
    items: list[T]
    number: int
    pages: int
    count: int
    size: int
    query: tuple[tuple[str, str], ...]  # the request's other parameters, kept in the links
    parameter: str = PAGE_PARAMETER

    @property
    def first_index(self) -> int:
        """The 1-based position of the page's first item (0 for an empty list)."""
        return (self.number - 1) * self.size + 1 if self.count else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.items) - 1 if self.count else 0

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def has_other_pages(self) -> bool:
        return self.pages > 1

    def url(self, number: int) -> str:
        """The query string of page `number`, the other parameters as they were."""
        return "?" + urlencode([*self.query, (self.parameter, str(number))])

    @property
    def previous_url(self) -> str:
        return self.url(self.number - 1) if self.has_previous else ""

    @property
    def next_url(self) -> str:
        return self.url(self.number + 1) if self.has_next else ""

    @property
    def first_url(self) -> str:
        return self.url(1)

    @property
    def last_url(self) -> str:
        return self.url(self.pages)


@overload
def paginate(
    items: QuerySet[M],
    params: Mapping[str, Any],
    *,
    size: int = ...,
    parameter: str = ...,
) -> ListPage[M]: ...


@overload
def paginate(
    items: Sequence[T],
    params: Mapping[str, Any],
    *,
    size: int = ...,
    parameter: str = ...,
) -> ListPage[T]: ...


def paginate(
    items: QuerySet[Any] | Sequence[Any],
    params: Mapping[str, Any],
    *,
    size: int = DEFAULT_PAGE_SIZE,
    parameter: str = PAGE_PARAMETER,
) -> ListPage[Any]:
    """The page of `items` that `params` (a request's GET) asks for. A queryset must be
    ordered; it is counted once and only the page's rows are read."""
    page = Paginator(items, size, allow_empty_first_page=True).get_page(params.get(parameter))
    getlist = getattr(params, "getlist", None)
    query: list[tuple[str, str]] = []
    for key in params:
        if key in (parameter, "csrfmiddlewaretoken"):  # a POSTed form's token never goes in a link
            continue
        values = getlist(key) if getlist is not None else [params[key]]
        query.extend((key, str(value)) for value in values)
    return ListPage(
        items=list(page.object_list),
        number=page.number,
        pages=page.paginator.num_pages,
        count=page.paginator.count,
        size=size,
        query=tuple(query),
        parameter=parameter,
    )

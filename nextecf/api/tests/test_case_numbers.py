"""The PCL API reads case numbers with the same parser as the court's own pages."""

from __future__ import annotations

import pytest

from nextecf.api.schemas import CriteriaError, parse_case_number_full, parse_case_search
from nextecf.cases.numbers import normalize_case_number


@pytest.mark.parametrize(
    "typed", ["1:26-cv-00001", "26-1", "26cv1", "26 1", "2600001", "1:26-cv-00001-GSK"]
)
def test_the_pcl_api_and_the_court_pages_agree_on_a_case_number(typed):
    pcl = parse_case_number_full(typed)
    assert pcl is not None and (pcl.year, pcl.sequence) == (2026, 1)
    assert normalize_case_number(typed) == "1:26-cv-00001"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [("26-0", "has no case sequence number"), ("1:2601cv1", "must be"), ("acme", "must be")],
)
def test_a_number_the_pcl_api_refuses_names_the_field_and_why(typed, problem):
    with pytest.raises(CriteriaError) as refused:
        parse_case_search({"caseNumberFull": typed})
    assert refused.value.field == "caseNumberFull"
    assert problem in str(refused.value)

"""One date-range rule for every report form: the end may not come before the start."""

from __future__ import annotations

import pytest

from nextecf.billing.forms import AccessRangeForm
from nextecf.cases.forms import DateRangeReportForm, DocketReportForm, OpinionsForm
from nextecf.lib.forms import DateRangeForm


@pytest.mark.parametrize(
    ("form_class", "start", "end", "message"),
    [
        (DateRangeForm, "start", "end", "To must not be before From."),
        (AccessRangeForm, "start", "end", "To must not be before From."),
        (DateRangeReportForm, "filed_from", "filed_to", "Filed to must not be before Filed from."),
        (OpinionsForm, "filed_from", "filed_to", "Filed to must not be before Filed from."),
        (
            DocketReportForm,
            "date_from",
            "date_to",
            "The start date must be less than or equal to the end date.",
        ),
    ],
)
def test_a_range_that_ends_before_it_starts_is_refused_on_its_end_field(
    form_class, start, end, message
):
    backwards = form_class({start: "03/01/2026", end: "02/28/2026"})
    assert not backwards.is_valid()
    assert backwards.errors[end] == [message]
    assert start not in backwards.errors
    same_day = form_class({start: "03/01/2026", end: "3/1/26"})
    assert same_day.is_valid(), same_day.errors


def test_every_range_form_reads_dates_as_cm_ecf_writes_them():
    form = DateRangeForm({"start": "2026-01-31", "end": "01/31/2999"})
    assert form.is_valid()
    too_late = DateRangeForm({"start": "01/01/2026", "end": "01/01/3000"})
    assert too_late.errors["end"] == ["To must be a date from 01/01/1900 to 12/31/2999."]

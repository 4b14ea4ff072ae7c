from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template

from nextecf.lib.dates import mdy, mdy_time, time_of_day

NEW_YORK = ZoneInfo("America/New_York")


def test_a_date_is_month_day_year_with_leading_zeros() -> None:
    assert mdy(date(2024, 1, 6)) == "01/06/2024"
    assert mdy(None) == ""


def test_a_moment_is_shown_in_the_courts_zone_with_its_abbreviation() -> None:
    winter = datetime(2024, 1, 16, 20, 4, 5, tzinfo=UTC)
    summer = datetime(2024, 7, 16, 19, 4, 5, tzinfo=UTC)
    assert mdy_time(winter, NEW_YORK) == "01/16/2024 15:04:05 EST"
    assert mdy_time(summer, NEW_YORK) == "07/16/2024 15:04:05 EDT"
    assert time_of_day(winter, NEW_YORK) == "15:04:05 EST"
    assert mdy_time(None) == ""


def test_a_moments_date_is_its_local_date_not_the_utc_one() -> None:
    # 01:30 UTC on the 17th is still the evening of the 16th in New York.
    assert mdy(datetime(2024, 1, 17, 1, 30, tzinfo=UTC), NEW_YORK) == "01/16/2024"


def test_every_template_has_the_filters_and_django_renders_bare_dates_the_same_way() -> None:
    moment = datetime(2024, 1, 16, 20, 4, 5, tzinfo=UTC)  # settings.TIME_ZONE is New York
    rendered = Template("{{ m|mdy }}|{{ m|mdy_time }}|{{ m }}|{{ d }}").render(
        Context({"m": moment, "d": date(2024, 1, 6)})
    )
    assert rendered == "01/16/2024|01/16/2024 15:04:05 EST|01/16/2024 15:04:05 EST|01/06/2024"


def test_the_filters_show_nothing_for_what_is_not_a_date() -> None:
    rendered = Template(
        "[{{ missing|mdy }}][{{ missing|mdy_time }}][{{ missing|time_of_day }}][{{ text|mdy }}]"
    ).render(Context({"text": "01/16/2024"}))
    assert rendered == "[][][][]"

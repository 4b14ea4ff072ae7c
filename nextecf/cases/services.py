"""Workflows on a court's cases that staff run: assigning a case to a judge or a panel."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.cases.models import Case, Judge
from nextecf.cases.selectors import judge_suffix, panel_of
from nextecf.lib.actor import Actor

PANEL_SIZE = 3


def assignment_problems(case: Case, judge: Judge | None, panel: Sequence[Judge]) -> dict[str, str]:
    """Why an assignment cannot be made, by field ("judge", "panel"); empty when it can."""
    problems: dict[str, str] = {}
    if judge is not None and judge.court_id != case.court_id:
        problems["judge"] = "The judge must be a judge of this court."
    if any(seat.court_id != case.court_id for seat in panel):
        problems["panel"] = "Every panel judge must be a judge of this court."
    elif panel and len(panel) != PANEL_SIZE:
        problems["panel"] = f"A panel has {PANEL_SIZE} judges; choose {PANEL_SIZE} or none."
    elif len({seat.pk for seat in panel}) != len(panel):
        problems["panel"] = "A judge can hold only one seat on a panel."
    if judge is not None and panel and judge not in panel and "judge" not in problems:
        problems["judge"] = "With a panel, the presiding judge must be one of the panel."
    return problems


def case_assign(*, actor: Actor, case: Case, judge: Judge | None, panel: Sequence[Judge]) -> Case:
    """Assign (or reassign) the case: to one judge (panel empty), to a three-judge panel
    seated in exactly the order given (the court's order: the case number's initials and
    the docket's Panel lines follow it, never the judges' ids), or to nobody. With a panel,
    judge is its presiding judge, if the court names one. One transaction with its audit
    event; raises ValidationError (by field) and changes nothing for a bad assignment."""
    problems = assignment_problems(case, judge, panel)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("judge").get(pk=case.pk)
        before = judge_suffix(case, panel_of(case))
        case.judge = judge
        case.save(update_fields=["judge"])
        case.panel_assign(list(panel))
        after = judge_suffix(case, list(panel))
        audit_record(
            event=Event.CASE_ASSIGNED,
            success=True,
            actor=actor,
            court=case.court,
            detail={
                "case": case.number,
                "before": before,
                "after": after,
                "judge": judge.initials if judge else "",
                "panel": [seat.initials for seat in panel],
            },
        )
    return case

"""PCL batch reports run on the task queue, not inside the request that starts them."""

from __future__ import annotations

from nextecf.api import services
from nextecf.api.schemas import CaseCriteria, PartyCriteria, SortOrder
from nextecf.lib.actor import Actor
from nextecf.lib.queue import task


@task()
def pcl_report_run(
    *,
    report_id: int,
    actor: Actor,
    criteria: CaseCriteria | PartyCriteria,
    orders: list[SortOrder],
) -> None:
    try:
        services.report_run(report_id=report_id, actor=actor, criteria=criteria, orders=orders)
    except Exception:
        services.report_fail(report_id=report_id)
        raise

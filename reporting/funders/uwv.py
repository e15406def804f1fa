"""UWV's overview: per person whose route UWV pays (funding streams UWV and Wajong, with
their share), the target group, start and end, the first placement during the route (employer,
type, start, hours per week), the period's hours, the contract and benefit at exit, the
result and work or school six months after leaving."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from participants.models import FundingStream

from . import FunderReport, register
from . import columns as c
from .shares import share_generator, share_workbook

KEY = "uwv"

UWV = register(
    FunderReport(
        key=KEY,
        label=gettext_lazy("UWV overview (UWV and Wajong)"),
        description=gettext_lazy(
            "Per person whose route UWV pays (UWV or Wajong), with its share: target group, "
            "start and end, the placement, hours in the period, contract and benefit at exit, "
            "result and work or school six months after leaving. Holds BSNs."
        ),
        kind="funder_uwv_xlsx",
        columns=(
            c.FIRST_NAME,
            c.LAST_NAME,
            c.BORN,
            c.BSN,
            c.TARGET_GROUP,
            c.START,
            c.END,
            c.SHARE,
            c.PLACEMENT_EMPLOYER,
            c.PLACEMENT_KIND,
            c.PLACEMENT_START,
            c.PLACEMENT_HOURS,
            c.PRACTICE,
            c.THEORY,
            c.HOURS,
            c.CONTRACT_TYPE,
            c.CONTRACT_HOURS,
            c.BENEFIT_AT_EXIT,
            c.OUTCOME,
            c.OUTCOME_REASON,
            c.WORK_OR_SCHOOL_6,
        ),
        streams=frozenset({FundingStream.UWV, FundingStream.WAJONG}),
        writer=share_workbook,
        reauthenticate=True,
        order=30,
    ),
    generate=share_generator(KEY, "uwv"),
    permission="reporting.export_funder_list",
)

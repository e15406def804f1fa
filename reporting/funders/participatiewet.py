"""The municipality's Participatiewet overview: per person whose route the municipality pays
(funding stream Participatiewet, with its share), what a gemeente asks for a traject: who,
start and end, route type, hours in the period, benefit at exit, result, destination and
whether the person was in work or school six months after leaving."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from participants.models import FundingStream

from . import FunderReport, register
from . import columns as c
from .shares import share_generator, share_workbook

KEY = "participatiewet"

PARTICIPATIEWET = register(
    FunderReport(
        key=KEY,
        label=gettext_lazy("Participatiewet overview for the municipality"),
        description=gettext_lazy(
            "Per person whose route the municipality pays (Participatiewet), with its share: "
            "start and end, route type, hours in the period, benefit at exit, result and "
            "work or school six months after leaving. Holds BSNs."
        ),
        kind="funder_participatiewet_xlsx",
        columns=(
            c.FIRST_NAME,
            c.LAST_NAME,
            c.BORN,
            c.BSN,
            c.TARGET_GROUP,
            c.START,
            c.END,
            c.ROUTE_TYPE,
            c.SHARE,
            c.PRACTICE,
            c.THEORY,
            c.HOURS,
            c.STATUS,
            c.BENEFIT_AT_EXIT,
            c.OUTCOME,
            c.OUTCOME_REASON,
            c.DESTINATION,
            c.WORK_OR_SCHOOL_6,
        ),
        streams=frozenset({FundingStream.PARTICIPATIEWET}),
        writer=share_workbook,
        reauthenticate=True,
        order=20,
    ),
    generate=share_generator(KEY, "participatiewet"),
    permission="reporting.export_funder_list",
)

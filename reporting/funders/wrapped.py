"""The two funder reports that existed before the registry, registered as kinds of it
unchanged: the ESF+ indicators (reporting.results.esf: counts per project, men / women /
total, every route of the project) and the funder's participant list (reporting.funder:
every route of the project, per person, with BSN)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from ..funder import COLUMNS, funder_workbook
from ..results.esf import esf_workbook
from . import FunderReport, register

ESF = register(
    FunderReport(
        key="esf",
        label=gettext_lazy("ESF+ indicators"),
        description=gettext_lazy(
            "The common ESF+ indicators of the project: one row per indicator, men, women and "
            "total. Counts only; the sensitive categories rounded."
        ),
        kind="esf_xlsx",
        columns=(
            gettext_lazy("Indicator"),
            gettext_lazy("Men"),
            gettext_lazy("Women"),
            gettext_lazy("Total"),
        ),
        streams=None,
        writer=esf_workbook,
        order=10,
    )
)

PARTICIPANT_LIST = register(
    FunderReport(
        key="participant_list",
        label=gettext_lazy("Participant list for the funder"),
        description=gettext_lazy(
            "Everyone whose route ran during the period, whoever pays: name, date of birth, "
            "BSN, start and end, target group, activities and hours, result."
        ),
        kind="funder_xlsx",
        columns=tuple(column.header for column in COLUMNS),
        streams=None,
        writer=funder_workbook,
        reauthenticate=True,
        order=90,
    )
)

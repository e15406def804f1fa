"""The cohort dashboard (projectleider, regisseur), the names behind its numbers, its Excel
exports, the funder list and the national view, as a package like ``reporting.dossier``:

- ``metrics``: what is counted (definitions, rows, the small-cell rule);
- ``figures``: the selectors that count it, per cohort, programme, academy and period;
- ``drill``: the names behind one number;
- ``forms``: the filters; ``exports``: the Excel kinds (registered in ``ReportingConfig``);
- ``views``: the pages.

What other modules take from here is re-exported below.
"""

from .figures import (
    ACADEMY_GROUPING,
    BRANCH_GROUPING,
    COHORT_GROUPING,
    Filters,
    Grouping,
    academy_routes,
    academy_scope,
    dashboard_build,
    dashboard_build_cached,
    dashboard_cohorts,
    dashboard_names_routes,
    dashboard_programmes,
    dashboard_scope,
    groups_build,
    national_academies,
    national_branches,
    national_group_keys,
    national_scope,
)
from .metrics import Dashboard, Group, Row, SurvivalPoint, published_count, small_cell

__all__ = [
    "ACADEMY_GROUPING",
    "BRANCH_GROUPING",
    "COHORT_GROUPING",
    "Dashboard",
    "Filters",
    "Group",
    "Grouping",
    "Row",
    "SurvivalPoint",
    "academy_routes",
    "academy_scope",
    "dashboard_build",
    "dashboard_build_cached",
    "dashboard_cohorts",
    "dashboard_names_routes",
    "dashboard_programmes",
    "dashboard_scope",
    "groups_build",
    "national_academies",
    "national_branches",
    "national_group_keys",
    "national_scope",
    "published_count",
    "small_cell",
]

"""Who may use the agenda and the settings of their own day."""

from __future__ import annotations

import rules

from maatwerq.accounts.rules import (
    is_beheerder,
    is_coach,
    is_projectleider,
    is_regisseur,
    is_werkgever,
)

has_agenda = is_coach | is_regisseur | is_projectleider | is_werkgever

# The week's agenda and the calendar feed: the roles with dated work about young people.
rules.add_perm("home.view_agenda", has_agenda)
# The daily digest's setting: everyone whose start page has a work queue.
rules.add_perm("home.change_own_day", has_agenda | is_beheerder)

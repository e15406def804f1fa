"""Who may do what in the participant portal. Views declare these; templates ask them too.

- the participant (a deelnemer login linked to their own record, while it is open): reads the
  plain view, adds reflections and their well-being, gives and withdraws consents, revokes a
  guardian's access, and requests their own dossier;
- a parent or guardian (a deelnemer login with a GuardianAccess): reads the plain view only;
- the participant's own coach and the regisseur: invite the participant to the portal; the
  regisseur alone records a guardian's access (the participant's agreement and their own).

The objectless permissions read the user's own portal access (portal.selectors), so they
also serve as a report kind's permission (reporting.registry checks it without an object).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from maatwerq.accounts.rules import is_regisseur
from participants.rules import in_acting_academy, is_own_coach

from .selectors import portal_access_for

if TYPE_CHECKING:
    from maatwerq.accounts.access import AnyUser


@rules.predicate
def has_open_portal(user: AnyUser) -> bool:
    access = portal_access_for(user)
    return access is not None and access.is_open


@rules.predicate
def is_the_participant(user: AnyUser) -> bool:
    access = portal_access_for(user)
    return access is not None and access.acts_for_self


rules.add_perm("portal.use_portal", has_open_portal)
rules.add_perm("portal.add_reflection", is_the_participant)
rules.add_perm("portal.report_wellbeing", is_the_participant)
rules.add_perm("portal.change_own_consents", is_the_participant)
# The permission of the participant variant of the PDF dossier (reporting.dossier): only the
# participant, for their own record (the generator takes the record from the requester).
rules.add_perm("portal.request_own_dossier", is_the_participant)

# Staff side (object: a participant from participants.selectors.participant_get_for_user).
rules.add_perm("portal.invite_participant", in_acting_academy & (is_regisseur | is_own_coach))
rules.add_perm("portal.manage_guardians", in_acting_academy & is_regisseur)

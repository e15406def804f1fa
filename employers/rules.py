"""Who may do what with employers, placements and the employer's workplace pages.

- coach and regisseur: keep the employers of their academy (details, locations, contacts,
  commitments, vacancies), see candidates for a vacancy, record placements of participants
  they keep the record of (own caseload; the regisseur the whole academy);
- projectleider: reads employers, placements and SROI statements; changes nothing;
- werkgever (employer or leermeester login): the employer's workplace pages only, with their own
  trainees (participants_visible_to), and the SROI statement of their own employer.

Objects: an employer, or a participant (from a scoped selector), as named per permission.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from maatwerq.accounts.access import active_membership
from maatwerq.accounts.rules import is_coach, is_projectleider, is_regisseur, is_werkgever
from participants.rules import in_acting_academy, is_own_coach

if TYPE_CHECKING:
    from maatwerq.accounts.access import AnyUser

    from .models import Employer


@rules.predicate
def employer_in_acting_academy(user: AnyUser, employer: Employer) -> bool:
    membership = active_membership(user)
    return membership is not None and membership.academy_id == employer.academy_id


@rules.predicate
def is_own_employer(user: AnyUser, employer: Employer) -> bool:
    membership = active_membership(user)
    return (
        membership is not None
        and membership.employer_id is not None
        and membership.employer_id == employer.pk
    )


keeps_employers = is_coach | is_regisseur
reads_employers = is_coach | is_regisseur | is_projectleider

# Staff screens (no object: the list; object: an employer).
rules.add_perm("employers.view_employers", reads_employers)
rules.add_perm("employers.view_employer", employer_in_acting_academy & reads_employers)
rules.add_perm("employers.add_employer", keeps_employers)
rules.add_perm("employers.change_employer", employer_in_acting_academy & keeps_employers)
# Candidates for a vacancy: never for the employer (they see a trainee only once placed).
rules.add_perm("employers.view_candidates", keeps_employers)
rules.add_perm("employers.view_placements", reads_employers)
rules.add_perm("employers.add_placement", keeps_employers)
# A placement of one participant (object: the participant).
rules.add_perm("employers.manage_placements", in_acting_academy & (is_regisseur | is_own_coach))
# Trials ending and arrangements running out: the coach's (and regisseur's) list.
rules.add_perm("employers.view_watchlist", keeps_employers)
# The SROI statement (object: the employer).
rules.add_perm(
    "employers.view_sroi",
    (is_werkgever & is_own_employer)
    | (employer_in_acting_academy & (is_regisseur | is_projectleider)),
)

# The employer's workplace pages (object for the last two: a trainee from their scoped
# selector).
rules.add_perm("employers.use_workplace", is_werkgever)
rules.add_perm("employers.confirm_hours", is_werkgever)
rules.add_perm("employers.add_workplace_assessment", is_werkgever)

# The employer chooses who trains (employers.candidates). The regisseur proposes a participant
# and starts the trial placement from the employer's yes (object: the participant); the
# werkgever reads its own vacancies' candidates and decides (the selectors scope them).
rules.add_perm("employers.propose_candidate", in_acting_academy & is_regisseur)
rules.add_perm("employers.start_candidate_trial", in_acting_academy & is_regisseur)
rules.add_perm("employers.choose_candidates", is_werkgever)

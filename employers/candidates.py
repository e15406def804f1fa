"""The employer chooses who trains (seed 002, Nieuwe Banen: "de werkgever beslist"): the
regisseur proposes participants for a vacancy, the employer reads each candidate's work
profile and invites one to a conversation, says yes or no with a reason, and the regisseur
starts the trial placement from a yes.

One entity, its reads and writes together (employers.selectors is at its size limit):

- reads, scoped: staff see the proposals of the participants they may see; a werkgever sees
  the candidates of its own employer's vacancies, and of each only while the participant's
  consent "kandidaatprofiel" holds today (checked when the page is built): without it the
  candidate does not exist for the employer, not even a first name. What the employer sees
  is a plain dataclass with the fields of the work profile, never a model instance;
- writes: one function per state change, keyword-only, ``by`` the acting user, one audit
  event each, inside one transaction.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from leerroutes.models import Certificate, Goal, GoalKind
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log
from participants.models import ENDED_STATUSES, Consent, ConsentScope, Participant
from participants.selectors import participants_visible_to

from .models import (
    UNDECIDED_STATUSES,
    Candidate,
    CandidateDecision,
    CandidateStatus,
    Vacancy,
)
from .selectors import (
    WORK_CERTIFICATE_KINDS,
    employers_visible_to,
    phase_annotations,
    workplace_employer,
)

if TYPE_CHECKING:
    from maatwerq.accounts.access import AnyUser
    from maatwerq.accounts.models import User

    from .models import Placement

DECISIONS = (CandidateStatus.YES, CandidateStatus.NO)


def _today() -> date:
    return timezone.localdate()


def profile_consent_holds(on: date) -> Exists:
    """The candidate's participant holds the consent "kandidaatprofiel" on a day (as
    participants.selectors.consent_is_active, inside one query of candidates)."""
    return Exists(
        Consent.objects.filter(
            participant=OuterRef("participant"),
            scope=ConsentScope.CANDIDATE_PROFILE,
            given_on__lte=on,
        ).filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))
    )


# --- staff -----------------------------------------------------------------------------------


def proposals_of(user: AnyUser, vacancy: Vacancy, today: date | None = None) -> list[Candidate]:
    """The candidates proposed for a (scoped) vacancy, of the participants the user may see,
    with whether the employer can see their profile today (``profile_shared``)."""
    today = today or _today()
    return list(
        Candidate.objects.filter(
            vacancy=vacancy, participant__in=participants_visible_to(user).values("pk")
        )
        .annotate(profile_shared=profile_consent_holds(today))
        .select_related("participant", "proposed_by", "decided_by", "placement")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=CandidateDecision.objects.select_related("decided_by"),
                to_attr="decision_history",
            )
        )
        .order_by("proposed_at", "pk")
    )


def candidate_get_for_staff(user: AnyUser, candidate_id: object) -> Candidate:
    """One candidate of a vacancy of the acting academy, of a participant the user may see;
    404 otherwise (and for a malformed id)."""
    try:
        public_id = uuid.UUID(str(candidate_id))
    except ValueError as error:
        raise Http404 from error
    return get_object_or_404(
        Candidate.objects.filter(
            vacancy__employer__in=employers_visible_to(user),
            participant__in=participants_visible_to(user).values("pk"),
        ).select_related("vacancy__employer", "participant__current_route"),
        public_id=public_id,
    )


def employer_answers_for(user: AnyUser) -> list[Candidate]:
    """The employers' yes to candidates the user may see whose trial has not started: the
    regisseur's cue to start it (the watchlist)."""
    return list(
        Candidate.objects.filter(
            status=CandidateStatus.YES,
            vacancy__employer__in=employers_visible_to(user),
            participant__in=participants_visible_to(user).values("pk"),
        )
        .select_related("participant", "vacancy__employer")
        .order_by("decided_at", "pk")
    )


# --- the employer's workplace pages ---------------------------------------------------------


def workplace_vacancies(user: AnyUser, today: date | None = None) -> QuerySet[Vacancy]:
    """The open vacancies of the werkgever's own employer, each with the number of candidates
    whose profile the employer may see today (``candidate_count``); 404 for anyone else."""
    today = today or _today()
    visible = (
        _workplace_candidates_qs(user, today)
        .filter(vacancy=OuterRef("pk"))
        .order_by()
        .values("vacancy")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Vacancy.objects.filter(employer=workplace_employer(user), is_open=True)
        .select_related("programme", "location")
        .annotate(
            candidate_count=Coalesce(Subquery(visible, output_field=IntegerField()), Value(0))
        )
        .order_by("starts_on", "pk")
    )


def workplace_vacancy_get(user: AnyUser, pk: int | str) -> Vacancy:
    """An open vacancy of the werkgever's own employer; 404 otherwise."""
    return get_object_or_404(
        Vacancy.objects.filter(employer=workplace_employer(user), is_open=True).select_related(
            "programme", "location"
        ),
        pk=pk,
    )


def _shown_to_employers(today: date) -> QuerySet[Candidate]:
    """The candidates an employer sees today: of an open vacancy, the profile consent holding,
    the route not ended."""
    return (
        Candidate.objects.filter(vacancy__is_open=True)
        .filter(profile_consent_holds(today))
        .exclude(participant__current_route__status__in=ENDED_STATUSES)
    )


def _workplace_candidates_qs(user: AnyUser, today: date) -> QuerySet[Candidate]:
    return _shown_to_employers(today).filter(vacancy__employer=workplace_employer(user))


def candidacies_shown_of(participant: Participant, today: date | None = None) -> list[Candidate]:
    """The young person's own candidacies whose work profile an employer sees today (the same
    rule as the employer's pages), for the portal's "who sees my data"."""
    return list(
        _shown_to_employers(today or _today())
        .filter(participant=participant)
        .select_related("vacancy__employer")
        .order_by("vacancy__employer__name", "vacancy__function", "pk")
    )


def workplace_candidate_get(user: AnyUser, candidate_id: object) -> Candidate:
    """A candidate of the werkgever's own open vacancy whose profile consent holds today;
    404 otherwise: a candidate without that consent does not exist for the employer."""
    try:
        public_id = uuid.UUID(str(candidate_id))
    except ValueError as error:
        raise Http404 from error
    return get_object_or_404(
        _workplace_candidates_qs(user, _today()).select_related("vacancy", "participant"),
        public_id=public_id,
    )


@dataclass(frozen=True)
class CandidateProfile:
    """What a candidate employer sees of a young person: the work profile they agreed to
    share. A first name, never a last name; no contact details, care, support goals or
    anything the academy keeps."""

    public_id: uuid.UUID
    participant_id: uuid.UUID  # for the audit only; never in a template
    first_name: str
    programme: str
    phase: str
    certificates: list[str]
    work_goals: list[str]
    status: str
    status_label: str
    conversation_on: date | None
    decision_reason: str
    undecided: bool
    decision_changeable: bool


def workplace_candidates(
    user: AnyUser, vacancy: Vacancy, today: date | None = None
) -> list[CandidateProfile]:
    """The candidates of one of the werkgever's own vacancies (from workplace_vacancy_get)
    whose consent "kandidaatprofiel" holds today, with their work profile. A fixed number of
    queries, whatever the number of candidates."""
    today = today or _today()
    candidates = list(
        _workplace_candidates_qs(user, today)
        .filter(vacancy=vacancy)
        .select_related("participant__current_route__programme")
        .order_by("proposed_at", "pk")
    )
    participant_ids = [c.participant_id for c in candidates]
    route_ids = [
        c.participant.current_route_id for c in candidates if c.participant.current_route_id
    ]
    phases: dict[uuid.UUID, str] = dict(
        Participant.objects.filter(pk__in=participant_ids)
        .annotate(**phase_annotations())
        # phase_name comes from phase_annotations(), which the type checker cannot follow.
        .values_list("pk", "phase_name")  # type: ignore[misc]
    )
    certificates: defaultdict[uuid.UUID, list[str]] = defaultdict(list)
    for route_id, title in (
        Certificate.objects.filter(route__in=route_ids, kind__in=WORK_CERTIFICATE_KINDS)
        .order_by("-issued_on", "pk")
        .values_list("route_id", "title")
    ):
        certificates[route_id].append(title)
    goals: defaultdict[uuid.UUID, list[str]] = defaultdict(list)
    # Work goals only: support goals (debts, housing, care) never leave the academy.
    for route_id, text in (
        Goal.objects.filter(route__in=route_ids, kind=GoalKind.WORK)
        .order_by("order", "pk")
        .values_list("route_id", "description")
    ):
        goals[route_id].append(text)
    profiles = []
    for c in candidates:
        route = c.participant.current_route
        profiles.append(
            CandidateProfile(
                public_id=c.public_id,
                participant_id=c.participant_id,
                first_name=c.participant.first_name,
                programme=route.programme.name if route else "",
                phase=phases.get(c.participant_id, ""),
                certificates=certificates.get(route.pk, []) if route else [],
                work_goals=goals.get(route.pk, []) if route else [],
                status=c.status,
                status_label=c.get_status_display(),
                conversation_on=c.conversation_on,
                decision_reason=c.decision_reason if c.status in DECISIONS else "",
                undecided=c.status in UNDECIDED_STATUSES,
                decision_changeable=c.status in DECISIONS,
            )
        )
    return profiles


# --- writes ----------------------------------------------------------------------------------


def _refuse(field_name: str | None, message: str) -> ValidationError:
    return ValidationError({field_name: message} if field_name else message)


def _audit(candidate: Candidate, action: str, by: User, **detail: object) -> None:
    audit_log(
        actor=by,
        action=action,
        obj=candidate,
        participant=candidate.participant,
        academy=candidate.vacancy.employer.academy,
        detail={"vacancy": candidate.vacancy_id, **detail},
    )


def candidate_propose(*, vacancy: Vacancy, participant: Participant, by: User) -> Candidate:
    """The regisseur proposes a participant for a vacancy. The employer sees the candidate
    only while the participant's consent "kandidaatprofiel" holds.
    Side effects: creates the Candidate; one CREATE audit event."""
    route = participant.current_route
    if participant.academy_id != vacancy.employer.academy_id:
        raise _refuse(None, _("This person belongs to another academy."))
    if not vacancy.is_open:
        raise _refuse(None, _("This vacancy is closed."))
    if route is None or route.status in ENDED_STATUSES:
        raise _refuse(None, _("This person has no running route."))
    if route.programme_id != vacancy.programme_id:
        raise _refuse(None, _("This person follows another programme than the vacancy's."))
    with transaction.atomic():
        if Candidate.objects.filter(vacancy=vacancy, participant=participant).exists():
            raise _refuse(None, _("This person has already been proposed for this vacancy."))
        candidate = Candidate.objects.create(
            vacancy=vacancy, participant=participant, proposed_by=by
        )
        _audit(candidate, Action.CREATE, by, change="proposed")
    return candidate


def _locked_undecided(candidate: Candidate) -> Candidate:
    locked = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("vacancy__employer__academy", "participant")
        .get(pk=candidate.pk)
    )
    if locked.status not in UNDECIDED_STATUSES:
        raise _refuse(None, _("You have already decided about this candidate."))
    return locked


def candidate_invite(*, candidate: Candidate, conversation_on: date, by: User) -> Candidate:
    """The employer invites a candidate to a conversation on a day (today or later; a new
    day moves it). Side effects: updates the Candidate (status invited); one UPDATE audit
    event. The regisseur sees it on the vacancy's candidates page."""
    if conversation_on < _today():
        raise _refuse("conversation_on", _("Choose today or a day to come."))
    with transaction.atomic():
        candidate = _locked_undecided(candidate)
        candidate.status = CandidateStatus.INVITED
        candidate.conversation_on = conversation_on
        candidate.save(update_fields=["status", "conversation_on"])
        _audit(candidate, Action.UPDATE, by, change="invited")
    return candidate


def candidate_decide(*, candidate: Candidate, decision: str, reason: str, by: User) -> Candidate:
    """The employer says yes or no to a candidate, with a reason, and may change its mind until
    the regisseur starts the trial placement. Side effects: a CandidateDecision row (the
    history the regisseur reads); updates the Candidate (status yes or no, reason, who and
    when); one UPDATE audit event ("decided", or "decision_changed" with the decision before).
    A yes lets the regisseur start the trial placement; a no after a yes takes that away."""
    if decision not in DECISIONS:
        raise _refuse("decision", _("Choose yes or no."))
    reason = (reason or "").strip()
    if not reason:
        raise _refuse("reason", _("Give a reason: the academy and the young person read it."))
    with transaction.atomic():
        candidate = (
            Candidate.objects.select_for_update(of=("self",))
            .select_related("vacancy__employer__academy", "participant")
            .get(pk=candidate.pk)
        )
        if candidate.status not in (*UNDECIDED_STATUSES, *DECISIONS):
            raise _refuse(None, _("The trial placement has started: the decision is final."))
        before = candidate.status if candidate.status in DECISIONS else None
        candidate.status = decision
        candidate.decision_reason = reason
        candidate.decided_by = by
        candidate.decided_at = timezone.now()
        candidate.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
        CandidateDecision.objects.create(
            candidate=candidate,
            decision=decision,
            reason=reason,
            decided_by=by,
            decided_at=candidate.decided_at,
        )
        if before is None:
            _audit(candidate, Action.UPDATE, by, change="decided", decision=decision)
        else:
            _audit(
                candidate,
                Action.UPDATE,
                by,
                change="decision_changed",
                decision=decision,
                before=before,
            )
    return candidate


def candidate_trial_start(
    *,
    candidate: Candidate,
    trial_start_date: date,
    hours_per_week: Decimal | None = None,
    by: User,
) -> Placement:
    """The regisseur starts the trial placement of a candidate the employer said yes to: the
    route's trial step (participants.services.route_trial_start) with a trial placement at the
    vacancy's employer from the date. Side effects: those of route_trial_start (the route's
    status, the Placement, their audit events); the Candidate's status and placement; one
    UPDATE audit event of the candidate."""
    from participants.services import route_trial_start

    from .route_placements import trial_placement_running

    with transaction.atomic():
        candidate = (
            Candidate.objects.select_for_update(of=("self",))
            .select_related("vacancy__employer__academy", "participant__current_route")
            .get(pk=candidate.pk)
        )
        if candidate.status != CandidateStatus.YES:
            raise _refuse(None, _("The employer has not said yes to this candidate."))
        route = candidate.participant.current_route
        if route is None:
            raise _refuse(None, _("This person has no running route."))
        route_trial_start(
            route=route,
            trial_start_date=trial_start_date,
            employer=candidate.vacancy.employer,
            hours_per_week=hours_per_week,
            by=by,
        )
        placement = trial_placement_running(candidate.participant, trial_start_date)
        if placement is None:  # route_trial_start made it; a missing one is a bug, say so
            raise RuntimeError("the trial step made no trial placement")
        candidate.status = CandidateStatus.TRIAL
        candidate.placement = placement
        candidate.save(update_fields=["status", "placement"])
        _audit(candidate, Action.UPDATE, by, change="trial_started")
    return placement

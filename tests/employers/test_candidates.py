"""The employer chooses who trains (issue 17 item 3): the regisseur proposes, the werkgever
sees a candidate's work profile only with the consent "kandidaatprofiel", invites, decides
with a reason, and the regisseur starts the trial placement from the yes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from employers.models import Candidate, CandidateStatus, PlacementKind
from leerroutes.models import CertificateKind, GoalKind
from maatwerq.audit.models import Action, AuditEvent
from participants.models import ConsentScope

from ..factories import (
    CandidateFactory,
    CareNoteFactory,
    CertificateFactory,
    ConsentFactory,
    GoalFactory,
    PlanFactory,
    VacancyFactory,
    participant_in,
)

pytestmark = pytest.mark.django_db

WORK_GOAL = "WERKDOEL-STRATEN-LEGGEN"
SUPPORT_GOAL = "STEUNDOEL-SCHULDEN-GEHEIM"


def _candidate(world, vacancy, first_name: str, last_name: str, *, consent: bool, today):
    """A participant of the world's programme proposed for ``vacancy``, with a work goal, a
    support goal, a VCA and a SOVA certificate and a care note; with or without consent."""
    p = participant_in(
        world.cohort, coach=world.users["coach"], first_name=first_name, last_name=last_name
    )
    plan = PlanFactory(route=p.current_route)
    GoalFactory(created_in=plan, description=f"{WORK_GOAL}-{first_name}")
    GoalFactory(created_in=plan, description=SUPPORT_GOAL, kind=GoalKind.SUPPORT)
    CertificateFactory(route=p.current_route, title=f"VCA-{first_name}")
    CertificateFactory(
        route=p.current_route, kind=CertificateKind.Q_CERTIFICATE, title="SOVA-GEHEIM"
    )
    CareNoteFactory(participant=p, text="ZORG-GEHEIM-KANDIDAAT")
    if consent:
        ConsentFactory(
            participant=p, scope=ConsentScope.CANDIDATE_PROFILE, given_on=today - timedelta(1)
        )
    return CandidateFactory(vacancy=vacancy, participant=p, proposed_by=world.users["regisseur"])


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def vacancy(world):
    return VacancyFactory(
        employer=world.employer_org, programme=world.programme, function="Stratenmaker"
    )


@pytest.fixture
def pair(world, vacancy, today):
    """Two candidates: Sanne agreed to share her profile, Mehmet did not."""
    shared = _candidate(world, vacancy, "Sanne", "Achternaamzichtbaar", consent=True, today=today)
    hidden = _candidate(world, vacancy, "Mehmet", "Geenakkoord", consent=False, today=today)
    return shared, hidden


def _page(client, vacancy) -> str:
    response = client.get(reverse("employers:workplace_vacancy", args=[vacancy.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_candidate_view_shows_nothing_without_the_consent(world, vacancy, pair, client_for):
    _shared, hidden = pair
    client = client_for("employer")
    body = _page(client, vacancy)
    # The one who agreed: first name and work profile, never the last name or the rest.
    assert "Sanne" in body
    assert f"{WORK_GOAL}-Sanne" in body
    assert "VCA-Sanne" in body
    for secret in ("Achternaamzichtbaar", SUPPORT_GOAL, "SOVA-GEHEIM", "ZORG-GEHEIM"):
        assert secret not in body
    # The one who did not: nothing at all, and their candidate pages do not exist.
    for trace in (
        "Mehmet",
        "Geenakkoord",
        f"{WORK_GOAL}-Mehmet",
        "VCA-Mehmet",
        str(hidden.public_id),
    ):
        assert trace not in body
    for name in ("employers:workplace_candidate_invite", "employers:workplace_candidate_decide"):
        assert client.get(reverse(name, args=[hidden.public_id])).status_code == 404
    # The vacancy list counts the visible candidate only.
    listing = client.get(reverse("employers:workplace_vacancies")).content.decode()
    assert "1 kandidaat" in listing


def test_a_withdrawn_consent_hides_the_candidate_at_once(world, vacancy, pair, client_for, today):
    shared, _hidden = pair
    shared.participant.consents.update(withdrawn_on=today)
    body = _page(client_for("employer"), vacancy)
    assert "Sanne" not in body
    url = reverse("employers:workplace_candidate_decide", args=[shared.public_id])
    assert client_for("employer").get(url).status_code == 404


def test_the_wrong_employer_gets_nothing(world, vacancy, pair, client_for):
    shared, _hidden = pair
    client = client_for("other_employer")
    assert client.get(reverse("employers:workplace_vacancy", args=[vacancy.pk])).status_code == 404
    for name in ("employers:workplace_candidate_invite", "employers:workplace_candidate_decide"):
        response = client.post(
            reverse(name, args=[shared.public_id]), {"conversation_on": "2030-01-01"}
        )
        assert response.status_code == 404
    listing = client.get(reverse("employers:workplace_vacancies")).content.decode()
    assert "Stratenmaker" not in listing
    assert Candidate.objects.get(pk=shared.pk).status == CandidateStatus.PROPOSED
    # The refused look at a candidate is in the audit, naming the young person.
    refused = AuditEvent.objects.filter(action=Action.REFUSED, object_type="employers.Candidate")
    assert set(refused.values_list("participant_id", flat=True)) == {shared.participant_id}


def test_a_werkgever_cannot_see_candidates_of_another_employers_vacancy(world, client_for, today):
    elsewhere = VacancyFactory(employer=world.other_employer_org, programme=world.programme)
    theirs = _candidate(world, elsewhere, "Ilse", "Andersbedrijf", consent=True, today=today)
    client = client_for("employer")
    assert (
        client.get(reverse("employers:workplace_vacancy", args=[elsewhere.pk])).status_code == 404
    )
    url = reverse("employers:workplace_candidate_invite", args=[theirs.public_id])
    assert client.get(url).status_code == 404
    assert "Ilse" not in client.get(reverse("employers:workplace_vacancies")).content.decode()
    # Their own employer does see her.
    assert "Ilse" in _page(client_for("other_employer"), elsewhere)


def test_decision_needs_a_reason(world, vacancy, pair, client_for):
    shared, _hidden = pair
    url = reverse("employers:workplace_candidate_decide", args=[shared.public_id])
    response = client_for("employer").post(url, {"decision": "ja", "reason": "  "})
    assert response.status_code == 200
    assert 'id="id_reason_error"' in response.content.decode()
    assert Candidate.objects.get(pk=shared.pk).status == CandidateStatus.PROPOSED


def test_from_proposal_to_trial_placement(world, vacancy, client_for, today):
    """The whole way: the regisseur proposes, the werkgever invites and says yes, the
    regisseur sees the decision and starts the trial placement from it."""
    p = participant_in(
        world.cohort, coach=world.users["coach"], first_name="Joris", last_name="Kandidaat"
    )
    route = p.current_route
    route.status = "gestart"
    route.save(update_fields=["status"])
    ConsentFactory(participant=p, scope=ConsentScope.CANDIDATE_PROFILE, given_on=today)
    regisseur = client_for("regisseur")
    staff_page = reverse("employers:vacancy_candidates", args=[vacancy.pk])
    assert (
        reverse("employers:candidate_propose", args=[vacancy.pk, p.pk])
        in regisseur.get(staff_page).content.decode()
    )
    regisseur.post(reverse("employers:candidate_propose", args=[vacancy.pk, p.pk]))
    candidate = Candidate.objects.get(vacancy=vacancy, participant=p)

    employer = client_for("employer")
    employer.post(
        reverse("employers:workplace_candidate_invite", args=[candidate.public_id]),
        {"conversation_on": (today + timedelta(days=3)).isoformat()},
    )
    employer.post(
        reverse("employers:workplace_candidate_decide", args=[candidate.public_id]),
        {"decision": "ja", "reason": "Sterk gesprek, wil graag buiten werken."},
    )
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.YES
    assert candidate.conversation_on == today + timedelta(days=3)
    assert candidate.decided_by == world.users["employer"]

    body = regisseur.get(staff_page).content.decode()
    assert "Sterk gesprek, wil graag buiten werken." in body
    # The yes waits on the regisseur's watchlist until the trial starts.
    watchlist = reverse("employers:watchlist")
    assert f"proposal-{candidate.public_id}" in regisseur.get(watchlist).content.decode()
    trial_url = reverse("employers:candidate_trial_start", args=[candidate.public_id])
    assert trial_url in body
    response = regisseur.post(
        trial_url, {"trial_start_date": today.isoformat(), "hours_per_week": "32"}
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    route.refresh_from_db()
    assert candidate.status == CandidateStatus.TRIAL
    assert candidate.placement.employer == world.employer_org
    assert candidate.placement.kind == PlacementKind.TRIAL
    assert candidate.placement.start_date == today
    assert route.status == "proefperiode"
    assert route.trial_start_date == today
    assert f"proposal-{candidate.public_id}" not in regisseur.get(watchlist).content.decode()
    changes = AuditEvent.objects.filter(object_type="employers.Candidate", participant_id=p.pk)
    assert sorted(e.detail["change"] for e in changes.exclude(action=Action.READ)) == [
        "decided",
        "invited",
        "proposed",
        "trial_started",
    ]


def test_only_the_regisseur_proposes_and_starts_the_trial(world, vacancy, client_for, today):
    p = world.participant  # the coach's own participant
    coach = client_for("coach")
    url = reverse("employers:candidate_propose", args=[vacancy.pk, p.pk])
    assert (
        url
        not in coach.get(
            reverse("employers:vacancy_candidates", args=[vacancy.pk])
        ).content.decode()
    )
    assert coach.post(url).status_code == 403
    candidate = CandidateFactory(vacancy=vacancy, participant=p, status=CandidateStatus.YES)
    trial = reverse("employers:candidate_trial_start", args=[candidate.public_id])
    assert coach.post(trial, {"trial_start_date": today.isoformat()}).status_code == 403
    assert not Candidate.objects.filter(vacancy=vacancy, participant=p, placement__isnull=False)


def test_a_trial_needs_the_employers_yes(world, vacancy, pair, client_for, today):
    shared, _hidden = pair  # still proposed
    url = reverse("employers:candidate_trial_start", args=[shared.public_id])
    response = client_for("regisseur").post(url, {"trial_start_date": today.isoformat()})
    assert response.status_code == 200
    assert "nog geen ja" in response.content.decode()
    assert Candidate.objects.get(pk=shared.pk).placement is None


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_candidate_page_query_count_does_not_grow(world, vacancy, client_for, today):
    client = client_for("employer")
    url = reverse("employers:workplace_vacancy", args=[vacancy.pk])
    for i in range(2):
        _candidate(world, vacancy, f"Twee{i}", f"A{i}", consent=True, today=today)
    two = _count(client, url)
    for i in range(18):
        _candidate(world, vacancy, f"Twintig{i}", f"B{i}", consent=True, today=today)
    twenty = _count(client, url)
    assert "Twintig17" in client.get(url).content.decode()
    assert two == twenty


@pytest.mark.parametrize(
    ("name", "persona"),
    [
        ("employers:workplace_candidate_invite", "employer"),
        ("employers:workplace_candidate_decide", "employer"),
        ("employers:candidate_trial_start", "regisseur"),
    ],
)
def test_candidate_pages_write_one_read_naming_them(
    world, vacancy, pair, client_for, name, persona
):
    shared, _hidden = pair
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    assert client_for(persona).get(reverse(name, args=[shared.public_id])).status_code == 200
    events = list(AuditEvent.objects.filter(pk__gt=last))
    assert [(e.action, e.actor_id, e.participant_id) for e in events] == [
        (Action.READ, world.users[persona].pk, shared.participant_id)
    ]


def test_the_employer_changes_its_decision_until_the_trial_starts(
    world, vacancy, pair, client_for, today
):
    """Yes, then no, then yes again: each change audited, the regisseur reads the latest and
    the history; once the trial placement starts the decision is final. The other employer
    cannot touch it."""
    shared, _hidden = pair
    route = shared.participant.current_route
    route.status = "gestart"
    route.save(update_fields=["status"])
    decide = reverse("employers:workplace_candidate_decide", args=[shared.public_id])
    employer = client_for("employer")
    employer.post(decide, {"decision": "ja", "reason": "EERSTE-JA"})
    body = _page(employer, vacancy)
    assert decide in body
    assert "Besluit wijzigen" in body
    page = employer.get(decide).content.decode()
    assert "EERSTE-JA" in page  # the form starts from the decision it changes
    employer.post(decide, {"decision": "nee", "reason": "TOCH-NEE"})
    assert client_for("other_employer").post(
        decide, {"decision": "ja", "reason": "VREEMD"}
    ).status_code in (403, 404)
    shared.refresh_from_db()
    assert (shared.status, shared.decision_reason) == (CandidateStatus.NO, "TOCH-NEE")
    staff_page = reverse("employers:vacancy_candidates", args=[vacancy.pk])
    regisseur = client_for("regisseur")
    body = regisseur.get(staff_page).content.decode()
    trial_url = reverse("employers:candidate_trial_start", args=[shared.public_id])
    assert "TOCH-NEE" in body
    assert "EERSTE-JA" in body
    assert "2 besluiten" in body
    assert trial_url not in body  # a no: nothing to start
    employer.post(decide, {"decision": "ja", "reason": "WEER-JA"})
    body = regisseur.get(staff_page).content.decode()
    assert body.index("WEER-JA") < body.index("TOCH-NEE") < body.index("EERSTE-JA")
    assert trial_url in body
    assert list(shared.decisions.values_list("decision", "reason")) == [
        ("ja", "WEER-JA"),
        ("nee", "TOCH-NEE"),
        ("ja", "EERSTE-JA"),
    ]
    events = AuditEvent.objects.filter(
        object_type="employers.Candidate", object_id=str(shared.pk), action=Action.UPDATE
    ).order_by("pk")
    assert [(e.detail["change"], e.detail.get("before")) for e in events] == [
        ("decided", None),
        ("decision_changed", "ja"),
        ("decision_changed", "nee"),
    ]
    assert all(e.actor == world.users["employer"] for e in events)
    regisseur.post(trial_url, {"trial_start_date": today.isoformat()})
    shared.refresh_from_db()
    assert shared.status == CandidateStatus.TRIAL
    assert "Besluit wijzigen" not in _page(employer, vacancy)
    response = employer.post(decide, {"decision": "nee", "reason": "TE-LAAT"})
    assert "proefplaatsing is begonnen" in response.content.decode()
    shared.refresh_from_db()
    assert shared.status == CandidateStatus.TRIAL
    assert shared.decisions.count() == 3

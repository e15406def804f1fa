"""A consent asked, not yet answered (issue 17): the regisseur asks from the participant's
consent page, the young person answers in the portal, the regisseur's work queue lists the
open questions with their age; every step audited, nobody else asks or answers."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from home.selectors import home_context
from maatwerq.accounts.access import active_membership
from maatwerq.accounts.models import Role
from maatwerq.audit.models import AuditEvent
from participants.models import Consent, ConsentRequest

from ..factories import MembershipFactory, UserFactory
from ..portal.conftest import make_deelnemer

pytestmark = pytest.mark.django_db


def _ask_url(participant) -> str:
    return reverse("participants:consent_request_ask", args=[participant.pk])


def _queue(user) -> list:
    sections = {s.key: s for s in home_context(user, active_membership(user))["queue"]}
    return sections["consent_requests"].entries if "consent_requests" in sections else []


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_asked_answered_in_the_portal_and_gone_from_the_queue(world, client_for):
    daan = world.participant
    deelnemer = _login(make_deelnemer(world))
    regisseur = client_for("regisseur")
    page = regisseur.get(reverse("participants:participant_consents", args=[daan.pk]))
    assert _ask_url(daan) in page.content.decode()
    response = regisseur.post(_ask_url(daan), {"scope": "kandidaatprofiel"})
    assert response.status_code == 302
    asked = ConsentRequest.objects.get(participant=daan)
    assert (asked.scope, asked.asked_by, asked.answered_at) == (
        "kandidaatprofiel",
        world.users["regisseur"],
        None,
    )
    # Asking the same again is refused next to the field, the choice kept.
    again = regisseur.post(_ask_url(daan), {"scope": "kandidaatprofiel"})
    assert "al gevraagd en wacht op antwoord" in again.content.decode()
    assert re.search(r'<option value="kandidaatprofiel"[^>]*selected', again.content.decode())
    # Three days later, the regisseur's queue shows it with its age; the coach's has no card.
    ConsentRequest.objects.filter(pk=asked.pk).update(asked_at=timezone.now() - timedelta(days=3))
    (entry,) = _queue(world.users["regisseur"])
    assert entry.name == daan.full_name
    assert entry.note.endswith("3 dagen geleden gevraagd")
    assert entry.url.startswith(reverse("participants:participant_consents", args=[daan.pk]))
    assert _queue(world.users["coach"]) == []
    staff_page = regisseur.get(entry.url).content.decode()
    assert "Wacht op antwoord, 3 dagen" in staff_page

    home = deelnemer.get(reverse("portal:home")).content.decode()
    assert "De academie vraagt je toestemming voor iets." in home
    privacy = deelnemer.get(reverse("portal:privacy")).content.decode()
    assert f'id="consent-question-{asked.pk}"' in privacy
    answer = reverse("portal:consent_request_answer", args=[asked.pk])
    deelnemer.post(answer, {"answer": "ja"})
    asked.refresh_from_db()
    assert asked.answer == "gegeven"
    assert asked.answered_at is not None
    consent = Consent.objects.get(participant=daan, scope="kandidaatprofiel")
    assert asked.consent == consent
    assert (consent.given_by, consent.withdrawn_on) == ("deelnemer", None)
    assert _queue(world.users["regisseur"]) == []
    assert "vraagt je toestemming" not in deelnemer.get(reverse("portal:home")).content.decode()
    # Answered once: a second answer finds nothing to answer.
    assert deelnemer.post(answer, {"answer": "nee"}).status_code == 404
    events = AuditEvent.objects.filter(participant_id=daan.pk, detail__has_key="event")
    assert [(e.detail["event"], e.actor.email) for e in events.order_by("pk")] == [
        ("consent_requested", "regisseur@example.test"),
        ("consent_request_answered", "daan@example.test"),
    ]
    assert events.order_by("pk").last().detail["answer"] == "gegeven"
    # Asking for what already holds is refused.
    refused = regisseur.post(_ask_url(daan), {"scope": "kandidaatprofiel"})
    assert "Deze toestemming geldt al." in refused.content.decode()


def test_a_no_records_no_consent(world, client_for):
    daan = world.participant
    deelnemer = _login(make_deelnemer(world))
    client_for("regisseur").post(_ask_url(daan), {"scope": "foto"})
    asked = ConsentRequest.objects.get(participant=daan)
    url = reverse("portal:consent_request_answer", args=[asked.pk])
    # Neither yes nor no (only a hand-made post sends that): nothing recorded, still open.
    for hostile in ({"answer": "misschien"}, {}):
        response = deelnemer.post(url, hostile, follow=True)
        assert "Kies ja of nee." in response.content.decode()
        asked.refresh_from_db()
        assert (asked.answer, asked.answered_at) == ("", None)
    response = deelnemer.post(url, {"answer": "nee"}, follow=True)
    assert "je gaf geen toestemming" in response.content.decode()
    asked.refresh_from_db()
    assert asked.answer == "geweigerd"
    assert not Consent.objects.filter(participant=daan, scope="foto").exists()


def test_nobody_else_asks_or_answers(world, client_for):
    daan, noor = world.participant, world.other_participant
    make_deelnemer(world)
    # Noor's own login cannot answer Daan's question.
    noor_user = UserFactory(email="noor@example.test")
    MembershipFactory(user=noor_user, academy=world.academy, role=Role.DEELNEMER)
    noor.user = noor_user
    noor.save(update_fields=["user"])
    for persona in ("other_coach", "projectleider", "employer", "beheerder"):
        response = client_for(persona).post(_ask_url(daan), {"scope": "foto"})
        assert response.status_code in (403, 404), persona
    foreign = world.foreign_participant
    assert client_for("regisseur").post(_ask_url(foreign), {"scope": "foto"}).status_code == 404
    assert not ConsentRequest.objects.exists()
    client_for("regisseur").post(_ask_url(daan), {"scope": "foto"})
    asked = ConsentRequest.objects.get()
    url = reverse("portal:consent_request_answer", args=[asked.pk])
    assert _login(noor_user).post(url, {"answer": "ja"}).status_code == 404
    assert client_for("regisseur").post(url, {"answer": "ja"}).status_code in (403, 404)
    asked.refresh_from_db()
    assert asked.answered_at is None
    assert ConsentRequest.objects.filter(answered_at__isnull=False).count() == 0


def test_a_young_person_without_a_login_is_not_asked(world, client_for):
    noor = world.other_participant  # no login of her own
    response = client_for("regisseur").post(_ask_url(noor), {"scope": "foto"})
    assert response.status_code == 200
    assert "nog geen inlog voor de app" in response.content.decode()
    assert not ConsentRequest.objects.exists()


def _withdraw_url(asked) -> str:
    return reverse("participants:consent_request_withdraw", args=[asked.participant_id, asked.pk])


def test_the_academy_withdraws_a_question_not_yet_answered(world, client_for):
    """Asked by mistake or no longer needed: the regisseur (or the coach) withdraws it; it
    leaves the young person's app and the queue, records no consent, and may be asked again.
    Nobody else withdraws it, a GET changes nothing, and a second time is refused."""
    daan = world.participant
    deelnemer = _login(make_deelnemer(world))
    regisseur = client_for("regisseur")
    regisseur.post(_ask_url(daan), {"scope": "foto"})
    asked = ConsentRequest.objects.get(participant=daan)
    consents = reverse("participants:participant_consents", args=[daan.pk])
    assert f'id="consent-request-withdraw-{asked.pk}"' in regisseur.get(consents).content.decode()
    for persona in ("other_coach", "projectleider", "employer", "beheerder", "anonymous"):
        assert client_for(persona).post(_withdraw_url(asked)).status_code in (302, 403, 404)
    assert regisseur.get(_withdraw_url(asked)).status_code == 405
    asked.refresh_from_db()
    assert (asked.answer, asked.answered_at) == ("", None)

    page = regisseur.post(_withdraw_url(asked), follow=True).content.decode()
    assert "Vraag ingetrokken: hij staat niet meer in de app." in page
    assert "Ingetrokken door de academie op" in page
    assert f'id="consent-request-withdraw-{asked.pk}"' not in page
    asked.refresh_from_db()
    assert asked.answer == "vervallen"
    assert asked.answered_at is not None
    assert _queue(world.users["regisseur"]) == []
    assert "vraagt je toestemming" not in deelnemer.get(reverse("portal:home")).content.decode()
    answer = reverse("portal:consent_request_answer", args=[asked.pk])
    assert deelnemer.post(answer, {"answer": "ja"}).status_code == 404
    assert not Consent.objects.filter(participant=daan, scope="foto").exists()

    again = regisseur.post(_withdraw_url(asked), follow=True).content.decode()
    assert "Deze vraag is al beantwoord of ingetrokken." in again
    assert client_for("coach").post(_ask_url(daan), {"scope": "foto"}).status_code == 302
    events = AuditEvent.objects.filter(participant_id=daan.pk, detail__has_key="event")
    assert [(e.detail["event"], e.actor.email) for e in events.order_by("pk")] == [
        ("consent_requested", "regisseur@example.test"),
        ("consent_request_withdrawn", "regisseur@example.test"),
        ("consent_requested", "coach@example.test"),
    ]


def test_an_answered_question_stays_answered_and_others_are_not_reached(world, client_for):
    from django.core.exceptions import ValidationError

    from participants import services

    daan = world.participant
    deelnemer = _login(make_deelnemer(world))
    regisseur = client_for("regisseur")
    regisseur.post(_ask_url(daan), {"scope": "foto"})
    asked = ConsentRequest.objects.get(participant=daan)
    # Through another participant's address, or one of another academy: nothing found.
    for other in (world.other_participant, world.foreign_participant):
        wrong = reverse("participants:consent_request_withdraw", args=[other.pk, asked.pk])
        assert regisseur.post(wrong).status_code == 404
    deelnemer.post(reverse("portal:consent_request_answer", args=[asked.pk]), {"answer": "nee"})
    regisseur.post(_withdraw_url(asked))
    asked.refresh_from_db()
    assert asked.answer == "geweigerd"
    # A withdrawn question cannot be answered by any way round the portal either.
    regisseur.post(_ask_url(daan), {"scope": "foto"})
    second = ConsentRequest.objects.get(participant=daan, answered_at__isnull=True)
    regisseur.post(_withdraw_url(second))
    second.refresh_from_db()
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        services.consent_request_answer(
            consent_request=second, give=True, by=world.users["regisseur"]
        )
    assert refused.value.messages == ["De academie stelt deze vraag niet meer."]
    second.refresh_from_db()
    assert (second.answer, second.consent) == ("vervallen", None)

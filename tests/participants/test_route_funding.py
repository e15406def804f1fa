"""Co-funding of a route (participants.RouteFunding): the regisseur gives each funding stream
its share; the shares make 100 or are refused beside the field, the input kept; one audit
event; nobody else gets the form."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from maatwerq.accounts.models import Role
from maatwerq.audit.models import Action, AuditEvent
from participants.models import RouteFunding
from participants.services import route_shares
from tests.factories import reauthenticated
from tests.reporting.conftest import person_with_role

pytestmark = pytest.mark.django_db


def url(participant, route=None):
    route = route or participant.current_route
    return reverse("participants:route_funding", args=[participant.pk, route.pk])


def test_regisseur_splits_a_route_60_40_with_one_audit_event(world, client_for):
    daan = world.participant
    route = daan.current_route
    assert route_shares(route) == {daan.funding_stream: 100}  # no rows: the own stream
    client = client_for("regisseur")
    detail = client.get(reverse("participants:participant_detail", args=[daan.pk]))
    assert 'id="funding-link"' in detail.content.decode()
    response = client.post(url(daan), {"share_participatiewet": "60", "share_uwv": "40"})
    assert response.status_code == 302
    assert dict(
        RouteFunding.objects.filter(route=route).values_list("stream", "share_percent")
    ) == {
        "participatiewet": 60,
        "uwv": 40,
    }
    event = AuditEvent.objects.filter(action=Action.UPDATE, participant=daan).latest("id")
    assert event.detail == {"what": "route_funding", "shares": {"participatiewet": 60, "uwv": 40}}
    detail = client.get(reverse("participants:participant_detail", args=[daan.pk])).content
    assert "Financieringsaandelen: Participatiewet (gemeente) 60 %, UWV 40 %" in detail.decode()
    page = client.get(url(daan)).content.decode()
    assert 'name="share_uwv" value="40"' in page  # the form shows the shares kept
    # The person's inspection export holds them too.
    inspection = reauthenticated(client).get(
        reverse("participants:participant_data_export", args=[daan.pk])
    )
    (exported,) = json.loads(inspection.content)["routes"]
    assert exported["funding_shares"] == [
        {"stream": "Participatiewet (gemeente)", "share_percent": 60},
        {"stream": "UWV", "share_percent": 40},
    ]
    # Emptied again: the participant's own stream pays all.
    client.post(url(daan), {})
    assert not RouteFunding.objects.filter(route=route).exists()


def test_shares_that_do_not_make_100_are_refused_beside_the_field(world, client_for):
    daan = world.participant
    response = client_for("regisseur").post(
        url(daan), {"share_participatiewet": "60", "share_uwv": "30"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "De aandelen tellen op tot 90 %; samen moeten ze 100 % zijn." in body
    field = body.index('name="share_participatiewet"')
    assert body.index("De aandelen tellen op tot 90") > field  # beside the first share
    assert 'name="share_uwv" value="30"' in body  # the input kept
    assert not RouteFunding.objects.exists()
    over = client_for("regisseur").post(url(daan), {"share_uwv": "101"})
    assert over.status_code == 200
    assert not RouteFunding.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coach", 403), ("projectleider", 403), ("employer", 403), ("other_coach", 404)],
)
def test_only_the_regisseur_sets_shares(world, client_for, persona, status):
    daan = world.participant
    response = client_for(persona).post(url(daan), {"share_uwv": "100"})
    assert response.status_code == status
    assert not RouteFunding.objects.exists()
    page = client_for(persona).get(reverse("participants:participant_detail", args=[daan.pk]))
    assert 'id="funding-link"' not in page.content.decode()


def test_a_route_of_someone_else_or_another_academy_is_a_404(world, client_for):
    daan, noor = world.participant, world.other_participant
    response = client_for("regisseur").post(url(daan, noor.current_route), {"share_uwv": "100"})
    assert response.status_code == 404
    foreign = person_with_role(world.other_academy, Role.REGISSEUR, "reg-fund@tw.test")
    client = client_for("anonymous")
    client.force_login(foreign)
    assert client.post(url(daan), {"share_uwv": "100"}).status_code == 404
    assert not RouteFunding.objects.exists()

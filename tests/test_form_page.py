"""The one form page (templates/form_page.html): what stands above the form follows what the page
is about, and a form with a file field is sent as multipart by itself."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_form_with_a_file_field_is_sent_as_multipart(world, client_for):
    coach = client_for("coach")
    certificate = _get(coach, reverse("leerroutes:certificate_new", args=[world.participant.pk]))
    roc_result = _get(coach, reverse("leerroutes:roc_result_new", args=[world.participant.pk]))
    assert 'enctype="multipart/form-data"' in certificate
    assert "enctype=" not in roc_result


def test_a_form_inside_the_route_keeps_the_route_header_and_tabs(world, client_for):
    body = _get(
        client_for("coach"), reverse("leerroutes:certificate_new", args=[world.participant.pk])
    )
    assert 'class="route-tabs' in body
    assert (
        'aria-current="page" href="{}"'.format(
            reverse("leerroutes:certificates", args=[world.participant.pk])
        )
        in body
    )
    # The person is the page's one h1; the form's title is under it.
    assert body.count("<h1") == 1
    assert '<h1 class="h4 mb-0">Daan Zichtbaar</h1>' in body
    assert '<h2 class="h5" id="form-title">' in body


def test_a_participant_form_leads_back_to_the_person_with_the_route_status(world, client_for):
    body = _get(
        client_for("coach"), reverse("participants:route_intake", args=[world.participant.pk])
    )
    detail = reverse("participants:participant_detail", args=[world.participant.pk])
    assert f'<a href="{detail}">← Daan Zichtbaar</a>' in body
    assert "Route BinQ, nu:" in body
    assert "Daan Zichtbaar · MaatwerQ</title>" in body
    assert 'class="route-tabs' not in body


def test_a_placement_form_leads_back_to_the_placement(world, client_for):
    placement = world.participant.placements.get()
    body = _get(client_for("coach"), reverse("employers:placement_end", args=[placement.public_id]))
    detail = reverse("employers:placement_detail", args=[placement.public_id])
    assert f'<a href="{detail}">← Daan Zichtbaar · Nijland Infra</a>' in body


def test_the_portal_form_leads_back_to_the_trainee_and_shows_no_care_data(world, client_for):
    body = _get(
        client_for("employer"), reverse("employers:workplace_hours", args=[world.participant.pk])
    )
    trainee = reverse("employers:workplace_trainee", args=[world.participant.pk])
    assert f'<a href="{trainee}">← Daan Zichtbaar</a>' in body
    assert "ZORG-GEHEIM" not in body
    staff_page = reverse("participants:participant_detail", args=[world.participant.pk])
    assert f'href="{staff_page}"' not in body
    assert "Route BinQ" not in body

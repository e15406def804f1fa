"""The GET side of the forms: filters, periods, page numbers and versions in the query string,
fed hostile values. Whatever the query, the page answers without a 500 or a logged error,
changes no data, and shows no hostile markup unescaped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from leerroutes import services as route_services
from tests.factories import AnalysisFactory, ArrangementFactory, PlanFactory

from .conftest import FUZZ
from .hostile import (
    Field,
    changed_tables,
    db_fingerprint,
    form_fields,
    form_values,
    raw_markup_in,
    rolled_back,
    short,
)

pytestmark = pytest.mark.django_db

AUDIT = {"audit_auditevent", "audit_auditeventparticipant"}  # an event and who it names


@dataclass(frozen=True)
class Page:
    name: str
    persona: str
    url: Callable  # world -> URL
    form: Callable | None = None  # world -> the page whose GET form names the fields
    params: Callable = lambda w: {}  # world -> {param: good values} the view reads besides
    avoid: dict = field(default_factory=dict)  # as in endpoints.Endpoint; "*": every field
    export: bool = False  # a download: it writes its EXPORT audit event


def _participant(name):
    return lambda w: reverse(name, args=[w.participant.pk])


def _versions(w):
    """An analysis, an arrangement and a plan, so a version number has something to find."""
    route = w.participant.current_route
    AnalysisFactory(route=route)
    ArrangementFactory(route=route)
    PlanFactory(route=route)
    return {"version": ["1", "2"]}


PAGES = [
    Page("participants:participant_list", "coach", lambda w: reverse(
        "participants:participant_list"), params=lambda w: {"page": ["1", "2"]}),
    Page("participants:participant_export", "regisseur", lambda w: reverse(
        "participants:participant_export"),
        form=lambda w: reverse("participants:participant_list"), export=True),
    Page("employers:employer_list", "coach", lambda w: reverse("employers:employer_list"),
         params=lambda w: {"page": ["1"]}),
    Page("employers:placement_list", "coach", lambda w: reverse("employers:placement_list"),
         params=lambda w: {"page": ["1"]}),
    Page("employers:placement_create", "coach", lambda w: reverse(
        "employers:placement_create"), params=lambda w: {
            "participant": [str(w.participant.pk)], "employer": [str(w.employer_org.pk)]}),
    Page("employers:sroi", "regisseur", lambda w: reverse(
        "employers:sroi", args=[w.employer_org.pk])),
    Page("employers:sroi_export", "regisseur", lambda w: reverse(
        "employers:sroi_export", args=[w.employer_org.pk]),
        form=lambda w: reverse("employers:sroi", args=[w.employer_org.pk]), export=True),
    Page("employers:workplace_sroi", "employer", lambda w: reverse("employers:workplace_sroi")),
    Page("employers:workplace_sroi_export", "employer", lambda w: reverse(
        "employers:workplace_sroi_export"), form=lambda w: reverse("employers:workplace_sroi"),
        export=True),
    Page("leerroutes:analysis", "coach", _participant("leerroutes:analysis"), params=_versions),
    Page("leerroutes:arrangement", "coach", _participant("leerroutes:arrangement"),
         params=_versions),
    Page("leerroutes:plan", "coach", _participant("leerroutes:plan"), params=_versions),
    Page("reporting:forecast", "projectleider", lambda w: reverse("reporting:forecast")),
    Page("reporting:planner", "projectleider", lambda w: reverse("reporting:planner"),
         params=lambda w: {"programme": [str(w.programme.pk)], "remove": ["0"],
                          "add_row": ["1"]}),
    Page("reporting:dashboard", "projectleider", lambda w: reverse("reporting:dashboard")),
    Page("reporting:dashboard_names", "projectleider", lambda w: reverse(
        "reporting:dashboard_names"), form=lambda w: reverse("reporting:dashboard"),
        params=lambda w: {"show": ["m:started"], "group": [f"c:{w.cohort.pk}"],
                         "page": ["1"]}),
    Page("reporting:national", "landelijk", lambda w: reverse("reporting:national")),
    Page("reporting:funder_list", "regisseur", lambda w: reverse("reporting:funder_list")),
    Page("audit:event_list", "beheerder", lambda w: reverse("audit:event_list"),
         params=lambda w: {"page": ["1"]}),
]  # fmt: skip


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.name}-{p.persona}")
def test_hostile_query_never_500s_changes_nothing_and_stays_escaped(
    page, world, client_as, logged_errors
):
    route_services.life_domains_ensure(academy=world.academy)
    route_services.phases_ensure(programme=world.programme)
    client = client_as(page.persona)
    url = page.url(world)
    shown = client.get(page.form(world) if page.form else url)
    assert shown.status_code == 200
    fields = form_fields(shown.content.decode(), None, method="get")
    for name, good in page.params(world).items():
        fields[name] = Field(name, "text", good)
    assert fields, f"no query fields for {url}"

    @settings(FUZZ, max_examples=15)
    @given(st.data())
    def check(data):
        query = form_values(data, fields, avoid=page.avoid)
        errors_before = len(logged_errors())
        with rolled_back():
            before = db_fingerprint()
            response = client.get(url, query)
            assert response.status_code != 500, (url, short(query))
            assert not raw_markup_in(response), (url, short(query))
            changed = set(changed_tables(before, db_fingerprint()))
            assert not changed - (AUDIT if page.export else set()), (url, short(query))
        assert len(logged_errors()) == errors_before, logged_errors()[errors_before:]

    check()


@pytest.mark.parametrize(
    "token", ["\x00", "%00", "<script>alert(1)</script>", "\u00e9" * 3000, "..", "' OR 1=1 --"]
)
def test_a_hostile_invitation_link_is_refused_quietly(token, world, client_as, logged_errors):
    """The token is part of the path; a wrong one is a 410 page, nothing is created."""
    client = client_as("anonymous")
    before = db_fingerprint()
    url = reverse("accounts:invitation_accept", args=["placeholder"]).replace("placeholder", token)
    for response in (client.get(url), client.post(url, {"full_name": token})):
        assert response.status_code in {404, 410}
        assert not raw_markup_in(response)
    assert not changed_tables(before, db_fingerprint())
    assert not logged_errors()


def test_dates_at_the_end_of_the_calendar_in_a_period_filter(world, client_as, logged_errors):
    """Year 1 to year 9999 as a dashboard and SROI period: the page with its figures or the
    form's message, not a crash."""
    period = {"start_from": date.min.isoformat(), "start_to": date.max.isoformat()}
    response = client_as("projectleider").get(reverse("reporting:dashboard"), period)
    assert response.status_code == 200
    assert 'id="dashboard-filters"' in response.content.decode()
    sroi = client_as("regisseur").get(
        reverse("employers:sroi", args=[world.employer_org.pk]),
        {"start": date.min.isoformat(), "end": date.max.isoformat()},
    )
    assert sroi.status_code == 200
    assert world.employer_org.name in sroi.content.decode()
    assert not logged_errors()

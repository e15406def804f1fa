"""A leermeester on a phone opens their trainee from the start page, confirms last week's
hours (on the page of several weeks) and adds a workplace assessment; both land in the
database. Then the employer chooses a candidate for its vacancy."""

from datetime import timedelta

import pytest
from django.utils import timezone

from employers.models import EmployerLocation
from leerroutes.models import HoursWeek, LeermeesterAssessment
from maatwerq.accounts.models import Role
from tests.factories import (
    PASSWORD,
    CertificateFactory,
    EmployerContactFactory,
    GoalFactory,
    HoursWeekFactory,
    MembershipFactory,
    PlanFactory,
    UserFactory,
)

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leermeester(world):
    user = UserFactory(email="gerrit@nijland.test", full_name="Gerrit Nijland")
    MembershipFactory(
        user=user, academy=world.academy, role=Role.WERKGEVER, employer=world.employer_org
    )
    contact = EmployerContactFactory(employer=world.employer_org, name="Gerrit Nijland", user=user)
    placement = world.participant.placements.get()
    placement.leermeester = contact
    placement.location = EmployerLocation.objects.create(
        employer=world.employer_org, name="Werf Raalte", city="Raalte"
    )
    placement.hours_per_week = 32
    placement.save()
    return user


@pytest.fixture
def last_monday():
    today = timezone.localdate()
    return today - timedelta(days=today.weekday() + 7)


@pytest.fixture
def trainee(world, last_monday):
    route = world.participant.current_route
    plan = PlanFactory(route=route)
    GoalFactory(created_in=plan, status="bezig")
    GoalFactory(created_in=plan, status="behaald")
    CertificateFactory(route=route, title="VCA Basis")
    HoursWeekFactory(route=route, week_start=last_monday, practice_hours=24, theory_hours=8)
    return world.participant


def test_leermeester_confirms_hours_and_assesses_on_a_phone(
    phone_page, world, leermeester, trainee, last_monday
):
    page = phone_page
    login(page, leermeester.email, PASSWORD)
    assert "Anderman" not in page.locator("main").inner_text()
    page.locator(f"main a[href='/werkgever/deelnemers/{trainee.pk}/']").click()
    page.wait_for_load_state()
    trainee_url = page.url
    assert trainee_url.endswith(f"/werkgever/deelnemers/{trainee.pk}/")
    assert "VCA Basis" in page.locator("main").inner_text()

    # Confirm last week's hours (the coach entered 24, prefilled; it was 26.5); the weeks
    # nobody logged are marked missing and left empty, so skipped.
    page.locator("#confirm-hours").click()
    page.wait_for_load_state()
    field = page.locator(f"input[name=hours_{last_monday.isoformat()}]")
    assert field.input_value() == "24.0"
    assert page.locator(".hours-missing").count() >= 1
    field.fill("26.5")
    page.locator("button[name=save]").click()
    page.wait_for_load_state()
    assert page.url == trainee_url
    assert page.locator("#hours-weeks .badge.text-bg-success").count() == 1

    # Add a workplace assessment.
    page.locator("#add-assessment").click()
    page.wait_for_load_state()
    page.select_option("select[name=work_attitude]", "4")
    page.select_option("select[name=professional_skills]", "3")
    page.select_option("select[name=cooperation]", "4")
    page.select_option("select[name=safety]", "3")
    page.fill("textarea[name=remarks]", "Legt zelfstandig een trottoir aan, let goed op.")
    page.locator("button[name=save]").click()
    page.wait_for_load_state()
    assert page.url == trainee_url
    page.locator("#assessments").get_by_text("Legt zelfstandig een trottoir aan").wait_for()
    # No horizontal scrolling on a 375 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "leermeester-phone")

    week = HoursWeek.objects.get(route=trainee.current_route, week_start=last_monday)
    assert week.practice_hours == 26.5
    assert week.theory_hours == 8
    assert week.confirmed_by == leermeester
    assert week.confirmed_at is not None
    assessment = LeermeesterAssessment.objects.get(route=trainee.current_route)
    assert assessment.employer == world.employer_org
    assert assessment.leermeester_name == "Gerrit Nijland"
    assert (assessment.work_attitude, assessment.safety) == (4, 3)
    assert assessment.recorded_by == leermeester


def test_werkgever_chooses_a_candidate_on_a_phone(phone_page, world):
    from employers.models import Candidate, CandidateStatus
    from tests.factories import CandidateFactory, ConsentFactory, VacancyFactory, participant_in

    vacancy = VacancyFactory(employer=world.employer_org, programme=world.programme)
    sanne = participant_in(world.cohort, coach=world.users["coach"], first_name="Sanne")
    ConsentFactory(participant=sanne, scope="kandidaatprofiel", given_on=timezone.localdate())
    candidate = CandidateFactory(vacancy=vacancy, participant=sanne)
    page = phone_page
    login(page, world.users["employer"].email, PASSWORD)
    page.goto(page.base_url + "/werkgever/")
    page.get_by_role("link", name="Vacatures en kandidaten").click()
    page.wait_for_load_state()
    page.locator("#vacancies a").first.click()
    page.wait_for_load_state()
    assert "Sanne" in page.locator("main").inner_text()
    page.get_by_role("link", name="Besluiten").click()
    page.wait_for_load_state()
    page.locator("input[name=decision][value=ja]").check()
    page.fill("textarea[name=reason]", "Goed gesprek, kan in maart beginnen.")
    page.locator("button[name=save]").click()
    page.wait_for_load_state()
    assert "Goed gesprek" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "werkgever-candidate-phone")
    candidate = Candidate.objects.get(pk=candidate.pk)
    assert candidate.status == CandidateStatus.YES
    assert candidate.decided_by == world.users["employer"]

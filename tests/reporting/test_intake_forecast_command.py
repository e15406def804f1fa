"""python manage.py intake_forecast: exact CSV for a plan, exit status 2 with a message that
names the line for bad input."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import CohortFactory, ProgrammeFactory

PLAN = """group,start,size,duration
Groep 1,2025-09,12,4
Groep 2,2026-02,10,4
Groep 3,2026-09,12,2
"""


def run(*args, **options):
    out, err = StringIO(), StringIO()
    call_command("intake_forecast", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def run_failing(*args) -> str:
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("intake_forecast", *args, stdout=out, stderr=err)
    assert exit_info.value.code == 2
    assert out.getvalue() == ""
    return err.getvalue()


@pytest.fixture
def plan_file(tmp_path):
    def write(text: str) -> str:
        path = tmp_path / "plan.csv"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_plan_gives_exact_csv(plan_file):
    out, err = run("--plan", plan_file(PLAN), "--from", "2025-09", "--to", "2028-02")
    assert out == (
        "group,2025-09,2026-02,2026-09,2027-02,2027-09,2028-02\n"
        "Groep 1,12,12,12,12,0,0\n"
        "Groep 2,0,10,10,10,10,0\n"
        "Groep 3,0,0,12,12,0,0\n"
        "Totaal,12,22,34,34,10,0\n"
    )
    assert err == ""


def test_months_option_and_a_group_that_ends_inside_the_period(plan_file):
    out, _ = run(
        "--plan", plan_file(PLAN), "--from", "2026-01", "--to", "2026-12", "--months", "3,9"
    )
    # Groep 3 (2026-09, one year) counts in September only; March 2026 has 1 and 2.
    assert out == (
        "group,2026-03,2026-09\nGroep 1,12,12\nGroep 2,10,10\nGroep 3,0,12\nTotaal,22,34\n"
    )


def test_keyword_options_work_like_the_command_line(plan_file):
    out, _ = run("--plan", plan_file(PLAN), **{"from": "2025-09", "to": "2025-09"})
    assert out == "group,2025-09\nGroep 1,12\nGroep 2,0\nGroep 3,0\nTotaal,12\n"


def bad(old: str, new: str) -> str:
    assert old in PLAN
    return PLAN.replace(old, new)


SIZE = "grootte moet een positief getal zijn"
HEADER = "regel 1: de kopregel moet group,start,size,duration zijn"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (bad("Groep 2,2026-02,10", "Groep 2,2026-02,-10"), f"regel 3: {SIZE}"),
        (bad("Groep 3,2026-09,12,2", "Groep 3,2026-09,twaalf,2"), f"regel 4: {SIZE}"),
        (
            bad("Groep 1,2025-09", "Groep 1,2024-13"),
            "regel 2: start moet een maand zijn als JJJJ-MM (niet '2024-13')",
        ),
        (bad("Groep 2,2026-02,10,4", "Groep 2,2026-02,10,0"), "regel 3: duur moet"),
        (bad("Groep 2,", ","), "regel 3: groepsnaam ontbreekt"),
        (bad("Groep 3,2026-09,12,2", "Groep 3,2026-09,12"), "regel 4: verwacht 4 kolommen"),
        (bad("Groep 3,", "Groep 1,"), "regel 4: groep 'Groep 1' staat al eerder in het plan"),
        (PLAN.split("\n", 1)[1], HEADER),
        ("", HEADER),
    ],
)
def test_bad_plan_exits_2_with_the_line_on_stderr(plan_file, text, message):
    err = run_failing("--plan", plan_file(text), "--from", "2025-09", "--to", "2028-02")
    assert message in err


def test_blank_lines_are_skipped_and_line_numbers_stay_true(plan_file):
    text = "group,start,size,duration\n\nGroep 1,2025-09,12,4\nGroep 2,2026-02,-1,4\n"
    err = run_failing("--plan", plan_file(text), "--from", "2025-09", "--to", "2026-09")
    assert "regel 4: grootte moet een positief getal zijn" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2027-02", "--to", "2025-09"], "--to 2025-09 ligt voor --from 2027-02"),
        (["--from", "2024-13", "--to", "2025-09"], "--from: onbekende maand '2024-13'"),
        (["--from", "2025-09", "--to", "2026-1"], "--to: onbekende maand '2026-1'"),
        (["--from", "2025-09", "--to", "2026-09", "--months", "2,13"], "--months"),
    ],
)
def test_bad_period_exits_2(plan_file, args, message):
    err = run_failing("--plan", plan_file(PLAN), *args)
    assert message in err


def test_missing_plan_file_exits_2(tmp_path):
    err = run_failing("--plan", str(tmp_path / "nope.csv"), "--from", "2025-09", "--to", "2026-09")
    assert "kan het plan" in err


def test_neither_plan_nor_programme_exits_2():
    assert "--plan" in run_failing("--from", "2025-09", "--to", "2026-09")


@pytest.mark.django_db
def test_programme_uses_its_cohorts_and_intake_months(world):
    world.programme.intake_months = [9]
    world.programme.save()
    CohortFactory(
        programme=world.programme, name="Groep 28", start_date=date(2026, 9, 1), planned_size=10
    )
    out, _ = run("--programme", "binq", "--from", "2025-01", "--to", "2027-12")
    assert out == (
        "group,2025-09,2026-09,2027-09\nGroep 27,12,12,0\nGroep 28,0,10,10\nTotaal,12,22,10\n"
    )


@pytest.mark.django_db
def test_ambiguous_programme_needs_the_academy(world):
    ProgrammeFactory(academy=world.other_academy, name="BinQ")
    err = run_failing("--programme", "BinQ", "--from", "2025-09", "--to", "2026-09")
    assert "Academie Salland, Academie Twente" in err
    assert "--academy" in err
    out, _ = run(
        "--programme",
        "BinQ",
        "--academy",
        "Academie Salland",
        "--from",
        "2025-09",
        "--to",
        "2026-02",
    )
    assert out == "group,2025-09,2026-02\nGroep 27,12,12\nTotaal,12,12\n"


@pytest.mark.django_db
def test_unknown_programme_exits_2(world):
    assert "onbekend programma 'GlinQ'" in run_failing(
        "--programme", "GlinQ", "--from", "2025-09", "--to", "2026-09"
    )


def test_dutch_excel_csv_semicolons_and_windows_1252_give_the_same_forecast(tmp_path):
    """Issue 15: Dutch Excel saves CSV with semicolons in Windows-1252; a group name with an
    accent (é is one byte there, not valid UTF-8) comes through as written."""
    text = PLAN.replace(",", ";").replace("Groep 1", "Groep één").replace("\n", "\r\n")
    path = tmp_path / "plan-excel.csv"
    path.write_bytes(text.encode("cp1252"))
    out, err = run("--plan", str(path), "--from", "2025-09", "--to", "2026-02")
    assert (
        out == "group,2025-09,2026-02\nGroep één,12,12\nGroep 2,0,10\nGroep 3,0,0\nTotaal,12,22\n"
    )
    assert err == ""


def test_a_wrong_header_names_the_separators(plan_file):
    err = run_failing(
        "--plan", plan_file("groep;start;grootte;duur\n"), "--from", "2025-09", "--to", "2026-09"
    )
    assert "komma's of puntkomma's" in err


def test_a_file_that_is_no_text_gets_a_dutch_message(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"PK\x03\x04\x81\x8d\x8f\x90\x9d" * 20)
    err = run_failing("--plan", str(path), "--from", "2025-09", "--to", "2026-09")
    assert "kan het plan" in err
    assert "Error" not in err

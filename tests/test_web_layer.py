"""The web layer (maatwerq.web): one way to write a view, and the checks that keep it the only
way.

- every URL of ours is served by a declared view (web.view or web.public), named when not;
- no views module checks a permission, refuses with a 403, catches a service's
  ValidationError or writes a READ event by hand (an AST scan; ALLOWED lists the exceptions,
  each with its reason, and fails when one is no longer needed);
- the layer itself: anonymous -> login, outside the scope -> 404, visible but not allowed ->
  403, exactly one READ for a page, the service's error beside its field with the input kept,
  a redirect (HX-Redirect for htmx) with its message.

The layer's own views below run under the project's URLconf plus a few test URLs, with the
world's personas and the participants' real scope and rules.
"""

from __future__ import annotations

import ast
import sys
from importlib import import_module
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.forms import formset_factory
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from maatwerq import web
from maatwerq.audit.models import Action, AuditEvent
from participants.selectors import participant_get_for_user

ROOT = Path(settings.BASE_DIR)

# --- every view is declared ------------------------------------------------------------------


def _walk(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, inner)
        elif isinstance(entry, URLPattern):
            yield namespace + (entry.name or str(entry.pattern)), entry


# Django's admin (superusers only; its reads are audited by maatwerq.audit.admin) is Django's
# way of writing a view, tested in tests/audit/test_admin_reads.py and tests/test_url_access.py.
NOT_OUR_WAY = ("admin:",)


def _is_ours(module_name: str) -> bool:
    """A module of this project (not allauth's, Django's or the admin's)."""
    module = sys.modules.get(module_name)
    filename = getattr(module, "__file__", None)
    if not filename:
        return False
    where = Path(filename).resolve()
    return ROOT in where.parents and not {".venv", "site-packages"} & set(where.parts)


def test_every_view_of_ours_is_declared_with_the_web_layer():
    undeclared = [
        f"{name} ({pattern.callback.__module__}.{pattern.callback.__name__})"
        for name, pattern in _walk(get_resolver())
        if _is_ours(pattern.callback.__module__)
        and not name.startswith(NOT_OUR_WAY)
        and web.declaration_of(pattern.callback) is None
    ]
    assert not undeclared, f"Declare with maatwerq.web.view (or web.public): {undeclared}"


def test_the_walk_sees_our_views_and_only_ours():
    seen = {
        name: pattern.callback.__module__
        for name, pattern in _walk(get_resolver())
        if _is_ours(pattern.callback.__module__)
    }
    assert "participants:participant_detail" in seen
    assert "account_email" in seen  # allauth's page, wrapped by ours
    assert "account_login" not in seen  # allauth's own


# --- no views module writes the preamble by hand ---------------------------------------------

# (file, function, what) -> why it stays. Each must still be found, or the test fails.
ALLOWED = {
    (
        "reporting/dashboard/views.py",
        "_scope",
        "raise PermissionDenied",
    ): "the dashboard selectors answer None to anyone without the role: a second lock behind "
    "the declared permission, not a check of its own",
}
OLD_DECORATORS = {"login_required", "permission_required", "require_POST", "require_GET"}


def _views_modules() -> list[Path]:
    skip = {".venv", "node_modules", "tests", "migrations", "bench", ".git"}
    return sorted(
        found
        for found in ROOT.rglob("*.py")
        if not skip & set(found.relative_to(ROOT).parts)
        and (found.name == "views.py" or found.name.endswith("_views.py") or "views" in found.parts)
    )


def _name_of(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _caught(handler: ast.ExceptHandler) -> set[str]:
    if handler.type is None:
        return set()
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return {_name_of(kind) for kind in kinds}


def _hand_written(node: ast.AST) -> str | None:
    """What of the view preamble a node writes by hand, if anything."""
    if isinstance(node, ast.Call) and _name_of(node) == "has_perm":
        return "has_perm("
    if isinstance(node, ast.Raise) and node.exc and _name_of(node.exc) == "PermissionDenied":
        return "raise PermissionDenied"
    if isinstance(node, ast.ExceptHandler) and "ValidationError" in _caught(node):
        return "except ValidationError"
    if isinstance(node, ast.Call) and _name_of(node) in {"audit_log", "audit_log_list"}:
        action = next((k.value for k in node.keywords if k.arg == "action"), None)
        if action is not None and _name_of(action) == "READ":
            return f"{_name_of(node)}(action=READ)"
    if isinstance(node, ast.FunctionDef):
        old = {_name_of(d) for d in node.decorator_list} & OLD_DECORATORS
        if old:
            return f"@{sorted(old)[0]}"
    if isinstance(node, ast.Call) and _name_of(node) in OLD_DECORATORS:
        return f"{_name_of(node)}("
    return None


def _findings(source: str) -> list[tuple[str, int, str]]:
    """(function, line, what) for each piece of hand-written preamble."""
    found = []

    def visit(node: ast.AST, function: str) -> None:
        inner = node.name if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else function
        what = _hand_written(node)
        if what is not None:
            found.append((inner, node.lineno, what))
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(ast.parse(source), "<module>")
    return found


def test_no_views_module_writes_the_preamble_by_hand():
    modules = _views_modules()
    assert ROOT / "participants" / "views.py" in modules
    hand_written, allowed_seen = [], set()
    for module in modules:
        relative = module.relative_to(ROOT).as_posix()
        for function, line, what in _findings(module.read_text()):
            if (relative, function, what) in ALLOWED:
                allowed_seen.add((relative, function, what))
            else:
                hand_written.append(f"{relative}:{line} {function}: {what}")
    assert not hand_written, (
        "Views declare login, scope, permission and the READ with maatwerq.web.view, ask "
        f"further permissions with web.may/web.require, and write through web.submit/web.act: "
        f"{hand_written}"
    )
    assert set(ALLOWED) - allowed_seen == set(), "ALLOWED lists an exception no longer needed"


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("def v(request):\n    request.user.has_perm('x')\n", "has_perm("),
        ("def v(request):\n    raise PermissionDenied\n", "raise PermissionDenied"),
        ("def v(request):\n    try:\n        f()\n    except (KeyError, ValidationError):\n"
         "        pass\n", "except ValidationError"),
        ("def v(request):\n    audit_log(actor=u, action=Action.READ)\n", "audit_log(action=READ)"),
        ("@login_required\ndef v(request):\n    pass\n", "@login_required"),
        ("v = login_required(View.as_view())\n", "login_required("),
    ],
)  # fmt: skip
def test_the_scan_finds_each_kind_of_hand_written_preamble(source, what):
    assert [found[2] for found in _findings(source)] == [what]


def test_the_scan_leaves_declared_views_alone():
    source = (
        "@web.view('p', scope=S)\ndef v(request, obj):\n"
        "    audit_log(actor=u, action=Action.EXPORT)\n"
        "    return web.submit(request, f, save=s, done='/')\n"
    )
    assert _findings(source) == []


# --- the layer itself: views under test URLs ------------------------------------------------

SCOPE = web.Scope(
    "participant", fetch=participant_get_for_user, participant=web.itself, detail=web.page_name
)


@web.view("participants.view_care_notes", scope=SCOPE)
def care_page(request, participant):
    return HttpResponse(f"page of {participant.last_name}")


@web.view("participants.view_care_notes", scope=SCOPE)
def care_note_page(request, participant):
    note = participant.care_notes.get()
    web.audit_page(request, note, shown="note")
    return HttpResponse("a note")


@web.view("participants.view_care_notes", scope=SCOPE)
def elsewhere(request, participant):
    return HttpResponse(status=302, headers={"Location": "/"})


@web.view("participants.add_care_note", scope=SCOPE, methods=["POST"])
def care_button(request, participant):
    def save():
        if request.POST.get("refuse"):
            raise ValidationError("Niet nu.")
        return participant

    return web.act(request, save, done="/klaar/", message="Gedaan.")


class NoteForm(forms.Form):
    title = forms.CharField()
    text = forms.CharField()


def _save_note(form):
    """A service's refusals: one beside a field, one about the whole."""
    if form.cleaned_data["text"] == "te kort":
        raise ValidationError({"text": "De tekst is te kort."})
    if form.cleaned_data["text"] == "dicht":
        raise ValidationError("Het dossier is gesloten.")
    return form.cleaned_data["title"]


def _note_form(request, participant):
    form = NoteForm(request.POST or None)
    done = web.submit(
        request,
        form,
        save=lambda: _save_note(form),
        done=lambda title: f"/klaar/{title}/",
        message=lambda title: f"Opgeslagen: {title}",
    )
    if done is not None:
        return done
    return HttpResponse(form.as_div())


note_form = web.view("participants.add_care_note", scope=SCOPE)(_note_form)
note_form_get_read = web.view("participants.add_care_note", scope=SCOPE, read=web.Read.GET)(
    _note_form
)


@web.view("participants.list_participants")
def two_reads(request):
    web.audit_list(request, [])
    web.audit_list(request, [])
    return HttpResponse()


urlpatterns = [
    *import_module(settings.ROOT_URLCONF).urlpatterns,
    path("web-test/<uuid:pk>/", care_page, name="web_care_page"),
    path("web-test/<uuid:pk>/note/", care_note_page, name="web_care_note_page"),
    path("web-test/<uuid:pk>/elsewhere/", elsewhere, name="web_elsewhere"),
    path("web-test/<uuid:pk>/button/", care_button, name="web_care_button"),
    path("web-test/<uuid:pk>/form/", note_form, name="web_note_form"),
    path("web-test/<uuid:pk>/form-get/", note_form_get_read, name="web_note_form_get_read"),
]

LAYER = pytest.mark.urls(__name__)


def _reads() -> list[tuple]:
    return [
        (e.actor_id, e.participant_id, e.object_type, e.object_id, e.detail)
        for e in AuditEvent.objects.filter(action=Action.READ).order_by("pk")
    ]


def _url(name, participant) -> str:
    return reverse(name, args=[participant.pk])


@LAYER
def test_anonymous_goes_to_the_login_page_first(world, client_for):
    url = _url("web_care_page", world.participant)
    response = client_for("anonymous").get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"
    assert _reads() == []


@LAYER
def test_anonymous_htmx_request_sends_the_whole_page_to_the_login(world, client_for):
    page = _url("participants:participant_detail", world.participant)
    response = client_for("anonymous").get(
        _url("web_care_page", world.participant),
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{page}"},
    )
    assert response["HX-Redirect"] == f"{reverse('account_login')}?next={page}"
    assert "Zichtbaar" not in response.content.decode()


@LAYER
def test_outside_the_scope_is_a_404_and_reads_nothing(world, client_for):
    response = client_for("other_coach").get(_url("web_care_page", world.participant))
    assert response.status_code == 404
    assert "Zichtbaar" not in response.content.decode()
    assert _reads() == []


@LAYER
def test_visible_but_not_allowed_is_a_403_and_reads_nothing(world, client_for):
    response = client_for("projectleider").get(_url("web_care_page", world.participant))
    assert response.status_code == 403
    assert "Zichtbaar" not in response.content.decode()
    assert _reads() == []


@LAYER
def test_a_page_gets_its_object_and_writes_exactly_one_read(world, client_for):
    daan, coach = world.participant, world.users["coach"]
    response = client_for("coach").get(_url("web_care_page", daan))
    assert response.content.decode() == "page of Zichtbaar"
    assert _reads() == [
        (coach.pk, daan.pk, "participants.Participant", str(daan.pk), {"page": "web_care_page"})
    ]


@LAYER
def test_a_page_names_the_record_it_showed(world, client_for):
    daan, coach = world.participant, world.users["coach"]
    client_for("coach").get(_url("web_care_note_page", daan))
    note = world.care_note
    assert _reads() == [
        (coach.pk, daan.pk, "participants.CareNote", str(note.pk), {"shown": "note"})
    ]


@LAYER
def test_a_redirect_is_no_page_and_reads_nothing(world, client_for):
    response = client_for("coach").get(_url("web_elsewhere", world.participant))
    assert response.status_code == 302
    assert _reads() == []


@LAYER
def test_a_wrong_method_is_a_405_for_anyone_before_the_scope(world, client_for):
    url = _url("web_care_button", world.participant)
    assert client_for("coach").get(url).status_code == 405
    assert client_for("other_coach").get(url).status_code == 405
    assert client_for("anonymous").get(url).status_code == 302  # the login first
    assert AuditEvent.objects.filter(action=Action.REFUSED).count() == 0


@LAYER
def test_a_service_error_stays_beside_its_field_with_the_input_kept(world, client_for):
    data = {"title": "Mijn titel", "text": "te kort"}
    response = client_for("coach").post(_url("web_note_form", world.participant), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "De tekst is te kort." in body
    assert 'value="Mijn titel"' in body
    assert 'value="te kort"' in body
    assert body.index("De tekst is te kort.") > body.index('name="title"')  # at text, not above
    assert len(_reads()) == 1  # the page was shown again: one READ


@LAYER
def test_a_service_error_about_the_whole_goes_above_the_form(world, client_for):
    data = {"title": "Mijn titel", "text": "dicht"}
    body = client_for("coach").post(_url("web_note_form", world.participant), data).content
    body = body.decode()
    assert "Het dossier is gesloten." in body
    assert body.index("Het dossier is gesloten.") < body.index('name="title"')


@LAYER
def test_a_write_redirects_with_its_message_and_reads_nothing(world, client_for):
    data = {"title": "titel", "text": "goed genoeg"}
    response = client_for("coach").post(_url("web_note_form", world.participant), data)
    assert (response.status_code, response["Location"]) == (302, "/klaar/titel/")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Opgeslagen: titel"]
    assert _reads() == []


@LAYER
def test_a_write_under_htmx_redirects_the_whole_page(world, client_for):
    data = {"title": "titel", "text": "goed genoeg"}
    response = client_for("coach").post(
        _url("web_note_form", world.participant), data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/klaar/titel/"


@LAYER
def test_read_get_writes_a_read_for_a_get_only(world, client_for):
    client = client_for("coach")
    url = _url("web_note_form_get_read", world.participant)
    client.post(url, {"title": "", "text": ""})
    assert _reads() == []
    client.get(url)
    assert len(_reads()) == 1


@LAYER
def test_a_button_refused_by_its_service_shows_why_and_goes_on(world, client_for):
    url = _url("web_care_button", world.participant)
    response = client_for("coach").post(url, {"refuse": "1"})
    assert (response.status_code, response["Location"]) == (302, "/klaar/")
    messages = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    assert messages == [("error", "Niet nu.")]
    response = client_for("coach").post(url)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Gedaan."]


def test_a_page_writes_one_read_event_only(world):
    request = RequestFactory().get("/")
    request.user = world.users["coach"]
    with pytest.raises(ImproperlyConfigured):
        two_reads(request)
    assert AuditEvent.objects.count() == 1


def test_reads_are_declared_by_views_only(world):
    request = RequestFactory().get("/")
    request.user = world.users["coach"]
    with pytest.raises(ImproperlyConfigured):
        web.audit_list(request, [world.participant.pk])
    assert AuditEvent.objects.count() == 0


def test_a_service_error_finds_its_row_in_a_formset():
    rows = formset_factory(NoteForm, extra=0)(
        {
            "goals-TOTAL_FORMS": "2",
            "goals-INITIAL_FORMS": "0",
            "goals-0-title": "a",
            "goals-0-text": "b",
            "goals-1-title": "c",
            "goals-1-text": "d",
        },
        prefix="goals",
    )
    head = NoteForm({"title": "t", "text": "t"})
    assert head.is_valid()
    assert rows.is_valid()
    web.add_service_error(
        ValidationError({"goals-1-text": "Te vaag.", "title": "Bestaat al.", "elders": "Fout."}),
        head,
        rows,
    )
    assert rows.forms[1].errors == {"text": ["Te vaag."]}
    assert rows.forms[0].errors == {}
    assert head.errors == {"title": ["Bestaat al."], "__all__": ["Fout."]}

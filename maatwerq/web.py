"""The one way to write a view: who may open it, which object it shows, what it logs, and how
it writes. The rule that protects the care data reads here, in one place (issue 16).

Every view of ours is declared with ``view`` (``public`` for the few pages anyone may open)::

    PARTICIPANT = web.Scope("participant", fetch=participant_get_for_user, ...)

    @web.view("participants.view_network", scope=PARTICIPANT)
    def participant_network(request, participant): ...

and the layer does, in this order (after pretalx's ``PermissionRequired``, ephios'
``CustomPermissionRequiredMixin`` and healthchecks' ``_get_check_for_user``):

1. **login**: an anonymous visitor goes to the login page (an htmx request: the whole page,
   by HX-Redirect). The declaration carries it, so no decorator order can be wrong;
2. **method**: a view declared for POST answers 405 to anything else, whoever asks;
3. **scope**: the object comes from the app's scoped selector (the Scope's ``fetch``, passed
   in by each app: this module imports no domain app): a 404 outside the user's scope, never
   a hint that it exists;
4. **permission**: a 403 when the object is visible but the action is not the user's (the
   predicate in the app's ``rules.py``, asked about the object);
5. the view runs with the object instead of its id;
6. **audit**: a page with one participant's data writes exactly one READ event, once the view
   has answered with a page (not for a redirect, nor for the answer to a write, whose service
   wrote its own event). ``audit_page`` says what the page read when it is not the scope's
   object; a page listing several young people names them with ``audit_list``.

A write goes through ``submit`` (a form page: form -> service -> Dutch message -> redirect,
the service's ValidationError beside its field, the page shown again with the input kept) or
``act`` (a button without a form: its refusal becomes a message). Further permission
questions inside a view are ``may`` (a flag for the page) and ``require`` (a 403).

tests/test_web_layer.py fails for a view without a declaration, and for a views module that
checks a permission, catches a service's ValidationError or writes a READ by hand.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.forms import BaseForm, BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from maatwerq.audit.models import Action
from maatwerq.audit.services import PathOnly, audit_log, audit_log_list

View = Callable[..., HttpResponse]
T = TypeVar("T")

# --- the scope: where a view's object comes from ------------------------------------------


def itself(obj: Any) -> Any:
    """The object itself: a scope whose object is the participant, or asks about itself."""
    return obj


@dataclass(frozen=True)
class Scope:
    """Where a view's object comes from, and what it is about.

    ``fetch(user, value)`` gives the object for the URL argument ``kwarg`` from the user's
    scope and raises Http404 outside it (``fetch(user)`` when ``kwarg`` is None: an object
    that follows from the login, as the young person's own record). ``participant(obj)``
    names whose data it is: a page of such an object writes one READ naming them and
    ``audit_object(obj)``, with ``detail(request)`` as the event's detail unless the view
    says otherwise (``audit_page``). The permission is asked about ``perm_object(obj)``.
    ``gate(request, obj)`` may answer instead of the view (a page of its own, e.g. a record
    whose access has ended).

    A Scope without ``fetch`` gives the view no object (lists, forms, dashboards)."""

    name: str
    fetch: Callable[..., Any] | None = None
    kwarg: str | None = "pk"
    participant: Callable[[Any], Any] | None = None
    audit_object: Callable[[Any], Any] = itself
    perm_object: Callable[[Any], Any] = itself
    detail: Callable[[HttpRequest], dict[str, Any]] | None = None
    gate: Callable[[HttpRequest, Any], HttpResponse | None] | None = None

    def get(self, request: HttpRequest, kwargs: dict[str, Any]) -> Any:
        """The object, taking its URL argument out of ``kwargs``; 404 outside the scope."""
        if self.fetch is None:
            return None
        if self.kwarg is None:
            return self.fetch(request.user)
        if self.kwarg not in kwargs:
            raise ImproperlyConfigured(f"Scope {self.name!r} reads the URL argument {self.kwarg!r}")
        return self.fetch(request.user, kwargs.pop(self.kwarg))


NONE = Scope("none")


def page_name(request: HttpRequest) -> dict[str, Any]:
    """A READ's detail naming the page by its URL name."""
    match = request.resolver_match
    return {"page": match.url_name if match is not None else ""}


class Read(enum.Enum):
    """When a view of one participant's data writes its READ event."""

    PAGE = "every page the view answers with"
    # A GET's page only: the view's POST writes its own event through its service, and a
    # form shown again after a refused POST writes none (the employers' change pages and the
    # anonymisation page, as before the web layer; PAGE would log that showing too).
    GET = "a GET's page only"
    # The view writes its own event (an export) or shows nothing of the participant.
    NONE = "none"


@dataclass(frozen=True)
class Declaration:
    """What a view declares; the URLconf test reads it from ``callback.web_view``."""

    perm: str | None
    scope: Scope | None  # None: a public page
    methods: tuple[str, ...] | None = None
    post_perm: str | None = None
    read: Read = Read.PAGE
    reauthenticate: bool = False


def declaration_of(callback: Callable[..., Any]) -> Declaration | None:
    return getattr(callback, "web_view", None)


# --- the audit of one visit ----------------------------------------------------------------

_VISIT = "_maatwerq_web_visit"


@dataclass
class _Visit:
    """What this request's page reads, written once the view has answered."""

    obj: Any = None
    participant: Any = None
    detail: dict[str, Any] = field(default_factory=dict)
    read: Read = Read.NONE
    wrote: bool = False  # the view answered a write: its service wrote the event
    listed: bool = False  # a list READ was written

    def finish(self, request: HttpRequest, response: HttpResponse) -> None:
        if self.participant is None or self.wrote or self.read is Read.NONE:
            return
        if self.read is Read.GET and request.method != "GET":
            return
        if 300 <= response.status_code < 400:
            return
        audit_log(
            actor=request.user,
            action=Action.READ,
            obj=self.obj,
            participant=self.participant,
            request=request,
            detail=self.detail or None,
        )


def _visit(request: HttpRequest) -> _Visit:
    visit: _Visit | None = getattr(request, _VISIT, None)
    if visit is None:
        raise ImproperlyConfigured("Only a view declared with maatwerq.web.view logs its reads.")
    return visit


def audit_page(request: HttpRequest, obj: Any = None, **detail: Any) -> None:
    """Say what this page of one participant read: ``obj`` (default: the scope's object) and
    ``detail`` (replacing the scope's). The layer writes the one READ once the page is
    answered."""
    visit = _visit(request)
    if visit.participant is None:
        raise ImproperlyConfigured("audit_page is for a view of one participant's data.")
    if obj is not None:
        visit.obj = obj
    visit.detail = detail


def audit_list(
    request: HttpRequest,
    participant_ids: Sequence[Any],
    *,
    obj: Any = None,
    path_only: bool = False,
    **detail: Any,
) -> None:
    """The one READ of a page listing several young people, naming each (their "who opened
    my record" finds it). ``path_only``: log the path without the query string (a search
    could carry a name)."""
    visit = _visit(request)
    if visit.listed or (visit.participant is not None and visit.read is not Read.NONE):
        raise ImproperlyConfigured("A page writes exactly one READ event.")
    visit.listed = True
    audit_log_list(
        actor=request.user,
        action=Action.READ,
        participant_ids=participant_ids,
        obj=obj,
        request=PathOnly(request) if path_only else request,
        detail=detail or None,
    )


# --- permissions inside a view -------------------------------------------------------------


def may(request: HttpRequest, perm: str, obj: Any = None) -> bool:
    """Whether the user holds ``perm`` (on ``obj``): a flag for what the page shows."""
    return request.user.has_perm(perm, obj)


def require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    """403 unless the user holds ``perm`` (on ``obj``): for an object the view finds itself
    (a query parameter, a form's choice); the declared permission is checked before the view."""
    if not may(request, perm, obj):
        raise PermissionDenied


# --- writes --------------------------------------------------------------------------------


def form_data(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one, so its required fields say so), None for a
    GET: a form binds only on POST."""
    return request.POST if request.method == "POST" else None


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def redirect_to(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect; for htmx a whole-page one (HX-Redirect), not a page swapped into a part."""
    if is_htmx(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def add_service_error(error: ValidationError, *holders: BaseForm | BaseFormSet[Any]) -> None:
    """Put a service's error beside its field, in whichever form on the page has it (a
    formset's row: ``<prefix>-<row>-<field>``); anything else goes above the first form."""
    first = _first_form(holders)
    if not hasattr(error, "error_dict"):
        first.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        form, name = _holder_of(key, holders)
        if form is None:
            first.add_error(None, errors)
        else:
            form.add_error(name, errors)


def _first_form(holders: Sequence[BaseForm | BaseFormSet[Any]]) -> BaseForm:
    """Where an error without a field goes: the first form (a formset's first row)."""
    for holder in holders:
        if isinstance(holder, BaseForm):
            return holder
        if holder.forms:
            row: BaseForm = holder.forms[0]
            return row
    raise ImproperlyConfigured("add_service_error needs a form to put the error in.")


def _holder_of(key: str, holders: Sequence[Any]) -> tuple[BaseForm | None, str | None]:
    for holder in holders:
        if isinstance(holder, BaseFormSet):
            prefix = f"{holder.prefix}-"
            row, _dash, name = key.removeprefix(prefix).partition("-")
            if key.startswith(prefix) and row.isdecimal() and int(row) < len(holder.forms):
                form = holder.forms[int(row)]
                if name in form.fields:
                    return form, name
        elif key in holder.fields:
            return holder, key
    return None, None


def _text(value: Any, result: Any) -> str:
    return str(value(result) if callable(value) else value)


def submit(
    request: HttpRequest,
    *forms: BaseForm | BaseFormSet[Any],
    save: Callable[[], T],
    done: str | Callable[[T], str],
    message: Any = None,
    check: Callable[[], bool] | None = None,
    htmx_done: Callable[[T], HttpResponse] | None = None,
) -> HttpResponse | None:
    """The one way a page writes: on a POST whose forms are all valid (and ``check()``, a
    last question once they are), call ``save()``, the service. Its ValidationError goes
    beside its field (``add_service_error``) and None comes back: the view shows its page
    again, the forms bound, the input kept. Done: the Dutch ``message`` (text, or made from
    the result) and a redirect to ``done`` (a URL, or made from the result); an htmx request
    gets HX-Redirect, or ``htmx_done(result)`` when the page answers in place. None for a GET.
    """
    if request.method != "POST":
        return None
    valid = [form.is_valid() for form in forms]  # every form, so each shows its errors
    if not all(valid) or (check is not None and not check()):
        return None
    try:
        result = save()
    except ValidationError as error:
        add_service_error(error, *forms)
        return None
    _visit(request).wrote = True
    if htmx_done is not None and is_htmx(request):
        return htmx_done(result)
    if message is not None:
        messages.success(request, _text(message, result))
    return redirect_to(request, done(result) if callable(done) else done)


def form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    template: str,
    context: dict[str, Any] | None = None,
    **write: Any,
) -> HttpResponse:
    """A page of one form: ``submit(request, form, **write)``, or else the page (``template``
    with ``form`` and ``context``): for a GET, and for a POST that did not go through."""
    answer = submit(request, form, **write)
    if answer is not None:
        return answer
    return render(request, template, {"form": form, **(context or {})})


def act(
    request: HttpRequest,
    save: Callable[[], T],
    *,
    done: str | Callable[[T], str],
    message: Any = None,
    refused_to: str | None = None,
    refusal: Any = None,
) -> HttpResponse:
    """A button's POST, without a form: call ``save()``, the service. Done: the Dutch
    ``message`` and a redirect to ``done``. Refused (its ValidationError): each reason as an
    error message and a redirect to ``refused_to`` (default ``done``). With ``refusal``, a
    refusal the person cannot act on (ValidationError or PermissionDenied) shows that one
    warning instead of the service's reasons."""
    back = refused_to if refused_to is not None else done
    if not isinstance(back, str):
        raise ImproperlyConfigured("act: a done made from the result needs refused_to.")
    refusals: tuple[type[Exception], ...] = (ValidationError,)
    if refusal is not None:
        refusals = (ValidationError, PermissionDenied)
    try:
        result = save()
    except refusals as error:
        if refusal is not None:
            messages.warning(request, str(refusal))
        else:
            for reason in getattr(error, "messages", [str(error)]):
                messages.error(request, reason)
        return redirect_to(request, back)
    _visit(request).wrote = True
    if message is not None:
        messages.success(request, _text(message, result))
    return redirect_to(request, done(result) if callable(done) else done)


# --- the declaration -----------------------------------------------------------------------


def _to_login(request: HttpRequest) -> HttpResponse:
    """htmx asked for a part of a page: send the whole page to the login, coming back to the
    page the person was on."""
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    here = current.path + (f"?{current.query}" if current.query else "")
    return HttpResponseClientRedirect(redirect_to_login(here or request.get_full_path()).url)


def _answering(
    body: View, refused: Callable[[HttpRequest, ValidationError], HttpResponse] | None
) -> View:
    """The view, with a service's refusal anywhere in it answered by ``refused``."""
    if refused is None:
        return body

    @wraps(body)
    def answering(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return body(request, *args, **kwargs)
        except ValidationError as error:
            return refused(request, error)

    return answering


def view(
    perm: str | None = None,
    *,
    scope: Scope = NONE,
    post_perm: str | None = None,
    methods: Sequence[str] | None = None,
    read: Read = Read.PAGE,
    reauthenticate: bool = False,
    refused: Callable[[HttpRequest, ValidationError], HttpResponse] | None = None,
) -> Callable[[View], View]:
    """Declare a view: login, ``methods`` (405), the ``scope``'s object (404), ``perm`` on it
    (403; on a POST ``post_perm`` instead, when given), then the view with the object, then
    the READ (see the module's docstring and ``Read``). ``reauthenticate``: ask for the
    password again (allauth) after the checks, before the view, for bulk exports and the
    like. ``refused(request, error)`` answers a service's ValidationError raised anywhere in
    the view (a page of its own, e.g. a used invitation link)."""
    declaration = Declaration(
        perm=perm,
        scope=scope,
        methods=tuple(methods) if methods else None,
        post_perm=post_perm,
        read=read,
        reauthenticate=reauthenticate,
    )

    def decorator(func: View) -> View:
        body = _answering(reauthentication_required(func) if reauthenticate else func, refused)

        @wraps(func)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            obj = scope.get(request, kwargs)
            refusal = scope.gate(request, obj) if scope.gate is not None else None
            if refusal is not None:
                return refusal
            needed = post_perm if post_perm and request.method == "POST" else perm
            if needed is not None:
                require(request, needed, scope.perm_object(obj))
            visit = _Visit(read=read)
            if scope.participant is not None:
                visit.obj = scope.audit_object(obj)
                visit.participant = scope.participant(obj)
                visit.detail = scope.detail(request) if scope.detail is not None else {}
            setattr(request, _VISIT, visit)
            if scope.fetch is not None:
                args = (obj, *args)
            response = body(request, *args, **kwargs)
            visit.finish(request, response)
            return response

        guarded = login_required(
            require_http_methods(list(methods))(checked) if methods else checked
        )

        @wraps(func)
        def declared(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated and is_htmx(request):
                return _to_login(request)
            return guarded(request, *args, **kwargs)

        declared.web_view = declaration  # type: ignore[attr-defined]
        return declared

    return decorator


def public(
    func: View | None = None,
    *,
    refused: Callable[[HttpRequest, ValidationError], HttpResponse] | None = None,
) -> Any:
    """Declare a page anyone may open, logged in or not (the invitation link): no scope, no
    permission, no READ. ``refused`` as for ``view``."""

    def decorator(func: View) -> View:
        body = _answering(func, refused)

        @wraps(func)
        def declared(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            setattr(request, _VISIT, _Visit())
            return body(request, *args, **kwargs)

        declared.web_view = Declaration(perm=None, scope=None)  # type: ignore[attr-defined]
        return declared

    return decorator(func) if func is not None else decorator

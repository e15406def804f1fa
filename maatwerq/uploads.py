"""Limits on what a request may make the server read: a cap on the request body, checked
before a byte of it is read, and a check on a zipped upload (an .xlsx is a zip) before
anything unpacks it.

Why a middleware and no upload handler: under WSGI (gunicorn here) Django reads a body only
through a ``LimitedStream`` bounded by ``CONTENT_LENGTH`` (a body without that header, such as
a chunked one, reads as empty), so refusing on the header refuses every body that would be
read past the cap. (Under ASGI the handler would read the body before any middleware.) The proxy in
front (deploy/Caddyfile, ``request_body max_size``) holds the same cap, so a large body
normally never reaches gunicorn at all.
"""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


class RequestBodyCapMiddleware:
    """Refuse a request whose declared body is larger than
    ``settings.MAATWERQ_MAX_REQUEST_BYTES`` with 413 and a Dutch page, without reading it.

    Placed right after the locale middleware, so the page speaks the visitor's language, and
    before anything that reads the body (CSRF, the views)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads such a body as empty
        cap = settings.MAATWERQ_MAX_REQUEST_BYTES
        if declared > cap:
            body = render_to_string("413.html", {"limit_mb": cap // (1024 * 1024)})
            response = HttpResponse(body, status=413)
            response["Connection"] = "close"  # the unread body is not ours to drain
            return response
        return self.get_response(request)


class UnpackTooLargeError(ValueError):
    """A zipped upload that would unpack into far more than it weighs (a zip bomb)."""


def zip_unpacked_check(
    data: bytes, *, max_unpacked: int | None = None, max_ratio: int | None = None
) -> None:
    """Raise UnpackTooLargeError, with a Dutch message for the field, when the zip in ``data``
    declares more than ``max_unpacked`` bytes in all (the sum of its members' sizes) or
    unpacks to more than ``max_ratio`` times its packed size. Reads only the archive's
    directory; nothing is unpacked. A declared size cannot be exceeded later: Python's
    zipfile stops a member at its declared size and fails on the checksum.

    Not a zip at all: no error here; the reader that follows says what is wrong."""
    max_unpacked = max_unpacked or settings.MAATWERQ_MAX_UNPACKED_BYTES
    max_ratio = max_ratio or settings.MAATWERQ_MAX_UNPACK_RATIO
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if unpacked > max_unpacked or unpacked > max_ratio * max(packed, 1):
        raise UnpackTooLargeError(
            _(
                "This file unpacks to far more than it weighs (%(mb)d MB), which a normal "
                "spreadsheet never does. Save it again in Excel, or save it as .csv."
            )
            % {"mb": unpacked // (1024 * 1024)}
        )

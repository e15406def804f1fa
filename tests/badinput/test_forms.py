"""Every view that takes a POST (tests/badinput/endpoints.py), fed hypothesis-drawn hostile
data for the fields its page offers. Per example: no 500 and no logged error; a response that
is not a successful submit (the form again, with its errors) leaves the database as it was; no
response, nor the page a successful submit leads to, holds the hostile markup unescaped.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import FUZZ
from .endpoints import ENDPOINTS, endpoint_id, post_and_check
from .hostile import form_values

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("target", ENDPOINTS, indirect=True, ids=endpoint_id)
def test_hostile_post_never_500s_changes_nothing_when_rejected_and_stays_escaped(
    request, target, logged_errors
):
    endpoint = request.node.callspec.params["target"]

    @settings(FUZZ, max_examples=endpoint.examples)
    @given(st.data())
    def check(data):
        values = form_values(data, target.fields, endpoint.good, endpoint.avoid)
        post_and_check(target, values, logged_errors)

    check()

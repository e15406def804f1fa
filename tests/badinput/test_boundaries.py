"""The deterministic half of the bad-input sweep: every field of every POST endpoint
(tests/badinput/endpoints.py), one at a time, gets the values at the edges of its kind (NUL in
text, 100k characters, year 9999 and year 1 in a date, numbers past a database column's range,
digits int() does not read in a choice), the other fields valid. Random examples rarely hit
these exact values; a database column or a date calculation breaks on them.
"""

from __future__ import annotations

import pytest

from .endpoints import ENDPOINTS, endpoint_id, post_and_check
from .hostile import edge_values, first_valid

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("target", ENDPOINTS, indirect=True, ids=endpoint_id)
def test_edge_values_in_every_field_never_500_nor_change_data_when_rejected(
    request, target, logged_errors
):
    endpoint = request.node.callspec.params["target"]
    base = {
        name: first_valid(spec, endpoint.good.get(name)) for name, spec in target.fields.items()
    }
    for name, spec in sorted(target.fields.items()):
        avoid = endpoint.avoid.get(name, lambda value: False)
        for value in edge_values(spec):
            if any(avoid(v) for v in (value if isinstance(value, list) else [value])):
                continue  # a known defect, xfailed in test_defects.py
            post_and_check(target, {**base, name: value}, logged_errors)

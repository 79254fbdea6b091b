"""schemathesis over /openapi.json: whatever it sends, no endpoint answers 5xx, and every answer is JSON with
the security headers and (for a 4xx) a ``detail`` naming the field.

The published schema leaves a run's ``params`` opaque, so these requests rarely reach an engine: each lab is
fuzzed against its own params schema in ``tests/api/test_lab_fuzz.py``.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from app.main import create_app
from app.settings import Settings
from tests.perf.fuzz_labs import problems

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings(max_points=500)))


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.path} → {response.status_code}: {response.text[:300]}"
    if case.path.startswith("/api/"):  # pages and /docs answer HTML
        found = problems(response.status_code, response.headers, response.text, root="any")
        assert not found, f"{case.method} {case.path}: {found}"

"""schemathesis over /openapi.json: whatever it sends, no endpoint answers 5xx."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from app.main import create_app
from app.settings import Settings

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings(max_points=500)))


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.path} → {response.status_code}: {response.text[:300]}"

"""schemathesis against the OpenAPI spec of the real app: generated requests, valid and invalid,
for every operation never get a 5xx, and every error is a JSON message."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation.modes import GenerationMode

from assistant.server.api import create_app


@pytest.fixture(scope="module")
def operations(assistant):
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(assistant))
    return [result.ok() for result in schema.get_all_operations()]


def test_the_spec_lists_every_operation(operations):
    assert {f"{op.method.upper()} {op.path}" for op in operations} >= {
        "POST /api/ask", "GET /api/search", "GET /api/docs", "GET /api/docs/{doc_id}",
        "GET /api/articles/{doc_id}/{label}", "POST /api/compare", "POST /api/check", "GET /healthz"}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_errors(operations, mode):
    failures, tested = [], 0
    for op in operations:
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=op.as_strategy(generation_mode=mode))
        def run(case):
            response = case.call()
            if response.status_code >= 500:
                failures.append((case.method, case.formatted_path, case.query, case.body, response.text[:200]))
            elif response.status_code >= 400 and response.headers.get("content-type", [""])[0].startswith(
                    "application/json"):
                assert "error" in response.json(), response.text[:200]

        try:
            run()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE and not op.path_parameters and not op.query and not op.body
            continue  # nothing to get wrong: an operation without parameters (GET /healthz)
        tested += 1
    assert not failures, failures[:5]
    assert tested >= 6

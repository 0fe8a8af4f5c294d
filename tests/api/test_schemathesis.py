"""Property-based run of schemathesis over every operation of /api/v1/openapi.json.

For each operation and each caller (anonymous, and a member with an API token) schemathesis
generates ``EXAMPLES`` requests from the schema (derandomized: the same requests on every run)
and sends them to the real WSGI application, against real data: a decision in every tier and
state, and two networks with a document of every classification and a stored file. A second pass
fixes the path parameters to real objects (network ``a``, meeting 7, a visible document), so the
handlers behind the 404 are fuzzed too. Any 5xx, a status code the schema does not document, a
body that does not match its schema or an undocumented content type is a failure; every failure
is collected and printed before the test fails, with the counts.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cicnet.accounts.services import api_token_create
from cicnet.config.wsgi import application

from ..network import conftest as network_fixtures
from ..network.conftest import World

world = network_fixtures.world  # the two-network world of tests/network, reused as a fixture

EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]


def _run(
    operation: Any,
    *,
    mode: GenerationMode,
    headers: dict[str, str],
    path_parameters: dict[str, Any] | None,
    failures: list[str],
) -> int:
    """Send ``EXAMPLES`` generated requests for ``operation``; collect failures (no shrinking:
    every failing example is reported as found); return how many were sent."""
    sent = 0
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,  # the same examples on every run
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        nonlocal sent
        sent += 1
        cache.clear()  # throttle counters: the run tests the schema, not the rate limit
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS)
        except (AssertionError, BaseExceptionGroup) as exc:  # collected: the report counts all
            failures.append(f"[{mode.value}] {operation.label} {case.query}: {exc}"[:2000])

    run()
    return sent


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
def test_every_operation_conforms_to_its_schema(
    world: World, searchable_matrix: dict[str, Any]
) -> None:
    token = api_token_create(user=world.users["ncp"], label="schemathesis")
    callers = {"anonymous": {}, "member": {"Authorization": f"Bearer {token.key}"}}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    real_network = {"slug": "a", "number": world.meeting.number, "id": world.docs["a/public"].pk}
    uid = searchable_matrix["network/published"].uid
    real_decision = {"id": uid, "decision_id": uid, "lang": "en", "number": 1}
    real_knowledge = {"country": "DE", "slug": "seeking-justice"}
    failures: list[str] = []
    examples = 0
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        real = (
            real_decision
            if operation.path.startswith(("/api/v1/decisions", "/api/v1/paragraphs"))
            else real_network
        )
        if operation.path.startswith("/api/v1/knowledge"):
            real = real_knowledge
        if operation.path.startswith("/api/v1/statistics"):
            real = {"dimension": "country"}
        passes: list[tuple[GenerationMode, dict[str, Any] | None]] = [
            (GenerationMode.POSITIVE, None)
        ]
        if names:  # the same, on real objects, so the handlers behind the 404 are fuzzed too
            passes.append((GenerationMode.POSITIVE, {k: real[k] for k in names}))
        if names or list(operation.query):  # out-of-range, wrong types: 400, never 500
            passes.append((GenerationMode.NEGATIVE, None))
        for headers in callers.values():
            for mode, path_parameters in passes:
                examples += _run(
                    operation,
                    mode=mode,
                    headers=headers,
                    path_parameters=path_parameters,
                    failures=failures,
                )
    print(
        f"\nschemathesis: {len(operations)} operations, {examples} examples, "
        f"{len(failures)} failures"
    )
    for failure in failures[:20]:
        print("-", failure)
    assert len(operations) == 20, [o.label for o in operations]
    assert examples >= len(operations) * len(callers) * EXAMPLES
    assert not failures, f"{len(failures)} failure(s); first: {failures[0]}"

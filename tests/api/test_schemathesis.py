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
    headers: dict[str, str],
    path_parameters: dict[str, Any] | None,
    failures: list[str],
) -> int:
    sent = 0
    strategy = operation.as_strategy(path_parameters=path_parameters)

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        nonlocal sent
        sent += 1
        cache.clear()  # throttle counters: each request stands alone
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS)
        except (AssertionError, BaseExceptionGroup) as exc:  # collected: the report counts all
            failures.append(f"{operation.label} {case.path} {case.query}: {exc}"[:2000])

    run()
    return sent


@pytest.mark.django_db
def test_every_operation_conforms_to_its_schema(
    world: World, searchable_matrix: dict[str, Any]
) -> None:
    token = api_token_create(user=world.users["ncp"], label="schemathesis")
    callers = {"anonymous": {}, "member": {"Authorization": f"Bearer {token.key}"}}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    real = {"slug": "a", "number": world.meeting.number, "id": world.docs["a/public"].pk}
    decision_ids = {"id": searchable_matrix["network/published"].uid}
    failures: list[str] = []
    examples = 0
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        for headers in callers.values():
            examples += _run(operation, headers=headers, path_parameters=None, failures=failures)
            if names:
                known = decision_ids if operation.path.startswith("/api/v1/decisions") else real
                fixed = {k: v for k, v in known.items() if k in names}
                examples += _run(
                    operation, headers=headers, path_parameters=fixed, failures=failures
                )
    print(
        f"\nschemathesis: {len(operations)} operations, {examples} examples, "
        f"{len(failures)} failures"
    )
    for failure in failures[:30]:
        print("-", failure)
    assert len(operations) >= 10
    assert not failures, f"{len(failures)} failure(s); first: {failures[0]}"

"""The API fuzzed against a live node (`dastan serve`, gunicorn) with schemathesis: every
operation of the OpenAPI schema, with examples generated from it (valid and invalid),
sent without credentials and with the tokens of two organisations' administrators.

Each answer must not be a server error, and its status must be one the schema documents
for that operation (dastan/api.py documents the error answers every operation can give).
``DASTAN_API_FUZZ_EXAMPLES`` sets the examples per operation (default 25); the totals are
written to test-output/api-fuzz.json and printed (run with ``-s``).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from dastan_testing.nodes import Node, migrated_sqlite, serving

pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("DASTAN_API_FUZZ_EXAMPLES", "25"))
REPORT = Path(__file__).resolve().parent.parent / "test-output" / "api-fuzz.json"

SEED = """
from django.contrib.auth import get_user_model
from dastan.accounts.models import Membership
from dastan.accounts.tokens import issue_api_token
from dastan.catalog.models import Organisation
from dastan.catalog.services import create_title
from dastan.localization.tracks import CueData, create_track
import json
tokens = {}
for key in ("alpha", "beta"):
    org = Organisation.objects.create(name=key.title(), slug=key, kind="studio", country="PK")
    title = create_title(by=None, owner=org, slug=f"{key}-film", kind="film", original_language="en",
                         country_of_origin="PK", name=f"{key} film", is_published=True)
    create_track(title=title, language="en", origin="upload", is_source=True, cues=[CueData(0, 1500, "Hello.")])
    user = get_user_model().objects.create_user(username=f"{key}-admin", password="x" * 12)
    Membership.objects.create(user=user, organisation=org, role="admin")
    tokens[key] = issue_api_token(user=user)
print(json.dumps(tokens))
"""


@dataclass
class LiveNode:
    base_url: str
    tokens: dict[str, str]
    documented: dict[tuple[str, str], set[int]]
    statuses: Counter[int] = field(default_factory=Counter)
    examples: int = 0
    server_errors: list[str] = field(default_factory=list)
    undocumented: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def live_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveNode]:
    home = tmp_path_factory.mktemp("api-fuzz-home")
    node = Node(home=home, database_url=migrated_sqlite(home / 'dastan.sqlite3'),
                broker_url=f"sqla+sqlite:///{home / 'broker.sqlite3'}", queue_prefix="",
                extra_env={"DASTAN_SERVE_WORKER": "none", "DASTAN_DEBUG": "false"})
    with serving(node) as served:
        tokens = json.loads(node.dastan("manage", "shell", "-c", SEED).strip().splitlines()[-1])
        base = served.url
        spec = requests.get(f"{base}/api/v1/openapi.json", timeout=30).json()
        documented = {(method.upper(), path): {int(code) for code in op["responses"]}
                      for path, ops in spec["paths"].items() for method, op in ops.items()}
        live = LiveNode(base_url=base, tokens=tokens, documented=documented)
        yield live
        REPORT.parent.mkdir(exist_ok=True)
        summary = {"operations": len(documented), "examples": live.examples,
                   "requests": sum(live.statuses.values()), "server_errors": len(live.server_errors),
                   "undocumented": len(live.undocumented),
                   "statuses": {str(k): v for k, v in sorted(live.statuses.items())}}
        REPORT.write_text(json.dumps(summary, indent=2))
        print(f"\nAPI fuzz: {json.dumps(summary)}")


@pytest.fixture(scope="module")
def api_schema(live_node: LiveNode) -> Any:
    return schemathesis.openapi.from_url(f"{live_node.base_url}/api/v1/openapi.json")


def _operations() -> list[tuple[str, str]]:
    """The operations to fuzz, read from the in-process schema at collection time (the
    live node's schema is the same; the test looks each one up there)."""
    import django

    django.setup()
    from dastan.api import api

    return sorted((m.upper(), path) for path, ops in api.get_openapi_schema()["paths"].items() for m in ops)


# schemathesis's own pytest plugin does not run on pytest 9; each operation's hypothesis
# strategy is driven here instead, in the positive (schema-valid) and negative modes.
@pytest.mark.parametrize(("method", "path"), _operations(), ids=[f"{m} {p}" for m, p in _operations()])
def test_no_operation_answers_a_server_error_or_an_undocumented_status(
        api_schema: Any, live_node: LiveNode, method: str, path: str) -> None:
    operation = api_schema[path][method]
    documented = live_node.documented[(method, path)]
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                         operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=strategy)
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
              database=None)
    def fuzz(case: Any) -> None:
        live_node.examples += 1
        for who in (None, "alpha", "beta"):
            headers = {"Authorization": f"Bearer {live_node.tokens[who]}"} if who else {}
            response = case.call(base_url=live_node.base_url, headers=headers, timeout=60)
            live_node.statuses[response.status_code] += 1
            where = (f"{method} {case.formatted_path} as {who or 'anonymous'} "
                     f"-> {response.status_code}: {response.text[:300]}")
            if response.status_code >= 500:
                live_node.server_errors.append(where)
            if response.status_code not in documented:
                live_node.undocumented.append(where)
            assert response.status_code < 500, where
            assert response.status_code in documented, f"undocumented status: {where}"

    fuzz()

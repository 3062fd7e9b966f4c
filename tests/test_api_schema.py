"""The OpenAPI schema is complete and correct: schemathesis generates requests from it (valid and
invalid) and checks every response against it - status codes, content types and bodies."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hsettings
from schemathesis.config import SchemathesisConfig

from conftest_service import ADMIN_KEY, settings
from scamshield.server import create_app

pytestmark = pytest.mark.slow


_DB = Path(tempfile.mkdtemp(prefix="scamshield-schema-")) / "s.sqlite3"
APP = create_app(settings(f"sqlite:///{_DB}", demo=True))
# A body over the size limit is refused with 413 before it is read: that is a rejection too (schemathesis's
# default list of rejecting statuses leaves it out, and its generator does build bodies that large).
_REJECTING = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=SchemathesisConfig.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": _REJECTING}}}))


@pytest.fixture(scope="module")
def app():
    return APP


@schema.parametrize()
@hsettings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_the_schema(case):
    # An admin key opens every door, so generated requests exercise the handlers, not only the 401s.
    # positive_data_acceptance is left out: "is a phone number" or "is audio" cannot be said in a
    # schema, so schema-valid input may still earn a clear 422.
    case.call_and_validate(headers={"X-API-Key": ADMIN_KEY},
                           excluded_checks=[schemathesis.checks.positive_data_acceptance])


def test_the_schema_describes_the_api(app):
    spec = app.openapi()
    paths = spec["paths"]
    for path in ("/v1/check", "/v1/reports", "/v1/reports/{report_id}/feedback", "/v1/campaigns",
                 "/v1/campaigns/{campaign_id}", "/v1/numbers/{number}", "/v1/numbers/{number}/reputation",
                 "/v1/blocklist", "/v1/stats", "/v1/screen", "/v1/screen/webhook", "/v1/calls/recording"):
        assert path in paths, path
    assert all(p.startswith("/v1/") for p in paths)
    assert spec["components"]["securitySchemes"]["APIKeyHeader"] == {"type": "apiKey", "in": "header",
                                                                      "name": "X-API-Key",
                                                                      "description": "An API key (write or admin role)."}
    check = paths["/v1/check"]["post"]
    assert {"200", "400", "413", "422", "429"} <= set(check["responses"])
    assert spec["components"]["schemas"]["MessageIn"]["additionalProperties"] is False

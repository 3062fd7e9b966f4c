"""What the web page gets from the server besides verdicts: /v1/page, flag statuses, and /docs offline."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from conftest_service import settings


@pytest.fixture(scope="module")
def client():
    from scamshield.server.app import create_app

    with TestClient(create_app(settings(None))) as c:
        yield c


def test_page_data_lists_report_routes_and_flag_kinds(client):
    r = client.get("/v1/page")
    assert r.status_code == 200
    data = r.json()
    routes = {x["id"]: x for x in data["report_routes"]}
    assert routes["forward_7726"]["kind"] == "sms" and routes["forward_7726"]["channel"] == "sms"
    assert routes["call_7726"]["body"] == "call_number" and routes["call_7726"]["channel"] == "call"
    assert routes["bank_159"]["to"] == "159" and "CLAIMS_BANK" in routes["bank_159"]["flags"]
    assert routes["report_fraud_web"]["to"] == "https://www.reportfraud.police.uk"
    assert all(x["source"].startswith("https://") for x in data["report_routes"])
    assert "MODEL_SPAM" in data["spam_flags"] and "MARKETING_PROMOTION" in data["spam_flags"]
    assert "CLAIMS_BANK" not in data["spam_flags"]
    assert {"MODEL_SCAM", "MODEL_LEGIT", "MODEL_CALL_SCAM"} <= set(data["model_flags"])


def test_check_reports_what_each_flag_did(client):
    r = client.post("/v1/check", json={"text": "HSBC: A payment of £450.00 to J SMITH was attempted. If this was "
                                               "not you, call us urgently on the number on the back of your card."})
    v = r.json()
    assert v["verdict"] == "safe"
    status = {f["id"]: f["status"] for f in v["flags"]}
    assert "warning" not in status.values(), status
    assert status.get("URGENCY") == "outweighed" and status.get("CLAIMS_BANK") == "cancelled"
    assert all(f.get("reason") for f in v["flags"] if f["status"] in ("outweighed", "cancelled"))
    # a text is never told to hang up or not to press 1
    r = client.post("/v1/check", json={"text": "HMRC: You owe £1,200. Pay today with Google Play vouchers or be arrested."})
    advice = " ".join(a["text"] for a in r.json()["advice"]).lower()
    assert "hang up" not in advice and "press 1" not in advice


def test_docs_load_nothing_from_another_host(client):
    r = client.get("/docs")
    assert r.status_code == 200
    urls = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", r.text)
    assert urls, r.text
    assert not [u for u in urls if re.match(r"(https?:)?//", u)], urls
    assert "cdn" not in r.text.lower()
    for asset in ("/static-docs/swagger-ui-bundle.js", "/static-docs/swagger-ui.css"):
        got = client.get(asset)
        assert got.status_code == 200 and len(got.content) > 10_000, asset
    assert client.get("/openapi.json").json()["paths"]["/v1/page"]

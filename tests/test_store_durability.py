"""An acknowledged report is never lost: kill -9 the server mid-ingestion, restart it, count."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from conftest_service import ADMIN_KEY, WRITE_KEY, ServerProcess

pytestmark = pytest.mark.slow


def _ingest_until_killed(server: ServerProcess, acked: list[int], sent: list[int]) -> None:
    with httpx.Client(base_url=server.url, timeout=10, headers={"X-API-Key": WRITE_KEY}) as client:
        i = 0
        while True:
            i += 1
            body = {"message": {"text": f"Royal Mail: parcel {i} is on hold, pay £1.{i % 90 + 10} at "
                                        f"https://rm-fee-{i % 7}.top/p or call 07700 900{i % 1000:03d}"},
                    "area": f"Area {i % 5}", "money_lost": i % 3}
            sent.append(i)
            try:
                r = client.post("/v1/reports", json=body, headers={"Idempotency-Key": f"r{i}"})
            except httpx.HTTPError:
                return  # the server is gone
            if r.status_code != 201:
                return
            acked.append(r.json()["id"])


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_kill_mid_ingestion_loses_no_acknowledged_report(backend, tmp_path, request):
    db = f"sqlite:///{tmp_path}/reports.sqlite3" if backend == "sqlite" else request.getfixturevalue("pg_url")
    server = ServerProcess(db, tmp_path).start()
    acked: list[int] = []
    sent: list[int] = []
    worker = threading.Thread(target=_ingest_until_killed, args=(server, acked, sent), daemon=True)
    worker.start()
    deadline = time.monotonic() + 60
    while len(acked) < 25 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill()  # SIGKILL while requests are in flight
    worker.join(timeout=30)
    assert len(acked) >= 25, server.output

    restarted = ServerProcess(db, tmp_path).start()
    try:
        with httpx.Client(base_url=restarted.url, timeout=10, headers={"X-API-Key": ADMIN_KEY}) as client:
            stored = set()
            offset = 0
            while True:
                page = client.get("/v1/reports", params={"limit": 200, "offset": offset}).json()
                stored.update(item["id"] for item in page["items"])
                offset += 200
                if offset >= page["total"]:
                    break
            assert set(acked) <= stored, f"lost {sorted(set(acked) - stored)}"
            # at most the one request in flight at the kill was stored without an acknowledgement
            assert len(stored) - len(acked) <= 1
            # every stored report is whole: its campaign exists and its numbers came with it
            for rid in list(stored)[:10]:
                report = client.get(f"/v1/reports/{rid}").json()
                assert report["campaign_id"] is not None and report["numbers"]
    finally:
        restarted.stop()

"""The reports store on SQLite and on a real PostgreSQL: migrations, transactional writes, reads."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select

from scamshield.errors import InputError
from scamshield.models import Message, Turn
from scamshield.reports import writes
from scamshield.reports.ingest import prepare
from scamshield.reports.schema import Report, ReportLink, ReportNumber
from scamshield.reports.store import ReportStore, normalise_url

HMRC = "HMRC: You are due a tax refund of £{}. Claim it before midnight at https://taxrebate-hmrc.top to avoid losing it."


def test_migrations_create_the_schema_and_are_idempotent(db_url):
    store = ReportStore.open(db_url)
    tables = set(inspect(store.engine).get_table_names())
    assert {"reports", "report_numbers", "report_links", "campaigns", "feedback", "alembic_version"} <= tables
    store.close()
    again = ReportStore.open(db_url)  # upgrading an up-to-date database changes nothing
    with again.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0001"
    again.close()


def test_add_get_and_search(db_url):
    store = ReportStore.open(db_url)
    a = store.add(prepare(Message(text=HMRC.format(287), sender="HMRC"), area="Hertfordshire",
                          money_lost_pence=24000))
    b = store.add(prepare(Message(channel="call", sender="020 7946 0321",
                                  turns=(Turn("caller", "This is HMRC, you owe tax"),)), numbers=["02079460321"]))
    got = store.get(a.id)
    assert got["text"] == HMRC.format(287) and got["area"] == "Hertfordshire" and got["money_lost"] == 240.0
    assert got["domains"] == ["taxrebate-hmrc.top"]
    call = store.get(b.id)
    assert call["turns"] == [{"speaker": "caller", "text": "This is HMRC, you owe tax"}]
    assert {"number": "+442079460321", "role": "sender"} in call["numbers"]
    assert store.search(q="refund")[0] == 1
    assert store.search(number="+442079460321")[0] == 1
    assert store.search(domain="TAXREBATE-HMRC.top")[0] == 1
    assert store.search(area="hertfordshire")[0] == 1
    # SQL-ish and LIKE-ish strings are just text
    for q in ("'; DROP TABLE reports; --", "%", "_", "\\", "\" OR 1=1 --"):
        assert store.search(q=q)[0] == 0
    assert store.count() == 2


def test_idempotency_key_returns_the_first_report(db_url):
    store = ReportStore.open(db_url)
    first = store.add(prepare(Message(text=HMRC.format(1))), source="k", client_ref="abc")
    again = store.add(prepare(Message(text=HMRC.format(1))), source="k", client_ref="abc")
    assert again.id == first.id and again.created is False and store.count() == 1
    other = store.add(prepare(Message(text=HMRC.format(1))), source="other-key", client_ref="abc")
    assert other.created and store.count() == 2


def test_a_failed_write_leaves_nothing_half_stored(db_url, monkeypatch):
    store = ReportStore.open(db_url)
    store.add(prepare(Message(text=HMRC.format(1), sender="+447700900123")))

    def boom(session, ids):
        session.flush()
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(writes, "merge", boom)  # the campaign merge inside add()
    with pytest.raises(RuntimeError):
        store.add(prepare(Message(text=HMRC.format(2), sender="+447700900123")))
    with store.session() as s:
        assert s.scalar(select(func.count(Report.id))) == 1
        assert s.scalar(select(func.count(ReportNumber.id))) == 1
        assert s.scalar(select(func.count(ReportLink.id))) == 1


def test_bad_report_fields_are_input_errors():
    with pytest.raises(InputError, match="not a phone number"):
        prepare(Message(text="hi"), numbers=["call me maybe"])
    with pytest.raises(InputError, match="not a web address"):
        prepare(Message(text="hi"), links=["not a link"])
    with pytest.raises(InputError, match="no message text"):
        prepare(Message(text="   "))
    with pytest.raises(InputError, match="money_lost"):
        prepare(Message(text="hi"), money_lost_pence=-5)


def test_feedback_takes_a_report_out_of_reputation_and_back(db_url):
    store = ReportStore.open(db_url)
    r1 = store.add(prepare(Message(text="Call 07700 900123 now about your parcel")))
    r2 = store.add(prepare(Message(channel="call", sender="07700900123", text="Hello this is the courier")))
    assert store.reputation("+447700900123")["reports"] == 2
    out = store.feedback(r2.id, not_scam=True, note="my real courier")
    assert out == {"id": r2.id, "status": "not_scam", "campaign_id": None}
    rep = store.reputation("+447700900123")
    assert rep["reports"] == 1 and rep["not_scam"] == 1
    back = store.feedback(r2.id, not_scam=False)
    assert back["status"] == "reported" and back["campaign_id"] == store.get(r1.id)["campaign_id"]
    with pytest.raises(KeyError):
        store.feedback(999_999, not_scam=True)


def test_urls_are_normalised():
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("/tmp/x.sqlite3") == "sqlite:////tmp/x.sqlite3"
    assert normalise_url("sqlite:///rel.db") == "sqlite:///rel.db"

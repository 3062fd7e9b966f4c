"""Reports and campaign intelligence: submit, search, feedback, campaigns, reputation, blocklist."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request, Response
from fastapi.responses import PlainTextResponse

from ..errors import InputError
from ..reports.blocklist import to_csv, to_document
from .common import ERRORS, to_message
from .guard import api_key_header, check_rate, require_role
from .schemas import (
    BlocklistOut,
    CampaignDetail,
    CampaignList,
    ErrorOut,
    FeedbackIn,
    FeedbackOut,
    ReclusterOut,
    ReportCreated,
    ReportIn,
    ReportList,
    ReportOut,
    ReputationOut,
    StatsOut,
)

router = APIRouter(prefix="/v1", responses={**ERRORS, 503: {"model": ErrorOut}})

Key = Annotated[str | None, Depends(api_key_header)]
ReportId = Annotated[int, Path(ge=1, le=2**62)]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


def _store(request: Request):
    store = request.app.state.store
    if store is None:
        raise HTTPException(503, "this server has no reports database: start it with --db")
    return store


def _intel(request: Request, key: str | None) -> None:
    check_rate(request, "read")
    if request.app.state.settings.intel_needs_key:
        require_role(request, key, "admin")


@router.post("/reports", status_code=201, response_model=ReportCreated, tags=["reports"],
             # an Idempotency-Key seen before answers 200 with the report it made then (created: false)
             responses={200: {"model": ReportCreated, "description": "The Idempotency-Key matched an earlier report; "
                              "that report is returned and nothing new is stored."}},
             summary="Report a scam: the message or transcript, numbers, links, what happened, money lost")
def submit_report(
    body: ReportIn,
    request: Request,
    response: Response,
    key: Key,
    idempotency_key: Annotated[str | None, Header(max_length=128)] = None,
) -> dict:
    check_rate(request, "write")  # before the key: guessing keys is rate-limited too
    who = require_role(request, key, "write")
    store = _store(request)
    from ..reports.ingest import prepare
    from ..reports.store import known_scam_types, money_to_pence, type_label

    if body.scam_type and known_scam_types() and body.scam_type not in known_scam_types():
        raise InputError(f"unknown scam_type {body.scam_type!r}; known: {', '.join(sorted(known_scam_types()))}")
    message = to_message(body.message, request.app.state.settings)
    occurred = body.occurred_at
    if occurred is not None:
        occurred = occurred.replace(tzinfo=UTC) if occurred.tzinfo is None else occurred.astimezone(UTC)
        if occurred > datetime.now(UTC):
            raise InputError("occurred_at is in the future")
    new = prepare(message, analyzer=request.app.state.analyzer, numbers=body.numbers, links=body.links,
                  what_happened=body.what_happened, money_lost_pence=money_to_pence(body.money_lost),
                  area=body.area, occurred_at=occurred, claimed_type=body.scam_type)
    stored = store.add(new, source=who.name, client_ref=idempotency_key)
    if not stored.created:
        response.status_code = 200
    campaign = store.campaign(stored.campaign_id, reports=0) if stored.campaign_id else None
    return {
        "id": stored.id,
        "created": stored.created,
        "campaign": {"id": campaign["id"], "size": campaign["size"]} if campaign else None,
        "verdict": new.verdict,
        "risk": new.risk,
        "scam_type": new.scam_type,
        "scam_type_label": type_label(new.scam_type),
    }


@router.get("/reports", response_model=ReportList, tags=["reports"],
            summary="List and search reports (admin: reports hold what victims told us)")
def list_reports(
    request: Request,
    key: Key,
    q: Annotated[str | None, Query(max_length=200, description="Words in the message or the story")] = None,
    number: Annotated[str | None, Query(max_length=32)] = None,
    domain: Annotated[str | None, Query(max_length=255)] = None,
    scam_type: Annotated[str | None, Query(max_length=64)] = None,
    campaign_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    area: Annotated[str | None, Query(max_length=80)] = None,
    status: Annotated[str | None, Query(pattern="^(reported|not_scam)$")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict:
    check_rate(request, "read")
    require_role(request, key, "admin")
    store = _store(request)
    num = None
    if number:
        from ..reports.extract import e164

        num = e164(number)
        if num is None:
            raise InputError("number is not a phone number")
    total, items = store.search(q=q, number=num, domain=domain, scam_type=scam_type, campaign_id=campaign_id,
                                area=area, status=status, limit=limit, offset=offset)
    return {"total": total, "items": items}


@router.get("/reports/{report_id}", response_model=ReportOut, tags=["reports"], summary="One report (admin)")
def get_report(request: Request, key: Key, report_id: ReportId) -> dict:
    check_rate(request, "read")
    require_role(request, key, "admin")
    report = _store(request).get(report_id)
    if report is None:
        raise HTTPException(404, f"no report {report_id}")
    return report


@router.post("/reports/{report_id}/feedback", response_model=FeedbackOut, tags=["reports"],
             summary="Mark a report 'not a scam' (or undo that): it leaves its campaign and reputation")
def feedback(request: Request, key: Key, report_id: ReportId, body: FeedbackIn) -> dict:
    check_rate(request, "write")
    who = require_role(request, key, "write")
    try:
        return _store(request).feedback(report_id, not_scam=body.not_scam, note=body.note, source=who.name)
    except KeyError:
        raise HTTPException(404, f"no report {report_id}") from None


@router.get("/campaigns", response_model=CampaignList, tags=["intelligence"],
            summary="Campaigns: reports grouped by wording, numbers and link domains, biggest first")
def list_campaigns(
    request: Request,
    key: Key,
    min_size: Annotated[int, Query(ge=1, le=1_000_000)] = 2,
    scam_type: Annotated[str | None, Query(max_length=64)] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict:
    _intel(request, key)
    total, items = _store(request).campaigns(min_size=min_size, scam_type=scam_type, limit=limit, offset=offset)
    return {"total": total, "items": items}


@router.get("/campaigns/{campaign_id}", response_model=CampaignDetail, tags=["intelligence"],
            summary="One campaign: size, first/last seen, typical wording, numbers, domains, money, areas")
def get_campaign(request: Request, key: Key, campaign_id: ReportId) -> dict:
    _intel(request, key)
    found = _store(request).campaign(campaign_id)
    if found is None:
        raise HTTPException(404, f"no campaign {campaign_id}")
    return found


@router.get("/numbers/{number}/reputation", response_model=ReputationOut, tags=["intelligence"],
            summary="How often a number was reported, as what, and since when")
def reputation(request: Request, number: Annotated[str, Path(min_length=3, max_length=32)]) -> dict:
    check_rate(request, "read")
    from ..reports.extract import e164

    num = e164(number)
    if num is None:
        raise InputError("that is not a phone number")
    return _store(request).reputation(num)


@router.get("/blocklist", response_model=BlocklistOut, tags=["intelligence"],
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
            summary="Numbers and domains reported at least min_reports times, with evidence counts")
def blocklist(
    request: Request,
    key: Key,
    min_reports: Annotated[int, Query(ge=1, le=1_000_000)] = 2,
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",
):
    _intel(request, key)
    entries = _store(request).blocklist(min_reports=min_reports)
    if format == "csv":
        return PlainTextResponse(to_csv(entries), media_type="text/csv",
                                 headers={"Content-Disposition": 'attachment; filename="scamshield-blocklist.csv"'})
    return to_document(entries, min_reports)


@router.get("/stats", response_model=StatsOut, tags=["intelligence"],
            summary="The dashboard: reports per week for the biggest campaigns, top numbers and domains")
def stats(request: Request, key: Key, weeks: Annotated[int, Query(ge=1, le=104)] = 12) -> dict:
    _intel(request, key)
    return _store(request).stats(weeks=weeks)


@router.post("/admin/recluster", response_model=ReclusterOut, tags=["reports"],
             summary="Recompute every campaign from scratch (admin)")
def recluster(request: Request, key: Key) -> dict:
    check_rate(request, "write")
    require_role(request, key, "admin")
    return _store(request).recluster()

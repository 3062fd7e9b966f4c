"""Request and response bodies. Requests forbid unknown fields, so a typo is a 422, not ignored."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_TEXT = 50_000
MAX_TURNS = 2_000


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class TurnIn(Strict):
    # caller/callee: who placed and who answered the call (with "direction", which is the user);
    # user/other: said outright; unknown: no speaker labels (see models.role_of)
    speaker: Literal["caller", "callee", "user", "other", "unknown"] = "unknown"
    text: str = Field(max_length=MAX_TEXT)
    start: float | None = Field(None, ge=0, le=1e7)
    end: float | None = Field(None, ge=0, le=1e7)


class MessageIn(Strict):
    """A text message (``text``) or a call transcript (``turns``): the same JSON the CLI reads."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"anyOf": [{"required": ["text"]}, {"required": ["turns"]}]},
    )

    id: str | None = Field(None, max_length=128)
    channel: Literal["sms", "call"] | None = None
    # Typed without "| None": absent is fine, null is not, so the schema's anyOf(required) holds.
    text: str = Field(None, max_length=MAX_TEXT, pattern=r"\S", description="The message text.")
    turns: list[TurnIn] = Field(None, min_length=1, max_length=MAX_TURNS, description="A call, turn by turn.")
    sender: str | None = Field(None, max_length=64, description="Caller ID or SMS sender.")
    recipient: str | None = Field(None, max_length=64)
    direction: Literal["incoming", "outgoing"] | None = None
    dialled: str | None = Field(None, max_length=64)
    lure: str | None = Field(None, max_length=MAX_TEXT)  # the text or pop-up that gave the number dialled
    identity: str | None = Field(None, max_length=8_192, description="SIP Identity header (STIR/SHAKEN).")
    verstat: str | None = Field(None, max_length=64)


class SpanOut(BaseModel):
    text: str
    start: int
    end: int
    turn: int | None


class FlagOut(BaseModel):
    id: str
    description: str
    weight: float
    confidence: float
    group: str
    status: Literal["warning", "reassuring", "cancelled", "outweighed"] = Field(
        "warning", description="warning: counts toward the verdict; reassuring: a sign it is genuine; "
        "cancelled: made meaningless by another signal; outweighed: fired, but the verdict is safe or spam")
    reason: str | None = Field(None, description="Why a flag was cancelled or outweighed.")
    evidence: list[SpanOut]
    note: str | None = None


class AdviceOut(BaseModel):
    text: str
    source: str


class ContributionOut(BaseModel):
    id: str
    kind: str
    score: str
    points: float
    weight: float | None = None
    confidence: float | None = None


class VerdictOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str | None
    verdict: Literal["scam", "suspicious", "spam", "safe"]
    risk: float
    spam_score: float
    scam_type: str | None
    scam_type_label: str | None
    flags: list[FlagOut]
    advice: list[AdviceOut]
    contributions: list[ContributionOut]


class ErrorOut(BaseModel):
    error: str
    detail: list[dict] | None = None


class FeaturesOut(BaseModel):
    store: str | None = Field(description="'sqlite', 'postgresql', or null when no reports store is set up")
    callerid: bool
    live_calls: bool
    transcription: bool


class HealthOut(BaseModel):
    status: Literal["ok"]
    version: str
    features: FeaturesOut


class PageConfigOut(BaseModel):
    features: FeaturesOut
    report_key: str | None = Field(None, description="A key the local web page may use to submit reports.")
    intel_needs_key: bool


# ----------------------------------------------------------------------------------------- reports


class ReportIn(Strict):
    message: MessageIn
    numbers: list[str] = Field(default_factory=list, max_length=20,
                               description="Phone numbers involved: the caller, or numbers to call back.")
    links: list[str] = Field(default_factory=list, max_length=20)
    what_happened: str | None = Field(None, max_length=5_000)
    money_lost: float | None = Field(None, ge=0, le=100_000_000, description="Pounds lost, if any.")
    area: str | None = Field(None, max_length=80, description="Town or county, e.g. 'Hertfordshire'.")
    occurred_at: datetime | None = Field(None, strict=False, description="When it happened (ISO 8601).")
    scam_type: str | None = Field(None, max_length=64, pattern=r"^[a-z][a-z0-9_]*$",
                                  description="What the reporter thinks it was (a scam type id).")


class CampaignRef(BaseModel):
    id: int
    size: int


class ReportCreated(BaseModel):
    id: int
    created: bool = Field(description="False when the Idempotency-Key matched an earlier report.")
    campaign: CampaignRef | None
    verdict: str | None
    risk: float | None
    scam_type: str | None
    scam_type_label: str | None


class NumberRole(BaseModel):
    number: str
    role: str


class ReportOut(BaseModel):
    id: int
    channel: str
    text: str
    sender: str | None
    seen_at: str | None
    scam_type: str | None
    verdict: str | None
    risk: float | None
    numbers: list[NumberRole]
    domains: list[str]
    what_happened: str | None = None
    area: str | None = None
    money_lost: float | None = None
    status: str | None = None
    campaign_id: int | None = None
    claimed_type: str | None = None
    received_at: str | None = None
    turns: list[dict] | None = None


class ReportList(BaseModel):
    total: int
    items: list[ReportOut]


class FeedbackIn(Strict):
    not_scam: bool = Field(True, description="true: this is not a scam; false: undo that.")
    note: str | None = Field(None, max_length=1_000)


class FeedbackOut(BaseModel):
    id: int
    status: str
    campaign_id: int | None


class NumberCount(BaseModel):
    number: str
    reports: int


class DomainCount(BaseModel):
    domain: str
    reports: int


class AreaCount(BaseModel):
    area: str
    reports: int


class CampaignOut(BaseModel):
    id: int
    size: int
    first_seen: str | None
    last_seen: str | None
    scam_type: str | None
    scam_type_label: str | None
    typical_wording: str
    numbers: list[NumberCount]
    domains: list[DomainCount]
    money_lost: float
    reports_with_loss: int
    areas: list[AreaCount]
    channels: dict[str, int]


class WeekCount(BaseModel):
    week: str
    reports: int


class CampaignDetail(CampaignOut):
    timeline: list[WeekCount]
    latest_reports: list[ReportOut]
    merged_from: int | None = None


class CampaignList(BaseModel):
    total: int
    items: list[CampaignOut]


class TypeCount(BaseModel):
    scam_type: str
    label: str | None
    reports: int


class ReputationOut(BaseModel):
    number: str
    reports: int
    as_caller: int
    as_callback: int
    not_scam: int
    first_seen: str | None
    last_seen: str | None
    scam_types: list[TypeCount]
    campaigns: list[int]
    protected: bool
    summary: str


class NumberOut(BaseModel):
    number: str = Field(description="E.164")
    valid: bool
    region: str | None
    kind: str | None = Field(description="The number's type as the caller-ID checks name it: mobile, fixed_line, "
                             "toll_free, premium_rate, shared_cost, uan, voip, personal, unknown...")
    reputation: ReputationOut | None
    callerid: dict | None = Field(None, description="The caller-ID module's explanation.")


class BlockEntry(BaseModel):
    type: Literal["number", "domain"]
    value: str
    reports: int
    campaigns: int
    first_seen: str | None
    last_seen: str | None
    money_lost: float | None


class BlocklistOut(BaseModel):
    generated_at: str
    min_reports: int
    entries: list[BlockEntry]


class Series(BaseModel):
    campaign_id: int | None
    label: str
    counts: list[int]


class TypeMoney(BaseModel):
    scam_type: str | None
    label: str | None
    reports: int
    money_lost: float


class StatsOut(BaseModel):
    reports: int
    money_lost: float
    campaigns: int
    weeks: list[str]
    series: list[Series]
    top_campaigns: list[CampaignOut]
    top_numbers: list[NumberCount]
    top_domains: list[DomainCount]
    by_scam_type: list[TypeMoney]


class ReclusterOut(BaseModel):
    reports: int
    campaigns: int
    multi_report_campaigns: int


# ------------------------------------------------------------------------------------- screening


class ScreenIn(Strict):
    """A call about to ring: what a telephony webhook knows (Twilio names accepted: From, To...)."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)

    from_: str = Field(alias="from", min_length=1, max_length=256, description="Caller ID (SIP From / CLI).")
    to: str | None = Field(None, max_length=256, description="The number called.")
    identity: str | None = Field(None, max_length=8_192, description="SIP Identity header (STIR/SHAKEN).")
    verstat: str | None = Field(None, max_length=64, description="Carrier verification, e.g. TN-Validation-Passed-A.")


class ScreenFlag(BaseModel):
    id: str
    confidence: float
    note: str | None


class ScreenOut(BaseModel):
    action: Literal["allow", "warn", "block"]
    reasons: list[str]
    flags: list[ScreenFlag]
    number: str | None = Field(description="E.164, when the caller ID is a number")
    reputation: ReputationOut | None
    callerid: dict = Field(description="The caller-ID checks in full: number, STIR/SHAKEN, verstat")


# ------------------------------------------------------------------------------------ recordings


class TranscriptTurn(BaseModel):
    speaker: str
    text: str
    start: float | None = None
    end: float | None = None


class RecordingOut(BaseModel):
    turns: list[TranscriptTurn]
    alert: dict | None = Field(description="The alert event: the moment a person on the call would be warned.")
    verdict: VerdictOut

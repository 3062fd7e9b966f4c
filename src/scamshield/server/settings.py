"""Server settings: one frozen object, built by ``scamshield serve`` or by tests. No globals."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field

from ..errors import InputError

ROLES = ("write", "admin")  # admin may do everything write may


@dataclass(frozen=True, slots=True)
class ApiKey:
    name: str  # what logs and stored reports record; the key itself is never stored or logged
    role: str


@dataclass(frozen=True)
class Settings:
    db_url: str | None = None  # None: no reports store (check/screen only); a path or SQLAlchemy URL
    api_keys: dict[str, ApiKey] = field(default_factory=dict)  # key -> name and role
    page_key: str | None = None  # a write key the web page may use for one-click reports
    cors_origins: tuple[str, ...] = ()  # CORS is off unless origins are listed
    allowed_hosts: tuple[str, ...] = ()  # Host headers accepted (empty: any); guards against DNS rebinding
    max_body_bytes: int = 1_000_000
    max_upload_bytes: int = 50_000_000  # call recordings: about 25 minutes of 16 kHz stereo WAV
    max_text_chars: int = 50_000
    max_turns: int = 2_000
    rate_per_minute: int = 120  # per client address, for reading and checking
    write_rate_per_minute: int = 30  # per client address, for submitting reports, feedback and recordings
    auth_failures_per_minute: int = 10  # wrong API keys per client address before every keyed request is 429
    intel_needs_key: bool = False  # True: campaigns, stats and blocklist need an admin key
    demo: bool = False  # load the demo reports into an empty store
    # -- connections (enforced by the server process, scamshield serve)
    header_timeout: float = 10.0  # seconds a client has to send a request's headers (then the connection closes)
    body_timeout: float = 60.0  # seconds a client has to send a request's body (then 408)
    send_timeout: float = 30.0  # seconds a response may wait for a client that does not read it (then dropped)
    max_connections: int = 1_000  # open connections and requests in all; more are answered 503
    max_json_depth: int = 32  # nesting of JSON objects and arrays (live-call frames, PASSporTs)
    # -- call recordings (POST /v1/calls/recording)
    max_recording_seconds: float = 1_800.0  # refused from the file header before decoding, and if decoding runs past it
    recording_work_seconds: float = 300.0  # wall-clock budget for one recording: decoding and recognition
    recording_workers: int = 1  # recordings processed at once (the speech engine serves live calls first)
    recording_queue: int = 4  # recordings waiting for a worker; more are answered 429
    # -- live calls (WS /v1/calls/live)
    live_origins: tuple[str, ...] = ()  # browser origins allowed besides the server's own (and cors_origins)
    live_per_client: int = 4  # open live calls per client address
    live_max_calls: int = 200  # open live calls in all
    live_messages_per_minute: int = 120  # text messages per client address (a burst of this many first)
    live_max_call_chars: int = 500_000  # characters of transcript in one live call
    live_audio_speed: float = 2.0  # audio accepted at most this many times faster than real time...
    live_audio_burst_seconds: float = 120.0  # ...after a first burst of this much audio
    live_send_timeout: float = 10.0  # a client that takes longer than this to read an update is disconnected
    live_idle_seconds: float = 300.0  # a call with no message for this long is closed

    @staticmethod
    def parse_keys(spec: str) -> dict[str, ApiKey]:
        """``name:role:key`` entries separated by commas or newlines (env SCAMSHIELD_API_KEYS)."""
        keys: dict[str, ApiKey] = {}
        for entry in spec.replace("\n", ",").split(","):
            entry = entry.strip()
            if not entry or entry.startswith("#"):
                continue
            parts = entry.split(":", 2)
            if len(parts) != 3 or parts[1] not in ROLES or len(parts[2]) < 16:
                raise InputError(
                    "API keys are written name:role:key, role one of write/admin, key at least 16 characters"
                )
            keys[parts[2]] = ApiKey(parts[0], parts[1])
        return keys

    @staticmethod
    def keys_from_env() -> dict[str, ApiKey]:
        spec = os.environ.get("SCAMSHIELD_API_KEYS", "")
        path = os.environ.get("SCAMSHIELD_API_KEYS_FILE")
        if path:
            try:
                with open(path, encoding="utf-8") as fh:
                    spec += "," + fh.read()
            except OSError as exc:
                raise InputError(f"cannot read SCAMSHIELD_API_KEYS_FILE {path}: {exc.strerror}") from None
        return Settings.parse_keys(spec)


def new_key() -> str:
    return secrets.token_urlsafe(24)

"""Reading what a call carries: the SIP Identity header (RFC 8224) split into its PASSporT and
parameters, and the token's base64url parts decoded into JSON objects. Malformed input is a failed
``StirResult`` with its reason, never an exception."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from typing import Any

from ...jsonsafe import loads
from .result import StirResult, fail

MAX_JSON_DEPTH = 16  # a PASSporT nests 3 levels (payload, dest, tn list); json.loads recurses per level
_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")


def b64url_decode(part: str) -> bytes:
    if not _B64URL.match(part):
        raise ValueError("characters outside base64url")
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(str(exc)) from exc


def loads_claims(text: str) -> Any:
    """JSON from a token part: ValueError (never RecursionError) for what is not usable JSON."""
    return loads(text, MAX_JSON_DEPTH)


def json_object(part: str, what: str) -> dict | StirResult:
    try:
        raw = b64url_decode(part)
    except ValueError as exc:
        return fail("malformed_base64", f"{what}: {exc}")
    try:
        obj = loads_claims(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return fail("malformed_json", f"{what}: {exc.__class__.__name__}")
    except json.JSONDecodeError as exc:
        return fail("malformed_json", f"{what}: {exc.__class__.__name__}")
    except ValueError as exc:
        return fail("malformed_json", f"{what}: {exc}")
    if not isinstance(obj, dict):
        return fail("malformed_json", f"{what} is not a JSON object")
    return obj


@dataclass(frozen=True, slots=True)
class IdentityHeader:
    token: str
    params: dict[str, str] = field(default_factory=dict)


def parse_identity_header(value: str) -> IdentityHeader | StirResult:
    """Split ``<jws>;info=<url>;alg=ES256;ppt=shaken`` (a bare PASSporT has no parameters)."""
    text = value.strip()
    if text.lower().startswith("identity:"):
        text = text[len("identity:") :].strip()
    if not text:
        return fail("malformed_header", "empty")
    token, _, rest = text.partition(";")
    params: dict[str, str] = {}
    for item in rest.split(";") if rest else ():
        key, sep, val = item.strip().partition("=")
        if not sep:
            continue
        val = val.strip()
        if val.startswith("<") and val.endswith(">"):
            val = val[1:-1]
        params[key.strip().lower()] = val.strip('"')
    token = token.strip()
    if token.count(".") != 2:
        return fail("malformed_header", "a PASSporT has three dot-separated parts")
    return IdentityHeader(token, params)

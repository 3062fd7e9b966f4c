"""Verify a STIR/SHAKEN signature on a call: a SIP ``Identity`` header or a bare PASSporT.

Standards: RFC 8224 (SIP Identity), RFC 8225 (PASSporT), RFC 8226 (certificates, TNAuthList),
RFC 8588 (the SHAKEN extension), ATIS-1000074 (the verification procedure). The steps follow
ATIS-1000074 as Asterisk implements it: parse, check the header fields, freshness, the x5u URL,
fetch the certificate and check its chain to our trust anchors and its TNAuthList, verify the ES256
signature, then match orig/dest to the call's From/To. Every failure is a ``StirResult`` with a
specific ``reason`` code and a plain-English ``detail``; nothing here raises on bad input.

UK networks do not sign calls yet, so this is extra evidence for US/Canadian/French routes and SIP
deployments, never the main defence. A valid signature says which network vouched for the number
(attestation A/B/C), not who is speaking.

pyjwt and cryptography (the ``stir`` extra) are imported only when a token is actually verified.
Certificates come from a ``CertificateResolver``: ``LocalFileResolver`` (files on disk, for tests
and closed deployments) or ``HttpsResolver`` (HTTPS with a timeout, a size cap and a cache).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .numbers import canonical_tn

TNAUTHLIST_OID = "1.3.6.1.5.5.7.1.26"
MAX_IDENTITY_LEN = 8192
MAX_JSON_DEPTH = 16  # a PASSporT nests 3 levels (payload, dest, tn list); json.loads recurses per level
MAX_TN_LEN = 256  # a From/To longer than this is no telephone number (and is not parsed)
MAX_CERT_BYTES = 64 * 1024
DEFAULT_MAX_AGE = 60  # seconds (RFC 8224 recommendation; ATIS-1000074)
DEFAULT_MAX_FUTURE = 5  # clock-skew allowance for iat in the future
_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_MAX_AGE_RE = re.compile(r"max-age\s*=\s*(\d+)", re.IGNORECASE)
_JSON_SPECIAL = re.compile(r'[\[\]{}"\\]')

# reason code -> what it means, for a person.
REASONS: dict[str, str] = {
    "ok": "The call's digital signature checked out.",
    "absent": "The call carried no digital signature. That is normal for UK calls today.",
    "dependency_missing": "STIR/SHAKEN checking needs the optional 'stir' extra: pip install 'scamshield[stir]'.",
    "malformed_header": "The Identity header is not in the format the standard requires.",
    "compact_form": "The signature is in the compact form, which SHAKEN does not allow.",
    "malformed_base64": "Part of the signed token is not valid base64url, so it was damaged or forged.",
    "malformed_json": "Part of the signed token is not valid JSON, so it was damaged or forged.",
    "alg_none": "The token claims it needs no signature ('alg: none'), a known forgery trick.",
    "wrong_alg": "The token uses a signature method other than ES256, which SHAKEN requires.",
    "wrong_ppt": "The token is not a SHAKEN PASSporT.",
    "wrong_typ": "The token is not a PASSporT (its type is wrong).",
    "missing_x5u": "The token does not say where its certificate is.",
    "x5u_mismatch": "The certificate address in the header and in the token are different.",
    "x5u_not_https": "The certificate address is not a secure https:// address.",
    "x5u_bad_url": "The certificate address is not allowed (bad port, user name, query or fragment).",
    "missing_claim": "The token is missing a claim the standard requires.",
    "bad_claim": "A claim in the token has the wrong shape.",
    "bad_attest": "The token's attestation level is not A, B or C.",
    "stale": "The signature is too old for this call, so it may have been copied from another call.",
    "future_iat": "The signature is dated in the future.",
    "orig_mismatch": "The signature was made for a different calling number than the one shown to you.",
    "dest_mismatch": "The signature was made for a call to a different number.",
    "cert_unavailable": "No way to get the signer's certificate is configured.",
    "cert_fetch_failed": "The signer's certificate could not be fetched.",
    "cert_invalid": "The signer's certificate could not be read.",
    "unknown_ca": "The signer's certificate was not issued by a trusted STIR/SHAKEN authority.",
    "chain_invalid": "The signer's certificate chain is broken.",
    "cert_expired": "The signer's certificate has expired.",
    "cert_not_yet_valid": "The signer's certificate is not valid yet.",
    "wrong_key_type": "The signer's certificate does not hold a P-256 key.",
    "no_tnauthlist": "The signer's certificate does not say which numbers or provider it covers.",
    "bad_tnauthlist": "The list of numbers in the signer's certificate is malformed.",
    "tn_not_authorised": "The signer's certificate does not cover the calling number.",
    "bad_signature": "The signature does not match: the token was altered or signed with another key.",
}

ATTESTATION: dict[str, str] = {
    "A": "full attestation: the signing network knows the caller and that they may use this number",
    "B": "partial attestation: the signing network knows the caller but not that they may use this number",
    "C": "gateway attestation: the network only passed the call on and does not know who made it",
}


@dataclass(frozen=True, slots=True)
class StirResult:
    status: str  # "passed" | "failed" | "absent"
    reason: str  # "ok" or a key of REASONS
    detail: str = ""
    attest: str | None = None
    orig_tn: str | None = None
    dest_tns: tuple[str, ...] = ()
    origid: str | None = None
    iat: int | None = None
    x5u: str | None = None
    trust: str | None = None  # "chain" (to a trust anchor) | "pinned" (a configured key)

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def explanation(self) -> str:
        base = REASONS.get(self.reason, self.reason)
        return f"{base} ({self.detail})" if self.detail else base

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "reason": self.reason,
            "explanation": self.explanation,
            "attest": self.attest,
            "orig_tn": self.orig_tn,
            "dest_tns": list(self.dest_tns),
            "origid": self.origid,
            "iat": self.iat,
            "x5u": self.x5u,
            "trust": self.trust,
        }


def _fail(reason: str, detail: str = "", **kw: Any) -> StirResult:
    return StirResult("failed", reason, detail, **kw)


# ----------------------------------------------------------------------------- certificates

class CertificateFetchError(Exception):
    """A certificate could not be obtained; the message says why."""


class CertificateResolver(Protocol):
    def fetch(self, url: str) -> bytes:
        """The PEM bytes (leaf first, then any intermediates) published at ``url``."""
        ...


class LocalFileResolver:
    """Certificates from local files: an explicit {url: path} map, else ``directory`` / the URL's
    file name (so https://cert.example.org/sp.pem -> directory/sp.pem)."""

    def __init__(self, mapping: Mapping[str, str | Path] | None = None, directory: str | Path | None = None):
        self.mapping = {k: Path(v) for k, v in (mapping or {}).items()}
        self.directory = Path(directory) if directory else None

    def fetch(self, url: str) -> bytes:
        path = self.mapping.get(url)
        if path is None and self.directory is not None:
            name = Path(urllib.parse.urlsplit(url).path).name
            if name and name not in (".", ".."):
                path = self.directory / name
        if path is None:
            raise CertificateFetchError(f"no local certificate configured for {url}")
        try:
            with path.open("rb") as fh:
                data = fh.read(MAX_CERT_BYTES + 1)
        except OSError as exc:
            raise CertificateFetchError(f"cannot read {path}: {exc.strerror or exc}") from exc
        if len(data) > MAX_CERT_BYTES:
            raise CertificateFetchError(f"{path} is larger than {MAX_CERT_BYTES} bytes")
        return data


class HttpsResolver:
    """Fetch x5u certificates over HTTPS for production use.

    Only https:// on an allowed port; a short timeout; a size cap; the body must be PEM. Results are
    cached for at least ``min_ttl`` seconds (ATIS-1000074 says 24 hours) or longer when the
    response's Cache-Control says so, but never past the leaf certificate's expiry.
    """

    def __init__(
        self,
        *,
        timeout: float = 2.0,
        max_bytes: int = 16 * 1024,
        min_ttl: float = 24 * 3600,
        allowed_ports: Iterable[int] | None = (443, 8443),
        ssl_context: Any = None,
        clock: Callable[[], float] = time.time,
        max_entries: int = 1024,
        failure_ttl: float = 60.0,
        allow_private: bool = False,
    ):
        self.allow_private = allow_private
        self.timeout = timeout
        self.failure_ttl = failure_ttl
        self.max_bytes = max_bytes
        self.min_ttl = min_ttl
        self.allowed_ports = None if allowed_ports is None else frozenset(allowed_ports)
        self.ssl_context = ssl_context
        self.clock = clock
        self.max_entries = max_entries
        self._cache: dict[str, tuple[float, bytes]] = {}
        self._failures: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def fetch(self, url: str) -> bytes:
        now = self.clock()
        with self._lock:
            hit = self._cache.get(url)
            failed = self._failures.get(url)
        if hit is not None and hit[0] > now:
            return hit[1]
        if failed is not None and failed[0] > now:
            # A failing or slow host is not retried on every call: that would let any caller add
            # a full timeout to call set-up by naming a slow x5u.
            raise CertificateFetchError(failed[1] + " (cached failure)")
        try:
            return self._fetch(url, now)
        except CertificateFetchError as exc:
            with self._lock:
                if len(self._failures) >= self.max_entries:
                    self._failures.clear()
                self._failures[url] = (now + self.failure_ttl, str(exc))
            raise

    def _fetch(self, url: str, now: float) -> bytes:
        problem = url_problem(url, allow_http=False, allowed_ports=self.allowed_ports)
        if problem:
            raise CertificateFetchError(problem[1])
        if not self.allow_private and _is_private_host(urllib.parse.urlsplit(url).hostname or ""):
            # A caller chooses the x5u: do not let them make us probe our own network.
            raise CertificateFetchError(f"{url} points at a private or local address")
        import ssl
        from urllib import error as urlerror
        from urllib import request as urlrequest

        ctx = self.ssl_context or ssl.create_default_context()
        req = urlrequest.Request(url, headers={"Accept": "application/pem-certificate-chain"})
        try:
            with urlrequest.urlopen(req, timeout=self.timeout, context=ctx) as resp:  # url_problem() allowed https only
                declared = resp.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise CertificateFetchError(f"certificate at {url} is larger than {self.max_bytes} bytes")
                body = resp.read(self.max_bytes + 1)
                cache_control = resp.headers.get("Cache-Control", "")
        except CertificateFetchError:
            raise
        except urlerror.HTTPError as exc:
            raise CertificateFetchError(f"{url} answered HTTP {exc.code}") from exc
        except (urlerror.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise CertificateFetchError(f"cannot fetch {url}: {reason}") from exc
        if len(body) > self.max_bytes:
            raise CertificateFetchError(f"certificate at {url} is larger than {self.max_bytes} bytes")
        if not body.lstrip().startswith(b"-----BEGIN CERTIFICATE-----"):
            raise CertificateFetchError(f"{url} did not return a PEM certificate")
        ttl = self.min_ttl
        m = _MAX_AGE_RE.search(cache_control)
        if m:
            ttl = max(ttl, float(m.group(1)))
        if "no-store" in cache_control.lower():
            ttl = 0.0
        expires = now + ttl
        not_after = _leaf_not_after(body)
        if not_after is not None:
            expires = min(expires, not_after)
        with self._lock:
            if len(self._cache) >= self.max_entries:
                self._cache.clear()
            self._cache[url] = (expires, body)
        return body


def _is_private_host(host: str) -> bool:
    import ipaddress

    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_unspecified


def _leaf_not_after(pem: bytes) -> float | None:
    try:
        from cryptography import x509

        return x509.load_pem_x509_certificates(pem)[0].not_valid_after_utc.timestamp()
    except Exception:  # unreadable PEM: the verifier reports it properly later
        return None


def url_problem(
    url: str, *, allow_http: bool = False, allowed_ports: Iterable[int] | None = (443, 8443)
) -> tuple[str, str] | None:
    """(reason, detail) when an x5u URL breaks the policy (https, no userinfo/query/fragment,
    allowed port), else None. Blocks using the verifier to reach arbitrary internal services."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return "x5u_bad_url", f"cannot parse {url!r}"
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "x5u_bad_url", f"{url!r} is not an https URL"
    if parts.scheme == "http" and not allow_http:
        return "x5u_not_https", url
    if parts.username or parts.password or parts.query or parts.fragment:
        return "x5u_bad_url", f"{url!r} has a user name, query or fragment"
    if port is not None and allowed_ports is not None and port not in set(allowed_ports):
        return "x5u_bad_url", f"port {port} is not allowed"
    return None


# ----------------------------------------------------------------------------- TNAuthList (RFC 8226)

@dataclass(frozen=True, slots=True)
class TNAuthList:
    spcs: tuple[str, ...] = ()
    tns: tuple[str, ...] = ()
    ranges: tuple[tuple[str, int], ...] = ()  # (start, count)

    def covers(self, tn: str) -> bool | None:
        """True/False when the list names numbers; None when it only names providers (SPC)."""
        if not self.tns and not self.ranges:
            return None
        if tn in self.tns:
            return True
        for start, count in self.ranges:
            if len(tn) == len(start) and tn.isdigit() and start.isdigit():
                if int(start) <= int(tn) < int(start) + count:
                    return True
        return False


def _der_read(data: bytes, pos: int) -> tuple[int, bytes, int]:
    """One DER TLV at ``pos``: (tag, value, next position). Raises ValueError when malformed."""
    if pos + 2 > len(data):
        raise ValueError("truncated")
    tag = data[pos]
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        n = length & 0x7F
        if n == 0 or n > 3 or pos + n > len(data):
            raise ValueError("bad length")
        length = int.from_bytes(data[pos : pos + n], "big")
        pos += n
    end = pos + length
    if end > len(data):
        raise ValueError("truncated value")
    return tag, data[pos:end], end


def _ia5(tag: int, value: bytes) -> str:
    if tag != 0x16:
        raise ValueError("expected IA5String")
    return value.decode("ascii")


def parse_tnauthlist(der: bytes) -> TNAuthList:
    """Parse TNAuthorizationList ::= SEQUENCE OF TNEntry (EXPLICIT tags):
    [0] ServiceProviderCode (IA5String) | [1] TelephoneNumberRange | [2] TelephoneNumber."""
    tag, body, end = _der_read(der, 0)
    if tag != 0x30 or end != len(der):
        raise ValueError("TNAuthList is not a single SEQUENCE")
    spcs: list[str] = []
    tns: list[str] = []
    ranges: list[tuple[str, int]] = []
    pos = 0
    while pos < len(body):
        etag, inner, pos = _der_read(body, pos)
        if etag == 0xA0:
            t, v, e = _der_read(inner, 0)
            spcs.append(_ia5(t, v))
        elif etag == 0xA2:
            t, v, e = _der_read(inner, 0)
            tns.append(_ia5(t, v))
        elif etag == 0xA1:
            t, v, e = _der_read(inner, 0)
            if t != 0x30:
                raise ValueError("range is not a SEQUENCE")
            st, sv, p = _der_read(v, 0)
            ct, cv, p = _der_read(v, p)
            if ct != 0x02:
                raise ValueError("range count is not an INTEGER")
            ranges.append((_ia5(st, sv), int.from_bytes(cv, "big")))
        else:
            raise ValueError(f"unexpected entry tag 0x{etag:02x}")
        if e != len(inner):
            raise ValueError("trailing bytes in entry")
    if not (spcs or tns or ranges):
        raise ValueError("empty TNAuthList")
    return TNAuthList(tuple(spcs), tuple(tns), tuple(ranges))


def encode_tnauthlist(spcs: Iterable[str] = (), tns: Iterable[str] = ()) -> bytes:
    """DER for a TNAuthList (used to issue test and demo certificates)."""

    def tlv(tag: int, value: bytes) -> bytes:
        n = len(value)
        if n < 0x80:
            return bytes([tag, n]) + value
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        return bytes([tag, 0x80 | len(b)]) + b + value

    entries = b"".join(tlv(0xA0, tlv(0x16, s.encode("ascii"))) for s in spcs)
    entries += b"".join(tlv(0xA2, tlv(0x16, t.encode("ascii"))) for t in tns)
    return tlv(0x30, entries)


# ----------------------------------------------------------------------------- the verifier

def _b64url_decode(part: str) -> bytes:
    if not _B64URL.match(part):
        raise ValueError("characters outside base64url")
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(str(exc)) from exc


def _too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON ``text`` nests objects/arrays deeper than ``limit`` (a linear scan, no recursion):
    a payload nested 1,000 deep is a RecursionError in json.loads, so it is refused before parsing."""
    depth, in_string, escaped_at = 0, False, -1
    for m in _JSON_SPECIAL.finditer(text):
        i, ch = m.start(), m.group()
        if i == escaped_at:
            continue
        if in_string:
            if ch == "\\":
                escaped_at = i + 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def _loads(text: str) -> Any:
    """json.loads for token parts: ValueError (never RecursionError) for what is not usable JSON."""
    if _too_deep(text):
        raise ValueError(f"nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        return json.loads(text)
    except RecursionError:  # belt and braces: the scan above should have refused it
        raise ValueError("nested too deeply") from None


def _json_object(part: str, what: str) -> dict | StirResult:
    try:
        raw = _b64url_decode(part)
    except ValueError as exc:
        return _fail("malformed_base64", f"{what}: {exc}")
    try:
        obj = _loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return _fail("malformed_json", f"{what}: {exc.__class__.__name__}")
    except json.JSONDecodeError as exc:
        return _fail("malformed_json", f"{what}: {exc.__class__.__name__}")
    except ValueError as exc:
        return _fail("malformed_json", f"{what}: {exc}")
    if not isinstance(obj, dict):
        return _fail("malformed_json", f"{what} is not a JSON object")
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
        return _fail("malformed_header", "empty")
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
        return _fail("malformed_header", "a PASSporT has three dot-separated parts")
    return IdentityHeader(token, params)


class StirVerifier:
    """Verify SHAKEN PASSporTs.

    ``trust_anchors``: STI-CA root certificates (cryptography objects, PEM bytes, or paths).
    ``resolver``: where x5u certificates come from. ``pinned_keys``: {x5u: public key or PEM} trusted
    directly without a chain (for a known peer, or vectors that ship only a public key).
    ``clock`` returns the current time (seconds); inject it in tests. ``strict=False`` tolerates the
    known deviations of early implementations (orig/dest as JSON strings, http x5u, non-RFC
    TNAuthList) but still checks the signature, freshness, numbers and chain.
    """

    def __init__(
        self,
        *,
        trust_anchors: Iterable[Any] = (),
        resolver: CertificateResolver | None = None,
        pinned_keys: Mapping[str, Any] | None = None,
        clock: Callable[[], float] = time.time,
        max_age: int = DEFAULT_MAX_AGE,
        max_future: int = DEFAULT_MAX_FUTURE,
        strict: bool = True,
        allowed_ports: Iterable[int] | None = (443, 8443),
    ):
        self._anchor_inputs = tuple(trust_anchors)
        self._pinned_inputs = dict(pinned_keys or {})
        self.resolver = resolver
        self.clock = clock
        self.max_age = max_age
        self.max_future = max_future
        self.strict = strict
        self.allowed_ports = None if allowed_ports is None else frozenset(allowed_ports)
        self._anchors: list[Any] | None = None
        self._pinned: dict[str, Any] | None = None
        self._chain_cache: dict[bytes, Any] = {}
        self._lock = threading.Lock()

    @property
    def configured(self) -> bool:
        """True when some key can be trusted (anchors plus a resolver, or pinned keys)."""
        return bool(self._pinned_inputs) or (bool(self._anchor_inputs) and self.resolver is not None)

    # -- loading trust material (lazily: only when a token must be verified)
    def _load_trust(self, x509: Any, serialization: Any) -> None:
        if self._anchors is not None:
            return
        anchors: list[Any] = []
        for item in self._anchor_inputs:
            if isinstance(item, str | Path):
                p = Path(item)
                files = sorted(p.glob("*.pem")) if p.is_dir() else [p]
                for f in files:
                    anchors.extend(x509.load_pem_x509_certificates(f.read_bytes()))
            elif isinstance(item, bytes):
                anchors.extend(x509.load_pem_x509_certificates(item))
            else:
                anchors.append(item)
        pinned: dict[str, Any] = {}
        for url, key in self._pinned_inputs.items():
            if isinstance(key, Path) or (isinstance(key, str) and "-----BEGIN" not in key):
                key = Path(key).read_bytes()  # a file path
            if isinstance(key, str):
                key = key.encode()
            if isinstance(key, bytes):
                key = serialization.load_pem_public_key(key)
            pinned[url] = key
        self._pinned = pinned
        self._anchors = anchors

    def verify(
        self, identity: str | None, *, orig: str | None = None, dest: str | None = None, now: float | None = None
    ) -> StirResult:
        """Verify one Identity header value (or several, comma-separated: the first that passes wins,
        as RFC 8224 asks) against the call's From (``orig``) and To (``dest``)."""
        if identity is None or not str(identity).strip():
            return StirResult("absent", "absent")
        if not isinstance(identity, str):
            return _fail("malformed_header", "not text")
        if len(identity) > MAX_IDENTITY_LEN:
            return _fail("malformed_header", f"longer than {MAX_IDENTITY_LEN} characters")
        now = self.clock() if now is None else now
        results = [self._verify_one(v, orig, dest, now) for v in identity.split(",") if v.strip()]
        if not results:
            return _fail("malformed_header", "empty")
        for r in results:
            if r.passed:
                return r
        return results[0]

    def _verify_one(self, value: str, orig: str | None, dest: str | None, now: float) -> StirResult:
        parsed = parse_identity_header(value)
        if isinstance(parsed, StirResult):
            return parsed
        h_part, p_part, s_part = parsed.token.split(".")
        if not p_part:
            return _fail("compact_form")
        header = _json_object(h_part, "header")
        if isinstance(header, StirResult):
            return header
        payload = _json_object(p_part, "payload")
        if isinstance(payload, StirResult):
            return payload
        try:
            _b64url_decode(s_part)
        except ValueError as exc:
            return _fail("malformed_base64", f"signature: {exc}")

        # 1. header fields
        alg = header.get("alg")
        if isinstance(alg, str) and alg.lower() == "none":
            return _fail("alg_none")
        if alg != "ES256":
            return _fail("wrong_alg", f"alg is {alg!r}")
        if parsed.params.get("alg", "ES256") != "ES256":
            return _fail("wrong_alg", f"header parameter alg={parsed.params['alg']}")
        if header.get("ppt") != "shaken" or parsed.params.get("ppt", "shaken") != "shaken":
            return _fail("wrong_ppt", f"ppt is {header.get('ppt')!r}")
        if header.get("typ") != "passport" and (self.strict or "typ" in header):
            return _fail("wrong_typ", f"typ is {header.get('typ')!r}")
        x5u = header.get("x5u")
        if not isinstance(x5u, str) or not x5u:
            return _fail("missing_x5u")
        info = parsed.params.get("info")
        if info is not None and info != x5u:
            return _fail("x5u_mismatch", f"info={info} but x5u={x5u}", x5u=x5u)
        problem = url_problem(x5u, allow_http=not self.strict, allowed_ports=self.allowed_ports)
        if problem:
            return _fail(problem[0], problem[1], x5u=x5u)

        # 2. claims
        claims = self._claims(payload)
        if isinstance(claims, StirResult):
            return claims
        attest, orig_tn, dest_tns, origid, iat = claims
        ctx = {"attest": attest, "orig_tn": orig_tn, "dest_tns": dest_tns, "origid": origid, "iat": iat, "x5u": x5u}

        # 3. freshness
        age = now - iat
        if age > self.max_age:
            return _fail("stale", f"signed {int(age)} s before the call; the limit is {self.max_age} s", **ctx)
        if -age > self.max_future:
            return _fail("future_iat", f"dated {int(-age)} s ahead", **ctx)

        # 4. the numbers
        if (orig and len(orig) > MAX_TN_LEN) or (dest and len(dest) > MAX_TN_LEN):
            return _fail("orig_mismatch" if orig and len(orig) > MAX_TN_LEN else "dest_mismatch",
                         f"the call's number is longer than {MAX_TN_LEN} characters", **ctx)
        from_tn = canonical_tn(orig) if orig else None
        if from_tn is not None and not self._same_tn(orig_tn, from_tn):
            return _fail("orig_mismatch", f"signed for {orig_tn}, the call shows {from_tn}", **ctx)
        to_tn = canonical_tn(dest) if dest else None
        if to_tn is not None and not any(self._same_tn(t, to_tn) for t in dest_tns):
            return _fail("dest_mismatch", f"signed for {', '.join(dest_tns)}, the call went to {to_tn}", **ctx)

        # 5. key, certificate and signature (needs the 'stir' extra)
        try:
            import jwt
            from cryptography import x509
            from cryptography.hazmat.primitives import serialization
        except ImportError as exc:
            return _fail("dependency_missing", str(exc), **ctx)
        try:
            self._load_trust(x509, serialization)
        except (OSError, ValueError) as exc:
            return _fail("cert_invalid", f"trust anchors or pinned keys: {exc}", **ctx)
        assert self._pinned is not None
        key = self._pinned.get(x5u)
        trust = "pinned"
        if key is None:
            checked = self._certificate_key(x5u, x509, now, iat, orig_tn)
            if isinstance(checked, StirResult):
                return StirResult(checked.status, checked.reason, checked.detail, **ctx)
            key = checked
            trust = "chain"
        try:
            jwt.PyJWS().decode_complete(parsed.token, key=key, algorithms=["ES256"])
        except jwt.InvalidSignatureError:
            return _fail("bad_signature", **ctx)
        except jwt.PyJWTError as exc:
            return _fail("bad_signature", exc.__class__.__name__, **ctx)
        return StirResult("passed", "ok", ATTESTATION[attest], trust=trust, **ctx)

    def _claims(self, payload: dict) -> tuple[str, str, tuple[str, ...], str | None, int] | StirResult:
        for name in ("attest", "dest", "iat", "orig", "origid"):
            if name not in payload:
                return _fail("missing_claim", name)
        iat = payload["iat"]
        if isinstance(iat, bool) or not isinstance(iat, int):
            return _fail("bad_claim", "iat must be an integer NumericDate")
        attest = payload["attest"]
        if attest not in ATTESTATION:
            return _fail("bad_attest", f"attest is {attest!r}")
        orig = self._tn_object(payload["orig"])
        dest = self._tn_object(payload["dest"])
        if orig is None or not isinstance(orig.get("tn"), str) or not orig["tn"]:
            return _fail("bad_claim", "orig must be an object with one tn string")
        dest_tn = dest.get("tn") if dest is not None else None
        if isinstance(dest_tn, str) and not self.strict:
            dest_tn = [dest_tn]
        if not isinstance(dest_tn, list) or not dest_tn or not all(isinstance(t, str) for t in dest_tn):
            return _fail("bad_claim", "dest must be an object whose tn is a list of strings")
        origid = payload["origid"]
        if not isinstance(origid, str) or (self.strict and not _UUID.match(origid)):
            return _fail("bad_claim", "origid must be a UUID")
        return attest, orig["tn"], tuple(dest_tn), origid, iat

    def _same_tn(self, claimed: str, call_tn: str) -> bool:
        """Strict: the claim is already canonical (digits with country code). Lenient: also accept a
        national-format claim ("01256...") that canonicalises to the call's number."""
        if _digits(claimed) == call_tn:
            return True
        return not self.strict and canonical_tn(claimed) == call_tn

    def _tn_object(self, value: Any) -> dict | None:
        if isinstance(value, dict):
            return value
        if isinstance(value, str) and not self.strict:  # early libstirshaken: JSON inside a string
            try:
                obj = _loads(value)
            except ValueError:  # JSONDecodeError included
                return None
            return obj if isinstance(obj, dict) else None
        return None

    def _certificate_key(self, x5u: str, x509: Any, now: float, iat: int, orig_tn: str) -> Any:
        if self.resolver is None or not self._anchors:
            return _fail("cert_unavailable", "no trust anchors or certificate resolver configured")
        try:
            pem = self.resolver.fetch(x5u)
        except CertificateFetchError as exc:
            return _fail("cert_fetch_failed", str(exc))
        digest = hashlib.sha256(pem).digest()
        with self._lock:
            cached = self._chain_cache.get(digest)
        if cached is None:
            cached = self._check_chain(pem, x509, orig_tn)
            with self._lock:
                if len(self._chain_cache) > 512:
                    self._chain_cache.clear()
                self._chain_cache[digest] = cached
        if isinstance(cached, StirResult):
            return cached
        key, not_before, not_after, tnauth = cached
        for moment, what in ((now, "now"), (iat, "when signed")):
            if moment > not_after:
                return _fail("cert_expired", what)
            if moment < not_before:
                return _fail("cert_not_yet_valid", what)
        if tnauth is not None:
            covered = tnauth.covers(_digits(orig_tn))
            if covered is False:
                return _fail("tn_not_authorised", f"{orig_tn} is not in the certificate's TNAuthList")
        return key

    def _check_chain(self, pem: bytes, x509: Any, orig_tn: str) -> Any:
        """(public key, not_before, not_after, TNAuthList | None) or a failed StirResult."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric import ec

        try:
            certs = x509.load_pem_x509_certificates(pem)
        except ValueError as exc:
            return _fail("cert_invalid", str(exc))
        leaf, extra = certs[0], certs[1:]
        key = leaf.public_key()
        if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
            return _fail("wrong_key_type")
        not_before = max(c.not_valid_before_utc.timestamp() for c in certs)
        not_after = min(c.not_valid_after_utc.timestamp() for c in certs)

        anchors = self._anchors or []
        anchor_fps = {a.fingerprint(_sha256()) for a in anchors}
        current = leaf
        for _depth in range(6):
            if current.fingerprint(_sha256()) in anchor_fps:
                break
            candidates = [c for c in [*anchors, *extra] if c.subject == current.issuer and c is not current]
            if not candidates:
                return _fail("unknown_ca", f"issuer {current.issuer.rfc4514_string()} is not trusted")
            nxt = None
            for cand in candidates:
                try:
                    current.verify_directly_issued_by(cand)
                except (InvalidSignature, ValueError, TypeError):
                    continue
                nxt = cand
                break
            if nxt is None:
                return _fail("chain_invalid", f"no trusted issuer signed {current.subject.rfc4514_string()}")
            if nxt.fingerprint(_sha256()) not in anchor_fps and not _is_ca(nxt, x509):
                return _fail("chain_invalid", f"{nxt.subject.rfc4514_string()} is not a CA")
            not_before = max(not_before, nxt.not_valid_before_utc.timestamp())
            not_after = min(not_after, nxt.not_valid_after_utc.timestamp())
            current = nxt
        else:
            return _fail("chain_invalid", "chain too long")

        tnauth = None
        try:
            ext = leaf.extensions.get_extension_for_oid(x509.ObjectIdentifier(TNAUTHLIST_OID))
        except x509.ExtensionNotFound:
            if self.strict:
                return _fail("no_tnauthlist")
        else:
            raw = getattr(ext.value, "value", b"")
            try:
                tnauth = parse_tnauthlist(raw)
            except (ValueError, UnicodeDecodeError) as exc:
                if self.strict:
                    return _fail("bad_tnauthlist", str(exc))
        return key, not_before, not_after, tnauth


def _is_ca(cert: Any, x509: Any) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def _sha256() -> Any:
    from cryptography.hazmat.primitives import hashes

    return hashes.SHA256()


def _digits(tn: str) -> str:
    return "".join(ch for ch in tn if ch.isdigit())


def verifier_from_env(env: Mapping[str, str]) -> StirVerifier | None:
    """A verifier configured from environment-style settings, or None when nothing is configured.

    SCAMSHIELD_STIR_TRUST_ANCHORS  PEM file or directory of STI-CA roots
    SCAMSHIELD_STIR_CERT_DIR       serve x5u certificates from this directory (offline)
    SCAMSHIELD_STIR_FETCH=1        fetch x5u certificates over HTTPS instead
    """
    anchors = env.get("SCAMSHIELD_STIR_TRUST_ANCHORS")
    if not anchors:
        return None
    resolver: CertificateResolver | None = None
    if env.get("SCAMSHIELD_STIR_CERT_DIR"):
        resolver = LocalFileResolver(directory=env["SCAMSHIELD_STIR_CERT_DIR"])
    elif env.get("SCAMSHIELD_STIR_FETCH") == "1":
        resolver = HttpsResolver()
    return StirVerifier(trust_anchors=[anchors], resolver=resolver)

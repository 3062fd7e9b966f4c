"""Verifying a SHAKEN PASSporT, step by step as ATIS-1000074 (and Asterisk) does: the header fields,
the claims, freshness, the calling and called numbers, then the signer's certificate - its chain to our
trust anchors, its validity and TNAuthList - and the ES256 signature. Each failure is a ``StirResult``
with its reason. pyjwt and cryptography (the ``stir`` extra) are imported only when a signature must be
checked."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from ..numbers import canonical_tn
from .der import TNAUTHLIST_OID, parse_tnauthlist
from .fetch import CertificateFetchError, CertificateResolver
from .policy import ALLOWED_PORTS, url_problem
from .result import ATTESTATION, StirResult, fail
from .token import b64url_decode, json_object, loads_claims, parse_identity_header

MAX_IDENTITY_LEN = 8192
MAX_TN_LEN = 256  # a From/To longer than this is no telephone number (and is not parsed)
DEFAULT_MAX_AGE = 60  # seconds (RFC 8224 recommendation; ATIS-1000074)
DEFAULT_MAX_FUTURE = 5  # clock-skew allowance for iat in the future
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


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
        allowed_ports: Iterable[int] | None = ALLOWED_PORTS,
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
            return fail("malformed_header", "not text")
        if len(identity) > MAX_IDENTITY_LEN:
            return fail("malformed_header", f"longer than {MAX_IDENTITY_LEN} characters")
        now = self.clock() if now is None else now
        results = [self._verify_one(v, orig, dest, now) for v in identity.split(",") if v.strip()]
        if not results:
            return fail("malformed_header", "empty")
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
            return fail("compact_form")
        header = json_object(h_part, "header")
        if isinstance(header, StirResult):
            return header
        payload = json_object(p_part, "payload")
        if isinstance(payload, StirResult):
            return payload
        try:
            b64url_decode(s_part)
        except ValueError as exc:
            return fail("malformed_base64", f"signature: {exc}")

        # 1. header fields
        alg = header.get("alg")
        if isinstance(alg, str) and alg.lower() == "none":
            return fail("alg_none")
        if alg != "ES256":
            return fail("wrong_alg", f"alg is {alg!r}")
        if parsed.params.get("alg", "ES256") != "ES256":
            return fail("wrong_alg", f"header parameter alg={parsed.params['alg']}")
        if header.get("ppt") != "shaken" or parsed.params.get("ppt", "shaken") != "shaken":
            return fail("wrong_ppt", f"ppt is {header.get('ppt')!r}")
        if header.get("typ") != "passport" and (self.strict or "typ" in header):
            return fail("wrong_typ", f"typ is {header.get('typ')!r}")
        x5u = header.get("x5u")
        if not isinstance(x5u, str) or not x5u:
            return fail("missing_x5u")
        info = parsed.params.get("info")
        if info is not None and info != x5u:
            return fail("x5u_mismatch", f"info={info} but x5u={x5u}", x5u=x5u)
        problem = url_problem(x5u, allow_http=not self.strict, allowed_ports=self.allowed_ports)
        if problem:
            return fail(problem[0], problem[1], x5u=x5u)

        # 2. claims
        claims = self._claims(payload)
        if isinstance(claims, StirResult):
            return claims
        attest, orig_tn, dest_tns, origid, iat = claims
        ctx = {"attest": attest, "orig_tn": orig_tn, "dest_tns": dest_tns, "origid": origid, "iat": iat, "x5u": x5u}

        # 3. freshness
        age = now - iat
        if age > self.max_age:
            return fail("stale", f"signed {int(age)} s before the call; the limit is {self.max_age} s", **ctx)
        if -age > self.max_future:
            return fail("future_iat", f"dated {int(-age)} s ahead", **ctx)

        # 4. the numbers
        if (orig and len(orig) > MAX_TN_LEN) or (dest and len(dest) > MAX_TN_LEN):
            return fail("orig_mismatch" if orig and len(orig) > MAX_TN_LEN else "dest_mismatch",
                         f"the call's number is longer than {MAX_TN_LEN} characters", **ctx)
        from_tn = canonical_tn(orig) if orig else None
        if from_tn is not None and not self._same_tn(orig_tn, from_tn):
            return fail("orig_mismatch", f"signed for {orig_tn}, the call shows {from_tn}", **ctx)
        to_tn = canonical_tn(dest) if dest else None
        if to_tn is not None and not any(self._same_tn(t, to_tn) for t in dest_tns):
            return fail("dest_mismatch", f"signed for {', '.join(dest_tns)}, the call went to {to_tn}", **ctx)

        # 5. key, certificate and signature (needs the 'stir' extra)
        try:
            import jwt
            from cryptography import x509
            from cryptography.hazmat.primitives import serialization
        except ImportError as exc:
            return fail("dependency_missing", str(exc), **ctx)
        try:
            self._load_trust(x509, serialization)
        except (OSError, ValueError) as exc:
            return fail("cert_invalid", f"trust anchors or pinned keys: {exc}", **ctx)
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
            return fail("bad_signature", **ctx)
        except jwt.PyJWTError as exc:
            return fail("bad_signature", exc.__class__.__name__, **ctx)
        return StirResult("passed", "ok", ATTESTATION[attest], trust=trust, **ctx)

    def _claims(self, payload: dict) -> tuple[str, str, tuple[str, ...], str | None, int] | StirResult:
        for name in ("attest", "dest", "iat", "orig", "origid"):
            if name not in payload:
                return fail("missing_claim", name)
        iat = payload["iat"]
        if isinstance(iat, bool) or not isinstance(iat, int):
            return fail("bad_claim", "iat must be an integer NumericDate")
        attest = payload["attest"]
        if attest not in ATTESTATION:
            return fail("bad_attest", f"attest is {attest!r}")
        orig = self._tn_object(payload["orig"])
        dest = self._tn_object(payload["dest"])
        if orig is None or not isinstance(orig.get("tn"), str) or not orig["tn"]:
            return fail("bad_claim", "orig must be an object with one tn string")
        dest_tn = dest.get("tn") if dest is not None else None
        if isinstance(dest_tn, str) and not self.strict:
            dest_tn = [dest_tn]
        if not isinstance(dest_tn, list) or not dest_tn or not all(isinstance(t, str) for t in dest_tn):
            return fail("bad_claim", "dest must be an object whose tn is a list of strings")
        origid = payload["origid"]
        if not isinstance(origid, str) or (self.strict and not _UUID.match(origid)):
            return fail("bad_claim", "origid must be a UUID")
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
                obj = loads_claims(value)
            except ValueError:  # JSONDecodeError included
                return None
            return obj if isinstance(obj, dict) else None
        return None

    def _certificate_key(self, x5u: str, x509: Any, now: float, iat: int, orig_tn: str) -> Any:
        if self.resolver is None or not self._anchors:
            return fail("cert_unavailable", "no trust anchors or certificate resolver configured")
        try:
            pem = self.resolver.fetch(x5u)
        except CertificateFetchError as exc:
            return fail("cert_fetch_failed", str(exc))
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
                return fail("cert_expired", what)
            if moment < not_before:
                return fail("cert_not_yet_valid", what)
        if tnauth is not None:
            covered = tnauth.covers(_digits(orig_tn))
            if covered is False:
                return fail("tn_not_authorised", f"{orig_tn} is not in the certificate's TNAuthList")
        return key

    def _check_chain(self, pem: bytes, x509: Any, orig_tn: str) -> Any:
        """(public key, not_before, not_after, TNAuthList | None) or a failed StirResult."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric import ec

        try:
            certs = x509.load_pem_x509_certificates(pem)
        except ValueError as exc:
            return fail("cert_invalid", str(exc))
        leaf, extra = certs[0], certs[1:]
        key = leaf.public_key()
        if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
            return fail("wrong_key_type")
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
                return fail("unknown_ca", f"issuer {current.issuer.rfc4514_string()} is not trusted")
            nxt = None
            for cand in candidates:
                try:
                    current.verify_directly_issued_by(cand)
                except (InvalidSignature, ValueError, TypeError):
                    continue
                nxt = cand
                break
            if nxt is None:
                return fail("chain_invalid", f"no trusted issuer signed {current.subject.rfc4514_string()}")
            if nxt.fingerprint(_sha256()) not in anchor_fps and not _is_ca(nxt, x509):
                return fail("chain_invalid", f"{nxt.subject.rfc4514_string()} is not a CA")
            not_before = max(not_before, nxt.not_valid_before_utc.timestamp())
            not_after = min(not_after, nxt.not_valid_after_utc.timestamp())
            current = nxt
        else:
            return fail("chain_invalid", "chain too long")

        tnauth = None
        try:
            ext = leaf.extensions.get_extension_for_oid(x509.ObjectIdentifier(TNAUTHLIST_OID))
        except x509.ExtensionNotFound:
            if self.strict:
                return fail("no_tnauthlist")
        else:
            raw = getattr(ext.value, "value", b"")
            try:
                tnauth = parse_tnauthlist(raw)
            except (ValueError, UnicodeDecodeError) as exc:
                if self.strict:
                    return fail("bad_tnauthlist", str(exc))
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

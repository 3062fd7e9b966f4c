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

One job per module: ``token`` reads the Identity header and the token's parts, ``verify`` runs the
steps, ``fetch`` gets certificates under the URL policy of ``policy`` (no SSRF), ``der`` reads the
TNAuthList extension, ``result`` says what came out, ``config`` builds a verifier from settings. This
package's namespace is the public API.
"""

from .config import verifier_from_env
from .der import TNAUTHLIST_OID, TNAuthList, encode_tnauthlist, parse_tnauthlist
from .fetch import (
    MAX_CERT_BYTES,
    CertificateFetchError,
    CertificateResolver,
    HttpsResolver,
    LocalFileResolver,
)
from .policy import url_problem
from .result import ATTESTATION, REASONS, StirResult
from .token import MAX_JSON_DEPTH, IdentityHeader, parse_identity_header
from .verify import DEFAULT_MAX_AGE, DEFAULT_MAX_FUTURE, MAX_IDENTITY_LEN, MAX_TN_LEN, StirVerifier

__all__ = [
    "ATTESTATION",
    "DEFAULT_MAX_AGE",
    "DEFAULT_MAX_FUTURE",
    "MAX_CERT_BYTES",
    "MAX_IDENTITY_LEN",
    "MAX_JSON_DEPTH",
    "MAX_TN_LEN",
    "REASONS",
    "TNAUTHLIST_OID",
    "CertificateFetchError",
    "CertificateResolver",
    "HttpsResolver",
    "IdentityHeader",
    "LocalFileResolver",
    "StirResult",
    "StirVerifier",
    "TNAuthList",
    "encode_tnauthlist",
    "parse_identity_header",
    "parse_tnauthlist",
    "url_problem",
    "verifier_from_env",
]

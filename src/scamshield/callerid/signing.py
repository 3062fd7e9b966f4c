"""Make SHAKEN PASSporTs and small STIR/SHAKEN PKIs: a minimal authentication service.

Used by the tests, the benchmark and local demos to produce real, signed Identity headers under a
throwaway certificate authority (CA -> service-provider certificate with a TNAuthList). Nothing
here is needed to *check* calls. Needs the ``stir`` extra (pyjwt, cryptography).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from .stir_shaken import TNAUTHLIST_OID, encode_tnauthlist


@dataclass
class TestPKI:
    """A CA and one service-provider (SP) certificate it issued, with their keys and PEM."""

    ca_key: Any
    ca_cert: Any
    sp_key: Any
    sp_cert: Any

    __test__ = False  # not a pytest test class

    @property
    def ca_pem(self) -> bytes:
        from cryptography.hazmat.primitives import serialization

        return self.ca_cert.public_bytes(serialization.Encoding.PEM)

    @property
    def sp_pem(self) -> bytes:
        from cryptography.hazmat.primitives import serialization

        return self.sp_cert.public_bytes(serialization.Encoding.PEM)


def _name(cn: str) -> Any:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"), x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_ca(cn: str = "scamshield test STI-CA", *, not_before: dt.datetime | None = None, days: int = 3650):
    """(key, certificate) of a self-signed P-256 root CA."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    start = not_before or dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(_name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(key, hashes.SHA256())
    )
    return key, cert


def issue_sp_cert(
    ca_key: Any,
    ca_cert: Any,
    *,
    cn: str = "scamshield test STI-SP",
    spc: str | None = "709J",
    tns: tuple[str, ...] = (),
    key: Any = None,
    not_before: dt.datetime | None = None,
    days: int = 3650,
    tnauthlist: bool = True,
) -> tuple[Any, Any]:
    """(key, certificate) for a service provider, signed by the CA, with a TNAuthList naming an SPC
    and/or telephone numbers. ``key`` may be any private key (to test the wrong key type)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    key = key or ec.generate_private_key(ec.SECP256R1())
    start = not_before or dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    )
    if tnauthlist:
        der = encode_tnauthlist(spcs=(spc,) if spc else (), tns=tns)
        builder = builder.add_extension(
            x509.UnrecognizedExtension(x509.ObjectIdentifier(TNAUTHLIST_OID), der), critical=False
        )
    return key, builder.sign(ca_key, hashes.SHA256())


def make_test_pki(**sp_kwargs: Any) -> TestPKI:
    ca_key, ca_cert = make_ca()
    sp_key, sp_cert = issue_sp_cert(ca_key, ca_cert, **sp_kwargs)
    return TestPKI(ca_key, ca_cert, sp_key, sp_cert)


def passport_claims(
    orig_tn: str, dest_tns: list[str] | tuple[str, ...], iat: int, attest: str = "A", origid: str | None = None
) -> dict[str, Any]:
    return {
        "attest": attest,
        "dest": {"tn": list(dest_tns)},
        "iat": iat,
        "orig": {"tn": orig_tn},
        "origid": origid or str(uuid.uuid4()),
    }


def sign_passport(claims: dict[str, Any], key: Any, x5u: str, *, alg: str = "ES256", extra_header: dict | None = None) -> str:
    """A compact JWS: canonical JSON (sorted keys, no spaces) as RFC 8225 asks."""
    import jwt

    headers = {"ppt": "shaken", "typ": "passport", "x5u": x5u, **(extra_header or {})}
    # pyjwt would re-serialise the payload with spaces; canonical JSON is what SHAKEN expects.
    payload = json.dumps(claims, sort_keys=True, separators=(",", ":")).encode()
    return jwt.PyJWS().encode(payload, key, algorithm=alg, headers=headers, sort_headers=True)


def identity_header(token: str, x5u: str, alg: str = "ES256") -> str:
    """The SIP Identity header value for a PASSporT (RFC 8224 full form)."""
    return f"{token};info=<{x5u}>;alg={alg};ppt=shaken"

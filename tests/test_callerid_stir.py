"""STIR/SHAKEN verification: every failure mode gives a specific reason, never an exception.

A test PKI (CA -> SP certificate with a TNAuthList) is built here with ``cryptography``; the shared
vectors in ../shared/testvectors/stir-shaken check interoperability with libstirshaken and secsipidx.
"""

import base64
import datetime as dt
import json
from pathlib import Path

import pytest

pytest.importorskip("jwt", reason="the 'stir' extra (pyjwt) is not installed")
pytest.importorskip("cryptography", reason="the 'stir' extra (cryptography) is not installed")

from cryptography.hazmat.primitives.asymmetric import ec, rsa

from scamshield.callerid.signing import (
    identity_header,
    issue_sp_cert,
    make_ca,
    make_test_pki,
    passport_claims,
    sign_passport,
)
from scamshield.callerid.stir_shaken import (
    REASONS,
    CertificateFetchError,
    LocalFileResolver,
    StirVerifier,
    TNAuthList,
    encode_tnauthlist,
    parse_identity_header,
    parse_tnauthlist,
    url_problem,
)

VECTORS = Path(__file__).resolve().parents[1] / ".." / "shared" / "testvectors" / "stir-shaken"
X5U = "https://cert.example.org/sp.pem"
NOW = 1_800_000_000
FROM = "+443002003300"
TO = "+447700900123"


class MapResolver:
    """Certificates from memory: the resolver protocol, for PKIs built in the test."""

    def __init__(self, certs):
        self.certs = certs

    def fetch(self, url):
        if url not in self.certs:
            raise CertificateFetchError(f"nothing at {url}")
        return self.certs[url]


@pytest.fixture(scope="module")
def pki():
    return make_test_pki()


def verifier(pki, **kw):
    resolver = kw.pop("resolver", MapResolver({X5U: pki.sp_pem}))
    return StirVerifier(trust_anchors=[pki.ca_pem], resolver=resolver, clock=lambda: NOW, **kw)


def token(pki, *, key=None, iat=NOW, orig="443002003300", dest=("447700900123",), attest="A", **kw):
    claims = passport_claims(orig, list(dest), iat, attest)
    return identity_header(sign_passport(claims, key or pki.sp_key, X5U, **kw), X5U)


def b64(obj) -> str:
    raw = obj if isinstance(obj, bytes) else json.dumps(obj, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def forged(header, payload, sig="AAAA", params=f";info=<{X5U}>;alg=ES256;ppt=shaken"):
    h = header if isinstance(header, str) else b64(header)
    p = payload if isinstance(payload, str) else b64(payload)
    return f"{h}.{p}.{sig}{params}"


GOOD_HEADER = {"alg": "ES256", "ppt": "shaken", "typ": "passport", "x5u": X5U}
GOOD_PAYLOAD = passport_claims("443002003300", ["447700900123"], NOW, "A", "123e4567-e89b-12d3-a456-426655440000")


def test_valid_token_passes_with_attestation(pki):
    for attest in "ABC":
        r = verifier(pki).verify(token(pki, attest=attest), orig=FROM, dest=TO)
        assert r.passed and r.reason == "ok" and r.attest == attest and r.trust == "chain"
        assert r.orig_tn == "443002003300" and r.dest_tns == ("447700900123",)


def test_national_format_from_and_to_are_canonicalised(pki):
    r = verifier(pki).verify(token(pki), orig="0300 200 3300", dest="sip:07700900123@ims.example;user=phone")
    assert r.passed


def test_bare_passport_without_sip_parameters(pki):
    bare = token(pki).split(";", 1)[0]
    assert verifier(pki).verify(bare, orig=FROM, dest=TO).passed


def test_identity_header_name_prefix_and_multiple_headers(pki):
    good = token(pki)
    assert verifier(pki).verify("Identity: " + good, orig=FROM).passed
    bad = token(pki, iat=NOW - 3600)
    assert verifier(pki).verify(f"{bad},{good}", orig=FROM).passed  # RFC 8224: any one may verify


def _pki_variant(**sp_kwargs):
    return make_test_pki(**sp_kwargs)


# Each failure mode -> (how to make it, expected reason)
def failure_cases(pki):
    other_ca_key, other_ca = make_ca("rogue CA")
    rogue_key, rogue_cert = issue_sp_cert(other_ca_key, other_ca)
    from cryptography.hazmat.primitives import serialization

    rogue_pem = rogue_cert.public_bytes(serialization.Encoding.PEM)
    no_tn_key, no_tn_cert = issue_sp_cert(pki.ca_key, pki.ca_cert, tnauthlist=False)
    tn_key, tn_cert = issue_sp_cert(pki.ca_key, pki.ca_cert, spc=None, tns=("441234567890",))
    expired_key, expired_cert = issue_sp_cert(
        pki.ca_key, pki.ca_cert, not_before=dt.datetime(2010, 1, 1, tzinfo=dt.UTC), days=30
    )
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rsa_sp_key, _rsa_cert = issue_sp_cert(pki.ca_key, pki.ca_cert, key=rsa_key)
    _p384_key, p384_cert = issue_sp_cert(pki.ca_key, pki.ca_cert, key=ec.generate_private_key(ec.SECP384R1()))

    def pem(cert):
        return cert.public_bytes(serialization.Encoding.PEM)

    def with_cert(cert_pem, key):
        return verifier(pki, resolver=MapResolver({X5U: cert_pem})), token(pki, key=key)

    return {
        "bad_signature": (verifier(pki), token(pki, key=ec.generate_private_key(ec.SECP256R1()))),
        "stale": (verifier(pki), token(pki, iat=NOW - 61)),
        "future_iat": (verifier(pki), token(pki, iat=NOW + 600)),
        "orig_mismatch": (verifier(pki), token(pki, orig="447911123456")),
        "dest_mismatch": (verifier(pki), token(pki, dest=("441632960000",))),
        "unknown_ca": (verifier(pki, resolver=MapResolver({X5U: rogue_pem})), token(pki, key=rogue_key)),
        "no_tnauthlist": with_cert(pem(no_tn_cert), no_tn_key),
        "tn_not_authorised": with_cert(pem(tn_cert), tn_key),
        "cert_expired": with_cert(pem(expired_cert), expired_key),
        "wrong_key_type": with_cert(pem(p384_cert), pki.sp_key),
        "cert_fetch_failed": (verifier(pki, resolver=MapResolver({})), token(pki)),
        "cert_invalid": (verifier(pki, resolver=MapResolver({X5U: b"-----BEGIN CERTIFICATE-----\nAAAA\n"})), token(pki)),
        "cert_unavailable": (StirVerifier(clock=lambda: NOW), token(pki)),
        "wrong_alg": (verifier(pki), identity_header(sign_passport(GOOD_PAYLOAD, rsa_sp_key, X5U, alg="RS256"), X5U)),
        "wrong_alg__hs256": (verifier(pki), identity_header(sign_passport(GOOD_PAYLOAD, b"k" * 32, X5U, alg="HS256"), X5U)),
        "alg_none": (verifier(pki), forged({**GOOD_HEADER, "alg": "none"}, GOOD_PAYLOAD, sig="")),
        "alg_none__upper": (verifier(pki), forged({**GOOD_HEADER, "alg": "NONE"}, GOOD_PAYLOAD, sig="")),
        "wrong_ppt": (verifier(pki), forged({**GOOD_HEADER, "ppt": "div"}, GOOD_PAYLOAD)),
        "wrong_typ": (verifier(pki), forged({**GOOD_HEADER, "typ": "JWT"}, GOOD_PAYLOAD)),
        "missing_x5u": (verifier(pki), forged({k: v for k, v in GOOD_HEADER.items() if k != "x5u"}, GOOD_PAYLOAD)),
        "x5u_mismatch": (verifier(pki), forged(GOOD_HEADER, GOOD_PAYLOAD, params=";info=<https://evil.example/c.pem>")),
        "x5u_not_https": (verifier(pki), forged({**GOOD_HEADER, "x5u": "http://cert.example.org/sp.pem"}, GOOD_PAYLOAD, params="")),
        "x5u_bad_url": (verifier(pki), forged({**GOOD_HEADER, "x5u": "https://10.0.0.1:22/x.pem"}, GOOD_PAYLOAD, params="")),
        "missing_claim": (verifier(pki), forged(GOOD_HEADER, {k: v for k, v in GOOD_PAYLOAD.items() if k != "origid"})),
        "bad_claim__iat": (verifier(pki), forged(GOOD_HEADER, {**GOOD_PAYLOAD, "iat": str(NOW)})),
        "bad_claim__orig_string": (verifier(pki), forged(GOOD_HEADER, {**GOOD_PAYLOAD, "orig": '{"tn":"443002003300"}'})),
        "bad_claim__dest_not_list": (verifier(pki), forged(GOOD_HEADER, {**GOOD_PAYLOAD, "dest": {"tn": "447700900123"}})),
        "bad_claim__origid": (verifier(pki), forged(GOOD_HEADER, {**GOOD_PAYLOAD, "origid": "ref"})),
        "bad_attest": (verifier(pki), forged(GOOD_HEADER, {**GOOD_PAYLOAD, "attest": "D"})),
        "malformed_base64": (verifier(pki), forged("eyJ!!!", GOOD_PAYLOAD)),
        "malformed_base64__payload": (verifier(pki), forged(GOOD_HEADER, "%%%")),
        "malformed_base64__sig": (verifier(pki), forged(GOOD_HEADER, GOOD_PAYLOAD, sig="a+b/")),
        "malformed_json": (verifier(pki), forged(b64(b"{not json"), GOOD_PAYLOAD)),
        "malformed_json__payload": (verifier(pki), forged(GOOD_HEADER, b64(b"[1,2,3]"))),
        "malformed_json__utf8": (verifier(pki), forged(GOOD_HEADER, b64(b"\xff\xfe"))),
        "malformed_header": (verifier(pki), "not-a-token"),
        "malformed_header__two_parts": (verifier(pki), "abc.def;info=<x>"),
        "compact_form": (verifier(pki), forged(GOOD_HEADER, "")),
    }


def test_every_failure_mode_has_a_specific_reason(pki):
    cases = failure_cases(pki)
    for name, (v, identity) in cases.items():
        expected = name.split("__")[0]  # "bad_claim__iat" is a variant of bad_claim
        result = v.verify(identity, orig=FROM, dest=TO)
        assert result.status == "failed", (name, result)
        assert result.reason == expected, (name, result)
        assert result.reason in REASONS
        assert result.explanation and not result.explanation.startswith("Traceback")


def test_stale_boundary_uses_the_injected_clock(pki):
    v = verifier(pki)
    assert v.verify(token(pki, iat=NOW - 60), orig=FROM).passed
    assert v.verify(token(pki, iat=NOW - 61), orig=FROM).reason == "stale"
    assert v.verify(token(pki, iat=NOW), orig=FROM, now=NOW + 3600).reason == "stale"


def test_tnauthlist_listing_the_number_passes(pki):
    key, cert = issue_sp_cert(pki.ca_key, pki.ca_cert, spc=None, tns=("443002003300",))
    from cryptography.hazmat.primitives import serialization

    v = verifier(pki, resolver=MapResolver({X5U: cert.public_bytes(serialization.Encoding.PEM)}))
    assert v.verify(token(pki, key=key), orig=FROM).passed


def test_intermediate_ca_in_the_fetched_chain(pki):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization

    inter_key = ec.generate_private_key(ec.SECP256R1())
    inter = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "intermediate")]))
        .issuer_name(pki.ca_cert.subject)
        .public_key(inter_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2040, 1, 1, tzinfo=dt.UTC))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(pki.ca_key, hashes.SHA256())
    )
    leaf_key, leaf = issue_sp_cert(inter_key, inter)
    chain = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (leaf, inter))
    v = verifier(pki, resolver=MapResolver({X5U: chain}))
    assert v.verify(token(pki, key=leaf_key), orig=FROM).passed
    # without the intermediate the chain cannot be built
    v2 = verifier(pki, resolver=MapResolver({X5U: leaf.public_bytes(serialization.Encoding.PEM)}))
    assert v2.verify(token(pki, key=leaf_key), orig=FROM).reason == "unknown_ca"


def test_non_ca_certificate_cannot_issue(pki):
    from cryptography.hazmat.primitives import serialization

    # an SP certificate (CA:false) used as the issuer of another leaf
    sub_key, sub = issue_sp_cert(pki.sp_key, pki.sp_cert, cn="sub")
    chain = sub.public_bytes(serialization.Encoding.PEM) + pki.sp_pem
    v = verifier(pki, resolver=MapResolver({X5U: chain}))
    assert v.verify(token(pki, key=sub_key), orig=FROM).reason == "chain_invalid"


def test_local_file_resolver(tmp_path, pki):
    (tmp_path / "sp.pem").write_bytes(pki.sp_pem)
    v = verifier(pki, resolver=LocalFileResolver(directory=tmp_path))
    assert v.verify(token(pki), orig=FROM).passed
    with pytest.raises(CertificateFetchError):
        LocalFileResolver(directory=tmp_path).fetch("https://x.example/missing.pem")
    with pytest.raises(CertificateFetchError):
        LocalFileResolver().fetch(X5U)
    (tmp_path / "big.pem").write_bytes(b"x" * 100_000)
    with pytest.raises(CertificateFetchError, match="larger"):
        LocalFileResolver({X5U: tmp_path / "big.pem"}).fetch(X5U)


def test_absent_and_hostile_inputs_never_raise(pki):
    v = verifier(pki)
    assert v.verify(None).status == "absent"
    assert v.verify("   ").status == "absent"
    assert v.verify("x" * 10_000).reason == "malformed_header"
    assert v.verify(",,,").reason == "malformed_header"
    assert v.verify(12345).reason == "malformed_header"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://cert.example.org/sp.pem", None),
        ("https://cert.example.org:8443/sp.pem", None),
        ("http://cert.example.org/sp.pem", "x5u_not_https"),
        ("https://user:pw@cert.example.org/sp.pem", "x5u_bad_url"),
        ("https://cert.example.org/sp.pem?x=1", "x5u_bad_url"),
        ("https://cert.example.org/sp.pem#f", "x5u_bad_url"),
        ("https://cert.example.org:6379/sp.pem", "x5u_bad_url"),
        ("file:///etc/passwd", "x5u_bad_url"),
        ("https://[::1", "x5u_bad_url"),
    ],
)
def test_x5u_url_policy(url, reason):
    problem = url_problem(url)
    assert (problem[0] if problem else None) == reason


def test_tnauthlist_der_round_trip_and_errors():
    der = encode_tnauthlist(spcs=["709J"], tns=["443002003300"])
    parsed = parse_tnauthlist(der)
    assert parsed == TNAuthList(spcs=("709J",), tns=("443002003300",))
    assert parsed.covers("443002003300") is True and parsed.covers("441234") is False
    assert TNAuthList(spcs=("709J",)).covers("44") is None
    assert TNAuthList(ranges=(("441632960000", 1000),)).covers("441632960999") is True
    for bad in (b"", b"\x30", b"\x16\x03abc", b"\x30\x00", b"\x30\x04\xa5\x02\x16\x00", b"\x30\x05\xa0\x03\x02\x01\x01"):
        with pytest.raises(ValueError):
            parse_tnauthlist(bad)


def test_parse_identity_header_parameters():
    parsed = parse_identity_header("a.b.c;info=<https://x.example/c.pem>;alg=ES256;ppt=shaken")
    assert parsed.token == "a.b.c" and parsed.params == {
        "info": "https://x.example/c.pem",
        "alg": "ES256",
        "ppt": "shaken",
    }


def test_verification_needs_no_crypto_imports_until_used():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from scamshield.callerid.screening import screen_call\n"
        "from scamshield.callerid.detector import CallerIdDetector\n"
        "screen_call('+443002003300', '+447700900123')\n"
        "print('jwt' in sys.modules, 'cryptography.x509' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False"


# ----------------------------------------------------------------------------- shared vectors

def _vectors():
    if not VECTORS.is_dir():
        pytest.skip(f"shared STIR/SHAKEN test vectors not found at {VECTORS} (../shared/testvectors)")
    return VECTORS


def _own(name):
    return (_vectors() / "own" / name).read_text().strip()


def own_verifier(now):
    return StirVerifier(
        pinned_keys={"https://cert.example.org/passport.pem": (_vectors() / "own" / "sp.pub").read_bytes()},
        clock=lambda: now,
    )


def test_shared_vector_attest_c_valid_when_fresh_and_stale_otherwise():
    ident = _own("identity_attestC_iat1735689600.txt")
    fresh = own_verifier(1735689600 + 5).verify(ident, orig=FROM, dest=TO)
    assert fresh.passed and fresh.attest == "C" and fresh.trust == "pinned"
    stale = own_verifier(1735689600 + 61).verify(ident, orig=FROM, dest=TO)
    assert stale.reason == "stale"


def test_shared_vector_from_secsipidx_verifies():
    r = own_verifier(1795578265 + 1).verify(_own("identity_attestA_secsipidx_iat1795578265.txt"), orig=FROM, dest=TO)
    assert r.passed and r.attest == "A"


def test_shared_vector_tampered_fails_signature():
    r = own_verifier(1735689600 + 1).verify(_own("identity_tampered_badsig.txt"), orig=FROM, dest=TO)
    assert r.reason == "bad_signature"


def test_shared_vector_spoof_scenario_wrong_number():
    r = own_verifier(1735689600 + 1).verify(_own("identity_attestC_iat1735689600.txt"), orig="+447911123456")
    assert r.reason == "orig_mismatch"


def _libstirshaken():
    base = _vectors() / "libstirshaken"
    text = (base / "passport.txt").read_text()
    sip = text.split("SIP Identity Header with PASSporT is:")[1].strip()
    bare = text.split("PASSporT signed is:")[1].split("SIP Identity")[0].strip()
    resolver = LocalFileResolver({"http://shaken.signalwire.cloud/sp.pem": base / "sp.pem"})
    return base, sip, bare, resolver


@pytest.mark.parametrize("which", ["sip", "bare"])
def test_libstirshaken_vector_chain_verifies_in_lenient_mode(which):
    base, sip, bare, resolver = _libstirshaken()
    v = StirVerifier(
        trust_anchors=[base / "ca.pem"], resolver=resolver, clock=lambda: 1603458131 + 5, strict=False
    )
    r = v.verify(sip if which == "sip" else bare, orig="01256789999", dest="01256500600")
    assert r.passed and r.trust == "chain" and r.attest == "A"


def test_libstirshaken_vector_is_rejected_by_the_strict_verifier():
    base, sip, _bare, resolver = _libstirshaken()
    v = StirVerifier(trust_anchors=[base / "ca.pem"], resolver=resolver, clock=lambda: 1603458131 + 5)
    assert v.verify(sip, orig="01256789999").reason == "x5u_not_https"


def test_libstirshaken_vector_with_our_ca_is_unknown_ca(pki):
    _base, sip, _bare, resolver = _libstirshaken()
    v = StirVerifier(trust_anchors=[pki.ca_pem], resolver=resolver, clock=lambda: 1603458131 + 5, strict=False)
    assert v.verify(sip, orig="01256789999").reason == "unknown_ca"


def test_missing_stir_extra_is_reported_not_raised(pki):
    import subprocess
    import sys

    ident = token(pki)
    code = (
        "import sys\n"
        "sys.modules['jwt'] = None  # as if pyjwt were not installed\n"
        "from scamshield.callerid.stir_shaken import StirVerifier\n"
        f"r = StirVerifier(clock=lambda: {NOW}).verify({ident!r}, orig={FROM!r})\n"
        "print(r.reason); print(r.explanation)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    reason, explanation = out.strip().splitlines()[:2]
    assert reason == "dependency_missing" and "pip install 'scamshield[stir]'" in explanation


@pytest.mark.parametrize("form", ["bytes", "str", "path", "pathstr"])
def test_pinned_key_forms(tmp_path, form):
    pem = (_vectors() / "own" / "sp.pub").read_bytes()
    (tmp_path / "k.pem").write_bytes(pem)
    key = {"bytes": pem, "str": pem.decode(), "path": tmp_path / "k.pem", "pathstr": str(tmp_path / "k.pem")}[form]
    v = StirVerifier(pinned_keys={"https://cert.example.org/passport.pem": key}, clock=lambda: 1735689600 + 5)
    assert v.verify(_own("identity_attestC_iat1735689600.txt"), orig=FROM).passed


def test_unreadable_trust_anchor_is_a_reason(tmp_path, pki):
    v = StirVerifier(trust_anchors=[tmp_path / "missing.pem"], resolver=MapResolver({X5U: pki.sp_pem}), clock=lambda: NOW)
    assert v.verify(token(pki), orig=FROM).reason == "cert_invalid"


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("where", ["header", "payload"])
def test_deeply_nested_token_parts_are_malformed_not_a_crash(pki, where):
    """Issue 13: a payload nested 1,000 deep was a RecursionError (500 on /v1/screen)."""
    header, payload = dict(GOOD_HEADER), dict(GOOD_PAYLOAD)
    part = f'{{"a": {_nested(1_000)}}}'
    token_ = forged(b64(part.encode()) if where == "header" else header,
                    b64(part.encode()) if where == "payload" else payload)
    r = verifier(pki).verify(token_, orig=FROM, dest=TO)
    assert r.reason == "malformed_json" and "nested" in r.detail


def test_nesting_inside_a_lenient_orig_string_is_refused(pki):
    payload = dict(GOOD_PAYLOAD, orig=f'{{"tn": {_nested(2_000)}}}')
    r = verifier(pki, strict=False).verify(forged(GOOD_HEADER, payload), orig=FROM, dest=TO)
    assert r.reason == "bad_claim"


def test_shallow_nesting_and_brackets_inside_strings_still_parse(pki):
    payload = dict(GOOD_PAYLOAD, note="[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ \\\" {{{{{{{{{{{{{{{{{{{{{{")
    r = verifier(pki).verify(forged(GOOD_HEADER, payload), orig=FROM, dest=TO)
    assert r.reason == "bad_signature"  # parsed all the way to the (forged) signature


def test_overlong_call_numbers_are_not_parsed(pki):
    r = verifier(pki).verify(token(pki), orig=" " * 5_000 + "x", dest=TO)
    assert r.reason == "orig_mismatch" and "longer than" in r.detail

"""A verifier configured from settings (``SCAMSHIELD_STIR_*``): which trust anchors, and where
certificates come from. Read where the process starts (the CLI, the server), never inside the checks."""

from __future__ import annotations

from collections.abc import Mapping

from .fetch import CertificateResolver, HttpsResolver, LocalFileResolver
from .verify import StirVerifier


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

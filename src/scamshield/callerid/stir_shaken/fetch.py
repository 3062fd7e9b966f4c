"""Getting a signer's certificate (the x5u URL of a PASSporT): from local files, or over HTTPS with a
timeout, a size cap, the URL policy (``policy.py``) and a cache that remembers failures too."""

from __future__ import annotations

import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from .policy import ALLOWED_PORTS, is_private_host, url_problem

MAX_CERT_BYTES = 64 * 1024
_MAX_AGE_RE = re.compile(r"max-age\s*=\s*(\d+)", re.IGNORECASE)


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
        allowed_ports: Iterable[int] | None = ALLOWED_PORTS,
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
        if not self.allow_private and is_private_host(urllib.parse.urlsplit(url).hostname or ""):
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


def _leaf_not_after(pem: bytes) -> float | None:
    try:
        from cryptography import x509

        return x509.load_pem_x509_certificates(pem)[0].not_valid_after_utc.timestamp()
    except Exception:  # unreadable PEM: the verifier reports it properly later
        return None

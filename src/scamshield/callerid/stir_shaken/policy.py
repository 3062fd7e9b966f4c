"""Where the verifier may fetch a certificate from: the x5u URL policy (https only, no user name, query or
fragment, allowed ports) and no private or local hosts. A caller chooses the x5u, so without this policy
the verifier could be made to probe our own network (SSRF)."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable

ALLOWED_PORTS = (443, 8443)


def is_private_host(host: str) -> bool:
    """Whether ``host`` names this machine or a private, link-local or reserved address."""
    import ipaddress

    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_unspecified


def url_problem(
    url: str, *, allow_http: bool = False, allowed_ports: Iterable[int] | None = ALLOWED_PORTS
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

"""HttpsResolver against a real local HTTPS server (loopback only; the CA is built in the test)."""

import datetime as dt
import http.server
import ipaddress
import ssl
import threading

import pytest

pytest.importorskip("cryptography", reason="the 'stir' extra is not installed")

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from scamshield.callerid.signing import make_test_pki
from scamshield.callerid.stir_shaken import CertificateFetchError, HttpsResolver


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    pki = make_test_pki()
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(pki.ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2040, 1, 1, tzinfo=dt.UTC))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(pki.ca_key, hashes.SHA256())
    )
    d = tmp_path_factory.mktemp("tls")
    (d / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (d / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    hits = {"n": 0}
    bodies = {
        "/sp.pem": (pki.sp_pem, "max-age=172800"),
        "/big.pem": (b"-----BEGIN CERTIFICATE-----\n" + b"A" * 50_000, ""),
        "/html": (b"<html>not a cert</html>", ""),
    }

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits["n"] += 1
            if self.path not in bodies:
                self.send_error(404)
                return
            body, cc = bodies[self.path]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            if cc:
                self.send_header("Cache-Control", cc)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    class QuietServer(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # refused TLS handshakes are the point of one test

    httpd = QuietServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(d / "cert.pem", d / "key.pem")
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    client = ssl.create_default_context(cadata=pki.ca_pem.decode())
    yield f"https://127.0.0.1:{httpd.server_address[1]}", client, pki, hits
    httpd.shutdown()


def resolver(client, **kw):
    return HttpsResolver(ssl_context=client, allowed_ports=None, timeout=5, allow_private=True, **kw)


def test_fetch_and_cache(server):
    base, client, pki, hits = server
    now = [1_800_000_000.0]
    r = resolver(client, clock=lambda: now[0])
    before = hits["n"]
    assert r.fetch(base + "/sp.pem") == pki.sp_pem
    assert r.fetch(base + "/sp.pem") == pki.sp_pem
    assert hits["n"] == before + 1  # second answer came from the cache
    now[0] += 3 * 86400  # past max-age (2 days) -> fetched again
    r.fetch(base + "/sp.pem")
    assert hits["n"] == before + 2


@pytest.mark.parametrize(("path", "message"), [("/big.pem", "larger than"), ("/html", "not return a PEM"), ("/nope", "404")])
def test_fetch_errors(server, path, message):
    base, client, _pki, _hits = server
    with pytest.raises(CertificateFetchError, match=message):
        resolver(client).fetch(base + path)


def test_untrusted_server_certificate_is_refused(server):
    base, _client, _pki, _hits = server
    with pytest.raises(CertificateFetchError, match="cannot fetch"):
        HttpsResolver(allowed_ports=None, timeout=5, allow_private=True).fetch(base + "/sp.pem")


@pytest.mark.parametrize("url", ["http://127.0.0.1/sp.pem", "https://127.0.0.1:6379/sp.pem", "https://u:p@x.example/a"])
def test_url_policy_before_any_connection(url):
    with pytest.raises(CertificateFetchError):
        HttpsResolver(timeout=0.5).fetch(url)


def test_timeout_on_a_silent_server():
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)  # accepts the TCP connection, never speaks TLS
    try:
        with pytest.raises(CertificateFetchError):
            HttpsResolver(allowed_ports=None, timeout=0.3, allow_private=True).fetch(
                f"https://127.0.0.1:{sock.getsockname()[1]}/x.pem"
            )
    finally:
        sock.close()


def test_failures_are_cached_briefly(server):
    base, client, _pki, hits = server
    now = [1_800_000_000.0]
    r = resolver(client, clock=lambda: now[0], failure_ttl=60)
    before = hits["n"]
    for _ in range(3):
        with pytest.raises(CertificateFetchError):
            r.fetch(base + "/nope")
    assert hits["n"] == before + 1
    now[0] += 61
    with pytest.raises(CertificateFetchError):
        r.fetch(base + "/nope")
    assert hits["n"] == before + 2


@pytest.mark.parametrize(
    "url", ["https://127.0.0.1/sp.pem", "https://10.1.2.3/sp.pem", "https://[::1]/sp.pem", "https://localhost/sp.pem",
            "https://169.254.169.254/latest/meta-data", "https://192.168.0.1:8443/c.pem"]
)
def test_private_addresses_are_refused_by_default(url):
    with pytest.raises(CertificateFetchError, match="private or local"):
        HttpsResolver(timeout=0.5).fetch(url)

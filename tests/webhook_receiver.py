"""A real HTTP server on a free local port that records what webhooks POST to it."""

import datetime
import json
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    # Status codes to answer with, in turn; 200 once they run out.
    answers: list[int] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        receiver = self.server.receiver
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        receiver.received.append(Received(self.path, dict(self.headers), body))
        status = receiver.answers.pop(0) if receiver.answers else 200
        reply = b'{"ok": true}' if status < 300 else b"Database unavailable, try again later"
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format, *args):  # keep the test output clean
        pass


def start(host: str = "127.0.0.1", port: int = 0) -> tuple[ThreadingHTTPServer, Receiver]:
    server = ThreadingHTTPServer((host, port), _Handler)
    server.receiver = Receiver(url=f"http://{host}:{server.server_address[1]}/hooks")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.receiver


def self_signed(folder: Path, host_name: str) -> tuple[Path, Path]:
    """A key and a self-signed certificate for `host_name` (its own trust anchor)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host_name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / f"{host_name}.key", folder / f"{host_name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def start_tls(key_path: Path, cert_path: Path) -> tuple[ThreadingHTTPServer, Receiver]:
    """The same receiver over https on 127.0.0.1, presenting the given certificate."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.receiver = Receiver(url=f"https://localhost:{server.server_address[1]}/hooks")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.receiver

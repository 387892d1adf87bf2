"""Schools' identity providers, run as separate processes for the single sign-on tests.

`SamlIdentityProvider` runs tests/idp/saml_idp.py (pysaml2, signing with xmlsec1);
`OidcIdentityProvider` runs tests/idp/oidc_idp.mjs (npm's oidc-provider, under Node). Each
listens on a free port of 127.0.0.1 and reads its directory of people from a JSON file that
the tests write (`add_person`).
"""

import abc
import datetime
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_key_and_certificate(folder: Path, name: str) -> tuple[Path, Path]:
    """A fresh RSA key and self-signed certificate, as a school's IdP signs with."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / f"{name}.key", folder / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


class IdentityProviderProcess(abc.ABC):
    name = "identity provider"
    ready_path = "/"

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="idp-"))
        self.directory_file = self.folder / "directory.json"
        self.directory_file.write_text("{}")
        self.log_path = self.folder / "idp.log"
        self.port = 0
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @abc.abstractmethod
    def command(self) -> list[str]:
        """The command line that starts this identity provider on `self.port`."""

    def add_person(self, username: str, **details) -> None:
        people = json.loads(self.directory_file.read_text())
        people[username] = details
        self.directory_file.write_text(json.dumps(people))

    def start(self, *, timeout: float = 30.0):
        self.port = free_port()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + self.ready_path, timeout=2):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"The {self.name} did not start:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


class SamlIdentityProvider(IdentityProviderProcess):
    name = "SAML identity provider"
    ready_path = "/metadata"

    def __init__(self, *, sp_metadata_urls: list[str]):
        super().__init__()
        self.sp_metadata_urls = sp_metadata_urls
        self.key, self.cert = make_key_and_certificate(self.folder, "idp")
        self.other_key, self.other_cert = make_key_and_certificate(self.folder, "impostor")

    @property
    def metadata_url(self) -> str:
        return self.url + "/metadata"

    def command(self) -> list[str]:
        command = [
            sys.executable,
            str(HERE / "saml_idp.py"),
            "--port",
            str(self.port),
            "--key",
            str(self.key),
            "--cert",
            str(self.cert),
            "--other-key",
            str(self.other_key),
            "--other-cert",
            str(self.other_cert),
            "--directory",
            str(self.directory_file),
        ]
        for url in self.sp_metadata_urls:
            command += ["--sp-metadata", url]
        return command


class OidcIdentityProvider(IdentityProviderProcess):
    name = "OpenID Connect identity provider"
    ready_path = "/.well-known/openid-configuration"

    def __init__(self, *, client_id: str, client_secret: str, redirect_uris: list[str]):
        super().__init__()
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = redirect_uris

    def command(self) -> list[str]:
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("Node.js is needed for the OpenID Connect identity provider.")
        command = [
            node,
            str(HERE / "oidc_idp.mjs"),
            "--port",
            str(self.port),
            "--client-id",
            self.client_id,
            "--client-secret",
            self.client_secret,
            "--directory",
            str(self.directory_file),
        ]
        for uri in self.redirect_uris:
            command += ["--redirect-uri", uri]
        return command

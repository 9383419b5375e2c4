"""Runs the real `azureclassic-emulator` on a free loopback port with a request log; stopped on exit."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

OP_KINDS = ("netcfg", "gateway-create", "gateway-delete", "gateway-resize", "link", "connection")
ZERO_DELAYS = {kind: 0.0 for kind in OP_KINDS}
STARTUP_TIMEOUT = 30.0


class Emulator:
    def __init__(self, binary: Path, delays: dict[str, float], circuits: list[str] = ()):
        self.dir = Path(tempfile.mkdtemp(prefix="azbench-emu-"))
        self.request_log = self.dir / "requests.jsonl"
        args = [str(binary), "--listen", "127.0.0.1:0", "--request-log", str(self.request_log)]
        for kind, seconds in delays.items():
            args += ["--op-delay", f"{kind}={round(seconds * 1000)}ms"]
        for key in circuits:
            args += ["--circuit", key]
        self.stdout = self.dir / "stdout"
        with open(self.stdout, "w") as out:
            self.proc = subprocess.Popen(args, stdout=out, stderr=subprocess.DEVNULL)
        self.url = self._await_banner()

    def _await_banner(self) -> str:
        """The startup line says where it listens: `... listening on http://127.0.0.1:PORT ...`."""
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline and self.proc.poll() is None:
            match = re.search(r"(https?://127\.0\.0\.1:\d+)", self.stdout.read_text())
            if match:
                return match.group(1)
            time.sleep(0.02)
        self.stop()
        raise RuntimeError("azureclassic-emulator did not announce its address")

    def requests(self) -> list[dict]:
        if not self.request_log.is_file():
            return []
        return [json.loads(l) for l in self.request_log.read_text().splitlines() if l.strip()]

    def clear_log(self) -> None:
        self.request_log.write_text("")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "Emulator":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def classify(request: dict) -> str:
    """What a logged request was for: `mutate` (changes state), `poll` (an async operation's status)
    or `read`."""
    path = request["path"]
    if request["method"] != "GET":
        return "mutate"
    if "/operations/" in path or "/services/networking/operation/" in path:
        return "poll"
    return "read"


GUID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")


def endpoint(request: dict) -> str:
    """`METHOD path STATUS` with the subscription dropped and ids as `{id}`, to group calls."""
    segments = request["path"].strip("/").split("/")[1:]
    path = "/".join("{id}" if GUID.match(s) else s for s in segments)
    return f"{request['method']} {path} {request['status']}"


def call_counts(requests: list[dict]) -> dict:
    counts = Counter(classify(r) for r in requests)
    return {
        "total": len(requests),
        "mutate": counts["mutate"],
        "poll": counts["poll"],
        "read": counts["read"],
        "non_2xx": sum(1 for r in requests if not 200 <= r["status"] < 300),
        "by_endpoint": dict(Counter(endpoint(r) for r in requests).most_common()),
    }

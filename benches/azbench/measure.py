"""Measurements that are not a Terraform command's wall time: provider start-to-handshake, the peak
RSS of provider processes, and the emulator's GET throughput."""

from __future__ import annotations

import multiprocessing
import os
import select
import socket
import statistics
import subprocess
import threading
import time
from pathlib import Path

MAGIC_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
HANDSHAKE_TIMEOUT = 30.0
# /proc/PID/comm is truncated to 15 characters.
PROVIDER_COMM_PREFIX = "terraform-provi"


def median(values: list[float]) -> float:
    return statistics.median(values)


def handshake_seconds(binary: Path, client_cert: Path) -> float:
    """Launches a provider the way Terraform does (magic cookie, protocol 5, AutoMTLS client
    certificate) and times spawn to its `1|5|tcp|...|grpc|CERT` line."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TF_PLUGIN_MAGIC_COOKIE": MAGIC_COOKIE,
        "PLUGIN_PROTOCOL_VERSIONS": "5",
        "PLUGIN_MIN_PORT": "10000",
        "PLUGIN_MAX_PORT": "25000",
        "PLUGIN_CLIENT_CERT": client_cert.read_text(),
    }
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(binary)], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], HANDSHAKE_TIMEOUT)
        line = proc.stdout.readline() if ready else b""
        elapsed = time.perf_counter() - start
    finally:
        proc.kill()
        proc.wait()
    fields = line.decode(errors="replace").strip().split("|")
    if len(fields) != 6 or fields[:2] != ["1", "5"] or not fields[5]:
        raise RuntimeError(f"{binary.name}: no AutoMTLS handshake line (got {line[:80]!r})")
    return elapsed


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found


def _descendants(pid: int) -> list[int]:
    """Terraform re-executes itself under panicwrap, so providers are its grandchildren."""
    found, frontier = [], [pid]
    while frontier:
        children = [c for p in frontier for c in _children(p)]
        found += children
        frontier = children
    return found


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _provider_sample(pid: int) -> tuple[int, float] | None:
    """(VmHWM KiB, user + system CPU seconds) of `pid` if it is a provider process. VmHWM is the
    peak resident set so far; both only grow."""
    try:
        with open(f"/proc/{pid}/comm") as f:
            if not f.read().startswith(PROVIDER_COMM_PREFIX):
                return None
        with open(f"/proc/{pid}/stat") as f:
            # Fields after the parenthesised command name; utime and stime are fields 14 and 15.
            fields = f.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]), cpu
    except (OSError, IndexError, ValueError):
        return None
    return None


class ProviderWatcher:
    """Polls the provider processes Terraform starts (its descendants) and keeps each one's last seen
    VmHWM and CPU time. Both only grow, so the last sample before a process exits is its total, give
    or take its final poll interval."""

    def __init__(self, terraform_pid: int, interval: float = 0.005):
        self.terraform_pid = terraform_pid
        self.interval = interval
        self.samples: dict[int, tuple[int, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            for child in _descendants(self.terraform_pid):
                sample = _provider_sample(child)
                if sample is not None:
                    self.samples[child] = sample
            self._stop.wait(self.interval)

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        return {
            "processes": len(self.samples),
            "peak_kib": max((hwm for hwm, _ in self.samples.values()), default=0),
            "per_process_kib": sorted(hwm for hwm, _ in self.samples.values()),
            "cpu_s": round(sum(cpu for _, cpu in self.samples.values()), 2),
        }


def _get_loop(host: str, port: int, request: bytes, seconds: float, counts) -> None:
    """One keep-alive connection sending GETs back to back; a raw socket so the client costs little."""
    sock = socket.create_connection((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    reader = sock.makefile("rb")
    done = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        sock.sendall(request)
        status = reader.readline()
        if not status.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(f"GET answered {status!r}")
        length = 0
        while (header := reader.readline()) not in (b"\r\n", b""):
            if header.lower().startswith(b"content-length:"):
                length = int(header.split(b":", 1)[1])
        reader.read(length)
        done += 1
    counts.put(done)
    sock.close()


def get_throughput(url: str, path: str, version: str, clients: int = 2, seconds: float = 5.0) -> float:
    """Simple GETs per second served, with `clients` client processes on keep-alive connections.
    The Python clients share the 2 cores with the server, so this is a lower bound."""
    host, port = url.removeprefix("http://").split(":")
    request = f"GET {path} HTTP/1.1\r\nhost: {host}:{port}\r\nx-ms-version: {version}\r\n\r\n".encode()
    counts: multiprocessing.Queue = multiprocessing.Queue()
    start = time.perf_counter()
    workers = [
        multiprocessing.Process(target=_get_loop, args=(host, int(port), request, seconds, counts))
        for _ in range(clients)
    ]
    for w in workers:
        w.start()
    total = sum(counts.get(timeout=seconds + 30) for _ in workers)
    for w in workers:
        w.join()
    return total / (time.perf_counter() - start)

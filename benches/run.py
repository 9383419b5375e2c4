#!/usr/bin/env python3
"""Benchmarks of issue 8, in one command: `python3 benches/run.py`.

Builds the provider and the emulator in release mode, fetches Terraform 1.0.3 and hashicorp/null
2.1.2 (the Go plugin SDK peer) into ~/.cache/azureclassic-bench, runs every benchmark, prints the
tables with their ratios, and writes docs/benchmarks-results.json and docs/benchmarks-plan.svg.
Python 3.11 standard library only. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from azbench import report, suites  # noqa: E402
from azbench.emulator import ZERO_DELAYS, Emulator  # noqa: E402
from azbench.tools import REPO, log, prepare  # noqa: E402

SUITES = ("plan", "apply_zero_delay", "handshake", "rss", "limit", "stacks", "emulator_gets")


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x]


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reps", type=int, default=7, help="timed repetitions of each plan (default 7)")
    p.add_argument("--apply-reps", type=int, default=3, help="repetitions of each apply (default 3)")
    p.add_argument("--sizes", type=_ints, default=[100, 300, 1000], help="resource counts N")
    p.add_argument("--stacks", type=_ints, default=[1, 5, 20], help="stack counts K")
    p.add_argument("--handshakes", type=int, default=20, help="provider launches timed per binary")
    p.add_argument("--only", default=",".join(SUITES), help=f"comma-separated subset of {','.join(SUITES)}")
    p.add_argument("--no-build", action="store_true", help="use the existing target/release binaries")
    p.add_argument("--no-path-terraform", action="store_true", help="only Terraform 1.0.3, not the one on PATH")
    p.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks-results.json")
    p.add_argument("--svg", type=Path, default=REPO / "docs" / "benchmarks-plan.svg")
    return p.parse_args()


def machine() -> dict:
    return {
        "cores": os.cpu_count(),
        "cpu": next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                     if l.startswith("model name")), platform.processor()),
        "kernel": platform.release(),
        "loadavg_at_start": os.getloadavg(),
    }


def main() -> int:
    args = parse_args()
    wanted = set(args.only.split(","))
    unknown = wanted - set(SUITES)
    if unknown:
        sys.exit(f"unknown suites: {', '.join(sorted(unknown))}")
    started = time.monotonic()
    results: dict = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "skipped": {},
    }
    b = prepare(include_path_terraform=not args.no_path_terraform, build=not args.no_build)
    results["terraform_versions"] = [t.version for t in b.terraforms]
    oldest = b.terraforms[0]
    jobs = {
        "plan": lambda url: [row for tf in b.terraforms for row in suites.plan_overhead(b, tf, args.sizes, args.reps, url)],
        "handshake": lambda url: suites.handshake(b, args.handshakes),
        "rss": lambda url: [suites.peak_rss(b, tf, max(args.sizes), url) for tf in b.terraforms],
        "apply_zero_delay": lambda url: [row for tf in b.terraforms for row in suites.apply_zero_delay(b, tf, args.sizes, args.apply_reps)],
        "limit": lambda url: suites.apply_limit(b, oldest, args.apply_reps),
        "stacks": lambda url: suites.stacks_scaling(b, oldest, args.stacks, args.apply_reps),
        "emulator_gets": lambda url: suites.emulator_gets(b, 5.0),
    }
    # Plans never reach the API, but the provider block names an endpoint: point it at a real one.
    with Emulator(b.emulator, ZERO_DELAYS) as idle:
        for name in SUITES:
            if name not in wanted:
                continue
            log(f"suite {name}")
            try:
                results[name] = jobs[name](idle.url)
            except Exception as e:  # a suite that cannot run is reported, not fatal to the others
                first_line = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
                results["skipped"][name] = first_line
                results.setdefault("errors", {})[name] = str(e)[-4000:]
                log(f"suite {name} could not run: {first_line}")
    results["machine"]["loadavg_at_end"] = os.getloadavg()
    results["duration_s"] = round(time.monotonic() - started)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    if svg := report.plan_chart(results):
        args.svg.write_text(svg)
    print(f"# Benchmarks {results['date']} ({results['machine']['cores']} cores, "
          f"Terraform {', '.join(results['terraform_versions'])})\n")
    print(report.tables(results))
    log(f"wrote {args.out} and {args.svg} in {results['duration_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

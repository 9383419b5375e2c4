"""A Terraform working directory wired to the benchmark's filesystem mirror, and timed commands in it."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .tools import Terraform

COMMON_FLAGS = ["-input=false", "-no-color"]


class TerraformError(RuntimeError):
    pass


@dataclass(frozen=True)
class Timing:
    """A command's wall time and the CPU time of its whole process tree (Terraform, its panicwrap
    child and the providers, all waited for), user + system, in seconds."""

    wall: float
    cpu: float


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _first_error(output: str) -> str:
    """Terraform's first `Error:` summary with the line of detail after it."""
    lines = [l.strip("│ ").strip() for l in output.splitlines()]
    lines = [l for l in lines if l]
    for i, line in enumerate(lines):
        if line.startswith("Error:"):
            return " ".join(lines[i : i + 2])
    return lines[-1] if lines else "no output"


class Workspace:
    """One configuration in a private directory with its own CLI config: only the mirror is an
    installation source, so both providers come through the same code path in Terraform."""

    def __init__(
        self, terraform: Terraform, mirror: Path, files: dict[str, str], env: dict[str, str] | None = None
    ):
        self.terraform = terraform
        self.dir = Path(tempfile.mkdtemp(prefix="azbench-"))
        cli_config = self.dir / "terraformrc"
        cli_config.write_text(
            'provider_installation {\n  filesystem_mirror {\n    path = "%s"\n  }\n}\n' % mirror
        )
        for name, text in files.items():
            (self.dir / name).write_text(text)
        self.env = {
            **os.environ,
            "TF_CLI_CONFIG_FILE": str(cli_config),
            "CHECKPOINT_DISABLE": "1",
            "TF_IN_AUTOMATION": "1",
            **(env or {}),
        }
        for noisy in ("TF_LOG", "TF_LOG_PATH", "TF_PLUGIN_CACHE_DIR", "TF_REATTACH_PROVIDERS"):
            self.env.pop(noisy, None)

    def run(self, *args: str, timeout: float = 1800) -> Timing:
        """Runs `terraform ARGS` and returns its timing; raises with the output when it fails, so a
        broken run never turns into a number."""
        cpu_before = _children_cpu()
        start = time.perf_counter()
        proc = subprocess.run(
            [str(self.terraform.path), *args],
            cwd=self.dir, env=self.env, capture_output=True, text=True, timeout=timeout,
        )
        elapsed = Timing(time.perf_counter() - start, _children_cpu() - cpu_before)
        if proc.returncode != 0:
            raise TerraformError(
                f"terraform {args[0]} (v{self.terraform.version}): {_first_error(proc.stdout + proc.stderr)}\n"
                f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
            )
        return elapsed

    def popen(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [str(self.terraform.path), *args],
            cwd=self.dir, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )

    def init(self) -> Timing:
        return self.run("init", *COMMON_FLAGS)

    def plan(self, *extra: str) -> Timing:
        return self.run("plan", *COMMON_FLAGS, "-lock=false", *extra)

    def apply(self, *extra: str) -> Timing:
        return self.run("apply", *COMMON_FLAGS, "-auto-approve", *extra)

    def reset_state(self) -> None:
        for name in ("terraform.tfstate", "terraform.tfstate.backup"):
            (self.dir / name).unlink(missing_ok=True)

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

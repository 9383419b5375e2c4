"""The benchmarks. Each returns plain data for the results JSON; a suite that cannot run raises, and
run.py records why instead of a number."""

from __future__ import annotations

import uuid

from . import configs
from .emulator import ZERO_DELAYS, Emulator, call_counts
from .measure import ProviderWatcher, get_throughput, handshake_seconds, median
from .tools import Binaries, Terraform, log
from .workspace import COMMON_FLAGS, Workspace

# Limit-suite operation delays (issue 8's example) and the chain of examples/coexisting-new-vnet:
# VNet (netcfg PUT) -> ExpressRoute gateway -> circuit link -> VPN gateway -> connection. The local
# network gateway is synchronous and off the chain.
LIMIT_DELAYS = {"netcfg": 0.5, "gateway-create": 2.0, "link": 1.0, "connection": 1.0}
CRITICAL_PATH = ("netcfg", "gateway-create", "link", "gateway-create", "connection")
CIRCUIT = "5ab0c0de-0000-4000-8000-000000000001"
SHARED_KEY = "bench-shared-key"
STACK_PARALLELISM = 20

# The fewest calls one stack needs: a write per object (netcfg PUT; ExpressRoute gateway, link, VPN
# gateway, local network gateway and connection POSTs), one status poll per asynchronous operation
# (netcfg, two gateways, link, connection), and the reads that give computed attributes: the netcfg
# GET of the read-modify-write, the VNet list for `vnet_id`, the ExpressRoute gateway GET for its
# GatewayId and VIP, and the VPN gateway list to find the new GatewayId by name (asm-api.md 4a).
MINIMUM_CALLS = {"mutate": 6, "poll": 5, "read": 4, "total": 15}


def subscription() -> str:
    """A fresh id per run: the emulator isolates subscriptions, so runs start from nothing."""
    return str(uuid.uuid4())


def _ratio(ours: float, theirs: float) -> float:
    return round(ours / theirs, 3)


def plan_overhead(b: Binaries, tf: Terraform, sizes: list[int], reps: int, emulator_url: str) -> list[dict]:
    """`plan -refresh=false` of N local network gateways vs N null_resource, interleaved rep by rep
    so both see the same machine load; one untimed warm-up each."""
    rows = []
    for n in sizes:
        ours = Workspace(tf, b.mirror, {"main.tf": configs.local_network_gateways(n, subscription(), emulator_url)})
        peer = Workspace(tf, b.mirror, {"main.tf": configs.null_resources(n)})
        with ours, peer:
            ours.init()
            peer.init()
            ours.plan("-refresh=false")
            peer.plan("-refresh=false")
            ours_t, peer_t = [], []
            for _ in range(reps):
                ours_t.append(ours.plan("-refresh=false"))
                peer_t.append(peer.plan("-refresh=false"))
        ours_s, peer_s = [t.wall for t in ours_t], [t.wall for t in peer_t]
        ours_cpu, peer_cpu = [t.cpu for t in ours_t], [t.cpu for t in peer_t]
        row = {
            "terraform": tf.version, "n": n,
            "ours_s": ours_s, "null_s": peer_s,
            "ours_median_s": median(ours_s), "null_median_s": median(peer_s),
            "ratio": _ratio(median(ours_s), median(peer_s)),
            "ours_cpu_s": ours_cpu, "null_cpu_s": peer_cpu,
            "ours_cpu_median_s": median(ours_cpu), "null_cpu_median_s": median(peer_cpu),
            "cpu_ratio": _ratio(median(ours_cpu), median(peer_cpu)),
        }
        log(f"plan TF {tf.version} N={n}: ours {row['ours_median_s']:.2f}s null {row['null_median_s']:.2f}s "
            f"(CPU {row['ours_cpu_median_s']:.2f}s / {row['null_cpu_median_s']:.2f}s)")
        rows.append(row)
    return rows


def apply_zero_delay(b: Binaries, tf: Terraform, sizes: list[int], reps: int) -> list[dict]:
    """`apply` of N local network gateways against the emulator with zero operation delays, then a
    refreshing `plan` (N reads); null_resource alongside. Each rep starts from an empty state in a
    fresh subscription."""
    rows = []
    with Emulator(b.emulator, ZERO_DELAYS) as emu:
        for n in sizes:
            ours = Workspace(tf, b.mirror, {"main.tf": configs.local_network_gateways(n, subscription(), emu.url)})
            peer = Workspace(tf, b.mirror, {"main.tf": configs.null_resources(n)})
            with ours, peer:
                ours.init()
                peer.init()
                timings: dict[str, list[float]] = {}
                for _ in range(reps):
                    (ours.dir / "main.tf").write_text(configs.local_network_gateways(n, subscription(), emu.url))
                    for ws, who in ((ours, "ours"), (peer, "null")):
                        ws.reset_state()
                        for step, timing in (("apply", ws.apply()), ("refresh_plan", ws.plan())):
                            timings.setdefault(f"{who}_{step}_s", []).append(timing.wall)
                            timings.setdefault(f"{who}_{step}_cpu_s", []).append(timing.cpu)
            row = {"terraform": tf.version, "n": n, **timings}
            for key, values in timings.items():
                row[key.removesuffix("_s") + "_median_s"] = median(values)
            row["apply_ratio"] = _ratio(row["ours_apply_median_s"], row["null_apply_median_s"])
            row["refresh_plan_ratio"] = _ratio(row["ours_refresh_plan_median_s"], row["null_refresh_plan_median_s"])
            row["apply_cpu_ratio"] = _ratio(row["ours_apply_cpu_median_s"], row["null_apply_cpu_median_s"])
            log(f"apply TF {tf.version} N={n}: ours {row['ours_apply_median_s']:.2f}s null {row['null_apply_median_s']:.2f}s")
            rows.append(row)
    return rows


def handshake(b: Binaries, reps: int) -> dict:
    """Spawn to handshake line, alternating the two binaries; two untimed launches each first."""
    for _ in range(2):
        handshake_seconds(b.provider, b.client_cert)
        handshake_seconds(b.null_provider, b.client_cert)
    ours, peer = [], []
    for _ in range(reps):
        ours.append(handshake_seconds(b.provider, b.client_cert))
        peer.append(handshake_seconds(b.null_provider, b.client_cert))
    result = {
        "ours_ms": [round(s * 1000, 2) for s in ours],
        "null_ms": [round(s * 1000, 2) for s in peer],
        "ours_median_ms": round(median(ours) * 1000, 2),
        "null_median_ms": round(median(peer) * 1000, 2),
        "ratio": _ratio(median(ours), median(peer)),
    }
    log(f"handshake: ours {result['ours_median_ms']} ms, null {result['null_median_ms']} ms")
    return result


def _watched_plan(ws: Workspace) -> dict:
    proc = ws.popen("plan", *COMMON_FLAGS, "-lock=false", "-refresh=false")
    watcher = ProviderWatcher(proc.pid)
    _, stderr = proc.communicate(timeout=1800)
    result = watcher.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"plan failed: {stderr[-2000:]}")
    return result


def peak_rss(b: Binaries, tf: Terraform, n: int, emulator_url: str) -> dict:
    """Peak RSS of the provider processes Terraform starts for an N-resource plan (the largest is the
    plan walk's) and their summed CPU time: what the provider itself costs, whatever the machine's
    load does to wall times. Ours and null, three runs each: the largest peak, the median CPU."""
    ours = Workspace(tf, b.mirror, {"main.tf": configs.local_network_gateways(n, subscription(), emulator_url)})
    peer = Workspace(tf, b.mirror, {"main.tf": configs.null_resources(n)})
    with ours, peer:
        ours.init()
        peer.init()
        runs = {"ours": [], "null": []}
        for _ in range(3):
            runs["ours"].append(_watched_plan(ours))
            runs["null"].append(_watched_plan(peer))
    result = {"terraform": tf.version, "n": n}
    for who, samples in runs.items():
        best = max(samples, key=lambda s: s["peak_kib"])
        result[f"{who}_peak_kib"] = best["peak_kib"]
        result[f"{who}_processes"] = best["processes"]
        result[f"{who}_per_process_kib"] = best["per_process_kib"]
        result[f"{who}_cpu_s"] = [s["cpu_s"] for s in samples]
        result[f"{who}_cpu_median_s"] = median(result[f"{who}_cpu_s"])
    result["ratio"] = _ratio(result["ours_peak_kib"], result["null_peak_kib"])
    result["cpu_ratio"] = _ratio(result["ours_cpu_median_s"], result["null_cpu_median_s"])
    log(f"provider processes N={n}: peak RSS ours {result['ours_peak_kib']} KiB, null {result['null_peak_kib']} KiB; "
        f"CPU ours {result['ours_cpu_median_s']} s, null {result['null_cpu_median_s']} s")
    return result


def _example_env(sub: str, url: str) -> dict[str, str]:
    return {
        "AZURE_SUBSCRIPTION_ID": sub,
        "AZURE_MANAGEMENT_URL": url,
        "TF_VAR_circuit_service_key": CIRCUIT,
        "TF_VAR_shared_key": SHARED_KEY,
    }


def _apply_example(b: Binaries, tf: Terraform, delays: dict[str, float], reps: int) -> tuple[list[float], list[dict]]:
    """Applies examples/coexisting-new-vnet `reps` times, each in a fresh subscription; returns the
    wall times and the API calls of each run."""
    applies, calls = [], []
    with Emulator(b.emulator, {**ZERO_DELAYS, **delays}, circuits=[CIRCUIT]) as emu:
        with Workspace(tf, b.mirror, configs.example_files(), _example_env(subscription(), emu.url)) as ws:
            ws.init()
            for _ in range(reps):
                ws.env.update(_example_env(subscription(), emu.url))
                ws.reset_state()
                emu.clear_log()
                applies.append(ws.apply().wall)
                calls.append(call_counts(emu.requests()))
    return applies, calls


def apply_limit(b: Binaries, tf: Terraform, reps: int) -> dict:
    """examples/coexisting-new-vnet applied against the emulator with LIMIT_DELAYS: wall time over the
    sum of delays along the dependency chain, plus the API calls one stack made. The same apply with
    zero delays shows the fixed cost (Terraform, provider processes, the first status polls)."""
    critical = sum(LIMIT_DELAYS[k] for k in CRITICAL_PATH)
    applies, calls = _apply_example(b, tf, LIMIT_DELAYS, reps)
    floor, _ = _apply_example(b, tf, {}, reps)
    result = {
        "terraform": tf.version,
        "delays_s": LIMIT_DELAYS,
        "critical_path": list(CRITICAL_PATH),
        "critical_path_s": critical,
        "apply_s": applies,
        "apply_median_s": median(applies),
        "ratio": _ratio(median(applies), critical),
        "zero_delay_apply_s": floor,
        "zero_delay_apply_median_s": median(floor),
        "calls_per_run": calls,
        "calls": min(calls, key=lambda c: c["total"]),
        "minimum_calls": MINIMUM_CALLS,
    }
    log(f"limit: apply {result['apply_median_s']:.2f}s vs critical path {critical}s "
        f"(zero delays: {result['zero_delay_apply_median_s']:.2f}s)")
    return result


def stacks_scaling(b: Binaries, tf: Terraform, ks: list[int], reps: int) -> dict:
    """K independent coexisting stacks in one configuration at -parallelism=20, with LIMIT_DELAYS."""
    circuits = [configs.Stack(i).circuit for i in range(max(ks))]
    rows = []
    with Emulator(b.emulator, {**ZERO_DELAYS, **LIMIT_DELAYS}, circuits=circuits) as emu:
        for k in ks:
            with Workspace(tf, b.mirror, {"main.tf": configs.stacks(k, subscription(), emu.url)}) as ws:
                ws.init()
                applies, calls = [], []
                for _ in range(reps):
                    (ws.dir / "main.tf").write_text(configs.stacks(k, subscription(), emu.url))
                    ws.reset_state()
                    emu.clear_log()
                    applies.append(ws.apply(f"-parallelism={STACK_PARALLELISM}").wall)
                    calls.append(call_counts(emu.requests()))
            rows.append({
                "k": k, "apply_s": applies, "apply_median_s": median(applies),
                "calls_per_stack": round(min(c["total"] for c in calls) / k, 1),
            })
            log(f"stacks K={k}: apply {median(applies):.2f}s")
    base = rows[0]["apply_median_s"]
    for row in rows:
        row["ratio_to_first"] = _ratio(row["apply_median_s"], base)
    return {
        "terraform": tf.version, "parallelism": STACK_PARALLELISM,
        "critical_path_s": sum(LIMIT_DELAYS[k] for k in CRITICAL_PATH), "rows": rows,
    }


def emulator_gets(b: Binaries, seconds: float) -> dict:
    """Simple GETs per second: one circuit's GET, two keep-alive Python client processes."""
    with Emulator(b.emulator, ZERO_DELAYS, circuits=[CIRCUIT]) as emu:
        path = f"/{subscription()}/services/networking/dedicatedcircuits/{CIRCUIT}"
        rate = get_throughput(emu.url, path + "?api-version=1.0", "2011-10-01", seconds=seconds)
    log(f"emulator: {rate:.0f} GET/s")
    return {"path": "GET services/networking/dedicatedcircuits/{key}", "clients": 2, "seconds": seconds,
            "requests_per_s": round(rate)}


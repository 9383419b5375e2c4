"""The run's results as markdown tables with ratios against the targets of issue 8, and the plot."""

from __future__ import annotations

from .plot import Series, line_chart

PLAN_TARGET = 1.0
LIMIT_TARGET = 1.15
STACKS_TARGET = 1.5
GETS_TARGET = 2000


def _verdict(ratio: float, target: float) -> str:
    return "met" if ratio <= target else f"MISSED by {(ratio / target - 1) * 100:.0f}%"


def _table(title: str, header: list[str], rows: list[list]) -> list[str]:
    def line(cells) -> str:
        return "| " + " | ".join(str(c) for c in cells) + " |"

    return [f"### {title}", "", line(header), line(["---"] * len(header)), *map(line, rows), ""]


def _plan(rows: list[dict]) -> list[str]:
    return _table(
        "plan -refresh=false: median wall time, and median CPU time of the whole process tree (s)",
        ["Terraform", "N", "azureclassic", "null (Go SDK)", "ratio", "target <= 1.0", "CPU ours", "CPU null",
         "CPU ratio"],
        [[r["terraform"], r["n"], f"{r['ours_median_s']:.2f}", f"{r['null_median_s']:.2f}", f"{r['ratio']:.2f}",
          _verdict(r["ratio"], PLAN_TARGET), f"{r['ours_cpu_median_s']:.2f}", f"{r['null_cpu_median_s']:.2f}",
          f"{r['cpu_ratio']:.2f}"] for r in rows],
    )


def _apply(rows: list[dict]) -> list[str]:
    return _table(
        "apply and refreshing plan, emulator with zero delays (median s; apply CPU of Terraform + provider)",
        ["Terraform", "N", "apply ours", "apply null", "ratio", "apply CPU ours", "apply CPU null", "CPU ratio",
         "refresh plan ours", "refresh plan null", "ratio"],
        [[r["terraform"], r["n"], f"{r['ours_apply_median_s']:.2f}", f"{r['null_apply_median_s']:.2f}",
          f"{r['apply_ratio']:.2f}", f"{r['ours_apply_cpu_median_s']:.2f}", f"{r['null_apply_cpu_median_s']:.2f}",
          f"{r['apply_cpu_ratio']:.2f}", f"{r['ours_refresh_plan_median_s']:.2f}",
          f"{r['null_refresh_plan_median_s']:.2f}", f"{r['refresh_plan_ratio']:.2f}"] for r in rows],
    )


def _handshake(h: dict) -> list[str]:
    return _table(
        "start to handshake (median ms)",
        ["azureclassic", "null (Go SDK)", "ratio"],
        [[f"{h['ours_median_ms']:.1f}", f"{h['null_median_ms']:.1f}", f"{h['ratio']:.2f}"]],
    )


def _rss(rows: list[dict]) -> list[str]:
    return _table(
        "provider processes over an N-resource plan -refresh=false: peak RSS, CPU time (all processes)",
        ["Terraform", "N", "RSS ours MiB", "RSS null MiB", "ratio", "target < 1.0", "CPU ours s", "CPU null s", "ratio"],
        [[r["terraform"], r["n"], f"{r['ours_peak_kib'] / 1024:.1f}", f"{r['null_peak_kib'] / 1024:.1f}",
          f"{r['ratio']:.2f}", "met" if r["ratio"] < 1 else "MISSED", f"{r['ours_cpu_median_s']:.2f}",
          f"{r['null_cpu_median_s']:.2f}", f"{r['cpu_ratio']:.2f}"] for r in rows],
    )


def _limit(lim: dict) -> list[str]:
    c, m = lim["calls"], lim["minimum_calls"]
    return _table(
        "one coexisting stack against its critical path",
        ["Terraform", "apply median s", "critical path s", "ratio", "target <= 1.15", "same apply, zero delays s"],
        [[lim["terraform"], f"{lim['apply_median_s']:.2f}", f"{lim['critical_path_s']:.2f}", f"{lim['ratio']:.2f}",
          _verdict(lim["ratio"], LIMIT_TARGET), f"{lim['zero_delay_apply_median_s']:.2f}"]],
    ) + _table(
        "API calls per stack",
        ["", "total", "mutating", "status polls", "reads", "non-2xx"],
        [["measured", c["total"], c["mutate"], c["poll"], c["read"], c["non_2xx"]],
         ["minimum", m["total"], m["mutate"], m["poll"], m["read"], 0]],
    )


def _stacks(st: dict) -> list[str]:
    return _table(
        f"K independent stacks, -parallelism={st['parallelism']} (median s)",
        ["K", "apply", "ratio to K=1", "calls per stack", "target (K=20) <= 1.5"],
        [[r["k"], f"{r['apply_median_s']:.2f}", f"{r['ratio_to_first']:.2f}", r["calls_per_stack"],
          _verdict(r["ratio_to_first"], STACKS_TARGET) if r["k"] == 20 else ""] for r in st["rows"]],
    )


def _gets(g: dict) -> list[str]:
    verdict = "met" if g["requests_per_s"] >= GETS_TARGET else "MISSED"
    return ["### emulator", "", f"{g['requests_per_s']} simple GETs/s ({g['clients']} Python client processes, "
            f"{g['seconds']} s; target >= {GETS_TARGET}: {verdict})", ""]


SECTIONS = {
    "plan": _plan, "apply_zero_delay": _apply, "handshake": _handshake, "rss": _rss,
    "limit": _limit, "stacks": _stacks, "emulator_gets": _gets,
}


def tables(results: dict) -> str:
    out = []
    for suite, render in SECTIONS.items():
        if results.get(suite):
            out += render(results[suite])
    out += [f"- {suite}: not run: {error}" for suite, error in results["skipped"].items()]
    return "\n".join(out)


def plan_chart(results: dict) -> str | None:
    rows = results.get("plan")
    if not rows:
        return None
    series = []
    # Red for ours, blue for the Go peer; dashed for the second Terraform version.
    for dashed, version in enumerate(dict.fromkeys(r["terraform"] for r in rows)):
        mine = [r for r in rows if r["terraform"] == version]
        series.append(Series(f"azureclassic, TF {version}", [(r["n"], r["ours_median_s"]) for r in mine],
                             "#d62728", bool(dashed)))
        series.append(Series(f"null 2.1.2 (Go), TF {version}", [(r["n"], r["null_median_s"]) for r in mine],
                             "#1f77b4", bool(dashed)))
    return line_chart(
        f"terraform plan -refresh=false, median of {len(rows[0]['ours_s'])} "
        f"({results['date'][:10]}, {results['machine']['cores']} cores)",
        "resources in the configuration", "wall time (s)", series,
    )

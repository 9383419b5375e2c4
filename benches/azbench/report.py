"""The run's results as markdown tables with ratios against the targets of issue 8, and the plot."""

from __future__ import annotations

from .plot import Series, line_chart

PLAN_TARGET = 1.0
LIMIT_TARGET = 1.15
STACKS_TARGET = 1.5


def _verdict(ratio: float, target: float) -> str:
    return "met" if ratio <= target else f"MISSED by {(ratio / target - 1) * 100:.0f}%"


def _skipped(results: dict, suite: str) -> str | None:
    error = results["skipped"].get(suite)
    return f"not run: {error}" if error else None


def tables(results: dict) -> str:
    out = []
    if rows := results.get("plan"):
        out += ["### plan -refresh=false (median s)", "",
                "| Terraform | N | azureclassic | null (Go SDK) | ratio | target <= 1.0 |", "|---|---|---|---|---|---|"]
        out += [f"| {r['terraform']} | {r['n']} | {r['ours_median_s']:.2f} | {r['null_median_s']:.2f} | "
                f"{r['ratio']:.2f} | {_verdict(r['ratio'], PLAN_TARGET)} |" for r in rows]
        out.append("")
    if rows := results.get("apply_zero_delay"):
        out += ["### apply and refreshing plan, emulator with zero delays (median s)", "",
                "| Terraform | N | apply ours | apply null | ratio | refresh plan ours | refresh plan null | ratio |",
                "|---|---|---|---|---|---|---|---|"]
        out += [f"| {r['terraform']} | {r['n']} | {r['ours_apply_median_s']:.2f} | {r['null_apply_median_s']:.2f} | "
                f"{r['apply_ratio']:.2f} | {r['ours_refresh_plan_median_s']:.2f} | "
                f"{r['null_refresh_plan_median_s']:.2f} | {r['refresh_plan_ratio']:.2f} |" for r in rows]
        out.append("")
    if h := results.get("handshake"):
        out += ["### start to handshake (median ms)", "",
                "| azureclassic | null (Go SDK) | ratio |", "|---|---|---|",
                f"| {h['ours_median_ms']:.1f} | {h['null_median_ms']:.1f} | {h['ratio']:.2f} |", ""]
    if rows := results.get("rss"):
        out += ["### peak RSS of a provider process over an N-resource plan", "",
                "| Terraform | N | azureclassic MiB | null MiB | ratio | target < 1.0 |", "|---|---|---|---|---|---|"]
        out += [f"| {r['terraform']} | {r['n']} | {r['ours_peak_kib'] / 1024:.1f} | {r['null_peak_kib'] / 1024:.1f} | "
                f"{r['ratio']:.2f} | {'met' if r['ratio'] < 1 else 'MISSED'} |" for r in rows]
        out.append("")
    if lim := results.get("limit"):
        c, m = lim["calls"], lim["minimum_calls"]
        out += ["### one coexisting stack against its critical path", "",
                "| Terraform | apply median s | critical path s | ratio | target <= 1.15 |", "|---|---|---|---|---|",
                f"| {lim['terraform']} | {lim['apply_median_s']:.2f} | {lim['critical_path_s']:.2f} | "
                f"{lim['ratio']:.2f} | {_verdict(lim['ratio'], LIMIT_TARGET)} |", "",
                "| API calls per stack | total | mutating | status polls | reads | non-2xx |", "|---|---|---|---|---|---|",
                f"| measured | {c['total']} | {c['mutate']} | {c['poll']} | {c['read']} | {c['non_2xx']} |",
                f"| minimum | {m['total']} | {m['mutate']} | {m['poll']} | {m['read']} | 0 |", ""]
    elif reason := _skipped(results, "limit"):
        out += ["### one coexisting stack against its critical path", "", reason, ""]
    if st := results.get("stacks"):
        out += [f"### K independent stacks, -parallelism={st['parallelism']} (median s)", "",
                "| K | apply | ratio to K=1 | calls per stack | target (K=20) <= 1.5 |", "|---|---|---|---|---|"]
        out += [f"| {r['k']} | {r['apply_median_s']:.2f} | {r['ratio_to_first']:.2f} | {r['calls_per_stack']} | "
                f"{_verdict(r['ratio_to_first'], STACKS_TARGET) if r['k'] == 20 else ''} |" for r in st["rows"]]
        out.append("")
    elif reason := _skipped(results, "stacks"):
        out += ["### K independent stacks", "", reason, ""]
    if g := results.get("emulator_gets"):
        verdict = "met" if g["requests_per_s"] >= 2000 else "MISSED"
        out += ["### emulator", "", f"{g['requests_per_s']} simple GETs/s ({g['clients']} Python client processes, "
                f"{g['seconds']} s; target >= 2000: {verdict})", ""]
    for suite, error in results["skipped"].items():
        if suite not in ("limit", "stacks"):
            out += [f"- {suite}: not run: {error}"]
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
        f"terraform plan -refresh=false, median of {len(rows[0]['ours_s'])} ({results['date'][:10]}, 2 cores)",
        "resources in the configuration", "wall time (s)", series,
    )

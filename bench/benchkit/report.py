"""Medians, ratios to ours (and dbmate), slopes, and the outputs: JSON, Markdown section, PNG plot."""

from __future__ import annotations

import itertools
import json
import statistics
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .runner import Sample, brief
from .tools import DEPLOY_OPS, OPS, DeployOp, Op

OURS = "ours"
# Issue 11 states the usual-deploy and no-op targets against dbmate's time.
DBMATE = "dbmate"
OP_TITLES: dict[Op, str] = {
    "apply": "Apply all N to an empty database",
    "noop": "No-op run, all N applied",
    "status": "Status with N applied",
}
START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"

# summary[tool][n][op] = {"median": s, "min": s, "max": s, "runs": k, "ratio_to_ours": r,
#                         "ratio_to_dbmate": r}; the usual deploy is under n = its base size.
Summary = dict[str, dict[int, dict[str, dict[str, float]]]]


def summarize(samples: Sequence[Sample]) -> Summary:
    times: dict[tuple[str, int, str], list[float]] = {}
    for s in samples:
        if s.seconds is not None:
            times.setdefault((s.tool, s.n, s.op), []).append(s.seconds)
    out: Summary = {}
    for (tool, n, op), vals in sorted(times.items()):
        out.setdefault(tool, {}).setdefault(n, {})[op] = {
            "median": statistics.median(vals),
            "min": min(vals),
            "max": max(vals),
            "runs": float(len(vals)),
        }
    for _tool, by_n in out.items():
        for n, by_op in by_n.items():
            for op, stats in by_op.items():
                for ref, field in ((OURS, "ratio_to_ours"), (DBMATE, "ratio_to_dbmate")):
                    base = out.get(ref, {}).get(n, {}).get(op)
                    if base:
                        stats[field] = stats["median"] / base["median"]
    return out


def slopes(summary: Summary, lo: int = 100) -> dict[str, dict[str, dict[str, float]]]:
    """Cost per extra file (ms) between consecutive sizes from `lo` up, per tool and op.

    A linear tool shows about the same ms/file on every segment; a super-linear one shows it
    growing. `overall` is the segment from `lo` to the largest size measured.
    """
    out: dict[str, dict[str, dict[str, float]]] = {}
    for tool, by_n in summary.items():
        for op in OPS:
            pts = sorted((n, d[op]["median"]) for n, d in by_n.items() if op in d and n >= lo)
            if len(pts) < 2:
                continue
            entry: dict[str, float] = {}
            for (n1, t1), (n2, t2) in itertools.pairwise(pts):
                entry[f"{n1}-{n2}"] = (t2 - t1) / (n2 - n1) * 1000
            (n1, t1), (n2, t2) = pts[0], pts[-1]
            entry["overall"] = (t2 - t1) / (n2 - n1) * 1000
            out.setdefault(tool, {})[op] = entry
    return out


def write_json(path: Path, meta: Mapping[str, Any], samples: Sequence[Sample]) -> None:
    summary = summarize(samples)
    doc = {
        **meta,
        "samples": [s.as_json() for s in samples],
        "summary": {t: {str(n): d for n, d in by_n.items()} for t, by_n in summary.items()},
        "slopes_ms_per_file": slopes(summary),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")


def load_json(path: Path) -> tuple[dict[str, Any], list[Sample]]:
    """A stored results file back as (meta, samples); derived fields are recomputed."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    samples = [Sample(**s) for s in doc.pop("samples")]
    for derived in ("summary", "slopes_ms_per_file"):
        doc.pop(derived, None)
    return doc, samples


def _cell(stats: Mapping[str, float] | None, tool: str) -> str:
    if stats is None:
        return "n/a"
    text = f"{stats['median']:.3f}"
    ratio = stats.get("ratio_to_ours")
    if ratio is not None and tool != OURS:
        text += f" ({ratio:.2f}x)"
    return text


#: db-migrate's apply time at most ``limit`` times a psql baseline's.
_BASELINE_TARGETS: tuple[tuple[str, float, str], ...] = (
    ("psql-each", 1.5, "psql per file"),
    ("psql-session", 1.1, "one psql session doing BEGIN/file/history/COMMIT per file (issue 11)"),
    ("psql-1", 1.3, "psql -1 (one transaction; issue 11)"),
)


def _target_rows(summary: Summary, n: int) -> list[str]:
    def med(tool: str, op: str) -> float | None:
        return summary.get(tool, {}).get(n, {}).get(op, {}).get("median")

    ours_apply = med(OURS, "apply")
    rows: list[str] = []
    if ours_apply is None:
        return [f"| (db-migrate not measured at N={n}) | | |"]
    for baseline, limit, what in _BASELINE_TARGETS:
        floor = med(baseline, "apply")
        if floor is not None:
            ok = ours_apply <= limit * floor
            rows.append(
                f"| apply N={n} within {limit}x of {what} | "
                f"{ours_apply / floor:.2f}x | {'met' if ok else 'missed'} |"
            )
    for peer in ("yoyo", "dbmate", "flyway", "goose", "migrate"):
        other = med(peer, "apply")
        if other is not None:
            ok = other >= 2 * ours_apply
            rows.append(
                f"| apply N={n} at least 2x faster than {peer} | "
                f"{peer} takes {other / ours_apply:.2f}x ours | {'met' if ok else 'missed'} |"
            )
    for op in ("noop", "status"):
        t = med(OURS, op)
        if t is not None:
            rows.append(f"| {op} N={n} under 0.5 s | {t:.3f} s | {'met' if t < 0.5 else 'missed'} |")
    return rows


DEPLOY_TITLES: dict[DeployOp, str] = {
    "deploy": "deploy",
    "deploy-noop": "no-op",
}


def _ratio(stats: Mapping[str, float] | None, field: str) -> str:
    value = stats.get(field) if stats else None
    return f"{value:.2f}x" if value is not None else ""


def _deploy_lines(summary: Summary, labels: Mapping[str, str], meta: Mapping[str, Any]) -> list[str]:
    """The usual deploy table, and its two issue-11 targets (at most 3x dbmate's time)."""
    info = meta.get("deploy") or {}
    if "base" not in info:
        return []
    base, new = int(info["base"]), int(info["new"])
    rows = [t for t in labels if any(op in summary.get(t, {}).get(base, {}) for op in DEPLOY_OPS)]
    if not rows:
        return []
    lines = [
        f"### The usual deploy: {new} new files on a database with {base} applied "
        "(median seconds, whole process)",
        "",
        f"`deploy` runs the tool's apply command with {base + new} files of which {base} are applied "
        f"(setting up the {base} is not timed); `no-op` runs it over the {base} alone, nothing to do. "
        f"Rounds: {info.get('rounds')}. Ratios are medians relative to db-migrate and to dbmate.",
        "",
        "| tool | deploy | vs db-migrate | vs dbmate | no-op | vs db-migrate | vs dbmate |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for tool in rows:
        cells: list[str] = []
        for op in DEPLOY_OPS:
            stats = summary[tool][base].get(op)
            cells += [
                f"{stats['median']:.3f}" if stats else "n/a",
                _ratio(stats, "ratio_to_ours"),
                _ratio(stats, "ratio_to_dbmate"),
            ]
        lines.append(f"| {labels[tool]} | " + " | ".join(cells) + " |")
    lines.append("")
    targets: list[str] = []
    for op in DEPLOY_OPS:
        ratio = summary.get(OURS, {}).get(base, {}).get(op, {}).get("ratio_to_dbmate")
        if ratio is not None:
            what = f"{new} new on {base} applied" if op == "deploy" else f"no-op over {base} applied"
            targets.append(
                f"| {what}: at most 3x dbmate's time | {ratio:.2f}x | {'met' if ratio <= 3 else 'missed'} |"
            )
    if targets:
        lines += ["| target (issue 11) | db-migrate vs dbmate | |", "|---|---:|---|", *targets, ""]
    return lines


def _one_line(note: str) -> str:
    """A note as one Markdown list line: its lead-in plus the tool's error line."""
    if "\n" not in note:
        return note[:400]
    lead = note.split(": ", 1)[0]
    line = brief(note)
    return line if line.startswith(lead) else f"{lead}: {line}"


def _setup_lines(meta: Mapping[str, Any]) -> list[str]:
    lines = ["### Setup of this run", "", "| tool | version | |", "|---|---|---|"]
    for info in (meta.get("tools") or {}).values():
        state = "measured" if info.get("available") else f"skipped: {info.get('reason')}"
        lines.append(f"| {info.get('label')} | {info.get('version') or ''} | {state} |")
    lines.append("")
    server = meta.get("server") or {}
    if server:
        version = str(server.get("version", "?")).split(" on ")[0]
        settings = ", ".join(f"{k}={v}" for k, v in server.items() if k != "version")
        lines.append(f"Server: {version}, initdb defaults on 127.0.0.1 ({settings}).")
    mach = meta.get("machine") or {}
    if mach:
        start = ", ".join(f"{x:.2f}" for x in mach.get("loadavg_start", []))
        end = ", ".join(f"{x:.2f}" for x in mach.get("loadavg_end", []))
        rounds = ", ".join(f"{n}: {k}" for n, k in (meta.get("rounds") or {}).items())
        lines.append(
            f"Machine: {mach.get('cpus')} CPUs, {mach.get('platform')}; load average "
            f"{start} at the start and {end} at the end; rounds per N: {rounds}; "
            f"wall time {meta.get('wall_seconds')} s."
        )
    lines.append("")
    return lines


def markdown(summary: Summary, labels: Mapping[str, str], meta: Mapping[str, Any], png_name: str) -> str:
    # Sizes of the per-N tables only; the usual deploy has its own table.
    sizes = sorted({n for by_n in summary.values() for n, d in by_n.items() if any(op in d for op in OPS)})
    tools = [t for t in labels if t in summary]
    lines = [
        START,
        "",
        f"Run `{meta.get('name', '?')}` ({meta.get('mode', '?')}), "
        f"started {meta.get('started_at', '?')} at commit {meta.get('git_commit', '?')}; "
        "raw samples in "
        f"`{meta.get('results_file', 'bench/results/')}`.",
        "",
    ]
    lines.append(f"![time against N, log-log]({png_name})")
    lines.append("")
    for op in OPS:
        lines.append(
            f"### {OP_TITLES[op]} (median seconds, whole process; (Nx) = time relative to db-migrate)"
        )
        lines.append("")
        lines.append("| tool | " + " | ".join(f"N={n}" for n in sizes) + " |")
        lines.append("|---|" + "---:|" * len(sizes))
        for tool in tools:
            cells = [_cell(summary[tool].get(n, {}).get(op), tool) for n in sizes]
            if all(c == "n/a" for c in cells):
                continue
            lines.append(f"| {labels[tool]} | " + " | ".join(cells) + " |")
        lines.append("")
    sl = slopes(summary)
    if sl:
        lines.append("### Cost per extra file (ms/file) between sizes, from N=100 up")
        lines.append("")
        lines.append("| tool | operation | segments | 100 to largest |")
        lines.append("|---|---|---|---:|")
        for tool in tools:
            for op_name, entry in sl.get(tool, {}).items():
                segs = ", ".join(f"{k}: {v:.2f}" for k, v in entry.items() if k != "overall")
                lines.append(f"| {labels[tool]} | {op_name} | {segs} | {entry['overall']:.2f} |")
        lines.append("")
    lines.extend(_deploy_lines(summary, labels, meta))
    target_n = 1000 if 1000 in sizes else (max(sizes) if sizes else 0)
    lines.append(f"### Targets of issues 5 and 11 at N={target_n}")
    lines.append("")
    lines.append("| target | measured | |")
    lines.append("|---|---:|---|")
    lines.extend(_target_rows(summary, target_n))
    lines.append("")
    lines.extend(_setup_lines(meta))
    notes = meta.get("notes") or []
    if notes:
        lines.append("Cut short or failed during this run:")
        lines.append("")
        root = str(Path(__file__).resolve().parents[2]) + "/"
        lines.extend(f"- {_one_line(note).replace(root, '')}" for note in notes)
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def update_doc(doc: Path, section: str) -> None:
    """Replace the generated section of docs/benchmarks.md, keeping the prose around it."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    doc.write_text(text, encoding="utf-8")


def plot(summary: Summary, labels: Mapping[str, str], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display; must precede pyplot
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(OPS), figsize=(15, 5), constrained_layout=True)
    # More tools than the default cycle's 10 colours: tab20, and a marker per tool as well.
    palette = plt.get_cmap("tab20")
    markers = "osD^v<>phX*"
    for ax, op in zip(axes, OPS, strict=True):
        # A fixed colour per tool, so a tool has the same colour in every subplot.
        for index, (tool, label) in enumerate(labels.items()):
            pts = sorted((n, d[op]["median"]) for n, d in summary.get(tool, {}).items() if op in d)
            if not pts:
                continue
            xs, ys = zip(*pts, strict=True)
            ax.plot(
                xs,
                ys,
                marker=markers[index % len(markers)],
                label=label,
                color=palette(index % 20),
                linewidth=2.5 if tool.startswith(OURS) else 1.2,
            )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(OP_TITLES[op])
        ax.set_xlabel("migration files (N)")
        ax.set_ylabel("median wall time, whole process (s)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)

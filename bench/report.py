#!/usr/bin/env python3
"""Turns the RESULT lines of `bench/run.sh … > out.txt` into the figures tables of docs/benchmarks.md
and an SVG chart of the boot storm's latency percentiles against the same-run baseline.

Usage: python3 bench/report.py OUT.txt [OUT2.txt …] [--update docs/benchmarks.md] [--svg docs/benchmarks-storm.svg]
Without --update the tables go to stdout. With it, the part of the file between
<!-- bench-report:begin --> and <!-- bench-report:end --> is replaced. No third-party packages.
"""
import html
import re
import sys

BEGIN, END = "<!-- bench-report:begin -->", "<!-- bench-report:end -->"


def parse(paths):
    runs = []  # one per `bench/run.sh` header: {"context": {...}, "benches": {name: {"context":{}, "rows":[]}}}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.startswith("RESULT "):
                    continue
                kv = dict(re.findall(r"(\w+)=(\S+)", line[len("RESULT "):]))
                bench, metric = kv.get("bench"), kv.get("metric")
                if bench == "run":
                    runs.append({"context": kv, "benches": {}})
                    continue
                if not runs:
                    runs.append({"context": {}, "benches": {}})
                b = runs[-1]["benches"].setdefault(bench, {"context": {}, "rows": []})
                if metric == "context":
                    b["context"] = kv
                else:
                    b["rows"].append(kv)
    return runs


KNOWN = {"bench", "metric", "value", "unit", "baseline", "ratio", "baseline_kind"}


def text(v):
    return v.replace("_", " ") if v and v != "-" else "–"


def table(rows):
    out = ["| metric | value | unit | baseline | ratio | baseline is | notes |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = r.get("ratio", "-")
        kind = r.get("baseline_kind", "none")
        what = {"same-run": "same run", "reference": "a reference, not measured here", "none": "–"}.get(kind, kind)
        if r.get("baseline_is"):
            what += ": " + text(r["baseline_is"])
        notes = ", ".join(f"{k.replace('_', ' ')} {text(v)}" for k, v in r.items() if k not in KNOWN | {"baseline_is"})
        out.append(f"| {r['metric']} | {r['value']} | {r['unit']} | {text(r.get('baseline', '-'))} | "
                   f"{'**' + ratio + '×**' if ratio != '-' else '–'} | {what} | {notes} |")
    return "\n".join(out)


def markdown(runs, svg_name):
    out = []
    for run in runs:
        c = run["context"]
        if c:
            out.append(f"**Run** `{text(c.get('command', '?')).replace(' ', ' ')}` on {c.get('date', '?')} "
                       f"(commit {c.get('commit', '?')}, {c.get('cores', '?')} cores, load average "
                       f"{c.get('load', '?')} at the start).\n")
        for name, b in run["benches"].items():
            ctx = b["context"]
            settings = ", ".join(f"{k.replace('_', ' ')} {text(v)}" for k, v in ctx.items()
                                 if k not in ("bench", "metric", "cores", "java"))
            out.append(f"#### {name}\n")
            if settings:
                out.append(f"Settings: {settings}.\n")
            out.append(table(b["rows"]) + "\n")
            if name.startswith("storm-") and svg_name:
                out.append(f"![boot storm latency percentiles]({svg_name})\n")
                svg_name = None  # one chart covers every storm of the run
    return "\n".join(out)


def svg(runs):
    storms = [(name, b["rows"]) for run in runs for name, b in run["benches"].items() if name.startswith("storm-")]
    if not storms:
        return None
    metrics = ["p50", "p90", "p99", "max"]
    groups = []
    for name, rows in storms:
        by = {r["metric"]: r for r in rows}
        groups.append((name, [(m, float(by[m]["value"]), float(by[m]["baseline"])) for m in metrics if m in by]))
    top = max(max(v, b) for _, g in groups for _, v, b in g) or 1
    bar_h, gap, left, width = 14, 10, 170, 520
    height = 60 + sum(len(g) * (2 * bar_h + gap) + 30 for _, g in groups)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 120}" height="{height}" '
             f'font-family="sans-serif" font-size="12">',
             '<rect width="100%" height="100%" fill="white"/>',
             f'<text x="10" y="20" font-size="14" font-weight="bold">Boot storm: discover latency percentiles (ms), '
             f'deployer vs bare insert+commit (same run)</text>',
             f'<rect x="10" y="30" width="12" height="12" fill="#c0392b"/><text x="26" y="41">deployer gateway</text>',
             f'<rect x="160" y="30" width="12" height="12" fill="#7f8c8d"/><text x="176" y="41">baseline: bare HTTP '
             f'endpoint, insert + commit</text>']
    y = 60
    for name, g in groups:
        parts.append(f'<text x="10" y="{y + 10}" font-weight="bold">{html.escape(name)}</text>')
        y += 16
        for m, v, b in g:
            for value, color in ((v, "#c0392b"), (b, "#7f8c8d")):
                w = max(1, value / top * width)
                parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{color}"/>')
                parts.append(f'<text x="{left + w + 4:.1f}" y="{y + bar_h - 3}">{value:,.0f}</text>')
                y += bar_h
            parts.append(f'<text x="{left - 8}" y="{y - bar_h + 3}" text-anchor="end">{m}</text>')
            y += gap
        y += 14
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main(argv):
    paths, update, svg_path = [], None, None
    it = iter(argv)
    for a in it:
        if a == "--update":
            update = next(it)
        elif a == "--svg":
            svg_path = next(it)
        else:
            paths.append(a)
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    runs = parse(paths)
    chart = svg(runs)
    svg_name = None
    if chart and svg_path:
        with open(svg_path, "w", encoding="utf-8") as f:
            f.write(chart)
        svg_name = svg_path.split("/")[-1]
    md = markdown(runs, svg_name)
    if update:
        with open(update, encoding="utf-8") as f:
            doc = f.read()
        if BEGIN not in doc or END not in doc:
            print(f"{update} has no {BEGIN} … {END} section", file=sys.stderr)
            return 1
        head, rest = doc.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        with open(update, "w", encoding="utf-8") as f:
            f.write(head + BEGIN + "\n" + md + "\n" + END + tail)
    else:
        print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

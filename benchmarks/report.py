#!/usr/bin/env python3
"""Turns benchmarks/run.sh's raw results into docs/benchmarks.md and SVG bar charts (no plotting library).

Inputs: results.txt (one key=value line per measured run; more files with --results again, such as (g)'s
g.txt), JMH's JSON, and `jfr print` output of the Duplex server under scenario (a). The hand-written analysis
lives in the output file itself, between two marker comments (HAND_WRITTEN_BEGIN/END): it is read from the
file being replaced and written back unchanged, and a file that has text but no markers is not overwritten.
"""
import argparse
import collections
import datetime
import html
import json
import math
import os
import re
import statistics
import subprocess
import sys

SERVER_ORDER = ["duplex", "duplex-rooms", "duplex-tls", "duplex-conscrypt-tls", "duplex-deflate", "netty-nio",
                "netty-epoll", "netty-nio-tls",
                "netty-nio-openssl-tls", "netty-nio-deflate", "netty-rooms-nio", "netty-rooms-epoll", "jetty",
                "jetty-tls", "node-ws-deflate", "java-websocket", "raw-tcp", "duplex-rooms-redis",
                "duplex-rooms-redis-x2"]
LABELS = {
    "duplex": "Duplex",
    "netty-nio": "Netty 4.2 NIO",
    "netty-epoll": "Netty 4.2 epoll",
    "jetty": "Jetty 12.1",
    "java-websocket": "Java-WebSocket",
    "raw-tcp": "raw TCP echo",
    "duplex-rooms": "Duplex Rooms",
    "netty-rooms-nio": "Netty 4.2 NIO, ChannelGroup per room",
    "netty-rooms-epoll": "Netty 4.2 epoll, ChannelGroup per room",
    "duplex-tls": "Duplex (JDK SSLEngine)",
    "duplex-conscrypt-tls": "Duplex (Conscrypt SSLEngine, BoringSSL)",
    "netty-nio-tls": "Netty 4.2 NIO, JDK SSLEngine",
    "netty-nio-openssl-tls": "Netty 4.2 NIO, OpenSSL (tcnative BoringSSL)",
    "jetty-tls": "Jetty 12.1 (JDK SSLEngine)",
    "duplex-deflate": "Duplex",
    "netty-nio-deflate": "Netty 4.2 NIO",
    "node-ws-deflate": "Node ws",
    "duplex-rooms-redis": "Duplex Rooms, Redis engine, one node",
    "duplex-rooms-redis-x2": "Duplex Rooms, Redis engine, two nodes",
}
# Line colours of svg_lines, Duplex's first (the bars' orange).
PALETTE = ["#d9480f", "#4c6ef5", "#2b8a3e", "#862e9c", "#e67700", "#1098ad"]


def read_results(path):
    rows = []
    if not os.path.exists(path):
        return rows
    with open(path) as f:
        for line in f:
            fields = dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
            if fields:
                rows.append(fields)
    return rows


def group(rows, scenario, key=None):
    """{server: {metric: [values...]}} for the scenario's successful runs (optionally one extra key)."""
    out = collections.OrderedDict()
    failed = collections.Counter()
    for r in rows:
        if r.get("scenario") != scenario:
            continue
        if key and r.get(key[0]) != key[1]:
            continue
        if "failed" in r:
            failed[r["server"]] += 1
            continue
        metrics = out.setdefault(r["server"], collections.defaultdict(list))
        for k, v in r.items():
            try:
                metrics[k].append(float(v))
            except ValueError:
                pass
    ordered = collections.OrderedDict((s, out[s]) for s in SERVER_ORDER if s in out)
    return ordered, failed


def paired_ratios(rows, scenario, server, metric, ours="duplex"):
    """Duplex ÷ server within each run. The servers of one run are measured one after the other, minutes apart,
    so the ratio of a run cancels most of the machine's drift between runs; the median of these ratios is
    steadier than the ratio of the two medians when the machine drifts."""
    by_run = collections.defaultdict(dict)
    for r in rows:
        if r.get("scenario") == scenario and "failed" not in r and metric in r:
            by_run[r.get("run")][r["server"]] = float(r[metric])
    out = []
    for values in by_run.values():
        if ours in values and server in values and values[server]:
            out.append(values[ours] / values[server])
    return out


def heap_pages_per_conn(rows, server, conns):
    """Per run: the growth of the RSS inside the Java heap's mapping, per connection held (B)."""
    out = []
    for r in rows:
        if (r.get("scenario") == "d" and r.get("server") == server and r.get("conns") == conns
                and "heap_rss_kib" in r and "failed" not in r):
            out.append((float(r["heap_rss_kib"]) - float(r["heap_rss0_kib"])) * 1024 / int(conns))
    return out


def med(values):
    return statistics.median(values) if values else float("nan")


def fmt(v, digits=0):
    try:
        v = float(v)  # JMH writes "NaN" as a string when there is one iteration
    except (TypeError, ValueError):
        return "–"
    if v != v:  # NaN
        return "–"
    if digits == 0:
        return f"{v:,.0f}"
    return f"{v:,.{digits}f}"


def spread(values, digits=0):
    if not values:
        return "–"
    return f"{fmt(med(values), digits)} ({fmt(min(values), digits)}–{fmt(max(values), digits)})"


def ratio(a, b):
    if not a or not b or b != b or a != a or b == 0:
        return "–"
    return f"{a / b:.2f}×"


def svg_head(width, height, title, unit, lower_is_better):
    """The opening of a chart: the canvas, the title, and under it the unit with which way is better."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="10" y="22" font-size="14" font-weight="bold">{html.escape(title)}</text>',
        f'<text x="10" y="40" fill="#555">{html.escape(unit)}'
        f'{" (lower is better)" if lower_is_better else " (higher is better)"}</text>',
    ]


def svg_bars(path, title, unit, series, lower_is_better=False):
    """A horizontal bar chart: one bar per server at the median, a whisker from min to max."""
    series = [(label, vals) for label, vals in series if vals]
    if not series:
        return False
    # Room for the longest label at about 7 px a character (12 px sans-serif), bars 460 px wide at the most.
    left = max(150, 10 + 7 * max(len(label) for label, _ in series))
    width, right, bar_h, gap, top = left + 570, 110, 22, 10, 54
    height = top + len(series) * (bar_h + gap) + 30
    vmax = max(max(v) for _, v in series) or 1
    scale = (width - left - right) / vmax
    parts = svg_head(width, height, title, unit, lower_is_better)
    for i, (label, vals) in enumerate(series):
        y = top + i * (bar_h + gap)
        m = med(vals)
        color = "#d9480f" if label.startswith(LABELS["duplex"]) else "#4c6ef5"
        parts.append(f'<text x="{left - 8}" y="{y + bar_h * 0.7}" text-anchor="end">{html.escape(label)}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{max(m * scale, 1):.1f}" height="{bar_h}" fill="{color}"/>')
        lo, hi = left + min(vals) * scale, left + max(vals) * scale
        cy = y + bar_h / 2
        parts.append(f'<line x1="{lo:.1f}" y1="{cy}" x2="{hi:.1f}" y2="{cy}" stroke="black"/>')
        parts.append(f'<line x1="{lo:.1f}" y1="{cy - 5}" x2="{lo:.1f}" y2="{cy + 5}" stroke="black"/>')
        parts.append(f'<line x1="{hi:.1f}" y1="{cy - 5}" x2="{hi:.1f}" y2="{cy + 5}" stroke="black"/>')
        parts.append(f'<text x="{max(hi, left + m * scale) + 6:.1f}" y="{y + bar_h * 0.7}">{fmt(m, 1 if m < 100 else 0)}</text>')
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")
    return True


def nice_ceiling(v):
    """The smallest of 1, 2, 2.5, 5 × 10^k that is at least v (v > 0): the top of a chart's value axis."""
    k = 10 ** math.floor(math.log10(v))
    return next(m * k for m in (1, 2, 2.5, 5, 10) if m * k >= v)


def svg_lines(path, title, unit, xlabel, series, lower_is_better=False):
    """A line chart over a logarithmic x axis (x > 0): one line per series through its medians, a whisker from
    min to max at each x. series: [(label, [(x, [values...]), ...]), ...]; points without values are left out."""
    series = [(label, [(x, v) for x, v in pts if v and x > 0]) for label, pts in series]
    series = [(label, pts) for label, pts in series if pts]
    if not series:
        return False
    xs = sorted({x for _, pts in series for x, _ in pts})
    width, height, left, right, top, bottom = 720, 390, 80, 60, 80, 50
    ymax = nice_ceiling(max(max(v) for _, pts in series for _, v in pts) or 1)
    lx0, lx1 = math.log10(xs[0]), math.log10(xs[-1])

    def px(x):
        span = (lx1 - lx0) or 1
        return left + ((math.log10(x) - lx0) / span if lx1 > lx0 else 0.5) * (width - left - right)

    def py(y):
        return top + (1 - y / ymax) * (height - top - bottom)

    parts = svg_head(width, height, title, unit, lower_is_better)
    for i in range(6):
        y = ymax * i / 5
        parts.append(f'<line x1="{left}" y1="{py(y):.1f}" x2="{width - right}" y2="{py(y):.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{py(y) + 4:.1f}" text-anchor="end">{y:g}</text>')
    for x in xs:
        parts.append(f'<text x="{px(x):.1f}" y="{height - bottom + 18}" text-anchor="middle">{fmt(x)}</text>')
    parts.append(f'<text x="{(left + width - right) / 2:.1f}" y="{height - 10}" text-anchor="middle" '
                 f'fill="#555">{html.escape(xlabel)} (logarithmic)</text>')
    for i, (label, pts) in enumerate(series):
        color = PALETTE[i % len(PALETTE)]
        lx = left + i * 200
        parts.append(f'<line x1="{lx}" y1="58" x2="{lx + 24}" y2="58" stroke="{color}" stroke-width="3"/>')
        parts.append(f'<text x="{lx + 30}" y="62">{html.escape(label)}</text>')
        line = " ".join(f"{px(x):.1f},{py(med(v)):.1f}" for x, v in pts)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{color}" stroke-width="2"/>')
        for x, v in pts:
            cx, lo, hi = px(x), py(min(v)), py(max(v))
            parts.append(f'<line x1="{cx:.1f}" y1="{lo:.1f}" x2="{cx:.1f}" y2="{hi:.1f}" stroke="{color}"/>')
            parts.append(f'<circle cx="{cx:.1f}" cy="{py(med(v)):.1f}" r="3" fill="{color}"/>')
            parts.append(f'<text x="{cx + 5:.1f}" y="{py(med(v)) - 6:.1f}" fill="{color}">'
                         f'{fmt(med(v), 1 if med(v) < 100 else 0)}</text>')
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")
    return True


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:  # noqa: BLE001 - a missing tool only leaves a gap in the machine section
        return ""


def pom_property(name, pom="pom.xml"):
    with open(pom) as f:
        m = re.search(rf"<{re.escape(name)}>([^<]+)</", f.read())
    return m.group(1) if m else "?"


def machine_section():
    lscpu = sh("lscpu | grep -E '^(Model name|Architecture|CPU\\(s\\)|Thread|Core|Socket|CPU max MHz|L1d|L2|L3)'")
    return "\n".join([
        "## Machine and versions",
        "",
        "```",
        lscpu,
        f"nproc: {sh('nproc')}",
        sh("free -m"),
        f"load average at report time: {sh('cat /proc/loadavg')}",
        f"kernel: {sh('uname -r')}",
        sh("java -version 2>&1"),
        "```",
        "",
        f"Libraries: Netty {pom_property('netty.version')}, Jetty {pom_property('jetty.version')}, "
        f"Java-WebSocket {pom_property('java-websocket.version')}, JMH {pom_property('jmh.version')}, "
        f"netty-tcnative-boringssl-static {pom_property('tcnative.version', 'benchmarks/pom.xml')}, "
        f"Conscrypt {pom_property('conscrypt.version')}; Duplex from this commit.",
        "",
    ])


def jmh_section(path):
    if not os.path.exists(path):
        return "## JMH\n\nNot run.\n"
    with open(path) as f:
        data = json.load(f)
    scores = {}
    lines = ["## JMH (operations per second; GB/s = ops/s × payload size)", "",
             "B/op is the heap allocated per operation (JMH's `-prof gc`, `gc.alloc.rate.norm`).", "",
             "| benchmark | params | ops/s | ± | GB/s | B/op |", "|---|---|---:|---:|---:|---:|"]
    for r in data:
        name = r["benchmark"].rsplit(".", 2)
        short = f"{name[-2]}.{name[-1]}"
        params = r.get("params", {})
        score = r["primaryMetric"]["score"]
        err = r["primaryMetric"].get("scoreError", float("nan"))
        scores[(short, tuple(sorted(params.items())))] = score
        size = params.get("size")
        gbs = fmt(score * int(size) / 1e9, 2) if size and "Deflate" not in short else ""
        if short == "FrameCodecBenchmark.decode" and params.get("masked") == "false":
            gbs = "payload untouched (passed as a view)"
        if "Utf8" in short:
            gbs = fmt(score * 65536 / 1e9, 2)  # ~64 KiB of text per operation
        if "Deflate" in short:
            gbs = fmt(score * int(size or 16384) / 1e9, 3)  # the 16 KiB message (uncompressed bytes)
        if short.startswith("SessionEchoBenchmark."):
            gbs = ""
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
        plist = ", ".join(f"{k}={v}" for k, v in params.items())
        lines.append(f"| {short} | {plist} | {fmt(score)} | {fmt(err)} | {gbs} | {fmt(alloc)} |")
    lines.append("")
    ratios = []
    for size in ("64", "65536", "1048576"):
        key = (("size", size),)
        m, c = scores.get(("MaskingBenchmark.maskHeap", key)), scores.get(("MaskingBenchmark.copyArray", key))
        md, cd = scores.get(("MaskingBenchmark.maskDirect", key)), scores.get(("MaskingBenchmark.copyDirectPut", key))
        if m and c:
            ratios.append(f"- masking {size} B: heap {ratio(m, c)} of `System.arraycopy`, "
                          f"direct {ratio(md, cd)} of `ByteBuffer.put` (target ≥ 0.50×)")
    for text in ("ascii", "mixed"):
        key = (("text", text),)
        v = scores.get(("Utf8Benchmark.duplexValidator", key))
        s = scores.get(("Utf8Benchmark.jdkNewString", key))
        d = scores.get(("Utf8Benchmark.jdkStrictDecoder", key))
        if v:
            ratios.append(f"- UTF-8 {text}: validator {ratio(v, s)} `new String(bytes, UTF_8)`, "
                          f"{ratio(v, d)} the strict `CharsetDecoder` (target ≥ 2× on ASCII, ≥ 1× mixed)")
    dd = scores.get(("DeflateBenchmark.duplexDeflate", (("size", "16384"),)))
    jd = scores.get(("DeflateBenchmark.jdkDeflate", (("size", "16384"),)))
    if dd and jd:
        ratios.append(f"- deflate 16 KiB JSON: `WindowedDeflater` at {ratio(dd, jd)} the speed of `java.util.zip.Deflater`")
    for bits in ("15", "10"):
        enc = scores.get(("PerMessageDeflateBenchmark.encode", (("serverWindowBits", bits), ("size", "16384"))))
        dec = scores.get(("PerMessageDeflateBenchmark.decode", (("serverWindowBits", bits), ("size", "16384"))))
        if enc and jd:
            ratios.append(f"- permessage-deflate, {bits}-bit server window: encode at {ratio(enc, jd)} and decode "
                          f"at {ratio(dec, scores.get(('DeflateBenchmark.inflateJdkOutput', (('size', '16384'),))))} "
                          "of the bare JDK codec on the same message")
    if ratios:
        lines += ["Ratios:", ""] + ratios + [""]
    return "\n".join(lines)


def profile_section(path, top=20):
    if not path or not os.path.exists(path):
        return ""
    self_counts = collections.Counter()
    duplex_counts = collections.Counter()
    total = 0
    stack = None
    with open(path) as f:
        for raw in f:
            line = raw.strip()
            if line.startswith("stackTrace = ["):
                stack = []
                continue
            if stack is not None:
                if line.startswith("]"):
                    if stack:
                        total += 1
                        self_counts[stack[0]] += 1
                        owner = next((fr for fr in stack if fr.startswith("io.duplex.")), None)
                        if owner:
                            duplex_counts[owner] += 1
                    stack = None
                elif line and line != "...":
                    stack.append(re.sub(r"\s+line:.*$", "", line))
    if total == 0:
        return ""
    out = [f"## JFR profile of the Duplex echo server under scenario (a) ({total} samples)", "",
           "Java execution samples and native-method samples together (a thread in a system call shows as "
           "its native method), one event loop thread plus the JVM's own.", "",
           "Top frames (self time):", "", "| % | frame |", "|---:|---|"]
    for fr, n in self_counts.most_common(top):
        out.append(f"| {100 * n / total:.1f} | `{fr}` |")
    out += ["", "Nearest Duplex frame on the stack (time spent in or below it):", "", "| % | frame |", "|---:|---|"]
    for fr, n in duplex_counts.most_common(top):
        out.append(f"| {100 * n / total:.1f} | `{fr}` |")
    out.append("")
    return "\n".join(out)


DOCS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs")


def refuse_synthetic(rows, outputs):
    """Results made up for a test (a line with synthetic=...) must never be published: stop before anything is
    written under docs/."""
    if not any("synthetic" in r for r in rows):
        return
    for path in outputs:
        if os.path.commonpath([os.path.realpath(path), os.path.realpath(DOCS)]) == os.path.realpath(DOCS):
            raise SystemExit(f"report.py: the results are synthetic (a test's); refusing to write {path}")


HAND_WRITTEN_BEGIN = ("<!-- hand-written analysis: benchmarks/report.py keeps everything from here to the end marker "
                      "when it regenerates this file; edit it here -->")
HAND_WRITTEN_END = "<!-- end of hand-written analysis -->"


def hand_written_part(path):
    """The hand-written analysis of the document being replaced, markers included ('' if there is no document).

    Exits rather than return nothing for a document that exists without both markers: regenerating it would
    lose whatever was written there by hand."""
    if not os.path.exists(path):
        return ""
    with open(path) as f:
        text = f.read()
    start, end = text.find(HAND_WRITTEN_BEGIN), text.find(HAND_WRITTEN_END)
    if start < 0 or end < start or text.count(HAND_WRITTEN_BEGIN) != 1 or text.count(HAND_WRITTEN_END) != 1:
        sys.exit(f"report.py: {path} lacks one pair of hand-written-analysis markers; not overwriting it "
                 f"(put its hand-written text between\n{HAND_WRITTEN_BEGIN}\nand\n{HAND_WRITTEN_END})")
    return text[start:end + len(HAND_WRITTEN_END)] + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True, action="append",
                    help="run.sh's results.txt; again for more files, e.g. (g)'s g.txt")
    ap.add_argument("--jmh")
    ap.add_argument("--samples")
    ap.add_argument("--loadavg")
    ap.add_argument("--runs", default="3")
    ap.add_argument("--seconds", default="5")
    ap.add_argument("--warmup", default="3")
    ap.add_argument("--out", required=True)
    ap.add_argument("--svg-dir", required=True)
    a = ap.parse_args()
    rows = [r for path in a.results for r in read_results(path)]
    refuse_synthetic(rows, [a.out, a.svg_dir])
    hand_written = hand_written_part(a.out)
    os.makedirs(a.svg_dir, exist_ok=True)
    rel_svg = os.path.relpath(a.svg_dir, os.path.dirname(a.out))
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    doc = [
        "# Benchmarks",
        "",
        f"Generated by `benchmarks/run.sh` on {now}: {a.runs} measured runs per server (at least 5 in (b) and "
        "(e)), each a fresh server "
        f"process with {a.warmup} s of in-process warm-up then {a.seconds} s measured, servers alternating run "
        "by run. Figures: median (min–max). Ratios are Duplex ÷ peer from the same run set.",
        "",
        "> **Read the ratios, not the absolute numbers.** These figures come from a 2-core machine (the server "
        "and the load generator each own one core) with short measurements; the machine drifts 10–20 % between "
        "runs, so only ratios within one run mean anything, and even those carry the spread shown. The load "
        "averages below tell whether anything else was running.",
        "",
        *([f"Load averages (1/5/15 min) at the start and end of the load scenarios: "
           + "; ".join(l.strip() for l in open(a.loadavg)) + ".", ""]
          if a.loadavg and os.path.exists(a.loadavg) else []),
        "Method: the server is pinned to CPU 0 (`taskset -c 0`), the C epoll load generator "
        "(`benchmarks/loadgen/loadgen.c`) to CPU 1. Every server runs with the same JVM flags "
        "(`-Xms1g -Xmx1g -XX:+UseG1GC`), one event loop / selector thread where the library lets us choose "
        "(Jetty keeps its default thread pool), and echoes each message with its opcode, no compression. "
        "The load generator masks its frames, checks every echoed message's opcode, length and payload bytes, "
        "and timestamps "
        "each message to give round-trip latency. Its own ceiling is the raw TCP echo row.",
        "",
    ]

    def table(scenario, title, metric, unit, digits=0, lower=False, extra=None, servers_note="", more_ratios=None,
              ours="duplex", charts=None, ratio_title="Duplex ÷ server"):
        """more_ratios: (column title, metric) pairs that get a Duplex ÷ server column too (lower is better).
        ours: the server the ratios divide (ratio_title names them). charts: (file suffix, metric, unit, lower is
        better) for a bar chart of another column beside the main one's."""
        g, failed = group(rows, scenario)
        if not g and not failed:
            return
        duplex = g.get(ours, {})
        doc.extend([f"## {title}", ""])
        if servers_note:
            doc.extend([servers_note, ""])
        head = f"| server | {unit} |"
        sep = "|---|---:|"
        for col, _ in (extra or []):
            head += f" {col} |"
            sep += "---:|"
        head += f" {ratio_title} (below 1: Duplex faster) |" if lower else f" {ratio_title} |"
        head += " same ratio paired by run: median (min–max) |"
        sep += "---:|---:|"
        for col, _ in (more_ratios or []):
            head += f" {ratio_title}, {col} (below 1: Duplex cheaper) |"
            sep += "---:|"
        doc.extend([head, sep])
        series = []
        for server, m in g.items():
            row = f"| {LABELS.get(server, server)} | {spread(m.get(metric, []), digits)} |"
            for _, col_metric in (extra or []):
                row += f" {spread(m.get(col_metric, []), 1)} |"
            for i, ratio_metric in enumerate([metric] + [rm for _, rm in (more_ratios or [])]):
                peer = med(m.get(ratio_metric, []))
                mine = med(duplex.get(ratio_metric, []))
                row += f" {'' if server == ours else ratio(mine, peer)} |"
                if i == 0:
                    pr = paired_ratios(rows, scenario, server, metric, ours)
                    row += f" {'' if server == ours else spread(pr, 2) + '×'} |"
            doc.append(row)
            series.append((LABELS.get(server, server), m.get(metric, [])))
        for server, n in failed.items():
            doc.append(f"| {LABELS.get(server, server)} | failed in {n} run(s), see the notes below |"
                       + " |" * (len(extra or []) + 2 + len(more_ratios or [])))
        chart(f"scenario-{scenario}.svg", title, unit, series, lower)
        for suffix, chart_metric, chart_unit, chart_lower in charts or []:
            chart(f"scenario-{scenario}-{suffix}.svg", f"{title}: {chart_unit}", chart_unit,
                  [(LABELS.get(s, s), m.get(chart_metric, [])) for s, m in g.items()], chart_lower)
        doc.append("")

    def chart(svg, title, unit, series, lower):
        """A bar chart in the SVG directory, linked from the document if it has any bar."""
        if svg_bars(os.path.join(a.svg_dir, svg), title, unit, series, lower):
            doc.extend(["", f"![{title}]({rel_svg}/{svg})"])

    cpu = [("server CPU µs/msg", "server_cpu_us_per_msg"), ("of which user µs/msg", "server_user_us_per_msg")]
    # Cores busy (1.00 = one whole core): who was saturated, the server or the load generator.
    busy = [("server cores busy", "server_cpu_util"), ("load generator cores busy", "loadgen_cpu_util")]
    cpu_ratio = [("CPU/msg", "server_cpu_us_per_msg")]
    doc.extend(["Server CPU per message (the CPU columns) is the server process's user + kernel time "
                "(`/proc/<pid>/stat`, all threads) over the measured window divided by the messages echoed "
                "or delivered in it. Unlike messages/s it hardly moves when the machine is busy, and it "
                "separates what a library costs from what the kernel's TCP stack costs. \"Cores busy\" is CPU "
                "time over wall time in the window; the server is pinned to CPU 0 and the load generator to "
                "CPU 1, so 1.00 means that side was saturated.", ""])
    lat = [("p50 µs", "p50_us"), ("p99 µs", "p99_us")]
    table("a", "(a) 64-byte messages, 100 connections × 16 in flight", "msgs_per_s", "messages/s",
          extra=lat + cpu + busy, more_ratios=cpu_ratio)
    table("b", "(b) round trip, 1 connection, 1 message in flight", "p50_us", "p50 µs", digits=1, lower=True,
          extra=[("p99 µs", "p99_us"), ("messages/s", "msgs_per_s")] + cpu, more_ratios=cpu_ratio)
    table("c", "(c) 1 MiB messages, 4 connections", "mb_per_s", "MB/s (payload echoed)",
          extra=lat + [("server CPU µs per MiB echoed", "server_cpu_us_per_msg")] + busy,
          more_ratios=[("CPU/MiB", "server_cpu_us_per_msg")])
    table("e", "(e) broadcast: 64 bytes to 10,000 connections", "server_deliveries_per_s",
          "deliveries/s (server's fan-out time)",
          extra=[("server fan-out µs", "server_fanout_us"), ("deliveries/s seen by the load generator", "msgs_per_s"),
                 ("server CPU µs/delivery", "server_cpu_us_per_msg"),
                 ("of which user µs/delivery", "server_user_us_per_msg")] + busy,
          more_ratios=[("CPU/delivery", "server_cpu_us_per_msg"), ("user CPU/delivery", "server_user_us_per_msg")],
          servers_note="Connection 0 sends `broadcast:64`; the server sends one 64-byte binary message to every "
                       "connection and, once its library reports every frame written or queued, answers "
                       "`broadcast-done:<µs since the trigger was read>`; the next round starts when all 10,000 "
                       "deliveries and that report arrived. The first column divides 10,000 by the server's own "
                       "time. Not measured: Java-WebSocket (it has a trigger, but accepted only about 70 "
                       "connections/s here, too slow to open 10,000). \"Duplex Rooms\" is the same "
                       "broadcast published with `Rooms` to one room that every connection joined (per-member "
                       "admission at publish time included); its report is a Ping and then the text, sent from "
                       "another thread so that both queue behind the room's fan-out on the loop.")
    table("f", "(f) rooms: 10,000 connections in 1,000 rooms of 10, a publisher per room", "msgs_per_s",
          "deliveries/s", extra=lat + cpu + busy, more_ratios=cpu_ratio, ours="duplex-rooms",
          servers_note="Connection j asks for `/room/<j / 10>`. The first member of each room publishes a "
                       "64-byte binary message; the server sends it to every member of the room, the publisher "
                       "included; once all 10 have it the room publishes its next (one publish in flight per "
                       "room, 1,000 rooms at once). Latency is from the publish's send to each delivery. Duplex "
                       "uses `Rooms` (one order per room, per-member admission); Netty writes each frame with "
                       "`writeAndFlush` to the room's `DefaultChannelGroup`.")

    # (h) wss, (i) permessage-deflate, (j) many active connections (issue #17).
    tls_versions = sorted({r["scenario"].rsplit("-", 1)[1] for r in rows
                           if r.get("scenario", "").startswith("h-a-")}, reverse=True)
    for v in tls_versions:
        table(f"h-a-{v}", f"(h) wss, TLS {v}: 64-byte messages, 100 connections × 16 in flight", "msgs_per_s",
              "messages/s", extra=lat + cpu + busy, more_ratios=cpu_ratio, ours="duplex-tls",
              charts=[("cpu", "server_cpu_us_per_msg", "server CPU µs per message", True)],
              servers_note="Scenario (a) over TLS. The load generator (OpenSSL) offers one suite, so every server "
                           "does the same work: TLS_AES_128_GCM_SHA256 for TLS 1.3, ECDHE-ECDSA-AES128-GCM-SHA256 "
                           "for TLS 1.2; the certificate is ECDSA P-256, self-signed.")
        table(f"h-c-{v}", f"(h) wss, TLS {v}: 1 MiB messages, 4 connections", "mb_per_s", "MB/s (payload echoed)",
              extra=lat + [("server CPU µs per MiB echoed", "server_cpu_us_per_msg")] + busy,
              more_ratios=[("CPU/MiB", "server_cpu_us_per_msg")], ours="duplex-tls")
        table(f"h-hs-{v}", f"(h) new wss connections per second, TLS {v}", "msgs_per_s", "connections/s",
              extra=[("connect-to-101 p50 µs", "p50_us"), ("p99 µs", "p99_us"),
                     ("server CPU µs per connection", "server_cpu_us_per_msg")] + busy,
              more_ratios=[("CPU/connection", "server_cpu_us_per_msg")], ours="duplex-tls",
              servers_note="The load generator keeps a fixed number of connections opening at once: TCP connect, "
                           "a full TLS handshake (no resumption), the upgrade, the 101, then a Close and away. "
                           "Each server first does 10 s of handshakes, so that its JIT has compiled them.")
    def idle_table(scenario, title, note, ours):
        """Memory per idle connection from idle_steps: one server start, two steps of N connections."""
        g, failed = group(rows, scenario)
        if not g and not failed:
            return
        doc.extend([f"## {title}", "", note, "",
                    "| server | connections per step | heap bytes/conn | RSS bytes/conn | first step's heap bytes/conn | "
                    "Duplex heap ÷ | Duplex RSS ÷ |",
                    "|---|---:|---:|---:|---:|---:|---:|"])
        dh = med(g.get(ours, {}).get("heap_per_conn_b", []))
        dr = med(g.get(ours, {}).get("rss_per_conn_b", []))
        for server, m in g.items():
            h, r = m.get("heap_per_conn_b", []), m.get("rss_per_conn_b", [])
            doc.append(f"| {LABELS.get(server, server)} | {spread(m.get('conns', []))} | {spread(h)} | {spread(r)} | "
                       f"{spread(m.get('first_heap_per_conn_b', []))} | "
                       f"{'' if server == ours else ratio(dh, med(h))} | {'' if server == ours else ratio(dr, med(r))} |")
        for server, n in failed.items():
            doc.append(f"| {LABELS.get(server, server)} | failed ({n} run(s)) | | | | | |")
        series = []
        for server, m in g.items():
            series.append((LABELS.get(server, server) + " heap", m.get("heap_per_conn_b", [])))
            series.append((LABELS.get(server, server) + " RSS", m.get("rss_per_conn_b", [])))
        chart(f"scenario-{scenario}.svg", title, "bytes per connection (second step)", series, True)
        doc.append("")

    steps = ("One server start, two steps of N idle connections, measured as in (d): the first step pays the "
             "server's one-off costs, the second is what a connection costs (RSS includes native memory such as "
             "zlib's).")
    idle_table("h-idle", "(h) memory per idle wss connection", steps + " TLS 1.3.", "duplex-tls")
    deflate_note = ("1 KiB JSON-like chat messages generated from a fixed seed (64 different ones, 64 KiB, so "
                    "that DEFLATE's 32 KiB window never holds them all), text frames, 100 connections × 16 in "
                    "flight. The load generator compresses what it sends ahead of the run at zlib's level 6, "
                    "inflates every echo and compares it byte for byte. Servers: level 6, compressing messages of "
                    "256 bytes and more; Netty with its permessage-deflate handshaker set to accept "
                    "`server_no_context_takeover` (its `WebSocketServerCompressionHandler` declines it). "
                    "\"server ratio\" is uncompressed ÷ compressed bytes of what the server sent.")
    dextra = [("server ratio", "recv_ratio"), ("client ratio", "sent_ratio")] + lat + cpu + busy
    dcharts = [("cpu", "server_cpu_us_per_msg", "server CPU µs per message", True),
               ("ratio", "recv_ratio", "compression ratio of what the server sent", False)]
    table("i-ctx", "(i) permessage-deflate with context takeover", "msgs_per_s", "messages/s", extra=dextra,
          more_ratios=cpu_ratio, ours="duplex-deflate", servers_note=deflate_note, charts=dcharts)
    table("i-noctx", "(i) permessage-deflate without context takeover (client_ and server_no_context_takeover)",
          "msgs_per_s", "messages/s", extra=dextra, more_ratios=cpu_ratio, ours="duplex-deflate", charts=dcharts)
    idle_table("i-idle-ctx", "(i) memory per idle connection, deflate with context takeover",
               steps + " Each connection sent one 1 KiB message and got its echo before it fell idle, so the "
                       "codecs have been used.", "duplex-deflate")
    idle_table("i-idle-noctx", "(i) memory per idle connection, deflate without context takeover",
               steps + " The same, with client_ and server_no_context_takeover.", "duplex-deflate")
    jrows = [r for r in rows if r.get("scenario") == "j"]
    if jrows:
        doc.extend(["## (j) many active connections: one 64-byte message per connection per second", "",
                    "N connections each send one message a second, spread evenly over the second (an open loop, "
                    "as chat clients are); each server first gets a 3 s echo burst so that a light load is not "
                    "measured against interpreted code. Before the load the load generator reads the server's CPU "
                    "for 3 s with the connections open and silent (its JIT, GC and timers: \"idle cores\"); "
                    "\"net\" is the CPU per message less that rate. Cost growth is the net CPU per message at "
                    "N ÷ the same at the smallest N measured.", "",
                    "| server | connections | messages/s | server CPU µs/msg | idle cores | net µs/msg | p50 µs | p99 µs | "
                    "p99.9 µs | cost growth | Duplex ÷ server, net CPU/msg | Duplex ÷ server, p99.9 |",
                    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"])
        blank = " |" * 9
        counts = sorted({r["conns"] for r in jrows if r.get("conns", "").isdigit()}, key=int)
        base = {}
        cost, tail = collections.OrderedDict(), collections.OrderedDict()
        for conns in counts:
            g, failed = group(rows, "j", ("conns", conns))
            if failed.pop("all", 0):  # run.sh's line for a count the open-files limit did not allow
                doc.append(f"| every server | {int(conns):,} | skipped: above the limit on open files |" + blank)
            d = g.get("duplex", {})
            for server, m in g.items():
                c = m.get("server_net_cpu_us_per_msg", [])
                if not base:
                    base_conns = conns
                if conns == base_conns:
                    base[server] = med(c)
                doc.append(f"| {LABELS.get(server, server)} | {int(conns):,} | {spread(m.get('msgs_per_s', []))} | "
                           f"{spread(m.get('server_cpu_us_per_msg', []), 2)} | "
                           f"{spread(m.get('server_idle_cpu_util', []), 3)} | {spread(c, 2)} | "
                           f"{spread(m.get('p50_us', []), 1)} | {spread(m.get('p99_us', []), 1)} | "
                           f"{spread(m.get('p999_us', []), 1)} | {ratio(med(c), base.get(server))} | "
                           f"{'' if server == 'duplex' else ratio(med(d.get('server_net_cpu_us_per_msg', [])), med(c))} | "
                           f"{'' if server == 'duplex' else ratio(med(d.get('p999_us', [])), med(m.get('p999_us', [])))} |")
                cost.setdefault(LABELS.get(server, server), []).append((int(conns), c))
                tail.setdefault(LABELS.get(server, server), []).append((int(conns), m.get("p999_us", [])))
            for server, n in failed.items():
                doc.append(f"| {LABELS.get(server, server)} | {int(conns):,} | failed ({n} run(s)) |" + blank)
        # A failed run's line from before run.sh recorded its connection count.
        for server, n in collections.Counter(r["server"] for r in jrows
                                             if "failed" in r and not r.get("conns", "").isdigit()).items():
            doc.append(f"| {LABELS.get(server, server)} | not recorded | failed ({n} run(s)) |" + blank)
        for svg, title, unit, series in (
                ("scenario-j.svg", "(j) server CPU per message, net of idle, by connections", "µs per message", cost),
                ("scenario-j-p999.svg", "(j) p99.9 round trip by connections", "µs", tail)):
            if svg_lines(os.path.join(a.svg_dir, svg), title, unit, "connections, each sending one message a second",
                         list(series.items()), lower_is_better=True):
                doc.extend(["", f"![{title}]({rel_svg}/{svg})"])
        doc.append("")

    # (g) rooms across nodes, when its results (run.sh's g.txt) are among the inputs.
    g_load = next((r for r in rows if r.get("scenario") == "g" and "room_size" in r), {})
    table("g", f"(g) {fmt(g_load.get('conns'))} connections in rooms of {g_load.get('room_size', '?')} on one node "
               "and across two nodes sharing one redis-server", "msgs_per_s",
          "deliveries/s", extra=lat + [("p99.9 µs", "p999_us"), ("load generator cores busy", "loadgen_cpu_util")],
          ours="duplex-rooms", ratio_title="one node, in-memory engine ÷ this layout",
          servers_note="A publisher per room, one publish in flight per room; with two nodes the members of each "
                       "room alternate between them and so do the publishers. Nodes are pinned to CPU 0, "
                       "redis-server with the load generator to CPU 1; each measurement starts from an empty Redis.")
    bench = collections.OrderedDict()
    for r in rows:
        if r.get("scenario") == "g" and r.get("server") == "redis-benchmark" and "rps" in r:
            b = bench.setdefault((r.get("command", "?").replace("_", " "), r.get("pipeline", "1")),
                                 collections.defaultdict(list))
            for k in ("rps", "p50_ms", "p99_ms"):
                if k in r:
                    b[k].append(float(r[k]))
    if bench:
        doc.extend(["redis-benchmark on the same redis-server (50 clients): the commands the Redis engine runs per "
                    "publish.", "", "| command | pipeline | requests/s | p50 ms | p99 ms |", "|---|---:|---:|---:|---:|"])
        for (command, pipeline), b in bench.items():
            doc.append(f"| `{command}` | {pipeline} | {spread(b['rps'])} | {spread(b['p50_ms'], 3)} | "
                       f"{spread(b['p99_ms'], 3)} |")
        doc.append("")

    # (d) idle memory: per connection count.
    drows = [r for r in rows if r.get("scenario") == "d"]
    if drows:
        doc.extend(["## (d) idle connections: memory per connection", "",
                    "Heap = used heap after a full GC (`jcmd GC.run`, `GC.heap_info`), RSS = `VmRSS` read 6 s later "
                    "and after `jcmd System.trim_native_heap` (so that memory the JIT used for a moment and freed "
                    "is not counted), both minus the same server's figures before any connection (taken after two "
                    "full GCs, so that both of G1's mark bitmaps are already resident), divided by the connections "
                    "held. \"Of it, heap pages\" is the part of the RSS that lies in the Java heap's mapping "
                    "(from `/proc/<pid>/smaps`): live objects, and the young-generation pages that garbage has "
                    "touched since the JVM started, which G1 keeps with a fixed 1 GiB heap. "
                    "Java-WebSocket is left out: it accepted about 70 connections/s here.", "",
                    "| server | connections | heap bytes/conn | RSS bytes/conn | of it, heap pages | Duplex heap ÷ | Duplex RSS ÷ |",
                    "|---|---:|---:|---:|---:|---:|---:|"])
        series = []
        counts = sorted({r["conns"] for r in drows if "conns" in r}, key=int)
        for conns in counts:
            g, failed = group(rows, "d", ("conns", conns))
            dh = med(g.get("duplex", {}).get("heap_per_conn_b", []))
            dr = med(g.get("duplex", {}).get("rss_per_conn_b", []))
            for server, m in g.items():
                h, r = m.get("heap_per_conn_b", []), m.get("rss_per_conn_b", [])
                hp = heap_pages_per_conn(rows, server, conns)
                doc.append(f"| {LABELS.get(server, server)} | {conns} | {spread(h)} | {spread(r)} | {spread(hp)} | "
                           f"{'' if server == 'duplex' else ratio(dh, med(h))} | "
                           f"{'' if server == 'duplex' else ratio(dr, med(r))} |")
                if conns == counts[-1]:
                    series.append((LABELS.get(server, server) + " heap", h))
                    series.append((LABELS.get(server, server) + " RSS", r))
            for server, n in failed.items():
                doc.append(f"| {LABELS.get(server, server)} | {conns} | failed ({n} run(s)) | | | | |")
        # The slope between the two counts: what one more connection costs once the one-off costs (JIT,
        # class metadata, young-generation pages first touched by handshake garbage) are paid.
        if len(counts) >= 2:
            lo, hi = counts[0], counts[-1]
            doc.extend(["", f"Marginal cost of a connection, from {int(lo):,} to {int(hi):,} connections in the "
                        "same server process: (figure at the higher count − figure at the lower) ÷ the connections "
                        "added. The averages above also carry the server's one-off costs of its first connections "
                        "(JIT-compiled code, class metadata, and the young-generation pages that handshake garbage "
                        "touches first), which a longer-lived server has already paid; this column does not.", "",
                        "| server | marginal heap bytes/conn | marginal RSS bytes/conn | Duplex heap ÷ | Duplex RSS ÷ |",
                        "|---|---:|---:|---:|---:|"])
            marg = {}
            for r in drows:
                if "heap_kib" not in r:
                    continue
                marg.setdefault((r["server"], r.get("run")), {})[r["conns"]] = r
            per_server = {}
            for (server, _), by in marg.items():
                if lo in by and hi in by:
                    added = int(hi) - int(lo)
                    m = per_server.setdefault(server, {"h": [], "r": []})
                    m["h"].append((float(by[hi]["heap_kib"]) - float(by[lo]["heap_kib"])) * 1024 / added)
                    m["r"].append((float(by[hi]["rss_kib"]) - float(by[lo]["rss_kib"])) * 1024 / added)
            dmh = med(per_server.get("duplex", {}).get("h", []))
            dmr = med(per_server.get("duplex", {}).get("r", []))
            for server, m in per_server.items():
                doc.append(f"| {LABELS.get(server, server)} | {spread(m['h'])} | {spread(m['r'])} | "
                           f"{'' if server == 'duplex' else ratio(dmh, med(m['h']))} | "
                           f"{'' if server == 'duplex' else ratio(dmr, med(m['r']))} |")
        if svg_bars(os.path.join(a.svg_dir, "scenario-d.svg"), f"(d) idle memory at {int(counts[-1]):,} connections",
                    "bytes per connection", series, lower_is_better=True):
            doc.extend(["", f"![(d) idle memory]({rel_svg}/scenario-d.svg)"])
        doc.append("")

    # Memory per membership: one server start, idle connections in no room, then as many again in rooms.
    mrows = [r for r in rows if r.get("scenario") == "m"]
    if mrows:
        doc.extend(["## Memory per room membership", "",
                    "One server start, three steps of N idle connections, measured as in (d): in no room (this "
                    "step pays the server's one-off costs of its first connections), in no room again (what a "
                    "connection costs), then each in a room of 10. A membership costs the third step's growth "
                    "minus the second's, divided by N.", "",
                    "| server | connections per step | heap bytes/conn | heap bytes/membership | RSS bytes/membership |",
                    "|---|---:|---:|---:|---:|"])
        for r in mrows:
            if "failed" in r:
                doc.append(f"| {LABELS.get(r['server'], r['server'])} | {r.get('conns', '')} | failed | | |")
                continue
            doc.append(f"| {LABELS.get(r['server'], r['server'])} | {r['conns']} | {r['heap_per_conn_b']} | "
                       f"{r['heap_per_member_b']} | {r['rss_per_member_b']} |")
        doc.append("")

    if a.jmh:
        doc.append(jmh_section(a.jmh))
    doc.append(profile_section(a.samples))
    doc.append(hand_written)
    doc.append(machine_section())
    doc.extend(["## Reproducing", "",
                "```",
                "benchmarks/run.sh                      # everything (about 90 minutes with (h)-(j)), rewrites this file",
                "benchmarks/run.sh --scenarios ab --no-jmh --runs 5 --seconds 10",
                "java -jar benchmarks/target/benchmarks.jar MaskingBenchmark   # one JMH class",
                "benchmarks/run.sh --scenarios f --no-jmh --no-report --runs 1 --seconds 3   # a trial of the room scenarios",
                "benchmarks/run.sh --scenarios h --no-jmh          # (h) wss (about 30 minutes)",
                "benchmarks/run.sh --scenarios i --no-jmh          # (i) permessage-deflate (about 10 minutes)",
                "benchmarks/run.sh --scenarios j --no-jmh          # (j) 100 to 19,000 active connections (about 20 minutes)",
                "benchmarks/run.sh --scenarios g --no-jmh --no-report   # (g) rooms across two nodes on one redis-server",
                "benchmarks/run.sh --smoke              # CI: short load, room, churn, (g), wss, deflate and many-connection runs",
                "python3 benchmarks/test_report.py      # this report's generator on synthetic results (part of --smoke)",
                "```", ""])
    with open(a.out, "w") as f:
        f.write("\n".join(doc))


if __name__ == "__main__":
    main()

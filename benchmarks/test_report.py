#!/usr/bin/env python3
"""Tests of benchmarks/report.py on a synthetic results file (CI runs this in `benchmarks/run.sh --smoke`).

The results are made up, in the format run.sh writes, with every line marked synthetic=1; they cover every
scenario, failed runs and a server that was not measured. The report goes to a temporary directory (or to
$REPORT_TEST_OUT, to look at it) and is never written under docs/: report.py refuses synthetic lines there,
which is tested too. Expected figures are worked out by hand from the synthetic values below.

Also checks that the hand-written analysis of docs/benchmarks.md (between report.py's two marker comments)
comes through a regeneration unchanged, and that a document without the markers is refused, not overwritten.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
DOC = os.path.join(ROOT, "docs", "benchmarks.md")


def loadgen_line(msgs_per_s, cpu_us, p999_us=300.0, **more):
    """The keys the load generator prints for a measured run (loadgen.c), with made-up values."""
    keys = dict(server_user_us_per_msg=cpu_us / 2, server_sys_us_per_msg=cpu_us / 2, server_cpu_us_per_msg=cpu_us,
                server_cpu_util=0.95, loadgen_cpu_util=0.60, loadgen_runq_wait=0.001, server_runq_wait=0.002,
                mode="echo", conns=100, inflight=16, size=64, seconds=5.0, msgs=msgs_per_s * 5,
                msgs_per_s=msgs_per_s, p50_us=100.0, p99_us=200.0, p999_us=p999_us,
                errors=0)
    keys.update(more)
    keys["mb_per_s"] = msgs_per_s * keys["size"] / 1e6
    return " ".join(f"{k}={v}" for k, v in keys.items())


def synthetic_results():
    """Two runs of every scenario. Duplex is always twice as fast as its peer and uses half its CPU."""
    lines = ["# SYNTHETIC results for benchmarks/test_report.py: made-up numbers, never to be published"]

    def run(scenario, server, n, rest):
        lines.append(f"scenario={scenario} server={server} run={n} synthetic=1 {rest}")

    for n in (1, 2):
        # (a)-(c), (e), (f): Java-WebSocket is not measured at all (a missing server).
        for scenario, servers in (("a", ["duplex", "netty-nio", "raw-tcp"]), ("b", ["duplex", "netty-nio"]),
                                  ("c", ["duplex", "jetty"]), ("e", ["duplex", "duplex-rooms", "netty-epoll"]),
                                  ("f", ["duplex-rooms", "netty-rooms-nio", "netty-rooms-epoll"])):
            for i, server in enumerate(servers):
                extra = {"server_fanout_us": 5000, "server_deliveries_per_s": 2e6} if scenario == "e" else {}
                run(scenario, server, n, loadgen_line(200_000 if i == 0 else 100_000, 2.0 if i == 0 else 4.0, **extra))
        # (d): two connection counts in one server start.
        for server, heap in (("duplex", 1_000), ("netty-nio", 2_000)):
            for conns, kib in ((10000, 10_000), (19000, 19_000)):
                run("d", server, n, f"conns={conns} heap0_kib=0 rss0_kib=0 heap_kib={kib * heap // 1000} "
                                    f"rss_kib={kib * 3} heap_rss0_kib=0 heap_rss_kib={kib} "
                                    f"heap_per_conn_b={heap * 1024 // 1000} rss_per_conn_b=3072")
        for v in ("1.3", "1.2"):
            for i, server in enumerate(["duplex-tls", "netty-nio-tls", "netty-nio-openssl-tls"]):
                cpu = 2.0 * (i + 1)
                tls = f"tls=TLSv{v} cipher=TLS_AES_128_GCM_SHA256"
                run(f"h-a-{v}", server, n, loadgen_line(200_000 // (i + 1), cpu, **{"tls": f"TLSv{v}"}))
                run(f"h-c-{v}", server, n, loadgen_line(2_000 // (i + 1), 500.0 * (i + 1), size=1048576) + " " + tls)
                run(f"h-hs-{v}", server, n, loadgen_line(4_000 // (i + 1), 250.0 * (i + 1), mode="handshake"))
            # Jetty fails every (a) run over TLS 1.3, at the start once and in the load generator once.
            if v == "1.3":
                run("h-a-1.3", "jetty-tls", n, "failed=start" if n == 1 else "failed=loadgen")
        for scenario, ours, peer in (("h-idle", "duplex-tls", "netty-nio-tls"),
                                     ("i-idle-ctx", "duplex-deflate", "netty-nio-deflate"),
                                     ("i-idle-noctx", "duplex-deflate", "netty-nio-deflate")):
            run(scenario, ours, n, "conns=2000 heap_per_conn_b=3000 rss_per_conn_b=6000 first_heap_per_conn_b=4000 "
                                   "first_rss_per_conn_b=9000")
            run(scenario, peer, n, "conns=2000 heap_per_conn_b=6000 rss_per_conn_b=12000 first_heap_per_conn_b=7000 "
                                   "first_rss_per_conn_b=15000" if scenario != "i-idle-noctx" else "conns=2000 failed=setup")
        # (i): Node ws is not measured (a missing server, as without Node).
        for scenario in ("i-ctx", "i-noctx"):
            for i, server in enumerate(["duplex-deflate", "netty-nio-deflate"]):
                run(scenario, server, n, loadgen_line(100_000 // (i + 1), 5.0 * (i + 1), size=1024,
                                                      deflate="client_takeover,server_takeover",
                                                      sent_ratio=3.00, recv_ratio=3.4 - i))
        # (j): Duplex's net cost 10 -> 12 µs from 100 to 19,000 connections, Netty's 10 -> 20; Netty fails at 1,000.
        for conns, duplex_net, netty_net in ((100, 10.0, 10.0), (1000, 11.0, None), (19000, 12.0, 20.0)):
            for server, net, p999 in (("duplex", duplex_net, 400.0), ("netty-nio", netty_net, 800.0)):
                if net is None:
                    run("j", server, n, f"failed=start conns={conns}")
                    continue
                run("j", server, n, loadgen_line(conns, net + 1, p999_us=p999, mode="rate", rate=1, conns=conns,
                                                 server_idle_cpu_util=0.010, server_net_cpu_us_per_msg=net))
        # (g), as run.sh's g.txt has it: layouts, one of them failing once, then redis-benchmark.
        for server, rate in (("duplex-rooms", 90_000), ("duplex-rooms-redis", 60_000),
                             ("duplex-rooms-redis-x2", 45_000)):
            if server == "duplex-rooms-redis" and n == 2:
                run("g", server, n, "failed=start")
            else:
                run("g", server, n, loadgen_line(rate, 0, mode="rooms", room_size=10, conns=100))
    lines.append("scenario=j server=all conns=50000 failed=limit synthetic=1")
    lines.append("scenario=m server=duplex-rooms conns=6000 room_size=10 heap_per_conn_b=1200 heap_per_member_b=160 "
                 "rss_per_member_b=200 synthetic=1")
    lines.append("scenario=m server=netty-rooms-nio conns=6000 room_size=10 failed=setup synthetic=1")
    for command, rps in (("EVALSHA_publish.lua", 50_000), ("PUBLISH", 150_000)):
        lines.append(f"scenario=g server=redis-benchmark command={command} pipeline=1 rps={rps} p50_ms=0.300 "
                     f"p99_ms=0.700 synthetic=1")
    return "\n".join(lines) + "\n"


def report(results, out, svg_dir):
    return subprocess.run([sys.executable, os.path.join(BENCH, "report.py"), "--results", results, "--out", out,
                           "--svg-dir", svg_dir], cwd=ROOT, capture_output=True, text=True, timeout=120)


def section(doc, heading):
    """The text of the section under a '## ' heading, up to the next one."""
    start = doc.index(f"## {heading}\n")
    end = doc.find("\n## ", start + 1)
    return doc[start:end if end >= 0 else len(doc)]


def rows_of(text, first_cell):
    """The table rows of a section that start with this cell, as lists of cells."""
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in text.splitlines()
            if line.startswith(f"| {first_cell} |")]


def row(text, first_cell):
    """The one table row of a section that starts with this cell."""
    rows = rows_of(text, first_cell)
    if len(rows) != 1:
        raise AssertionError(f"expected one row for {first_cell!r}, found {len(rows)} in:\n{text}")
    return rows[0]


def hand_written(doc):
    """The text between report.py's hand-written-analysis markers, markers included."""
    begin = doc.index("<!-- hand-written analysis:")
    end_marker = "<!-- end of hand-written analysis -->"
    return doc[begin:doc.index(end_marker) + len(end_marker)]


class ReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        keep = os.environ.get("REPORT_TEST_OUT")
        cls.dir = keep or tempfile.mkdtemp(prefix="duplex-report-test-")
        os.makedirs(cls.dir, exist_ok=True)
        cls.results = os.path.join(cls.dir, "synthetic-results.txt")
        with open(cls.results, "w") as f:
            f.write(synthetic_results())
        cls.svg = os.path.join(cls.dir, "charts")
        # Regenerate a copy of the published document, as run.sh regenerates the real one.
        shutil.copyfile(DOC, os.path.join(cls.dir, "benchmarks.md"))
        done = report(cls.results, os.path.join(cls.dir, "benchmarks.md"), cls.svg)
        if done.returncode != 0:
            raise AssertionError(f"report.py failed ({done.returncode}):\n{done.stderr}")
        with open(os.path.join(cls.dir, "benchmarks.md")) as f:
            cls.doc = f.read()
        cls.cleanup = not keep

    @classmethod
    def tearDownClass(cls):
        if cls.cleanup:
            shutil.rmtree(cls.dir, ignore_errors=True)

    def chart(self, name):
        """The chart's SVG, after checking that it is linked from the document and is well-formed."""
        self.assertIn(f"(charts/{name})", self.doc, f"{name} is not linked from the report")
        root = ET.parse(os.path.join(self.svg, name)).getroot()
        self.assertEqual("{http://www.w3.org/2000/svg}svg", root.tag)
        return root

    def bars(self, name):
        """The bars of a bar chart (every rect but the background)."""
        return len(self.chart(name).findall("{http://www.w3.org/2000/svg}rect")) - 1

    def test_echo_scenarios_have_ratios_and_charts(self):
        a = section(self.doc, "(a) 64-byte messages, 100 connections × 16 in flight")
        self.assertEqual("2.00×", row(a, "Netty 4.2 NIO")[8])  # 200,000 ÷ 100,000 messages/s
        self.assertEqual("2.00 (2.00–2.00)×", row(a, "Netty 4.2 NIO")[9])
        self.assertEqual("0.50×", row(a, "Netty 4.2 NIO")[10])  # 2 ÷ 4 µs of CPU per message
        self.assertNotIn("Java-WebSocket", a)  # not measured: no row, no bar
        self.assertEqual(3, self.bars("scenario-a.svg"))
        for name in ("scenario-b.svg", "scenario-c.svg", "scenario-e.svg", "scenario-f.svg", "scenario-d.svg"):
            self.assertGreater(self.bars(name), 0, name)

    def test_wss_has_both_tls_versions_handshakes_and_idle_memory(self):
        for v in ("1.3", "1.2"):
            echo = section(self.doc, f"(h) wss, TLS {v}: 64-byte messages, 100 connections × 16 in flight")
            self.assertEqual("2.00×", row(echo, "Netty 4.2 NIO, JDK SSLEngine")[8])
            self.assertEqual("3.00×", row(echo, "Netty 4.2 NIO, OpenSSL (tcnative BoringSSL)")[8])
            big = section(self.doc, f"(h) wss, TLS {v}: 1 MiB messages, 4 connections")
            self.assertEqual("2,097 (2,097–2,097)", row(big, "Duplex (JDK SSLEngine)")[1])  # 2,000 MiB/s in MB/s
            handshakes = section(self.doc, f"(h) new wss connections per second, TLS {v}")
            self.assertEqual("4,000 (4,000–4,000)", row(handshakes, "Duplex (JDK SSLEngine)")[1])
            self.assertEqual("0.50×", row(handshakes, "Netty 4.2 NIO, JDK SSLEngine")[-1])  # 250 ÷ 500 µs
            for kind in ("a", "c", "hs"):
                self.assertEqual(3, self.bars(f"scenario-h-{kind}-{v}.svg"))
            self.assertEqual(3, self.bars(f"scenario-h-a-{v}-cpu.svg"))
        jetty = row(section(self.doc, "(h) wss, TLS 1.3: 64-byte messages, 100 connections × 16 in flight"),
                    "Jetty 12.1 (JDK SSLEngine)")
        self.assertTrue(jetty[1].startswith("failed in 2 run(s)"), jetty)
        self.assertNotIn("Jetty", section(self.doc, "(h) wss, TLS 1.2: 64-byte messages, 100 connections × 16 in flight"))
        idle = section(self.doc, "(h) memory per idle wss connection")
        netty = row(idle, "Netty 4.2 NIO, JDK SSLEngine")
        self.assertEqual(["6,000 (6,000–6,000)", "12,000 (12,000–12,000)"], netty[2:4])
        self.assertEqual(["0.50×", "0.50×"], netty[5:7])  # 3,000 ÷ 6,000 heap, 6,000 ÷ 12,000 RSS
        self.assertEqual(4, self.bars("scenario-h-idle.svg"))  # heap and RSS of two servers

    def test_deflate_has_ratio_cpu_and_idle_memory(self):
        for scenario, title in (("i-ctx", "(i) permessage-deflate with context takeover"),
                                ("i-noctx", "(i) permessage-deflate without context takeover "
                                            "(client_ and server_no_context_takeover)")):
            text = section(self.doc, title)
            self.assertEqual("3.4 (3.4–3.4)", row(text, "Duplex")[2])  # the server's compression ratio
            self.assertEqual("2.4 (2.4–2.4)", row(text, "Netty 4.2 NIO")[2])
            self.assertEqual("0.50×", row(text, "Netty 4.2 NIO")[-1])  # 5 ÷ 10 µs per message
            self.assertNotIn("Node ws", text)  # not measured
            self.assertEqual(2, self.bars(f"scenario-{scenario}.svg"))
            self.assertEqual(2, self.bars(f"scenario-{scenario}-cpu.svg"))
            self.assertEqual(2, self.bars(f"scenario-{scenario}-ratio.svg"))
        ctx = section(self.doc, "(i) memory per idle connection, deflate with context takeover")
        self.assertEqual("0.50×", row(ctx, "Netty 4.2 NIO")[5])
        noctx = section(self.doc, "(i) memory per idle connection, deflate without context takeover")
        self.assertEqual("failed (2 run(s))", row(noctx, "Netty 4.2 NIO")[1])
        self.assertEqual(4, self.bars("scenario-i-idle-ctx.svg"))
        self.assertEqual(2, self.bars("scenario-i-idle-noctx.svg"))

    def test_many_connections_table_and_cost_growth_chart(self):
        j = section(self.doc, "(j) many active connections: one 64-byte message per connection per second")
        rows = {(r[0], r[1]): r for r in (
            [c.strip() for c in line.strip("|").split("|")] for line in j.splitlines() if line.startswith("| "))}
        self.assertEqual("1.20×", rows[("Duplex", "19,000")][9])  # 12 ÷ 10 µs net, from 100 connections
        self.assertEqual("2.00×", rows[("Netty 4.2 NIO", "19,000")][9])  # 20 ÷ 10
        self.assertEqual("0.60×", rows[("Netty 4.2 NIO", "19,000")][10])  # Duplex 12 ÷ Netty 20
        self.assertEqual("0.50×", rows[("Netty 4.2 NIO", "19,000")][11])  # p99.9: 400 ÷ 800 µs
        self.assertEqual("1.10×", rows[("Duplex", "1,000")][9])
        self.assertEqual("failed (2 run(s))", rows[("Netty 4.2 NIO", "1,000")][2])
        self.assertTrue(rows[("every server", "50,000")][2].startswith("skipped"))
        svg = "{http://www.w3.org/2000/svg}"
        for name in ("scenario-j.svg", "scenario-j-p999.svg"):
            root = self.chart(name)
            lines = root.findall(f"{svg}polyline")
            self.assertEqual(2, len(lines), name)  # Duplex and Netty
            self.assertEqual([3, 2], [len(p.get("points").split()) for p in lines])  # Netty has no 1,000 point
            labels = [t.text for t in root.findall(f"{svg}text")]
            for expected in ("100", "1,000", "19,000", "Duplex", "Netty 4.2 NIO"):
                self.assertIn(expected, labels, name)

    def test_rooms_across_nodes_and_redis_benchmark(self):
        g = section(self.doc, "(g) 100 connections in rooms of 10 on one node and across two nodes sharing one "
                              "redis-server")
        self.assertEqual("2.00×", row(g, "Duplex Rooms, Redis engine, two nodes")[6])  # 90,000 ÷ 45,000
        measured, failed = rows_of(g, "Duplex Rooms, Redis engine, one node")
        self.assertEqual("1.50×", measured[6])  # 90,000 ÷ 60,000, from the run that did not fail
        self.assertTrue(failed[1].startswith("failed in 1 run(s)"), failed)
        self.assertIn("| `EVALSHA publish.lua` | 1 | 50,000 (50,000–50,000) |", g)
        self.assertEqual(3, self.bars("scenario-g.svg"))
        members = section(self.doc, "Memory per room membership")
        self.assertEqual(["6000", "1200", "160", "200"], row(members, "Duplex Rooms")[1:])
        self.assertEqual("failed", row(members, "Netty 4.2 NIO, ChannelGroup per room")[2])

    def test_hand_written_analysis_comes_through_unchanged(self):
        with open(DOC) as f:
            published = hand_written(f.read())
        self.assertEqual(1, self.doc.count(published))
        self.assertLess(self.doc.index("## (j) many active"), self.doc.index(published))
        self.assertLess(self.doc.index(published), self.doc.index("## Machine and versions"))

    def test_a_document_without_the_markers_is_not_overwritten(self):
        out = os.path.join(self.dir, "unmarked.md")
        text = "# Benchmarks\n\nAnalysis written by hand, with no markers around it.\n"
        with open(out, "w") as f:
            f.write(text)
        done = report(self.results, out, os.path.join(self.dir, "unmarked-charts"))
        self.assertNotEqual(0, done.returncode)
        self.assertIn("markers", done.stderr)
        with open(out) as f:
            self.assertEqual(text, f.read())

    def test_synthetic_results_are_never_written_under_docs(self):
        # Paths that do not exist yet, so that a report written there by mistake is seen and removed.
        doc_path = os.path.join(ROOT, "docs", "synthetic-report-test.md")
        svg_path = os.path.join(ROOT, "docs", "synthetic-report-test")
        for out, svg_dir, forbidden in ((doc_path, self.svg, doc_path),
                                        (os.path.join(self.dir, "other.md"), svg_path, svg_path)):
            try:
                done = report(self.results, out, svg_dir)
                self.assertNotEqual(0, done.returncode)
                self.assertIn("synthetic", done.stderr)
                self.assertFalse(os.path.exists(forbidden))
            finally:
                if os.path.isfile(forbidden):
                    os.remove(forbidden)
                shutil.rmtree(forbidden, ignore_errors=True)


class PublishedDocTest(unittest.TestCase):
    def test_docs_mark_their_hand_written_analysis(self):
        """Without exactly one pair of markers, the next full run could not keep docs/benchmarks.md's analysis."""
        with open(DOC) as f:
            doc = f.read()
        self.assertEqual(1, doc.count("<!-- hand-written analysis:"))
        self.assertEqual(1, doc.count("<!-- end of hand-written analysis -->"))
        self.assertIn("## What the figures say", hand_written(doc))


if __name__ == "__main__":
    unittest.main()

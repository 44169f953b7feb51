"""Tests for the timeline: reading and checking a trace (trace_file.py), its rows
(rows.py: which, in what order, merged how), the chart (gantt.py: colours, legend, labels),
the phenomenon checks every_lesson_test uses (properties.py), and //tools:timeline itself,
drawing real PNGs with gnuplot: all on small synthetic traces."""

import io
import json
import os
import struct
import tempfile
import unittest
import zlib

from tools import i18n
from tools import timeline
from tools.tracing import gantt
from tools.tracing import properties
from tools.tracing import rows as rows_lib
from tools.tracing import trace_file


def setUpModule():
    i18n.use(i18n.ENGLISH)


class Trace:
    """A synthetic trace, event by event."""

    def __init__(self):
        self.events = []

    def process(self, pid, name):
        self.events.append({"ph": "M", "ts": 0, "pid": pid, "tid": pid, "name": "process_name",
                            "args": {"name": name}})
        return self

    def thread(self, pid, tid, name):
        self.events.append({"ph": "M", "ts": 0, "pid": pid, "tid": tid, "name": "thread_name",
                            "args": {"name": name}})
        return self

    def span(self, pid, tid, name, state, start, end):
        self.events.append({"ph": "B", "ts": start, "pid": pid, "tid": tid, "cat": state,
                            "name": name})
        self.events.append({"ph": "E", "ts": end, "pid": pid, "tid": tid})
        return self

    def complete(self, pid, tid, name, state, start, end):
        self.events.append({"ph": "X", "ts": start, "dur": end - start, "pid": pid, "tid": tid,
                            "cat": state, "name": name})
        return self

    def coroutine(self, pid, tid, ident, name, start, end, state="task"):
        self.events.append({"ph": "b", "ts": start, "pid": pid, "tid": tid, "cat": "coroutine",
                            "name": name, "id": ident, "args": {"state": state}})
        self.events.append({"ph": "e", "ts": end, "pid": pid, "tid": tid, "cat": "coroutine",
                            "name": name, "id": ident, "args": {"state": state}})
        return self

    def instant(self, pid, tid, name, ts):
        self.events.append({"ph": "i", "ts": ts, "pid": pid, "tid": tid, "cat": "run",
                            "name": name, "s": "t"})
        return self

    def flow(self, ident, out, into):
        (pid, tid, ts), (pid2, tid2, ts2) = out, into
        self.events.append({"ph": "s", "ts": ts, "pid": pid, "tid": tid, "cat": "flow",
                            "name": "item", "id": ident})
        self.events.append({"ph": "f", "ts": ts2, "pid": pid2, "tid": tid2, "cat": "flow",
                            "name": "item", "id": ident, "bp": "e"})
        return self

    def value(self):
        return {"traceEvents": sorted(self.events, key=lambda e: e["ts"]),
                "otherData": {"program": "lesson"}}

    def parsed(self):
        return trace_file.parse(self.value())


def two_threads():
    return (Trace().process(1, "lock").thread(1, 1, "main").thread(1, 2, "t1").thread(1, 3, "t2")
            .instant(1, 1, "1. No lock", 0)
            .span(1, 2, "loop", "run", 10, 100).span(1, 3, "loop", "run", 20, 110)
            .span(1, 3, "wait for the lock", "lock_wait", 30, 40)
            .span(1, 1, "join", "join", 15, 115))


class ValidationTest(unittest.TestCase):
    def problems(self, trace):
        return trace_file.problems(trace.parsed())

    def test_valid(self):
        self.assertEqual(self.problems(two_threads()), [])

    # Each rule, broken once, is named with the event.
    def test_each_broken_rule_is_named(self):
        cases = [
            (Trace().process(1, "p").span(1, 1, "a", "run", 0, 10)
             .value()["traceEvents"][:-1], "is never ended"),
            ([{"ph": "E", "ts": 5, "pid": 1, "tid": 1}], "ends no span"),
            ([{"ph": "B", "ts": "soon", "pid": 1, "tid": 1, "cat": "run", "name": "a"}],
             "no valid timestamp"),
            ([{"ph": "B", "ts": 1, "pid": 1, "tid": 1, "name": "a"}], "no category"),
            ([{"ph": "Q", "ts": 1, "pid": 1, "tid": 1}], "no known phase"),
            ([{"ph": "X", "ts": 1, "pid": 1, "tid": 1, "cat": "run", "name": "a"}],
             "no valid duration"),
            (Trace().span(1, 1, "a", "run", 0, 10).complete(1, 1, "b", "run", 5, 20)
             .value()["traceEvents"], "without nesting"),
            (Trace().coroutine(1, 1, "0x1", "a", 0, 10).value()["traceEvents"][:1],
             "never closed"),
            ([{"ph": "b", "ts": 0, "pid": 1, "tid": 1, "cat": "coroutine", "name": "a", "id": "1",
               "args": {"state": "task"}},
              {"ph": "e", "ts": 1, "pid": 1, "tid": 1, "cat": "coroutine", "name": "b", "id": "1"}],
             "the names differ"),
            ([{"ph": "b", "ts": 0, "pid": 1, "tid": 1, "cat": "sleep", "name": "a", "id": "1"},
              {"ph": "e", "ts": 1, "pid": 1, "tid": 1, "cat": "sleep", "name": "a", "id": "1"}],
             "pair by category and id"),
            (Trace().span(1, 1, "a", "thinking", 0, 10).value()["traceEvents"], "not a state"),
            ([], "no events"),
        ]
        for events, expected in cases:
            with self.subTest(expected=expected):
                found = trace_file.problems(trace_file.parse({"traceEvents": events}))
                self.assertTrue(any(expected in p for p in found), found)

    # Nested spans are fine, and a span may end exactly when the next begins.
    def test_nesting_and_touching(self):
        trace = (Trace().span(1, 1, "outer", "run", 0, 100).span(1, 1, "inner", "sleep", 10, 20)
                 .complete(1, 1, "GIL", "gil", 20, 30).span(1, 1, "next", "run", 100, 110))
        self.assertEqual(self.problems(trace), [])
        depths = {s.name: s.depth for s in trace_file.spans(trace.parsed())}
        self.assertEqual(depths, {"outer": 0, "inner": 1, "GIL": 1, "next": 0})

    # Not a trace at all: an error that says so.
    def test_not_a_trace(self):
        with self.assertRaises(trace_file.TraceError):
            trace_file.parse([1, 2])
        path = os.path.join(os.environ.get("TEST_TMPDIR", "/tmp"), "bad.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write("{not json")
        with self.assertRaises(trace_file.TraceError):
            trace_file.load(path)


class RowsTest(unittest.TestCase):
    def labels(self, trace):
        return [row.label for row in rows_lib.build(trace.parsed()).rows]

    # The process (its main thread) first, then its threads by start, each followed by its
    # coroutines; a child process after its parent, with a separator.
    def test_order(self):
        trace = (two_threads().process(2, "lock (child 2)").thread(2, 2, "main")
                 .span(2, 2, "work", "run", 50, 60)
                 .coroutine(1, 3, "0x9", "hello #1", 25, 35))
        timeline = rows_lib.build(trace.parsed())
        self.assertEqual([row.label for row in timeline.rows],
                         ["lock [pid 1]", "t1", "t2", "hello #1 (coroutine)", "lock (child 2) [pid 2]"])
        self.assertEqual([row.kind for row in timeline.rows],
                         ["process", "thread", "thread", "coroutine", "process"])
        self.assertEqual(timeline.process_starts, [0, 4])
        self.assertEqual(timeline.states, ["run", "lock_wait", "join", "task"])

    # Child processes of one name with one thread each, one after the other, share a row.
    def test_merging_processes(self):
        trace = Trace().process(1, "join").span(1, 1, "join", "join", 0, 100)
        for pid, start in ((2, 10), (3, 60), (4, 200)):
            name = "orphan" if pid == 4 else "p1"
            trace.process(pid, name).span(pid, pid, "work", "run", start, start + 30)
        self.assertEqual(self.labels(trace), ["join [pid 1]", "p1 (2 processes)", "orphan [pid 4]"])

    # Threads of one name whose lives do not overlap share a row; overlapping ones do not.
    def test_merging(self):
        trace = Trace().process(1, "lock")
        for run in range(3):
            for t, name in ((10 + 2 * run, "t1"), (11 + 2 * run, "t2")):
                trace.thread(1, t, name).span(1, t, "loop", "run", 100 * run, 100 * run + 50)
        self.assertEqual(self.labels(trace), ["lock [pid 1]", "t1 (3 threads)", "t2 (3 threads)"])
        trace = Trace().process(1, "p").thread(1, 5, "worker").thread(1, 6, "worker")
        trace.span(1, 5, "a", "run", 0, 10).span(1, 6, "a", "run", 5, 15)
        self.assertEqual(self.labels(trace), ["p [pid 1]", "worker", "worker"])

    # Many threads: twelve rows, the rest in one, still drawn.
    def test_folding(self):
        trace = Trace().process(1, "p")
        for t in range(2, 30):
            trace.thread(1, t, f"w{t}").span(1, t, "a", "run", t, 1000)
        timeline = rows_lib.build(trace.parsed())
        self.assertEqual(len(timeline.rows), 1 + rows_lib.MAX_CHILD_ROWS)
        self.assertEqual(timeline.rows[-1].label, "… 17 more threads")
        self.assertEqual(len(timeline.rows[-1].spans), 17)

    # Many processes with many coroutines each: fewer rows per thread, so the chart stays
    # under MAX_ROWS rows (and every coroutine is still drawn).
    def test_whole_chart_stays_readable(self):
        trace = Trace().process(1, "scale")
        for child in range(2, 8):
            trace.process(child, f"run {child}").span(child, child, "loop", "run", 100 * child, 100 * child + 50)
            for i in range(20):
                trace.coroutine(child, child, f"0x{child}{i:02}", f"Task-{i}", 100 * child, 100 * child + 40)
        timeline = rows_lib.build(trace.parsed())
        self.assertLessEqual(len(timeline.rows), rows_lib.MAX_ROWS)
        self.assertEqual(sum(len(row.spans) for row in timeline.rows), 6 * 21)

    # A hand-over between threads is an arrow from one row to the other; one that
    # arrives while a coroutine runs on the thread arrives on the coroutine's row.
    def test_flows(self):
        trace = two_threads().flow("0x5", (1, 2, 50), (1, 3, 60))
        flow = rows_lib.build(trace.parsed()).flows[0]
        self.assertEqual((flow.from_row, flow.from_ts, flow.to_row, flow.to_ts), (1, 50, 2, 60))
        trace = (Trace().process(1, "loop").coroutine(1, 1, "0x1", "consumer", 0, 100)
                 .coroutine(1, 1, "0x1", "consume", 40, 50, state="run")
                 .coroutine(1, 1, "0x2", "producer", 0, 100).flow("0x7", (1, 1, 30), (1, 1, 45)))
        timeline = rows_lib.build(trace.parsed())
        labels = [row.label for row in timeline.rows]
        flow = timeline.flows[0]
        self.assertEqual((labels[flow.from_row], labels[flow.to_row]),
                         ("loop [pid 1]", "consumer (coroutine)"))

    # Chinese labels.
    def test_chinese_labels(self):
        i18n.use(i18n.CHINESE)
        try:
            trace = Trace().process(1, "lock")
            for run in range(2):
                trace.thread(1, 10 + run, "t1").span(1, 10 + run, "loop", "run", 100 * run, 100 * run + 50)
            trace.coroutine(1, 1, "0x1", "hello", 0, 10)
            self.assertEqual(self.labels(trace), ["lock [进程 1]", "hello（协程）", "t1（2 个线程）"])
        finally:
            i18n.use(i18n.ENGLISH)


class GanttTest(unittest.TestCase):
    # Each span is a bar in its state's colour, on its row; the legend names each state
    # that occurs, in the reader's language; rows are labelled top to bottom.
    def test_script(self):
        timeline = rows_lib.build(two_threads().parsed())
        script = gantt.script(timeline, "lock: what ran when", "lock.png")
        bars = script.split("$bars << EOD\n")[1].split("EOD")[0].splitlines()
        colour_of_row = {}
        for bar in bars:
            fields = bar.split()
            colour_of_row.setdefault(int(fields[1]), set()).add(int(fields[6]))
        red, green, orange = (int(gantt.COLOURS[s][1:], 16) for s in ("lock_wait", "run", "join"))
        self.assertEqual(colour_of_row, {0: {orange}, 1: {green}, 2: {green, red}})
        self.assertIn('set ytics ("steps" -1, "lock [pid 1]" 0, "t1" 1, "t2" 2)', script)
        for name in ("running", "waiting for a lock", "waiting for another to end (join)", "moment"):
            self.assertIn(f'title "{name}"', script)
        self.assertNotIn("holding the GIL", script)
        # The lock wait (nested in t2's loop) is drawn after, so over, the loop.
        self.assertLess(bars.index(next(b for b in bars if int(b.split()[6]) == green and b.split()[1] == "2")),
                        bars.index(next(b for b in bars if int(b.split()[6]) == red)))
        self.assertIn('-1 "1. No lock"', script)  # the lesson's step, on a row of its own
        self.assertIn("time since the trace began (ms)", script)


class PropertiesTest(unittest.TestCase):
    def gil(self, turns):
        trace = Trace().process(1, "gil")
        for tid, start, end in turns:
            trace.complete(1, tid, "hold the GIL", "gil", start, end)
        return trace.parsed()

    # One holder at a time, changing hands: shown. Two at once, or never in turn: not.
    def test_gil(self):
        self.assertEqual(properties.gil_taken_in_turn(self.gil([(2, 0, 5), (3, 5, 10), (2, 10, 15)])), [])
        self.assertIn("at the same time", properties.gil_taken_in_turn(
            self.gil([(2, 0, 6), (3, 5, 10), (2, 10, 15)]))[0])
        self.assertIn("in turn", properties.gil_taken_in_turn(self.gil([(2, 0, 5), (2, 5, 10)]))[0])
        self.assertIn("no span holds", properties.gil_taken_in_turn(two_threads().parsed())[0])

    def test_coroutines_overlap(self):
        trace = Trace().process(1, "gather")
        for i in range(3):
            trace.coroutine(1, 1, f"0x{i}", f"hello #{i}", i, 100 + i)
        self.assertEqual(properties.coroutines_overlap(trace.parsed(), 3), [])
        trace = Trace().process(1, "gather")
        for i in range(3):
            trace.coroutine(1, 1, f"0x{i}", f"hello #{i}", 100 * i, 100 * i + 150)
        self.assertIn("at most 2", properties.coroutines_overlap(trace.parsed(), 3)[0])

    def test_parent_waits_for_child(self):
        trace = (Trace().process(1, "join").process(2, "join (child 2)")
                 .span(2, 2, "work", "run", 10, 50).span(1, 1, "join()", "join", 5, 55))
        self.assertEqual(properties.parent_waits_for_child(trace.parsed()), [])
        trace = (Trace().process(1, "join").process(2, "join (child 2)")
                 .span(2, 2, "work", "run", 10, 50).span(1, 1, "join()", "join", 60, 70))
        self.assertIn("no join span", properties.parent_waits_for_child(trace.parsed())[0])
        self.assertIn("only one process",
                      properties.parent_waits_for_child(two_threads().parsed())[0])

    def test_threads_run_at_once(self):
        self.assertEqual(properties.threads_run_at_once(two_threads().parsed()), [])
        trace = (Trace().process(1, "p").span(1, 2, "a", "run", 0, 10)
                 .span(1, 3, "b", "run", 10, 20))
        self.assertTrue(properties.threads_run_at_once(trace.parsed()))


def png_colours(path):
    """The set of (r, g, b) in an 8-bit RGB(A) PNG (what gnuplot's pngcairo writes)."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour_type = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and colour_type in (2, 6), (depth, colour_type)
    channels = 3 if colour_type == 2 else 4
    raw, stride = zlib.decompress(idat), width * channels
    previous, colours = bytearray(stride), set()
    for y in range(height):
        line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        kind, row = line[0], bytearray(line[1:])
        for i in range(stride):
            left = row[i - channels] if i >= channels else 0
            up, up_left = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                row[i] = (row[i] + left) & 255
            elif kind == 2:
                row[i] = (row[i] + up) & 255
            elif kind == 3:
                row[i] = (row[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                row[i] = (row[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)) & 255
        colours.update(tuple(row[x:x + 3]) for x in range(0, stride, channels))
        previous = row
    return colours


class TimelineToolTest(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        self.trace = os.path.join(self.directory, "lock.json")
        with open(self.trace, "w", encoding="utf-8") as f:
            json.dump(two_threads().value(), f)

    def run_tool(self, *flags):
        stdout, stderr = io.StringIO(), io.StringIO()
        status = timeline.main([self.trace, *flags], stdout, stderr)
        i18n.use(i18n.ENGLISH)
        return status, stdout.getvalue(), stderr.getvalue()

    # A real PNG, with a bar in each state's colour.
    def test_draws_the_states(self):
        png = os.path.join(self.directory, "lock.png")
        status, stdout, stderr = self.run_tool(f"--out={png}")
        self.assertEqual(status, 0, stderr)
        self.assertEqual(stdout, f"wrote {png}\n")
        colours = png_colours(png)
        for state in ("run", "lock_wait", "join"):
            rgb = bytes.fromhex(gantt.COLOURS[state][1:])
            self.assertIn(tuple(rgb), colours, state)
        self.assertNotIn(tuple(bytes.fromhex(gantt.COLOURS["gil"][1:])), colours)

    # In Chinese too (the glyphs: look at the PNG; here, that it is drawn).
    def test_chinese(self):
        png = os.path.join(self.directory, "lock.zh.png")
        status, stdout, stderr = self.run_tool(f"--out={png}", "--lang=zh")
        self.assertEqual(status, 0, stderr)
        self.assertEqual(stdout, f"已写入 {png}\n")
        self.assertTrue(os.path.getsize(png) > 1000)

    # --check: valid or not, with each broken rule named.
    def test_check(self):
        status, stdout, _stderr = self.run_tool("--check")
        self.assertEqual((status, stdout), (0, f"{self.trace} is a valid trace (9 events; processes: 1)\n"))
        with open(self.trace, "w", encoding="utf-8") as f:
            json.dump({"traceEvents": [{"ph": "E", "ts": 1, "pid": 1, "tid": 1}]}, f)
        status, _stdout, stderr = self.run_tool("--check")
        self.assertEqual(status, 1)
        self.assertIn("ends no span", stderr)

    # Not a trace, or an unwritable picture: one line, exit 2.
    def test_bad_input(self):
        for flags, expected in (([f"--out={self.directory}/no/such/dir/x.png"], "cannot write"),
                                (["--colour=red"], "unknown flag --colour")):
            with self.subTest(flags=flags):
                with self.assertRaises(SystemExit) as exit_:
                    self.run_tool(*flags)
                self.assertEqual(exit_.exception.code, 2)
        with open(self.trace, "w", encoding="utf-8") as f:
            f.write("[]")
        with self.assertRaises(SystemExit) as exit_:
            self.run_tool()
        self.assertEqual(exit_.exception.code, 2)


if __name__ == "__main__":
    unittest.main()

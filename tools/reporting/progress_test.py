"""Tests for tools/reporting/progress.py: what the user sees while the report runs."""

import io
import unittest

from tools.reporting import progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class ProgressTest(unittest.TestCase):
    # Into a pipe or log: a start line and an end line per step, n of m, total elapsed.
    def test_log_lines(self):
        stream, clock = io.StringIO(), FakeClock()
        p = progress.Progress(None, stream, "report", now=clock)
        p.start("build the C++ programs (2)", "bazel build -c opt")
        p.total = 3
        p.finish("2 of 2 built")
        clock.now += 75
        p.start("C++ cpu_bound", "//efficiency:cpu_bound --json")
        p.tick(5)  # nothing in a log: no carriage returns
        p.finish("ok, 5.0 s")
        self.assertEqual(stream.getvalue(),
                         "report: [1/?] build the C++ programs (2) — bazel build -c opt (total 0:00)\n"
                         "report: [1/?] build the C++ programs (2): 2 of 2 built\n"
                         "report: [2/3] C++ cpu_bound — //efficiency:cpu_bound --json (total 1:15)\n"
                         "report: [2/3] C++ cpu_bound: ok, 5.0 s\n")

    # On a terminal the step's line is redrawn with its elapsed time, then replaced by
    # the result.
    def test_terminal_redraws(self):
        stream, clock = Terminal(), FakeClock()
        p = progress.Progress(2, stream, "report", now=clock)
        p.start("CPython io_bound")
        clock.now += 3661
        p.tick(3661)
        p.finish("ok, 3661.0 s")
        self.assertEqual(stream.getvalue(),
                         "\r\033[K[1/2] CPython io_bound ... (total 0:00)"
                         "\r\033[K[1/2] CPython io_bound ... 1:01:01 (total 1:01:01)"
                         "\r\033[Kreport: [1/2] CPython io_bound: ok, 3661.0 s\n")


if __name__ == "__main__":
    unittest.main()

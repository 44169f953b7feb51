"""Tests for the CPython programs in tools/python/: at tiny sizes each one runs every mode,
prints one JSON object the report reads, and rejects bad flags with exit status 2.
(No timing is asserted: that is what the report measures.)"""

import os
import subprocess
import sys
import unittest

from tools.reporting import experiments
from tools.reporting import schema

DIRECTORY = os.path.dirname(os.path.abspath(__file__))


def run(script, *flags, language="en"):
    return subprocess.run([sys.executable, os.path.join(DIRECTORY, script), *flags],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=120, check=False, env=dict(os.environ, LANGUAGE=language))


class ProgramsTest(unittest.TestCase):
    def measured(self, script, *flags):
        result = run(script, *flags, "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        return schema.parse(result.stdout, experiments.EXPERIMENT_JSON)

    # run1/run2: single, threads, processes; single's speedup is 1 by definition.
    def test_cpu_bound(self):
        m = self.measured("cpu_bound.py", "--iterations=1000", "--repeats=2")
        self.assertEqual(m.experiment, "cpu_bound")
        self.assertEqual([(r.mode, r.workers) for r in m.results],
                         [("single", 1), ("threads", 2), ("processes", 2)])
        self.assertEqual(m.results[0].speedup, 1.0)
        for r in m.results:
            self.assertLessEqual(r.min, r.seconds)
            self.assertLessEqual(r.seconds, r.max)
        self.assertIn("2 loops of 1,000 empty iterations", m.work)

    # The one sentence the report shows, the work, is in both languages ("work_in": the
    # report writes both READMEs from one run), translated by the project's catalog;
    # "work" is the one in the reader's language (the report exports LANGUAGE).
    def test_work_in_each_language(self):
        english = "2 loops of 1,000 empty iterations, median of 1"
        chinese = "2 个 1,000 次的空循环，取 1 次的中位数"
        for language, work in (("zh_CN", chinese), ("en", english)):
            with self.subTest(language=language):
                result = run("cpu_bound.py", "--iterations=1000", "--repeats=1", "--json",
                             language=language)
                self.assertEqual(result.returncode, 0, result.stderr)
                m = schema.parse(result.stdout, experiments.EXPERIMENT_JSON)
                self.assertEqual(m.work, work)
                self.assertEqual(m.work_in, {"en": english, "zh": chinese})
        for script, flags, chinese in (
                ("io_bound.py", ["--sleep=0.001", "--repeats=1"],
                 "2 个任务，每个睡眠 3 次、每次 0.001 秒，取 1 次的中位数"),
                ("gather.py", ["--coroutines=2", "--threads=2", "--sleep=0.01"],
                 "2 个协程对比 2 个线程，每个同时等待 0.01 秒")):
            with self.subTest(script=script):
                result = run(script, *flags, "--json")
                self.assertEqual(result.returncode, 0, result.stderr)
                m = schema.parse(result.stdout, experiments.EXPERIMENT_JSON)
                self.assertEqual(m.work_text("zh"), chinese)
                self.assertEqual(m.work, m.work_text("en"))

    # run3/run4, plus asyncio coroutines; every mode really sleeps: 3 sleeps per job, so
    # even the concurrent modes take at least 3 of them.
    def test_io_bound(self):
        m = self.measured("io_bound.py", "--sleep=0.01", "--repeats=1")
        self.assertEqual([r.mode for r in m.results], ["single", "threads", "processes", "coroutines"])
        self.assertGreaterEqual(m.results[0].seconds, 2 * 3 * 0.01)
        for r in m.results[1:]:
            self.assertGreaterEqual(r.seconds, 3 * 0.01)

    # Many concurrent waits as coroutines and as threads, with the memory each needed.
    def test_gather(self):
        m = self.measured("gather.py", "--coroutines=60", "--threads=20", "--sleep=0.05")
        self.assertEqual([(r.mode, r.workers) for r in m.results],
                         [("coroutines", 60), ("threads", 20)])
        for r in m.results:
            self.assertGreaterEqual(r.seconds, 0.05)
            self.assertGreater(r.peak_rss_bytes, 0)
            self.assertIsNotNone(r.bytes_per_worker)
            self.assertIsNone(r.speedup)

    # Without --json: a readable table, not JSON.
    def test_table(self):
        result = run("io_bound.py", "--sleep=0.001", "--repeats=1")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("coroutines", result.stdout)
        self.assertFalse(result.stdout.startswith("{"))

    # Bad flags: one line naming the flag and the range, exit status 2.
    def test_bad_flags(self):
        for script, flag, expected in (
                ("cpu_bound.py", "--iterations=0", "allowed: 1 to 10000000000"),
                ("cpu_bound.py", "--workers=1000", "allowed: 1 to 64"),
                ("io_bound.py", "--sleep=-1", "allowed: 0.001 to 10.0"),
                ("io_bound.py", "--repeats=many", "'many' is not a number"),
                ("gather.py", "--threads=1000000", "allowed: 1 to 20000"),
                ("gather.py", "--coroutines=0", "allowed: 1 to 100000"),
                ("gather.py", "--bogus", "unrecognized arguments: --bogus")):
            with self.subTest(script=script, flag=flag):
                result = run(script, flag)
                self.assertEqual(result.returncode, 2)
                self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
                self.assertIn(expected, result.stderr)
                self.assertEqual(result.stdout, "")


if __name__ == "__main__":
    unittest.main()

"""Tests for tools/reporting/schema.py: what the report accepts, and what it says when it
does not."""

import os
import unittest

from tools.reporting import experiments
from tools.reporting import schema

TESTDATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "testdata")


def fixture(name):
    with open(os.path.join(TESTDATA, name), encoding="utf-8") as f:
        return f.read()


class SchemaTestCase(unittest.TestCase):
    def reason(self, stdout, output_format=experiments.EXPERIMENT_JSON):
        """The BadOutput message parse() gives for `stdout`."""
        with self.assertRaises(schema.BadOutput) as caught:
            schema.parse(stdout, output_format)
        return str(caught.exception)


ROW = '{"mode": "single", "workers": 1, "seconds": 1, "min": 1, "max": 1, "speedup": 1}'


class ExperimentJsonTest(SchemaTestCase):
    # A well-formed experiment is read field by field; optional fields are kept.
    def test_reads_every_field(self):
        m = schema.parse(fixture("scale.cpp.json"), experiments.EXPERIMENT_JSON)
        self.assertEqual(m.experiment, "scale")
        self.assertEqual([r.mode for r in m.results], ["coroutines", "threads"])
        self.assertEqual(m.results[0].workers, 10000)
        self.assertIsNone(m.results[0].speedup)
        self.assertEqual(m.results[1].bytes_per_worker, 40960)
        self.assertEqual(m.raw["results"][0]["peak_rss_bytes"], 6000000)

    # The optional "work" description is read when present, and "work_in" (the work in
    # each language) too; a language "work_in" lacks, or no "work_in", gives "work".
    def test_reads_work(self):
        m = schema.parse(fixture("cpu_bound.cpp.json"), experiments.EXPERIMENT_JSON)
        self.assertEqual(m.work, "2 loops of 10^9 iterations")
        self.assertEqual(m.work_text("en"), "2 loops of 10^9 iterations")
        self.assertEqual(m.work_text("zh"), "2 个 10^9 次的循环")
        m = schema.parse(fixture("cpu_bound.cpython.json"), experiments.EXPERIMENT_JSON)
        self.assertEqual(m.work_text("zh"), "2 loops of 30,000,000 empty iterations, median of 3")
        m = schema.parse('{"experiment": "x", "work": "w", "work_in": {"en": "w", "zh": 3}, '
                         '"results": [%s]}' % ROW, experiments.EXPERIMENT_JSON)
        self.assertEqual((m.work_text("en"), m.work_text("zh")), ("w", "w"))

    # Each way an experiment's output can be wrong gets its own explanation.
    def test_names_the_problem(self):
        self.assertIn("printed nothing", self.reason("  \n"))
        self.assertIn("does not start with a JSON object", self.reason("Title\n{}"))
        self.assertIn("not valid JSON", self.reason('{"experiment": '))
        self.assertIn("more after the JSON object", self.reason('{"a": 1}\nWhat to notice'))
        self.assertIn('no "experiment"', self.reason('{"results": []}'))
        self.assertIn('no "results"', self.reason('{"experiment": "x", "results": []}'))
        self.assertIn('results[0] has no "speedup"', self.reason(
            '{"experiment": "x", "results": [{"mode": "a", "workers": 1, "seconds": 1,'
            ' "min": 1, "max": 1}]}'))
        self.assertIn("results[1].workers", self.reason(
            '{"experiment": "x", "results": [%s, %s]}' % (ROW, ROW.replace('"workers": 1', '"workers": -2'))))
        self.assertIn("results[0].seconds is \"fast\"", self.reason(
            '{"experiment": "x", "results": [%s]}' % ROW.replace('"seconds": 1', '"seconds": "fast"')))

    # null is a legal number (the lessons write NaN as null); NaN itself is not JSON.
    def test_null_is_accepted_nan_is_not(self):
        m = schema.parse('{"experiment": "x", "results": [%s]}' % ROW.replace('"speedup": 1', '"speedup": null'),
                         experiments.EXPERIMENT_JSON)
        self.assertIsNone(m.results[0].speedup)
        self.assertIn("not a number", self.reason(
            '{"experiment": "x", "results": [%s]}' % ROW.replace('"speedup": 1', '"speedup": NaN')))


class BenchmarkJsonTest(SchemaTestCase):
    # Google Benchmark's JSON is read; a summary line printed after it is tolerated.
    def test_reads_benchmarks(self):
        m = schema.parse(fixture("costs.benchmark.json") + "thread/coroutine switch: 120x\n",
                         experiments.BENCHMARK_JSON)
        self.assertEqual([b.name for b in m.benchmarks],
                         ["BM_ThreadCreateJoin/real_time", "BM_CoroutineResume"])
        self.assertEqual(m.benchmarks[0].real_time, 25000.5)
        self.assertEqual(m.benchmarks[1].time_unit, "ns")

    # A benchmark that reported an error keeps its message.
    def test_error_is_kept(self):
        m = schema.parse('{"benchmarks": [{"name": "BM_Fork", "error_occurred": true,'
                         ' "error_message": "fork failed"}]}', experiments.BENCHMARK_JSON)
        self.assertEqual(m.benchmarks[0].error, "fork failed")

    def test_not_benchmark_json(self):
        self.assertIn('no "benchmarks"', self.reason(fixture("scale.cpp.json"), experiments.BENCHMARK_JSON))
        self.assertIn("ran no benchmark", self.reason('{"benchmarks": []}', experiments.BENCHMARK_JSON))


if __name__ == "__main__":
    unittest.main()

"""Tests for tools/reporting/tables.py: fixed JSON in, the exact Markdown out."""

import re
import unittest

from tools import i18n
from tools import text
from tools.reporting import experiments as e
from tools.reporting import fixtures
from tools.reporting import tables
from tools.reporting.schema import Result


def flat(text):
    """Tables are padded to line up in a terminal; most tests read them with single spaces."""
    return re.sub(r" {2,}", " ", text)


def setUpModule():
    i18n.use(i18n.ENGLISH)


def cpu_bound_outcomes():
    return [fixtures.ok("cpu_bound", e.CPP, "cpu_bound.cpp.json"),
            fixtures.ok("cpu_bound", e.CPYTHON, "cpu_bound.cpython.json")]


class ComparisonTableTest(unittest.TestCase):
    # C++, CPython and the tutorial side by side, matched by mode; a mode only C++ has
    # (tbb) gets dashes in the other columns.
    def test_cpu_bound_three_columns(self):
        self.assertEqual(tables.comparison_table(fixtures.experiment("cpu_bound"), cpu_bound_outcomes()),
                         "| mode      | workers | C++ (this machine) | CPython 3.11.7 (this machine) "
                         "| tutorial (published) |\n"
                         "|-----------|---------|--------------------|-------------------------------"
                         "|----------------------|\n"
                         "| single    | 1       | 1.00 s · 1.00×     | 1.50 s · 1.00×                "
                         "| 46.8 s · 1.00×       |\n"
                         "| threads   | 2       | 0.520 s · 1.92×    | 1.60 s · 0.94×                "
                         "| 43.9 s · 1.07×       |\n"
                         "| processes | 2       | 0.540 s · 1.85×    | 0.800 s · 1.88×               "
                         "| 23.3 s · 2.01×       |\n"
                         "| tbb       | 2       | 0.500 s · 2.00×    | —                             "
                         "| —                    |")

    # In Chinese the columns still line up in a terminal: padded by display width, a
    # Chinese character counting two columns.
    def test_chinese_table_lines_up(self):
        i18n.use(i18n.CHINESE)
        try:
            table = tables.comparison_table(fixtures.experiment("cpu_bound"), cpu_bound_outcomes())
        finally:
            i18n.use(i18n.ENGLISH)
        lines = table.splitlines()
        self.assertIn("（本机）", lines[0])
        widths = {tuple(text.width(cell) for cell in line.split("|")) for line in lines}
        self.assertEqual(len(widths), 1, table)

    # The tutorial's speedups are computed from its published seconds.
    def test_tutorial_speedups(self):
        io = tables.tutorial_results(fixtures.experiment("io_bound"))
        self.assertEqual([(r.mode, r.workers, r.seconds) for r in io],
                         [("single", 1, 18.0), ("threads", 2, 9.0), ("processes", 2, 9.1)])
        self.assertAlmostEqual(io[1].speedup, 2.0)
        self.assertAlmostEqual(io[2].speedup, 18.0 / 9.1)

    # When C++ is missing, the table still shows CPython and the tutorial.
    def test_missing_cpp_keeps_other_columns(self):
        outcomes = [fixtures.failed("cpu_bound", e.CPP, "failed to build"),
                    fixtures.ok("cpu_bound", e.CPYTHON, "cpu_bound.cpython.json")]
        table = flat(tables.comparison_table(fixtures.experiment("cpu_bound"), outcomes))
        self.assertIn("| threads | 2 | — | 1.60 s · 0.94× | 43.9 s · 1.07× |", table)

    # Memory per worker is shown where the experiment measured it.
    def test_scale_shows_memory(self):
        outcomes = [fixtures.ok("scale", e.CPP, "scale.cpp.json"),
                    fixtures.ok("scale", e.CPYTHON, "scale.cpython.json")]
        table = flat(tables.comparison_table(fixtures.experiment("scale"), outcomes))
        self.assertIn("| coroutines | 10000 | 1.01 s · 200 B each | 1.20 s · 1.50 KiB each |", table)
        self.assertIn("| threads | 10000 | 1.50 s · 40.0 KiB each | 3.00 s · 16.0 KiB each |", table)


class RowMatchingTest(unittest.TestCase):
    def rows(self, cpp_results):
        outcome = fixtures.ok("cpu_bound", e.CPP, "cpu_bound.cpp.json")
        outcome.measurement.results = cpp_results
        return tables.comparison_rows(fixtures.experiment("cpu_bound"), [outcome])

    # On a 4-core machine C++ may use 4 workers; the tutorial's 2-worker row of the same
    # mode still lines up, and its cell says its own worker count.
    def test_same_mode_other_workers_lines_up(self):
        rows = self.rows([Result("single", 1, 1.0, 1.0, 1.0, 1.0),
                          Result("threads", 4, 0.26, 0.25, 0.3, 3.85)])
        self.assertEqual([(r.mode, r.workers, sorted(r.cells)) for r in rows],
                         [("single", 1, ["C++", "tutorial"]), ("threads", 4, ["C++", "tutorial"]),
                          ("processes", 2, ["tutorial"])])
        self.assertEqual(tables.cell_text(rows[1].cells["tutorial"], rows[1].workers),
                         "43.9 s · 1.07× · 2 workers")

    # Two C++ rows of one mode (a worker sweep) are not merged with each other.
    def test_worker_sweep_keeps_rows_apart(self):
        rows = self.rows([Result("single", 1, 1.0, 1.0, 1.0, 1.0),
                          Result("threads", 2, 0.5, 0.5, 0.5, 2.0),
                          Result("threads", 8, 0.5, 0.5, 0.5, 2.0)])
        self.assertEqual([(r.mode, r.workers) for r in rows],
                         [("single", 1), ("threads", 2), ("threads", 8), ("processes", 2)])
        self.assertNotIn("tutorial", rows[2].cells)


class OtherTablesTest(unittest.TestCase):
    # Google Benchmark times are shown in the unit that reads best.
    def test_benchmark_table(self):
        outcome = fixtures.ok("costs", e.CPP, "costs.benchmark.json", e.BENCHMARK_JSON)
        self.assertEqual(flat(tables.benchmark_table(outcome)),
                         "| benchmark | wall time per iteration | CPU time per iteration |\n"
                         "|-------------------------------|-------------------------|"
                         "------------------------|\n"
                         "| BM_ThreadCreateJoin/real_time | 25.0 µs | 12.0 µs |\n"
                         "| BM_CoroutineResume | 3.25 ns | 3.25 ns |")

    # The detail table has every figure a run reported, spread included.
    def test_detail_table(self):
        detail = flat(tables.detail_table(fixtures.ok("scale", e.CPP, "scale.cpp.json")))
        self.assertIn("| coroutines | 10000 | 1.01 s | 1.01–1.02 | — | 5.72 MiB | 200 B |", detail)

    # The work note says what each column computed and to compare ratios.
    def test_work_note(self):
        note = tables.work_note(fixtures.experiment("cpu_bound"), cpu_bound_outcomes())
        self.assertIn("C++: 2 loops of 10^9 iterations", note)
        self.assertIn("tutorial: 2 loops of 10^9 empty iterations", note)
        self.assertIn("compare the ratios", note)

    # In Chinese the note takes each run's Chinese work ("work_in"), where the run gave one.
    def test_work_note_in_chinese(self):
        i18n.use(i18n.CHINESE)
        try:
            note = tables.work_note(fixtures.experiment("cpu_bound"), cpu_bound_outcomes())
        finally:
            i18n.use(i18n.ENGLISH)
        self.assertIn("2 个 10^9 次的循环", note)
        self.assertNotIn("2 loops of 10^9 iterations", note)
        # The CPython fixture has no "work_in": its "work" is shown as it is.
        self.assertIn("2 loops of 30,000,000 empty iterations", note)


class SummaryTest(unittest.TestCase):
    # A failed experiment is named with its reason, and the others are still
    # shown in full.
    def test_failure_does_not_hide_others(self):
        selected = [fixtures.experiment(n) for n in ("cpu_bound", "gil", "costs")]
        outcomes = cpu_bound_outcomes() + [
            fixtures.failed("gil", e.CPP, "exited with status 3: boom"),
            fixtures.failed("costs", e.CPP, "failed to build: no such target")]
        summary = flat(tables.summary(selected, outcomes))
        self.assertIn("| tbb | 2 | 0.500 s · 2.00× | — | — |", summary)
        self.assertIn("**Not measured:** C++ `//fake:gil`: failed — exited with status 3: boom", summary)
        self.assertIn("**Not measured:** C++ `//fake:costs`: failed — failed to build", summary)
        self.assertEqual([o.experiment for o in tables.problems(outcomes)], ["gil", "costs"])


class WarningsTest(unittest.TestCase):
    # The rows a warning affects are marked with its number; the warnings are listed
    # under the table with what they mean and the run's own sentence.
    def test_marks_and_note(self):
        outcomes = [fixtures.ok("cpu_bound", e.CPP, "cpu_bound.warnings.json")]
        experiment = fixtures.experiment("cpu_bound")
        table = flat(tables.comparison_table(experiment, outcomes))
        self.assertIn("| single | 1 | 1.00 s · 1.00× |", table)
        self.assertIn("| threads ⚠1 | 2 |", table)
        self.assertIn("| tbb ⚠1,2 | 2 |", table)
        self.assertIn("| processes ⚠1 | 2 | 0.950 s · 1.05× | — | 23.3 s · 2.01× |", table)
        note = tables.warnings_note(experiment, outcomes)
        self.assertIn("1. C++, threads, processes, tbb: the machine was busy with other work "
                      "(`busy_machine`) — The machine was busy: 1.2 of 2 cores", note)
        self.assertNotIn("The machine was busy", tables.warnings_note(experiment, outcomes,
                                                                      with_messages=False))

    # A warning with no modes touches every row; a run without warnings has no note.
    def test_whole_run_and_none(self):
        outcome = fixtures.ok("cpu_bound", e.CPP, "cpu_bound.warnings.json")
        outcome.measurement.warnings = outcome.measurement.warnings[:1]
        outcome.measurement.warnings[0].modes = []
        table = flat(tables.comparison_table(fixtures.experiment("cpu_bound"), [outcome]))
        self.assertIn("| single ⚠1 |", table)
        self.assertIn("every row", tables.warnings_note(fixtures.experiment("cpu_bound"), [outcome]))
        self.assertEqual(tables.warnings_note(fixtures.experiment("cpu_bound"), cpu_bound_outcomes()), "")


if __name__ == "__main__":
    unittest.main()

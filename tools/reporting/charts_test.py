"""Tests for tools/reporting/charts.py: the chart data from fixed JSON, and that gnuplot
really renders the scripts (gnuplot-nox comes from tools/setup.sh)."""

import os
import shutil
import tempfile
import unittest

from tools import gnuplot
from tools import i18n
from tools.reporting import charts
from tools.reporting import experiments as e
from tools.reporting import fixtures


def outcomes():
    return [fixtures.ok("cpu_bound", e.CPP, "cpu_bound.cpp.json"),
            fixtures.ok("cpu_bound", e.CPYTHON, "cpu_bound.cpython.json"),
            fixtures.ok("scale", e.CPP, "scale.cpp.json"),
            fixtures.ok("scale", e.CPYTHON, "scale.cpython.json")]


def setUpModule():
    i18n.use(i18n.ENGLISH)


class ChartDataTest(unittest.TestCase):
    # Speedup by mode: one column per source, "-" where a source has no such mode.
    def test_speedup_data(self):
        chart = charts.speedup_chart(fixtures.experiment("cpu_bound"), outcomes())
        self.assertEqual(chart.name, "speedup_cpu_bound")
        self.assertEqual(chart.data_text(),
                         "# label\tC++\tCPython\ttutorial\n"
                         '"single (1)"\t1\t1\t1\n'
                         '"threads (2)"\t1.923\t0.9375\t1.06606\n'
                         '"processes (2)"\t1.852\t1.875\t2.00858\n'
                         '"tbb (2)"\t2\t-\t-\n')

    # An experiment that reports no speedup (scale) gets no speedup chart.
    def test_no_speedup_no_chart(self):
        self.assertIsNone(charts.speedup_chart(fixtures.experiment("scale"), outcomes()))

    # Memory per coroutine vs per thread, in KiB, one row per run that measured it.
    def test_memory_data(self):
        chart = charts.memory_chart([fixtures.experiment("cpu_bound"), fixtures.experiment("scale")],
                                    outcomes())
        self.assertEqual(chart.data_text(),
                         "# label\tcoroutine\tthread\n"
                         '"C++ scale"\t0.195312\t40\n'
                         '"CPython scale"\t1.5\t16\n')
        self.assertTrue(chart.log_scale)

    # One chart per experiment with speedups, plus the memory chart.
    def test_all_charts(self):
        names = [c.name for c in charts.all_charts(
            [fixtures.experiment(n) for n in ("cpu_bound", "scale", "costs")], outcomes())]
        self.assertEqual(names, ["speedup_cpu_bound", "memory"])

    # The script plots every column and labels every bar.
    def test_script(self):
        chart = charts.speedup_chart(fixtures.experiment("cpu_bound"), outcomes())
        script = charts.gnuplot_script(chart)
        self.assertIn('set output "speedup_cpu_bound.png"', script)
        for column in (2, 3, 4):
            self.assertIn(f"using {column}", script)
            self.assertIn(f"${column})) with labels", script)


class LanguageTest(unittest.TestCase):
    # In Chinese the titles, axis and series are Chinese, drawn in a font with Chinese
    # glyphs (fonts-noto-cjk, from tools/setup.sh); the data stays the same.
    def test_chinese_chart(self):
        i18n.use(i18n.CHINESE)
        try:
            chart = charts.speedup_chart(fixtures.experiment("cpu_bound"), outcomes())
            script = charts.gnuplot_script(chart)
        finally:
            i18n.use(i18n.ENGLISH)
        self.assertIn("加速比", script)
        self.assertIn('"教程"', script)
        self.assertNotIn("speedup over single", script)
        self.assertNotEqual(gnuplot.chinese_font(), "", "no font with Chinese glyphs: run "
                            "tools/setup.sh (fonts-noto-cjk)")
        self.assertIn(f'font "{gnuplot.chinese_font()},', script)

    # A chart whose runs warned marks the affected modes and says so in its title.
    def test_warnings_marked(self):
        chart = charts.speedup_chart(fixtures.experiment("cpu_bound"),
                                     [fixtures.ok("cpu_bound", e.CPP, "cpu_bound.warnings.json")])
        self.assertEqual([label for label, _values in chart.rows],
                         ["single (1)", "threads (2) *", "processes (2) *", "tbb (2) *"])
        self.assertIn("* warnings (busy_machine, implausible)", chart.title)


class RenderTest(unittest.TestCase):
    # gnuplot turns the scripts into PNG files (the real tool, not a stand-in).
    def test_renders_png(self):
        self.assertIsNotNone(shutil.which("gnuplot"), "gnuplot is missing: run tools/setup.sh")
        selected = [fixtures.experiment(n) for n in ("cpu_bound", "scale")]
        with tempfile.TemporaryDirectory(dir=os.environ.get("TEST_TMPDIR")) as directory:
            made, errors = charts.render(charts.all_charts(selected, outcomes()), directory)
            self.assertEqual(errors, [])
            self.assertEqual(sorted(os.path.basename(p) for p in made),
                             ["memory.png", "speedup_cpu_bound.png"])
            for path in made:
                with open(path, "rb") as png:
                    self.assertEqual(png.read(8), b"\x89PNG\r\n\x1a\n")


if __name__ == "__main__":
    unittest.main()

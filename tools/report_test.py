"""Tests for tools/report.py as a whole, on fake experiments (small shell scripts that
print a fixture, write a trace, fail, hang or misbehave), so no real experiment and no
Bazel runs; in English and in Chinese."""

import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import unittest

from tools import i18n
from tools import report
from tools import workspace
from tools.reporting import fixtures

# Every fake program starts with this: given --trace=PATH, it writes a small valid trace.
TRACE_PRELUDE = """#!/bin/sh
for a in "$@"; do
  case "$a" in --trace=*) cp '{trace}' "${{a#--trace=}}" ;; esac
done
""".format(trace=os.path.join(fixtures.TESTDATA, "two_threads.trace.json"))

# The timelines' programs that are not experiments of their own.
TIMELINE_PROGRAMS = {"//coroutine:gather": "echo gathered\n"}


def prints(fixture_name):
    return f"cat '{os.path.join(fixtures.TESTDATA, fixture_name)}'\n"


def flat(text):
    """Tables are padded to line up in a terminal; the tests read them with single spaces."""
    return re.sub(r" {2,}", " ", text)


class FakeEnvironment:
    """Programs are shell scripts written into a temporary folder. `programs` maps a
    Bazel label to the script's body, or to None for a target that fails to build;
    `python_programs` maps a tools/python/ script name to its Python source."""

    def __init__(self, directory, programs, python_programs):
        self.workspace = directory
        self.python = sys.executable
        self.python_directory = os.path.join(directory, "python")
        self.bazel_flags = "fake"
        self.programs = dict(TIMELINE_PROGRAMS, **programs)
        self.built = []
        os.makedirs(self.python_directory, exist_ok=True)
        for name, source in python_programs.items():
            with open(os.path.join(self.python_directory, name), "w", encoding="utf-8") as f:
                f.write(source)

    def build_all(self, labels, on_tick=None):
        return {label: self.build(label) for label in labels}

    def build(self, label):
        self.built.append(label)
        if self.programs.get(label) is None:
            return workspace.Built(label, error="failed to build: no such target")
        path = os.path.join(self.workspace, label.replace("/", "_").replace(":", "_"))
        with open(path, "w", encoding="utf-8") as f:
            f.write(TRACE_PRELUDE + self.programs[label])
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
        return workspace.Built(label, path=path)

    def cwd_for(self, binary):
        return None

    def machine(self):
        return [("date", "2026-01-01 00:00:00 UTC"), ("cores", "2 online, 2 usable")]

    def busy_warning(self):
        return ""


def python_printing(fixture_name):
    return f"print(open({os.path.join(fixtures.TESTDATA, fixture_name)!r}).read())\n"


def gone(pid, seconds=10):
    """True once `pid` no longer exists (killed processes are reaped by init, not us)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


class ReportTestCase(unittest.TestCase):
    def setUp(self):
        i18n.use(i18n.ENGLISH)
        self.directory = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        self.out = os.path.join(self.directory, "out")

    def tearDown(self):
        i18n.use(i18n.ENGLISH)
        shutil.rmtree(self.directory, ignore_errors=True)

    def run_report(self, flags, programs, python_programs=None):
        """Runs report.main in-process; returns (exit status, stdout, stderr, environment)."""
        environment = FakeEnvironment(os.path.join(self.directory, "ws"), programs,
                                      python_programs or {})
        stdout, stderr = io.StringIO(), io.StringIO()
        status = report.main(flags + [f"--out={self.out}"], environment, stdout, stderr)
        return status, stdout.getvalue(), stderr.getvalue(), environment

    def runs(self):
        with open(os.path.join(self.out, "raw", "runs.json"), encoding="utf-8") as f:
            return {(r["experiment"], r["source"]): r for r in json.load(f)}

    def markdown(self):
        with open(os.path.join(self.out, "report.md"), encoding="utf-8") as f:
            return f.read()


ALL_PROGRAMS = {"//efficiency:cpu_bound": prints("cpu_bound.cpp.json"),
                "//efficiency:io_bound": prints("cpu_bound.cpp.json"),
                "//efficiency:gil": prints("cpu_bound.cpp.json"),
                "//efficiency:tbb": prints("cpu_bound.cpp.json"),
                "//efficiency:processes_and_coroutines": prints("cpu_bound.cpp.json"),
                "//coroutine:scale": prints("scale.cpp.json"),
                "//efficiency:mpi": prints("mpi.cpp.json"),
                "//efficiency:costs": prints("costs.benchmark.json")}
ALL_PYTHON = {"cpu_bound.py": python_printing("cpu_bound.cpython.json"),
              "io_bound.py": python_printing("cpu_bound.cpython.json"),
              "gather.py": python_printing("scale.cpython.json")}


class FailureTest(ReportTestCase):
    # One experiment fails, one hangs, one prints garbage, one does not build: each is
    # named with its reason, and every other experiment is still measured and reported.
    def test_failures_do_not_hide_the_others(self):
        status, stdout, stderr, _ = self.run_report(["--timeout=2"], {
            "//efficiency:cpu_bound": prints("cpu_bound.cpp.json"),
            "//efficiency:io_bound": "sleep 60\n",
            "//efficiency:gil": "echo 'gil: the lock broke' >&2\nexit 3\n",
            "//efficiency:tbb": "echo 'Title: TBB'\necho '{\"experiment\": \"tbb\"}'\n",
            "//efficiency:processes_and_coroutines": None,
            "//coroutine:scale": prints("scale.cpp.json"),
            "//efficiency:mpi": prints("mpi.cpp.json"),
            "//efficiency:costs": prints("costs.benchmark.json"),
        }, {
            "cpu_bound.py": python_printing("cpu_bound.cpython.json"),
            "io_bound.py": "import sys\nsys.exit('io_bound.py: no sleep today')\n",
            "gather.py": python_printing("scale.cpython.json"),
        })
        self.assertEqual(status, 1)
        # The experiments that worked are all in the table printed to the terminal.
        stdout = flat(stdout)
        self.assertIn("| threads | 2 | 0.520 s · 1.92× | 1.60 s · 0.94× | 43.9 s · 1.07× |", stdout)
        self.assertIn("| threads | 10000 | 1.50 s · 40.0 KiB each | 3.00 s · 16.0 KiB each |", stdout)
        self.assertIn("| BM_CoroutineResume | 3.25 ns | 3.25 ns |", stdout)
        # Each failure says which program and why.
        for expected in (
                "C++ `//efficiency:io_bound`: failed — timed out after 2 s (killed)",
                "CPython `tools/python/io_bound.py`: failed — exited with status 1: "
                "io_bound.py: no sleep today",
                "C++ `//efficiency:gil`: failed — exited with status 3: gil: the lock broke",
                "C++ `//efficiency:tbb`: failed — bad JSON: stdout does not start with a JSON "
                "object: 'Title: TBB'",
                "C++ `//efficiency:processes_and_coroutines`: failed — failed to build: no such target"):
            self.assertIn(expected, stdout)
            self.assertIn(expected, stderr)
        self.assertIn("report: 5 of 11 runs produced no figures:", stderr)
        # n of m counts the steps that happen: the build, 7 C++ programs, 3 CPython ones,
        # 5 timelines.
        self.assertIn("report: [11/16] C++ costs", stderr)
        self.assertIn("report: [15/16] timeline gather", stderr)
        # MPI: its 1-rank / 2-rank rows, and what a message cost, by method and size.
        self.assertIn("| ranks | 2 |", stdout)
        self.assertRegex(stdout, r"\| 8 B \| [0-9.]+ µs · [0-9.]+ MB/s \| [0-9.]+ µs")
        # The hung io_bound's timeline still ran (and timed out too): named, not hidden.
        self.assertIn("timeline io_bound not drawn: timed out after 2 s (killed)", stderr)
        # The folder has everything: report.md, raw JSON of the good runs, the output of
        # the bad ones, charts, and an index of every run.
        markdown = flat(self.markdown())
        self.assertIn("| tbb | 2 | 0.500 s · 2.00× | — | — |", markdown)
        self.assertIn("## Machine", markdown)
        self.assertIn("C++ `//efficiency:gil`: failed — exited with status 3", markdown)
        runs = self.runs()
        self.assertEqual(runs[("cpu_bound", "C++")]["status"], "ok")
        self.assertEqual(runs[("cpu_bound", "C++")]["file"], "raw/cpu_bound.cpp.json")
        self.assertEqual(runs[("gil", "C++")]["status"], "failed")
        self.assertEqual(runs[("processes_and_coroutines", "C++")]["status"], "failed")
        with open(os.path.join(self.out, "logs", "gil.cpp.stderr.txt"), encoding="utf-8") as f:
            self.assertEqual(f.read(), "gil: the lock broke\n")
        with open(os.path.join(self.out, "raw", "scale.cpython.json"), encoding="utf-8") as f:
            self.assertEqual(json.load(f)["results"][1]["bytes_per_worker"], 16384)
        if shutil.which("gnuplot"):
            for chart in ("speedup_cpu_bound.png", "memory.png", "timeline_cpu_bound.png",
                          "timeline_gather.png", "speedup_mpi.png", "parallel.png",
                          "communication.png"):
                self.assertTrue(os.path.isfile(os.path.join(self.out, "charts", chart)), chart)

    # An experiment that leaves a process behind has not ended cleanly: a failure, and
    # the leftover is killed, not left running.
    def test_leftover_process_is_a_failure(self):
        marker = os.path.join(self.directory, "leftover.pid")
        status, stdout, _, _ = self.run_report(["--only=tbb"], {
            "//efficiency:tbb": f"sleep 60 > /dev/null 2>&1 &\necho $! > '{marker}'\n"
                                + prints("cpu_bound.cpp.json")})
        self.assertEqual(status, 1)
        self.assertIn("left processes running (they were killed)", stdout)
        with open(marker, encoding="utf-8") as f:
            pid = int(f.read())
        self.assertTrue(gone(pid), f"leftover process {pid} is still running")


class InterruptTest(ReportTestCase):
    # Ctrl-C during a run stops that program (killed, not left running), marks it and the
    # runs after it as not run, and returns what ran.
    def test_ctrl_c_stops_the_run(self):
        marker = os.path.join(self.directory, "running.pid")
        environment = FakeEnvironment(os.path.join(self.directory, "ws"), {
            "//efficiency:cpu_bound": f"echo $$ > '{marker}'\nexec sleep 60\n"},
            {"cpu_bound.py": python_printing("cpu_bound.cpython.json")})

        class CtrlC(report.progress_lib.Progress):
            def tick(self, elapsed):
                if os.path.exists(marker):
                    raise KeyboardInterrupt

        selected = report.catalogue.select(["cpu_bound"])
        progress = CtrlC(None, io.StringIO())
        built = environment.build_all([e.cpp.target for e in selected])
        outcomes, interrupted = report.run_all(selected, environment, False, 60, progress, built)
        self.assertTrue(interrupted)
        self.assertEqual([(o.source, o.status) for o in outcomes],
                         [("C++", "not run"), ("CPython", "not run")])
        with open(marker, encoding="utf-8") as f:
            self.assertTrue(gone(int(f.read())), "the interrupted program is still running")


class SuccessTest(ReportTestCase):
    # When everything selected works, the exit status is 0 and only it was built.
    def test_all_ok(self):
        status, stdout, stderr, environment = self.run_report(
            ["--only=cpu_bound"], {"//efficiency:cpu_bound": prints("cpu_bound.cpp.json")},
            {"cpu_bound.py": python_printing("cpu_bound.cpython.json")})
        self.assertEqual(status, 0, stderr)
        self.assertEqual(environment.built, ["//efficiency:cpu_bound"])
        self.assertIn("## cpu_bound", stdout)
        self.assertNotIn("Not measured", stdout)
        # Progress: each step, n of m.
        self.assertIn("report: [1/?] build the C++ programs (1) — bazel build -c opt "
                      "//efficiency:cpu_bound", stderr)
        self.assertIn("report: [1/?] build the C++ programs (1): 1 of 1 built", stderr)
        self.assertIn("report: [2/4] C++ cpu_bound", stderr)
        self.assertIn("report: [3/4] CPython cpu_bound", stderr)
        self.assertIn("report: [4/4] timeline cpu_bound", stderr)
        # The C++ run speaks the reader's language; the traced run adds --trace.
        self.assertEqual(self.runs()[("cpu_bound", "C++")]["argv"][1:], ["--json", "--lang=en"])
        markdown = self.markdown()
        self.assertIn("## Timelines: what ran when", markdown)
        self.assertIn("![cpu_bound](charts/timeline_cpu_bound.png)", markdown)
        self.assertTrue(os.path.isfile(os.path.join(self.out, "raw",
                                                    "timeline_cpu_bound.trace.json")))

    # --quick adds each experiment's quick flags.
    def test_quick(self):
        self.run_report(["--only=cpu_bound", "--quick"],
                        {"//efficiency:cpu_bound": prints("cpu_bound.cpp.json")},
                        {"cpu_bound.py": python_printing("cpu_bound.cpython.json")})
        self.assertEqual(self.runs()[("cpu_bound", "C++")]["argv"][1:],
                         ["--json", "--repeats=1", "--lang=en"])
        self.assertIn("--iterations=3000000", self.runs()[("cpu_bound", "CPython")]["argv"])

    # A quick flag replaces the full run's flag of the same name, not repeats it.
    def test_quick_replaces_flags(self):
        self.run_report(["--only=costs", "--quick"],
                        {"//efficiency:costs": prints("costs.benchmark.json")})
        self.assertEqual(self.runs()[("costs", "C++")]["argv"][1:],
                         ["--benchmark_format=json", "--benchmark_min_time=0.05", "--lang=en"])

    # A run's warnings are shown beside its table, and the rows they affect are marked.
    def test_warnings(self):
        status, stdout, stderr, _ = self.run_report(
            ["--only=cpu_bound"], {"//efficiency:cpu_bound": prints("cpu_bound.warnings.json")},
            {"cpu_bound.py": python_printing("cpu_bound.cpython.json")})
        self.assertEqual(status, 0, stderr)
        stdout = flat(stdout)
        self.assertIn("| threads ⚠1 | 2 |", stdout)
        self.assertIn("| processes ⚠1 | 2 |", stdout)
        self.assertIn("| tbb ⚠1,2 | 2 |", stdout)
        self.assertIn("| single | 1 |", stdout)
        self.assertIn("⚠ Warnings: these runs could not show everything the experiment is "
                      "about.", stdout)
        self.assertIn("1. C++, threads, processes, tbb: the machine was busy with other work "
                      "(`busy_machine`) — The machine was busy", stdout)
        self.assertIn("2. C++, tbb: a figure outside what the run could give (`implausible`)",
                      stdout)
        if shutil.which("gnuplot"):
            with open(os.path.join(self.out, "charts", "speedup_cpu_bound.gp"), encoding="utf-8") as f:
                script = f.read()
            self.assertIn("* warnings (busy_machine, implausible)", script)
            with open(os.path.join(self.out, "charts", "speedup_cpu_bound.dat"), encoding="utf-8") as f:
                self.assertIn('"threads (2) *"', f.read())


class ChineseTest(ReportTestCase):
    # --lang=zh: the report, its tables, headings, progress and charts are Chinese, and
    # the experiments are asked for Chinese too.
    def test_report_in_chinese(self):
        status, stdout, stderr, _ = self.run_report(
            ["--only=cpu_bound", "--lang=zh"],
            {"//efficiency:cpu_bound": prints("cpu_bound.warnings.json")},
            {"cpu_bound.py": python_printing("cpu_bound.cpython.json")})
        self.assertEqual(status, 0, stderr)
        self.assertEqual(self.runs()[("cpu_bound", "C++")]["argv"][1:], ["--json", "--lang=zh"])
        stdout = flat(stdout)
        self.assertIn("C++（本机）", stdout)
        self.assertIn("教程（发表的数据）", stdout)
        self.assertIn("⚠ 警告：", stdout)
        self.assertIn("[2/4] C++ cpu_bound", stderr)
        self.assertIn("构建 C++ 程序", stderr)
        markdown = self.markdown()
        self.assertIn("# 效率报告", markdown)
        self.assertIn("## 时间线", markdown)
        for english in ("Machine", "Warnings", "Details", "Runs", "this machine"):
            self.assertNotIn(english, markdown)
        if shutil.which("gnuplot"):
            with open(os.path.join(self.out, "charts", "speedup_cpu_bound.gp"), encoding="utf-8") as f:
                script = f.read()
            self.assertIn("加速比", script)
            self.assertIn("教程", script)


class PublishTest(ReportTestCase):
    def write_readme(self, text, name="README.md"):
        os.makedirs(os.path.join(self.directory, "ws"), exist_ok=True)
        path = os.path.join(self.directory, "ws", name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def read(self, path):
        with open(path, encoding="utf-8") as f:
            return f.read()

    # --publish rewrites only the READMEs' report blocks, each in its language, and copies
    # the chart to docs/, drawn in each language.
    def test_publish_replaces_the_blocks(self):
        english = self.write_readme("# Title\n\n## Report\n<!-- report:begin -->\nold table\n"
                                    "<!-- report:end -->\n\n## After\n")
        chinese = self.write_readme("# 标题\n<!-- report:begin -->\n旧表\n<!-- report:end -->\n尾\n",
                                    "README.zh-CN.md")
        status, _, stderr, _ = self.run_report(["--publish"], ALL_PROGRAMS, ALL_PYTHON)
        self.assertEqual(status, 0, stderr)
        text = self.read(english)
        self.assertTrue(text.startswith("# Title\n\n## Report\n<!-- report:begin -->\nMeasured on "
                                        "2026-01-01 00:00:00 UTC"), text)
        self.assertNotIn("old table", text)
        self.assertIn("| threads | 2 | 0.520 s · 1.92× | 1.60 s · 0.94× | 43.9 s · 1.07× |", flat(text))
        self.assertIn("`bazel run //tools:report -- --publish`\n<!-- report:end -->\n\n## After\n", text)
        text = self.read(chinese)
        self.assertTrue(text.startswith("# 标题\n<!-- report:begin -->\n测量于 2026-01-01"), text)
        self.assertNotIn("旧表", text)
        self.assertIn("| C++（本机） |", flat(text))
        # The work of one run, in the language of each README.
        self.assertIn("C++: 2 loops of 10^9 iterations", self.read(english))
        self.assertIn("2 个 10^9 次的循环", text)
        self.assertNotIn("2 loops of 10^9 iterations", text)
        self.assertTrue(text.endswith("<!-- report:end -->\n尾\n"), text)
        if shutil.which("gnuplot"):
            self.assertIn("![cpu_bound](docs/report/speedup_cpu_bound.png)", self.read(english))
            self.assertIn("![cpu_bound](docs/report/speedup_cpu_bound.zh-CN.png)", text)
            for name in ("speedup_cpu_bound.png", "speedup_cpu_bound.zh-CN.png"):
                self.assertTrue(os.path.isfile(os.path.join(self.directory, "ws", "docs", "report",
                                                            name)), name)

    # Without the markers, or after a failed headline run, the READMEs are left alone; a
    # missing Chinese README is said, not an error.
    def test_publish_refuses(self):
        readme = self.write_readme("# Title, no markers\n")
        status, _, stderr, _ = self.run_report(["--publish"], ALL_PROGRAMS, ALL_PYTHON)
        self.assertEqual(status, 1)
        self.assertIn("not published: README.md has no '<!-- report:begin -->'", stderr)
        self.assertEqual(self.read(readme), "# Title, no markers\n")

        shutil.rmtree(self.out)
        self.write_readme("<!-- report:begin -->\nold\n<!-- report:end -->\n")
        broken = dict(ALL_PROGRAMS, **{"//efficiency:io_bound": "exit 1\n"})
        status, _, stderr, _ = self.run_report(["--publish"], broken, ALL_PYTHON)
        self.assertEqual(status, 1)
        self.assertIn("not published: the README needs every run of cpu_bound and io_bound", stderr)
        self.assertEqual(self.read(readme), "<!-- report:begin -->\nold\n<!-- report:end -->\n")

        shutil.rmtree(self.out)
        status, _, stderr, _ = self.run_report(["--publish"], ALL_PROGRAMS, ALL_PYTHON)
        self.assertEqual(status, 0, stderr)
        self.assertIn("README.zh-CN.md does not exist: only the English README was published",
                      stderr)


class BadFlagsTest(unittest.TestCase):
    """The real command line, run as a user would (python3 tools/report.py ...)."""

    def run_cli(self, *flags, language=""):
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "report.py")
        directory = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        self.addCleanup(shutil.rmtree, directory, ignore_errors=True)
        env = dict(os.environ, BUILD_WORKSPACE_DIRECTORY=directory, BUILD_WORKING_DIRECTORY=directory,
                   LANGUAGE=language, LC_ALL="", LC_MESSAGES="", LANG="")
        result = subprocess.run([sys.executable, script, *flags], capture_output=True, text=True,
                                env=env, stdin=subprocess.DEVNULL, timeout=60, check=False)
        return result, directory

    # Each bad command line: exit status 2, one line naming the flag and what is allowed,
    # in the reader's language; nothing written.
    def test_bad_flags(self):
        for flags, language, expected in (
                (["--only=fast"], "", "report: argument --only: 'fast' is not an experiment; "
                 "allowed: cpu_bound, io_bound, gil, tbb, processes_and_coroutines, scale, mpi, costs"),
                (["--only=,"], "", "report: argument --only: no experiment named; allowed: cpu_bound"),
                (["--timeout=0"], "", "report: argument --timeout: 0 is out of range; allowed: 1 to 7200"),
                (["--timeout=soon"], "", "report: argument --timeout: 'soon' is not an integer"),
                (["--quick=3"], "", "report: argument --quick: ignored explicit argument '3'"),
                (["--publish", "--quick"], "", "report: argument --publish: the README shows a full "
                                               "run; drop --quick"),
                (["cpu_bound"], "", "report: unexpected argument 'cpu_bound'"),
                (["--fast"], "", "report: unknown flag --fast (see --help for the flags)"),
                (["--quik"], "", "report: unknown flag --quik; did you mean --quick?"),
                (["--lang=de"], "", "report: --lang=de is not a language here; allowed: zh, en"),
                (["--only=fast"], "zh_CN", "report: 参数 --only：'fast' 不是一个实验；可选："),
                (["--timeout=0", "--lang=zh"], "", "report: 参数 --timeout：0 超出范围；允许：1 到 7200")):
            with self.subTest(flags=flags, language=language):
                result, directory = self.run_cli(*flags, language=language)
                self.assertEqual(result.returncode, 2)
                self.assertEqual(result.stdout, "")
                self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
                self.assertTrue(result.stderr.startswith(expected), result.stderr)
                self.assertEqual(os.listdir(directory), [], "nothing may be written")

    # A report never overwrites an earlier one.
    def test_out_must_be_new(self):
        directory = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        self.addCleanup(shutil.rmtree, directory, ignore_errors=True)
        old = os.path.join(directory, "earlier")
        os.makedirs(old)
        with open(os.path.join(old, "report.md"), "w", encoding="utf-8") as f:
            f.write("an earlier report\n")
        result, _ = self.run_cli(f"--out={old}")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr, f"report: argument --out: {old} exists and is not an "
                                        "empty folder; name a new one\n")

    # --help describes the flags and exits 0, in either language.
    def test_help(self):
        result, _ = self.run_cli("--help")
        self.assertEqual(result.returncode, 0)
        for flag in ("--quick", "--only", "--out", "--timeout", "--lang"):
            self.assertIn(flag, result.stdout)
        result, _ = self.run_cli("--help", "--lang=zh")
        self.assertIn("用法：", result.stdout)
        self.assertIn("只运行这些实验", result.stdout)


if __name__ == "__main__":
    unittest.main()

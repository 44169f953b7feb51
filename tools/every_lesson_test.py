"""tools/every_lesson_test.py — every lesson, run the way a user (or a skeptic) would.

For each lesson of tools/lessons.bzl, this runs the real binary and checks the project's
promises. One run at default flags with --lang=zh --trace=FILE serves several checks, and
one with --lang=en the English one, so the language and trace checks add one run per
lesson, not one per check:

  * Bounded: at default flags it exits 0 within a bound (seconds, scaled under a
    sanitizer, which slows a program down several times), in both languages (the
    English run with one repeat for the experiments: see quick_flags).
  * Nothing left behind: no child process and no zombie outlives the lesson (the test is
    a child subreaper: see lesson_runner.py).
  * Chinese: with --lang=zh the "what to notice" section (要点：) is Chinese and no line of
    the output is an English msgid of the catalog; with --lang=en no Chinese outside the
    title and the tutorial's own lines (tools/output_language.py says how they are told
    apart).
  * Traced: the --trace file is valid (every event well-formed, B/E balanced per thread,
    spans on one thread nested, async spans closed: tools/tracing/trace_file.py), and for
    the lessons in PHENOMENA the lesson's phenomenon is in it
    (tools/tracing/properties.py).
  * Interrupted: Ctrl-C (SIGINT to the whole process group), `kill -INT` and `kill -TERM`
    (the lesson alone) midway end it promptly and still leave nothing behind.
  * Bad input: an unknown flag, and for every flag its --help lists a malformed, a
    negative and a huge value, each give exactly one line on stderr naming the flag,
    nothing on stdout, and exit status 2, in Chinese with --lang=zh and in English with
    --lang=en. Zero is either refused the same way or accepted and run to a clean end.

The process-limit check (a low RLIMIT_NPROC) lives in every_lesson_limits_test.py.
"""

import os
import re
import signal
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tools import lesson_runner  # noqa: E402
from tools import output_language  # noqa: E402
from tools import runner  # noqa: E402
from tools import text  # noqa: E402
from tools.reporting import experiments  # noqa: E402
from tools.tracing import properties  # noqa: E402
from tools.tracing import trace_file  # noqa: E402

# How long a lesson may take at default flags, before a sanitizer's slowdown.
DEFAULT_RUN_BOUND_S = 20.0
# How long after an interrupt a lesson may take to clean up and exit.
INTERRUPT_BOUND_S = 10.0
# When the interrupt is sent: mid-run for most lessons (the quick ones may already have
# finished, which is fine: they must still leave nothing behind).
INTERRUPT_AFTER_S = 0.3
# Lessons run side by side (each under its own subreaper, lesson_runner.run_isolated):
# many of them mostly sleep, and two test shards already share the machine's cores.
DEFAULT_RUNS_AT_ONCE = 2
# About how long each lesson takes at default flags (unoptimised, seconds), to deal the
# lessons into shards of equal length; a lesson not named takes about a second.
COST_S = {
    "//efficiency:tbb": 10, "//efficiency:gil": 8, "//efficiency:processes_and_coroutines": 6,
    "//efficiency:cpu_bound": 5, "//efficiency:costs": 4, "//efficiency:io_bound": 2,
    "//efficiency:mpi": 6, "//coroutine:queue": 6, "//coroutine:run": 5, "//coroutine:tasks": 4,
    "//coroutine:gather": 4, "//coroutine:cancel": 3, "//coroutine:scale": 2,
    "//coroutine:task_group": 2, "//thread:cores": 3, "//thread:barrier": 2,
}


# Flags whose every value of their type is meaningful data, not a setting: passing -1 or a
# huge number to a thread is a fine thing to show. Only values their type cannot hold are
# refused. (target, flag) -> the flag's type.
DATA_FLAGS = {
    ("//thread:args", "a"): "int",
    ("//thread:args", "b"): "string",
    ("//thread:args", "c"): "int",
}
# Flags that exist for the lesson's own tests, to make a part of it fail on purpose (their
# --help says "tests: ... (internal)"): -1 is their "off" and any other value a failure to
# stage, so only malformed values are refused. (target, flag).
FAULT_FLAGS = {
    ("//efficiency:mpi", "fail_rank"),
}
# Flags every lesson has that the bad-value checks leave alone: --lang has its own check
# below, and --trace takes any path.
COMMON_FLAGS = {"lang", "trace"}


# The default run under ThreadSanitizer, where it cannot be the plain default: Debian's
# oneTBB and Abseil are not built with TSan, so TSan cannot see their synchronisation and
# reports races that are not there (the tests that drive them are tagged no_tsan in their
# BUILD files for the same reason). None: not run to completion under TSan; a list: run
# with these flags instead, which leave the uninstrumented library out. Everything else
# about these lessons (interrupts, bad flags) is still checked under TSan.
DEFAULT_RUN_UNDER_TSAN = {
    "//efficiency:cpu_bound": None,                    # its tbb mode runs oneTBB
    "//efficiency:tbb": None,                          # oneTBB throughout
    "//thread:producer_consumer": ["--queue=std"],     # the other queue is absl::Mutex's
}


def one_core_reason():
    cores = lesson_runner.usable_cores()
    return f"only {cores} usable core: two threads cannot run at once" if cores < 2 else ""


# What each lesson's trace must show, beyond being valid: target -> (check, why it is the
# lesson's point, a reason to skip the check on this machine or "").
PHENOMENA = {
    "//efficiency:gil": (properties.gil_taken_in_turn,
                         "under the emulated GIL at most one thread holds it at any instant, "
                         "and the threads hold it in turn", lambda: ""),
    "//coroutine:gather": (lambda trace: properties.coroutines_overlap(trace, 3),
                           "the three coroutines are alive at the same time on one thread",
                           lambda: ""),
    "//process:join": (properties.parent_waits_for_child,
                       "the child's pid appears and the parent waits for it", lambda: ""),
    "//thread:lock": (properties.threads_run_at_once,
                      "the two threads run at the same time on two cores", one_core_reason),
}


def quick_flags(lesson):
    """One repeat instead of several, for the experiments (the flags the report's --quick
    passes: tools/reporting/experiments.py), and nothing for the other lessons. The English
    run and the runs with a flag at zero use them: they check words and endings, not
    figures, and the experiments are the slowest lessons by far. The Chinese run, which
    is also the bound and the trace, stays at the default flags."""
    quick = {e.cpp.target: list(e.cpp.quick_args) for e in experiments.EXPERIMENTS}
    quick["//efficiency:mpi"] = ["--repeats=1"]
    return quick.get(lesson.target, [])


# The same under AddressSanitizer: at every MPI rank's exit LeakSanitizer reports Open MPI's
# own allocations (in plugins MPI_Finalize has unloaded, so no suppression can name them)
# and the rank exits with 1; efficiency/BUILD tags mpi_test no_asan for the same reason.
DEFAULT_RUN_UNDER_ASAN = {
    "//efficiency:mpi": None,
}


def full_run_flags(lesson):
    """The flags for a run that goes to the end (see DEFAULT_RUN_UNDER_TSAN and _ASAN):
    none outside a sanitizer; None when the lesson is not run to completion under it."""
    if lesson_runner.under_tsan():
        return DEFAULT_RUN_UNDER_TSAN.get(lesson.target, [])
    if lesson_runner.under_asan():
        return DEFAULT_RUN_UNDER_ASAN.get(lesson.target, [])
    return []


def lesson_style_flags(help_text):
    """{name: default} from the `--help` of a lesson (common/flags.cc's format)."""
    return dict(re.findall(r"^  --(\w+) \(default: (.*)\)$", help_text, re.MULTILINE))


def bad_values(default):
    """Values that make no sense for a flag with this default: (kind, value) pairs."""
    if default in ("true", "false"):
        return [("malformed", "maybe")]
    if re.fullmatch(r"-?\d+", default):
        return [("malformed", "two"), ("negative", "-1"), ("huge", "1000000000000"),
                ("overflowing", "99999999999999999999999")]
    if re.fullmatch(r"-?[\d.]+(e[-+]?\d+)?", default):
        return [("malformed", "two"), ("negative", "-1"), ("huge", "1e300"),
                ("not a number", "nan")]
    if re.fullmatch(r"-?[\d.]+(ns|us|ms|s|m|h)(.*)", default) or default == "0":
        return [("malformed", "two"), ("negative", "-1s"), ("huge", "100000h")]
    return [("not a choice", "no-such-choice")]


def zero_value(default):
    if re.fullmatch(r"-?\d+|-?[\d.]+(e[-+]?\d+)?", default):
        return "0"
    if re.fullmatch(r"-?[\d.]+(ns|us|ms|s|m|h)(.*)", default):
        return "0s"
    return None


class DefaultRuns:
    """The two runs of a lesson at default flags, made once and shared by the checks:
    Chinese with a trace, and English. None when the lesson is not run to the end here
    (see DEFAULT_RUN_UNDER_TSAN)."""

    def __init__(self, lesson, directory):
        self.lesson = lesson
        self.flags = full_run_flags(lesson)
        self.trace_path = os.path.join(directory, lesson.package + "_" + lesson.name + ".json")
        self.zh = self.en = None

    def requests(self, bound):
        if self.flags is None:
            return []
        binary = lesson_runner.binary(self.lesson)
        return [([binary, *self.flags, "--lang=zh", f"--trace={self.trace_path}"], bound * 3, None),
                ([binary, *self.flags, *quick_flags(self.lesson), "--lang=en"], bound * 3, None)]


class EveryLessonTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        lesson_runner.become_subreaper()
        cls.lessons = lesson_runner.my_shard(lesson_runner.lessons(),
                                             lambda lesson: COST_S.get(lesson.target, 1.0))
        cls.bound = DEFAULT_RUN_BOUND_S * lesson_runner.sanitizer_slowdown()
        cls.directory = tempfile.mkdtemp(prefix="every_lesson_", dir=os.environ.get("TEST_TMPDIR"))
        cls.catalog = output_language.Catalog.load(lesson_runner.catalog_path())
        cls.runs = None

    def setUp(self):
        self.started = time.monotonic()

    def tearDown(self):
        # How long each check took on this shard: what to look at when the test is slow.
        sys.stderr.write(f"{self.id().rsplit('.', 1)[-1]}: {time.monotonic() - self.started:.1f} s "
                         f"for {len(self.lessons)} lessons\n")

    def default_runs(self, lesson):
        """The lesson's DefaultRuns. The first call makes those of every lesson of this
        shard, DEFAULT_RUNS_AT_ONCE at a time."""
        if self.runs is None:
            runs = {lesson.target: DefaultRuns(lesson, self.directory) for lesson in self.lessons}
            requests = [(r, request) for r in runs.values() for request in r.requests(self.bound)]
            results = lesson_runner.run_many([request for _, request in requests],
                                             DEFAULT_RUNS_AT_ONCE)
            for (r, request), result in zip(requests, results):
                if "--lang=zh" in request[0]:
                    r.zh = result
                else:
                    r.en = result
            type(self).runs = runs
        return self.runs[lesson.target]

    def assert_clean(self, lesson, result, what):
        self.assertFalse(result.timed_out, f"{lesson.target} {what}: still running after "
                         f"{result.seconds:.1f} s, killed\n{result.tail()}")
        self.assertEqual(result.leftovers, [], f"{lesson.target} {what}: left processes "
                         f"behind\n{result.tail()}")

    def test_catalogue_binaries_are_all_here(self):
        # A lesson missing from this test's data would escape every check below.
        for lesson in lesson_runner.lessons():
            self.assertTrue(os.access(lesson_runner.binary(lesson), os.X_OK),
                            f"{lesson.target} is in tools/lessons.bzl but its binary is not "
                            "in this test's runfiles")

    def test_default_run_is_bounded_and_clean(self):
        for lesson in self.lessons:
            runs = self.default_runs(lesson)
            for language, result in (("--lang=zh --trace", runs.zh), ("--lang=en", runs.en)):
                if result is None:
                    continue
                with self.subTest(f"{lesson.target} {language}"):
                    self.assert_clean(lesson, result, f"at default flags, {language}")
                    self.assertEqual(result.exit_code, 0, f"{lesson.target} {language}\n"
                                     f"{result.tail()}")
                    self.assertLess(result.seconds, self.bound, f"{lesson.target} took "
                                    f"{result.seconds:.1f} s at default flags ({language})")

    def test_chinese_output(self):
        self.check_language("zh", output_language.chinese_problems)

    def test_english_output(self):
        self.check_language("en", output_language.english_problems)

    def check_language(self, language, problems_in):
        """Every lesson's default run in `language` ("zh" or "en") has none of the
        problems `problems_in(stdout lines, catalog, stderr lines)` finds."""
        for lesson in self.lessons:
            result = getattr(self.default_runs(lesson), language)
            if result is None or result.exit_code != 0:
                continue  # test_default_run_is_bounded_and_clean says why
            with self.subTest(lesson.target):
                problems = problems_in(result.stdout.splitlines(), self.catalog,
                                       result.stderr.splitlines())
                self.assertEqual(problems, [], f"{lesson.target} --lang={language}: "
                                 + "\n  ".join(problems))

    def test_trace_is_valid(self):
        for lesson in self.lessons:
            runs = self.default_runs(lesson)
            if runs.zh is None or runs.zh.exit_code != 0:
                continue
            with self.subTest(lesson.target):
                self.assertTrue(os.path.isfile(runs.trace_path),
                                f"{lesson.target} --trace={runs.trace_path} wrote no file")
                try:
                    trace = trace_file.load(runs.trace_path)
                except trace_file.TraceError as error:
                    self.fail(f"{lesson.target}: {error}")
                problems = trace_file.problems(trace)
                self.assertEqual(problems, [], f"{lesson.target}'s trace breaks the format's "
                                 "rules:\n  " + "\n  ".join(problems[:20]))

    def test_trace_shows_the_phenomenon(self):
        for lesson in self.lessons:
            if lesson.target not in PHENOMENA:
                continue
            check, point, skip = PHENOMENA[lesson.target]
            runs = self.default_runs(lesson)
            with self.subTest(lesson.target):
                if skip():
                    self.skipTest(f"{lesson.target}: {skip()}")
                if runs.zh is None or runs.zh.exit_code != 0 or not os.path.isfile(runs.trace_path):
                    self.fail(f"{lesson.target}: no trace to check (see the default run)")
                missing = check(trace_file.load(runs.trace_path))
                self.assertEqual(missing, [], f"{lesson.target}'s trace should show that "
                                 f"{point}; it does not:\n  " + "\n  ".join(missing))

    def test_interrupt_leaves_nothing_behind(self):
        cases = [("Ctrl-C", signal.SIGINT, True), ("kill -INT", signal.SIGINT, False),
                 ("kill -TERM", signal.SIGTERM, False)]
        runs = [(lesson, name) for lesson in self.lessons for name, _, _ in cases]
        results = lesson_runner.run_many(
            [([lesson_runner.binary(lesson)], self.bound * 3,
              runner.Interrupt(INTERRUPT_AFTER_S, sig, group))
             for lesson in self.lessons for _, sig, group in cases], DEFAULT_RUNS_AT_ONCE)
        for (lesson, name), result in zip(runs, results):
            with self.subTest(f"{lesson.target} {name}"):
                self.assertEqual(result.start_error, "", result.start_error)
                self.assert_clean(lesson, result, name)
                if result.signalled_at is not None:
                    took = result.seconds - result.signalled_at
                    self.assertLess(took, INTERRUPT_BOUND_S * lesson_runner.sanitizer_slowdown(),
                                    f"{lesson.target} took {took:.1f} s to end after {name}")

    def test_report_passes_only_flags_the_experiments_have(self):
        # The report keeps the flags it passes with each experiment
        # (tools/reporting/experiments.py) instead of reading --help at run time: here
        # they are held against each binary's own --help.
        mine = {lesson.target for lesson in self.lessons}
        for experiment in experiments.EXPERIMENTS:
            runs = [(t.target, t.args) for t in experiment.timelines]
            if experiment.cpp.output == experiments.EXPERIMENT_JSON:
                runs.append((experiment.cpp.target, experiment.cpp.args + experiment.cpp.quick_args))
            for target, args in runs:
                if target not in mine:
                    continue
                package, name = target[2:].split(":")
                binary = os.path.join(lesson_runner.runfiles(), package, name)
                flags = lesson_style_flags(lesson_runner.run([binary, "--help", "--lang=en"],
                                                             timeout=30).stdout)
                for arg in args:
                    with self.subTest(f"{target} {arg}"):
                        self.assertIn(arg[2:].split("=", 1)[0], flags,
                                      f"the report passes {arg} to {target}, whose --help does "
                                      "not list it (tools/reporting/experiments.py)")

    def assert_refused(self, lesson, result, argument, name, language, kind):
        where = f"{lesson.target} --lang={language} {argument} ({kind})"
        self.assert_clean(lesson, result, argument)
        self.assertEqual(result.exit_code, 2, f"{where}\n{result.tail()}")
        self.assertEqual(result.stdout, "", f"{where}: printed on stdout before refusing the flag")
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 1, f"{where}: want one line on stderr, got:\n{result.stderr}")
        self.assertIn(f"--{name}", lines[0], where)
        rest = lines[0].replace(argument, "")
        if language == "zh":
            self.assertTrue(text.has_cjk(rest), f"{where}: the refusal is not Chinese: {lines[0]}")
        else:
            self.assertFalse(text.has_cjk(rest), f"{where}: the refusal is not English: {lines[0]}")

    def test_bad_flags_exit_two_with_one_line(self):
        for lesson in self.lessons:
            binary = lesson_runner.binary(lesson)
            help_run = lesson_runner.run([binary, "--help", "--lang=en"], timeout=30)
            self.assertEqual(help_run.exit_code, 0, f"{lesson.target} --help")
            flags = lesson_style_flags(help_run.stdout)
            # Every bad value in Chinese; the first of each flag in English too: the
            # refusal is the same code in both languages, only its words differ.
            attempts = [("unknown flag", "--no_such_flag=1", "no_such_flag", ("zh", "en")),
                        ("not a language", "--lang=fr", "lang", ("zh", "en"))]
            for name, default in flags.items():
                data_type = DATA_FLAGS.get((lesson.target, name))
                if data_type == "string" or name in COMMON_FLAGS:
                    continue
                first = True
                for kind, value in bad_values(default):
                    if ((data_type == "int" or (lesson.target, name) in FAULT_FLAGS)
                            and kind not in ("malformed", "overflowing")):
                        continue
                    attempts.append((kind, f"--{name}={value}", name,
                                     ("zh", "en") if first else ("zh",)))
                    first = False
            for kind, argument, name, languages in attempts:
                for language in languages:
                    with self.subTest(f"{lesson.target} --lang={language} {argument}"):
                        if name == "lang":
                            # The language flag itself: refused in the environment's language.
                            result = lesson_runner.run([binary, argument], timeout=30)
                            self.assert_clean(lesson, result, argument)
                            self.assertEqual(result.exit_code, 2, result.tail())
                            self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
                            self.assertIn("--lang", result.stderr)
                            continue
                        result = lesson_runner.run([binary, f"--lang={language}", argument],
                                                   timeout=30)
                        self.assert_refused(lesson, result, argument, name, language, kind)
            run_flags = full_run_flags(lesson)
            for name, default in flags.items():
                zero = zero_value(default)
                if (zero is None or (lesson.target, name) in DATA_FLAGS or run_flags is None
                        or name in COMMON_FLAGS or (lesson.target, name) in FAULT_FLAGS):
                    continue
                with self.subTest(f"{lesson.target} --{name}={zero}"):
                    quick = [f for f in quick_flags(lesson) if not f.startswith(f"--{name}=")]
                    result = lesson_runner.run([binary, *run_flags, *quick, "--lang=en",
                                                f"--{name}={zero}"], timeout=self.bound * 3)
                    self.assert_clean(lesson, result, f"--{name}={zero}")
                    if result.exit_code == 2:
                        self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
                        self.assertIn(f"--{name}", result.stderr)
                    else:
                        self.assertEqual(result.exit_code, 0,
                                         f"{lesson.target} --{name}={zero}\n{result.tail()}")


if __name__ == "__main__":
    lesson_runner.main()

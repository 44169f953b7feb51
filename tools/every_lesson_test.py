"""tools/every_lesson_test.py — every lesson, run the way a user (or a skeptic) would.

For each lesson the tour lists as ready (tools/lessons.txt), this runs the real binary and
checks the project's promises:

  * Bounded: at default flags it exits 0 within a bound (seconds, scaled under a
    sanitizer, which slows a program down several times).
  * Nothing left behind: no child process and no zombie outlives the lesson. The test
    makes itself a "child subreaper" (prctl PR_SET_CHILD_SUBREAPER), so anything a lesson
    orphans is re-parented to this test instead of init, where it can be seen and counted,
    whatever process group or session it moved to.
  * Interrupted: Ctrl-C (SIGINT to the whole process group), `kill -INT` and `kill -TERM`
    (the lesson alone) midway end it promptly and still leave nothing behind.
  * Bad input: an unknown flag, and for every flag its --help lists a malformed, a
    negative and a huge value, each give exactly one line on stderr naming the flag,
    nothing on stdout, and exit status 2. Zero is either refused the same way or accepted
    and run to a clean end.

The process-limit check (a low RLIMIT_NPROC) lives in every_lesson_limits_test.py.
"""

import os
import re
import signal
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import lesson_runner  # noqa: E402

# How long a lesson may take at default flags, before a sanitizer's slowdown.
DEFAULT_RUN_BOUND_S = 20.0
# How long after an interrupt a lesson may take to clean up and exit.
INTERRUPT_BOUND_S = 10.0
# When the interrupt is sent: mid-run for most lessons (the quick ones may already have
# finished, which is fine: they must still leave nothing behind).
INTERRUPT_AFTER_S = 0.3


# Flags whose every value of their type is meaningful data, not a setting: passing -1 or a
# huge number to a thread is a fine thing to show. Only values their type cannot hold are
# refused. (target, flag) -> the flag's type.
DATA_FLAGS = {
    ("//thread:args", "a"): "int",
    ("//thread:args", "b"): "string",
    ("//thread:args", "c"): "int",
}


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


def full_run_flags(lesson):
    """The flags for a run that goes to the end (see DEFAULT_RUN_UNDER_TSAN): none outside
    ThreadSanitizer; None when the lesson is not run to completion under it."""
    if not lesson_runner.under_tsan():
        return []
    return DEFAULT_RUN_UNDER_TSAN.get(lesson.target, [])


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


class EveryLessonTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        lesson_runner.become_subreaper()
        cls.lessons = lesson_runner.my_shard(lesson_runner.ready_lessons())
        cls.bound = DEFAULT_RUN_BOUND_S * lesson_runner.sanitizer_slowdown()

    def assert_clean(self, lesson, result, what):
        self.assertFalse(result.timed_out, f"{lesson.target} {what}: still running after "
                         f"{result.elapsed:.1f} s, killed\n{result.tail()}")
        self.assertEqual(result.leftovers, [], f"{lesson.target} {what}: left processes "
                         f"behind\n{result.tail()}")

    def test_catalogue_binaries_are_all_here(self):
        # A ready lesson missing from this test's data would escape every check below.
        for lesson in lesson_runner.ready_lessons():
            self.assertTrue(os.access(lesson_runner.binary(lesson), os.X_OK),
                            f"{lesson.target} is ready in tools/lessons.txt but not in "
                            "LESSONS in tools/BUILD")

    def test_default_run_is_bounded_and_clean(self):
        for lesson in self.lessons:
            flags = full_run_flags(lesson)
            if flags is None:
                continue
            with self.subTest(lesson.target):
                result = lesson_runner.run([lesson_runner.binary(lesson), *flags],
                                           timeout=self.bound * 3)
                self.assert_clean(lesson, result, "at default flags")
                self.assertEqual(result.exit_code, 0, f"{lesson.target}\n{result.tail()}")
                self.assertLess(result.elapsed, self.bound,
                                f"{lesson.target} took {result.elapsed:.1f} s at default flags")

    def test_interrupt_leaves_nothing_behind(self):
        cases = [("Ctrl-C", signal.SIGINT, True), ("kill -INT", signal.SIGINT, False),
                 ("kill -TERM", signal.SIGTERM, False)]
        for lesson in self.lessons:
            for name, sig, group in cases:
                with self.subTest(f"{lesson.target} {name}"):
                    result = lesson_runner.run(
                        [lesson_runner.binary(lesson)], timeout=self.bound * 3,
                        signal_after=INTERRUPT_AFTER_S, sig=sig, to_group=group)
                    self.assert_clean(lesson, result, name)
                    if result.signalled_at is not None:
                        took = result.elapsed - result.signalled_at
                        self.assertLess(took, INTERRUPT_BOUND_S * lesson_runner.sanitizer_slowdown(),
                                        f"{lesson.target} took {took:.1f} s to end after {name}")

    def test_bad_flags_exit_two_with_one_line(self):
        for lesson in self.lessons:
            binary = lesson_runner.binary(lesson)
            help_run = lesson_runner.run([binary, "--help"], timeout=30)
            self.assertEqual(help_run.exit_code, 0, f"{lesson.target} --help")
            flags = lesson_style_flags(help_run.stdout)
            attempts = [("unknown flag", "--no_such_flag=1", "no_such_flag")]
            for name, default in flags.items():
                data_type = DATA_FLAGS.get((lesson.target, name))
                if data_type == "string":
                    continue
                for kind, value in bad_values(default):
                    if data_type == "int" and kind not in ("malformed", "overflowing"):
                        continue
                    attempts.append((kind, f"--{name}={value}", name))
            for kind, argument, name in attempts:
                with self.subTest(f"{lesson.target} {argument}"):
                    result = lesson_runner.run([binary, argument], timeout=30)
                    self.assert_clean(lesson, result, argument)
                    self.assertEqual(result.exit_code, 2,
                                     f"{lesson.target} {argument} ({kind})\n{result.tail()}")
                    self.assertEqual(result.stdout, "", f"{lesson.target} {argument}: printed "
                                     "on stdout before refusing the flag")
                    lines = result.stderr.splitlines()
                    self.assertEqual(len(lines), 1, f"{lesson.target} {argument}: want one "
                                     f"line on stderr, got:\n{result.stderr}")
                    self.assertIn(f"--{name}", lines[0])
            run_flags = full_run_flags(lesson)
            for name, default in flags.items():
                zero = zero_value(default)
                if zero is None or (lesson.target, name) in DATA_FLAGS or run_flags is None:
                    continue
                with self.subTest(f"{lesson.target} --{name}={zero}"):
                    result = lesson_runner.run([binary, *run_flags, f"--{name}={zero}"],
                                               timeout=self.bound * 3)
                    self.assert_clean(lesson, result, f"--{name}={zero}")
                    if result.exit_code == 2:
                        self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
                        self.assertIn(f"--{name}", result.stderr)
                    else:
                        self.assertEqual(result.exit_code, 0,
                                         f"{lesson.target} --{name}={zero}\n{result.tail()}")


if __name__ == "__main__":
    lesson_runner.main()

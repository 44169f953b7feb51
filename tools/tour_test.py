"""Tests for tools/tour.py: the listing, bad flags, and the tour on fake lessons (shell
scripts), in English and in Chinese: no Bazel and no real lesson runs here. The lesson list
itself is tested against the chapters by lessons_test.py."""

import io
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

from tools import catalogue as catalogue_lib
from tools import i18n
from tools import tour
from tools import workspace

HERE = os.path.dirname(os.path.abspath(__file__))


def in_language(language):
    """A context: `language` for the test, then English again."""
    class Language:
        def __enter__(self):
            i18n.use(language)

        def __exit__(self, *exc):
            i18n.use(i18n.ENGLISH)
    return Language()


class ListTest(unittest.TestCase):
    def listing(self, *flags):
        out = io.StringIO()
        self.assertEqual(tour.main(["--list", *flags], out=out), 0)
        return out.getvalue()

    # --list names every lesson: section in Chinese and English, target, what it shows,
    # in the catalogue's order.
    def test_lists_every_lesson_in_order(self):
        text = self.listing("--lang=en")
        position = 0
        for lesson in catalogue_lib.load().lessons():
            for part in (lesson.section, lesson.title, f"bazel run {lesson.target}", lesson.shows):
                found = text.find(part, position)
                self.assertGreaterEqual(found, 0, f"{part!r} missing or out of order")
                position = found
        self.assertIn("线程 Threads — thread/", text)

    # In Chinese: the tutorial's sections and what each lesson shows, translated; no
    # English title or description.
    def test_lists_in_chinese(self):
        text = self.listing("--lang=zh")
        self.assertIn("线程 — thread/", text)
        for lesson in catalogue_lib.load().lessons():
            self.assertIn(lesson.section, text)
            self.assertNotIn(lesson.shows, text, "untranslated")
        self.assertNotIn("Threads", text)
        i18n.use(i18n.ENGLISH)

    # A lesson beyond the tutorial says so.
    def test_marks_lessons_beyond_the_tutorial(self):
        chapter = catalogue_lib.Chapter("thread", "线程", "Threads", [
            lesson("//thread:lock"), lesson("//thread:later", beyond=True)])
        self.assertEqual(tour.listing([chapter]),
                         "线程 Threads — thread/\n\n"
                         "   1. 中文 · English\n      bazel run //thread:lock\n      shows //thread:lock\n"
                         "   2. 中文 · English (beyond the tutorial)\n      bazel run //thread:later\n"
                         "      shows //thread:later\n")

    # --chapter lists one chapter, by its package name or its Chinese name.
    def test_one_chapter(self):
        for name in ("thread", "线程"):
            text = self.listing(f"--chapter={name}")
            self.assertIn("//thread:lock", text)
            self.assertNotIn("//process:", text)


class BadFlagsTest(unittest.TestCase):
    def run_tour(self, *flags, environment=None):
        env = dict(os.environ, LANGUAGE="", LC_ALL="", LC_MESSAGES="", LANG="")
        env.update(environment or {})
        return subprocess.run([sys.executable, os.path.join(HERE, "tour.py"), *flags],
                              capture_output=True, text=True, stdin=subprocess.DEVNULL,
                              timeout=60, check=False, env=env)

    # One line naming the flag and what is allowed; exit status 2; in the reader's language.
    def test_bad_flags(self):
        for flags, expected in (
                (["--chapter=gil"], "tour: argument --chapter: 'gil' is not a chapter; allowed: "
                                    "process, thread, coroutine, efficiency\n"),
                (["--timeout=0"], "tour: argument --timeout: 0 is out of range; allowed: 1 to 3600\n"),
                (["--list=yes"], "tour: argument --list: ignored explicit argument 'yes'\n"),
                (["--chaptr=thread"], "tour: unknown flag --chaptr; did you mean --chapter? "
                                      "(see --help)\n"),
                (["--lang=fr"], "tour: --lang=fr is not a language here; allowed: zh, en\n"),
                (["thread"], "tour: unexpected argument 'thread': this program takes only "
                             "--flags (see --help)\n"),
                (["--lang=zh", "--timeout=0"], "tour: 参数 --timeout：0 超出范围；允许：1 到 3600\n"),
                (["--lang=zh", "--chaptr=x"], "tour: 没有参数 --chaptr；你是不是想写 --chapter？"
                                              "（见 --help）\n"),
                (["--lang=zh", "--list=yes"], "tour: 参数 --list：多余的值 'yes'\n")):
            with self.subTest(flags=flags):
                result = self.run_tour(*flags)
                self.assertEqual(result.returncode, 2)
                self.assertEqual(result.stderr, expected)
                self.assertEqual(result.stdout, "")

    # Without --lang, the environment chooses, as gettext reads it.
    def test_language_from_the_environment(self):
        result = self.run_tour("--timeout=0", environment={"LANG": "zh_CN.UTF-8"})
        self.assertEqual(result.stderr, "tour: 参数 --timeout：0 超出范围；允许：1 到 3600\n")
        result = self.run_tour("--timeout=0", environment={"LANGUAGE": "en", "LANG": "zh_CN.UTF-8"})
        self.assertEqual(result.stderr, "tour: argument --timeout: 0 is out of range; allowed: 1 to 3600\n")
        result = self.run_tour("--lang=fr", environment={"LC_ALL": "zh_CN.UTF-8"})
        self.assertEqual(result.stderr, "tour: --lang=fr 不是这里支持的语言；可选：zh、en\n")

    # --help in Chinese: argparse's own words and every flag's help.
    def test_help_in_chinese(self):
        result = self.run_tour("--help", "--lang=zh")
        self.assertEqual(result.returncode, 0)
        self.assertIn("用法：", result.stdout)
        self.assertNotIn("usage:", result.stdout)
        self.assertNotIn("show this help", result.stdout)


class FakeLessons:
    """Lessons as shell scripts in a temporary folder; a target mapped to None fails to
    build."""

    def __init__(self, directory, scripts):
        self.directory, self.scripts = directory, scripts

    def build_all(self, labels):
        built = {}
        for label in labels:
            script = self.scripts.get(label)
            if script is None:
                built[label] = workspace.Built(label, error="failed to build: lock.cc:3: error")
                continue
            path = os.path.join(self.directory, label.replace("/", "_").replace(":", "_"))
            with open(path, "w", encoding="utf-8") as f:
                f.write("#!/bin/sh\n" + script)
            os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
            built[label] = workspace.Built(label, path=path)
        return built

    def cwd_for(self, binary):
        return None


def lesson(target, beyond=False):
    return catalogue_lib.Lesson(target, "中文", "English", f"shows {target}", beyond)


class RunTest(unittest.TestCase):
    def setUp(self):
        i18n.use(i18n.ENGLISH)
        self.directory = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        self.addCleanup(shutil.rmtree, self.directory, ignore_errors=True)

    # Every lesson runs in order under its heading; failures are named in the summary and
    # do not stop the lessons after them.
    def test_runs_in_order_and_summarises(self):
        chapter = catalogue_lib.Chapter("thread", "线程", "Threads", [
            lesson("//thread:first"), lesson("//thread:broken"), lesson("//thread:second"),
            lesson("//thread:fails"), lesson("//thread:hangs"), lesson("//thread:leaves"),
            lesson("//thread:last")])
        fake = FakeLessons(self.directory, {
            "//thread:first": "echo 'first lesson output'\n",
            "//thread:second": "echo \"second lesson, $1\"\n",
            "//thread:fails": "echo 'about to fail'\necho 'oops' >&2\nexit 4\n",
            "//thread:hangs": "echo 'waiting forever'\nexec sleep 60\n",
            "//thread:leaves": "sleep 60 > /dev/null 2>&1 &\necho 'bye'\n",
            "//thread:last": "echo 'last lesson output'\n"})
        out = io.StringIO()
        runs = tour.tour([chapter], fake, 2, out)
        text = out.getvalue() + tour.summary(runs)
        self.assertEqual([(r.lesson.name, r.status) for r in runs],
                         [("first", "passed"), ("broken", "failed"), ("second", "passed"),
                          ("fails", "failed"), ("hangs", "failed"), ("leaves", "failed"),
                          ("last", "passed")])
        # A heading before each lesson that runs, then its output (stderr included).
        order = ["1/7  中文 · English   (//thread:first)", "first lesson output",
                 "2/7  中文 · English   (//thread:broken)", "cannot run it: failed to build",
                 "3/7", "second lesson, --lang=en",
                 "4/7  中文 · English   (//thread:fails)", "about to fail", "oops",
                 "5/7", "waiting forever", "6/7", "bye", "7/7", "last lesson output",
                 "Tour summary"]
        positions = [text.find(part) for part in order]
        self.assertNotIn(-1, positions, order[positions.index(-1)] if -1 in positions else "")
        self.assertEqual(positions, sorted(positions))
        for line in ("//thread:fails  exited with status 4: oops",
                     "//thread:hangs  timed out after 2 s (killed)",
                     "//thread:leaves  exited, but left processes running (they were killed)",
                     "//thread:broken  failed to build: lock.cc:3: error",
                     "3 passed, 4 failed"):
            self.assertIn(line, text)
        self.assertIn("Add --trace=FILE to any lesson", text)
        self.assertIn("bazel build -c opt", text)

    # In Chinese: headings, the lessons' descriptions and the summary; each lesson is
    # run with --lang=zh.
    def test_runs_in_chinese(self):
        chapter = catalogue_lib.Chapter("thread", "线程", "Threads", [
            catalogue_lib.Lesson("//thread:lock", "线程锁", "Thread locks",
                                 "num += i; num -= i in two threads: lost updates without a "
                                 "lock, always 0 with one"),
            lesson("//thread:fails")])
        fake = FakeLessons(self.directory, {"//thread:lock": "echo \"lesson $1\"\n",
                                            "//thread:fails": "exit 3\n"})
        out = io.StringIO()
        with in_language(i18n.CHINESE):
            runs = tour.tour([chapter], fake, 10, out)
            text = out.getvalue() + tour.summary(runs)
        self.assertIn("1/2  线程锁   (//thread:lock)", text)
        self.assertNotIn("Thread locks", text)
        self.assertIn("lesson --lang=zh", text)
        self.assertIn("两个线程", text)  # the description, translated
        self.assertIn("退出码为 3", text)
        self.assertIn("1 个通过，1 个失败", text)
        self.assertIn("--trace=FILE", text)


if __name__ == "__main__":
    unittest.main()

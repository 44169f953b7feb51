"""Tests for tools/tour.py and its catalogue, tools/lessons.txt.

The catalogue test reads the chapters' BUILD files (given to this test as data in
tools/BUILD) and fails when a chapter has a cc_binary that the catalogue neither lists as
a ready lesson nor excuses as a not_lesson with a reason: a lesson added without being
listed in the tour. The lesson runs use fake lessons (shell scripts): no Bazel here.
"""

import ast
import io
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

from tools import catalogue as catalogue_lib
from tools import tour
from tools import workspace

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)  # the workspace root, in the runfiles tree under Bazel


def cc_binaries(build_file):
    """Names of the cc_binary targets a BUILD file declares (it is Starlark, which Python's
    parser reads). A binary declared through a macro would not be seen: chapters declare
    lessons with cc_binary directly."""
    with open(build_file, encoding="utf-8") as f:
        tree = ast.parse(f.read(), build_file)
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "cc_binary":
            for keyword in node.keywords:
                if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                    names.append(keyword.value.value)
    return names


def chapter_build_files(catalogue):
    """{package: BUILD path} for the chapters this test was given (see tools/BUILD)."""
    found = {}
    for chapter in catalogue.chapters:
        path = os.path.join(ROOT, chapter.package, "BUILD")
        if os.path.isfile(path):
            found[chapter.package] = path
    return found


class CatalogueTest(unittest.TestCase):
    def setUp(self):
        self.catalogue = catalogue_lib.load()

    # The four chapters of DESIGN.md, in the tutorial's order, with all their lessons.
    def test_chapters_and_lessons(self):
        self.assertEqual([(c.package, c.chinese, len(c.lessons)) for c in self.catalogue.chapters],
                         [("process", "进程", 7), ("thread", "线程", 12), ("coroutine", "协程", 9),
                          ("efficiency", "效率", 6)])
        self.assertEqual(self.catalogue.lessons()[0].target, "//process:program_vs_process")
        self.assertEqual(self.catalogue.lessons()[-1].target, "//efficiency:costs")

    # Every cc_binary in a chapter is a ready lesson of the tour, or is excused with a
    # reason; every ready lesson exists. Fails when a lesson lands without being listed.
    def test_every_lesson_binary_is_listed(self):
        builds = chapter_build_files(self.catalogue)
        ready = {l.target for l in self.catalogue.lessons() if l.ready}
        planned = {l.target for l in self.catalogue.lessons() if not l.ready}
        for package, build_file in builds.items():
            with self.subTest(chapter=package):
                binaries = {f"//{package}:{name}" for name in cc_binaries(build_file)}
                for target in sorted(binaries - ready - set(self.catalogue.not_lessons)):
                    self.fail(f"{target} is a cc_binary but not in the tour: in tools/lessons.txt "
                              + ("change its 'planned' to 'ready'" if target in planned else
                                 "add it as a lesson, or as a not_lesson with the reason"))
                for target in sorted(t for t in ready if t.startswith(f"//{package}:")):
                    self.assertIn(target, binaries, f"{target} is 'ready' but {package}/BUILD "
                                  "has no such cc_binary")
        for lesson in self.catalogue.lessons():
            if lesson.ready:
                self.assertIn(lesson.package, builds,
                              f"{lesson.target} is 'ready' but tools/BUILD does not give "
                              f"tour_test //{lesson.package}:BUILD to check it against")

    # A not_lesson names a real reason, not a shrug.
    def test_not_lessons_have_reasons(self):
        for target, reason in self.catalogue.not_lessons.items():
            self.assertGreater(len(reason.split()), 3, f"{target}: say why it is not a lesson")

    # A malformed line is an error naming the line, not a lesson silently lost.
    def test_strict_parsing(self):
        for text, expected in (
                ("chapter | thread | 线程\n", "lessons.txt:1: a chapter line has 3"),
                ("chapter | thread | 线程 | Threads\nlesson | ready | //thread:lock | 线程锁 | Locks\n",
                 "lessons.txt:2: a lesson line has 5"),
                ("chapter | thread | 线程 | Threads\nlesson | soon | //thread:lock | a | b | c\n",
                 "status 'soon'"),
                ("chapter | thread | 线程 | Threads\nlesson | ready | //process:join | a | b | c\n",
                 "not in the chapter above it"),
                ("chapter | thread | 线程 | Threads\nlesson | ready | thread:lock | a | b | c\n",
                 "not a target"),
                ("chapter | thread | 线程 | Threads\nlesson | ready | //thread:a | a | b | c\n"
                 "lesson | planned | //thread:a | a | b | c\n", "listed twice"),
                ("lesson: thread lock\n", "unknown kind")):
            with self.subTest(text=text):
                with self.assertRaises(catalogue_lib.CatalogueError) as caught:
                    catalogue_lib.parse(text)
                self.assertIn(expected, str(caught.exception))

    # The BUILD reader finds cc_binary targets and nothing else.
    def test_cc_binaries(self):
        with tempfile.NamedTemporaryFile("w", suffix="BUILD", dir=os.environ.get("TEST_TMPDIR"),
                                         delete=False) as f:
            f.write('cc_library(name = "lib")\ncc_binary(\n    name = "lock",\n    srcs = ["lock.cc"],\n)\n'
                    'cc_test(name = "lock_test")\ncc_binary(name = "race", tags = ["no_asan"])\n')
        self.addCleanup(os.remove, f.name)
        self.assertEqual(cc_binaries(f.name), ["lock", "race"])


class ListTest(unittest.TestCase):
    def listing(self, *flags):
        out = io.StringIO()
        self.assertEqual(tour.main(["--list", *flags], out=out), 0)
        return out.getvalue()

    # --list names every lesson: section in Chinese and English, target, what it shows,
    # in the catalogue's order.
    def test_lists_every_lesson_in_order(self):
        text = self.listing()
        position = 0
        for lesson in catalogue_lib.load().lessons():
            for part in (lesson.chinese, lesson.english, f"bazel run {lesson.target}", lesson.shows):
                found = text.find(part, position)
                self.assertGreaterEqual(found, 0, f"{part!r} missing or out of order")
                position = found
        self.assertIn("线程 Threads — thread/", text)

    # A planned lesson is listed too, marked as not written yet.
    def test_marks_planned_lessons(self):
        chapter = catalogue_lib.Chapter("thread", "线程", "Threads", [
            lesson("//thread:lock"), lesson("//thread:later", "planned")])
        self.assertEqual(tour.listing([chapter]),
                         "线程 Threads — thread/\n\n"
                         "   1. 中文 · English\n      bazel run //thread:lock\n      shows //thread:lock\n"
                         "   2. 中文 · English\n      bazel run //thread:later   (not written yet)\n"
                         "      shows //thread:later\n")

    # --chapter lists one chapter, by its package name or its Chinese name.
    def test_one_chapter(self):
        for name in ("thread", "线程"):
            text = self.listing(f"--chapter={name}")
            self.assertIn("//thread:lock", text)
            self.assertNotIn("//process:", text)


class BadFlagsTest(unittest.TestCase):
    # One line naming the flag and what is allowed; exit status 2.
    def test_bad_flags(self):
        for flags, expected in (
                (["--chapter=gil"], "tour: argument --chapter: 'gil' is not a chapter; allowed: "
                                    "process, thread, coroutine, efficiency\n"),
                (["--timeout=0"], "tour: argument --timeout: 0 is out of range; allowed: 1 to 3600\n"),
                (["--list=yes"], "tour: argument --list: ignored explicit argument 'yes'\n"),
                (["thread"], "tour: unrecognized arguments: thread\n")):
            with self.subTest(flags=flags):
                result = subprocess.run([sys.executable, os.path.join(HERE, "tour.py"), *flags],
                                        capture_output=True, text=True, stdin=subprocess.DEVNULL,
                                        timeout=60, check=False)
                self.assertEqual(result.returncode, 2)
                self.assertEqual(result.stderr, expected)
                self.assertEqual(result.stdout, "")


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


def lesson(target, status="ready"):
    return catalogue_lib.Lesson(status, target, "中文", "English", f"shows {target}")


class RunTest(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        self.addCleanup(shutil.rmtree, self.directory, ignore_errors=True)

    # Every lesson runs in order under its heading; failures are named in the summary and
    # do not stop the lessons after them; lessons not written yet are listed as such.
    def test_runs_in_order_and_summarises(self):
        chapter = catalogue_lib.Chapter("thread", "线程", "Threads", [
            lesson("//thread:first"), lesson("//thread:broken"), lesson("//thread:later", "planned"),
            lesson("//thread:fails"), lesson("//thread:hangs"), lesson("//thread:leaves"),
            lesson("//thread:last")])
        fake = FakeLessons(self.directory, {
            "//thread:first": "echo 'first lesson output'\n",
            "//thread:fails": "echo 'about to fail'\necho 'oops' >&2\nexit 4\n",
            "//thread:hangs": "echo 'waiting forever'\nexec sleep 60\n",
            "//thread:leaves": "sleep 60 > /dev/null 2>&1 &\necho 'bye'\n",
            "//thread:last": "echo 'last lesson output'\n"})
        out = io.StringIO()
        runs = tour.tour([chapter], fake, 2, out)
        text = out.getvalue() + tour.summary(runs)
        self.assertEqual([(r.lesson.name, r.status) for r in runs],
                         [("first", "passed"), ("broken", "failed"), ("later", "skipped"),
                          ("fails", "failed"), ("hangs", "failed"), ("leaves", "failed"),
                          ("last", "passed")])
        # A heading before each lesson that runs, then its output (stderr included).
        order = ["1/7  中文 · English   (//thread:first)", "first lesson output",
                 "2/7  中文 · English   (//thread:broken)", "cannot run it: failed to build",
                 "4/7  中文 · English   (//thread:fails)", "about to fail", "oops",
                 "5/7", "waiting forever", "6/7", "bye", "7/7", "last lesson output",
                 "Tour summary"]
        positions = [text.find(part) for part in order]
        self.assertNotIn(-1, positions, order[positions.index(-1)] if -1 in positions else "")
        self.assertEqual(positions, sorted(positions))
        self.assertNotIn("3/7", text)
        for line in ("//thread:fails  exited with status 4",
                     "//thread:hangs  still running after 2 s: stopped",
                     "//thread:leaves  left processes running after it ended (they were killed)",
                     "//thread:broken  failed to build: lock.cc:3: error",
                     "//thread:later  not written yet",
                     "2 passed, 4 failed, 1 not written yet"):
            self.assertIn(line, text)


if __name__ == "__main__":
    unittest.main()

"""Tests for tools/lessons.bzl, the one list of lessons, against the chapters themselves.

Reads the chapters' BUILD files and READMEs (given to this test as data in tools/BUILD)
and fails when a chapter has a cc_binary the list neither names as a lesson nor excuses
as a NOT_LESSON with a reason (a lesson added without being listed: the tour and
every_lesson_test would miss it), when the list names a lesson its chapter does not
build, or when the list's order is not the order of the chapter README's sections (the
tutorial's order, which the tour follows).
"""

import ast
import os
import re
import tempfile
import unittest

from tools import catalogue as catalogue_lib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the runfiles' workspace


# The rules that declare a binary: lesson_binary is cc_binary with the lesson kit
# (common/lesson.bzl). A binary declared through any other macro would not be seen.
BINARY_RULES = ("cc_binary", "lesson_binary")


def cc_binaries(build_file):
    """Names of the binary targets a BUILD file declares (it is Starlark, which Python's
    parser reads)."""
    with open(build_file, encoding="utf-8") as f:
        tree = ast.parse(f.read(), build_file)
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in BINARY_RULES:
            for keyword in node.keywords:
                if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                    names.append(keyword.value.value)
    return names


def readme_order(readme, package, lessons):
    """The lessons of `package` in the order of the README's `##` sections. A section is a
    lesson's when its heading names the lesson (`//package:name`, `:name`, `(name)` or
    the heading's first word); a section whose heading names no lesson is the lesson's
    whose `bazel run` comes first in it, unless a heading elsewhere names that lesson
    (general sections, such as one on timelines, run several lessons)."""
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    names = {lesson.name for lesson in lessons}
    sections = re.split(r"^## ", text, flags=re.MULTILINE)[1:]

    def named_by(heading):
        words = re.findall(rf"(?://{package})?:(\w+)|\((\w+)\)|^`?(\w+)`?", heading)
        return [w for groups in words for w in groups if w in names]

    headings = [named_by(section.split("\n", 1)[0]) for section in sections]
    claimed = {name for named in headings for name in named}
    order = []
    for section, named in zip(sections, headings):
        if not named:
            run = [m for m in re.findall(rf"bazel run[^\n]*//{package}:(\w+)", section)
                   if m in names and m not in claimed]
            named = run[:1]
        order += [name for name in named[:1] if name not in order]
    return order


class LessonsTest(unittest.TestCase):
    def setUp(self):
        self.catalogue = catalogue_lib.load()

    def build_file(self, package):
        return os.path.join(ROOT, package, "BUILD")

    # The four chapters, in the tutorial's order, each with lessons.
    def test_chapters(self):
        self.assertEqual([(c.package, c.chinese) for c in self.catalogue.chapters],
                         [("process", "进程"), ("thread", "线程"), ("coroutine", "协程"),
                          ("efficiency", "效率")])
        for chapter in self.catalogue.chapters:
            self.assertTrue(chapter.lessons, chapter.package)

    # Every cc_binary in a chapter is a lesson, or is excused with a reason; every lesson
    # is a cc_binary of its chapter.
    def test_chapter_builds_agree(self):
        listed = {lesson.target for lesson in self.catalogue.lessons()}
        for chapter in self.catalogue.chapters:
            with self.subTest(chapter=chapter.package):
                binaries = {f"//{chapter.package}:{name}"
                            for name in cc_binaries(self.build_file(chapter.package))}
                for target in sorted(binaries - listed - set(self.catalogue.not_lessons)):
                    self.fail(f"{target} is a cc_binary of {chapter.package}/BUILD but not in "
                              "tools/lessons.bzl: add it as a lesson (in the order of the "
                              "chapter README's sections), or to NOT_LESSONS with the reason")
                for lesson in chapter.lessons:
                    self.assertEqual(lesson.package, chapter.package,
                                     f"{lesson.target} is listed under {chapter.package}")
                    self.assertIn(lesson.target, binaries, f"{lesson.target} is in "
                                  f"tools/lessons.bzl but {chapter.package}/BUILD has no such "
                                  "cc_binary")
        for target in self.catalogue.not_lessons:
            package, name = target[2:].split(":")
            self.assertIn(name, cc_binaries(self.build_file(package)),
                          f"{target} is in NOT_LESSONS but is no cc_binary: remove it")

    # The tour's order is the tutorial's: the order of each chapter README's sections; the
    # lessons beyond the tutorial come after the tutorial's.
    def test_order_is_the_readmes(self):
        for chapter in self.catalogue.chapters:
            with self.subTest(chapter=chapter.package):
                readme = os.path.join(ROOT, chapter.package, "README.md")
                in_readme = readme_order(readme, chapter.package, chapter.lessons)
                tutorial = [l.name for l in chapter.lessons if not l.beyond]
                beyond = [l.name for l in chapter.lessons if l.beyond]
                for name in tutorial:
                    self.assertIn(name, in_readme, f"//{chapter.package}:{name} has no "
                                  f"section in {chapter.package}/README.md")
                listed = [name for name in tutorial + beyond if name in in_readme]
                self.assertEqual(listed, in_readme, f"tools/lessons.bzl lists the "
                                 f"{chapter.package} lessons in another order than the sections "
                                 f"of {chapter.package}/README.md")
                positions = [i for i, l in enumerate(chapter.lessons) if l.beyond]
                self.assertTrue(all(p >= len(tutorial) for p in positions),
                                f"{chapter.package}: a lesson beyond the tutorial comes before "
                                "one of the tutorial's")

    # Each lesson says what it shows, in one line; each NOT_LESSON says why.
    def test_descriptions(self):
        for lesson in self.catalogue.lessons():
            self.assertTrue(lesson.section and lesson.title and lesson.shows, lesson.target)
            self.assertNotIn("\n", lesson.shows, lesson.target)
        for target, why in self.catalogue.not_lessons.items():
            self.assertGreater(len(why.split()), 3, f"{target}: say why it is not a lesson")

    # The BUILD reader finds cc_binary and lesson_binary targets and nothing else.
    def test_cc_binaries(self):
        with tempfile.NamedTemporaryFile("w", suffix="BUILD", dir=os.environ.get("TEST_TMPDIR"),
                                         delete=False) as f:
            f.write('load("//po:defs.bzl", "translatable_sources")\ncc_library(name = "lib")\n'
                    'cc_binary(\n    name = "lock",\n    srcs = ["lock.cc"],\n)\n'
                    'cc_test(name = "lock_test")\ncc_binary(name = "race", tags = ["no_asan"])\n'
                    'lesson_binary(name = "join", deps = [":process"])\n'
                    'lesson_test(name = "join_test", lesson = ":join")\n')
        self.addCleanup(os.remove, f.name)
        self.assertEqual(cc_binaries(f.name), ["lock", "race", "join"])

    # The README reader takes the first lesson each section names, in order.
    def test_readme_order(self):
        lessons = [catalogue_lib.Lesson(f"//thread:{n}", "", "", "") for n in ("lock", "join", "cores")]
        with tempfile.NamedTemporaryFile("w", suffix=".md", dir=os.environ.get("TEST_TMPDIR"),
                                         delete=False) as f:
            f.write("# 线程\n`bazel run //thread:cores` first\n## helpers\nnone\n"
                    "## Timelines\n```\nbazel run //thread:join -- --trace=j.json\n```\n"
                    "## 阻塞线程 — `//thread:join`\nsee //thread:lock too\n"
                    "## cores — the plateau\n## 线程锁\n```\nbazel run //thread:lock\n```\n")
        self.addCleanup(os.remove, f.name)
        self.assertEqual(readme_order(f.name, "thread", lessons), ["join", "cores", "lock"])


if __name__ == "__main__":
    unittest.main()

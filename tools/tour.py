"""tools/tour.py — a guided walk through the tutorial: every lesson, in the tutorial's order.

    bazel run //tools:tour -- --list                 # chapters and lessons
    bazel run //tools:tour                           # run every lesson, a heading before each
    bazel run //tools:tour -- --chapter=thread       # one chapter (or --chapter=线程)
    bazel run //tools:tour -- --lang=zh              # everything in Chinese

The lessons come from tools/lessons.bzl, in the order of the chapter READMEs' sections
(the tutorial's), the lessons beyond the tutorial last in each chapter. They are built
with `bazel build -c opt` (the experiments measure optimised code, as their READMEs ask)
and run one after another from Bazel's output tree, each with its default flags, in the
reader's language, under a time limit; the exit status of each is checked, and a summary
at the end says which passed and which failed, and why.

Exit status: 0 when every lesson passed; 1 when any failed; 2 for a bad command line.
"""

import os
import sys
import tempfile
import time
from gettext import gettext as _

if __package__ in (None, ""):  # run as a file (python3 tools/tour.py): find `tools`
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tools import catalogue as catalogue_lib
from tools import cli
from tools import i18n
from tools import runner
from tools import text
from tools import workspace as workspace_lib

PROGRAM = "tour"
RULE = "═" * 78
PASSED, FAILED = "passed", "failed"


def parse_flags(argv, catalogue):
    flags = cli.FlagParser(PROGRAM, _("A guided walk through the tutorial: every lesson, in "
                                      "the tutorial's order."))
    flags.add_argument("--list", action="store_true",
                       help=_("print the chapters and lessons, then exit"))
    names = [c.package for c in catalogue.chapters]
    flags.add_argument("--chapter", default="", metavar="NAME",
                       help=_("only this chapter: %s") % ", ".join(
                           f"{c.package} ({c.chinese})" for c in catalogue.chapters))
    flags.add_argument("--timeout", type=cli.int_in_range(1, 3600), default=120, metavar="SECONDS",
                       help=_("longest one lesson may run before it is stopped (default 120)"))
    args = flags.parse_args(argv)
    args.chapters = catalogue.chapters
    if args.chapter:
        chapter = catalogue.chapter(args.chapter)
        if chapter is None:
            cli.fail_usage(PROGRAM, _("argument --chapter: '%(name)s' is not a chapter; allowed: "
                                      "%(allowed)s") % {"name": args.chapter,
                                                        "allowed": ", ".join(names)})
        args.chapters = [chapter]
    return args


def chapter_title(chapter):
    if i18n.chinese():
        return f"{chapter.chinese} — {chapter.package}/"
    return f"{chapter.chinese} {chapter.english} — {chapter.package}/"


def lesson_title(lesson):
    """The tutorial's section (Chinese in both languages), and its English name in English;
    lessons beyond the tutorial say so."""
    title = lesson.section if i18n.chinese() else f"{lesson.section} · {lesson.title}"
    return title + (_(" (beyond the tutorial)") if lesson.beyond else "")


def listing(chapters):
    """The --list text: each chapter, then its lessons, numbered in the tutorial's order."""
    lines = []
    for chapter in chapters:
        lines += [chapter_title(chapter), ""]
        for i, lesson in enumerate(chapter.lessons, start=1):
            lines.append(f"  {i:2}. {lesson_title(lesson)}")
            lines.append(f"      bazel run {lesson.target}")
            lines.append(f"      {_(lesson.shows)}")
        lines.append("")
    return "\n".join(lines)


def heading(lesson, number, total):
    return (f"\n{RULE}\n {number}/{total}  {lesson_title(lesson)}   ({lesson.target})\n"
            f" {_(lesson.shows)}\n{RULE}\n")


def introduction(count):
    return "\n".join([
        _("%d lessons, in the tutorial's order, each with its default flags.") % count,
        _("Built with bazel build -c opt: the experiments measure optimised code, as "
          "their READMEs ask."),
        _("Add --trace=FILE to any lesson to record what ran when; draw it with "
          "bazel run //tools:timeline -- FILE --out=FILE.png, or open it in "
          "ui.perfetto.dev."),
    ]) + "\n"


class LessonRun:
    def __init__(self, lesson, status, detail="", seconds=0.0):
        self.lesson, self.status, self.detail, self.seconds = lesson, status, detail, seconds


def run_lesson(argv, timeout, out, cwd=None):
    """Runs a lesson with its output shown live (stderr merged into stdout, in order).
    Returns (status, detail): (PASSED, "") or (FAILED, why)."""
    done = runner.run(argv, timeout, cwd=cwd, merge_stderr=True,
                      on_output=lambda chunk: (out.write(chunk), out.flush()))
    failure = done.failure()
    return (FAILED, failure) if failure else (PASSED, "")


def summary(runs):
    """The closing summary: one line per lesson, then the counts."""
    marks = {PASSED: _("ok"), FAILED: _("FAIL")}
    mark_width = max(text.width(m) for m in marks.values())
    lines = ["", RULE, " " + _("Tour summary"), RULE]
    for r in runs:
        detail = f"  {r.detail}" if r.detail else ""
        lines.append(f" {text.pad_right(marks[r.status], mark_width)} {r.seconds:5.1f} s  "
                     f"{r.lesson.target}{detail}")
    passed = sum(1 for r in runs if r.status == PASSED)
    lines += ["", _("%(passed)d passed, %(failed)d failed")
              % {"passed": passed, "failed": len(runs) - passed}]
    return "\n".join(lines) + "\n"


class Environment:
    """Builds lessons with Bazel. Tests pass a fake one: no Bazel in tests."""

    def __init__(self, workspace, log_directory):
        self.bazel = workspace_lib.Bazel(workspace, log_directory)

    def build_all(self, labels):
        return self.bazel.build_all(labels)

    def cwd_for(self, binary):
        return workspace_lib.runfiles_directory(binary)


def tour(chapters, environment, timeout, out):
    """Builds and runs the lessons of `chapters` in order; returns the LessonRuns."""
    lessons = [lesson for chapter in chapters for lesson in chapter.lessons]
    out.write(introduction(len(lessons)))
    out.write(f"{PROGRAM}: " + _("building %d lessons with bazel build -c opt ...") % len(lessons)
              + "\n")
    out.flush()
    built = environment.build_all([lesson.target for lesson in lessons])
    runs = []
    for number, lesson in enumerate(lessons, start=1):
        out.write(heading(lesson, number, len(lessons)))
        out.flush()
        b = built[lesson.target]
        if not b.path:
            out.write(f"{PROGRAM}: " + _("cannot run it: %s") % b.error + "\n")
            runs.append(LessonRun(lesson, FAILED, b.error))
            continue
        started = time.monotonic()
        status, detail = run_lesson([b.path, f"--lang={i18n.current()}"], timeout, out,
                                    environment.cwd_for(b.path))
        runs.append(LessonRun(lesson, status, detail, time.monotonic() - started))
    return runs


def main(argv=None, environment=None, out=sys.stdout):
    given = sys.argv[1:] if argv is None else argv
    i18n.choose(given, PROGRAM)
    catalogue = catalogue_lib.load()
    args = parse_flags(given, catalogue)
    if args.list:
        out.write(listing(args.chapters))
        return 0
    if environment is None:
        workspace = workspace_lib.find_workspace()
        if workspace is None:
            sys.stderr.write(f"{PROGRAM}: " + _("not inside a Bazel workspace; run `bazel run "
                                                "//tools:tour`") + "\n")
            return 1
        # Bazel's output for a lesson that fails to build is kept here (named in the error).
        environment = Environment(workspace, tempfile.mkdtemp(prefix="tour-build-logs-"))
    runs = tour(args.chapters, environment, args.timeout, out)
    out.write(summary(runs))
    return 1 if any(r.status == FAILED for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())

"""tools/tour.py — a guided walk through the tutorial: every lesson, in the tutorial's order.

    bazel run //tools:tour -- --list                 # chapters and lessons, 中文 and English
    bazel run //tools:tour                           # run every lesson, a heading before each
    bazel run //tools:tour -- --chapter=thread       # one chapter (or --chapter=线程)

The lessons come from tools/lessons.txt (the catalogue of DESIGN.md). They are built with
`bazel build -c opt` and run one after another from Bazel's output tree, each with its
default flags and a time limit; the exit status of each is checked, and a summary at the
end says which passed, which failed and why, and which are not written yet.

Exit status: 0 when every lesson that exists passed; 1 when any failed; 2 for a bad
command line.
"""

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

if __package__ in (None, ""):  # run as a file (python3 tools/tour.py): find `tools`
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tools import catalogue as catalogue_lib
from tools import cli
from tools import workspace as workspace_lib

PROGRAM = "tour"
RULE = "═" * 78


def parse_flags(argv, catalogue):
    flags = cli.FlagParser(prog=PROGRAM, description=__doc__.split("\n\n")[0])
    flags.add_argument("--list", action="store_true",
                       help="print the chapters and lessons, then exit")
    names = [c.package for c in catalogue.chapters]
    flags.add_argument("--chapter", default="", metavar="NAME",
                       help="only this chapter: " + ", ".join(
                           f"{c.package} ({c.chinese})" for c in catalogue.chapters))
    flags.add_argument("--timeout", type=cli.int_in_range(1, 3600), default=120, metavar="SECONDS",
                       help="longest one lesson may run before it is stopped (default 120)")
    args = flags.parse_args(argv)
    args.chapters = catalogue.chapters
    if args.chapter:
        chapter = catalogue.chapter(args.chapter)
        if chapter is None:
            cli.fail_usage(PROGRAM, f"argument --chapter: '{args.chapter}' is not a chapter; "
                           "allowed: " + ", ".join(names))
        args.chapters = [chapter]
    return args


def listing(chapters):
    """The --list text: each chapter, then its lessons, numbered in the tutorial's order."""
    lines = []
    for chapter in chapters:
        lines += [f"{chapter.chinese} {chapter.english} — {chapter.package}/", ""]
        for i, lesson in enumerate(chapter.lessons, start=1):
            pending = "" if lesson.ready else "   (not written yet)"
            lines.append(f"  {i:2}. {lesson.chinese} · {lesson.english}")
            lines.append(f"      bazel run {lesson.target}{pending}")
            lines.append(f"      {lesson.shows}")
        lines.append("")
    return "\n".join(lines)


def heading(lesson, number, total):
    return (f"\n{RULE}\n {number}/{total}  {lesson.chinese} · {lesson.english}   "
            f"({lesson.target})\n {lesson.shows}\n{RULE}\n")


class LessonRun:
    def __init__(self, lesson, status, detail="", seconds=0.0):
        self.lesson, self.status, self.detail, self.seconds = lesson, status, detail, seconds


def run_lesson(argv, timeout, out, cwd=None):
    """Runs a lesson with its output shown live (stderr merged into stdout, in order).
    Returns (status, detail): ("passed", "") or ("failed", why). The lesson runs in its
    own process group, which is killed after `timeout` and after it exits (a lesson must
    not leave processes behind)."""
    try:
        child = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as error:
        return "failed", f"could not start: {error.strerror}"
    timed_out = threading.Event()

    def stop():
        timed_out.set()
        kill_group(child.pid)

    watchdog = threading.Timer(timeout, stop)
    watchdog.start()
    try:
        for line in iter(child.stdout.readline, b""):
            out.write(line.decode("utf-8", errors="replace"))
            out.flush()
        child.wait()
    except BaseException:  # Ctrl-C: stop the lesson too, never leave it running
        kill_group(child.pid)
        child.wait()
        raise
    finally:
        watchdog.cancel()
        child.stdout.close()
    leftovers = kill_group(child.pid)
    if timed_out.is_set():
        return "failed", f"still running after {timeout} s: stopped"
    if child.returncode < 0:
        return "failed", f"killed by {signal.Signals(-child.returncode).name}"
    if child.returncode != 0:
        return "failed", f"exited with status {child.returncode}"
    if leftovers:
        return "failed", "left processes running after it ended (they were killed)"
    return "passed", ""


def kill_group(pgid):
    """SIGKILL to a process group; True if anything of it was still there."""
    try:
        os.killpg(pgid, signal.SIGKILL)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def summary(runs):
    """The closing summary: one line per lesson, then the counts."""
    marks = {"passed": "ok  ", "failed": "FAIL", "skipped": "--  "}
    lines = ["", RULE, " Tour summary", RULE]
    for r in runs:
        took = f"{r.seconds:5.1f} s" if r.status != "skipped" else "       "
        detail = f"  {r.detail}" if r.detail else ""
        lines.append(f" {marks[r.status]} {took}  {r.lesson.target}{detail}")
    counts = {status: sum(1 for r in runs if r.status == status)
              for status in ("passed", "failed", "skipped")}
    lines += ["", f"{counts['passed']} passed, {counts['failed']} failed, "
                  f"{counts['skipped']} not written yet"]
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
    """Builds and runs the ready lessons of `chapters` in order; returns the LessonRuns."""
    lessons = [lesson for chapter in chapters for lesson in chapter.lessons]
    ready = [lesson for lesson in lessons if lesson.ready]
    out.write(f"{PROGRAM}: building {len(ready)} lessons with bazel build -c opt ...\n")
    out.flush()
    built = environment.build_all([lesson.target for lesson in ready]) if ready else {}
    runs = []
    for number, lesson in enumerate(lessons, start=1):
        if not lesson.ready:
            runs.append(LessonRun(lesson, "skipped", "not written yet"))
            continue
        out.write(heading(lesson, number, len(lessons)))
        out.flush()
        b = built[lesson.target]
        if not b.path:
            out.write(f"{PROGRAM}: cannot run it: {b.error}\n")
            runs.append(LessonRun(lesson, "failed", b.error))
            continue
        started = time.monotonic()
        status, detail = run_lesson([b.path], timeout, out, environment.cwd_for(b.path))
        runs.append(LessonRun(lesson, status, detail, time.monotonic() - started))
    return runs


def main(argv=None, environment=None, out=sys.stdout):
    catalogue = catalogue_lib.load()
    args = parse_flags(sys.argv[1:] if argv is None else argv, catalogue)
    if args.list:
        out.write(listing(args.chapters))
        return 0
    if environment is None:
        workspace = workspace_lib.find_workspace()
        if workspace is None:
            sys.stderr.write(f"{PROGRAM}: not inside a Bazel workspace; run `bazel run //tools:tour`\n")
            return 1
        # Bazel's output for a lesson that fails to build is kept here (named in the error).
        environment = Environment(workspace, tempfile.mkdtemp(prefix="tour-build-logs-"))
    runs = tour(args.chapters, environment, args.timeout, out)
    out.write(summary(runs))
    return 1 if any(r.status == "failed" for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())

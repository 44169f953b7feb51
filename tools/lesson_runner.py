"""tools/lesson_runner.py — the harness of the tests that run every lesson (testonly).

every_lesson_test.py and every_lesson_limits_test.py run each lesson's real binary with
tools/runner.py, as a child of a test process that has made itself a "child subreaper"
(prctl PR_SET_CHILD_SUBREAPER): anything a lesson orphans is re-parented to the test
instead of init, where it is seen, counted as left behind, killed and reaped, whatever
process group or session it moved to.
"""

import ctypes
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tools import catalogue  # noqa: E402
from tools import runner  # noqa: E402

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def runfiles():
    return os.path.join(os.environ.get("TEST_SRCDIR", ""), os.environ.get("TEST_WORKSPACE", ""))


def lessons():
    return catalogue.load().lessons()


def binary(lesson):
    """The lesson's binary in this test's runfiles."""
    return os.path.join(runfiles(), lesson.package, lesson.name)


def catalog_path():
    """The compiled Chinese catalog in this test's runfiles (//po:catalog)."""
    return os.path.join(runfiles(), "po", "locale", "zh_CN", "LC_MESSAGES",
                        "concurrency_lessons.mo")


def my_shard(items):
    """The items this shard of a sharded test runs (all of them when not sharded)."""
    total = int(os.environ.get("TEST_TOTAL_SHARDS", "1"))
    index = int(os.environ.get("TEST_SHARD_INDEX", "0"))
    status_file = os.environ.get("TEST_SHARD_STATUS_FILE")
    if status_file:  # Tells Bazel this test knows how to shard.
        open(status_file, "w").close()
    return [item for i, item in enumerate(items) if i % total == index]


def under_tsan():
    """True when this test (and the lessons it runs) are built with ThreadSanitizer."""
    return "TSAN_OPTIONS" in os.environ


def sanitizer_slowdown():
    """How many times slower programs run under the sanitizer this build uses (1 if none).

    The sanitizer configs in .bazelrc set these variables for tests."""
    if under_tsan():
        return 8.0
    if "ASAN_OPTIONS" in os.environ:
        return 3.0
    if "UBSAN_OPTIONS" in os.environ:
        return 2.0
    return 1.0


def usable_cores():
    """Cores this process may run on: the affinity mask, capped by a cgroup CPU quota."""
    cores = len(os.sched_getaffinity(0))
    try:
        with open("/sys/fs/cgroup/cpu.max", encoding="utf-8") as f:
            quota, period = f.read().split()
        if quota != "max":
            cores = min(cores, max(1, int(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return cores


def run(argv, timeout, interrupt=None, preexec=None):
    """Runs a lesson to its end (or kills it at `timeout`); a runner.Finished whose
    `leftovers` lists what it left behind (see tools/runner.py)."""
    return runner.run(argv, timeout, interrupt=interrupt, preexec=preexec, adopted=True)


def main():
    unittest.main(verbosity=2)

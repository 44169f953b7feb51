"""tools/lesson_runner.py — the harness of the tests that run every lesson (testonly).

every_lesson_test.py and every_lesson_limits_test.py run each lesson's real binary with
tools/runner.py, as a child of a test process that has made itself a "child subreaper"
(prctl PR_SET_CHILD_SUBREAPER): anything a lesson orphans is re-parented to the test
instead of init, where it is seen, counted as left behind, killed and reaped, whatever
process group or session it moved to.
"""

import ctypes
import dataclasses
import json
import os
import resource
import sys
import unittest
from concurrent import futures

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


def chapter_flag():
    """The chapter this test runs (tools/BUILD passes --chapter=NAME), taken out of
    sys.argv so that unittest does not see it; "" for every chapter."""
    for arg in list(sys.argv[1:]):
        if arg.startswith("--chapter="):
            sys.argv.remove(arg)
            return arg[len("--chapter="):]
    return ""


CHAPTER = chapter_flag()


def lessons():
    """The lessons this test runs: those of its chapter (all if it names none)."""
    return [lesson for lesson in catalogue.load().lessons()
            if not CHAPTER or lesson.package == CHAPTER]


def binary(lesson):
    """The lesson's binary in this test's runfiles."""
    return os.path.join(runfiles(), lesson.package, lesson.name)


def catalog_path():
    """The compiled Chinese catalog in this test's runfiles (//po:catalog)."""
    return os.path.join(runfiles(), "po", "locale", "zh_CN", "LC_MESSAGES",
                        "concurrency_lessons.mo")


def my_shard(items, cost=lambda item: 1.0):
    """The items this shard of a sharded test runs (all of them when not sharded), in
    their order. Items are dealt so that the shards' total costs come out about equal:
    the costliest first, each to the shard with the least so far (every shard computes
    the same deal)."""
    total = int(os.environ.get("TEST_TOTAL_SHARDS", "1"))
    index = int(os.environ.get("TEST_SHARD_INDEX", "0"))
    status_file = os.environ.get("TEST_SHARD_STATUS_FILE")
    if status_file:  # Tells Bazel this test knows how to shard.
        open(status_file, "w").close()
    loads, shard_of = [0.0] * total, {}
    for i in sorted(range(len(items)), key=lambda i: (-cost(items[i]), i)):
        shard = min(range(total), key=lambda s: (loads[s], s))
        loads[shard] += cost(items[i])
        shard_of[i] = shard
    return [item for i, item in enumerate(items) if shard_of[i] == index]


def under_tsan():
    """True when this test (and the lessons it runs) are built with ThreadSanitizer."""
    return "TSAN_OPTIONS" in os.environ


def under_asan():
    """True when this test (and the lessons it runs) are built with AddressSanitizer."""
    return "ASAN_OPTIONS" in os.environ and not under_tsan()


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
    `leftovers` lists what it left behind (see tools/runner.py). The caller must be a
    subreaper (become_subreaper) and run one lesson at a time: what is re-parented to it
    is counted as the running lesson's."""
    return runner.run(argv, timeout, interrupt=interrupt, preexec=preexec, adopted=True)


# Runs of several lessons at once. One subreaper cannot tell whose orphan is whose, so each
# lesson runs under a helper of its own (this file, run as a program) that makes itself the
# subreaper of that lesson alone, and reports the Finished as JSON. Lessons that mostly
# sleep (coroutines, timers, the kill watchdog) then wait side by side instead of in turn.
def run_isolated(argv, timeout, interrupt=None, as_user=None):
    """Runs one lesson under a helper of its own (see above); `as_user`, if given, is a
    dict {"uid", "gid", "nproc"}: the lesson runs as that user with RLIMIT_NPROC at nproc
    (the helper must be root)."""
    request = {"argv": argv, "timeout": timeout,
               "interrupt": dataclasses.asdict(interrupt) if interrupt else None,
               "as_user": as_user}
    helper = runner.run([sys.executable, os.path.abspath(__file__), "--isolated",
                         json.dumps(request)], timeout + 60)
    if helper.exit_code != 0:
        return runner.Finished(list(argv), start_error=f"the helper failed: {helper.failure()}\n"
                               f"{helper.stderr}")
    return runner.Finished(**json.loads(helper.stdout))


def run_many(requests, workers):
    """[(argv, timeout, interrupt[, as_user])] run `workers` at a time (run_isolated); the
    Finished of each, in order."""
    with futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda r: run_isolated(*r), requests))


def as_user_with_process_limit(uid, gid, nproc):
    """A preexec function: become `uid`/`gid` with RLIMIT_NPROC at `nproc`. The limit is
    set before setuid because root is exempt from it and `uid` may not raise it."""
    def drop():
        os.setgroups([])
        os.setgid(gid)
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
        os.setuid(uid)
    return drop


def _isolated(request):
    become_subreaper()
    interrupt = request["interrupt"] and runner.Interrupt(**request["interrupt"])
    user = request.get("as_user")
    preexec = user and as_user_with_process_limit(user["uid"], user["gid"], user["nproc"])
    done = run(request["argv"], request["timeout"], interrupt=interrupt, preexec=preexec)
    sys.stdout.write(json.dumps(dataclasses.asdict(done)))


def main():
    unittest.main(verbosity=2)


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "--isolated":
    _isolated(json.loads(sys.argv[2]))

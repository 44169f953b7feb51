"""tools/lesson_runner.py — run a lesson binary as a user would, and see what it leaves.

The harness behind every_lesson_test.py and every_lesson_limits_test.py (testonly).

run() starts the binary in a new session (so Ctrl-C can be simulated by signalling its
process group), with stdout and stderr going to files rather than pipes (a process the
lesson orphaned cannot then hold the run open), and always returns: past its timeout the
whole group is killed. After the lesson exits, every process it left behind is found,
reported, killed and reaped:
  * anything still in its process group, and
  * anything re-parented to this test process, which has made itself a child subreaper
    (see become_subreaper), including zombies, whatever group or session it moved to.
"""

import ctypes
import os
import signal
import sys
import tempfile
import time
import unittest
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import catalogue  # noqa: E402

PR_SET_CHILD_SUBREAPER = 36


@dataclass
class Result:
    exit_code: int = None          # exit status if it exited, else None
    term_signal: int = None        # the signal that ended it, else None
    timed_out: bool = False
    signalled_at: float = None     # seconds after start when the signal was sent
    elapsed: float = 0.0
    stdout: str = ""
    stderr: str = ""
    leftovers: list = field(default_factory=list)  # "pid (comm) state" of what it left

    def tail(self, lines=15):
        """The end of its output, for failure messages."""
        out = "\n".join(self.stdout.splitlines()[-lines:])
        err = "\n".join(self.stderr.splitlines()[-lines:])
        return (f"exit={self.exit_code} signal={self.term_signal} "
                f"elapsed={self.elapsed:.2f}s\n--- stdout (end)\n{out}\n--- stderr (end)\n{err}")


def become_subreaper():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def ready_lessons():
    return [lesson for lesson in catalogue.load().lessons() if lesson.ready]


def binary(lesson):
    """The lesson's binary in this test's runfiles."""
    root = os.path.join(os.environ.get("TEST_SRCDIR", ""), os.environ.get("TEST_WORKSPACE", ""))
    return os.path.join(root, lesson.package, lesson.name)


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


def _proc_stat(pid):
    """(comm, state, ppid, pgrp) of a process from /proc, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return None
    comm = stat[stat.index("(") + 1:stat.rindex(")")]
    state, ppid, pgrp = stat[stat.rindex(")") + 2:].split()[:3]
    return comm, state, int(ppid), int(pgrp)


def _left_behind(group):
    """Processes in `group`, or children of this test (re-parented orphans, zombies)."""
    me = os.getpid()
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        info = _proc_stat(int(name))
        if info is None:
            continue
        comm, state, ppid, pgrp = info
        if pgrp == group or ppid == me:
            found.append((int(name), comm, state))
    return found


def _kill_and_reap(group, found):
    try:
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        pass
    for pid, _, _ in found:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.01)


def run(argv, timeout, signal_after=None, sig=None, to_group=False, preexec=None):
    """Runs argv to its end (or kills it at `timeout` seconds) and reports what happened.

    With `sig`: sends it `signal_after` seconds in, to the whole process group (as Ctrl-C
    in a terminal does) if `to_group`, else to the lesson alone (as `kill` does).
    `preexec` runs in the child before exec (e.g. to lower a resource limit)."""
    result = Result()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        def child_setup():
            os.setsid()
            if preexec:
                preexec()

        start = time.monotonic()
        pid = os.fork()
        if pid == 0:
            try:
                child_setup()
                devnull = os.open(os.devnull, os.O_RDONLY)
                os.dup2(devnull, 0)
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                os.execv(argv[0], argv)
            except BaseException as error:  # noqa: B902 — report anything, then leave.
                os.write(2, f"cannot run {argv[0]}: {error}\n".encode())
            os._exit(127)
        status = None
        while status is None:
            now = time.monotonic() - start
            if sig is not None and result.signalled_at is None and now >= signal_after:
                try:
                    if to_group:
                        os.killpg(pid, sig)
                    else:
                        os.kill(pid, sig)
                    result.signalled_at = now
                except ProcessLookupError:
                    pass
            if not result.timed_out and now >= timeout:
                result.timed_out = True
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            waited, wait_status = os.waitpid(pid, os.WNOHANG)
            if waited == pid:
                status = wait_status
            else:
                time.sleep(0.005)
        result.elapsed = time.monotonic() - start
        # Children the kernel is killing because their parent died (PR_SET_PDEATHSIG) need
        # a moment to die. A dead orphan (a zombie re-parented to this subreaper) is not a
        # leak: in a shell, init reaps it at once. What still runs after that is.
        deadline = time.monotonic() + 1.0
        while True:
            found = _left_behind(pid)
            alive = [(p, comm, state) for p, comm, state in found if state not in "ZX"]
            if not alive or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        result.leftovers = [f"{p} ({comm}) state {state}" for p, comm, state in alive]
        if found:
            _kill_and_reap(pid, found)
        if os.WIFEXITED(status):
            result.exit_code = os.WEXITSTATUS(status)
        elif os.WIFSIGNALED(status):
            result.term_signal = os.WTERMSIG(status)
        out.seek(0)
        err.seek(0)
        result.stdout = out.read().decode(errors="replace")
        result.stderr = err.read().decode(errors="replace")
    return result


def main():
    unittest.main(verbosity=2)

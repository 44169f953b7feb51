"""tools/runner.py — run one program the way the tools and tests need: bounded, watched,
and with nothing of it left behind.

The one runner of tools/: the report runs experiments and Bazel with it, the tour runs
lessons, every_lesson_test runs them as a user (or a skeptic) would.

Contract: run() always returns a Finished, whatever the program does.
- The program starts in a new session (its own process group: start_new_session), with
  stdin from /dev/null and its output in temporary files, not pipes, so that a process it
  orphaned cannot hold the run open.
- Past `timeout` seconds the whole group is killed (SIGKILL) and the run is marked
  timed out. Ctrl-C (or any exception) in the caller kills the group too, then re-raises.
- When the program has exited, whatever it left running is found, reported in
  `leftovers`, killed and (when adopted) reaped: every process still in its group, and,
  with `adopted=True`, every process re-parented to the caller (which must have made
  itself a child subreaper: tools/lesson_runner.py does), whatever group it moved to.
- While it runs, `on_tick(elapsed)` is called about every `tick_seconds`, and
  `on_output(text)` with what it printed since the last call (live output).
"""

import codecs
import os
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from gettext import gettext as _

POLL_SECONDS = 0.005
# Children the kernel kills because their parent died (PR_SET_PDEATHSIG) need a moment.
SETTLE_SECONDS = 1.0


@dataclass
class Interrupt:
    """A signal sent `after` seconds into the run: to the whole group (as Ctrl-C in a
    terminal does) when `group`, else to the program alone (as `kill` does)."""
    after: float
    signal: int
    group: bool


@dataclass
class Finished:
    argv: list
    exit_code: int = None      # None when killed by a signal or never started
    term_signal: int = None    # the signal that ended it
    timed_out: bool = False
    start_error: str = ""      # why it could not start
    seconds: float = 0.0
    stdout: str = ""
    stderr: str = ""           # "" when stderr was merged into stdout
    merged: bool = False       # stderr went into stdout
    signalled_at: float = None  # when Interrupt was sent (seconds after the start)
    leftovers: list = field(default_factory=list)  # "pid (comm) state" of what it left

    @property
    def signal_name(self):
        return signal.Signals(self.term_signal).name if self.term_signal else ""

    def failure(self):
        """Why the run failed, in one line; "" when it exited with status 0 and left
        nothing behind."""
        if self.start_error:
            return _("could not start: %s") % self.start_error
        if self.timed_out:
            return _("timed out after %d s (killed)") % round(self.seconds)
        last = _last_line(self.stdout if self.merged else self.stderr)
        if self.term_signal:
            if last:
                return _("killed by %(signal)s: %(line)s") % {"signal": self.signal_name, "line": last}
            return _("killed by %s") % self.signal_name
        if self.exit_code != 0:
            if last:
                return _("exited with status %(status)d: %(line)s") % {"status": self.exit_code,
                                                                       "line": last}
            return _("exited with status %d") % self.exit_code
        if self.leftovers:
            return _("exited, but left processes running (they were killed)")
        return ""

    def tail(self, lines=15):
        """The end of its output, for a test's failure message."""
        out = "\n".join(self.stdout.splitlines()[-lines:])
        err = "\n".join(self.stderr.splitlines()[-lines:])
        return (f"exit={self.exit_code} signal={self.signal_name or None} "
                f"elapsed={self.seconds:.2f}s\n--- stdout (end)\n{out}\n--- stderr (end)\n{err}")


def _last_line(text):
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    line = lines[-1].strip()
    return line if len(line) <= 160 else line[:157] + "..."


def _proc_stat(pid):
    """(comm, state, ppid, pgrp) of a process, from /proc; None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as f:
            stat = f.read()
    except OSError:
        return None
    comm = stat[stat.index("(") + 1:stat.rindex(")")]
    state, ppid, pgrp = stat[stat.rindex(")") + 2:].split()[:3]
    return comm, state, int(ppid), int(pgrp)


def _left_behind(group, adopted):
    """(pid, comm, state) of the processes in `group`, and with `adopted` of this
    process's own children (re-parented orphans and zombies)."""
    me = os.getpid()
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        info = _proc_stat(int(name))
        if info is None:
            continue
        comm, state, ppid, pgrp = info
        if pgrp == group or (adopted and ppid == me):
            found.append((int(name), comm, state))
    return found


def kill_group(pgid):
    """SIGKILL to a process group; True if any process of it was still there."""
    try:
        os.killpg(pgid, signal.SIGKILL)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def _clean_up(group, adopted):
    """Finds what the program left, waits SETTLE_SECONDS for it to end by itself, then
    kills it (and reaps it when adopted). Returns the descriptions of what was alive."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        found = _left_behind(group, adopted)
        # A dead orphan (a zombie re-parented to a subreaper) is not a leak: in a shell,
        # init reaps it at once. What still runs is.
        alive = [(pid, comm, state) for pid, comm, state in found if state not in "ZX"]
        if not alive or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    if found:
        kill_group(group)
        for pid, _comm, _state in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    if adopted:
        _reap_children(5.0)
    return [f"{pid} ({comm}) state {state}" for pid, comm, state in alive]


def _reap_children(seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.01)


class _Reader:
    """What a file gained since the last read, decoded as UTF-8 (split characters kept
    for the next read)."""

    def __init__(self, file):
        self.file, self.offset = file, 0
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def new_text(self, final=False):
        chunks = []
        while True:
            data = os.pread(self.file.fileno(), 1 << 20, self.offset)
            if not data:
                break
            self.offset += len(data)
            chunks.append(data)
        return self.decoder.decode(b"".join(chunks), final)


def run(argv, timeout, *, cwd=None, env=None, on_tick=None, tick_seconds=1.0, on_output=None,
        merge_stderr=False, interrupt=None, preexec=None, adopted=False):
    """Runs argv (no shell) to its end, or kills it at `timeout` seconds. See the module's
    contract. `merge_stderr` sends stderr into stdout, in order (a terminal's view);
    `interrupt` an Interrupt to send; `preexec` runs in the child before exec (after it
    has its own session), e.g. to lower a resource limit."""
    finished = Finished(list(argv), merged=merge_stderr)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        try:
            child = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                     stderr=subprocess.STDOUT if merge_stderr else err,
                                     start_new_session=True, preexec_fn=preexec)
        except (OSError, subprocess.SubprocessError) as error:
            finished.start_error = getattr(error, "strerror", None) or str(error)
            return finished
        live = _Reader(out) if on_output else None
        next_tick = tick_seconds
        try:
            while child.poll() is None:
                elapsed = time.monotonic() - started
                if (interrupt and finished.signalled_at is None and elapsed >= interrupt.after):
                    try:
                        (os.killpg if interrupt.group else os.kill)(child.pid, interrupt.signal)
                        finished.signalled_at = elapsed
                    except ProcessLookupError:
                        pass
                if not finished.timed_out and elapsed >= timeout:
                    finished.timed_out = True
                    kill_group(child.pid)
                if live:
                    text = live.new_text()
                    if text:
                        on_output(text)
                if on_tick and elapsed >= next_tick:
                    next_tick = elapsed + tick_seconds
                    on_tick(elapsed)
                time.sleep(POLL_SECONDS)
        except BaseException:
            # Ctrl-C or any surprise: never leave the program running behind us.
            kill_group(child.pid)
            child.wait()
            _clean_up(child.pid, adopted)
            raise
        finished.seconds = time.monotonic() - started
        finished.leftovers = _clean_up(child.pid, adopted)
        if live:
            text = live.new_text(final=True)
            if text:
                on_output(text)
        if child.returncode < 0:
            finished.term_signal = -child.returncode
        else:
            finished.exit_code = child.returncode
        out.seek(0)
        finished.stdout = out.read().decode("utf-8", errors="replace")
        if not merge_stderr:
            err.seek(0)
            finished.stderr = err.read().decode("utf-8", errors="replace")
    return finished

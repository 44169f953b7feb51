"""tools/reporting/runner.py — run one program, bounded, and keep everything it said.

Contract: run_program always returns. The program runs in a new session (its own process
group) with stdin from /dev/null; past `timeout` seconds the whole group is killed. When
the program has exited, anything it left running in its group is killed too, and that
counts as a failure (a lesson must not leave processes behind).
"""

import os
import signal
import subprocess
import time
from dataclasses import dataclass


@dataclass
class Finished:
    argv: list
    exit_code: int = None      # None when it was killed by a signal or never started
    signal_name: str = ""
    timed_out: bool = False
    left_processes: bool = False
    start_error: str = ""
    seconds: float = 0.0
    stdout: str = ""
    stderr: str = ""

    def failure(self):
        """Why the run failed, in one line; "" when it exited with status 0."""
        if self.start_error:
            return f"could not start: {self.start_error}"
        if self.timed_out:
            return f"timed out after {self.seconds:.0f} s (killed)"
        if self.signal_name:
            return f"killed by {self.signal_name}{_last_line(self.stderr)}"
        if self.exit_code != 0:
            return f"exited with status {self.exit_code}{_last_line(self.stderr)}"
        if self.left_processes:
            return "exited, but left processes running (they were killed)"
        return ""


def _last_line(text):
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    line = lines[-1].strip()
    return ": " + (line if len(line) <= 160 else line[:157] + "...")


def _kill_group(pgid):
    """Sends SIGKILL to the group; True if any process of it was still there."""
    try:
        os.killpg(pgid, signal.SIGKILL)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def run_program(argv, timeout, cwd=None, on_tick=None, tick_seconds=1.0):
    """Runs argv (no shell) to completion or `timeout`; calls on_tick(elapsed) about every
    tick_seconds while it runs. Returns a Finished."""
    started = time.monotonic()
    try:
        child = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, start_new_session=True)
    except OSError as error:
        return Finished(list(argv), start_error=error.strerror or str(error))
    finished = Finished(list(argv))
    try:
        while True:
            elapsed = time.monotonic() - started
            try:
                stdout, stderr = child.communicate(timeout=max(0.01, min(tick_seconds, timeout - elapsed)))
                break
            except subprocess.TimeoutExpired:
                elapsed = time.monotonic() - started
                if child.poll() is not None:
                    # It exited, yet its output is still open: something it started
                    # holds the pipe. Kill the group rather than wait for the timeout.
                    finished.left_processes = _kill_group(child.pid)
                    stdout, stderr = child.communicate()
                    break
                if elapsed >= timeout:
                    _kill_group(child.pid)
                    stdout, stderr = child.communicate()
                    finished.timed_out = True
                    break
                if on_tick:
                    on_tick(elapsed)
    except BaseException:
        # Ctrl-C or any surprise: never leave the program running behind us.
        _kill_group(child.pid)
        child.wait()
        raise
    finished.seconds = time.monotonic() - started
    if not finished.timed_out and _kill_group(child.pid):
        finished.left_processes = True
    if child.returncode < 0:
        finished.signal_name = signal.Signals(-child.returncode).name
    else:
        finished.exit_code = child.returncode
    finished.stdout = stdout.decode("utf-8", errors="replace")
    finished.stderr = stderr.decode("utf-8", errors="replace")
    return finished

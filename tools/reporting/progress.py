"""tools/reporting/progress.py — tell the user what is running, n of m, and for how long.

A full report takes minutes, so the user sees each step start and end. On a terminal the
current step's line is redrawn every second with its elapsed time; into a pipe or a log
each step gets a start line and an end line (no carriage returns in logs).
"""

import time
from gettext import gettext as _


def clock(seconds):
    """Elapsed time as m:ss (or h:mm:ss)."""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


class Progress:
    def __init__(self, total, stream, program="report", now=time.monotonic):
        """`total` is the number of steps, or None until it is known."""
        self.total = total
        self.stream = stream
        self.program = program
        self.now = now
        self.started = now()
        self.count = 0
        self.live = hasattr(stream, "isatty") and stream.isatty()
        self.what = ""

    def _write(self, text):
        self.stream.write(text)
        self.stream.flush()

    def note(self, text):
        """A line that is not a numbered step (e.g. "building 7 targets")."""
        self._write(f"{self.program}: {text}\n")

    def start(self, what, detail=""):
        """Step n of m begins."""
        self.count += 1
        self.what = f"[{self.count}/{self.total or '?'}] {what}"
        total = _("(total %s)") % clock(self.now() - self.started)
        if self.live:
            self._write(f"\r\033[K{self.what} ... {total}")
        else:
            suffix = f" — {detail}" if detail else ""
            self._write(f"{self.program}: {self.what}{suffix} {total}\n")

    def tick(self, elapsed):
        """Called about once a second while the step runs."""
        if self.live:
            total = _("(total %s)") % clock(self.now() - self.started)
            self._write(f"\r\033[K{self.what} ... {clock(elapsed)} {total}")

    def finish(self, result):
        """The step ended; `result` is "ok, 3.1 s" or "FAILED: why"."""
        line = _("%(step)s: %(result)s") % {"step": self.what, "result": result}
        if self.live:
            self._write(f"\r\033[K{self.program}: {line}\n")
        else:
            self._write(f"{self.program}: {line}\n")

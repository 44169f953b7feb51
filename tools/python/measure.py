"""tools/python/measure.py — timing, flags and output shared by the CPython programs.

The programs beside this file do what the tutorial's Python does, so that the report can
run CPython and C++ on the same machine in the same run. Like the C++ experiments they
print a readable table, or with --json exactly one JSON object in the experiments' shape:
  {"experiment": ..., "work": ..., "work_in": {"en": ..., "zh": ...},
   "results": [{"mode", "workers", "seconds", "min", "max", "speedup", ...}]}
"""

import argparse
import gettext
import json
import os
import platform
import statistics
import sys
import time

# The one sentence the report shows from these programs, their work, is written in both
# languages (JSON "work_in"), since the report writes an English and a Chinese README from
# one run; "work" is the one in the reader's language (LANGUAGE, ..., as gettext reads it).
# The project's catalog is in the report's runfiles beside this folder (po/locale);
# without it, the Chinese is the English.
# (Python imports this module from where the script's symlink points, so the runfiles are
# found from the script's path as it was run.)
def _locale_directory():
    for script in (sys.argv[0], __file__):
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(script))))
        if os.path.isdir(os.path.join(root, "po", "locale")):
            return os.path.join(root, "po", "locale")
    return None


_chinese = gettext.translation("concurrency_lessons", _locale_directory(), languages=["zh_CN"],
                               fallback=True).gettext


def in_each_language(make):
    """{"en": make(English), "zh": make(Chinese)}. make(_) builds the text with the `_` it is
    given, so the catalog's tools find the message:
        measure.in_each_language(lambda _: _("%(n)d loops") % {"n": n})"""
    return {"en": make(lambda msgid: msgid), "zh": make(_chinese)}


def chinese():
    """The reader's language is Chinese: the first of LANGUAGE, LC_ALL, LC_MESSAGES, LANG that
    is set says so (gettext's order, as common/i18n.h)."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return value.startswith("zh")
    return False


class Flags(argparse.ArgumentParser):
    """Bad flags: one line on stderr, exit status 2 (the lessons' rule)."""

    def error(self, message):
        sys.stderr.write(f"{self.prog}: {message}\n")
        sys.exit(2)


def number_in_range(kind, lo, hi):
    """An argparse type: a number of `kind` (int or float) with lo <= value <= hi."""

    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number; allowed: {lo} to {hi}") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{text} is out of range; allowed: {lo} to {hi}")
        return value

    return parse


def timed(function, repeats):
    """Runs function() `repeats` times; returns the wall-clock seconds of each run."""
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - start)
    return seconds


def row(mode, workers, seconds, single_median, **extra):
    """One result: median, min, max of `seconds`, and the speedup over single's median."""
    median = statistics.median(seconds)
    speedup = single_median / median if single_median and median > 0 else None
    return {"mode": mode, "workers": workers, "seconds": median, "min": min(seconds),
            "max": max(seconds), "speedup": speedup, **extra}


def interpreter():
    return f"{platform.python_implementation()} {platform.python_version()}"


def emit(experiment, work_in, results, as_json, notice):
    """Prints the results: one JSON object, or a table and a closing note. `work_in`: the
    work in each language, from in_each_language."""
    work = work_in["zh" if chinese() else "en"]
    if as_json:
        print(json.dumps({"experiment": experiment, "language": interpreter(), "work": work,
                          "work_in": work_in, "results": results}))
        return
    print(f"{experiment} on {interpreter()}: {work}")
    print(f"{'mode':<12}{'workers':>8}{'median s':>11}{'min-max s':>17}{'speedup':>9}")
    for r in results:
        speedup = f"{r['speedup']:.2f}x" if r["speedup"] is not None else "-"
        print(f"{r['mode']:<12}{r['workers']:>8}{r['seconds']:>11.3f}"
              f"{r['min']:>8.3f}-{r['max']:<8.3f}{speedup:>9}")
    print(notice)

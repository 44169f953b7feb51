"""tools/reporting/machine.py — the machine a report was measured on, in its own words.

Numbers mean little without the machine: cores (and how many this process may use),
CPU model, memory, kernel, compiler, interpreter, Bazel and its flags, the date, and the
load average, because a shared machine busy with other work makes every figure slower.
"""

import datetime
import os
import platform
import shutil
import subprocess
from gettext import gettext as _


def _first_line(argv):
    if shutil.which(argv[0]) is None:
        return f"{argv[0]} not found"
    try:
        result = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                                check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{argv[0]}: {error}"
    lines = (result.stdout or result.stderr).strip().splitlines()
    return lines[0] if lines else f"{argv[0]}: no output"


def _cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or _("unknown")


def _memory():
    try:
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / (1 << 20):.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return _("unknown")


def load_average():
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return _("unknown")


def busy_warning(load=None, cores=None):
    """A warning when other work already keeps the cores busy (1-minute load average of at
    least half the usable cores): parallel speedups measured now come out too low."""
    try:
        load = os.getloadavg()[0] if load is None else load
    except OSError:
        return ""
    if cores is None:
        cores = usable_cores()
    if load < cores / 2:
        return ""
    return (_("the machine is busy before the report starts (load average %(load).2f on "
              "%(cores)d cores): parallel speedups will come out lower than on an idle machine")
            % {"load": load, "cores": cores})


def field_name(name):
    """A field of the machine record, in the reader's language."""
    names = {"date": _("date"), "cores": _("cores"), "memory": _("memory"),
             "kernel": _("kernel"), "compiler": _("compiler"),
             "load average at start": _("load average at start"),
             "load average at end": _("load average at end")}
    return names.get(name, name)  # CPU, Bazel, CPython: names in every language


def usable_cores():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def cores_text():
    return (_("%(online)d online, %(usable)d usable by this process")
            % {"online": os.cpu_count(), "usable": usable_cores()})


def describe(bazel_flags, python_executable):
    """The machine record, as (name, value) pairs in reading order; the names are keys
    (field_name() shows them), the values in the reader's language."""
    compiler = os.environ.get("CC") or "gcc"  # what Bazel's autodetected toolchain uses
    return [
        ("date", datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")),
        ("cores", cores_text()),
        ("CPU", _cpu_model()),
        ("memory", _memory()),
        ("kernel", f"{platform.system()} {platform.release()}"),
        ("compiler", _first_line([compiler, "--version"])),
        ("Bazel", _("%(version)s; flags: %(flags)s") % {"version": _first_line(["bazel", "--version"]),
                                                         "flags": bazel_flags}),
        ("CPython", f"{_first_line([python_executable, '--version'])} ({python_executable})"),
        ("load average at start", load_average()),
    ]

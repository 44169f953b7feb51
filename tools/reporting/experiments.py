"""tools/reporting/experiments.py — what the report runs, in the order it runs it.

Each experiment is measured up to three ways, shown side by side:
  C++      a binary of this workspace, built with -c opt, run with --json;
  CPython  a small program in tools/python/ doing what the tutorial's Python does, run on
           the same machine in the same report (only where the tutorial has Python code);
  tutorial the figures the tutorial published (its own machine, its own work sizes).
Work sizes differ between the three, so the report compares speedups, not seconds.

To change what an experiment runs, edit its entry here; nothing else needs to know.
"""

from dataclasses import dataclass

CPP = "C++"
CPYTHON = "CPython"
TUTORIAL = "tutorial"
SOURCES = (CPP, CPYTHON, TUTORIAL)

# Output formats a run may print.
EXPERIMENT_JSON = "experiment"  # {"experiment": ..., "results": [...]} (issue 6's schema)
BENCHMARK_JSON = "benchmark"    # Google Benchmark's --benchmark_format=json


@dataclass(frozen=True)
class CppRun:
    """A C++ binary. `args` always; in --quick also each `quick_flags` entry that the
    binary actually defines (read from its --help), so a quick run never fails merely
    because an experiment names its flags differently."""
    target: str
    args: tuple = ("--json",)
    quick_flags: tuple = ()   # (flag name, value) pairs
    quick_args: tuple = ()    # passed as they are in --quick
    output: str = EXPERIMENT_JSON


@dataclass(frozen=True)
class PythonRun:
    """A program in tools/python/, run with the interpreter that runs the report."""
    script: str
    args: tuple
    quick_args: tuple


@dataclass(frozen=True)
class Published:
    """One row of the tutorial's published figures."""
    mode: str
    workers: int
    seconds: float


@dataclass(frozen=True)
class Experiment:
    name: str          # what --only=NAME selects
    title: str
    cpp: CppRun
    python: PythonRun = None
    tutorial: tuple = ()       # Published rows
    tutorial_work: str = ""   # the tutorial's work size, said beside its figures


QUICK_REPEATS = (("repeats", "1"),)

EXPERIMENTS = (
    Experiment(
        name="cpu_bound",
        title="CPU-bound work: single vs threads vs processes (任务类型 / GIL: run1, run2)",
        cpp=CppRun("//efficiency:cpu_bound", quick_flags=QUICK_REPEATS),
        python=PythonRun("cpu_bound.py", ("--iterations=30000000", "--repeats=3"),
                         ("--iterations=3000000", "--repeats=1")),
        tutorial=(Published("single", 1, 46.8), Published("threads", 2, 43.9),
                  Published("processes", 2, 23.3)),
        tutorial_work="2 loops of 10^9 empty iterations",
    ),
    Experiment(
        name="io_bound",
        title="I/O-bound work: single vs threads vs processes vs coroutines (任务类型: run3, run4)",
        cpp=CppRun("//efficiency:io_bound", quick_flags=QUICK_REPEATS),
        python=PythonRun("io_bound.py", ("--sleep=0.2", "--repeats=3"),
                         ("--sleep=0.02", "--repeats=1")),
        tutorial=(Published("single", 1, 18.0), Published("threads", 2, 9.0),
                  Published("processes", 2, 9.1)),
        tutorial_work="2 jobs of 3 sleeps of 3 s",
    ),
    Experiment(
        name="gil",
        title="An emulated interpreter lock (全局解释锁 GIL)",
        # The work of efficiency/README.md's table (the defaults are smaller, to end in
        # seconds unoptimised); --quick goes back to the defaults.
        cpp=CppRun("//efficiency:gil",
                   args=("--json", "--iterations=100000000", "--race_iterations=5000000",
                         "--race_runs=3"),
                   quick_flags=QUICK_REPEATS,
                   quick_args=("--iterations=20000000", "--race_iterations=2000000",
                               "--race_runs=2")),
    ),
    Experiment(
        name="tbb",
        title="oneTBB tasks vs hand-made threads and processes; oversubscription",
        cpp=CppRun("//efficiency:tbb", quick_flags=QUICK_REPEATS),
    ),
    Experiment(
        name="processes_and_coroutines",
        title="Processes + coroutines on a mixed workload (综合优势: 多进程+协程)",
        cpp=CppRun("//efficiency:processes_and_coroutines", quick_flags=QUICK_REPEATS),
    ),
    Experiment(
        name="scale",
        title="Ten thousand concurrent waits: coroutines vs threads (协程: 上万次并发)",
        cpp=CppRun("//coroutine:scale", quick_flags=QUICK_REPEATS),
        python=PythonRun("gather.py", ("--coroutines=10000", "--threads=1000", "--sleep=1"),
                         ("--coroutines=2000", "--threads=200", "--sleep=0.2")),
    ),
    Experiment(
        name="costs",
        title="Micro-costs: create, switch, lock (进程、线程、协程: 优势/劣势)",
        # 0.5 s per benchmark, Google Benchmark's own default (costs' default is 0.1 s).
        cpp=CppRun("//efficiency:costs",
                   args=("--benchmark_format=json", "--benchmark_min_time=0.5"),
                   quick_args=("--benchmark_min_time=0.05",), output=BENCHMARK_JSON),
    ),
)

NAMES = tuple(e.name for e in EXPERIMENTS)


def select(only):
    """The experiments named in `only` (a list of names), in catalogue order; all of them
    when `only` is empty. Raises ValueError naming the first unknown name."""
    if not only:
        return EXPERIMENTS
    for name in only:
        if name not in NAMES:
            raise ValueError(name)
    return tuple(e for e in EXPERIMENTS if e.name in only)

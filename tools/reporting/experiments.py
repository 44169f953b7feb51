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


def _(message):
    """Marks a message for translation (xgettext's keyword); translated where shown, in
    the reader's language (the standard gettext idiom for deferred translations)."""
    return message


CPP = "C++"
CPYTHON = "CPython"
TUTORIAL = "tutorial"
SOURCES = (CPP, CPYTHON, TUTORIAL)

# Output formats a run may print.
EXPERIMENT_JSON = "experiment"  # {"experiment": ..., "results": [...], "warnings": [...]}
BENCHMARK_JSON = "benchmark"    # Google Benchmark's --benchmark_format=json


@dataclass(frozen=True)
class CppRun:
    """A C++ binary: run with `args`; in --quick, `quick_args` too, each replacing the flag
    of the same name in `args` (every_lesson_test holds both against the binary's own
    --help); and --lang in the reader's language."""
    target: str
    args: tuple = ("--json",)
    quick_args: tuple = ("--repeats=1",)
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
class Timeline:
    """A short run with --trace, drawn as a timeline (tools/tracing): what a table of
    seconds cannot show. Small work on purpose: the picture, not the measurement (the
    measured runs are not traced, so tracing cannot change their figures)."""
    name: str          # the picture: charts/timeline_<name>.png
    target: str        # the binary to run (the experiment's, or a lesson's)
    args: tuple
    caption: str       # msgid: what to see in it


@dataclass(frozen=True)
class Experiment:
    name: str          # what --only=NAME selects
    title: str         # msgid
    cpp: CppRun
    python: PythonRun = None
    tutorial: tuple = ()       # Published rows
    tutorial_work: str = ""    # msgid: the tutorial's work size, said beside its figures
    timelines: tuple = ()      # Timeline


EXPERIMENTS = (
    Experiment(
        name="cpu_bound",
        title=_("CPU-bound work: single vs threads vs processes (任务类型 / GIL: run1, run2)"),
        cpp=CppRun("//efficiency:cpu_bound"),
        python=PythonRun("cpu_bound.py", ("--iterations=30000000", "--repeats=3"),
                         ("--iterations=3000000", "--repeats=1")),
        tutorial=(Published("single", 1, 46.8), Published("threads", 2, 43.9),
                  Published("processes", 2, 23.3)),
        tutorial_work=_("2 loops of 10^9 empty iterations"),
        timelines=(Timeline("cpu_bound", "//efficiency:cpu_bound",
                            ("--repeats=1", "--iterations=30000000"),
                            _("Each mode once, with little work: in the threads and processes "
                              "modes two workers run at the same time, on two cores.")),),
    ),
    Experiment(
        name="io_bound",
        title=_("I/O-bound work: single vs threads vs processes vs coroutines (任务类型: run3, run4)"),
        cpp=CppRun("//efficiency:io_bound"),
        python=PythonRun("io_bound.py", ("--sleep=0.2", "--repeats=3"),
                         ("--sleep=0.02", "--repeats=1")),
        tutorial=(Published("single", 1, 18.0), Published("threads", 2, 9.0),
                  Published("processes", 2, 9.1)),
        tutorial_work=_("2 jobs of 3 sleeps of 3 s"),
        timelines=(Timeline("io_bound", "//efficiency:io_bound", ("--repeats=1",),
                            _("Each mode once: one worker sleeps its jobs one after another; "
                              "threads, processes and coroutines sleep at the same time.")),),
    ),
    Experiment(
        name="gil",
        title=_("An emulated interpreter lock (全局解释锁 GIL)"),
        # The defaults show the point with -c opt (threads ~1x, processes ~2x) and end in
        # seconds; --quick runs each mode once.
        cpp=CppRun("//efficiency:gil",
                   args=("--json",),
                   quick_args=("--repeats=1",)),
        timelines=(Timeline("gil", "//efficiency:gil",
                            ("--repeats=1", "--race_iterations=200000", "--race_runs=1"),
                            _("Each mode once, with the default work: under the lock the threads "
                              "take turns (one holds it at a time); the two processes each "
                              "have their own and run side by side.")),),
    ),
    Experiment(
        name="tbb",
        title=_("oneTBB tasks vs hand-made threads and processes; oversubscription"),
        cpp=CppRun("//efficiency:tbb"),
    ),
    Experiment(
        name="processes_and_coroutines",
        title=_("Processes + coroutines on a mixed workload (综合优势: 多进程+协程)"),
        cpp=CppRun("//efficiency:processes_and_coroutines"),
    ),
    Experiment(
        name="scale",
        title=_("Ten thousand concurrent waits: coroutines vs threads (协程: 上万次并发)"),
        cpp=CppRun("//coroutine:scale"),
        python=PythonRun("gather.py", ("--coroutines=10000", "--threads=1000", "--sleep=1"),
                         ("--coroutines=2000", "--threads=200", "--sleep=0.2")),
        timelines=(Timeline("gather", "//coroutine:gather", (),
                            _("//coroutine:gather, the tutorial's three hello(): the three "
                              "coroutines sleep at the same time, on one thread.")),),
    ),
    Experiment(
        name="mpi",
        title=_("Beyond one machine: the CPU-bound job over MPI ranks, and what a message "
                "costs (综合优势, after 多进程+协程)"),
        cpp=CppRun("//efficiency:mpi"),
        timelines=(Timeline("mpi", "//efficiency:mpi", ("--repeats=1", "--sizes=8"),
                            _("1 rank, then 2: each rank is a process of its own (mpirun "
                              "starts them), computing its share at the same time as the "
                              "other; their partial sums reach rank 0 as messages.")),),
    ),
    Experiment(
        name="costs",
        title=_("Micro-costs: create, switch, lock (进程、线程、协程: 优势/劣势)"),
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

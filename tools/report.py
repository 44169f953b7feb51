"""tools/report.py — measure the efficiency chapter on this machine: C++ beside CPython
and beside the tutorial's published figures.

    bazel run //tools:report                      # everything (a few minutes)
    bazel run //tools:report -- --quick           # short runs, same tables
    bazel run //tools:report -- --only=cpu_bound,io_bound --out=/tmp/r

It builds every experiment with optimisation (bazel build -c opt), runs each with --json
and reads the one JSON object it prints, runs the CPython programs in tools/python/ on
the same machine, and writes a folder: report.md, the raw JSON of every run, and charts
rendered by gnuplot. Progress goes to stderr; the Markdown tables to stdout.

Exit status: 0 when every run produced figures; 1 when any experiment failed or does not
exist yet (the report still covers all the others and says which and why); 2 for a bad
command line; 130 when interrupted (the report of what ran is still written).
"""

import datetime
import json
import os
import shlex
import subprocess
import sys
import threading
import time

if __package__ in (None, ""):  # run as a file (python3 tools/report.py): find `tools`
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tools import cli
from tools import workspace as workspace_lib
from tools.reporting import charts as charts_lib
from tools.reporting import document
from tools.reporting import experiments as catalogue
from tools.reporting import machine as machine_lib
from tools.reporting import outcome as outcome_lib
from tools.reporting import progress as progress_lib
from tools.reporting import publish as publish_lib
from tools.reporting import runner
from tools.reporting import schema
from tools.reporting import tables

PROGRAM = "report"
PYTHON_DIRECTORY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "python")


def parse_flags(argv):
    flags = cli.FlagParser(prog=PROGRAM, description=__doc__.split("\n\n")[0])
    flags.add_argument("--quick", action="store_true",
                       help="short runs (one repeat, small work): a minute instead of several")
    flags.add_argument("--only", default="", metavar="NAME[,NAME...]",
                       help="run only these experiments: " + ", ".join(catalogue.NAMES))
    flags.add_argument("--out", default="", metavar="DIR",
                       help="the folder to write (new or empty); default: a new dated folder "
                            "under reports/ in the workspace")
    flags.add_argument("--publish", action="store_true",
                       help="after a full run, put the headline tables into README.md (between "
                            "its report markers) and the CPU-bound chart into docs/report/")
    flags.add_argument("--timeout", type=cli.int_in_range(1, 7200), default=900, metavar="SECONDS",
                       help="longest one run may take before it is killed (default 900)")
    args = flags.parse_args(argv)
    only = [name for name in args.only.split(",") if name] if args.only else []
    try:
        args.selected = catalogue.select(only)
    except ValueError as unknown:
        cli.fail_usage(PROGRAM, f"argument --only: '{unknown}' is not an experiment; allowed: "
                       + ", ".join(catalogue.NAMES))
    if args.publish and (args.quick or args.only):
        cli.fail_usage(PROGRAM, "argument --publish: the README shows a full run; drop "
                       + ("--quick" if args.quick else "--only"))
    if args.only and not only:
        cli.fail_usage(PROGRAM, "argument --only: no experiment named; allowed: "
                       + ", ".join(catalogue.NAMES))
    return args


class Environment:
    """Where programs come from: Bazel for C++, tools/python/ for CPython. Tests pass a
    fake one, so they run no real experiment and no Bazel."""

    def __init__(self, workspace, log_directory):
        self.bazel = workspace_lib.Bazel(workspace, log_directory)
        self.workspace = workspace
        self.python = sys.executable
        self.python_directory = PYTHON_DIRECTORY
        self.bazel_flags = (" ".join(["bazel build", *workspace_lib.BUILD_FLAGS]) + "; from .bazelrc: "
                            + workspace_lib.build_flags_from_bazelrc(workspace))

    def build_all(self, labels):
        return self.bazel.build_all(labels)

    def flags_of(self, binary):
        return defined_flags(binary)

    def cwd_for(self, binary):
        return workspace_lib.runfiles_directory(binary)

    def machine(self):
        return machine_lib.describe(self.bazel_flags, self.python)

    def busy_warning(self):
        return machine_lib.busy_warning()


def defined_flags(binary):
    """The flags a lesson binary defines, read from its --help (common/flags.cc prints
    each as "  --name (default: ...)"). Empty if --help fails."""
    try:
        result = subprocess.run([binary, "--help"], capture_output=True, text=True,
                                stdin=subprocess.DEVNULL, check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return set()
    names = set()
    for line in result.stdout.splitlines():
        stripped = line.strip()
        if stripped.startswith("--") and "(default:" in stripped:
            names.add(stripped[2:].split(" ", 1)[0])
    return names


def cpp_argv(experiment, binary, flags_defined, quick):
    run = experiment.cpp
    argv = [binary, *run.args]
    if quick:
        argv += [f"--{name}={value}" for name, value in run.quick_flags if name in flags_defined]
        argv += list(run.quick_args)
    return argv


def python_argv(environment, experiment, quick):
    run = experiment.python
    script = os.path.join(environment.python_directory, run.script)
    return [environment.python, script, *(run.quick_args if quick else run.args), "--json"]


def measure(experiment, source, label, argv, output_format, timeout, progress, cwd=None):
    """Runs one program and reads its JSON; returns an Outcome (never raises for the
    program's faults)."""
    shown = [label] + argv[2 if source == catalogue.CPYTHON else 1:]  # no long runfiles paths
    progress.start(f"{source} {experiment.name}", " ".join(shlex.quote(a) for a in shown))
    done = runner.run_program(argv, timeout, cwd=cwd, on_tick=progress.tick)
    result = outcome_lib.Outcome(experiment.name, source, label, outcome_lib.OK, argv=argv,
                                 seconds=done.seconds, stdout=done.stdout, stderr=done.stderr)
    failure = done.failure()
    if not failure:
        try:
            result.measurement = schema.parse(done.stdout, output_format)
        except schema.BadOutput as bad:
            failure = f"bad JSON: {bad}"
    if failure:
        result.status, result.reason = outcome_lib.FAILED, failure
        progress.finish(f"FAILED after {done.seconds:.1f} s: {failure}")
    else:
        progress.finish(f"ok, {done.seconds:.1f} s")
    return result


def planned_runs(selected):
    """(experiment, source, label) of every run, in the order they happen."""
    for experiment in selected:
        yield experiment, catalogue.CPP, experiment.cpp.target
        if experiment.python:
            yield experiment, catalogue.CPYTHON, f"tools/python/{experiment.python.script}"


def build_step(selected, environment, progress):
    """Builds every selected C++ program (one progress step); returns {label: Built}."""
    labels = [experiment.cpp.target for experiment in selected]
    progress.start(f"build the C++ programs ({len(labels)})", "bazel build -c opt " + " ".join(labels))
    # Building can take minutes (or wait for Bazel's lock): keep the elapsed time ticking.
    built = {}
    builder = threading.Thread(target=lambda: built.update(environment.build_all(labels)),
                               daemon=True)
    started = time.monotonic()
    builder.start()
    while builder.is_alive():
        builder.join(1.0)
        if builder.is_alive():
            progress.tick(time.monotonic() - started)
    if len(built) != len(labels):
        raise RuntimeError("the build step returned no result for some programs")
    ready = sum(1 for b in built.values() if b.path)
    # Now the number of steps is known: the build, the C++ programs that exist, CPython.
    progress.total = 1 + ready + sum(1 for e in selected if e.python)
    progress.finish(f"{ready} of {len(labels)} built" + "".join(
        f"\n  {b.label}: {b.error}" for b in built.values() if not b.path))
    return built


def run_all(selected, environment, quick, timeout, progress):
    """Builds, then runs, everything selected. Returns (outcomes, one per run in order;
    interrupted). Ctrl-C stops the run in progress (and kills it); it and the runs not
    reached are recorded as NOT_RUN, so the report of what did run is still written."""
    built = build_step(selected, environment, progress)
    outcomes, interrupted = [], False
    for experiment, source, label in planned_runs(selected):
        if interrupted:
            outcomes.append(outcome_lib.Outcome(experiment.name, source, label,
                                                outcome_lib.NOT_RUN, "interrupted"))
            continue
        if source == catalogue.CPP:
            b = built[label]
            if not b.path:
                status = outcome_lib.MISSING if b.missing else outcome_lib.FAILED
                outcomes.append(outcome_lib.Outcome(experiment.name, source, label, status, b.error))
                continue
            flags_defined = environment.flags_of(b.path) if quick else set()
            argv = cpp_argv(experiment, b.path, flags_defined, quick)
            output_format, cwd = experiment.cpp.output, environment.cwd_for(b.path)
        else:
            argv = python_argv(environment, experiment, quick)
            output_format, cwd = catalogue.EXPERIMENT_JSON, None
        try:
            outcomes.append(measure(experiment, source, label, argv, output_format, timeout,
                                    progress, cwd))
        except KeyboardInterrupt:
            interrupted = True
            progress.finish("interrupted (stopped)")
            outcomes.append(outcome_lib.Outcome(experiment.name, source, label,
                                                outcome_lib.NOT_RUN, "interrupted", argv=argv))
    return outcomes, interrupted


def default_out(workspace):
    stamp = datetime.datetime.now().strftime("%Y-%m-%d_%H%M%S")
    return os.path.join(workspace, "reports", stamp)


def prepare_out(out):
    """Creates the report folder; a bad --out is a usage error (exit 2)."""
    if os.path.exists(out) and (not os.path.isdir(out) or os.listdir(out)):
        cli.fail_usage(PROGRAM, f"argument --out: {out} exists and is not an empty folder; "
                       "name a new one")
    try:
        for sub in ("", "raw", "charts", "logs"):
            os.makedirs(os.path.join(out, sub), exist_ok=True)
    except OSError as error:
        cli.fail_usage(PROGRAM, f"argument --out: cannot create {out}: {error.strerror}")


def write_raw(out, outcomes):
    """raw/<experiment>.<source>.json for each run that printed JSON; stdout and stderr
    of the others under logs/. Returns {(experiment, source): relative path}."""
    files = {}
    for o in outcomes:
        stem = f"{o.experiment}.{'cpp' if o.source == catalogue.CPP else 'cpython'}"
        if o.ok:
            relative = f"raw/{stem}.json"
            with open(os.path.join(out, relative), "w", encoding="utf-8") as f:
                json.dump(o.measurement.raw, f, indent=2, ensure_ascii=False)
                f.write("\n")
            files[(o.experiment, o.source)] = relative
        elif o.stdout or o.stderr:
            relative = f"logs/{stem}.stdout.txt"
            with open(os.path.join(out, relative), "w", encoding="utf-8") as f:
                f.write(o.stdout)
            with open(os.path.join(out, f"logs/{stem}.stderr.txt"), "w", encoding="utf-8") as f:
                f.write(o.stderr)
            files[(o.experiment, o.source)] = relative
    index = [{"experiment": o.experiment, "source": o.source, "program": o.label,
              "argv": o.argv, "status": o.status, "reason": o.reason,
              "seconds": round(o.seconds, 3), "file": files.get((o.experiment, o.source))}
             for o in outcomes]
    with open(os.path.join(out, "raw", "runs.json"), "w", encoding="utf-8") as f:
        json.dump(index, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return files


def main(argv=None, environment=None, stdout=sys.stdout, stderr=sys.stderr):
    given = sys.argv[1:] if argv is None else argv
    args = parse_flags(given)
    workspace = environment.workspace if environment else workspace_lib.find_workspace()
    if workspace is None:
        stderr.write(f"{PROGRAM}: not inside a Bazel workspace; run `bazel run //tools:report`\n")
        return 1
    out = args.out and os.path.join(workspace_lib.user_directory(), args.out)
    out = out or default_out(workspace)
    prepare_out(out)
    environment = environment or Environment(workspace, os.path.join(out, "logs"))

    runs = sum(1 + (e.python is not None) for e in args.selected)
    progress = progress_lib.Progress(None, stderr, PROGRAM)  # known after the build
    progress.note(f"{'quick' if args.quick else 'full'} run of {len(args.selected)} experiments "
                  f"(a build, then up to {runs} runs); writing {out}")
    machine = environment.machine()
    busy = environment.busy_warning()
    if busy:
        progress.note("warning: " + busy)
    try:
        outcomes, interrupted = run_all(args.selected, environment, args.quick, args.timeout,
                                        progress)
    except KeyboardInterrupt:  # during the build: nothing was measured yet
        stderr.write(f"\n{PROGRAM}: interrupted while building; nothing was measured\n")
        return 130

    raw_files = write_raw(out, outcomes)
    charts = charts_lib.all_charts(args.selected, outcomes)
    made, chart_errors = charts_lib.render(charts, os.path.join(out, "charts"))
    command = " ".join(["bazel run //tools:report"] + (["--"] + list(map(shlex.quote, given))
                                                        if given else []))
    text = document.report_markdown(command, machine, args.selected, outcomes, made, chart_errors,
                                    raw_files, machine_lib.load_average(), busy)
    with open(os.path.join(out, "report.md"), "w", encoding="utf-8") as f:
        f.write(text)

    stdout.write(tables.summary(args.selected, outcomes))
    stdout.flush()
    problems = tables.problems(outcomes)
    for error in chart_errors:
        stderr.write(f"{PROGRAM}: {error}\n")
    if problems:
        stderr.write(f"{PROGRAM}: {len(problems)} of {len(outcomes)} runs produced no figures:\n")
        for o in problems:
            stderr.write(f"  {tables.status_line(o)}\n")
    stderr.write(f"{PROGRAM}: wrote {out}/report.md ({len(made)} charts)\n")
    if interrupted:
        return 130
    published_ok = True
    if args.publish:
        published_ok = publish_headline(workspace, out, machine, args.selected, outcomes, stderr)
    return 1 if problems or chart_errors or not published_ok else 0


def publish_headline(workspace, out, machine, selected, outcomes, stderr):
    """--publish: README.md and docs/report/, only from a run whose headline runs all
    worked (a README table with holes would mislead). True when published."""
    headline = [o for o in outcomes if o.experiment in publish_lib.HEADLINE_EXPERIMENTS]
    if not headline or not all(o.ok for o in headline):
        stderr.write(f"{PROGRAM}: not published: the README needs every run of "
                     f"{' and '.join(publish_lib.HEADLINE_EXPERIMENTS)} to have worked\n")
        return False
    try:
        changed = publish_lib.publish(workspace, out, machine, selected, outcomes)
    except (publish_lib.PublishError, OSError) as error:
        stderr.write(f"{PROGRAM}: not published: {error}\n")
        return False
    stderr.write(f"{PROGRAM}: published to {', '.join(changed)}\n")
    return True


if __name__ == "__main__":
    sys.exit(main())

"""tools/report.py — measure the efficiency chapter on this machine: C++ beside CPython
and beside the tutorial's published figures.

    bazel run //tools:report                      # everything (a few minutes)
    bazel run //tools:report -- --quick           # short runs, same tables
    bazel run //tools:report -- --only=cpu_bound,io_bound --out=/tmp/r
    bazel run //tools:report -- --lang=zh         # the report in Chinese

It builds every experiment with optimisation (bazel build -c opt), runs each with --json
(and --lang, so the experiments speak the reader's language) and reads the one JSON
object it prints, with the warnings the run gave about itself; runs the CPython programs
in tools/python/ on the same machine; runs a few short traced runs and draws them as
timelines; and writes a folder: report.md, the raw JSON of every run, the traces, and
charts rendered by gnuplot. Progress goes to stderr; the Markdown tables to stdout.

Exit status: 0 when every run produced figures and every timeline was drawn; 1 when any
failed (the report still covers all the others and says which and why); 2 for a bad
command line; 130 when interrupted (the report of what ran is still written).
"""

import datetime
import json
import os
import shlex
import sys
from gettext import gettext as _

if __package__ in (None, ""):  # run as a file (python3 tools/report.py): find `tools`
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tools import cli
from tools import i18n
from tools import runner
from tools import timeline as timeline_lib
from tools import workspace as workspace_lib
from tools.reporting import charts as charts_lib
from tools.reporting import document
from tools.reporting import experiments as catalogue
from tools.reporting import machine as machine_lib
from tools.reporting import outcome as outcome_lib
from tools.reporting import progress as progress_lib
from tools.reporting import publish as publish_lib
from tools.reporting import schema
from tools.reporting import tables
from tools.tracing import trace_file

PROGRAM = "report"
PYTHON_DIRECTORY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "python")


def parse_flags(argv):
    flags = cli.FlagParser(PROGRAM, _("Measures the efficiency chapter on this machine: C++ "
                                      "beside CPython and beside the tutorial's figures."))
    flags.add_argument("--quick", action="store_true",
                       help=_("short runs (one repeat, small work): a minute instead of several"))
    flags.add_argument("--only", default="", metavar="NAME[,NAME...]",
                       help=_("run only these experiments: %s") % ", ".join(catalogue.NAMES))
    flags.add_argument("--out", default="", metavar="DIR",
                       help=_("the folder to write (new or empty); default: a new dated folder "
                              "under reports/ in the workspace"))
    flags.add_argument("--publish", action="store_true",
                       help=_("after a full run, put the headline tables into README.md and "
                              "README.zh-CN.md (between their report markers) and the CPU-bound "
                              "chart into docs/report/"))
    flags.add_argument("--timeout", type=cli.int_in_range(1, 7200), default=900, metavar="SECONDS",
                       help=_("longest one run may take before it is killed (default 900)"))
    args = flags.parse_args(argv)
    only = [name for name in args.only.split(",") if name] if args.only else []
    allowed = ", ".join(catalogue.NAMES)
    try:
        args.selected = catalogue.select(only)
    except ValueError as unknown:
        cli.fail_usage(PROGRAM, _("argument --only: '%(name)s' is not an experiment; allowed: "
                                  "%(allowed)s") % {"name": unknown, "allowed": allowed})
    if args.publish and (args.quick or args.only):
        cli.fail_usage(PROGRAM, _("argument --publish: the README shows a full run; drop %s")
                       % ("--quick" if args.quick else "--only"))
    if args.only and not only:
        cli.fail_usage(PROGRAM, _("argument --only: no experiment named; allowed: %s") % allowed)
    return args


class Environment:
    """Where programs come from: Bazel for C++, tools/python/ for CPython. Tests pass a
    fake one, so they run no real experiment and no Bazel."""

    def __init__(self, workspace, log_directory):
        self.bazel = workspace_lib.Bazel(workspace, log_directory)
        self.workspace = workspace
        self.python = sys.executable
        self.python_directory = PYTHON_DIRECTORY
        self.bazel_flags = (" ".join(["bazel build", *workspace_lib.BUILD_FLAGS]) + "; .bazelrc: "
                            + workspace_lib.build_flags_from_bazelrc(workspace))

    def build_all(self, labels, on_tick=None):
        self.bazel.on_tick = on_tick
        return self.bazel.build_all(labels)

    def cwd_for(self, binary):
        return workspace_lib.runfiles_directory(binary)

    def machine(self):
        return machine_lib.describe(self.bazel_flags, self.python)

    def busy_warning(self):
        return machine_lib.busy_warning()


def flag_name(argument):
    return argument.split("=", 1)[0]


def cpp_argv(experiment, binary, quick):
    """The C++ run: its args (in --quick, the quick ones instead of those of the same
    name), and the reader's language."""
    run = experiment.cpp
    args = list(run.args)
    if quick:
        replaced = {flag_name(a) for a in run.quick_args}
        args = [a for a in args if flag_name(a) not in replaced] + list(run.quick_args)
    return [binary, *args, f"--lang={i18n.current()}"]


def python_argv(environment, experiment, quick):
    run = experiment.python
    script = os.path.join(environment.python_directory, run.script)
    return [environment.python, script, *(run.quick_args if quick else run.args), "--json"]


def measure(experiment, source, label, argv, output_format, timeout, progress, cwd=None):
    """Runs one program and reads its JSON; returns an Outcome (never raises for the
    program's faults)."""
    shown = [label] + argv[2 if source == catalogue.CPYTHON else 1:]  # no long runfiles paths
    progress.start(f"{tables.source_name(source)} {experiment.name}",
                   " ".join(shlex.quote(a) for a in shown))
    done = runner.run(argv, timeout, cwd=cwd, on_tick=progress.tick)
    result = outcome_lib.Outcome(experiment.name, source, label, outcome_lib.OK, argv=argv,
                                 seconds=done.seconds, stdout=done.stdout, stderr=done.stderr)
    failure = done.failure()
    if not failure:
        try:
            result.measurement = schema.parse(done.stdout, output_format)
        except schema.BadOutput as bad:
            failure = _("bad JSON: %s") % bad
    if failure:
        result.status, result.reason = outcome_lib.FAILED, failure
        progress.finish(_("FAILED after %(seconds).1f s: %(why)s")
                        % {"seconds": done.seconds, "why": failure})
    else:
        progress.finish(_("ok, %.1f s") % done.seconds)
    return result


def planned_runs(selected):
    """(experiment, source, label) of every run, in the order they happen."""
    for experiment in selected:
        yield experiment, catalogue.CPP, experiment.cpp.target
        if experiment.python:
            yield experiment, catalogue.CPYTHON, f"tools/python/{experiment.python.script}"


def timelines_of(selected):
    return [t for experiment in selected for t in experiment.timelines]


def build_step(selected, environment, progress):
    """Builds every selected C++ program (one progress step, ticking while Bazel works);
    returns {label: Built}."""
    labels = list(dict.fromkeys([e.cpp.target for e in selected]
                                + [t.target for t in timelines_of(selected)]))
    progress.start(_("build the C++ programs (%d)") % len(labels),
                   "bazel build -c opt " + " ".join(labels))
    built = environment.build_all(labels, on_tick=progress.tick)
    ready = [e for e in selected if built[e.cpp.target].path]
    # Now the number of steps is known: the build, the runs that can happen, the timelines.
    progress.total = (1 + len(ready) + sum(1 for e in selected if e.python)
                      + len(timelines_of(selected)))
    progress.finish(_("%(built)d of %(total)d built") % {"built": sum(1 for b in built.values() if b.path),
                                                          "total": len(labels)}
                    + "".join(f"\n  {b.label}: {b.error}" for b in built.values() if not b.path))
    return built


def run_all(selected, environment, quick, timeout, progress, built):
    """Runs everything selected. Returns (outcomes, one per run in order; interrupted).
    Ctrl-C stops the run in progress (and kills it); it and the runs not reached are
    recorded as NOT_RUN, so the report of what did run is still written."""
    outcomes, interrupted = [], False
    for experiment, source, label in planned_runs(selected):
        if interrupted:
            outcomes.append(outcome_lib.Outcome(experiment.name, source, label,
                                                outcome_lib.NOT_RUN, _("interrupted")))
            continue
        if source == catalogue.CPP:
            b = built[label]
            if not b.path:
                outcomes.append(outcome_lib.Outcome(experiment.name, source, label,
                                                    outcome_lib.FAILED, b.error))
                continue
            argv = cpp_argv(experiment, b.path, quick)
            output_format, cwd = experiment.cpp.output, environment.cwd_for(b.path)
        else:
            argv = python_argv(environment, experiment, quick)
            output_format, cwd = catalogue.EXPERIMENT_JSON, None
        try:
            outcomes.append(measure(experiment, source, label, argv, output_format, timeout,
                                    progress, cwd))
        except KeyboardInterrupt:
            interrupted = True
            progress.finish(_("interrupted (stopped)"))
            outcomes.append(outcome_lib.Outcome(experiment.name, source, label,
                                                outcome_lib.NOT_RUN, _("interrupted"), argv=argv))
    return outcomes, interrupted


def draw_timelines(selected, environment, built, out, timeout, progress):
    """Runs each timeline's program with --trace and draws it. Returns
    [(Timeline, png or None, reason)]; Ctrl-C stops here (the report is still written)."""
    drawn = []
    for timeline in timelines_of(selected):
        b = built[timeline.target]
        if not b.path:
            drawn.append((timeline, None, b.error))
            continue
        trace_path = os.path.join(out, "raw", f"timeline_{timeline.name}.trace.json")
        argv = [b.path, *timeline.args, f"--lang={i18n.current()}", f"--trace={trace_path}"]
        progress.start(_("timeline %s") % timeline.name,
                       " ".join([timeline.target, *map(shlex.quote, argv[1:])]))
        try:
            done = runner.run(argv, timeout, cwd=environment.cwd_for(b.path), on_tick=progress.tick)
        except KeyboardInterrupt:
            progress.finish(_("interrupted (stopped)"))
            drawn.append((timeline, None, _("interrupted")))
            break
        reason = done.failure()
        png = os.path.join(out, "charts", f"timeline_{timeline.name}.png")
        if not reason:
            try:
                trace = trace_file.load(trace_path)
                reason = timeline_lib.draw(trace, png, _("%s: what ran when") % timeline.name,
                                           keep_script=os.path.splitext(png)[0] + ".gp")
            except trace_file.TraceError as error:
                reason = str(error)
        progress.finish(_("FAILED: %s") % reason if reason else _("ok, %.1f s") % done.seconds)
        drawn.append((timeline, None if reason else png, reason))
    return drawn


def default_out(workspace):
    stamp = datetime.datetime.now().strftime("%Y-%m-%d_%H%M%S")
    return os.path.join(workspace, "reports", stamp)


def prepare_out(out):
    """Creates the report folder; a bad --out is a usage error (exit 2)."""
    if os.path.exists(out) and (not os.path.isdir(out) or os.listdir(out)):
        cli.fail_usage(PROGRAM, _("argument --out: %s exists and is not an empty folder; name a "
                                  "new one") % out)
    try:
        for sub in ("", "raw", "charts", "logs"):
            os.makedirs(os.path.join(out, sub), exist_ok=True)
    except OSError as error:
        cli.fail_usage(PROGRAM, _("argument --out: cannot create %(out)s: %(why)s")
                       % {"out": out, "why": error.strerror})


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
    i18n.choose(given, PROGRAM)
    args = parse_flags(given)
    workspace = environment.workspace if environment else workspace_lib.find_workspace()
    if workspace is None:
        stderr.write(f"{PROGRAM}: " + _("not inside a Bazel workspace; run `bazel run "
                                        "//tools:report`") + "\n")
        return 1
    out = args.out and os.path.join(workspace_lib.user_directory(), args.out)
    out = out or default_out(workspace)
    prepare_out(out)
    environment = environment or Environment(workspace, os.path.join(out, "logs"))

    runs = sum(1 + (e.python is not None) for e in args.selected)
    progress = progress_lib.Progress(None, stderr, PROGRAM)  # known after the build
    progress.note((_("quick run of %(experiments)d experiments (a build, then up to %(runs)d runs "
                     "and %(timelines)d timelines); writing %(out)s") if args.quick else
                   _("full run of %(experiments)d experiments (a build, then up to %(runs)d runs "
                     "and %(timelines)d timelines); writing %(out)s"))
                  % {"experiments": len(args.selected), "runs": runs,
                     "timelines": len(timelines_of(args.selected)), "out": out})
    machine = environment.machine()
    busy = environment.busy_warning()
    if busy:
        progress.note(_("warning: %s") % busy)
    try:
        built = build_step(args.selected, environment, progress)
    except KeyboardInterrupt:  # during the build: nothing was measured yet
        stderr.write(f"\n{PROGRAM}: " + _("interrupted while building; nothing was measured")
                     + "\n")
        return 130
    outcomes, interrupted = run_all(args.selected, environment, args.quick, args.timeout,
                                    progress, built)
    timelines = [] if interrupted else draw_timelines(args.selected, environment, built, out,
                                                      args.timeout, progress)

    raw_files = write_raw(out, outcomes)
    charts = charts_lib.all_charts(args.selected, outcomes)
    made, chart_errors = charts_lib.render(charts, os.path.join(out, "charts"))
    command = " ".join(["bazel run //tools:report"] + (["--"] + list(map(shlex.quote, given))
                                                        if given else []))
    text = document.report_markdown(command, machine, args.selected, outcomes, made, chart_errors,
                                    raw_files, machine_lib.load_average(), busy, timelines)
    with open(os.path.join(out, "report.md"), "w", encoding="utf-8") as f:
        f.write(text)

    stdout.write(tables.summary(args.selected, outcomes))
    stdout.flush()
    problems = tables.problems(outcomes)
    undrawn = [(t, reason) for t, png, reason in timelines if not png]
    for error in chart_errors:
        stderr.write(f"{PROGRAM}: {error}\n")
    if problems:
        stderr.write(f"{PROGRAM}: " + _("%(failed)d of %(total)d runs produced no figures:")
                     % {"failed": len(problems), "total": len(outcomes)} + "\n")
        for o in problems:
            stderr.write(f"  {tables.status_line(o)}\n")
    for t, reason in undrawn:
        stderr.write(f"{PROGRAM}: " + _("timeline %(name)s not drawn: %(why)s")
                     % {"name": t.name, "why": reason} + "\n")
    stderr.write(f"{PROGRAM}: " + _("wrote %(path)s (%(charts)d charts, %(timelines)d timelines)")
                 % {"path": os.path.join(out, "report.md"), "charts": len(made),
                    "timelines": len(timelines) - len(undrawn)} + "\n")
    if interrupted:
        return 130
    published_ok = True
    if args.publish:
        published_ok = publish_headline(workspace, out, machine, args.selected, outcomes, stderr)
    return 1 if problems or chart_errors or undrawn or not published_ok else 0


def publish_headline(workspace, out, machine, selected, outcomes, stderr):
    """--publish: the READMEs and docs/report/, only from a run whose headline runs all
    worked (a README table with holes would mislead). True when published."""
    headline = [o for o in outcomes if o.experiment in publish_lib.HEADLINE_EXPERIMENTS]
    if not headline or not all(o.ok for o in headline):
        stderr.write(f"{PROGRAM}: " + _("not published: the README needs every run of %s to have "
                                        "worked") % " and ".join(publish_lib.HEADLINE_EXPERIMENTS)
                     + "\n")
        return False
    try:
        changed, notes = publish_lib.publish(workspace, out, machine, selected, outcomes)
    except (publish_lib.PublishError, OSError) as error:
        stderr.write(f"{PROGRAM}: " + _("not published: %s") % error + "\n")
        return False
    for note in notes:
        stderr.write(f"{PROGRAM}: {note}\n")
    stderr.write(f"{PROGRAM}: " + _("published to %s") % ", ".join(changed) + "\n")
    return True


if __name__ == "__main__":
    sys.exit(main())

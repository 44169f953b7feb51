"""tools/timeline.py — draw a lesson's trace as a timeline: what ran when.

    bazel run //thread:lock -- --trace=/tmp/lock.json
    bazel run //tools:timeline -- /tmp/lock.json --out=/tmp/lock.png
    bazel run //tools:timeline -- /tmp/lock.json --check     # only check the trace

Every lesson and experiment writes a trace with --trace=FILE (common/trace.h: the Chrome
Trace Event Format, which ui.perfetto.dev and chrome://tracing also open). This draws it
as a Gantt chart (tools/tracing/gantt.py): one row per process, thread and coroutine,
coloured by state (running, waiting for a lock, holding the GIL, sleeping, join, barrier,
I/O), with a time axis, a legend, the lesson's steps as marks and hand-overs as arrows.

Exit status: 0 when the PNG was written (a trace that breaks the format's rules is still
drawn, and each broken rule is named on stderr); with --check, 0 when the trace is valid
and 1 when it is not; 1 when gnuplot fails; 2 for a bad command line or a file that is
not a trace.
"""

import os
import shutil
import sys
import tempfile
from gettext import gettext as _

if __package__ in (None, ""):  # run as a file (python3 tools/timeline.py): find `tools`
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tools import cli
from tools import gnuplot
from tools import i18n
from tools import workspace
from tools.tracing import gantt
from tools.tracing import rows as rows_lib
from tools.tracing import trace_file

PROGRAM = "timeline"
SHOWN_PROBLEMS = 5


def parse_flags(argv):
    flags = cli.FlagParser(PROGRAM, _("Draws a lesson's --trace file as a timeline (PNG)."))
    flags.add_argument("trace", metavar="TRACE.json", help=_("the trace a lesson wrote with --trace"))
    flags.add_argument("--out", default="", metavar="FILE.png",
                       help=_("the picture to write; default: the trace's name with .png"))
    flags.add_argument("--title", default="", help=_("the chart's title; default: the program's "
                                                     "name"))
    flags.add_argument("--check", action="store_true",
                       help=_("only check that the trace follows the format's rules; draw nothing"))
    return flags.parse_args(argv)


def default_title(trace):
    program = trace.other.get("program") if isinstance(trace.other, dict) else None
    if not program:
        pids = trace.processes()
        program = trace.process_names.get(pids[0], "") if pids else ""
    return _("%s: what ran when") % program if program else _("what ran when")


def draw(trace, png_path, title, keep_script=""):
    """Draws a loaded trace into png_path. `keep_script`: also write the gnuplot script
    there. Returns "" or a one-line error."""
    timeline = rows_lib.build(trace)
    with tempfile.TemporaryDirectory(prefix="timeline-") as directory:
        script_path = os.path.join(directory, "timeline.gp")
        with open(script_path, "w", encoding="utf-8") as f:
            f.write(gantt.script(timeline, title, "timeline.png"))
        error = gnuplot.render(script_path)
        if error:
            return error
        shutil.copyfile(os.path.join(directory, "timeline.png"), png_path)
        if keep_script:
            with open(keep_script, "w", encoding="utf-8") as f:
                f.write(gantt.script(timeline, title, os.path.basename(png_path)))
    return ""


def main(argv=None, stdout=sys.stdout, stderr=sys.stderr):
    given = sys.argv[1:] if argv is None else argv
    i18n.choose(given, PROGRAM)
    args = parse_flags(given)
    here = workspace.user_directory()
    trace_path = os.path.join(here, args.trace)
    out = os.path.join(here, args.out) if args.out else os.path.splitext(trace_path)[0] + ".png"
    try:
        trace = trace_file.load(trace_path)
    except trace_file.TraceError as error:
        cli.fail_usage(PROGRAM, str(error))
    problems = trace_file.problems(trace)
    for problem in problems[:SHOWN_PROBLEMS]:
        stderr.write(f"{PROGRAM}: {problem}\n")
    if len(problems) > SHOWN_PROBLEMS:
        stderr.write(f"{PROGRAM}: " + _("... and %d more problems") % (len(problems) - SHOWN_PROBLEMS)
                     + "\n")
    if args.check:
        if problems:
            stderr.write(f"{PROGRAM}: " + _("%(path)s breaks %(count)d rules of the trace format")
                         % {"path": args.trace, "count": len(problems)} + "\n")
            return 1
        stdout.write(_("%(path)s is a valid trace (%(events)d events; processes: %(processes)d)")
                     % {"path": args.trace, "events": len(trace.events),
                        "processes": len(trace.processes())} + "\n")
        return 0
    if not os.path.isdir(os.path.dirname(os.path.abspath(out))) or (
            os.path.exists(out) and not os.access(out, os.W_OK)):
        cli.fail_usage(PROGRAM, _("argument --out: cannot write %s") % out)
    warning = gnuplot.font_warning()
    if warning:
        stderr.write(f"{PROGRAM}: {warning}\n")
    error = draw(trace, out, args.title or default_title(trace))
    if error:
        stderr.write(f"{PROGRAM}: {error}\n")
        return 1
    stdout.write(_("wrote %s") % out + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

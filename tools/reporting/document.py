"""tools/reporting/document.py — report.md: the whole report as one Markdown file, in the
reader's language."""

import os
from gettext import gettext as _

from tools.reporting import machine as machine_lib
from tools.reporting import tables


def machine_table(machine, load_at_end):
    rows = [[machine_lib.field_name(name), value.replace("|", "\\|")] for name, value in machine]
    rows.append([machine_lib.field_name("load average at end"), load_at_end])
    return tables.markdown_table([_("what"), _("this machine")], rows)


def timelines_section(timelines):
    """The timelines drawn from the report's own traced runs: [(Timeline, png or None,
    reason)]."""
    if not timelines:
        return []
    lines = ["## " + _("Timelines: what ran when"), "",
             _("Short runs with --trace (little work, one repeat: the picture, not the "
               "measurement; the measured runs above are not traced), drawn by "
               "//tools:timeline: one row per process, thread and coroutine, coloured by state."),
             ""]
    for timeline, png, reason in timelines:
        lines += [f"### {timeline.name} — `{timeline.target}`", "", _(timeline.caption), ""]
        if png:
            lines += [f"![{timeline.name}](charts/{os.path.basename(png)})", ""]
        else:
            lines += [_("**Not drawn:** %s") % reason, ""]
    return lines


def report_markdown(command, machine, selected, outcomes, charts, chart_errors, raw_files,
                    load_at_end, busy_warning="", timelines=()):
    """The text of report.md. `charts`: paths of the PNGs made (they live in charts/);
    `raw_files`: {(experiment, source): path in the folder} of each run's output."""
    lines = ["# " + _("Efficiency report: C++ beside CPython and the tutorial"), "",
             _("Command: `%s`") % command, "", "## " + _("Machine"), "",
             machine_table(machine, load_at_end), "",
             _("Times are medians of repeated runs on this machine; a busy machine makes every "
               "figure slower, so compare ratios within one report. The tutorial's figures are "
               "its own published ones, from its own machine and work sizes. A row marked ⚠ "
               "comes from a run that warned it could not show the effect (the warnings are "
               "listed under its table)."), ""]
    if busy_warning:
        lines += [_("**Warning:** %s.") % busy_warning, ""]
    for experiment in selected:
        lines += tables.experiment_section(experiment, outcomes)
        stem = f"speedup_{experiment.name}.png"
        if any(os.path.basename(c) == stem for c in charts):
            lines += [f"![{experiment.name}](charts/{stem})", ""]
        for o in outcomes:
            if (o.experiment == experiment.name and o.ok and o.measurement.results):
                lines += [_("Details, %(source)s `%(program)s` (%(seconds).1f s):")
                          % {"source": tables.source_name(o.source), "program": o.label,
                             "seconds": o.seconds}, "",
                          tables.detail_table(o), ""]
    if any(os.path.basename(c) == "memory.png" for c in charts):
        lines += ["## " + _("Memory per coroutine vs per thread"), "",
                  "![memory](charts/memory.png)", ""]
    lines += timelines_section(timelines)
    problems = tables.problems(outcomes)
    lines += ["## " + _("Runs"), ""]
    rows = [[o.experiment, tables.source_name(o.source), f"`{o.label}`",
             tables.status_name(o.status),
             f"{o.seconds:.1f} s" if o.seconds else tables.DASH,
             raw_files.get((o.experiment, o.source), tables.DASH),
             (o.reason or "").replace("|", "\\|")] for o in outcomes]
    lines += [tables.markdown_table([_("experiment"), _("source"), _("program"), _("status"),
                                     _("took"), _("raw output"), _("why not ok")], rows), ""]
    if chart_errors:
        lines += [_("Charts: %s") % "; ".join(chart_errors), ""]
    if problems:
        lines += [_("%(failed)d of %(total)d runs did not produce figures (see above).")
                  % {"failed": len(problems), "total": len(outcomes)}, ""]
    return "\n".join(lines)

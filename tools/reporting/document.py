"""tools/reporting/document.py — report.md: the whole report as one Markdown file."""

import os

from tools.reporting import tables


def machine_table(machine):
    return tables.markdown_table(["what", "this machine"], [[name, value.replace("|", "\\|")]
                                            for name, value in machine])


def report_markdown(command, machine, selected, outcomes, charts, chart_errors, raw_files,
                    load_at_end, busy_warning=""):
    """The text of report.md. `charts`: paths of the PNGs made (they live in charts/);
    `raw_files`: {(experiment, source): path in the folder} of each run's output."""
    lines = ["# Efficiency report: C++ beside CPython and the tutorial", "",
             f"Command: `{command}`", "", "## Machine", "", machine_table(machine),
             f"| load average at end | {load_at_end} |", "",
             "Times are medians of repeated runs on this machine; a busy machine makes every "
             "figure slower, so compare ratios within one report. The tutorial's figures are "
             "its own published ones, from its own machine and work sizes.", ""]
    if busy_warning:
        lines += [f"**Warning:** {busy_warning}.", ""]
    for experiment in selected:
        lines += tables.experiment_section(experiment, outcomes)
        stem = f"speedup_{experiment.name}.png"
        if any(os.path.basename(c) == stem for c in charts):
            lines += [f"![{experiment.name}: speedup by mode](charts/{stem})", ""]
        for o in outcomes:
            if (o.experiment == experiment.name and o.ok and o.measurement.results):
                lines += [f"Details, {o.source} `{o.label}` ({o.seconds:.1f} s):", "",
                          tables.detail_table(o), ""]
    if any(os.path.basename(c) == "memory.png" for c in charts):
        lines += ["## Memory per coroutine vs per thread", "",
                  "![memory per coroutine vs per thread](charts/memory.png)", ""]
    problems = tables.problems(outcomes)
    lines += ["## Runs", ""]
    rows = [[o.experiment, o.source, f"`{o.label}`", o.status,
             f"{o.seconds:.1f} s" if o.seconds else tables.DASH,
             raw_files.get((o.experiment, o.source), tables.DASH),
             (o.reason or "").replace("|", "\\|")] for o in outcomes]
    lines += [tables.markdown_table(["experiment", "source", "program", "status", "took",
                                     "raw output", "why not ok"], rows), ""]
    if chart_errors:
        lines += ["Charts: " + "; ".join(chart_errors), ""]
    if problems:
        lines += [f"{len(problems)} of {len(outcomes)} runs did not produce figures (see above).", ""]
    return "\n".join(lines)

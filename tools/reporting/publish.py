"""tools/reporting/publish.py — put a report's headline into the top README.

`bazel run //tools:report -- --publish` ends by copying the CPU-bound chart to
docs/report/ and replacing the part of README.md between these two lines with the
report's headline (date, machine, the CPU-bound and I/O-bound comparison tables, the
chart, and the command that regenerates all of it):

    <!-- report:begin -->
    <!-- report:end -->

Nothing else in README.md changes. Without both markers it changes nothing and says so.
"""

import os
import shutil

from tools.reporting import tables

BEGIN = "<!-- report:begin -->"
END = "<!-- report:end -->"
HEADLINE_EXPERIMENTS = ("cpu_bound", "io_bound")
CHART = "speedup_cpu_bound.png"
DOCS = os.path.join("docs", "report")


class PublishError(Exception):
    pass


def headline(machine, selected, outcomes, chart_available):
    """The Markdown that goes between the markers."""
    facts = dict(machine)
    lines = [f"Measured on {facts.get('date', '?')}: {facts.get('CPU', '?')}, "
             f"cores: {facts.get('cores', '?')}; {facts.get('compiler', '?')}, "
             "`bazel build -c opt`; "
             f"{facts.get('CPython', '?').split(' (')[0]}. "
             f"Load average at the start: {facts.get('load average at start', '?')}.", ""]
    for experiment in selected:
        if experiment.name not in HEADLINE_EXPERIMENTS:
            continue
        table = tables.comparison_table(experiment, outcomes)
        if table:
            lines += [f"**{experiment.name}** — {experiment.title}", "", table, ""]
            note = tables.work_note(experiment, outcomes)
            if note:
                lines += [note, ""]
    if chart_available:
        lines += [f"![cpu_bound: speedup by mode]({DOCS}/{CHART})", ""]
    lines += ["Regenerate (a few minutes; rewrites this section and the chart): "
              "`bazel run //tools:report -- --publish`"]
    return "\n".join(lines)


def replace_between_markers(text, body):
    """`text` with everything between BEGIN and END replaced by `body`."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < 0 or end < start:
        raise PublishError(f"README.md has no '{BEGIN}' ... '{END}' block; add the two "
                           "lines where the report's section belongs")
    return text[:start + len(BEGIN)] + "\n" + body.rstrip() + "\n" + text[end:]


def publish(workspace, report_directory, machine, selected, outcomes):
    """Copies the chart and rewrites README.md's report block. Returns the paths changed."""
    readme = os.path.join(workspace, "README.md")
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    chart = os.path.join(report_directory, "charts", CHART)
    chart_available = os.path.isfile(chart)
    updated = replace_between_markers(text, headline(machine, selected, outcomes, chart_available))
    changed = [readme]
    if chart_available:
        os.makedirs(os.path.join(workspace, DOCS), exist_ok=True)
        target = os.path.join(workspace, DOCS, CHART)
        shutil.copyfile(chart, target)
        changed.append(target)
    with open(readme, "w", encoding="utf-8") as f:
        f.write(updated)
    return changed

"""tools/reporting/publish.py — put a report's headline into the top READMEs.

`bazel run //tools:report -- --publish` ends by replacing the part of README.md between
these two lines with the report's headline (date, machine, the CPU-bound and I/O-bound
comparison tables with their warnings, the CPU-bound chart, and the command that
regenerates all of it), in English, and the same part of README.zh-CN.md in Chinese,
from the same run; the chart is drawn in each language into docs/report/:

    <!-- report:begin -->
    <!-- report:end -->

Nothing else in either README changes. README.md must have both markers; a missing
README.zh-CN.md is skipped (and said), one without the markers is an error.
"""

import os
import shutil
from gettext import gettext as _

from tools import i18n
from tools.reporting import charts as charts_lib
from tools.reporting import machine as machine_lib
from tools.reporting import tables

BEGIN = "<!-- report:begin -->"
END = "<!-- report:end -->"
HEADLINE_EXPERIMENTS = ("cpu_bound", "io_bound")
CHART_EXPERIMENT = "cpu_bound"
DOCS = os.path.join("docs", "report")
# (README, its language, the chart's file name in docs/report/).
READMES = (("README.md", i18n.ENGLISH, "speedup_cpu_bound.png"),
           ("README.zh-CN.md", i18n.CHINESE, "speedup_cpu_bound.zh-CN.png"))


class PublishError(Exception):
    pass


def headline(machine, selected, outcomes, chart_file):
    """The Markdown that goes between the markers, in the current language. Warnings are
    named by what they mean, not by the run's own sentence (which is in the language the
    run spoke, while the headline is written in both)."""
    facts = dict(machine)
    lines = [_("Measured on %(date)s: %(cpu)s, cores: %(cores)s; %(compiler)s, `bazel build -c "
               "opt`; %(python)s. Load average at the start: %(load)s.")
             % {"date": facts.get("date", "?"), "cpu": facts.get("CPU", "?"),
                "cores": machine_lib.cores_text(), "compiler": facts.get("compiler", "?"),
                "python": facts.get("CPython", "?").split(" (")[0],
                "load": facts.get("load average at start", "?")}, ""]
    for experiment in selected:
        if experiment.name not in HEADLINE_EXPERIMENTS:
            continue
        table = tables.comparison_table(experiment, outcomes)
        if table:
            lines += [f"**{experiment.name}** — {_(experiment.title)}", "", table, ""]
            for note in (tables.warnings_note(experiment, outcomes, with_messages=False),
                         tables.work_note(experiment, outcomes)):
                if note:
                    lines += [note, ""]
    if chart_file:
        lines += [f"![{CHART_EXPERIMENT}]({DOCS}/{chart_file})", ""]
    lines += [_("Regenerate (a few minutes; rewrites this section, in both READMEs, and the "
                "chart): `bazel run //tools:report -- --publish`")]
    return "\n".join(lines)


def replace_between_markers(text, body, name):
    """`text` with everything between BEGIN and END replaced by `body`."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < 0 or end < start:
        raise PublishError(_("%(readme)s has no '%(begin)s' ... '%(end)s' block; add the two "
                             "lines where the report's section belongs")
                           % {"readme": name, "begin": BEGIN, "end": END})
    return text[:start + len(BEGIN)] + "\n" + body.rstrip() + "\n" + text[end:]


def _chart(selected, outcomes, directory):
    """Draws the CPU-bound chart in the current language; its path, or None."""
    experiment = next((e for e in selected if e.name == CHART_EXPERIMENT), None)
    chart = charts_lib.speedup_chart(experiment, outcomes) if experiment else None
    if chart is None:
        return None
    os.makedirs(directory, exist_ok=True)
    made, _errors = charts_lib.render([chart], directory)
    return made[0] if made else None


def publish(workspace, report_directory, machine, selected, outcomes):
    """Rewrites the report block of each README in its language, and copies its chart.
    Returns (paths changed, notes). Raises PublishError (nothing written) when README.md,
    or an existing README.zh-CN.md, has no markers."""
    spoken = i18n.current()
    updates, notes = [], []
    try:
        for name, language, chart_name in READMES:
            path = os.path.join(workspace, name)
            if not os.path.isfile(path):
                if language == i18n.ENGLISH:
                    raise PublishError(_("there is no %s") % path)
                notes.append(_("%s does not exist: only the English README was published") % name)
                continue
            i18n.use(language)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            chart = _chart(selected, outcomes,
                           os.path.join(report_directory, "charts", "publish_" + language))
            body = headline(machine, selected, outcomes, chart_name if chart else "")
            updates.append((path, replace_between_markers(text, body, name), chart, chart_name))
    finally:
        i18n.use(spoken)
    changed = []
    for path, text, chart, chart_name in updates:
        if chart:
            os.makedirs(os.path.join(workspace, DOCS), exist_ok=True)
            target = os.path.join(workspace, DOCS, chart_name)
            shutil.copyfile(chart, target)
            changed.append(target)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        changed.append(path)
    return changed, notes

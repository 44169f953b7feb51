"""tools/reporting/charts.py — the report's charts: data files, gnuplot scripts, PNGs.

Two kinds of chart:
  speedup_<experiment>.png  speedup over single, by mode, one bar per source (C++,
                            CPython, tutorial);
  memory.png                memory one coroutine needs vs one thread, per source,
                            on a log scale (they differ by orders of magnitude).
The data (.dat) and the gnuplot script (.gp) stay beside each PNG, so a reader can
re-render or restyle a chart with `gnuplot speedup_cpu_bound.gp`. Titles and labels are
in the reader's language, drawn in a font with Chinese glyphs (tools/gnuplot.py). A mode
that a run's warning affects is marked with * on its label, and the chart's title says
which warnings there were (the report's table says what each means).
"""

import math
import os
from dataclasses import dataclass
from gettext import gettext as _

from tools import gnuplot
from tools.reporting import experiments as catalogue
from tools.reporting import tables

MISSING = "-"   # gnuplot: `set datafile missing "-"`
MEMORY_MODES = {"coroutine": "coroutines", "coroutines": "coroutines",
                "thread": "threads", "threads": "threads"}


@dataclass
class Chart:
    name: str        # file stem
    title: str
    ylabel: str
    columns: list    # series: sources (experiments.CPP, ...) or names
    rows: list       # [(x label, [value or None per column])]
    log_scale: bool = False
    reference: float = None   # a horizontal line (speedup 1 = no gain)

    def data_text(self):
        """The .dat file: a commented header, then one line per x label."""
        lines = ["# " + "\t".join(["label"] + self.columns)]
        for label, values in self.rows:
            cells = [MISSING if v is None else f"{v:.6g}" for v in values]
            lines.append("\t".join([f'"{label}"'] + cells))
        return "\n".join(lines) + "\n"


def speedup_chart(experiment, outcomes):
    """Speedup by mode for one experiment; None when nothing reported a speedup."""
    rows = tables.comparison_rows(experiment, outcomes)
    sources = [s for s in tables.sources_of(experiment)
               if any(s in r.cells and r.cells[s].speedup is not None for r in rows)]
    warnings = tables.numbered_warnings(experiment, outcomes)
    data = []
    for r in rows:
        marked = " *" if tables.row_marks(r, warnings) else ""
        values = [r.cells[s].speedup if s in r.cells else None for s in sources]
        if any(v is not None for v in values):
            data.append((f"{r.mode} ({r.workers}){marked}", values))
    if not data:
        return None
    title = _("%s: speedup over single (higher is faster)") % experiment.name
    if warnings:
        codes = ", ".join(dict.fromkeys(w.code for _n, _s, w in warnings))
        title += "\n" + _("* warnings (%s): these bars may not show the effect; see the "
                          "report") % codes
    return Chart(f"speedup_{experiment.name}", title, _("speedup (x)"), sources, data,
                 reference=1.0)


def memory_chart(selected, outcomes):
    """Memory per coroutine vs per thread, from every run that measured it; or None."""
    rows = []
    for experiment in selected:
        for o in outcomes:
            if o.experiment != experiment.name or not o.ok:
                continue
            per_mode = {}
            for r in o.measurement.results:
                mode = MEMORY_MODES.get(r.mode)
                # A log scale has no place for 0 or less (a tiny run lost in the noise).
                if mode and r.bytes_per_worker and r.bytes_per_worker > 0 and mode not in per_mode:
                    per_mode[mode] = r.bytes_per_worker / 1024
            if per_mode:
                rows.append((f"{o.source} {experiment.name}",
                             [per_mode.get("coroutines"), per_mode.get("threads")]))
    if not rows:
        return None
    return Chart("memory", _("memory per coroutine vs per thread (log scale)"),
                 _("KiB per task"), ["coroutine", "thread"], rows,
                 log_scale=True)


def parallel_chart(selected, outcomes):
    """cpu_bound's threads, processes and TBB beside MPI's ranks: the same job spread over
    the cores four ways (C++ speedups over each run's own single); None without both."""
    runs = {e.name: tables.find(outcomes, e, catalogue.CPP) for e in selected
            if e.name in ("cpu_bound", "mpi")}
    if not all(runs.get(name) and runs[name].ok for name in ("cpu_bound", "mpi")):
        return None
    data = []
    for name in ("cpu_bound", "mpi"):
        for r in runs[name].measurement.results:
            if r.mode != "single" and r.speedup is not None:
                data.append((f"{name}: {r.mode} ({r.workers})", [r.speedup]))
    if not data:
        return None
    return Chart("parallel", _("One CPU-bound job, spread over the cores four ways: speedup "
                               "over one thread"), _("speedup (x)"), ["C++"], data,
                 reference=1.0)


def communication_chart(selected, outcomes):
    """One-way time of a message by size: MPI, a pipe, threads (log scale); or None."""
    for experiment in selected:
        rows = tables.communication_rows(tables.find(outcomes, experiment, catalogue.CPP))
        if not rows:
            continue
        named = [(m, name) for m, name in tables.communication_methods()
                 if any(r["method"] == m for r in rows)]
        methods = [m for m, _name in named]
        by_size = {}
        for r in rows:
            by_size.setdefault(r["bytes"], {})[r["method"]] = r["one_way_us"]
        data = [(tables.bytes_text(size), [by_size[size].get(m) for m in methods])
                for size in sorted(by_size)]
        return Chart("communication", _("What a message costs, one way (log scale)"),
                     _("microseconds"), [name for _m, name in named], data, log_scale=True)
    return None


def all_charts(selected, outcomes):
    charts = [speedup_chart(e, outcomes) for e in selected
              if e.cpp.output == catalogue.EXPERIMENT_JSON]
    charts += [parallel_chart(selected, outcomes), communication_chart(selected, outcomes),
               memory_chart(selected, outcomes)]
    return [c for c in charts if c is not None]


# One colour per series everywhere, so C++ is the same blue in every chart.
COLOURS = {catalogue.CPP: "#1f77b4", catalogue.CPYTHON: "#ff7f0e", catalogue.TUTORIAL: "#8c8c8c",
           "coroutine": "#2ca02c", "thread": "#d62728"}
OTHER_COLOURS = ("#9467bd", "#8c564b", "#e377c2")


def _value_format(chart):
    return '"%.3g"' if chart.log_scale else '"%.2f"'


def _log_floor(chart):
    """The power of ten just below the smallest value: where log-scale bars start."""
    values = [v for _label, row in chart.rows for v in row if v is not None and v > 0]
    return 10 ** math.floor(math.log10(min(values))) if values else 1


def series_title(column):
    names = {catalogue.TUTORIAL: _("tutorial"), "coroutine": _("coroutine"),
             "thread": _("thread")}
    return names.get(column, column)


def gnuplot_script(chart):
    """A gnuplot script that renders chart.name + '.dat' to chart.name + '.png': clustered
    bars, one colour per series, each bar labelled with its value."""
    count = len(chart.columns)
    series, labels = [], []
    for i, title in enumerate(chart.columns):
        column = i + 2
        source = f'"{chart.name}.dat"' if i == 0 else '""'
        xtic = ":xtic(1)" if i == 0 else ""
        colour = COLOURS.get(title, OTHER_COLOURS[i % len(OTHER_COLOURS)])
        series.append(f'{source} using {column}{xtic} title {gnuplot.quote(series_title(title))} '
                      f'linecolor rgb "{colour}"')
        # The centre of bar i in its cluster: boxes are 1/(count + gap) wide, gap = 1.
        offset = (i - (count - 1) / 2) / (count + 1)
        labels.append(f'"" using ($0{offset:+.4f}):{column}:(sprintf({_value_format(chart)}, '
                      f'${column})) with labels offset 0,0.6 notitle')
    # Many modes (tbb has ten): a wider chart with slanted labels, so they do not overlap.
    crowded = len(chart.rows) > 5
    width = max(900, 100 * len(chart.rows) * max(1, count) // 2 + 300)
    lines = [
        gnuplot.terminal_line(width, 600 if crowded else 500),
        f'set output "{chart.name}.png"',
        'set termoption noenhanced',  # underscores in names are not subscripts
        f'set title "{_escape_title(chart.title)}"',
        f'set ylabel {gnuplot.quote(chart.ylabel)}',
        f'set datafile missing "{MISSING}"',
        'set style data histograms',
        'set style histogram clustered gap 1',
        'set style fill solid 0.85 border -1',
        'set key top left',
        'set grid ytics',
    ]
    if crowded:
        lines += ['set xtics rotate by 30 right', 'set bmargin 9']
    if chart.log_scale:
        lines += ['set logscale y', f'set yrange [{_log_floor(chart):g}:*]']
    else:
        lines += ['set yrange [0:*]', 'set offsets 0, 0, graph 0.1, 0']
    if chart.reference is not None:
        lines.append(f'set arrow from graph 0, first {chart.reference} to graph 1, '
                     f'first {chart.reference} nohead dashtype 2')
    lines.append("plot " + ", \\\n     ".join(series + labels))
    return "\n".join(lines) + "\n"


def _escape_title(title):
    """A title for gnuplot's double quotes, keeping a line break as \\n."""
    return title.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def render(charts, directory):
    """Writes each chart's .dat and .gp into `directory` and runs gnuplot on it.
    Returns (paths of the PNGs made, list of one-line errors)."""
    if not charts:
        return [], []
    errors = []
    if gnuplot.executable() is None:
        errors.append(_("gnuplot is not installed (tools/setup.sh installs gnuplot-nox): no charts"))
    made = []
    for chart in charts:
        with open(os.path.join(directory, chart.name + ".dat"), "w", encoding="utf-8") as f:
            f.write(chart.data_text())
        script = os.path.join(directory, chart.name + ".gp")
        with open(script, "w", encoding="utf-8") as f:
            f.write(gnuplot_script(chart))
        if gnuplot.executable() is None:
            continue
        error = gnuplot.render(script)
        png = os.path.join(directory, chart.name + ".png")
        if error or not os.path.isfile(png):
            errors.append(error or _("gnuplot made no %s") % png)
        else:
            made.append(png)
    return made, errors

"""tools/tracing/gantt.py — a Timeline (tools/tracing/rows.py) as a gnuplot Gantt chart.

One row per process, thread and coroutine (labelled on the left), time across (from the
trace's first event), each span a bar coloured by its state, with a legend of the states
that occur. A span inside another is drawn over it, thinner, so both show; a coroutine's
whole life (state "task") is a thin grey line under what it does. Moments (instant
events) are black marks, named when they are few (a lesson's steps); hand-overs (flows)
are arrows from one row to another. Dotted lines separate processes.

The script is self-contained (its data inline), so `gnuplot timeline.gp` re-renders it.
"""

from gettext import gettext as _

from tools import gnuplot
from tools import text

# One colour per state, the same in every chart (colour-blind-safe where it matters:
# running green, waiting for a lock red, holding the GIL purple).
COLOURS = {
    "run": "#2ca02c",
    "lock_wait": "#d62728",
    "gil": "#9467bd",
    "sleep": "#6baed6",
    "join": "#ff7f0e",
    "barrier": "#8c564b",
    "io": "#17becf",
    "wait": "#bcbd22",
    "task": "#b0b0b0",
}
OTHER_COLOUR = "#7f7f7f"
HALF_HEIGHT = 0.38        # of a depth-0 bar, in rows
NESTED_SHRINK = 0.72      # each level of nesting is this much thinner
TASK_HALF_HEIGHT = 0.07   # a coroutine's life line
LABEL_COLUMNS = 26        # row labels are cut to this width (columns)
STEP_COLUMNS = 40         # and step names to this
WIDTH = 1200              # pixels
LEFT_MARGIN = 30          # characters, for the row labels
PLOT_PIXELS = 950         # about what is left for the plot
COLUMN_PIXELS = 5.5       # one column of the steps' font (a Chinese character is two)
CLUSTER_COLUMNS = 6       # steps closer than this share one name
ROW_PIXELS = 26
LEGEND_COLUMNS = 4


def state_name(state):
    """The legend's name of a state, in the reader's language."""
    names = {
        "run": _("running"),
        "lock_wait": _("waiting for a lock"),
        "gil": _("holding the GIL"),
        "sleep": _("sleeping"),
        "join": _("waiting for another to end (join)"),
        "barrier": _("waiting at a barrier"),
        "io": _("waiting for I/O"),
        "wait": _("waiting"),
        "task": _("coroutine alive"),
    }
    return names.get(state, state)


def time_unit(timeline):
    """(divisor from µs, axis label): milliseconds up to two seconds, then seconds."""
    if timeline.end - timeline.start <= 2e6:
        return 1e3, _("time since the trace began (ms)")
    return 1e6, _("time since the trace began (s)")


def _bar(span, row, origin, divisor):
    if span.state == "task":
        half = TASK_HALF_HEIGHT
    else:
        half = HALF_HEIGHT * NESTED_SHRINK ** span.depth
    x0, x1 = (span.start - origin) / divisor, (span.end - origin) / divisor
    colour = int(COLOURS.get(span.state, OTHER_COLOUR)[1:], 16)
    return (span.depth, span.state != "task", span.start,
            f"{(x0 + x1) / 2:.6g} {row} {x0:.6g} {x1:.6g} {row - half:.4g} {row + half:.4g} {colour}")


def script(timeline, title, png_name, width=WIDTH):
    """The gnuplot script that draws `timeline` into `png_name`."""
    divisor, xlabel = time_unit(timeline)
    origin = timeline.start
    rows = timeline.rows
    span_end = max((timeline.end - origin) / divisor, 1e-9)
    steps = [i for i in rows[0].instants if i.category == "run"] if rows else []
    # The lesson's steps get a row of their own above the others (y = -1), named there.
    top = -1 if steps else 0
    bars, marks = [], []
    for index, row in enumerate(rows):
        bars += [_bar(s, index, origin, divisor) for s in row.spans]
        marks += [f"{(i.ts - origin) / divisor:.6g} {index}" for i in row.instants
                  if not (index == 0 and i in steps)]
    marks += [f"{(i.ts - origin) / divisor:.6g} -1" for i in steps]
    names = [f"{x:.6g} -1 {gnuplot.quote(name)}"
             for x, name in _step_names(steps, origin, divisor, span_end)]
    # Life lines first, then by depth: an inner span is drawn over its outer one.
    bars.sort(key=lambda bar: (bar[1], bar[0], bar[2]))
    arrows = [f"{(f.from_ts - origin) / divisor:.6g} {f.from_row} "
              f"{(f.to_ts - f.from_ts) / divisor:.6g} {f.to_row - f.from_row}"
              for f in timeline.flows]
    tics = [(text.truncate(row.label, LABEL_COLUMNS), i) for i, row in enumerate(rows)]
    if steps:
        tics.insert(0, (_("steps"), -1))
    legend = len(timeline.states) + bool(marks) + bool(arrows)
    legend_rows = (legend + LEGEND_COLUMNS - 1) // LEGEND_COLUMNS
    height = 130 + ROW_PIXELS * (len(rows) - top) + 20 * legend_rows
    lines = [
        gnuplot.terminal_line(width, height),
        f"set output {gnuplot.quote(png_name)}",
        "set termoption noenhanced",
        f"set title {gnuplot.quote(title)}",
        f"set xlabel {gnuplot.quote(xlabel)}",
        f"set xrange [0:{span_end * 1.01:.6g}]",
        f"set yrange [{len(rows) - 0.5}:{top - 0.5}]",
        "set ytics (" + ", ".join(f"{gnuplot.quote(label)} {y}" for label, y in tics) + ") scale 0"
        if tics else "unset ytics",
        "set grid xtics lc rgb '#dddddd'",
        f"set key below horizontal maxcols {LEGEND_COLUMNS} samplen 2",
        "set style fill solid 1.0 noborder",
        f"set lmargin {LEFT_MARGIN}",
        "set rmargin 3",
        f"set bmargin {5 + legend_rows}",
    ]
    for start in timeline.process_starts[1:] + ([0] if steps else []):
        lines.append(f"set arrow from graph 0, first {start - 0.5} to graph 1, first {start - 0.5} "
                     "nohead lc rgb '#888888' dashtype 3")
    lines += _datablock("bars", [bar[3] for bar in bars]) + _datablock("marks", marks)
    lines += _datablock("names", names) + _datablock("flows", arrows)
    plots = ["$bars using 1:2:3:4:5:6:7 with boxxyerror lc rgb variable notitle"
             if bars else "NaN notitle"]
    for state in timeline.states:
        plots.append(f"keyentry with boxes fc rgb '{COLOURS.get(state, OTHER_COLOUR)}' "
                     f"title {gnuplot.quote(state_name(state))}")
    moment, hand_over = _("moment"), _("hand-over")
    if marks:
        plots.append(f"$marks using 1:2 with points pt 9 ps 0.9 lc rgb 'black' "
                     f"title {gnuplot.quote(moment)}")
    if names:
        plots.append("$names using 1:2:3 with labels left offset 0.8,0 font ',9' notitle")
    if arrows:
        plots.append(f"$flows using 1:2:3:4 with vectors head filled size screen 0.008,20 "
                     f"lc rgb '#333333' title {gnuplot.quote(hand_over)}")
    lines.append("plot " + ", \\\n     ".join(plots))
    return "\n".join(lines) + "\n"


def _step_names(steps, origin, divisor, span):
    """(x, name) of the lesson's steps: each named from its mark up to the next step, cut
    to fit; steps closer than a few columns to the one before (a step and the line it
    prints at once) keep their marks, and the first of them its name."""
    xs = sorted(((step.ts - origin) / divisor, step.name) for step in steps)
    width = span * 1.01

    def columns(dx):
        return int(dx / width * PLOT_PIXELS / COLUMN_PIXELS)

    named, i = [], 0
    while i < len(xs):
        x, name = xs[i]
        j = i + 1
        while j < len(xs) and columns(xs[j][0] - x) < CLUSTER_COLUMNS:
            j += 1
        room = columns((xs[j][0] if j < len(xs) else width) - x) - 2
        if room >= 4:
            named.append((x, text.truncate(name, min(room, STEP_COLUMNS))))
        i = j
    return named


def _datablock(name, lines):
    if not lines:
        return []
    return [f"${name} << EOD", *lines, "EOD"]

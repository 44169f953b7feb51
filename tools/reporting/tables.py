"""tools/reporting/tables.py — turn outcomes into the report's Markdown tables.

Pure functions: experiments and outcomes in, text out (tested on fixed JSON fixtures).

Every text is in the reader's language (tools/i18n.py); columns are padded by display
width (tools/text.py), so the tables line up in a terminal in Chinese too.

The comparison table puts, for each mode, the C++ run beside the CPython run and the
tutorial's published figures. Rows are matched by mode and worker count; when the
machines differ (C++ with 4 workers on a 4-core machine, the tutorial with 2) a mode that
occurs once per source is still matched, and the cell says its own worker count.
"""

from dataclasses import dataclass, field
from gettext import gettext as _

from tools import i18n
from tools import text
from tools.reporting import experiments as catalogue
from tools.reporting import outcome as outcomes_lib
from tools.reporting.schema import Result

DASH = "—"


def tutorial_results(experiment):
    """The tutorial's published figures as Results, with speedup over its own single."""
    single = next((p.seconds for p in experiment.tutorial if p.mode == "single"), None)
    return [Result(p.mode, p.workers, p.seconds, p.seconds, p.seconds,
                   single / p.seconds if single else None) for p in experiment.tutorial]


def sources_of(experiment):
    """The columns an experiment's comparison has, in order."""
    sources = [catalogue.CPP]
    if experiment.python:
        sources.append(catalogue.CPYTHON)
    if experiment.tutorial:
        sources.append(catalogue.TUTORIAL)
    return sources


def find(outcomes, experiment, source):
    return next((o for o in outcomes if o.experiment == experiment.name and o.source == source),
                None)


def results_by_source(experiment, outcomes):
    """{source: [Result]} for the sources that have results (ok runs, published figures)."""
    by_source = {}
    for source in sources_of(experiment):
        if source == catalogue.TUTORIAL:
            by_source[source] = tutorial_results(experiment)
            continue
        o = find(outcomes, experiment, source)
        if o and o.ok and o.measurement.results:
            by_source[source] = o.measurement.results
    return by_source


@dataclass
class Row:
    mode: str
    workers: int
    cells: dict = field(default_factory=dict)  # source -> Result


def comparison_rows(experiment, outcomes):
    """The comparison's rows, in first-seen order (C++ first)."""
    rows = []
    for source, results in results_by_source(experiment, outcomes).items():
        modes = [r.mode for r in results]
        for r in results:
            free = [row for row in rows if row.mode == r.mode and source not in row.cells]
            match = next((row for row in free if row.workers == r.workers), None)
            if match is None and modes.count(r.mode) == 1 and len(free) == 1:
                match = free[0]
            if match is None:
                match = Row(r.mode, r.workers)
                rows.append(match)
            match.cells[source] = r
    return rows


def figures(value):
    """Three significant figures, trailing zeros kept: 9.10, 0.121, 46.8, 612."""
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:#.3g}"


def seconds_text(seconds):
    """9.10 s, 0.121 s, 46.8 s; below a millisecond in µs."""
    if seconds is None:
        return DASH
    if seconds >= 0.001:
        return f"{figures(seconds)} s"
    return f"{figures(seconds * 1e6)} µs"


UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0}


def duration_text(value, unit):
    """A Google Benchmark time in the unit that reads best: 25000 ns -> "25.0 µs"."""
    seconds = value * UNIT_SECONDS.get(unit, 1.0)
    for name, size in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= size:
            return f"{figures(seconds / size)} {name}"
    return f"{figures(seconds / 1e-9)} ns"


def bytes_text(count):
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if abs(count) >= size:
            return f"{figures(count / size)} {unit}"
    return f"{count:.0f} B"


def list_text(items):
    """Items as a list in a sentence: "a, b" in English, "a、b" in Chinese."""
    return ("、" if i18n.chinese() else ", ").join(items)


def source_name(source):
    """A column's source, in the reader's language ("C++" and "CPython" are names)."""
    return _("tutorial") if source == catalogue.TUTORIAL else source


def cell_text(result, row_workers):
    """"0.52 s · 1.95×", with memory when measured and workers when they differ."""
    parts = [seconds_text(result.seconds)]
    if result.speedup is not None:
        parts.append(f"{result.speedup:.2f}×")
    if result.bytes_per_worker is not None:
        parts.append(_("%s each") % bytes_text(result.bytes_per_worker))
    elif result.peak_rss_bytes is not None:
        parts.append(_("peak %s") % bytes_text(result.peak_rss_bytes))
    if result.workers != row_workers:
        parts.append(_("%d workers") % result.workers)
    return " · ".join(parts)


def column_title(source, experiment, outcomes):
    if source == catalogue.TUTORIAL:
        return _("tutorial (published)")
    o = find(outcomes, experiment, source)
    name = source
    if o and o.ok and isinstance(o.measurement.raw.get("language"), str):
        name = o.measurement.raw["language"]
    return _("%s (this machine)") % name


def markdown_table(header, rows):
    """A Markdown table whose columns line up in a terminal too (padded by display width)."""
    widths = [max(text.width(cell) for cell in column) for column in zip(header, *rows)]

    def line(cells):
        return "| " + " | ".join(text.pad_right(c, w) for c, w in zip(cells, widths)) + " |"

    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
                     + [line(row) for row in rows])


# A row some warning affects is marked with this, and the warning's number.
WARNING_MARK = "⚠"


def numbered_warnings(experiment, outcomes):
    """[(number, source, Warning)] of every run of the experiment, numbered from 1."""
    found = []
    for source in sources_of(experiment):
        o = find(outcomes, experiment, source)
        if o and o.ok and o.measurement.warnings:
            for warning in o.measurement.warnings:
                found.append((len(found) + 1, source, warning))
    return found


def row_marks(row, warnings):
    """"⚠1,2" when warnings 1 and 2 touch this row (of the source they came from)."""
    numbers = [str(n) for n, source, w in warnings if source in row.cells and w.affects(row.mode)]
    return f"{WARNING_MARK}{','.join(numbers)}" if numbers else ""


def comparison_table(experiment, outcomes):
    """The Markdown comparison table of one experiment; "" when nothing was measured. A
    row that a run's warning affects is marked ⚠ with the warning's number."""
    sources = sources_of(experiment)
    rows = comparison_rows(experiment, outcomes)
    if not rows:
        return ""
    warnings = numbered_warnings(experiment, outcomes)
    header = [_("mode"), _("workers")] + [column_title(s, experiment, outcomes) for s in sources]
    body = []
    for row in rows:
        mark = row_marks(row, warnings)
        body.append([row.mode + (f" {mark}" if mark else ""), str(row.workers)]
                    + [cell_text(row.cells[s], row.workers) if s in row.cells else DASH
                       for s in sources])
    return markdown_table(header, body)


def warning_code_text(code):
    """What a warning's code means (common/run_conditions.h), in the reader's language."""
    texts = {"fewer_cores": _("fewer usable cores than workers"),
             "busy_machine": _("the machine was busy with other work"),
             "unoptimised_build": _("not an optimised build"),
             "implausible": _("a figure outside what the run could give")}
    return texts.get(code, code)


def warnings_note(experiment, outcomes, with_messages=True):
    """The warnings the runs gave, beside the table: why a figure may not show what the
    experiment is about (one usable core, a busy machine, an unoptimised build, an
    implausible figure). Each names its rows and says what it means; with_messages adds
    the run's own sentence (in the language the run spoke). "" when there were none."""
    warnings = numbered_warnings(experiment, outcomes)
    if not warnings:
        return ""
    lines = [_("%s Warnings: these runs could not show everything the experiment is about.")
             % WARNING_MARK, ""]
    for number, source, w in warnings:
        rows = list_text(w.modes) if w.modes else _("every row")
        line = _("%(number)d. %(source)s, %(rows)s: %(meaning)s (`%(code)s`)") % {
            "number": number, "source": source_name(source), "rows": rows,
            "meaning": warning_code_text(w.code), "code": w.code}
        if with_messages:
            line += " — " + w.message
        lines.append(line)
    return "\n".join(lines)


def work_note(experiment, outcomes):
    """What each column measured; says to compare ratios when the work sizes differ."""
    parts = []
    for source in sources_of(experiment):
        work = ""
        if source == catalogue.TUTORIAL:
            work = _(experiment.tutorial_work)
        else:
            o = find(outcomes, experiment, source)
            if o and o.ok:
                work = o.measurement.work_text("zh" if i18n.chinese() else "en")
        if work:
            parts.append(_("%(source)s: %(work)s") % {"source": source_name(source), "work": work})
    if not parts:
        return ""
    separator = "；" if i18n.chinese() else "; "
    note = _("Work per run: %s.") % separator.join(parts)
    if len(parts) > 1:
        note += ("" if i18n.chinese() else " ") + _(
            "The work sizes differ between columns, so compare the ratios (speedup × over each "
            "column's own single run, memory per task), not the seconds.")
    return note


def benchmark_table(outcome):
    """Google Benchmark results: name, wall time and CPU time per iteration."""
    body = []
    for b in outcome.measurement.benchmarks:
        if b.error:
            body.append([b.name, _("error: %s") % b.error, DASH])
        else:
            body.append([b.name, duration_text(b.real_time, b.time_unit),
                         duration_text(b.cpu_time, b.time_unit)])
    return markdown_table([_("benchmark"), _("wall time per iteration"),
                           _("CPU time per iteration")], body)


def detail_table(outcome):
    """Every figure one run reported: median, spread, speedup, memory."""
    body = []
    for r in outcome.measurement.results:
        spread = DASH if r.min is None or r.max is None else f"{figures(r.min)}–{figures(r.max)}"
        body.append([r.mode, str(r.workers), seconds_text(r.seconds), spread,
                     DASH if r.speedup is None else f"{r.speedup:.2f}×",
                     DASH if r.peak_rss_bytes is None else bytes_text(r.peak_rss_bytes),
                     DASH if r.bytes_per_worker is None else bytes_text(r.bytes_per_worker)])
    return markdown_table([_("mode"), _("workers"), _("median"), _("min–max s"), _("speedup"),
                           _("peak RSS"), _("memory per worker")], body)


def communication_rows(outcome):
    """The ping-pong rows of a run that measured what a message costs (//efficiency:mpi's
    details.communication: method, bytes, one_way_us, megabytes_per_second); [] if none."""
    details = outcome.measurement.raw.get("details") if outcome and outcome.ok else None
    rows = details.get("communication") if isinstance(details, dict) else None
    if not isinstance(rows, list):
        return []
    return [r for r in rows if isinstance(r, dict) and isinstance(r.get("bytes"), int)
            and isinstance(r.get("one_way_us"), (int, float))]


def communication_methods():
    """(method, its column name in the reader's language), in the order shown."""
    return (("mpi", _("MPI, 2 ranks")), ("pipe", _("pipe, 2 processes")),
            ("threads", _("2 threads")))


def communication_table(outcome):
    """One row per message size: one-way time and bandwidth of each method; "" if none."""
    rows = communication_rows(outcome)
    if not rows:
        return ""
    methods = [(m, name) for m, name in communication_methods()
               if any(r["method"] == m for r in rows)]
    by_size = {}
    for r in rows:
        by_size.setdefault(r["bytes"], {})[r["method"]] = r
    body = []
    for size in sorted(by_size):
        cells = [bytes_text(size)]
        for method, _name in methods:
            r = by_size[size].get(method)
            cells.append(DASH if r is None else "%s µs · %s MB/s" % (
                figures(r["one_way_us"]), figures(r.get("megabytes_per_second") or 0)))
        body.append(cells)
    return markdown_table([_("message")] + [name for _m, name in methods], body)


def status_name(status):
    return {outcomes_lib.OK: _("ok"), outcomes_lib.FAILED: _("failed"),
            outcomes_lib.NOT_RUN: _("not run")}.get(status, status)


def status_line(outcome):
    """"C++ //efficiency:gil: failed — exited with status 3" for a run that did not work."""
    return f"{source_name(outcome.source)} `{outcome.label}`: {status_name(outcome.status)} — {outcome.reason}"


def problems(outcomes):
    return [o for o in outcomes if o.status != outcomes_lib.OK]


def experiment_section(experiment, outcomes, level="##"):
    """One experiment's heading, comparison (or benchmarks), warnings and what went wrong."""
    lines = [f"{level} {experiment.name} — {_(experiment.title)}", ""]
    mine = [o for o in outcomes if o.experiment == experiment.name]
    cpp = find(outcomes, experiment, catalogue.CPP)
    if experiment.cpp.output == catalogue.BENCHMARK_JSON:
        if cpp and cpp.ok:
            lines += [benchmark_table(cpp), ""]
    else:
        table = comparison_table(experiment, outcomes)
        if table:
            lines += [table, ""]
            for note in (warnings_note(experiment, outcomes), work_note(experiment, outcomes)):
                if note:
                    lines += [note, ""]
        communication = communication_table(cpp)
        if communication:
            lines += [_("What a message costs, one way (a ping-pong; 进程之间数据通信不方便):"), "",
                      communication, ""]
    for o in problems(mine):
        lines += [_("**Not measured:** %s") % status_line(o), ""]
    return lines


def summary(selected, outcomes):
    """The Markdown the report prints to the terminal: every experiment's section."""
    lines = []
    for experiment in selected:
        lines += experiment_section(experiment, outcomes)
    return "\n".join(lines).rstrip() + "\n"

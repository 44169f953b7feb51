"""tools/tracing/rows.py — a trace as the rows of a Gantt chart.

One row per process, thread and coroutine, in the order a reader follows them: processes
in the trace's order (the traced program first, then its children as they appeared);
within one, its main thread (labelled with the process: name and pid), then its other
threads in the order they were created, each followed by the coroutines that ran on it.

Two rules keep a lesson's default run readable at a glance:
- Threads of one process with the same name whose lives do not overlap share a row
  ("t1 (10 threads)"): a lesson that runs its two threads ten times shows two rows, not
  twenty. Coroutine tracks of one thread with the same name do the same, and so do child
  processes of one name with a single thread each ("p1 (3 processes)").
- Past MAX_CHILD_ROWS threads in a process (or coroutines on a thread), the rest share one
  row ("… 95 more"), still drawn, so the picture stays honest about what ran; when the
  whole chart would still pass MAX_ROWS rows, fewer per thread (down to two).
"""

import bisect
from dataclasses import dataclass, field
from gettext import gettext as _

from tools.tracing import trace_file

MAX_CHILD_ROWS = 12
MAX_ROWS = 40
# States in which a coroutine is not running (a flow that arrives on its thread then is
# not its).
WAITING = {"sleep", "lock_wait", "join", "barrier", "io", "wait", "gil", "task"}


@dataclass
class Row:
    label: str
    pid: int
    kind: str                      # "process" (its main thread), "thread" or "coroutine"
    members: int = 1               # threads or coroutines sharing the row
    spans: list = field(default_factory=list)
    instants: list = field(default_factory=list)   # Instant
    # What the row stands for: (pid, tid) for threads, (pid, track) for coroutines.
    keys: set = field(default_factory=set)
    first: float = 0.0
    last: float = 0.0


@dataclass
class Instant:
    ts: float
    name: str
    category: str      # "run" for a lesson's step, "process" for a child's end, ...


@dataclass
class Flow:
    name: str
    from_row: int
    from_ts: float
    to_row: int
    to_ts: float


@dataclass
class Timeline:
    rows: list
    flows: list
    start: float                   # µs, the trace's first event
    end: float
    process_starts: list           # indices of rows where a new process begins
    states: list                   # the states the spans use, in legend order


def _life(events, spans):
    stamps = [e.ts for e in events] + [s.start for s in spans] + [s.end for s in spans]
    return (min(stamps), max(stamps)) if stamps else (0.0, 0.0)


def _group_by_name(items):
    """items: [(name, first, last, key)] in start order -> [[name, first, last, [keys]]]
    where items with the same name and no overlap in time share a group."""
    groups, by_name = [], {}
    for name, first, last, key in items:
        match = next((g for g in by_name.get(name, ()) if g[2] <= first), None)
        if match:
            match[2] = max(match[2], last)
            match[3].append(key)
        else:
            group = [name, first, last, [key]]
            groups.append(group)
            by_name.setdefault(name, []).append(group)
    return groups


def _fold(groups, labelled, rest_label, most):
    """[(label, first, last, keys)]: each group labelled by labelled(name, count), at most
    `most` of them; the rest share one row labelled rest_label(count)."""
    rows = [(labelled(g[0], len(g[3])), g[1], g[2], g[3]) for g in groups]
    if len(rows) <= most:
        return rows
    kept, rest = rows[:most - 1], rows[most - 1:]
    keys = [k for row in rest for k in row[3]]
    return kept + [(rest_label(len(keys)), min(r[1] for r in rest), max(r[2] for r in rest), keys)]


def _thread_label(name, count):
    if count > 1:
        return _("%(name)s (%(count)d threads)") % {"name": name, "count": count}
    return name


def _coroutine_label(name, count):
    if count > 1:
        return _("%(name)s (%(count)d coroutines)") % {"name": name, "count": count}
    return _("%s (coroutine)") % name


def _process_label(name, pid, count):
    if count > 1:
        return _("%(name)s (%(count)d processes)") % {"name": name, "count": count}
    if name:
        return _("%(name)s [pid %(pid)d]") % {"name": name, "pid": pid}
    return _("process %d") % pid


class _Process:
    """What one process of the trace holds, for laying out its rows."""

    def __init__(self, trace, pid, events, all_spans):
        self.pid = pid
        self.name = trace.process_names.get(pid, "")
        self.thread_spans = [s for s in all_spans if s.track is None]
        self.tracks = [s for s in all_spans if s.track is not None]
        tids = {e.tid for e in events if e.ph not in "bne"} | {s.tid for s in all_spans}
        tids |= {tid for (p, tid) in trace.thread_names if p == pid}
        tids.add(pid)
        events_of, spans_of = {}, {}
        for e in events:
            if e.ph not in "bne":
                events_of.setdefault(e.tid, []).append(e)
        for span in self.thread_spans:
            spans_of.setdefault(span.tid, []).append(span)
        self.lives = {tid: _life(events_of.get(tid, []), spans_of.get(tid, [])) for tid in tids}
        active = {e.tid for e in events} | {s.tid for s in all_spans}
        # In the order they were created (the kernel hands out thread ids in order).
        self.others = sorted(t for t in tids if t != pid and t in active)
        self.life = _life(events, all_spans)
        self.has_events = bool(events)

    def simple(self):
        """One thread, no coroutines: such processes of one name can share a row."""
        return not self.others and not self.tracks


def build(trace, most=MAX_CHILD_ROWS):
    """The Timeline of a Trace (trace_file.Trace). More than MAX_ROWS rows (many processes,
    each with many coroutines): fewer rows per thread, down to two."""
    timeline = _build(trace, most)
    while len(timeline.rows) > MAX_ROWS and most > 2:
        most = max(2, most // 2)
        timeline = _build(trace, most)
    return timeline


def _build(trace, most):
    all_spans = trace_file.spans(trace, [])
    events = trace.events
    by_pid_events, by_pid_spans = {}, {}
    for e in events:
        by_pid_events.setdefault(e.pid, []).append(e)
    for s in all_spans:
        by_pid_spans.setdefault(s.pid, []).append(s)
    pids = trace.processes()
    processes = {pid: _Process(trace, pid, by_pid_events.get(pid, []), by_pid_spans.get(pid, []))
                 for pid in pids}
    pids = [pid for pid in pids if processes[pid].has_events]
    # The traced program first; its children (and theirs) as they appeared. Simple
    # children of one name whose lives do not overlap share a row.
    children = sorted(pids[1:], key=lambda p: (processes[p].life[0], p))
    items = [(processes[p].name or str(p), *processes[p].life, p) for p in children
             if processes[p].simple()]
    groups = {g[3][0]: g[3] for g in _group_by_name(items)}
    layout = [[pids[0]]] if pids else []
    layout += [groups[p] if p in groups else [p] for p in children
               if p in groups or not processes[p].simple()]

    rows, process_starts = [], []
    row_of = {}  # (pid, tid) or (pid, "track", id) -> row index
    for members in layout:
        lead = processes[members[0]]
        process_starts.append(len(rows))
        row_index = len(rows)
        rows.append(Row(_process_label(lead.name, lead.pid, len(members)), lead.pid, "process",
                        len(members), first=min(processes[p].life[0] for p in members),
                        last=max(processes[p].life[1] for p in members),
                        keys={(p, p) for p in members}))
        for p in members:
            row_of[(p, p)] = row_index
        if len(members) == 1:
            _thread_rows(lead, trace, rows, row_of, most)
    for s in all_spans:
        key = (s.pid, s.tid) if s.track is None else (s.pid, "track", s.track)
        if key in row_of:
            rows[row_of[key]].spans.append(s)
    for e in events:
        key = (e.pid, "track", e.id) if e.ph == "n" else (e.pid, e.tid)
        if e.ph in "in" and key in row_of:
            rows[row_of[key]].instants.append(Instant(e.ts, e.name, trace_file.state_of(e)))
    flows = _flows(events, all_spans, row_of)
    states = [state for state in trace_file.SPAN_STATES
              if any(s.state == state for row in rows for s in row.spans)]
    states += sorted({s.state for row in rows for s in row.spans} - set(states))
    return Timeline(rows, flows, trace.start(), trace.end(), process_starts, states)


def _thread_rows(process, trace, rows, row_of, most):
    """The rows of one process after its first: the coroutines of its main thread, then
    each other thread followed by its coroutines."""
    pid = process.pid
    _coroutine_rows(process, [pid], rows, row_of, most)
    items = [(trace.thread_names.get((pid, t), _("thread %d") % t), *process.lives[t], t)
             for t in process.others]
    for label, first, last, tids in _fold(_group_by_name(items), _thread_label,
                                          lambda n: _("… %d more threads") % n, most):
        row_index = len(rows)
        rows.append(Row(label, pid, "thread", len(tids), first=first, last=last,
                        keys={(pid, t) for t in tids}))
        for t in tids:
            row_of[(pid, t)] = row_index
        _coroutine_rows(process, tids, rows, row_of, most)


def _coroutine_rows(process, tids, rows, row_of, most):
    """One row per coroutine (async track) that began on one of `tids`, by start."""
    pid = process.pid
    on_thread = {}
    for s in process.tracks:
        if s.tid in tids:
            on_thread.setdefault(s.track, []).append(s)
    items = []
    for track, track_spans in on_thread.items():
        outer = min(track_spans, key=lambda s: (s.depth, s.start))
        items.append((outer.name, min(s.start for s in track_spans),
                      max(s.end for s in track_spans), track))
    items.sort(key=lambda item: (item[1], item[3]))
    for label, first, last, keys in _fold(_group_by_name(items), _coroutine_label,
                                          lambda n: _("… %d more coroutines") % n, most):
        row_index = len(rows)
        rows.append(Row(label, pid, "coroutine", len(keys), first=first, last=last,
                        keys={(pid, "track", k) for k in keys}))
        for k in keys:
            row_of[(pid, "track", k)] = row_index


def _running_tracks(all_spans, row_of):
    """{(pid, tid): ([starts], [spans])}: the coroutine spans in a running state on each
    thread, by start (one thread runs one coroutine at a time, so they do not overlap)."""
    by_thread = {}
    for s in sorted(all_spans, key=lambda s: s.start):
        if s.track is not None and s.state not in WAITING and (s.pid, "track", s.track) in row_of:
            starts, spans = by_thread.setdefault((s.pid, s.tid), ([], []))
            starts.append(s.start)
            spans.append(s)
    return by_thread


def _flow_row(event, running, row_of):
    """The row a flow end belongs to: the coroutine running on its thread at that moment,
    if one is, else the thread."""
    starts, spans = running.get((event.pid, event.tid), ([], []))
    i = bisect.bisect_right(starts, event.ts) - 1
    if i >= 0 and spans[i].end >= event.ts:
        return row_of[(event.pid, "track", spans[i].track)]
    return row_of.get((event.pid, event.tid))


def _flows(events, all_spans, row_of):
    running = _running_tracks(all_spans, row_of)
    outs = {}
    flows = []
    for e in sorted(events, key=lambda e: e.ts):
        if e.ph == "s":
            outs[e.id] = e
        elif e.ph == "f" and e.id in outs:
            start = outs.pop(e.id)
            a, b = _flow_row(start, running, row_of), _flow_row(e, running, row_of)
            if a is not None and b is not None:
                flows.append(Flow(start.name, a, start.ts, b, e.ts))
    return flows

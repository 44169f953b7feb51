"""tools/tracing/properties.py — is the lesson's phenomenon in its trace?

Each check takes a Trace (tools/tracing/trace_file.py) and returns what is missing, one
sentence each, naming what the lesson must record for the check to see it; an empty list
means the trace shows the phenomenon. every_lesson_test runs them on each lesson's own
trace; the timeline tests feed them synthetic ones.
"""

from tools.tracing import trace_file

EPSILON_US = trace_file.EPSILON_US


def gil_spans(all_spans):
    """Spans holding the emulated GIL: state "gil" and "GIL" in the name."""
    return [s for s in all_spans if s.state == "gil" and "GIL" in s.name and s.track is None]


def gil_taken_in_turn(trace):
    """At most one thread of a process holds the emulated GIL at any instant, and in some
    process two threads hold it in turn (A, B, A: the lock changes hands)."""
    held = gil_spans(trace_file.spans(trace))
    if not held:
        return ["no span holds the emulated GIL: expected spans with 'GIL' in the name and "
                "state gil (trace::Complete or trace::Span with trace::kGil) on the threads "
                "that hold it"]
    missing = []
    taken_in_turn = False
    for pid in sorted({s.pid for s in held}):
        turns = sorted((s for s in held if s.pid == pid), key=lambda s: s.start)
        for a, b in zip(turns, turns[1:]):
            if a.tid != b.tid and b.start < a.end - EPSILON_US:
                missing.append(f"process {pid}: threads {a.tid} and {b.tid} hold the GIL at "
                               f"the same time ({a.name} until {a.end:.3f} µs, {b.name} from "
                               f"{b.start:.3f} µs): a lock held by one thread at a time cannot")
                break
        holders = [s.tid for s in turns]
        changes = sum(1 for x, y in zip(holders, holders[1:]) if x != y)
        if len(set(holders)) >= 2 and changes >= 2:
            taken_in_turn = True
    if not taken_in_turn:
        missing.append("no process has two threads holding the GIL in turn (A, B, A): the "
                       "threads mode should show the lock changing hands")
    return missing


def coroutines_overlap(trace, count=3):
    """`count` coroutines (async tracks) of one thread are alive at one instant."""
    tracks = {}
    for s in trace_file.spans(trace):
        if s.track is not None and s.depth == 0:
            tracks.setdefault((s.pid, s.tid), []).append(s)
    if not tracks:
        return ["no coroutine track: expected each coroutine's life as an async span "
                "(trace::AsyncBegin/AsyncEnd with its own id)"]
    best = 0
    for thread_spans in tracks.values():
        points = sorted([(s.start, 1) for s in thread_spans] + [(s.end, -1) for s in thread_spans],
                        key=lambda p: (p[0], p[1]))
        alive = 0
        for _, change in points:
            alive += change
            best = max(best, alive)
    if best < count:
        return [f"at most {best} coroutines of one thread are alive at the same instant; "
                f"expected {count} (they sleep at the same time)"]
    return []


def parent_waits_for_child(trace):
    """A child process appears in the trace, and its parent waits for it: a span in
    state join, on another process, that is open when the child's last event happens."""
    pids = trace.processes()
    if len(pids) < 2:
        return ["only one process in the trace: the child's events are missing (a forked "
                "child records into the same trace)"]
    parent = pids[0]
    all_spans = trace_file.spans(trace)
    joins = [s for s in all_spans if s.state == "join" and s.pid == parent]
    if not joins:
        return [f"the parent (pid {parent}) has no span in state join: expected "
                "trace::Span(..., trace::kJoin) around waiting for the child"]
    for child in pids[1:]:
        stamps = [e.ts + (e.dur or 0) for e in trace.events if e.pid == child]
        stamps += [s.end for s in all_spans if s.pid == child]
        if not stamps:
            continue
        last = max(stamps)
        if any(s.start <= last + EPSILON_US and s.end >= last - EPSILON_US for s in joins):
            return []
    return [f"no join span of the parent (pid {parent}) is open when a child's last event "
            f"happens: children {', '.join(map(str, pids[1:]))}"]


def threads_run_at_once(trace):
    """Two threads of one process are running (state run) at the same instant."""
    running = [s for s in trace_file.spans(trace) if s.track is None and s.state == "run"]
    by_process = {}
    for s in running:
        by_process.setdefault(s.pid, []).append(s)
    for pid_spans in by_process.values():
        pid_spans.sort(key=lambda s: s.start)
        latest = {}  # tid -> latest end so far
        for s in pid_spans:
            if any(tid != s.tid and end > s.start + EPSILON_US for tid, end in latest.items()):
                return []
            latest[s.tid] = max(latest.get(s.tid, 0.0), s.end)
    return ["no two threads of one process are running (state run) at the same instant"]

"""tools/python/cpu_bound.py — the tutorial's run1/run2 (GIL section), in CPython.

Each worker runs `for _ in range(n): pass`, as the tutorial's run1 and run2 do (it used
n = 10^9; the default here is smaller so that it ends in seconds). The same work runs
one after another (single), in threads, and in processes. Under CPython's GIL only one
thread executes bytecode at a time, so threads take about as long as single; each process
has its own interpreter and its own GIL, so processes run in parallel. CPython does not
optimise the empty loop away, so every iteration really runs.

    python3 tools/python/cpu_bound.py --iterations=30000000 [--json]
"""

import multiprocessing
import threading

import measure


def count(n):
    for _ in range(n):
        pass


def single(n, workers):
    for _ in range(workers):
        count(n)


def in_threads(n, workers):
    threads = [threading.Thread(target=count, args=(n,)) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def in_processes(n, workers):
    processes = [multiprocessing.Process(target=count, args=(n,)) for _ in range(workers)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()


def main():
    flags = measure.Flags(prog="cpu_bound.py", description=__doc__.splitlines()[0])
    flags.add_argument("--iterations", type=measure.number_in_range(int, 1, 10**10),
                       default=30_000_000, help="empty loop iterations per worker")
    flags.add_argument("--workers", type=measure.number_in_range(int, 1, 64), default=2)
    flags.add_argument("--repeats", type=measure.number_in_range(int, 1, 20), default=3)
    flags.add_argument("--json", action="store_true", help="print one JSON object")
    args = flags.parse_args()
    n, workers = args.iterations, args.workers

    single_times = measure.timed(lambda: single(n, workers), args.repeats)
    base = measure.row("single", 1, single_times, None)
    base["speedup"] = 1.0
    results = [base]
    for mode, run in (("threads", in_threads), ("processes", in_processes)):
        times = measure.timed(lambda: run(n, workers), args.repeats)
        results.append(measure.row(mode, workers, times, base["seconds"]))
    work = measure.in_each_language(
        lambda _: _("%(workers)d loops of %(n)s empty iterations, median of %(repeats)d")
        % {"workers": workers, "n": f"{n:,}", "repeats": args.repeats})
    measure.emit("cpu_bound", work, results, args.json,
                 "Notice: threads take about as long as single (one GIL); processes do not.")


if __name__ == "__main__":
    main()

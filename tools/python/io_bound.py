"""tools/python/io_bound.py — the tutorial's run3/run4 (sleep-bound work), in CPython.

Each job sleeps 3 times (the tutorial sleeps 3 s each time; the default here is 0.2 s).
The jobs run one after another (single), in threads, in processes, and as asyncio
coroutines on one thread. A sleeping thread releases the GIL, so threads overlap their
waits as well as processes do; coroutines overlap them without any extra thread.

    python3 tools/python/io_bound.py --sleep=0.2 [--json]
"""

import asyncio
import multiprocessing
import threading
import time

import measure

SLEEPS_PER_JOB = 3  # the tutorial's `for _ in range(3): time.sleep(3)`


def job(seconds):
    for _ in range(SLEEPS_PER_JOB):
        time.sleep(seconds)


async def async_job(seconds):
    for _ in range(SLEEPS_PER_JOB):
        await asyncio.sleep(seconds)


def single(seconds, workers):
    for _ in range(workers):
        job(seconds)


def in_threads(seconds, workers):
    threads = [threading.Thread(target=job, args=(seconds,)) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def in_processes(seconds, workers):
    processes = [multiprocessing.Process(target=job, args=(seconds,)) for _ in range(workers)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()


def in_coroutines(seconds, workers):
    async def main():
        await asyncio.gather(*(async_job(seconds) for _ in range(workers)))

    asyncio.run(main())


def main():
    flags = measure.Flags(prog="io_bound.py", description=__doc__.splitlines()[0])
    flags.add_argument("--sleep", type=measure.number_in_range(float, 0.001, 10.0), default=0.2,
                       help="seconds per sleep (the tutorial: 3)")
    flags.add_argument("--workers", type=measure.number_in_range(int, 1, 64), default=2)
    flags.add_argument("--repeats", type=measure.number_in_range(int, 1, 20), default=3)
    flags.add_argument("--json", action="store_true", help="print one JSON object")
    args = flags.parse_args()
    s, workers = args.sleep, args.workers

    single_times = measure.timed(lambda: single(s, workers), args.repeats)
    base = measure.row("single", 1, single_times, None)
    base["speedup"] = 1.0
    results = [base]
    for mode, run in (("threads", in_threads), ("processes", in_processes),
                      ("coroutines", in_coroutines)):
        times = measure.timed(lambda: run(s, workers), args.repeats)
        results.append(measure.row(mode, workers, times, base["seconds"]))
    work = measure.in_each_language(
        lambda _: _("%(workers)d jobs of %(sleeps)d sleeps of %(seconds)g s, median of "
                    "%(repeats)d")
        % {"workers": workers, "sleeps": SLEEPS_PER_JOB, "seconds": s, "repeats": args.repeats})
    measure.emit("io_bound", work, results, args.json,
                 "Notice: every concurrent mode overlaps the waits, GIL or not.")


if __name__ == "__main__":
    main()

"""tools/python/gather.py — ten thousand concurrent waits: asyncio.gather vs threads.

The tutorial says coroutines allow "上万次并发" (tens of thousands of concurrent tasks)
where threads do not scale. Here every task waits `--sleep` seconds, all at the same
time: --coroutines of them under asyncio.gather on one thread, and --threads of them as
threads (each started thread blocks on an event until all exist, so all really are alive
at once). Fewer threads by default: CPython takes tens of seconds to start ten thousand.
Each mode runs in a fresh interpreter; its peak RSS minus that of the same program with
no task, divided by the number of tasks, is the memory one task needed.

    python3 tools/python/gather.py --coroutines=10000 --threads=1000 --sleep=1 [--json]
"""

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import threading
import time

import measure

MODES = ("coroutines", "threads")


def with_coroutines(tasks, seconds):
    async def wait():
        await asyncio.sleep(seconds)

    async def main():
        await asyncio.gather(*(wait() for _ in range(tasks)))

    asyncio.run(main())


def with_threads(tasks, seconds):
    all_started = threading.Event()

    def wait():
        all_started.wait()
        time.sleep(seconds)

    threads = [threading.Thread(target=wait) for _ in range(tasks)]
    for t in threads:
        t.start()
    all_started.set()
    for t in threads:
        t.join()


def child(mode, tasks, seconds):
    """One measured run in this (fresh) interpreter: prints seconds and peak RSS."""
    start = time.perf_counter()
    (with_coroutines if mode == "coroutines" else with_threads)(tasks, seconds)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    print(json.dumps({"seconds": elapsed, "peak_rss_bytes": peak}))


def measure_in_child(role, mode, tasks, seconds):
    output = subprocess.run([sys.executable, __file__, f"--role={role}", f"--mode={mode}",
                             f"--tasks={tasks}", f"--sleep={seconds}"],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            check=False, timeout=600)
    if output.returncode != 0:
        sys.stderr.write(output.stderr)
        sys.exit(f"gather.py: {role} run of {mode} with {tasks} tasks failed "
                 f"(status {output.returncode})")
    return json.loads(output.stdout)


def main():
    flags = measure.Flags(prog="gather.py", description=__doc__.splitlines()[0])
    flags.add_argument("--coroutines", type=measure.number_in_range(int, 1, 100000), default=10000,
                       help="concurrent waits as coroutines")
    flags.add_argument("--threads", type=measure.number_in_range(int, 1, 20000), default=1000,
                       help="concurrent waits as threads (capped: every thread is a real one)")
    flags.add_argument("--sleep", type=measure.number_in_range(float, 0.0, 10.0), default=1.0,
                       help="seconds each task waits")
    flags.add_argument("--json", action="store_true", help="print one JSON object")
    # Internal: a "child" runs one measured mode; a "baseline" child runs it with no task.
    flags.add_argument("--role", choices=("main", "child", "baseline"), default="main",
                       help=argparse.SUPPRESS)
    flags.add_argument("--mode", choices=MODES, default="coroutines", help=argparse.SUPPRESS)
    flags.add_argument("--tasks", type=int, default=0, help=argparse.SUPPRESS)
    args = flags.parse_args()
    if args.role != "main":
        child(args.mode, args.tasks if args.role == "child" else 0, args.sleep)
        return

    results = []
    for mode, tasks in (("coroutines", args.coroutines), ("threads", args.threads)):
        baseline = measure_in_child("baseline", mode, tasks, args.sleep)
        run = measure_in_child("child", mode, tasks, args.sleep)
        extra = {"peak_rss_bytes": run["peak_rss_bytes"],
                 "bytes_per_worker": (run["peak_rss_bytes"] - baseline["peak_rss_bytes"]) / tasks}
        results.append(measure.row(mode, tasks, [run["seconds"]], None, **extra))
    work = measure.in_each_language(
        lambda _: _("%(coroutines)s coroutines vs %(threads)s threads, each waiting %(sleep)g s "
                    "at once") % {"coroutines": f"{args.coroutines:,}",
                                  "threads": f"{args.threads:,}", "sleep": args.sleep})
    measure.emit("scale", work, results, args.json,
                 "Notice: both finish in about one wait; compare the memory each task needed.")
    if not args.json:
        for r in results:
            print(f"  {r['mode']}: {r['bytes_per_worker'] / 1024:.1f} KiB per task")


if __name__ == "__main__":
    main()

"""tools/lessons.bzl — every lesson, once: the one list the tour, the tests and Bazel read.

tools/BUILD loads it (the tests' data: every lesson's binary) and writes it out as
tools/lessons.json for the Python tools (tools/catalogue.py). Chapters and lessons are in
the tutorial's order, which is the order of the sections of each chapter's README
(//tools:lessons_test checks it, and that every cc_binary of a chapter is here or in
NOT_LESSONS).

A lesson:
  target   its label, "//thread:lock"
  section  the tutorial's section title, as the tutorial writes it (Chinese in both
           languages, like the lesson's own title banner)
  title    the English name of the section, shown beside it in English
  shows    what the lesson shows, one line: an English msgid, translated by
           po/zh_CN/tools.po (the tools' `_()`, the standard gettext mark; here it only
           marks the text for xgettext, the tools translate it when they print it)
  beyond   True for lessons that go beyond the tutorial (after its sections)

To add a lesson: add its cc_binary to the chapter's BUILD, a section to the chapter's
README, and a line here; then `python3 po/update.py tools` and translate its `shows`.
"""

def _(text):
    """Marks a message for translation (xgettext's keyword); the tools translate it."""
    return text

def _lesson(target, section, title, shows, beyond = False):
    return struct(target = target, section = section, title = title, shows = shows, beyond = beyond)

def _chapter(package, chinese, english, lessons):
    return struct(package = package, chinese = chinese, english = english, lessons = lessons)

CHAPTERS = [
    _chapter("process", "进程", "Processes", [
        _lesson("//process:program_vs_process", "程序和进程", "Programs and processes",
                _("one program, several processes: each run has a new PID, its own memory, its own CPU time")),
        _lesson("//process:crash_isolation", "进程属性", "Process properties: a crash stays inside",
                _("a child crashes; the parent and its siblings carry on and report how it died")),
        _lesson("//process:address_space", "进程属性（数据通信不方便）", "Process properties: separate memory",
                _("a child's change to a global never reaches the parent; results come back through a pipe")),
        _lesson("//process:main_and_child", "主进程、子进程 / multiprocessing 模块", "Main and child processes",
                _("getpid and getppid; a child started to run a function, like Process(target=...)")),
        _lesson("//process:start_methods", "if __name__ == '__main__'", "The main guard: fork vs spawn",
                _("fork copies the parent, spawn starts the program again; why spawn needs the main guard")),
        _lesson("//process:join", "阻塞进程", "Blocking a process: join",
                _("without waitpid the parent finishes first; with it the parent waits and reads the exit code")),
        _lesson("//process:kill", "杀掉进程", "Killing a process",
                _("p1 blocks forever and holds up p2 and p3; a watchdog kills it (SIGKILL) and they run")),
    ]),
    _chapter("thread", "线程", "Threads", [
        _lesson("//thread:process_vs_thread", "进程和线程", "Processes and threads",
                _("threads share their process's memory: a thread's write is seen by main")),
        _lesson("//thread:cores", "核与线程", "Cores and threads",
                _("one core one thread, one core many threads, many cores many threads; the plateau at the core count")),
        _lesson("//thread:crash", "线程属性", "Thread properties: one crash ends all",
                _("one thread dies and takes the whole process with it")),
        _lesson("//thread:api_tour", "threading 模块", "The threading module in C++",
                _("the tutorial's threading API list, mapped to C++ one call at a time")),
        _lesson("//thread:main_and_child", "主线程、子线程", "Main and child threads",
                _("the active thread count goes from 1 to 2; thread ids and names")),
        _lesson("//thread:join", "阻塞线程", "Blocking a thread: join",
                _("output order without and with join; an unjoined std::thread ends the program, std::jthread joins itself")),
        _lesson("//thread:args", "线程传参", "Passing arguments to a thread",
                _("(1, '2', {'c': 3}) as int, string and map; by value, by reference, by move")),
        _lesson("//thread:lock", "线程锁", "Thread locks",
                _("num += i; num -= i in two threads: lost updates without a lock, always 0 with one")),
        _lesson("//thread:deadlock", "线程锁（死锁）", "Deadlock",
                _("two locks taken in opposite orders; the hang is caught by a timeout, then fixed with std::scoped_lock")),
        _lesson("//thread:barrier", "凑线程", "Gathering threads: barrier",
                _("Barrier(3) with 5 threads: three pass; the two left over are released by a deadline, not left hanging")),
        _lesson("//thread:timer", "延迟线程", "Delayed threads: timer",
                _("a thread that starts after a delay, and one cancelled before it fires")),
        _lesson("//thread:producer_consumer", "传统生产者-消费者模型", "Producer and consumer with a lock",
                _("the lock-and-condition-variable queue the coroutine chapter contrasts with")),
    ]),
    _chapter("coroutine", "协程", "Coroutines", [
        _lesson("//coroutine:scale", "协程定义（上万次并发）", "Ten thousand at once",
                _("N concurrent coroutines versus N threads: wall time and memory per unit")),
        _lesson("//coroutine:generator", "协程属性（生成器）", "Coroutines as generators",
                _("a C++20 generator: co_yield, pulling values, range-for")),
        _lesson("//coroutine:async_race", "协程属性（不需要锁？）", "No locks needed?",
                _("read, await, write on shared state still loses updates on one thread; an async lock fixes it")),
        _lesson("//coroutine:producer_consumer", "生成器-协程模型", "Producer and consumer as coroutines",
                _("consumer and produce with send: the same output lines, one thread, no lock")),
        _lesson("//coroutine:echo", "asyncio 模块（单线程并发 IO）", "asyncio: concurrent I/O on one thread",
                _("one thread serves many clients over loopback TCP with epoll")),
        _lesson("//coroutine:hello", "单协程程序", "One coroutine",
                _("one coroutine on an event loop, sleeping 1 s")),
        _lesson("//coroutine:gather", "多协程程序", "Many coroutines",
                _("three hello() finish in about 1 s, not 3, all on the same thread")),
        _lesson("//coroutine:run", "run 方法", "The run method",
                _("run(main()) versus building and closing a loop by hand")),
        _lesson("//coroutine:tasks", "方法详解", "Tasks, wait and gather",
                _("create_task, ensure_future, wait (done and pending sets) versus gather (results in order)")),
        _lesson("//coroutine:cancel", "取消与超时", "Cancellation and timeouts",
                _("a cancelled task gets CancelledError where it waits, cleans up, or is shielded; WaitFor and a timeout scope cancel what runs too long"),
                beyond = True),
        _lesson("//coroutine:task_group", "任务组（结构化并发）", "Task groups: structured concurrency",
                _("a TaskGroup no child outlives: the first failure cancels the siblings, and every failure is reported"),
                beyond = True),
        _lesson("//coroutine:queue", "异步队列（生产者-消费者）", "An asyncio.Queue: producer and consumer",
                _("Put waits when the queue is full, Get when it is empty; beside the thread queue and the generator hand-off, measured"),
                beyond = True),
    ]),
    _chapter("efficiency", "效率", "Efficiency", [
        _lesson("//efficiency:cpu_bound", "任务类型 / 全局解释锁（run1, run2）", "CPU-bound work",
                _("single vs 2 threads vs 2 processes vs TBB: in C++ threads run in parallel")),
        _lesson("//efficiency:gil", "全局解释锁", "The global interpreter lock",
                _("an emulated GIL: threads stop scaling, processes still do; the lost update survives it")),
        _lesson("//efficiency:io_bound", "任务类型（run3, run4）", "I/O-bound work",
                _("single vs threads vs processes vs coroutines on sleep-bound work")),
        _lesson("//efficiency:tbb", "（TBB 任务）", "Tasks with oneTBB",
                _("parallel_for and task_group vs hand-made threads and processes; many threads vs many tasks")),
        _lesson("//efficiency:processes_and_coroutines", "综合优势：多进程+协程", "Processes plus coroutines",
                _("a mixed workload: P processes, each running an event loop of M coroutines")),
        _lesson("//efficiency:costs", "进程、线程、协程（优势/劣势）", "What each one costs",
                _("micro-benchmarks: create, switch and lock, for processes, threads and coroutines")),
        _lesson("//efficiency:mpi", "综合优势：超出一台机器（MPI）", "Beyond one machine: MPI",
                _("the CPU-bound job over Open MPI ranks, 1 vs N; what a message between ranks costs beside a pipe and a thread hand-over"),
                beyond = True),
    ]),
]

# cc_binary targets in the chapters that are not lessons, each with the reason.
NOT_LESSONS = [
    struct(target = "//thread:lock_race_tsan", why = "the unsynchronised race built with -fsanitize=thread; lock_race_tsan_test asserts TSan reports it"),
    struct(target = "//process:interrupt_fixture", why = "a testonly program interrupt_guard_test interrupts with signals"),
    struct(target = "//efficiency:exit_zero", why = "the tiny program efficiency:costs starts with posix_spawn, to time creating a process"),
]

# Every lesson's label, in order; and each chapter's: the data of the tests that run them
# (one per chapter, so that a chapter's lessons are tested as soon as they are built).
LESSON_TARGETS = [lesson.target for chapter in CHAPTERS for lesson in chapter.lessons]
LESSONS_BY_CHAPTER = {chapter.package: [lesson.target for lesson in chapter.lessons] for chapter in CHAPTERS}

def _lessons_json_impl(ctx):
    catalogue = struct(chapters = CHAPTERS, not_lessons = NOT_LESSONS)
    ctx.actions.write(ctx.outputs.out, json.indent(json.encode(catalogue), indent = "  ") + "\n")
    return [DefaultInfo(files = depset([ctx.outputs.out]), runfiles = ctx.runfiles(files = [ctx.outputs.out]))]

# lessons_json(name, out): writes the list above as JSON, for Python (tools/catalogue.py).
lessons_json = rule(
    implementation = _lessons_json_impl,
    attrs = {"out": attr.output(mandatory = True)},
)

// process/start_methods.cc — 启动方式与 `if __name__ == '__main__':` (start methods and the main
// guard)
//
// Ports the multiprocessing note "调用 multiprocessing 模块的函数要在 if __name__ ==
// '__main__': 下执行，不然会报错" and its comment "在windows上，子进程会自动import启动它的这个
// 文件，无限递归创建子进程". Python starts a Process in one of two basic ways:
//   fork   the child is a copy of the parent, already past main's setup; it runs the
//          target and nothing else. No guard is needed.
//   spawn  the child is a fresh run of the program. Python re-imports the main module in
//          it, so module-level code runs again; only the __name__ check tells the child
//          not to do what the parent did (start a process, ...).
// This lesson does both with real system calls: fork() via process::Process, and
// posix_spawn() of this same program (/proc/self/exe) with a --role flag, the C++ form
// of the __name__ check. Then it spawns children that skip the role check: each one does
// what main does and spawns another, a chain that only the lesson's --max_depth stops.
//
// Corrects the tutorial: the error is not Windows-only. spawn is the default on Windows
// and, since Python 3.8, on macOS; Linux used fork until 3.13 and forkserver (which
// re-imports the main module as spawn does) from 3.14; any platform can choose spawn.
// And modern Python does not recurse without end. Checked with CPython 3.11.7 on Linux
// (the start method is fork there): the tutorial's program without the guard runs and
// prints its two lines; with spawn, the child stops at p1.start() with RuntimeError ("An
// attempt has been made to start a new process before the current process has finished
// its bootstrapping phase"), its exitcode is 1, and the parent ends normally.
//
// Why threads need no guard (the threading module): a thread is not a new run of the
// program. It starts inside the same process, at the function it was given; nothing is
// imported or run again, so nothing needs to tell it "you are not main".
//
// How C++ differs: a C++ program has no module-level code; everything starts at main(),
// so a spawned copy of the program runs main() from the top and must be told its role.
//
//   bazel run //process:start_methods
//   bazel run //process:start_methods -- --max_depth=5
#include <unistd.h>

#include <climits>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/trace.h"
#include "process/describe.h"
#include "process/interrupt_guard.h"
#include "process/process.h"

ABSL_FLAG(int, max_depth, 3, "how long the unguarded chain of spawned children may grow");
// Set by the lesson itself on the programs it spawns; not for users.
ABSL_FLAG(std::string, role, "main",
          "main; child: a spawned child that runs the target; rerun: a spawned child that "
          "skips the role check (internal)");
ABSL_FLAG(int, depth, 0, "position in the unguarded chain (internal, with --role=rerun)");
ABSL_FLAG(int, parent_pid, 0, "PID of the spawning process (internal)");

namespace {

// State main() builds before starting children. A forked child has a copy of it; a
// spawned one starts from the program's initial value, 0.
int g_setting = 0;

std::string SelfPath() {
  char path[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  return n < 0 ? "/proc/self/exe" : std::string(path, static_cast<size_t>(n));
}

// The target function, as `def coding()` in the tutorial.
void Coding(std::string_view how) {
  trace::Span span("coding()");
  lesson::Print("  [%s child] PID %d, PPID %d: g_setting = %d", how, getpid(), getppid(),
                g_setting);
}

// Starts `argv` with posix_spawn, waits for it; false (after saying why) if that failed.
bool SpawnAndWait(std::vector<std::string> argv, std::string name) {
  process::Process child = process::Process::Program(std::move(argv));
  child.set_name(std::move(name));
  absl::Status status = child.Start();
  if (status.ok()) status = child.Join();
  if (!status.ok()) {
    lesson::WriteErrorLine(process::DescribeFailure(status).str());
    return false;
  }
  return child.exit_status()->exited() && child.exit_status()->code() == 0;
}

// A spawned child without the guard: main() ran again from the top, found no reason to
// stop, and so does what main does — start a process the same way.
int Rerun(int depth, int max_depth) {
  process::InterruptGuard guard;  // Ctrl-C stops the rest of the chain, level by level.
  trace::NameProcess(absl::StrFormat("unguarded re-run, depth %d", depth));
  const std::string indent(2 * depth, ' ');
  lesson::Print(
      "%s[depth %d] PID %d (PPID %d): main() ran again and is about to start a process, as "
      "main does",
      indent, depth, getpid(), getppid());
  if (depth == max_depth) {
    lesson::Print(
        "%s[depth %d] stopped by the lesson's --max_depth=%d; nothing in the program itself "
        "would stop here",
        indent, depth, max_depth);
    return 0;
  }
  const bool ok = SpawnAndWait(
      {SelfPath(), "--role=rerun", absl::StrFormat("--depth=%d", depth + 1),
       absl::StrFormat("--max_depth=%d", max_depth), absl::StrFormat("--parent_pid=%d", getpid())},
      absl::StrFormat("depth %d", depth + 1));
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "fork versus spawn, and why spawn needs a main guard.");
  lesson::RequireOneOf(FLAGS_role, {"main", "child", "rerun"});
  lesson::RequireInRange(FLAGS_max_depth, 1, 6);
  lesson::RequireInRange(FLAGS_depth, 0, 6);
  lesson::RequireInRange(FLAGS_parent_pid, 0, INT_MAX);
  const std::string role = absl::GetFlag(FLAGS_role);
  const int max_depth = absl::GetFlag(FLAGS_max_depth);

  // A spawned program must not outlive the process that started it.
  if (role != "main" && !process::DieWithParent(absl::GetFlag(FLAGS_parent_pid))) return 1;

  // The main guard: `if __name__ == '__main__':`. A spawned child that is told it is a
  // child runs the target and nothing else.
  if (role == "child") {
    trace::NameProcess("spawned child");
    Coding("spawn");
    return 0;
  }
  // What the chain's children do instead: as if the check above were missing. (To keep
  // the output short they redo only the part of main() that starts a process; a real
  // unguarded program would redo all of it.)
  if (role == "rerun") return Rerun(absl::GetFlag(FLAGS_depth), max_depth);

  process::InterruptGuard guard;  // Ctrl-C stops the children too (interrupt_guard.h).
  lesson::Title("启动方式与 if __name__ == '__main__'", "Start methods: fork, spawn, main guard");
  g_setting = 42;  // Setup main does before starting children.
  lesson::Print("main: PID %d, g_setting = %d", getpid(), g_setting);

  lesson::Step("fork: the child is a copy of the parent");
  process::Process forked([] { Coding("fork"); });
  forked.set_name("forked child");
  absl::Status status = forked.Start();
  if (status.ok()) status = forked.Join();
  if (!status.ok()) return process::Fail(status);
  lesson::Print(
      "  It saw main's 42: fork copied the memory. It began inside Start(), past all of "
      "main's setup, so there was nothing to guard.");

  lesson::Step("spawn: a fresh run of the program (posix_spawn of /proc/self/exe --role=child)");
  if (!SpawnAndWait({SelfPath(), "--role=child", absl::StrFormat("--parent_pid=%d", getpid())},
                    "spawned child")) {
    return 1;
  }
  lesson::Print(
      "  It saw 0: a new program starts from scratch at main(), and only the --role=child "
      "check (the main guard) sent it to the target.");

  lesson::Step("spawn without the main guard (bounded at --max_depth=%d)", max_depth);
  if (!SpawnAndWait({SelfPath(), "--role=rerun", "--depth=1",
                     absl::StrFormat("--max_depth=%d", max_depth),
                     absl::StrFormat("--parent_pid=%d", getpid())},
                    "depth 1")) {
    return 1;
  }
  lesson::Print("  %d processes were started, each by the one before, and each waited for the "
                "next.",
                max_depth);
  lesson::Print("  CPython 3.11.7 (checked here, with spawn chosen): the first re-run child "
                "stops at p1.start() with RuntimeError (\"An attempt has been made to start a "
                "new process before the current process has finished its bootstrapping "
                "phase\"), its exitcode is 1, and the parent carries on.");

  lesson::Notice({
      lesson::Tr("fork: the child continues from inside Start() with a copy of main's memory "
                 "(g_setting = 42). Python's fork method works the same way: no guard needed."),
      lesson::Tr("spawn: the child is the program started again from main() (g_setting = 0). "
                 "Only a check of its role keeps it from doing what the parent did: that check "
                 "is `if __name__ == '__main__':` in Python and --role here."),
      lesson::Format("Without the check every spawned child starts another: the chain above "
                     "stopped at depth %d only because of --max_depth. CPython stops the first "
                     "such child with RuntimeError instead of recursing without end.",
                     max_depth),
      lesson::Tr("The tutorial blames Windows, but the guard is needed wherever children are "
                 "spawned: spawn is macOS's default since Python 3.8, Linux's default becomes "
                 "forkserver (which re-imports the main module too) in Python 3.14, and any "
                 "platform can choose spawn. On Linux with Python 3.11 (fork) the tutorial's "
                 "program runs without the guard; write the guard anyway."),
      lesson::Tr("Threads need no guard: a thread starts inside the same process at the "
                 "function it was given; the program is not run or imported again."),
      lesson::Tr("What varies: the PIDs. The order of the lines does not: each parent waits."),
  });
  return 0;
}

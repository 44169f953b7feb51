// process/main_and_child.cc — 主进程、子进程 (main process and child process)
//
// Ports 主进程、子进程 and the multiprocessing 模块 section: every running program has a
// main process; Process(target=coding).start() creates a child process that runs
// coding(). Both print their PID (os.getpid()), the child also its parent's (os.getppid()),
// and while the child is alive the lesson lists both processes from /proc, the Linux
// version of the tutorial's task-manager screenshot.
//
// How C++ differs: process::Process starts the child with fork(), so the child does not
// re-run main() (no `if __name__ == '__main__':` needed; see //process:start_methods). A
// Process destroyed while its child runs kills it, so the lesson joins; Python instead
// joins non-daemon children silently when the interpreter exits.
//
// Corrects the tutorial: "每个进程都有自己的地址空间，这个是进程id" runs two things
// together. The PID is a number that names a process; the address space is the process's
// private view of memory. Parent and child print the same address of one variable under
// two different PIDs: the address is a location inside an address space, not the PID.
//
//   bazel run //process:main_and_child
//   bazel run //process:main_and_child -- --children=3
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "process/interrupt_guard.h"
#include "process/pipe.h"
#include "process/proc_info.h"
#include "process/process.h"

ABSL_FLAG(int, children, 1, "how many child processes run coding()");

namespace {

int g_marker = 7;  // A global: each process has its own copy at the same address.

// The tutorial's target function, run in each child. `ready` tells main the lines are
// out; `release` keeps the child alive until main has listed it in /proc.
void Coding(process::Pipe& ready, process::Pipe& release) {
  ready.CloseRead();
  release.CloseWrite();
  lesson::Print("开始写代码，PID是%d   (child; its parent, PPID, is %d)", getpid(), getppid());
  lesson::Print("休息一会儿，PID是%d   (&g_marker = %p)", getpid(), static_cast<void*>(&g_marker));
  (void)ready.WriteAll("+");
  (void)release.ReadAll();  // End of file when main closes its end.
}

void PrintProcessTable() {
  lesson::Print("  %-7s %-7s %-5s %-16s %s", "PID", "PPID", "STATE", "COMMAND", "RSS");
  std::vector<process::ProcInfo> rows;
  if (auto self = process::ReadProcInfo(getpid())) rows.push_back(*self);
  for (const process::ProcInfo& child : process::ListChildren(getpid())) rows.push_back(child);
  for (const process::ProcInfo& row : rows) {
    lesson::Print("  %-7d %-7d %-5c %-16s %.1f MiB%s", row.pid, row.ppid, row.state, row.command,
                  row.rss_bytes / 1048576.0, row.pid == getpid() ? "   <- main" : "");
  }
}

int Fail(const absl::Status& status) {
  lesson::PrintError("%s", status.ToString());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "The main process and the child processes it starts.");
  lesson::RequireInRange(FLAGS_children, 1, 32);
  const int children = absl::GetFlag(FLAGS_children);
  process::InterruptGuard guard;  // Ctrl-C stops and reaps the children too.

  lesson::Title("主进程、子进程", "Main process and child process");

  lesson::Step("Every running program has a main process");
  lesson::Print("我是主进程，PID是%d   (its parent, PPID, is %d: the shell or bazel)", getpid(),
                getppid());

  lesson::Step(absl::StrFormat("Process(target=coding).start(), %d time(s)", children));
  absl::StatusOr<process::Pipe> ready = process::Pipe::Create();
  absl::StatusOr<process::Pipe> release = process::Pipe::Create();
  if (!ready.ok()) return Fail(ready.status());
  if (!release.ok()) return Fail(release.status());
  std::vector<process::Process> workers;
  for (int i = 0; i < children; ++i) {
    workers.emplace_back([&] { Coding(*ready, *release); });
    if (absl::Status s = workers.back().Start(); !s.ok()) return Fail(s);
  }
  ready->CloseWrite();
  release->CloseRead();
  for (int i = 0; i < children; ++i) {  // One byte per child: then all its lines are out.
    char byte;
    if (read(ready->read_fd(), &byte, 1) != 1) break;
  }

  lesson::Step("Like the task manager: /proc lists the main process and its children");
  PrintProcessTable();
  lesson::Print("main: &g_marker = %p (the same address the children printed)",
                static_cast<void*>(&g_marker));

  lesson::Step("join(): wait for each child and read how it ended");
  release->CloseWrite();  // Lets the children finish.
  for (process::Process& worker : workers) {
    if (absl::Status s = worker.Join(); !s.ok()) return Fail(s);
    lesson::Print("child %d %s", worker.pid(), worker.exit_status()->ToString());
  }
  lesson::Print("children still listed in /proc: %d", process::ListChildren(getpid()).size());

  lesson::Notice({
      "Every PID differs from run to run: a new run of the program is a new process "
      "(the tutorial's \"PID值是动态的\").",
      "Each child's PPID is the main process's PID: that is what makes it a child.",
      "PID and address space are two different things (the tutorial merges them): main "
      "and child printed the same address &g_marker under different PIDs. The address is "
      "a place inside an address space; each process has its own space, so the same "
      "address holds separate memory (//process:address_space shows a write to it).",
      "With fork() the child starts inside Start(), not at main(): nothing guards main "
      "here, unlike Python's spawn (//process:start_methods).",
      "After join() no child is left, not even a zombie: /proc lists none.",
  });
  return 0;
}

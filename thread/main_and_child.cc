// thread/main_and_child.cc — 主线程、子线程 (main thread and child threads)
//
// Ports 主线程、子线程: every process starts with one thread, the main thread; threads it
// creates are its child threads. The tutorial prints threading.activeCount() before (1)
// and inside a child thread (2). Here the same counts come from threading::ActiveCount()
// (thread_registry.h), beside the kernel's own count from /proc/self/status, with each
// thread's name and kernel id.
//
// How C++ differs: std::thread has no name and the standard library cannot count
// threads, so this chapter has a small registry that does what Python's threading
// module does. The kernel, meanwhile, counts every thread of the process.
//
//   bazel run //thread:main_and_child -- --children=3
#include <fstream>
#include <latch>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "thread/thread_registry.h"

ABSL_FLAG(int, children, 1, "how many child threads to start");

namespace {

// The kernel's count of this process's threads ("Threads:" in /proc/self/status).
int KernelThreadCount() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return -1;
}

void PrintCounts(std::string_view who) {
  lesson::Print("%s线程数量: %d   (kernel's count: %d)", who, threading::ActiveCount(),
                KernelThreadCount());
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "The main thread, child threads, and counting them.");
  lesson::RequireInRange(FLAGS_children, 1, 100);
  const int children = absl::GetFlag(FLAGS_children);

  lesson::Title("主线程、子线程", "Main thread and child threads");

  lesson::Step("Every process has one thread to begin with: the main thread");
  PrintCounts("");
  threading::ThreadInfo me = threading::CurrentThread();
  lesson::Print("current thread: %s, thread id %d (= the pid: it is the main thread)",
                me.name, me.tid);

  lesson::Step(absl::StrFormat("Start %d child thread(s)", children));
  // Latches hold each child at two points so that every count printed is exact: no
  // child prints before main has listed them all, none ends before all have counted.
  std::latch started(children), listed(1), counted(children);
  {
    std::vector<threading::Thread> threads;
    for (int i = 0; i < children; ++i) {
      threads.emplace_back("", [&] {
        started.count_down();
        listed.wait();
        threading::ThreadInfo self = threading::CurrentThread();
        lesson::Print("[%s, thread id %d] 启动线程 (thread starts)", self.name, self.tid);
        PrintCounts(absl::StrFormat("[%s] ", self.name));
        counted.arrive_and_wait();
        lesson::Print("[%s] 结束线程 (thread ends)", self.name);
      });
    }
    started.wait();
    std::string names;
    for (const threading::ThreadInfo& t : threading::Enumerate()) {
      names += absl::StrFormat("%s%s (%d)", names.empty() ? "" : ", ", t.name, t.tid);
    }
    lesson::Print("main: enumerate() = [%s]", names);
    listed.count_down();
  }  // Each threading::Thread joins when destroyed.

  lesson::Step("After the children have finished");
  PrintCounts("");

  lesson::Notice({
      "The count was 1 with the main thread alone, 1 + children while they ran, and 1 "
      "again after: a thread counts while its function runs, as in Python.",
      "The main thread's id is the process id; each child has its own id, as `ps -L` "
      "and `top -H` show. The children are named Thread-1, Thread-2... like Python's.",
      "The order of the children's lines varies from run to run: the OS schedules them.",
      "The kernel's count includes every thread; under a sanitizer it may show an extra "
      "helper thread the registry does not count.",
  });
  return 0;
}

// thread/process_vs_thread.cc — 进程和线程 (processes and threads)
//
// Ports 进程和线程: a process is the unit the OS gives resources to, a thread the unit
// it schedules; a process has at least one thread, and its threads share its memory
// ("the process is the classroom, the threads are the students in it").
// Here a second thread writes a global variable and the main thread reads the new value;
// then a forked child process writes the same variable, at the same address, and the
// parent never sees it: the child got a copy (compare //process:address_space).
//
// How C++ differs: nothing hides the sharing. A thread may read and write any memory of
// its process; the only rule is that two threads must not touch the same data at the
// same time without synchronisation (here join() and waitpid() order the accesses).
//
//   bazel run //thread:process_vs_thread -- --value=42
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "absl/flags/flag.h"
#include "common/flags.h"
#include "common/lesson.h"

ABSL_FLAG(int, value, 42, "what the second thread and the child process write");

namespace {

// The blackboard of the classroom: one variable, in the process's memory.
int blackboard = 0;

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "Threads share their process's memory; processes do not.");
  lesson::RequireInRange(FLAGS_value, 1, 1'000'000'000);
  const int value = absl::GetFlag(FLAGS_value);

  lesson::Title("进程和线程", "Processes and threads");

  lesson::Step("One process, two threads: same pid, different thread ids");
  lesson::Print("main thread:   pid %d, thread id %d, blackboard at %p = %d",
                static_cast<int>(getpid()), lesson::ThreadId(), &blackboard, blackboard);
  std::thread writer([value] {
    blackboard = value;  // The same variable main reads: there is only one.
    lesson::Print("second thread: pid %d, thread id %d, blackboard at %p = %d (written)",
                  static_cast<int>(getpid()), lesson::ThreadId(), &blackboard, blackboard);
  });
  writer.join();  // Orders the thread's write before main's read below.
  lesson::Print("main thread after join: blackboard = %d  <- the thread's write is seen",
                blackboard);

  lesson::Step("Contrast: a child process writes the same variable");
  const int before = blackboard;
  pid_t child = fork();
  if (child == 0) {
    blackboard = value + 1;  // Same address, but the child's own copy of the page.
    lesson::Print("child process: pid %d, blackboard at %p = %d (written)",
                  static_cast<int>(getpid()), &blackboard, blackboard);
    _exit(0);
  }
  if (child < 0) {
    lesson::Print("fork failed; the contrast is skipped");
  } else {
    int status = 0;
    waitpid(child, &status, 0);
    lesson::Print("parent after waitpid: blackboard at %p = %d  <- still %d: not seen",
                  &blackboard, blackboard, before);
  }

  lesson::Notice({
      "Both threads printed the same pid: threads are parts of one process.",
      "They used the same variable at the same address: threads share the process's "
      "memory, so a result needs no pipe to come back, only synchronisation (here join).",
      "The child process printed the same address too, yet the parent kept its value: "
      "after fork each process has its own copy of memory (//process:address_space).",
      "Shared memory is why threads are cheap to talk to, and why they can race "
      "(//thread:lock).",
  });
  return 0;
}

// thread/join.cc — 阻塞线程 (blocking on a thread: join)
//
// Ports 阻塞线程: without join the main thread runs on and prints "主线程结束" before the
// child thread has finished; with t.join() the main thread waits, so the child's result
// is ready when main goes on.
//
// How C++ differs: Python lets you forget join (the interpreter waits for the thread at
// exit). C++ does not: a std::thread destroyed while still joinable calls std::terminate
// and the whole program dies. This lesson shows that in a forked child process, so the
// lesson itself survives to report it. std::jthread (C++20) joins in its destructor,
// which is Python's behaviour and what you should reach for; detach() lets a thread run
// on unowned, and it is killed mid-work when the process ends.
//
//   bazel run //thread:join -- --work=200ms
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"

ABSL_FLAG(absl::Duration, work, absl::Milliseconds(100),
          "how long the child thread works between its two lines");

namespace {

std::chrono::nanoseconds work_time;

// The tutorial's run(): two lines with some work between them.
void Run() {
  lesson::Print("  子线程开始 (child starts)");
  std::this_thread::sleep_for(work_time);
  lesson::Print("  子线程结束 (child ends)");
}

// What a child process did: its exit status and what it wrote to stdout and stderr.
struct ChildReport {
  std::string how_it_ended;
  std::string output;
};

// Runs `body` in a forked child process, capturing its output; waits for it.
// Fork is safe here: at each call this process has only its main thread.
template <typename Body>
ChildReport RunInChildProcess(Body body) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return {"pipe failed", ""};
  pid_t pid = fork();
  if (pid == 0) {
    close(pipe_fds[0]);
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    body();
    _exit(0);
  }
  close(pipe_fds[1]);
  ChildReport report;
  char buffer[4096];
  ssize_t n;
  while ((n = read(pipe_fds[0], buffer, sizeof buffer)) > 0) report.output.append(buffer, n);
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) {
    report.how_it_ended = absl::StrFormat("killed by signal %d (%s)", WTERMSIG(status),
                                          strsignal(WTERMSIG(status)));
  } else {
    report.how_it_ended = absl::StrFormat("exited with status %d", WEXITSTATUS(status));
  }
  return report;
}

void PrintIndented(const std::string& text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lesson::Print("    | %s", text.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "Waiting for a thread with join, and what happens without.");
  lesson::RequireInRange(FLAGS_work, absl::Milliseconds(1), absl::Seconds(5));
  work_time = absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_work));

  lesson::Title("阻塞线程", "Blocking on a thread: join");

  lesson::Step("1. 无阻塞线程: main does not wait (std::jthread)");
  {
    lesson::Print("主线程开始 (main starts)");
    std::jthread t1(Run);
    lesson::Print("主线程结束 (main's own work is done; it did not wait)");
  }  // Here, at the end of its scope, the jthread joins: main waits only now.
  lesson::Print("(t1's scope has ended: its destructor joined it)");

  lesson::Step("2. 有阻塞线程: main joins before going on");
  {
    lesson::Print("主线程开始 (main starts)");
    std::jthread t1(Run);
    t1.join();  // 阻塞主线程: main waits here until Run() has returned.
    lesson::Print("主线程结束 (main ends, after the child)");
  }

  lesson::Step("3. C++ only: a std::thread nobody joins ends the whole program");
  lesson::Print("In a child process: { std::thread t(Run); }  // no join, no detach");
  ChildReport forgot = RunInChildProcess([] {
    std::thread t(Run);
  });  // ~thread() on a joinable thread calls std::terminate: the process aborts.
  lesson::Print("the child process was %s; it wrote:", forgot.how_it_ended);
  PrintIndented(forgot.output);

  lesson::Step("4. std::jthread joins itself");
  {
    lesson::Stopwatch watch;
    { std::jthread t(Run); }
    lesson::Print("the scope took %.0f ms: it ended only after the thread had finished",
                  watch.Seconds() * 1e3);
  }

  lesson::Step("5. detach(): nobody waits, and the thread dies with its process");
  lesson::Print("In a child process: std::thread(Run).detach(); then the process exits");
  ChildReport detached = RunInChildProcess([] {
    std::thread(Run).detach();
    std::this_thread::sleep_for(work_time / 2);  // Let it start, not finish.
    lesson::Print("  main thread exits the process now");
    // _exit, as a forked child should; returning from main would end the process too.
  });
  lesson::Print("the child process %s; it wrote:", detached.how_it_ended);
  PrintIndented(detached.output);

  lesson::Notice({
      "Without join, main printed its last line before the child's last line (how the "
      "first lines interleave varies). With join the order is fixed: the child ends first.",
      "A std::thread destroyed without join() or detach() calls std::terminate: "
      "'terminate called without an active exception', and SIGABRT kills the process.",
      "std::jthread joins in its destructor, like Python waiting for its threads at exit: "
      "use it by default.",
      "A detached thread is like a Python daemon thread: when the process ends it is "
      "killed where it stands; '子线程结束' never appeared.",
  });
  return 0;
}

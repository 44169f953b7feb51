// thread/crash.cc — 线程属性 (thread properties: one thread dies, the process dies)
//
// Ports 线程属性: "一个线程死掉整个进程就死掉" — when one thread crashes, the whole
// process dies, threads and all; that is why processes are more robust than threads.
// The lesson runs the demonstration in a forked child process: two worker threads beat
// a heartbeat, a third thread aborts, and the lesson (the parent, a separate process)
// reads the child's output, reports how it died and where the workers stopped.
// Compare //process:crash_isolation, where a crashing child leaves its parent and its
// siblings running.
//
// How C++ differs: Python turns most errors into exceptions that end only the thread
// that raised them (threading prints a traceback and the others go on). In C++ a fatal
// signal (abort, a bad pointer) kills the process, and so does an exception that
// escapes a thread's function: std::terminate is called, which aborts.
//
//   bazel run //thread:crash -- --how=abort --crash_after=200ms
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"

ABSL_FLAG(std::string, how, "abort",
          "how the crashing thread dies: abort (std::abort) or exception (uncaught throw)");
ABSL_FLAG(absl::Duration, crash_after, absl::Milliseconds(200),
          "when the crashing thread dies");

namespace {

constexpr auto kBeat = std::chrono::milliseconds(50);
constexpr int kPlannedBeats = 40;  // 2 s of work: far longer than the crash takes.

// Runs in the child process: the demonstration itself. Never returns normally.
[[noreturn]] void ChildProcess(const std::string& how, std::chrono::nanoseconds crash_after) {
  auto worker = [](int id) {
    for (int beat = 1; beat <= kPlannedBeats; ++beat) {
      lesson::Print("worker-%d: beat %d", id, beat);
      std::this_thread::sleep_for(kBeat);
    }
    lesson::Print("worker-%d: finished all %d beats", id, kPlannedBeats);
  };
  std::jthread w1(worker, 1), w2(worker, 2);
  std::jthread crasher([&] {
    std::this_thread::sleep_for(crash_after);
    lesson::Print("crasher: dying now (%s)", how);
    if (how == "abort") std::abort();
    throw std::runtime_error("nobody catches this");  // Escapes the thread: terminate.
  });
  // The jthreads would join here, after 2 s — if the process were still alive.
  w1.join();
  w2.join();
  crasher.join();
  _exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "One thread crashes and the whole process dies with it.");
  lesson::RequireOneOf(FLAGS_how, {"abort", "exception"});
  lesson::RequireInRange(FLAGS_crash_after, absl::ZeroDuration(), absl::Seconds(1));
  const std::string how = absl::GetFlag(FLAGS_how);
  const auto crash_after = absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_crash_after));

  lesson::Title("线程属性", "One thread dies, the whole process dies");

  lesson::Step(absl::StrFormat(
      "A child process with 3 threads: two workers planning %d beats each (%d ms), and "
      "one that dies after %s",
      kPlannedBeats, kPlannedBeats * static_cast<int>(kBeat.count()),
      absl::FormatDuration(absl::GetFlag(FLAGS_crash_after))));
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) {
    lesson::PrintError("pipe failed: %s", strerror(errno));
    return 1;
  }
  lesson::Stopwatch watch;
  pid_t pid = fork();  // This process has one thread here, so fork is safe.
  if (pid < 0) {
    lesson::PrintError("fork failed: %s%s", strerror(errno),
                       errno == EAGAIN ? " (the user's process limit RLIMIT_NPROC, see "
                                         "`ulimit -u`, is reached)"
                                       : "");
    return 1;
  }
  if (pid == 0) {
    close(pipe_fds[0]);
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[1]);
    ChildProcess(how, crash_after);
  }
  close(pipe_fds[1]);

  // Relay the child's lines as they come, prefixed, and count the workers' beats.
  std::string pending;
  int beats = 0, finished = 0;
  char buffer[4096];
  ssize_t n;
  while ((n = read(pipe_fds[0], buffer, sizeof buffer)) > 0) {
    pending.append(buffer, static_cast<size_t>(n));
    size_t newline;
    while ((newline = pending.find('\n')) != std::string::npos) {
      const std::string line = pending.substr(0, newline);
      pending.erase(0, newline + 1);
      lesson::Print("  child | %s", line);
      if (line.find(": beat ") != std::string::npos) ++beats;
      if (line.find("finished all") != std::string::npos) ++finished;
    }
  }
  if (!pending.empty()) lesson::Print("  child | %s", pending);
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  const double died_ms = watch.Seconds() * 1e3;

  lesson::Step("What the parent saw");
  if (WIFSIGNALED(status)) {
    lesson::Print("the child process was killed by signal %d (%s) after %.0f ms",
                  WTERMSIG(status), strsignal(WTERMSIG(status)), died_ms);
  } else {
    lesson::Print("the child process exited with status %d after %.0f ms",
                  WEXITSTATUS(status), died_ms);
  }
  lesson::Print("the workers beat %d of %d times between them; %d finished their work",
                beats, 2 * kPlannedBeats, finished);
  lesson::Print("this process (pid %d), the parent, is still running: it is printing this",
                static_cast<int>(getpid()));

  lesson::Notice({
      "Only the crasher did anything wrong, yet both healthy workers stopped mid-beat: a "
      "fatal signal ends the process, and threads are only parts of a process.",
      "An uncaught exception (--how=exception) ends the same way: std::terminate, then "
      "SIGABRT. In Python only the raising thread would end.",
      "The parent survived because it is a different process: isolation is what "
      "processes buy (//process:crash_isolation) and threads give up.",
      "How many beats got out before the crash varies a little from run to run.",
  });
  return 0;
}

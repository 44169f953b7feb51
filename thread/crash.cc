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
// that raised them (threading.excepthook prints a traceback and the others go on;
// checked with CPython 3.11.7). In C++ a fatal signal (abort, a bad pointer) kills the
// process, and so does an exception that escapes a thread's function: std::terminate is
// called, which aborts. A fatal signal ends a Python process too (os.abort() in one
// thread: exit status 134, the others stop).
// The tutorial's other 线程属性 (按时间片强制切换; 不能用多核) are measured in
// //thread:cores: preemptions counted, and two C++ threads on two cores at once.
//
//   bazel run //thread:crash -- --how=abort --crash_after=200ms
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "common/trace.h"

ABSL_FLAG(std::string, how, "abort",
          "how the crashing thread dies: abort (std::abort) or exception (uncaught throw)");
ABSL_FLAG(absl::Duration, crash_after, absl::Milliseconds(200),
          "when the crashing thread dies");

namespace {

constexpr auto kBeat = std::chrono::milliseconds(50);
constexpr int kPlannedBeats = 40;  // 2 s of work: far longer than the crash takes.

// "SIGABRT": the signal's name, the same in every language.
std::string SignalName(int signal) {
  const char* abbreviation = sigabbrev_np(signal);
  return abbreviation ? absl::StrFormat("SIG%s", abbreviation) : absl::StrFormat("%d", signal);
}

// Runs in the child process: the demonstration itself. Never returns normally. Besides
// its printed lines, each worker writes one byte per beat to `tally_fd` ('b', and 'f'
// when it has finished all its beats): the parent counts those, whatever the language.
[[noreturn]] void ChildProcess(const std::string& how, std::chrono::nanoseconds crash_after,
                               int tally_fd) {
  trace::NameProcess("child process");
  auto worker = [tally_fd](int id) {
    trace::NameThread(absl::StrFormat("worker-%d", id));
    trace::Span span("beating: a line, then 50 ms of sleep", trace::kSleep);
    for (int beat = 1; beat <= kPlannedBeats; ++beat) {
      lesson::Print("worker-%d: beat %d", id, beat);
      (void)!write(tally_fd, "b", 1);
      std::this_thread::sleep_for(kBeat);
    }
    lesson::Print("worker-%d: finished all %d beats", id, kPlannedBeats);
    (void)!write(tally_fd, "f", 1);
  };
  std::jthread w1(worker, 1), w2(worker, 2);
  std::jthread crasher([&] {
    trace::NameThread("crasher");
    {
      trace::Span wait("waiting to crash", trace::kSleep);
      std::this_thread::sleep_for(crash_after);
    }
    lesson::Print("crasher: dying now (%s)", how);
    trace::Instant(how == "abort" ? "std::abort()" : "throw, and nobody catches it");
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

  lesson::Step("A child process with 3 threads: two workers planning %d beats each (%d ms), and "
               "one that dies after %s",
               kPlannedBeats, kPlannedBeats * static_cast<int>(kBeat.count()),
               absl::FormatDuration(absl::GetFlag(FLAGS_crash_after)));
  int output_fds[2], tally_fds[2];
  if (pipe(output_fds) != 0 || pipe(tally_fds) != 0) {
    lesson::PrintError("pipe failed: %s", strerror(errno));
    return 1;
  }
  lesson::Stopwatch watch;
  const pid_t parent = getpid();
  pid_t pid = fork();  // This process has one thread here, so fork is safe.
  if (pid < 0) {
    if (errno == EAGAIN) {
      lesson::PrintError("fork failed: %s (the user's process limit RLIMIT_NPROC, see "
                         "`ulimit -u`, is reached)",
                         strerror(errno));
    } else {
      lesson::PrintError("fork failed: %s", strerror(errno));
    }
    return 1;
  }
  if (pid == 0) {
    // Die with the lesson: if it is interrupted (Ctrl-C, kill), this child must not
    // outlive it. (The check covers a parent that ended before prctl took effect.)
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    close(output_fds[0]);
    close(tally_fds[0]);
    dup2(output_fds[1], STDOUT_FILENO);
    dup2(output_fds[1], STDERR_FILENO);
    close(output_fds[1]);
    ChildProcess(how, crash_after, tally_fds[1]);
  }
  close(output_fds[1]);
  close(tally_fds[1]);

  // Relay the child's lines as they come, prefixed.
  const std::string prefix = lesson::Tr("child process").str();
  {
    trace::Span relay("relaying the child's output", trace::kIo);
    std::string pending;
    char buffer[4096];
    ssize_t n;
    while ((n = read(output_fds[0], buffer, sizeof buffer)) > 0) {
      pending.append(buffer, static_cast<size_t>(n));
      size_t newline;
      while ((newline = pending.find('\n')) != std::string::npos) {
        lesson::WriteLine(absl::StrFormat("  %s | %s", prefix, pending.substr(0, newline)));
        pending.erase(0, newline + 1);
      }
    }
    if (!pending.empty()) lesson::WriteLine(absl::StrFormat("  %s | %s", prefix, pending));
    close(output_fds[0]);
  }
  // The workers' tally: one byte per beat, one per finished worker.
  int beats = 0, finished = 0;
  {
    char buffer[256];
    ssize_t n;
    while ((n = read(tally_fds[0], buffer, sizeof buffer)) > 0) {
      for (ssize_t i = 0; i < n; ++i) {
        if (buffer[i] == 'b') ++beats;
        if (buffer[i] == 'f') ++finished;
      }
    }
    close(tally_fds[0]);
  }
  int status = 0;
  {
    trace::Span wait("waitpid(child)", trace::kJoin);
    waitpid(pid, &status, 0);
  }
  const double died_ms = watch.Seconds() * 1e3;
  const bool killed = WIFSIGNALED(status);
  const std::string signal = killed ? SignalName(WTERMSIG(status)) : "";
  trace::ProcessEnded(pid, killed ? "killed by " + signal : "exited");

  lesson::Step("What the parent saw");
  if (killed) {
    lesson::Print("the child process was killed by signal %d (%s) after %.0f ms",
                  WTERMSIG(status), signal, died_ms);
  } else {
    lesson::Print("the child process exited with status %d after %.0f ms", WEXITSTATUS(status),
                  died_ms);
  }
  lesson::Print("the workers beat %d of %d times between them; %d finished their work", beats,
                2 * kPlannedBeats, finished);
  lesson::Print("this process (pid %d), the parent, is still running: it is printing this",
                static_cast<int>(getpid()));

  std::vector<lesson::Text> points;
  if (killed && finished == 0) {
    points.push_back(lesson::Format(
        "Only the crasher did anything wrong, yet both healthy workers stopped mid-beat, %d "
        "beats of %d in: %s ended the whole process after %.0f ms, and threads are only parts "
        "of a process.",
        beats, 2 * kPlannedBeats, signal, died_ms));
  } else {
    points.push_back(lesson::Format(
        "The child was expected to die of SIGABRT with its workers mid-beat; here %d worker(s) "
        "finished and it %s. That is a bug in this lesson, please report it.",
        finished, killed ? lesson::Tr("was killed").str() : lesson::Tr("exited").str()));
  }
  points.push_back(how == "exception"
                       ? lesson::Tr("The uncaught exception went to std::terminate, which "
                                    "aborted: the same death as --how=abort. In CPython 3.11 an "
                                    "uncaught exception ends only its own thread: "
                                    "threading.excepthook prints it and the others go on.")
                       : lesson::Tr("An uncaught exception (--how=exception) ends a C++ process "
                                    "the same way: std::terminate, then SIGABRT. In CPython 3.11 "
                                    "it would end only its own thread; a fatal signal "
                                    "(os.abort()) ends a Python process too."));
  points.push_back(lesson::Tr(
      "The parent survived because it is a different process: isolation is what processes "
      "buy (//process:crash_isolation) and threads give up."));
  points.push_back(lesson::Tr(
      "The tutorial's other 线程属性 are measured in //thread:cores: 按时间片强制切换 (the "
      "kernel's preemptions, counted) and 不能用多核, which holds for CPython threads under the "
      "GIL but not for C++ threads."));
  lesson::Notice(points);
  return 0;
}

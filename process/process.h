// process/process.h — a child process that runs a function: multiprocessing.Process in C++.
//
// The tutorial's
//
//   p1 = Process(target=coding, args=(1,))
//   p1.start()
//   p1.join()
//   print(p1.exitcode)
//
// becomes
//
//   process::Process p1(coding, 1);
//   p1.set_name("p1");                                  // Python's Process(name="p1")
//   if (absl::Status s = p1.Start(); !s.ok()) { ... }   // fork() failed: s says why
//   p1.Join();
//   lesson::Print("%s", p1.exit_status()->ToString());  // "exited with code 0"
//
// Start methods. A Process built from a callable starts with fork(): the child is a copy
// of the parent (its memory, its open files) and runs the callable, then _exit()s with
// the callable's return value (void: 0). Process::Program(argv) starts another program
// with posix_spawn() instead: a fresh process image that begins at main() — Python's
// "spawn" start method, and the reason Python needs `if __name__ == '__main__':`.
//
// Guarantees.
// - No zombie: Join() and IsAlive() reap the child as soon as it has ended, and the
//   destructor of a Process whose child still runs kills it (SIGKILL) and reaps it, the
//   way std::jthread joins in its destructor. A Process never signals a process it has
//   already reaped, so it cannot hit an unrelated process that reused the PID.
// - Errors are values: fork(), posix_spawn() and waitid() failures come back as
//   absl::Status (EAGAIN from the process limit is ResourceExhausted and names
//   RLIMIT_NPROC), never as a crash or an exception.
// - The child dies with its parent: it is started with PR_SET_PDEATHSIG = SIGKILL, so if
//   the parent is killed (even by SIGKILL, when no destructor runs) the kernel kills the
//   child. Note the kernel ties this to the *thread* that called Start(): if that thread
//   exits while the child runs, the child is killed too. Use set_die_with_parent(false)
//   before Start() for a child that must outlive its starting thread.
// - Interrupted programs clean up: see process/interrupt_guard.h.
// - Timelines (common/trace.h, --trace=PATH): a forked child is a process of its own in
//   the trace, named after the Process (name()); Join() records the wait as a span
//   (state kJoin) on the calling thread; every reap (Join, IsAlive, the destructor)
//   records trace::ProcessEnded with how the child ended, which closes any span the
//   child was inside when it died; Signal() records the signal sent as an instant.
//   All of it costs nothing when no trace is being written.
//
// Rules for the child (the callable). After fork() only the calling thread exists in the
// child. If the parent had other threads, they may have held locks at that instant (a
// mutex of yours, a logging library's): the callable must not need those. glibc makes
// malloc and stdio safe to use in the child, so lesson::Print, std::string and the like
// are fine. Return from the callable to end the child; do not call std::exit() in it
// (that would run the parent's atexit handlers and static destructors in the child).
// Start() flushes C stdio (and so std::cout) first, so text the parent had buffered is
// not copied into the child and printed twice; the child flushes stdio before _exit().
// An exception escaping the callable is reported on stderr and the child exits with 1,
// as a Python target's traceback does.
//
// Thread safety: Start, Join, IsAlive, Kill, Terminate, Signal and the accessors may be
// called from several threads at once (Join in one thread, Kill from a watchdog thread).
// Construction, moving and destruction may not race with anything else.
#ifndef PROCESS_PROCESS_H_
#define PROCESS_PROCESS_H_

#include <sys/types.h>

#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace process {

// How a child ended, decoded from a wait status.
class ExitStatus {
 public:
  // `wait_status` as waitpid()/wait4() fill it in for a child that has terminated.
  static ExitStatus FromWaitStatus(int wait_status);

  // True if the child called _exit()/returned from its callable or main().
  bool exited() const { return exited_; }
  // The exit code (0..255) if exited(), else 0.
  int code() const { return code_; }

  // True if a signal killed the child.
  bool signaled() const { return !exited_; }
  // The signal that killed it (SIGSEGV, SIGKILL, ...) if signaled(), else 0.
  int signal() const { return signal_; }
  // True if the kernel also tried to write a core file.
  bool core_dumped() const { return core_dumped_; }

  // Python's Process.exitcode: the exit code, or minus the signal number.
  int python_exitcode() const { return exited_ ? code_ : -signal_; }

  // "exited with code 0", "killed by signal 9 (SIGKILL: Killed)".
  std::string ToString() const;

 private:
  bool exited_ = true;
  int code_ = 0;
  int signal_ = 0;
  bool core_dumped_ = false;
};

// What the kernel accounted to a reaped child (from wait4()): the child itself plus any
// descendants it waited for.
struct ResourceUsage {
  // Peak resident set size, in bytes (ru_maxrss). Caution: it is never below what the
  // parent had resident when the child was created. A forked child starts with the
  // parent's pages (shared copy-on-write) and they count; even after exec, Linux carries
  // the pre-exec high-water mark over (measured here: a parent with 200 MiB resident
  // spawns /bin/true, whose ru_maxrss is ~200 MiB). To report what the work needed,
  // subtract the peak of an idle child started the same way (process_test.cc,
  // ResourceUsageReportsPeakRss), or start the workers from a small parent.
  int64_t peak_rss_bytes = 0;
  absl::Duration user_cpu;    // CPU time in user mode.
  absl::Duration system_cpu;  // CPU time in the kernel on its behalf.
  int64_t minor_page_faults = 0;
  int64_t major_page_faults = 0;
  int64_t voluntary_context_switches = 0;    // It blocked (sleep, I/O, a lock).
  int64_t involuntary_context_switches = 0;  // The scheduler took the CPU away.

  absl::Duration cpu() const { return user_cpu + system_cpu; }
};

// What a Process can run: `target(args...)` on the child's own copies of target and args
// (as std::thread, it stores them decayed: copies of lvalues, moved-in rvalues).
template <typename F, typename... Args>
concept Target = std::invocable<std::decay_t<F>&, std::decay_t<Args>&...>;

class Process {
 public:
  // A process that will run `target(args...)` in a forked child once started. `target`
  // and `args` are copied (decayed) into the Process now, as std::thread does; the child
  // sees them as they are at Start(). They must be copyable (they are kept in a
  // std::function). `target` returns void (exit code 0) or an integer,
  // which becomes the exit code (the kernel keeps its low 8 bits).
  template <typename F, typename... Args>
    requires Target<F, Args...>
  explicit Process(F&& target, Args&&... args)
      : Process(MakeBody(std::forward<F>(target), std::forward<Args>(args)...)) {}

  // A process that will run the program argv[0] (a path; no PATH search) with the given
  // arguments, via posix_spawn(), once started. The environment is inherited.
  static Process Program(std::vector<std::string> argv);

  Process(Process&& other) noexcept;
  // Move-assigning over a Process whose child still runs first kills and reaps it.
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // If the child is still running: kills it with SIGKILL and reaps it (never leaves a
  // zombie or an orphan). If it has ended but was not joined: reaps it.
  ~Process();

  // Python's Process.name: "Process-1", "Process-2", ... in the order the Process objects
  // of this program were created, unless set_name() chose one. It names the child in a
  // trace and in the trace's spans ("join p1"). Set it before Start().
  const std::string& name() const;
  void set_name(std::string name);

  // Before Start(): whether the child is killed when the thread that started it (in
  // practice: the parent process) dies. Default true. Applies to callables (fork); a
  // posix_spawn cannot set it, so a Program() child calls DieWithParent() itself.
  void set_die_with_parent(bool die_with_parent);

  // Starts the child. Errors (nothing was started):
  //   FailedPrecondition  Start() was already called, or this Process was moved from.
  //   ResourceExhausted   fork/posix_spawn hit a limit (EAGAIN: RLIMIT_NPROC or the
  //                       kernel's pid/thread limit; ENOMEM); the message says which.
  //   NotFound, PermissionDenied, Internal  Program() could not be executed / other errno.
  absl::Status Start();

  // Waits until the child has ended, at most `timeout`, and reaps it.
  //   OK                  the child has ended; exit_status() and resource_usage() are set.
  //   DeadlineExceeded    still running after `timeout` (it keeps running).
  //   FailedPrecondition  never started.
  //   Internal            waitid()/wait4() failed, e.g. ECHILD because someone else reaped
  //                       the child (SIGCHLD set to SIG_IGN, or a waitpid(-1) elsewhere).
  // A finite timeout is waited in short sleeps (at most 5 ms apart); an infinite one
  // blocks in waitid() and returns the moment the child ends.
  absl::Status Join(absl::Duration timeout = absl::InfiniteDuration());

  // True from a successful Start() until the child has ended. Reaps an ended child.
  bool IsAlive();

  // Sends SIGKILL (cannot be caught: the "end task" of a task manager).
  absl::Status Kill();
  // Sends SIGTERM (the polite request, which the child may handle or ignore).
  absl::Status Terminate();
  // Sends `signal`. OK and nothing sent if the child has already been reaped;
  // FailedPrecondition if never started.
  absl::Status Signal(int signal);

  // The child's PID after Start(), else -1. Still returned after the child is reaped, for
  // reports, but by then the number may belong to another process.
  pid_t pid() const;

  // How the child ended, once Join() or IsAlive() has reaped it; empty before.
  std::optional<ExitStatus> exit_status() const;

  // Python's Process.exitcode: exit code, or minus the killing signal; empty while the
  // child has not been reaped.
  std::optional<int> exit_code() const;

  // The kernel's account of the reaped child; empty before.
  std::optional<ResourceUsage> resource_usage() const;

 private:
  struct State;
  using Body = std::function<int()>;

  explicit Process(Body body);

  template <typename F, typename... Args>
  static Body MakeBody(F&& target, Args&&... args) {
    return
        [target = std::forward<F>(target), ... args = std::forward<Args>(args)]() mutable -> int {
          using Result = std::invoke_result_t<std::decay_t<F>&, std::decay_t<Args>&...>;
          if constexpr (std::is_void_v<Result>) {
            std::invoke(target, args...);
            return 0;
          } else {
            return static_cast<int>(std::invoke(target, args...));
          }
        };
  }

  std::unique_ptr<State> state_;
};

// For a program started with posix_spawn (which cannot set it): asks the kernel to
// SIGKILL the calling process when its parent dies, then closes the race where the
// parent died before the request. Returns false if the parent is already gone (getppid()
// is no longer `expected_parent`), in which case the caller should exit at once.
bool DieWithParent(pid_t expected_parent);

}  // namespace process

#endif  // PROCESS_PROCESS_H_

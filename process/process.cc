#include "process/process.h"

#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <exception>
#include <mutex>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/trace.h"
#include "process/child_registry.h"

extern char** environ;

namespace process {

struct Process::State {
  // What to run: `body` in a forked child, or the program `argv` (when `is_program`).
  Body body;
  std::vector<std::string> argv;
  bool is_program = false;
  bool die_with_parent = true;
  std::string name;

  mutable std::mutex mu;
  bool started ABSL_GUARDED_BY(mu) = false;
  bool reaped ABSL_GUARDED_BY(mu) = false;
  pid_t pid ABSL_GUARDED_BY(mu) = -1;
  int registry_slot ABSL_GUARDED_BY(mu) = -1;
  std::optional<ExitStatus> exit_status ABSL_GUARDED_BY(mu);
  std::optional<ResourceUsage> usage ABSL_GUARDED_BY(mu);
};

namespace {

std::string ErrnoText(int error) {
  return absl::StrFormat("%s (%s)", strerrordesc_np(error), strerrorname_np(error));
}

// fork/posix_spawn failures, with the likely cause spelled out.
absl::Status StartError(const char* call, int error) {
  if (error == EAGAIN) {
    rlimit limit{};
    getrlimit(RLIMIT_NPROC, &limit);
    std::string soft =
        limit.rlim_cur == RLIM_INFINITY ? "unlimited" : absl::StrFormat("%d", limit.rlim_cur);
    return absl::ResourceExhaustedError(absl::StrFormat(
        "%s: %s: this user has reached its process limit (RLIMIT_NPROC, soft limit %s; "
        "`ulimit -u`) or the system ran out of PIDs/threads (kernel.pid_max, "
        "kernel.threads-max)",
        call, ErrnoText(error), soft));
  }
  if (error == ENOMEM) {
    return absl::ResourceExhaustedError(
        absl::StrFormat("%s: %s: not enough memory for a new process", call, ErrnoText(error)));
  }
  const std::string message = absl::StrFormat("%s: %s", call, ErrnoText(error));
  if (error == ENOENT || error == ENOTDIR) return absl::NotFoundError(message);
  if (error == EACCES || error == EPERM) return absl::PermissionDeniedError(message);
  return absl::InternalError(message);
}

ResourceUsage FromRusage(const rusage& ru) {
  ResourceUsage usage;
  usage.peak_rss_bytes = int64_t{ru.ru_maxrss} * 1024;  // Linux reports KiB.
  usage.user_cpu = absl::DurationFromTimeval(ru.ru_utime);
  usage.system_cpu = absl::DurationFromTimeval(ru.ru_stime);
  usage.minor_page_faults = ru.ru_minflt;
  usage.major_page_faults = ru.ru_majflt;
  usage.voluntary_context_switches = ru.ru_nvcsw;
  usage.involuntary_context_switches = ru.ru_nivcsw;
  return usage;
}

void WriteToStderr(const std::string& text) {
  (void)!write(STDERR_FILENO, text.data(), text.size());
}

// The forked child's whole life. Never returns into the caller (a test framework, a
// lesson's main): it ends in _exit, which skips the parent's atexit handlers and static
// destructors that the child only has copies of.
[[noreturn]] void RunChild(std::function<int()>& body, const std::string& name,
                           bool die_with_parent, pid_t parent, const sigset_t& original_mask) {
  internal::ResetInForkedChild();
  sigprocmask(SIG_SETMASK, &original_mask, nullptr);
  if (die_with_parent) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    // The parent may have died before prctl: then nobody would ever send the signal.
    if (getppid() != parent) raise(SIGKILL);
  }
  trace::NameProcess(name);  // The trace already follows the fork; this names the row.
  int code = 0;
  try {
    code = body();
  } catch (const std::exception& e) {
    WriteToStderr(
        absl::StrFormat("process: child %d: uncaught exception: %s\n", getpid(), e.what()));
    code = 1;
  } catch (...) {
    WriteToStderr(absl::StrFormat("process: child %d: uncaught exception\n", getpid()));
    code = 1;
  }
  std::fflush(nullptr);  // What the callable printf'd must not be lost by _exit.
  _exit(code);
}

// While it exists, the calling thread holds back SIGINT, SIGTERM and SIGHUP (the signals
// an InterruptGuard handles): they stay pending and are delivered when it goes. Start()
// holds them from before the fork until the new child is in the child registry, so that
// an interrupt can never miss a child that exists.
class InterruptsHeld {
 public:
  InterruptsHeld() {
    sigset_t guarded;
    sigemptyset(&guarded);
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&guarded, signal_number);
    pthread_sigmask(SIG_BLOCK, &guarded, &original_mask_);
  }
  ~InterruptsHeld() { pthread_sigmask(SIG_SETMASK, &original_mask_, nullptr); }
  InterruptsHeld(const InterruptsHeld&) = delete;
  InterruptsHeld& operator=(const InterruptsHeld&) = delete;

  // The mask as it was before: what the child must start with.
  const sigset_t& original_mask() const { return original_mask_; }

 private:
  sigset_t original_mask_;
};

// The outcome of one fork or posix_spawn: the child's PID, or the errno of the failure.
struct Started {
  pid_t pid = -1;
  int error = 0;
};

// Spawn: a fresh program image, argv[0] a path. The child starts with `mask`, not with
// the interrupts Start() is holding back.
Started SpawnProgram(std::vector<std::string>& argv, const sigset_t& mask) {
  std::vector<char*> args;
  for (std::string& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
  posix_spawnattr_setsigmask(&attributes, &mask);
  Started started;
  started.error = posix_spawn(&started.pid, args[0], nullptr, &attributes, args.data(), environ);
  posix_spawnattr_destroy(&attributes);
  return started;
}

// Fork: a copy of this process that runs `body` and exits (RunChild never returns).
Started ForkCallable(std::function<int()>& body, const std::string& name, bool die_with_parent,
                     const sigset_t& mask) {
  const pid_t parent = getpid();
  Started started;
  started.pid = fork();
  if (started.pid == 0) RunChild(body, name, die_with_parent, parent, mask);
  if (started.pid < 0) started.error = errno;
  return started;
}

// Python's default names: Process-1, Process-2, ... in order of creation.
std::string NextDefaultName() {
  static std::atomic<int> created{0};
  return absl::StrFormat("Process-%d", created.fetch_add(1) + 1);
}

}  // namespace

// --- ExitStatus -------------------------------------------------------------------------

ExitStatus ExitStatus::FromWaitStatus(int wait_status) {
  ExitStatus status;
  if (WIFEXITED(wait_status)) {
    status.exited_ = true;
    status.code_ = WEXITSTATUS(wait_status);
  } else {
    status.exited_ = false;
    status.signal_ = WTERMSIG(wait_status);
    status.core_dumped_ = WCOREDUMP(wait_status);
  }
  return status;
}

std::string ExitStatus::ToString() const {
  if (exited_) return absl::StrFormat("exited with code %d", code_);
  const char* abbreviation = sigabbrev_np(signal_);
  const char* description = sigdescr_np(signal_);
  return absl::StrFormat(
      "killed by signal %d (SIG%s: %s)%s", signal_, abbreviation ? abbreviation : "?",
      description ? description : "unknown signal", core_dumped_ ? ", core dumped" : "");
}

// --- Process ----------------------------------------------------------------------------

Process::Process(Body body) : state_(std::make_unique<State>()) {
  state_->body = std::move(body);
  state_->name = NextDefaultName();
}

Process Process::Program(std::vector<std::string> argv) {
  Process process(Body{});
  process.state_->argv = std::move(argv);
  process.state_->is_program = true;
  return process;
}

Process::Process(Process&& other) noexcept = default;

Process& Process::operator=(Process&& other) noexcept {
  if (this != &other) {
    Process old(std::move(*this));  // Kills and reaps a running child when it goes.
    state_ = std::move(other.state_);
  }
  return *this;
}

Process::~Process() {
  if (state_ == nullptr) return;  // Moved from.
  bool running;
  {
    std::lock_guard lock(state_->mu);
    running = state_->started && !state_->reaped;
  }
  if (!running) return;
  (void)Kill();
  (void)Join();  // SIGKILL cannot be refused, so this returns promptly.
}

const std::string& Process::name() const {
  static const std::string* const kMovedFrom = new std::string;
  return state_ == nullptr ? *kMovedFrom : state_->name;
}

void Process::set_name(std::string name) {
  if (state_ != nullptr) state_->name = std::move(name);
}

void Process::set_die_with_parent(bool die_with_parent) {
  if (state_ != nullptr) state_->die_with_parent = die_with_parent;
}

absl::Status Process::Start() {
  if (state_ == nullptr) return absl::FailedPreconditionError("Start() on a moved-from Process");
  State& s = *state_;
  std::lock_guard lock(s.mu);
  if (s.started) return absl::FailedPreconditionError("Start() called twice");
  if (s.is_program && s.argv.empty()) {
    return absl::InvalidArgumentError("Program() needs at least argv[0]");
  }
  // A place in the child registry first (process/child_registry.h): once the child
  // exists, recording it must not be able to fail.
  const int slot = internal::ReserveChildSlot();
  if (slot < 0) {
    return absl::ResourceExhaustedError(absl::StrFormat(
        "more than %d children alive at once in this process", internal::kMaxLiveChildren));
  }
  // Whatever stdio holds now would otherwise be copied into the child and written twice.
  std::fflush(nullptr);

  Started started;
  {
    InterruptsHeld held;
    started = s.is_program
                  ? SpawnProgram(s.argv, held.original_mask())
                  : ForkCallable(s.body, s.name, s.die_with_parent, held.original_mask());
    if (started.error == 0) internal::FillChildSlot(slot, started.pid);
  }  // A pending interrupt is delivered here, and finds the child in the registry.

  if (started.error != 0) {
    internal::ReleaseChildSlot(slot);
    return s.is_program
               ? StartError(absl::StrFormat("posix_spawn %s", s.argv[0]).c_str(), started.error)
               : StartError("fork", started.error);
  }
  s.started = true;
  s.pid = started.pid;
  s.registry_slot = slot;
  return absl::OkStatus();
}

absl::Status Process::Join(absl::Duration timeout) {
  if (state_ == nullptr) return absl::FailedPreconditionError("Join() on a moved-from Process");
  State& s = *state_;
  pid_t pid;
  {
    std::lock_guard lock(s.mu);
    if (!s.started) return absl::FailedPreconditionError("Join() before Start()");
    if (s.reaped) return absl::OkStatus();
    pid = s.pid;
  }
  // On the timeline: this thread blocked until the child ended (IsAlive's zero-length
  // look is not a wait).
  std::optional<trace::Span> waiting;
  if (timeout > absl::ZeroDuration() && trace::Enabled()) {
    waiting.emplace(absl::StrFormat("join %s (PID %d)", s.name, pid), trace::kJoin);
  }

  // Wait for the end without reaping (WNOWAIT): until reaped under the lock below, the
  // child's PID stays reserved as a zombie, so Signal() can never hit another process.
  const bool forever = timeout == absl::InfiniteDuration();
  // A monotonic clock: a change of the system time must not stretch or cut the wait.
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline =
      forever ? Clock::time_point::max()
              : Clock::now() + absl::ToChronoNanoseconds(std::max(timeout, absl::ZeroDuration()));
  absl::Duration pause = absl::Microseconds(50);
  while (true) {
    siginfo_t info{};
    const int options = WEXITED | WNOWAIT | (forever ? 0 : WNOHANG);
    if (waitid(P_PID, static_cast<id_t>(pid), &info, options) != 0) {
      const int error = errno;
      if (error == EINTR) continue;
      std::lock_guard lock(s.mu);
      if (s.reaped) return absl::OkStatus();  // Another thread's Join reaped it just now.
      s.reaped = true;  // Nothing left to wait for: the child is not ours any more.
      internal::ReleaseChildSlot(s.registry_slot);
      return absl::InternalError(absl::StrFormat(
          "waitid(%d): %s: the child was reaped elsewhere (SIGCHLD set to SIG_IGN, or a "
          "waitpid(-1) in this process); its exit status is lost",
          pid, ErrnoText(error)));
    }
    if (info.si_pid == pid) break;  // It has ended.
    const Clock::time_point now = Clock::now();
    if (now >= deadline) {
      return absl::DeadlineExceededError(
          absl::StrFormat("child %d still running after %s", pid, absl::FormatDuration(timeout)));
    }
    absl::SleepFor(std::min(pause, absl::FromChrono(deadline - now)));
    pause = std::min(pause * 2, absl::Milliseconds(5));
  }

  ExitStatus ended;
  {
    std::lock_guard lock(s.mu);
    if (s.reaped) return absl::OkStatus();
    // Off the interrupt table first, so a signal handler never targets a reaped PID.
    internal::ReleaseChildSlot(s.registry_slot);
    int wait_status = 0;
    rusage ru{};
    pid_t r;
    do {
      r = wait4(pid, &wait_status, 0, &ru);  // A zombie now: returns at once.
    } while (r < 0 && errno == EINTR);
    s.reaped = true;
    if (r != pid) {
      return absl::InternalError(absl::StrFormat("wait4(%d): %s", pid, ErrnoText(errno)));
    }
    ended = ExitStatus::FromWaitStatus(wait_status);
    s.exit_status = ended;
    s.usage = FromRusage(ru);
  }
  // Closes, in the trace, whatever the child was still inside when it ended.
  trace::ProcessEnded(pid, absl::StrFormat("%s: %s", s.name, ended.ToString()));
  return absl::OkStatus();
}

bool Process::IsAlive() { return absl::IsDeadlineExceeded(Join(absl::ZeroDuration())); }

absl::Status Process::Kill() { return Signal(SIGKILL); }

absl::Status Process::Terminate() { return Signal(SIGTERM); }

absl::Status Process::Signal(int signal) {
  if (state_ == nullptr) return absl::FailedPreconditionError("Signal() on a moved-from Process");
  std::lock_guard lock(state_->mu);
  if (!state_->started) return absl::FailedPreconditionError("Signal() before Start()");
  if (state_->reaped) return absl::OkStatus();  // Its PID may be someone else's now.
  if (kill(state_->pid, signal) != 0) {
    return absl::InternalError(
        absl::StrFormat("kill(%d, %d): %s", state_->pid, signal, ErrnoText(errno)));
  }
  if (trace::Enabled()) {
    const char* abbreviation = sigabbrev_np(signal);
    trace::Instant(absl::StrFormat("SIG%s sent to %s (PID %d)",
                                   abbreviation ? abbreviation : "?", state_->name, state_->pid));
  }
  return absl::OkStatus();
}

pid_t Process::pid() const {
  if (state_ == nullptr) return -1;
  std::lock_guard lock(state_->mu);
  return state_->pid;
}

std::optional<ExitStatus> Process::exit_status() const {
  if (state_ == nullptr) return std::nullopt;
  std::lock_guard lock(state_->mu);
  return state_->exit_status;
}

std::optional<int> Process::exit_code() const {
  std::optional<ExitStatus> status = exit_status();
  if (!status.has_value()) return std::nullopt;
  return status->python_exitcode();
}

std::optional<ResourceUsage> Process::resource_usage() const {
  if (state_ == nullptr) return std::nullopt;
  std::lock_guard lock(state_->mu);
  return state_->usage;
}

bool DieWithParent(pid_t expected_parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  return getppid() == expected_parent;
}

}  // namespace process

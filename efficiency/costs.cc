// efficiency/costs.cc — 进程、线程、协程：优势/劣势 (what each one costs, measured)
//
// The tutorial's efficiency section lists advantages and drawbacks in words: processes
// switch "with a large overhead", threads "with a smaller one", coroutines have "no
// thread-switching overhead". These Google Benchmark micro-benchmarks put numbers on
// those words, on this machine:
//   create + join a thread (also with both threads on one CPU); fork + exit + wait a process (raw and with process::Process);
//   posix_spawn a tiny program and wait for it;
//   create + resume + destroy a coroutine (a Generator; a Task awaited on the event loop);
//   one switch between two coroutines on the event loop (a round trip = two switches);
//   an uncontended std::mutex and absl::Mutex lock + unlock;
//   a round trip between two threads through a condition variable (also on one CPU);
//   a round trip between two processes through two pipes (also on one CPU).
// Setup (partner threads and processes, loops) happens outside the timed loop; benchmarks
// that start threads or processes use UseRealTime(), because CPU time of the calling
// thread misses the work done elsewhere. A summary line at the end gives the ratios the
// tutorial talks about: thread switch / coroutine switch, process create / thread create;
// then "what to notice", chosen from the figures (costs_conclusions.h).
//
// Each benchmark runs for at least 0.1 s here unless --benchmark_min_time says otherwise
// (Google Benchmark's own default is 0.5 s: the precise run below), so that the whole set
// ends in a few seconds. A thread or process that cannot be created (the user's process
// limit RLIMIT_NPROC, which counts threads too) marks that benchmark as failed, with the
// reason; the others still run, and the program ends with one line naming the limit and
// exit status 1.
//
//   bazel run -c opt //efficiency:costs
//   bazel run -c opt //efficiency:costs -- --benchmark_min_time=0.5     (precise, ~15 s)
//   bazel run -c opt //efficiency:costs -- --json          (Google Benchmark's JSON + "warnings")
//   bazel run -c opt //efficiency:costs -- --benchmark_filter=PingPong
//
// Flags: this program's own (--lang, --json, --trace, --help) are parsed as in every
// lesson; the --benchmark_* ones go to Google Benchmark, which has its own conventions
// (--benchmark_min_time is a number of seconds in this version, not an absl::Duration).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "benchmark/benchmark.h"
#include "common/flags.h"
#include "common/json_flag.h"
#include "common/lesson.h"
#include "common/machine.h"
#include "common/run_conditions.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/lazy_generator.h"
#include "coroutine/coro/task.h"
#include "efficiency/costs_conclusions.h"
#include "efficiency/run_budget.h"
#include "efficiency/thread_errors.h"
#include "nlohmann/json.hpp"
#include "process/process.h"

extern char** environ;

namespace {

// ----- Failing clearly -------------------------------------------------------------------
// Under a low process limit (RLIMIT_NPROC counts threads too) std::thread throws and
// fork() fails. A benchmark that cannot create what it measures reports why through
// SkipWithError and stops; main() then ends with one line naming the cause.

// Starts a thread running `body`, or reports on `state` why it could not.
template <typename Body>
std::optional<std::thread> StartThread(benchmark::State& state, Body&& body) {
  try {
    return std::thread(std::forward<Body>(body));
  } catch (const std::system_error& error) {
    state.SkipWithError(
        std::string(efficiency::ThreadStartError("could not create a thread", error).message())
            .c_str());
    return std::nullopt;
  }
}

// "<call>: <what errno `error` means>", naming the process limit when that is the cause.
std::string SystemCallError(const char* call, int error) {
  if (error == EAGAIN) {
    return lesson::Format("%s: %s: this user has reached its process limit (RLIMIT_NPROC, "
                          "`ulimit -u`) or the system ran out of PIDs",
                          call, std::strerror(error))
        .str();
  }
  return absl::StrFormat("%s: %s", call, std::strerror(error));
}

// The *OneCore variants run on one CPU (lesson::OnOneCpu, common/machine.h): on a virtual
// machine, waking an idle virtual CPU costs far more than the switch itself.
using lesson::OnOneCpu;

// ----- Creating ------------------------------------------------------------------------

void BM_ThreadCreateJoin(benchmark::State& state) {
  for (auto _ : state) {
    std::optional<std::thread> thread = StartThread(state, [] {});
    if (!thread) break;
    thread->join();
  }
}
BENCHMARK(BM_ThreadCreateJoin)->UseRealTime();

void BM_ThreadCreateJoinOneCore(benchmark::State& state) {
  OnOneCpu pinned;
  BM_ThreadCreateJoin(state);
}
BENCHMARK(BM_ThreadCreateJoinOneCore)->UseRealTime();

// fork(), the child _exit()s at once, the parent waitpid()s: the kernel's cost of a
// process (copying the page tables of this address space, scheduling, reaping).
void BM_ForkExitWait(benchmark::State& state) {
  for (auto _ : state) {
    const pid_t pid = fork();
    if (pid == 0) _exit(0);
    if (pid < 0) {
      state.SkipWithError(SystemCallError("fork", errno).c_str());
      break;
    }
    int status = 0;
    waitpid(pid, &status, 0);
  }
}
BENCHMARK(BM_ForkExitWait)->UseRealTime();

// The same through this project's process::Process (PR_SET_PDEATHSIG, child registry,
// waitid + wait4 for the resource usage).
void BM_ProcessStartJoin(benchmark::State& state) {
  for (auto _ : state) {
    process::Process child([] { return 0; });
    absl::Status status = child.Start();
    if (status.ok()) status = child.Join();
    if (!status.ok()) {  // Start() names RLIMIT_NPROC when fork() hit it
      state.SkipWithError(std::string(status.message()).c_str());
      break;
    }
  }
}
BENCHMARK(BM_ProcessStartJoin)->UseRealTime();

// The path of //efficiency:exit_zero: next to this binary (bazel-bin/efficiency/).
std::string TinyProgram() {
  char self[PATH_MAX] = {};
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  std::string path = n > 0 ? std::string(self, n) : std::string();
  path = path.substr(0, path.find_last_of('/') + 1) + "exit_zero";
  return access(path.c_str(), X_OK) == 0 ? path : "/bin/true";
}

void BM_PosixSpawnWait(benchmark::State& state) {
  const std::string program = TinyProgram();
  char* argv[] = {const_cast<char*>(program.c_str()), nullptr};
  for (auto _ : state) {
    pid_t pid = 0;
    if (const int error = posix_spawn(&pid, program.c_str(), nullptr, nullptr, argv, environ);
        error != 0) {
      state.SkipWithError(SystemCallError("posix_spawn", error).c_str());
      break;
    }
    int status = 0;
    waitpid(pid, &status, 0);
  }
  state.SetLabel(program.ends_with("exit_zero") ? "efficiency/exit_zero" : "/bin/true");
}
BENCHMARK(BM_PosixSpawnWait)->UseRealTime();

coro::Generator<int> OneValue() { co_yield 1; }

// A coroutine frame allocated, resumed once (to its co_yield), then destroyed.
void BM_CoroutineCreateResumeDestroy(benchmark::State& state) {
  for (auto _ : state) {
    coro::Generator<int> generator = OneValue();
    benchmark::DoNotOptimize(generator.Next());
  }
}
BENCHMARK(BM_CoroutineCreateResumeDestroy);

coro::Task<int> Leaf(int x) { co_return x; }

coro::Task<void> AwaitLeaves(benchmark::State& state) {
  for (auto _ : state) {
    int value = co_await Leaf(1);  // create a Task, run it to co_return, destroy it
    benchmark::DoNotOptimize(value);
  }
}

// The same with the event loop's Task: `co_await Leaf()` from a coroutine on the loop.
void BM_TaskCreateAwaitDestroy(benchmark::State& state) {
  coro::Run(AwaitLeaves(state));
}
BENCHMARK(BM_TaskCreateAwaitDestroy);

// ----- Switching -----------------------------------------------------------------------

coro::Task<void> YieldUntil(const bool& stop) {
  while (!stop) co_await coro::Sleep(coro::Duration::zero());
}

coro::Task<void> YieldEachIteration(benchmark::State& state, bool& stop) {
  for (auto _ : state) co_await coro::Sleep(coro::Duration::zero());  // let the partner run
  stop = true;
}

// Two coroutines on one event loop take turns: each iteration, the measured one yields,
// the partner runs and yields back. One iteration = a round trip = two switches.
void BM_CoroutinePingPong(benchmark::State& state) {
  coro::EventLoop loop;
  bool stop = false;
  coro::Future<void> partner = loop.CreateTask(YieldUntil(stop));
  loop.RunUntilComplete(YieldEachIteration(state, stop));
  loop.RunUntilComplete(partner);
}
BENCHMARK(BM_CoroutinePingPong);

// Two threads take turns through a mutex and a condition variable. The partner thread is
// started before the timed loop and joined after it. One iteration = a round trip.
void BM_ThreadPingPong(benchmark::State& state) {
  std::mutex mu;
  std::condition_variable turned;
  int turn = 0;  // 0: main's turn, 1: partner's turn, 2: stop
  std::optional<std::thread> partner = StartThread(state, [&] {
    while (true) {
      {
        std::unique_lock lock(mu);
        turned.wait(lock, [&] { return turn != 0; });
        if (turn == 2) return;
        turn = 0;
      }
      turned.notify_all();
    }
  });
  if (!partner) return;
  for (auto _ : state) {
    {
      std::lock_guard lock(mu);
      turn = 1;
    }
    turned.notify_all();  // after unlocking, so the partner does not wake into a held mutex
    std::unique_lock lock(mu);
    turned.wait(lock, [&] { return turn == 0; });
  }
  {
    std::lock_guard lock(mu);
    turn = 2;
  }
  turned.notify_all();
  partner->join();
}
BENCHMARK(BM_ThreadPingPong)->UseRealTime();

void BM_ThreadPingPongOneCore(benchmark::State& state) {
  OnOneCpu pinned;  // both threads on one CPU: every turn is a real context switch
  BM_ThreadPingPong(state);
}
BENCHMARK(BM_ThreadPingPongOneCore)->UseRealTime();

// Two processes take turns through two pipes (one byte each way). The partner is forked
// before the timed loop and reaped after it. One iteration = a round trip.
void BM_ProcessPingPong(benchmark::State& state) {
  int to_child[2], to_parent[2];
  if (pipe2(to_child, O_CLOEXEC) != 0) {
    state.SkipWithError(SystemCallError("pipe2", errno).c_str());
    return;
  }
  if (pipe2(to_parent, O_CLOEXEC) != 0) {
    state.SkipWithError(SystemCallError("pipe2", errno).c_str());
    close(to_child[0]);
    close(to_child[1]);
    return;
  }
  process::Process partner([&] {
    close(to_child[1]);
    close(to_parent[0]);
    char byte;
    while (read(to_child[0], &byte, 1) == 1) {  // until the parent closes its end
      if (write(to_parent[1], &byte, 1) != 1) return 1;
    }
    return 0;
  });
  if (absl::Status status = partner.Start(); !status.ok()) {  // names RLIMIT_NPROC if so
    state.SkipWithError(std::string(status.message()).c_str());
    for (int fd : {to_child[0], to_child[1], to_parent[0], to_parent[1]}) close(fd);
    return;
  }
  close(to_child[0]);
  close(to_parent[1]);
  char byte = 'x';
  for (auto _ : state) {
    if (write(to_child[1], &byte, 1) != 1 || read(to_parent[0], &byte, 1) != 1) {
      state.SkipWithError(lesson::Tr("pipe round trip failed").str().c_str());
      break;
    }
  }
  close(to_child[1]);  // the partner reads end of file and exits
  close(to_parent[0]);
  (void)partner.Join();
}
BENCHMARK(BM_ProcessPingPong)->UseRealTime();

void BM_ProcessPingPongOneCore(benchmark::State& state) {
  OnOneCpu pinned;  // the forked partner inherits the affinity: both on one CPU
  BM_ProcessPingPong(state);
}
BENCHMARK(BM_ProcessPingPongOneCore)->UseRealTime();

// ----- Locking -------------------------------------------------------------------------

void BM_StdMutexLockUnlock(benchmark::State& state) {
  std::mutex mu;
  for (auto _ : state) {
    mu.lock();
    mu.unlock();
  }
}
BENCHMARK(BM_StdMutexLockUnlock);

void BM_AbslMutexLockUnlock(benchmark::State& state) {
  absl::Mutex mu;
  for (auto _ : state) {
    mu.Lock();
    mu.Unlock();
  }
}
BENCHMARK(BM_AbslMutexLockUnlock);

// ----- Recording the figures --------------------------------------------------------------

// A reporter that records each benchmark's wall time per iteration, then lets the
// normal reporter (console, JSON or CSV, as --benchmark_format chose) print it.
template <typename Base>
class Recording : public Base {
 public:
  using Base::Base;
  void ReportRuns(const std::vector<benchmark::BenchmarkReporter::Run>& runs) override {
    for (const auto& run : runs) {
      if (run.error_occurred) {
        failures_.push_back(absl::StrFormat("%s: %s", run.run_name.function_name,
                                            run.error_message));
      }
      if (run.run_type != benchmark::BenchmarkReporter::Run::RT_Iteration || run.error_occurred ||
          run.iterations == 0) {
        continue;
      }
      nanoseconds_[run.run_name.function_name].push_back(run.real_accumulated_time * 1e9 /
                                                         static_cast<double>(run.iterations));
    }
    Base::ReportRuns(runs);
  }
  // Each benchmark that ran: the median over repetitions of its ns per iteration.
  efficiency::CostTable Nanoseconds() const {
    efficiency::CostTable table;
    for (auto [name, values] : nanoseconds_) {
      std::sort(values.begin(), values.end());
      table[name] = values[values.size() / 2];
    }
    return table;
  }
  // "<benchmark>: <why>" for every run that reported an error (SkipWithError).
  const std::vector<std::string>& failures() const { return failures_; }

 private:
  std::map<std::string, std::vector<double>> nanoseconds_;
  std::vector<std::string> failures_;
};

// A command line Google Benchmark cannot take: one line, exit status 2, like every lesson.
[[noreturn]] void BadUsage(const lesson::Text& message) {
  lesson::WriteErrorLine(message);
  std::exit(lesson::kBadUsageExitCode);
}

// Writes Google Benchmark's JSON (`json`, as it printed it) with this run's "warnings"
// added, on standard output.
void PrintJsonWithWarnings(const std::string& json, const lesson::RunConditions& conditions) {
  nlohmann::json out = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (out.is_discarded() || !out.is_object()) {  // not expected: print it as it was
    lesson::WriteLine(json);
    return;
  }
  out["warnings"] = nlohmann::json::array();
  for (const lesson::JsonObject& warning : conditions.ToJson()) {
    out["warnings"].push_back(nlohmann::json::parse(warning.ToString()));
  }
  lesson::WriteLine(out.dump(2));
}

// Runs the benchmarks, then the summary, the warnings and what to notice; returns the exit
// status: 1 (with one line on standard error saying why) if a benchmark could not run.
// With `buffered` (the JSON format) the reporter wrote into `buffered` instead of standard
// output, and the JSON is printed at the end with the warnings added; the summary then goes
// to standard error, so that standard output is JSON alone.
template <typename Reporter>
int RunAll(Reporter& reporter, lesson::RunConditions& conditions, std::ostringstream* buffered,
           bool summary_to_stdout) {
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  const efficiency::CostTable ns = reporter.Nanoseconds();
  const efficiency::Conclusion conclusion = efficiency::CostsConclusions(ns, conditions);
  const lesson::Text summary = efficiency::CostsSummary(ns);
  if (buffered != nullptr) PrintJsonWithWarnings(buffered->str(), conditions);
  if (summary_to_stdout) {
    lesson::WriteLine(summary);
    for (const lesson::Text& line : conclusion.lines) lesson::WriteLine(line);
    conditions.Print();
    lesson::Notice(conclusion.notice);
  } else {  // keep stdout pure JSON / CSV for the tools that read it
    lesson::WriteErrorLine(summary);
  }
  const std::vector<std::string>& failures = reporter.failures();
  if (failures.empty()) return 0;
  lesson::PrintError("%d benchmark run(s) could not be measured; the first: %s", failures.size(),
                     failures.front());
  return 1;
}

// ----- How long a run takes --------------------------------------------------------------
// Google Benchmark runs each benchmark for at least --benchmark_min_time (after
// --benchmark_min_warmup_time), --benchmark_repetitions times. Without a
// --benchmark_min_time this program uses a shorter one than Google Benchmark's 0.5 s, so
// that the whole set ends in a few seconds; and it refuses values that would make a run
// last more than about a minute (or crash: a negative repetition count aborts it).

constexpr double kDefaultMinTimeSeconds = 0.1;
constexpr int kBenchmarkCount = 14;  // the BENCHMARK()s above

// The value of --<name>=<number> in `args` (the last one wins, as in Google Benchmark), or
// nullopt if absent or not a number (Google Benchmark then refuses it).
template <typename T>
std::optional<T> NumberFlag(const std::vector<char*>& args, std::string_view name) {
  std::optional<T> found;
  const std::string prefix = absl::StrFormat("--%s=", name);
  for (size_t i = 1; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (!arg.starts_with(prefix)) continue;
    arg.remove_prefix(prefix.size());
    T value{};
    const auto [end, error] = std::from_chars(arg.data(), arg.data() + arg.size(), value);
    found = (error == std::errc() && end == arg.data() + arg.size()) ? std::optional<T>(value)
                                                                    : std::nullopt;
  }
  return found;
}

template <typename T>
void RequireInRange(const char* name, std::optional<T> value, T lo, T hi,
                    const lesson::Text& unit) {
  if (value && (*value < lo || *value > hi)) {
    BadUsage(lesson::Format("--%s=%s is out of range; allowed: %s to %s%s", name,
                            absl::StrCat(*value), absl::StrCat(lo), absl::StrCat(hi),
                            unit.str()));
  }
}

// Checks the flags that set how long the run takes (see above) and adds the default
// --benchmark_min_time if the user gave none. `args` are Google Benchmark's flags, after
// argv[0].
void CheckRunLength(std::vector<char*>& args) {
  const std::optional<double> min_time = NumberFlag<double>(args, "benchmark_min_time");
  const std::optional<double> warmup = NumberFlag<double>(args, "benchmark_min_warmup_time");
  const std::optional<int> repetitions = NumberFlag<int>(args, "benchmark_repetitions");
  const lesson::Text seconds = lesson::Tr(" (seconds per benchmark)");
  RequireInRange("benchmark_min_time", min_time, 0.001, 2.0, seconds);
  RequireInRange("benchmark_min_warmup_time", warmup, 0.0, 2.0, seconds);
  RequireInRange("benchmark_repetitions", repetitions, 1, 20, lesson::Verbatim(""));
  // Each benchmark takes up to about twice its minimum time: Google Benchmark first runs
  // growing iteration counts to find one that lasts long enough.
  const double per_benchmark =
      warmup.value_or(0) + repetitions.value_or(1) * 2 * min_time.value_or(kDefaultMinTimeSeconds);
  if (kBenchmarkCount * per_benchmark > efficiency::kMaxRunSeconds) {
    BadUsage(lesson::Format(
        "--benchmark_min_time=%g with --benchmark_repetitions=%d --benchmark_min_warmup_time=%g "
        "would run for %s (%d benchmarks x (warm-up + repetitions x 2 x min time)); allowed: "
        "about a minute at most (%.0f s): lower one of them",
        min_time.value_or(kDefaultMinTimeSeconds), repetitions.value_or(1), warmup.value_or(0),
        efficiency::AboutHowLong(kBenchmarkCount * per_benchmark).str(), kBenchmarkCount,
        efficiency::kMaxRunSeconds));
  }
  static std::string default_min_time =
      absl::StrFormat("--benchmark_min_time=%g", kDefaultMinTimeSeconds);
  if (!min_time && std::none_of(args.begin() + 1, args.end(), [](const char* arg) {
        return std::string_view(arg).starts_with("--benchmark_min_time=");
      })) {
    args.push_back(default_min_time.data());
  }
}

}  // namespace

int main(int argc, char** argv) {
  // This program's flags (--lang, --json, --trace, --help) are parsed as in every lesson;
  // Google Benchmark's (--benchmark_*) are left for benchmark::Initialize.
  std::vector<char*> ours = {argv[0]}, theirs = {argv[0]};
  for (int i = 1; i < argc; ++i) {
    (std::string_view(argv[i]).starts_with("--benchmark_") ? theirs : ours).push_back(argv[i]);
  }
  lesson::ParseFlags(static_cast<int>(ours.size()), ours.data(),
                     "Google Benchmark micro-costs: create, switch and lock, for processes, "
                     "threads and coroutines. Also takes Google Benchmark's own flags: "
                     "--benchmark_filter=REGEX, --benchmark_min_time=SECONDS, "
                     "--benchmark_repetitions=N, --benchmark_format=console|json|csv.");
  // --benchmark_format decides which reporter we wrap; Initialize() consumes the flag,
  // so read it first. Anything but Google Benchmark's three formats is bad usage.
  std::string format = lesson::JsonRequested() ? "json" : "console";
  for (size_t i = 1; i < theirs.size(); ++i) {
    std::string_view arg = theirs[i];
    if (arg.starts_with("--benchmark_format=")) format = std::string(arg.substr(19));
  }
  if (format != "console" && format != "json" && format != "csv") {
    BadUsage(lesson::Format("--benchmark_format=%s is not allowed; allowed: console, json, csv",
                            format));
  }
  CheckRunLength(theirs);
  int benchmark_argc = static_cast<int>(theirs.size());
  theirs.push_back(nullptr);
  // Google Benchmark prints its own complaint about a malformed value and leaves the flag
  // in argv; silence it while parsing, so that the one line below is the whole message.
  const int saved_stderr = dup(STDERR_FILENO);
  const int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (saved_stderr >= 0 && null_fd >= 0) dup2(null_fd, STDERR_FILENO);
  benchmark::Initialize(&benchmark_argc, theirs.data());
  if (saved_stderr >= 0 && null_fd >= 0) {
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    close(null_fd);
  }
  if (benchmark_argc > 1) {
    BadUsage(lesson::Format(
        "'%s' is not a Google Benchmark flag or has an invalid value (see --help)", theirs[1]));
  }

  // Observed before the benchmarks run: cores, other work, the build.
  lesson::RunConditions conditions = lesson::RunConditions::Observe();
  if (format == "json") {
    std::ostringstream json;
    Recording<benchmark::JSONReporter> reporter;
    reporter.SetOutputStream(&json);
    return RunAll(reporter, conditions, &json, false);
  }
  if (format == "csv") {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"  // still a documented format
    Recording<benchmark::CSVReporter> reporter;
#pragma GCC diagnostic pop
    return RunAll(reporter, conditions, nullptr, false);
  }
  Recording<benchmark::ConsoleReporter> reporter(
      isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_ColorTabular
                            : benchmark::ConsoleReporter::OO_Tabular);
  return RunAll(reporter, conditions, nullptr, true);
}

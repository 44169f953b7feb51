// thread/cores.cc — 核与线程 (cores and threads), and 线程属性's "按时间片强制切换"
//
// Ports 核与线程, the tutorial's picture of cores as people and threads as things to do:
//   单核单线程  one person drinks, then smokes: one task after the other;
//   单核多线程  one person, a sip, a puff, a sip: the tasks take turns;
//   多核多线程  two people, one drinks while the other smokes: truly at the same time.
// Each case runs here for real, with threads pinned to CPUs by sched_setaffinity, and
// prints wall time, CPU time, when each task finished, and how many times the kernel
// took the CPU away from a running thread (involuntary context switches, getrusage):
// that count is 线程属性's "按时间片强制切换" (switched by force at the end of a time
// slice), measured. Then a sweep over the number of threads for a fixed amount of work
// tests "线程数等于核芯数时，效率最高" (efficiency is highest when threads = cores).
//
// The closing sentences are chosen from this run's figures (cores_verdict.h): on one
// usable core (`taskset -c 0 bazel run //thread:cores`), on a busy machine, or in an
// unoptimised build the lesson says what it detected instead of claiming parallelism.
//
// How C++ differs: C++ threads run on all cores at once (Python's GIL would make the
// third case look like the second). The work is a chain of multiply-adds the compiler
// is told it cannot skip (see Spin), so every measured millisecond is real work.
//
//   bazel run -c opt //thread:cores -- --task=200ms --max_threads=8
//   taskset -c 0 bazel run //thread:cores
#include <sched.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/i18n.h"
#include "common/lesson.h"
#include "common/machine.h"
#include "common/run_conditions.h"
#include "common/stopwatch.h"
#include "common/table.h"
#include "common/trace.h"
#include "thread/cores_verdict.h"

ABSL_FLAG(absl::Duration, task, absl::Milliseconds(200),
          "CPU time one task (drinking, smoking) takes on one core");
ABSL_FLAG(int, max_threads, 8, "the sweep runs the same work on 1, 2, ... this many threads");

namespace {

// The work: a chain of multiply-adds, each step needing the one before. The empty
// `asm volatile` emits no instruction, but the compiler must keep it (volatile asm is
// never deleted) and believe it reads and changes x: so it can neither drop the loop,
// though nobody uses x, nor compute x ahead of time. Every iteration really runs.
// benchmark::DoNotOptimize works the same way.
uint64_t Spin(uint64_t iterations, uint64_t x) {
  for (uint64_t i = 0; i < iterations; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    asm volatile("" : "+r"(x));
  }
  return x;
}

// Iterations of Spin per CPU second on one core, measured for about 50 ms.
double CalibrateIterationsPerSecond() {
  const double cpu_start = lesson::ThreadCpuSeconds();
  uint64_t done = 0, x = 1;
  while (lesson::ThreadCpuSeconds() - cpu_start < 0.05) {
    x = Spin(1 << 16, x);
    done += 1 << 16;
  }
  return static_cast<double>(done) / (lesson::ThreadCpuSeconds() - cpu_start);
}

// The CPUs this process may run on.
std::vector<int> AllowedCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  }
  return cpus;
}

// Pins the calling thread to `cpus` (on Linux, pid 0 means the calling thread).
bool PinCallingThread(const std::vector<int>& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : cpus) CPU_SET(cpu, &set);
  return sched_setaffinity(0, sizeof set, &set) == 0;
}

// Times the kernel took the CPU from this thread while it could still run: preemptions.
long InvoluntarySwitchesOfThisThread() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return usage.ru_nivcsw;
}

// Runs `tasks_per_thread[t]` tasks of `iterations` each on thread t, thread t pinned to
// `cpus_of_thread[t]` (empty: anywhere). All threads start together. `names` label the
// tasks on a --trace timeline; `label` names the threads there.
cores::CaseFigures RunOnThreads(const std::string& label, const std::vector<int>& tasks_per_thread,
                                const std::vector<std::vector<int>>& cpus_of_thread,
                                uint64_t iterations, const std::vector<std::string>& names) {
  const int threads = static_cast<int>(tasks_per_thread.size());
  std::vector<std::vector<double>> done_at(threads);
  std::vector<long> switches(threads, 0);
  std::latch ready(threads + 1);
  lesson::Stopwatch watch;
  double cpu_start = 0;
  {
    std::vector<std::jthread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        trace::NameThread(absl::StrFormat("%s t%d", label, t + 1));
        if (!cpus_of_thread[t].empty() && !PinCallingThread(cpus_of_thread[t])) {
          lesson::Print("Warning: could not pin thread %d to its CPU; this case is not what "
                        "it says",
                        t + 1);
        }
        ready.arrive_and_wait();
        const long switches_before = InvoluntarySwitchesOfThisThread();
        for (int task = 0; task < tasks_per_thread[t]; ++task) {
          const size_t which = static_cast<size_t>(t + task);
          trace::Span span(which < names.size() ? names[which] : "work");
          Spin(iterations, static_cast<uint64_t>(t));
          done_at[t].push_back(watch.Seconds() * 1e3);
        }
        switches[t] = InvoluntarySwitchesOfThisThread() - switches_before;
      });
    }
    cpu_start = lesson::ProcessCpuSeconds();
    watch.Reset();
    ready.arrive_and_wait();
  }  // Joined.
  cores::CaseFigures run;
  run.wall_ms = watch.Seconds() * 1e3;
  run.cpu_ms = (lesson::ProcessCpuSeconds() - cpu_start) * 1e3;
  for (int t = 0; t < threads; ++t) {
    run.preemptions += switches[t];
    run.done_at_ms.insert(run.done_at_ms.end(), done_at[t].begin(), done_at[t].end());
  }
  return run;
}

void PrintCase(const cores::CaseFigures& run, const std::vector<std::string>& task_names) {
  lesson::Print("  wall %.0f ms   CPU %.0f ms   CPU/wall %.2f   preempted %d times",
                run.wall_ms, run.cpu_ms, run.cpu_ms / run.wall_ms, run.preemptions);
  std::string done;
  for (size_t i = 0; i < run.done_at_ms.size(); ++i) {
    done += absl::StrFormat("%s%s %.0f ms", done.empty() ? "" : lesson::Chinese() ? "，" : ", ",
                            i < task_names.size() ? task_names[i] : "task", run.done_at_ms[i]);
  }
  lesson::Print("  finished: %s", done);
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "One core or two, one thread or many: measured.");
  lesson::RequireInRange(FLAGS_task, absl::Milliseconds(10), absl::Seconds(5));
  lesson::RequireInRange(FLAGS_max_threads, 1, 64);
  const int max_threads = absl::GetFlag(FLAGS_max_threads);

  lesson::Title("核与线程", "Cores and threads");

  // Before measuring: how many cores this process may use, and how busy the machine is.
  lesson::RunConditions conditions = lesson::RunConditions::Observe();
  const std::vector<int> cpus = AllowedCpus();
  if (cpus.empty()) {
    lesson::PrintError("cannot read this process's CPU affinity (sched_getaffinity)");
    return 1;
  }
  const double rate = CalibrateIterationsPerSecond();
  const auto iterations =
      static_cast<uint64_t>(rate * absl::ToDoubleSeconds(absl::GetFlag(FLAGS_task)));
  lesson::Print("Cores: %s. Other work before the run: %.2f core(s) busy, load average %.2f.",
                conditions.machine().cores_description, conditions.machine().busy_cores_before,
                lesson::LoadAverage());
  lesson::Print("One task = %d iterations of Spin, %s of CPU on one core (calibrated in this "
                "build).",
                iterations, absl::FormatDuration(absl::GetFlag(FLAGS_task)));

  // The tutorial's own words for the two tasks: the same in both languages.
  const std::vector<std::string> tasks = {"喝酒", "抽烟"};
  cores::Figures figures;
  lesson::Step("1. 单核单线程: one core, one thread drinks, then smokes");
  figures.one_core_one_thread = RunOnThreads("case 1", {2}, {{cpus[0]}}, iterations, tasks);
  PrintCase(figures.one_core_one_thread, tasks);

  lesson::Step("2. 单核多线程: one core, two threads (both pinned to the same CPU)");
  figures.one_core_two_threads =
      RunOnThreads("case 2", {1, 1}, {{cpus[0]}, {cpus[0]}}, iterations, tasks);
  PrintCase(figures.one_core_two_threads, tasks);

  if (cpus.size() >= 2 && conditions.machine().usable_cores >= 2) {
    lesson::Step("3. 多核多线程: two cores, two threads (one pinned to each CPU)");
    figures.two_cores = RunOnThreads("case 3", {1, 1}, {{cpus[0]}, {cpus[1]}}, iterations, tasks);
    PrintCase(*figures.two_cores, tasks);
  } else {
    lesson::Step("3. 多核多线程: skipped, this process may use only one core (%s)",
                 conditions.machine().cores_description);
  }

  lesson::Step("4. The same total work (2 tasks) split over 1..%d threads, any CPU", max_threads);
  lesson::Table table({{lesson::Tr("threads"), lesson::Table::kRight},
                       {lesson::Tr("wall ms"), lesson::Table::kRight},
                       {lesson::Tr("CPU ms"), lesson::Table::kRight},
                       {lesson::Tr("speed-up"), lesson::Table::kRight},
                       {lesson::Tr("CPU/wall"), lesson::Table::kRight},
                       {lesson::Tr("preempted"), lesson::Table::kRight}});
  for (int threads = 1; threads <= max_threads; ++threads) {
    // Split 2 tasks' worth of iterations evenly; one share per thread.
    const uint64_t share = 2 * iterations / static_cast<uint64_t>(threads);
    const cores::CaseFigures run =
        RunOnThreads("sweep", std::vector<int>(threads, 1), std::vector<std::vector<int>>(threads),
                     share, {});
    figures.sweep.push_back({threads, run.wall_ms, run.cpu_ms});
    table.AddRow({absl::StrFormat("%d", threads), absl::StrFormat("%.0f", run.wall_ms),
                  absl::StrFormat("%.0f", run.cpu_ms),
                  absl::StrFormat("%.2fx", cores::SweepSpeedup(figures.sweep, threads - 1)),
                  absl::StrFormat("%.2f", run.cpu_ms / run.wall_ms),
                  absl::StrFormat("%d", run.preemptions)});
  }
  table.Print();

  cores::CheckRun(figures, conditions);
  lesson::WriteLine("");
  for (const lesson::Warning& w : conditions.warnings()) {
    // The unoptimised build gets its own point below: it does not spoil these ratios.
    if (w.code != "unoptimised_build") lesson::Print("Warning: %s", w.message.str());
  }
  lesson::Notice(cores::Conclusions(figures, conditions));
  return 0;
}

// thread/cores.cc — 核与线程 (cores and threads)
//
// Ports 核与线程, the tutorial's picture of cores as people and threads as things to do:
//   单核单线程  one person drinks, then smokes: one task after the other;
//   单核多线程  one person, a sip, a puff, a sip: the tasks take turns;
//   多核多线程  two people, one drinks while the other smokes: truly at the same time.
// Each case runs here for real, with threads pinned to CPUs by sched_setaffinity, and
// prints wall time, CPU time and when each task finished. Then a sweep over the number
// of threads for a fixed amount of work tests the tutorial's claim "线程数等于核芯数时，
// 效率最高" (efficiency is highest when threads = cores) on this machine.
//
// How C++ differs: C++ threads run on all cores at once (Python's GIL would make the
// third case look like the second). The work is a chain of multiply-adds the compiler
// is told it cannot skip (see Spin), so every measured millisecond is real work.
//
//   bazel run //thread:cores -- --task=200ms --max_threads=8
#include <sched.h>
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"

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

// The 1-minute load average: about how many threads wanted a CPU, on average.
std::string LoadAverage() {
  std::ifstream loadavg("/proc/loadavg");
  std::string one_minute;
  loadavg >> one_minute;
  return one_minute.empty() ? "unknown" : one_minute;
}

long InvoluntarySwitchesOfThisThread() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return usage.ru_nivcsw;
}

struct Run {
  double wall_seconds = 0;
  double cpu_seconds = 0;
  long involuntary_switches = 0;  // Times the kernel took a CPU away from a worker.
  std::vector<double> task_done_at;  // Seconds from the start, one per task.
};

// Runs `tasks_per_thread[t]` tasks of `iterations` each on thread t, thread t pinned to
// `cpus_of_thread[t]` (empty: anywhere). All threads start together.
Run RunOnThreads(const std::vector<int>& tasks_per_thread,
                 const std::vector<std::vector<int>>& cpus_of_thread, uint64_t iterations) {
  const int threads = static_cast<int>(tasks_per_thread.size());
  Run run;
  std::vector<std::vector<double>> done_at(threads);
  std::vector<long> switches(threads, 0);
  std::latch ready(threads + 1);
  lesson::Stopwatch watch;
  double cpu_start = 0;
  {
    std::vector<std::jthread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        if (!cpus_of_thread[t].empty() && !PinCallingThread(cpus_of_thread[t])) {
          lesson::Print("warning: could not pin thread %d; the case is not what it says", t);
        }
        ready.arrive_and_wait();
        const long switches_before = InvoluntarySwitchesOfThisThread();
        for (int task = 0; task < tasks_per_thread[t]; ++task) {
          Spin(iterations, static_cast<uint64_t>(t));
          done_at[t].push_back(watch.Seconds());
        }
        switches[t] = InvoluntarySwitchesOfThisThread() - switches_before;
      });
    }
    cpu_start = lesson::ProcessCpuSeconds();
    watch.Reset();
    ready.arrive_and_wait();
  }  // Joined.
  run.wall_seconds = watch.Seconds();
  run.cpu_seconds = lesson::ProcessCpuSeconds() - cpu_start;
  for (int t = 0; t < threads; ++t) {
    run.involuntary_switches += switches[t];
    run.task_done_at.insert(run.task_done_at.end(), done_at[t].begin(), done_at[t].end());
  }
  return run;
}

void PrintCase(const Run& run, const std::vector<std::string>& task_names) {
  std::string done;
  for (size_t i = 0; i < run.task_done_at.size(); ++i) {
    done += absl::StrFormat("%s%s at %.0f ms", done.empty() ? "" : ", ",
                            i < task_names.size() ? task_names[i] : "task",
                            run.task_done_at[i] * 1e3);
  }
  lesson::Print("  wall %4.0f ms   CPU %4.0f ms   CPU/wall %.2f   preempted %ld times",
                run.wall_seconds * 1e3, run.cpu_seconds * 1e3,
                run.cpu_seconds / run.wall_seconds, run.involuntary_switches);
  lesson::Print("  finished: %s", done);
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "One core or two, one thread or many: measured.");
  lesson::RequireInRange(FLAGS_task, absl::Milliseconds(10), absl::Seconds(5));
  lesson::RequireInRange(FLAGS_max_threads, 1, 64);
  const int max_threads = absl::GetFlag(FLAGS_max_threads);

  lesson::Title("核与线程", "Cores and threads");

  const std::vector<int> cpus = AllowedCpus();
  const int cores = static_cast<int>(cpus.size());
  const double rate = CalibrateIterationsPerSecond();
  const auto iterations =
      static_cast<uint64_t>(rate * absl::ToDoubleSeconds(absl::GetFlag(FLAGS_task)));
  lesson::Print("This process may run on %d CPU(s). One task = %d iterations of Spin, "
                "about %s of CPU on one core (calibrated).",
                cores, iterations, absl::FormatDuration(absl::GetFlag(FLAGS_task)));
  if (cores < 1) return 1;

  lesson::Print("Load average now: %s (other programs compete for the same CPUs).",
                LoadAverage());

  const std::vector<std::string> one_person = {"喝酒 drink", "抽烟 smoke"};
  lesson::Step("1. 单核单线程: one core, one thread drinks, then smokes");
  const Run serial = RunOnThreads({2}, {{cpus[0]}}, iterations);
  PrintCase(serial, one_person);

  lesson::Step("2. 单核多线程: one core, two threads (both pinned to the same CPU)");
  const Run sliced = RunOnThreads({1, 1}, {{cpus[0]}, {cpus[0]}}, iterations);
  PrintCase(sliced, one_person);
  lesson::Print("  measured: %.2fx the wall time of case 1; the tasks finished %.0f ms apart "
                "(case 1: %.0f ms apart): they took turns on the core",
                sliced.wall_seconds / serial.wall_seconds,
                std::abs(sliced.task_done_at[1] - sliced.task_done_at[0]) * 1e3,
                std::abs(serial.task_done_at[1] - serial.task_done_at[0]) * 1e3);

  if (cores >= 2) {
    lesson::Step("3. 多核多线程: two cores, two threads (one pinned to each CPU)");
    const Run parallel = RunOnThreads({1, 1}, {{cpus[0]}, {cpus[1]}}, iterations);
    PrintCase(parallel, one_person);
    lesson::Print("  measured: speed-up over case 2: %.2fx (ideal: 2.00x, if the second "
                  "core is free)",
                  sliced.wall_seconds / parallel.wall_seconds);
  } else {
    lesson::Step("3. 多核多线程: skipped, this process may use only one CPU");
  }

  lesson::Step(absl::StrFormat(
      "4. The same total work (2 tasks) split over 1..%d threads, any CPU", max_threads));
  lesson::Print("  threads   wall ms   CPU ms   speed-up   CPU/wall");
  std::vector<double> walls;
  for (int threads = 1; threads <= max_threads; ++threads) {
    // Split 2 tasks' worth of iterations evenly; one task per thread.
    const uint64_t share = 2 * iterations / static_cast<uint64_t>(threads);
    Run run = RunOnThreads(std::vector<int>(threads, 1),
                           std::vector<std::vector<int>>(threads), share);
    walls.push_back(run.wall_seconds);
    lesson::Print("  %7d   %7.0f   %6.0f   %7.2fx   %8.2f", threads, run.wall_seconds * 1e3,
                  run.cpu_seconds * 1e3, walls[0] / run.wall_seconds,
                  run.cpu_seconds / run.wall_seconds);
  }
  const double best = *std::min_element(walls.begin(), walls.end());
  const int fastest = static_cast<int>(std::min_element(walls.begin(), walls.end()) -
                                       walls.begin()) + 1;
  int plateau = 1;  // The fewest threads within 10% of the fastest time.
  while (walls[plateau - 1] > 1.10 * best) ++plateau;
  lesson::Print("  measured: fastest with %d threads; from %d threads on, every count is "
                "within 10%% of the fastest. This machine has %d CPU(s).",
                fastest, plateau, cores);

  lesson::Notice({
      "Case 1 finishes drinking after one task's time and smoking after two. Case 2 "
      "takes the same total time but finishes both at the end: the core switched between "
      "the threads every few ms (see 'preempted'). One core does one thing at a time.",
      "Case 3, with the second core free, takes about half the wall time for the same CPU "
      "time (CPU/wall near 2): two cores really work at once, which Python's GIL forbids.",
      "The sweep: wall time falls until threads = cores, then stays flat. So "
      "'线程数等于核芯数时，效率最高' is true as 'stops improving there': for CPU-bound "
      "work more threads than cores gain nothing (and cost a little switching); threads "
      "that mostly wait on I/O are another story (//efficiency:io_bound).",
      "All times vary with what else the machine runs: compare ratios, not milliseconds. "
      "A speed-up far below 2 in case 3 means another program had the other core: look "
      "at the load average printed at the top.",
  });
  return 0;
}

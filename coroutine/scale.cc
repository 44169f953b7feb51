// coroutine/scale.cc — 协程定义: "协程可以有上万次并发" (tens of thousands at
// once)
//
// The tutorial claims coroutines scale where threads do not. Here N coroutines
// each sleep 100 ms on one EventLoop, all at the same time, against M threads
// each sleeping 100 ms (started behind a latch, so all M really exist at once,
// as in tools/python/gather.py). Each mode runs in a fresh child process, so
// its peak RSS is its own; the memory one coroutine or thread needs is (peak
// RSS - peak RSS of an idle child) / count.
//
// In C++ a coroutine is a heap-allocated frame (112 bytes here with g++ 12: the
// loop's 64 bytes of bookkeeping, the sleep's awaiter, the compiler's own
// state), a 16-byte timer entry, and, to collect it, an 8-byte Future and a
// 16-byte node of Gather's. A thread is a kernel task with its own stack.
//
// Where the time goes: the frames are fresh memory, and the kernel hands out
// fresh memory one 4 KB page at a time, on first touch: a page fault each. So
// the coroutines run twice: with frames on memory advised for 2 MB huge pages
// (the library's default: one fault per 2 MB), and on plain 4 KB pages; the
// lesson counts the faults each run caused (getrusage) and computes what they
// cost from the difference.
//
//   bazel run -c opt //coroutine:scale
//   bazel run -c opt //coroutine:scale -- --coroutines=1000000 --threads=2000
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/json.h"
#include "common/json_flag.h"
#include "common/lesson.h"
#include "common/run_conditions.h"
#include "common/stopwatch.h"
#include "common/table.h"
#include "coroutine/child_measurement.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/frame_arena.h"
#include "coroutine/coro/gather_and_wait.h"
#include "coroutine/coro/task.h"

ABSL_FLAG(int, coroutines, 100000, "how many coroutines sleep at once");
ABSL_FLAG(int, threads, 1000, "how many threads sleep at once");
ABSL_FLAG(absl::Duration, sleep, absl::Milliseconds(100), "how long each one sleeps, e.g. 100ms");
ABSL_FLAG(int, repeats, 3, "runs of each mode (fresh child each); the median is reported");

namespace {

using coro_lessons::ChildMeasurement;
using coro_lessons::MeasureInChild;

// What a child reports about its run.
struct ModeReport {
  double seconds = 0;         // wall time of the run
  long max_asleep = 0;        // the most units asleep at one moment
  long frame_bytes = 0;       // coroutines: the size of one frame
  long page_faults = 0;       // minor faults the run caused (first touches of memory)
  double kernel_seconds = 0;  // CPU time the kernel spent for the run (faults, mostly)
};

std::string Encode(const ModeReport& r) {
  return absl::StrFormat("%.9f %d %d %d %.9f", r.seconds, r.max_asleep, r.frame_bytes,
                         r.page_faults, r.kernel_seconds);
}
bool Decode(const std::string& text, ModeReport* r) {
  std::vector<std::string> parts = absl::StrSplit(text, ' ');
  return parts.size() == 5 && absl::SimpleAtod(parts[0], &r->seconds) &&
         absl::SimpleAtoi(parts[1], &r->max_asleep) &&
         absl::SimpleAtoi(parts[2], &r->frame_bytes) &&
         absl::SimpleAtoi(parts[3], &r->page_faults) &&
         absl::SimpleAtod(parts[4], &r->kernel_seconds);
}

// getrusage before and after: the faults and kernel time of what ran in
// between.
class Usage {
 public:
  Usage() { ::getrusage(RUSAGE_SELF, &start_); }
  void Into(ModeReport* report) const {
    rusage now{};
    ::getrusage(RUSAGE_SELF, &now);
    report->page_faults = now.ru_minflt - start_.ru_minflt;
    report->kernel_seconds = Seconds(now.ru_stime) - Seconds(start_.ru_stime);
  }

 private:
  static double Seconds(const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; }
  rusage start_{};
};

// --- Coroutines
// ------------------------------------------------------------------------- The
// sleeper takes no parameters on purpose: parameters are copied into every
// frame, and a million frames would pay for them. Its settings live in these
// (single-threaded) globals; the duration is passed to Sleep by reference, so
// no copy of it lands in the frame either (g++ keeps a co_await's temporaries
// in the frame).
coro::Duration sleep_duration;
long asleep_now = 0;
long asleep_max = 0;

coro::Task<void> SleepOnce() {
  asleep_max = std::max(asleep_max, ++asleep_now);
  co_await coro::Sleep(sleep_duration);
  --asleep_now;
}

coro::Task<void> SleepTogether(int count) {
  std::vector<coro::Future<void>> sleepers;
  sleepers.reserve(count);
  // All are created before any runs: they start on the loop's next iteration,
  // together.
  for (int i = 0; i < count; ++i) sleepers.push_back(coro::CreateTask(SleepOnce()));
  co_await coro::Gather(std::move(sleepers));
}

ModeReport RunCoroutines(int count, bool huge_pages) {
  ModeReport report;
  coro::UseHugePagesForFrames(huge_pages);
  {
    coro::Task<void> probe = SleepOnce();  // allocates a frame, runs nothing
    report.frame_bytes = static_cast<long>(coro::LastTaskFrameSize());
  }
  Usage usage;
  lesson::Stopwatch wall;
  coro::Run(SleepTogether(count));
  report.seconds = wall.Seconds();
  usage.Into(&report);
  report.max_asleep = asleep_max;
  return report;
}

// --- Threads
// ----------------------------------------------------------------------------
ModeReport RunThreads(int count, std::chrono::nanoseconds sleep) {
  ModeReport report;
  std::atomic<long> asleep{0}, most{0};
  Usage usage;
  lesson::Stopwatch wall;
  {
    std::latch all_started(count);
    std::vector<std::jthread> threads;
    threads.reserve(count);
    for (int i = 0; i < count; ++i) {
      threads.emplace_back([&] {
        all_started.arrive_and_wait();  // every thread exists before any sleeps
        long now = asleep.fetch_add(1) + 1;
        long seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(sleep);
        asleep.fetch_sub(1);
      });
    }
  }  // jthreads join here
  report.seconds = wall.Seconds();
  usage.Into(&report);
  report.max_asleep = most.load();
  return report;
}

// --- Measuring
// --------------------------------------------------------------------------
struct Row {
  std::string mode;
  int units = 0;
  std::vector<ModeReport> runs;
  std::vector<std::int64_t> peaks;

  template <typename F>
  auto Median(F field) const {
    std::vector<decltype(field(runs[0]))> values;
    for (const ModeReport& r : runs) values.push_back(field(r));
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
  }
  double seconds() const {
    return Median([](const ModeReport& r) { return r.seconds; });
  }
  long faults() const {
    return Median([](const ModeReport& r) { return r.page_faults; });
  }
  double kernel() const {
    return Median([](const ModeReport& r) { return r.kernel_seconds; });
  }
  // The slowest (or fastest) run's wall time.
  double Extreme(bool slowest) const {
    double best = runs[0].seconds;
    for (const ModeReport& r : runs)
      best = slowest ? std::max(best, r.seconds) : std::min(best, r.seconds);
    return best;
  }
  std::int64_t peak() const {
    std::vector<std::int64_t> p = peaks;
    std::sort(p.begin(), p.end());
    return p[p.size() / 2];
  }
};

// Runs `mode` `repeats` times, each in a fresh child; exits the program if a
// child fails.
Row Measure(const std::string& mode, int units, int repeats,
            const std::function<ModeReport()>& run) {
  Row row;
  row.mode = mode;
  row.units = units;
  for (int r = 0; r < repeats; ++r) {
    ChildMeasurement child = MeasureInChild([&] { return Encode(run()); });
    ModeReport report;
    if (!child.ok || !Decode(child.report, &report)) {
      lesson::PrintError("the %s child failed: %s", mode, child.failure);
      std::exit(1);
    }
    row.runs.push_back(report);
    row.peaks.push_back(child.peak_rss_bytes);
  }
  return row;
}

// What the page faults cost, from the two coroutine runs.
std::vector<lesson::Text> FaultConclusions(const Row& huge, const Row& small,
                                           const char* thp_mode) {
  std::vector<lesson::Text> points;
  const long extra_faults = small.faults() - huge.faults();
  const double extra_seconds = small.seconds() - huge.seconds();
  if (extra_faults < std::max(100L, small.faults() / 10)) {
    points.push_back(
        lesson::Format("Frames on huge pages caused %d page faults, on 4 KB pages %d: no real "
                       "difference. Transparent huge pages here are '%s'; the kernel honours the "
                       "library's advice only with 'always' or 'madvise' "
                       "(/sys/kernel/mm/transparent_hugepage/enabled).",
                       huge.faults(), small.faults(), thp_mode));
  } else if (extra_seconds < 0.005) {
    points.push_back(lesson::Format(
        "With frames on huge pages the coroutines caused %d page faults, on 4 KB "
        "pages %d (one per 4 KB touched for the first time); the times differ by "
        "%.3f s, too little to measure what a fault costs. Try --coroutines=1000000.",
        huge.faults(), small.faults(), extra_seconds));
  } else {
    points.push_back(lesson::Format(
        "Page faults: on 4 KB pages the coroutines caused %d faults (one per 4 KB touched for the "
        "first time) and took %.3f s; with frames on memory advised for huge pages, %d faults and "
        "%.3f s. The %d extra faults cost %.3f s: %.1f µs each, %.0f%% of the 4 KB run.",
        small.faults(), small.seconds(), huge.faults(), huge.seconds(), extra_faults, extra_seconds,
        extra_seconds / extra_faults * 1e6, 100 * extra_seconds / small.seconds()));
  }
  return points;
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv,
                     "N coroutines vs M threads, each sleeping at once: wall time, memory and page "
                     "faults per unit, each mode in a fresh child process.");
  lesson::RequireInRange(FLAGS_coroutines, 1, 10'000'000);
  lesson::RequireInRange(FLAGS_threads, 1, 4000);
  lesson::RequireInRange(FLAGS_sleep, absl::Milliseconds(1), absl::Seconds(2));
  lesson::RequireInRange(FLAGS_repeats, 1, 20);
  const int coroutines = absl::GetFlag(FLAGS_coroutines);
  const int threads = absl::GetFlag(FLAGS_threads);
  const int repeats = absl::GetFlag(FLAGS_repeats);
  const absl::Duration sleep_flag = absl::GetFlag(FLAGS_sleep);
  sleep_duration = absl::ToChronoNanoseconds(sleep_flag);
  const double sleep_ms = absl::ToDoubleMilliseconds(sleep_flag);
  const bool json = lesson::JsonRequested();
  lesson::RunConditions conditions = lesson::RunConditions::Observe();
  // The coroutines run on one thread, so fewer cores do not matter; a busy machine does
  // (RunConditions warns of an unoptimised build by itself).
  if (conditions.machine().busy_cores_before >= lesson::RunConditions::kBusyThreshold) {
    conditions.Add({"busy_machine",
                    lesson::Format("Other work was using %.2f core(s) before the run: the wall "
                                   "times include waiting for it.",
                                   conditions.machine().busy_cores_before),
                    {}});
  }
  const char* thp_mode = coro::TransparentHugePagesMode();

  if (!json) {
    lesson::Title("协程定义: 上万次并发", "How many can wait at once: coroutines vs threads");
    lesson::Step(
        "%d coroutines and %d threads each sleep %g ms, all at once; each mode runs %d time(s) in "
        "a fresh child process",
        coroutines, threads, sleep_ms, repeats);
  }

  Row idle = Measure("idle", 0, repeats, [] { return ModeReport{}; });
  Row huge = Measure("coroutines", coroutines, repeats,
                     [&] { return RunCoroutines(coroutines, /*huge_pages=*/true); });
  Row small = Measure("coroutines, 4 KB pages", coroutines, repeats,
                      [&] { return RunCoroutines(coroutines, /*huge_pages=*/false); });
  Row with_threads =
      Measure("threads", threads, repeats, [&] { return RunThreads(threads, sleep_duration); });
  const std::int64_t baseline = idle.peak();
  auto bytes_per_unit = [&](const Row& row) {
    return static_cast<double>(row.peak() - baseline) / row.units;
  };
  const long frame_bytes = huge.runs[0].frame_bytes;
  // What one sleeping, gathered coroutine should cost: its frame (the arena
  // rounds it up to 16 bytes and adds no header), its timer entry, its Future
  // and Gather's node for it.
  const long expected_bytes = (frame_bytes + 15) / 16 * 16 + 16 + 8 + 16;

  if (json) {
    std::vector<lesson::JsonObject> results;
    for (const Row* row : {&huge, &with_threads}) {
      lesson::JsonObject o;
      o.Set("mode", row->mode)
          .Set("workers", row->units)
          .Set("seconds", row->seconds())
          .Set("min", row->Extreme(false))
          .Set("max", row->Extreme(true))
          .Set("speedup", std::nan(""))
          .Set("peak_rss_bytes", row->peak())
          .Set("bytes_per_worker", bytes_per_unit(*row))
          .Set("max_asleep_at_once", row->runs[0].max_asleep)
          .Set("page_faults", row->faults())
          .Set("kernel_seconds", row->kernel());
      if (row == &huge) {
        o.Set("frame_bytes", frame_bytes)
            .Set("small_pages_seconds", small.seconds())
            .Set("small_pages_page_faults", small.faults());
      }
      results.push_back(o);
    }
    // In both languages: the report writes an English and a Chinese README from one run.
    const lesson::Bilingual work = lesson::InEachLanguage([&] {
      return lesson::Format("%d coroutines vs %d threads, each sleeping %g ms at once",
                            coroutines, threads, sleep_ms);
    });
    lesson::JsonObject out;
    out.Set("experiment", "scale")
        .Set("work", work.in(lesson::CurrentLanguage()).str())
        .Set("work_in", lesson::JsonObject()
                            .Set("en", work.english.str())
                            .Set("zh", work.chinese.str()))
        .Set("sleep_ms", sleep_ms)
        .Set("repeats", repeats)
        .Set("idle_peak_rss_bytes", baseline)
        .Set("transparent_huge_pages", thp_mode)
        .Set("results", results)
        .Set("warnings", conditions.ToJson());
    lesson::WriteLine(out.ToString());
    return 0;
  }

  lesson::Table table({{lesson::Tr("mode"), lesson::Table::kLeft},
                       {lesson::Tr("count"), lesson::Table::kRight},
                       {lesson::Tr("wall (s)"), lesson::Table::kRight},
                       {lesson::Tr("peak RSS (MB)"), lesson::Table::kRight},
                       {lesson::Tr("bytes each"), lesson::Table::kRight},
                       {lesson::Tr("asleep at once"), lesson::Table::kRight},
                       {lesson::Tr("page faults"), lesson::Table::kRight},
                       {lesson::Tr("kernel CPU (s)"), lesson::Table::kRight}});
  table.AddRow({lesson::Tr("idle child").str(), "-", "-", absl::StrFormat("%.1f", baseline / 1e6),
                "-", "-", "-", "-"});
  const lesson::Text names[] = {lesson::Tr("coroutines"), lesson::Tr("coroutines, 4 KB pages"),
                                lesson::Tr("threads (std::jthread)")};
  int i = 0;
  for (const Row* row : {&huge, &small, &with_threads}) {
    table.AddRow({names[i++].str(), absl::StrFormat("%d", row->units),
                  absl::StrFormat("%.3f", row->seconds()),
                  absl::StrFormat("%.1f", row->peak() / 1e6),
                  absl::StrFormat("%.0f", bytes_per_unit(*row)),
                  absl::StrFormat("%d", row->runs[0].max_asleep),
                  absl::StrFormat("%d", row->faults()), absl::StrFormat("%.3f", row->kernel())});
  }
  table.Print();
  lesson::Print(
      "(medians of %d run(s); a coroutine frame here is %d bytes; transparent huge pages: %s)",
      repeats, frame_bytes, thp_mode);
  conditions.Print();

  const bool all_asleep = huge.runs[0].max_asleep == coroutines &&
                          small.runs[0].max_asleep == coroutines &&
                          with_threads.runs[0].max_asleep == threads;
  std::vector<lesson::Text> points;
  points.push_back(
      all_asleep ? lesson::Format("Every unit really slept at the same time: %d coroutines, then "
                                  "%d threads ('asleep at once'). The coroutines' wall time is one "
                                  "sleep of %g ms plus %.3f s to create, wake and free them all.",
                                  coroutines, threads, sleep_ms,
                                  std::max(0.0, huge.seconds() - sleep_ms / 1000))
                 : lesson::Tr("Not every unit was asleep at once (see 'asleep at once'): the "
                              "machine could not start them all before the first woke. Try a "
                              "longer --sleep."));
  const double measured = bytes_per_unit(huge);
  points.push_back(
      lesson::Format("A coroutine costs its frame (%d bytes, from the library's frame arena, which "
                     "adds no header), a 16-byte timer entry, and to collect it an 8-byte Future "
                     "and a 16-byte node of Gather's: %d bytes; measured %.0f.",
                     frame_bytes, expected_bytes, measured));
  if (measured > 1.2 * expected_bytes) {
    points.push_back(
        lesson::Format("At %d coroutines the measurement is coarse: memory comes in pages (2 MB "
                       "ones for the frames) and containers keep spare room, which %d coroutines "
                       "do not fill. Try --coroutines=1000000.",
                       coroutines, coroutines));
  }
  points.push_back(lesson::Format(
      "A thread costs a stack and a kernel task: %.0f bytes of touched memory each here, %.0f "
      "times a coroutine, and the kernel's share is not even in RSS.",
      bytes_per_unit(with_threads), bytes_per_unit(with_threads) / std::max(1.0, measured)));
  for (const lesson::Text& t : FaultConclusions(huge, small, thp_mode)) points.push_back(t);
  points.push_back(
      lesson::Format("The tutorial's claim that coroutines allow tens of thousands of concurrent "
                     "tasks holds: %d coroutines slept at once on one thread. Threads stop much "
                     "earlier: this lesson caps them at 4000, and a million would exhaust the "
                     "kernel's thread limit long before memory. The reason is not 'no lock' but a "
                     "small frame on one thread instead of a stack and a kernel task per unit.",
                     coroutines));
  if (coroutines < 1'000'000) {
    points.push_back(lesson::Tr("Try --coroutines=1000000 with -c opt: a million at once."));
  }
  lesson::Notice(points);
  return 0;
}

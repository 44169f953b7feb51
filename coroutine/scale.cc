// coroutine/scale.cc — 协程定义: "协程可以有上万次并发" (tens of thousands at once)
//
// The tutorial claims coroutines scale where threads do not. Here N coroutines each sleep
// 100 ms on one EventLoop, all at the same time, against M threads each sleeping 100 ms
// (started behind a latch, so all M really exist at once, as in tools/python/gather.py).
// Each mode runs in a fresh child process, so its peak RSS is its own; the memory one
// coroutine or thread needs is (peak RSS - peak RSS of an idle child) / count.
// In C++ a coroutine is a heap-allocated frame (96 bytes here with g++ 12: the promise,
// the sleep's awaiter, the compiler's bookkeeping) plus a 16-byte timer entry and the
// 8-byte Future that collects it; a thread is a kernel task with its own stack.
//
//   bazel run -c opt //coroutine:scale -- --coroutines=1000000 --threads=2000
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
#include "common/flags.h"
#include "common/json.h"
#include "common/json_flag.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "coroutine/child_measurement.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/gather.h"
#include "coroutine/coro/task.h"

ABSL_FLAG(int, coroutines, 100000, "how many coroutines sleep at once");
ABSL_FLAG(int, threads, 1000, "how many threads sleep at once");
ABSL_FLAG(int, sleep_ms, 100, "how long each one sleeps, in milliseconds");
ABSL_FLAG(int, repeats, 3, "runs of each mode (fresh child each); the median is reported");

namespace {

using coro_lessons::ChildMeasurement;
using coro_lessons::MeasureInChild;

// What a child reports: wall seconds, the most units asleep at one moment, frame bytes.
struct ModeReport {
  double seconds = 0;
  long max_asleep = 0;
  long frame_bytes = 0;
};

std::string Encode(const ModeReport& r) {
  return absl::StrFormat("%.9f %d %d", r.seconds, r.max_asleep, r.frame_bytes);
}
bool Decode(const std::string& text, ModeReport* r) {
  std::vector<std::string> parts = absl::StrSplit(text, ' ');
  return parts.size() == 3 && absl::SimpleAtod(parts[0], &r->seconds) &&
         absl::SimpleAtoi(parts[1], &r->max_asleep) &&
         absl::SimpleAtoi(parts[2], &r->frame_bytes);
}

// --- Coroutines -------------------------------------------------------------------------
// The sleeper takes no parameters on purpose: parameters are copied into every frame, and
// a million frames would pay for them. Its settings live in these (single-threaded) globals.
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
  // All are created before any runs: they start on the loop's next iteration, together.
  for (int i = 0; i < count; ++i) sleepers.push_back(coro::CreateTask(SleepOnce()));
  co_await coro::Gather(std::move(sleepers));
}

ModeReport RunCoroutines(int count) {
  ModeReport report;
  {
    coro::Task<void> probe = SleepOnce();  // allocates a frame, runs nothing
    report.frame_bytes = static_cast<long>(coro::LastTaskFrameSize());
  }
  lesson::Stopwatch wall;
  coro::Run(SleepTogether(count));
  report.seconds = wall.Seconds();
  report.max_asleep = asleep_max;
  return report;
}

// --- Threads ----------------------------------------------------------------------------
ModeReport RunThreads(int count, std::chrono::milliseconds sleep) {
  ModeReport report;
  std::atomic<long> asleep{0}, most{0};
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
  report.max_asleep = most.load();
  return report;
}

// --- Measuring --------------------------------------------------------------------------
struct Row {
  std::string mode;
  int units = 0;
  std::vector<double> seconds;
  std::vector<std::int64_t> peaks;
  long max_asleep = 0;
  long frame_bytes = 0;
};

template <typename T>
T Median(std::vector<T> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// Runs `mode` `repeats` times, each in a fresh child; exits the program if a child fails.
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
    row.seconds.push_back(report.seconds);
    row.peaks.push_back(child.peak_rss_bytes);
    row.max_asleep = report.max_asleep;
    row.frame_bytes = report.frame_bytes;
  }
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv,
                     "N coroutines vs M threads, each sleeping at once: wall time and memory "
                     "per unit, each mode in a fresh child process.");
  lesson::RequireInRange(FLAGS_coroutines, 1, 10'000'000);
  lesson::RequireInRange(FLAGS_threads, 1, 4000);
  lesson::RequireInRange(FLAGS_sleep_ms, 1, 2000);
  lesson::RequireInRange(FLAGS_repeats, 1, 20);
  const int coroutines = absl::GetFlag(FLAGS_coroutines);
  const int threads = absl::GetFlag(FLAGS_threads);
  const int repeats = absl::GetFlag(FLAGS_repeats);
  const std::chrono::milliseconds sleep(absl::GetFlag(FLAGS_sleep_ms));
  sleep_duration = sleep;
  const bool json = lesson::JsonRequested();

  if (!json) {
    lesson::Title("协程定义: 上万次并发", "How many can wait at once: coroutines vs threads");
    lesson::Step(absl::StrFormat(
        "%d coroutines and %d threads each sleep %d ms, all at once; each mode runs %d "
        "time(s) in a fresh child process",
        coroutines, threads, sleep.count(), repeats));
  }

  Row idle = Measure("idle", 0, repeats, [] { return ModeReport{}; });
  Row with_coroutines = Measure("coroutines", coroutines, repeats,
                                [&] { return RunCoroutines(coroutines); });
  Row with_threads = Measure("threads", threads, repeats,
                             [&] { return RunThreads(threads, sleep); });
  const std::int64_t baseline = Median(idle.peaks);

  auto bytes_per_unit = [&](const Row& row) {
    return static_cast<double>(Median(row.peaks) - baseline) / row.units;
  };

  if (json) {
    std::vector<lesson::JsonObject> results;
    for (const Row* row : {&with_coroutines, &with_threads}) {
      lesson::JsonObject o;
      o.Set("mode", row->mode)
          .Set("workers", row->units)
          .Set("seconds", Median(row->seconds))
          .Set("min", *std::min_element(row->seconds.begin(), row->seconds.end()))
          .Set("max", *std::max_element(row->seconds.begin(), row->seconds.end()))
          .Set("speedup", std::nan(""))
          .Set("peak_rss_bytes", Median(row->peaks))
          .Set("bytes_per_worker", bytes_per_unit(*row))
          .Set("max_asleep_at_once", row->max_asleep);
      if (row == &with_coroutines) o.Set("frame_bytes", row->frame_bytes);
      results.push_back(o);
    }
    lesson::JsonObject out;
    out.Set("experiment", "scale")
        .Set("work", absl::StrFormat("%d coroutines vs %d threads, each sleeping %d ms at once",
                                     coroutines, threads, sleep.count()))
        .Set("sleep_ms", static_cast<int>(sleep.count()))
        .Set("repeats", repeats)
        .Set("idle_peak_rss_bytes", baseline)
        .Set("results", results);
    lesson::WriteLine(out.ToString());
    return 0;
  }

  lesson::Print("%-11s %10s %10s %15s %14s %12s", "mode", "count", "wall (s)", "peak RSS (MB)",
                "bytes each", "asleep at once");
  lesson::Print("%-11s %10s %10s %15.1f %14s %12s", "idle child", "-", "-", baseline / 1e6, "-",
                "-");
  for (const Row* row : {&with_coroutines, &with_threads}) {
    lesson::Print("%-11s %10d %10.3f %15.1f %14.0f %12d", row->mode, row->units,
                  Median(row->seconds), Median(row->peaks) / 1e6, bytes_per_unit(*row),
                  row->max_asleep);
  }
  lesson::Print("(wall and peak RSS: median of %d run(s); a coroutine frame here is %d bytes)",
                repeats, with_coroutines.frame_bytes);
  lesson::Notice({
      "Every unit really slept at the same time: see 'asleep at once'. The wall time is "
      "one sleep plus the cost of creating and finishing them all.",
      "A coroutine costs its frame (its size is printed above; malloc adds an 8-byte "
      "header and rounds up to 16), a 16-byte timer entry and an 8-byte Future: that sum "
      "is its 'bytes each'. A thread costs a stack and a kernel task; RSS shows only the "
      "stack pages it touched, not the kernel's share.",
      "Try --coroutines=1000000 with -c opt: a million sleepers in well under a second. A "
      "million threads would not start at all (this lesson caps them at 4000).",
      "The tutorial's point holds, for the right reason: not 'no lock', but a small frame "
      "on one thread instead of a stack and a kernel task per unit.",
  });
  return 0;
}

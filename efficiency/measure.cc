#include "efficiency/measure.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "common/message.h"
#include "process/pipe.h"
#include "process/process.h"

namespace efficiency {
namespace {

double CpuSecondsSoFar() {
  double total = 0;
  for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    rusage usage{};
    getrusage(who, &usage);
    total += static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
             static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
  }
  return total;
}

// What a child sends back: a fixed-size record, or an error message.
struct ChildRecord {
  bool ok = false;
  double seconds = 0;
  double cpu_seconds = 0;
  uint64_t result = 0;
  char error[256] = {};
};

}  // namespace

absl::StatusOr<Sample> TimeOnce(const std::function<absl::StatusOr<uint64_t>()>& run) {
  const double cpu_before = CpuSecondsSoFar();
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<uint64_t> result = run();
  const auto stop = std::chrono::steady_clock::now();
  const double cpu_after = CpuSecondsSoFar();
  if (!result.ok()) return result.status();
  Sample sample;
  sample.seconds = std::chrono::duration<double>(stop - start).count();
  sample.cpu_seconds = cpu_after - cpu_before;
  sample.result = *result;
  return sample;
}

absl::StatusOr<Sample> TimeInChild(const std::function<absl::StatusOr<uint64_t>()>& run) {
  absl::StatusOr<process::Pipe> pipe = process::Pipe::Create();
  if (!pipe.ok()) return pipe.status();
  process::Process child([&] {
    pipe->CloseRead();
    ChildRecord record;
    absl::StatusOr<Sample> sample = TimeOnce(run);
    if (sample.ok()) {
      record.ok = true;
      record.seconds = sample->seconds;
      record.cpu_seconds = sample->cpu_seconds;
      record.result = sample->result;
    } else {
      std::string message = sample.status().ToString();
      std::strncpy(record.error, message.c_str(), sizeof record.error - 1);
    }
    return pipe->WriteAll(std::string_view(reinterpret_cast<const char*>(&record),
                                           sizeof record)).ok() ? 0 : 3;
  });
  if (absl::Status s = child.Start(); !s.ok()) return s;
  pipe->CloseWrite();
  absl::StatusOr<std::string> bytes = pipe->ReadAll();
  if (absl::Status s = child.Join(); !s.ok()) return s;
  if (child.exit_code() != 0) {
    return absl::InternalError(
        lesson::Format("measuring child %s", child.exit_status()->ToString()).str());
  }
  if (!bytes.ok()) return bytes.status();
  if (bytes->size() != sizeof(ChildRecord)) {
    return absl::InternalError(lesson::Tr("measuring child sent a truncated record").str());
  }
  ChildRecord record;
  std::memcpy(&record, bytes->data(), sizeof record);
  if (!record.ok) return absl::InternalError(record.error);
  Sample sample;
  sample.seconds = record.seconds;
  sample.cpu_seconds = record.cpu_seconds;
  sample.result = record.result;
  sample.peak_rss_bytes = child.resource_usage()->peak_rss_bytes;
  return sample;
}

absl::StatusOr<int64_t> IdleChildPeakRss() {
  absl::StatusOr<Sample> idle = TimeInChild([]() -> absl::StatusOr<uint64_t> { return 0; });
  if (!idle.ok()) return idle.status();
  return *idle->peak_rss_bytes;
}

Summary Summarize(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  Summary s;
  s.min = values.front();
  s.max = values.back();
  s.median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  return s;
}

absl::StatusOr<std::vector<ModeResult>> Measure(const std::vector<Mode>& modes, int repeats,
                                                const SampleCallback& on_sample) {
  if (repeats < 1) return absl::InvalidArgumentError("repeats must be at least 1");
  std::vector<ModeResult> results(modes.size());
  for (size_t m = 0; m < modes.size(); ++m) results[m].mode = modes[m];
  for (int repeat = 0; repeat < repeats; ++repeat) {
    for (size_t m = 0; m < modes.size(); ++m) {
      const Mode& mode = modes[m];
      absl::StatusOr<Sample> sample = mode.in_child ? TimeInChild(mode.run) : TimeOnce(mode.run);
      if (!sample.ok()) {
        return absl::Status(sample.status().code(),
                            lesson::Format("mode %s: %s", mode.name, std::string(sample.status().message()))
                                .str());
      }
      if (mode.expected.has_value() && sample->result != *mode.expected) {
        return absl::FailedPreconditionError(
            lesson::Format("mode %s returned %d, expected %d: it did not do all the work",
                           mode.name, sample->result, *mode.expected)
                .str());
      }
      if (on_sample) on_sample(mode, repeat, *sample);
      results[m].samples.push_back(*sample);
    }
  }
  for (ModeResult& r : results) {
    std::vector<double> seconds, cpu, rss;
    for (const Sample& s : r.samples) {
      seconds.push_back(s.seconds);
      cpu.push_back(s.cpu_seconds);
      if (s.peak_rss_bytes) rss.push_back(static_cast<double>(*s.peak_rss_bytes));
    }
    r.seconds = Summarize(seconds);
    r.cpu_seconds = Summarize(cpu).median;
    if (!rss.empty()) r.peak_rss_bytes = static_cast<int64_t>(Summarize(rss).median);
  }
  return results;
}

}  // namespace efficiency

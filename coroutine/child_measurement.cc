#include "coroutine/child_measurement.h"

#include <exception>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "process/pipe.h"
#include "process/process.h"

namespace coro_lessons {

ChildMeasurement MeasureInChild(const std::function<std::string()>& measure) {
  ChildMeasurement result;
  absl::StatusOr<process::Pipe> pipe = process::Pipe::Create();
  if (!pipe.ok()) {
    result.failure = pipe.status().ToString();
    return result;
  }
  // The child measures and sends back its report; process::Process _exit()s it
  // afterwards (no atexit handlers, no flushing the parent's buffers twice) and kills it
  // if this process dies first, so a Ctrl-C never leaves a measurement running.
  process::Process child([&pipe, &measure] {
    pipe->CloseRead();
    int status = 0;
    std::string report;
    try {
      report = measure();
    } catch (const std::exception& e) {
      report = e.what();
      status = 1;
    }
    return pipe->WriteAll(report).ok() ? status : 1;
  });
  if (absl::Status started = child.Start(); !started.ok()) {
    result.failure = started.ToString();  // Names RLIMIT_NPROC when fork hit the limit.
    return result;
  }
  pipe->CloseWrite();
  absl::StatusOr<std::string> report = pipe->ReadAll();
  if (absl::Status joined = child.Join(); !joined.ok()) {
    result.failure = joined.ToString();
    return result;
  }
  if (report.ok()) result.report = *std::move(report);
  result.peak_rss_bytes = child.resource_usage()->peak_rss_bytes;
  result.ok = child.exit_code() == 0 && report.ok();
  if (!result.ok) {
    result.failure = absl::StrFormat("%s: %s", child.exit_status()->ToString(), result.report);
  }
  return result;
}

}  // namespace coro_lessons

#include "efficiency/parallel.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "common/message.h"
#include "common/trace.h"
#include "efficiency/thread_errors.h"
#include "efficiency/work.h"
#include "oneapi/tbb/blocked_range.h"
#include "oneapi/tbb/parallel_for.h"
#include "oneapi/tbb/task_arena.h"
#include "oneapi/tbb/task_group.h"
#include "process/pipe.h"
#include "process/process.h"

namespace efficiency {
namespace {

// The jobs worker `worker` of `workers` runs: worker, worker + workers, ... Each job is a
// span on the worker's row of the trace (--trace): two workers' spans side by side are
// two cores busy at once.
uint64_t RunShare(int jobs, int workers, int worker, const Job& job) {
  uint64_t sum = 0;
  for (int j = worker; j < jobs; j += workers) {
    trace::Span span(trace::Enabled() ? absl::StrFormat("job %d", j) : std::string());
    sum += job(j);
  }
  return sum;
}

absl::Status CheckCounts(int jobs, int workers) {
  if (jobs < 0 || workers < 1) {
    return absl::InvalidArgumentError(
        absl::StrFormat("need jobs >= 0 and workers >= 1 (got %d, %d)", jobs, workers));
  }
  return absl::OkStatus();
}

}  // namespace

Job SpinJob(uint64_t iterations) {
  return [iterations](int j) { return Spin(iterations, JobSeed(j)); };
}

absl::StatusOr<uint64_t> RunSerially(int jobs, const Job& job) {
  if (absl::Status s = CheckCounts(jobs, 1); !s.ok()) return s;
  return RunShare(jobs, 1, 0, job);
}

absl::StatusOr<uint64_t> RunOnThreads(int jobs, int workers, const Job& job) {
  if (absl::Status s = CheckCounts(jobs, workers); !s.ok()) return s;
  const int started_wanted = std::min(workers, jobs);
  std::vector<uint64_t> sums(started_wanted, 0);
  std::vector<std::jthread> threads;  // joined on every path out, by their destructors
  threads.reserve(started_wanted);
  try {
    for (int w = 0; w < started_wanted; ++w) {
      threads.emplace_back([&, w] {
        if (trace::Enabled()) trace::NameThread(absl::StrFormat("thread %d", w + 1));
        sums[w] = RunShare(jobs, started_wanted, w, job);
      });
    }
  } catch (const std::system_error& error) {
    const size_t started = threads.size();
    threads.clear();  // joins the ones that started
    return ThreadStartError(
        lesson::Format("could not create thread %d of %d", started + 1, started_wanted).str(),
        error);
  }
  threads.clear();  // join all
  uint64_t total = 0;
  for (uint64_t s : sums) total += s;
  return total;
}

absl::StatusOr<uint64_t> RunOnProcesses(int jobs, int workers, const Job& job) {
  if (absl::Status s = CheckCounts(jobs, workers); !s.ok()) return s;
  const int wanted = std::min(workers, jobs);
  // One pipe for all children: each writes one 8-byte record, and a write of at most
  // PIPE_BUF bytes is atomic, so records never interleave. (A pipe per child would need
  // two descriptors each: 1,000 children would exceed the usual limit of 1,024.)
  absl::StatusOr<process::Pipe> pipe = process::Pipe::Create();
  if (!pipe.ok()) return pipe.status();
  std::vector<process::Process> children;
  children.reserve(wanted);
  absl::Status start_error;
  for (int w = 0; w < wanted; ++w) {
    children.emplace_back([&, w] {
      if (trace::Enabled()) {
        trace::NameProcess(absl::StrFormat("process %d", w + 1));
        trace::NameThread(absl::StrFormat("process %d", w + 1));
      }
      pipe->CloseRead();
      const uint64_t sum = RunShare(jobs, wanted, w, job);
      char record[sizeof sum];
      std::memcpy(record, &sum, sizeof sum);
      return pipe->WriteAll(std::string_view(record, sizeof record)).ok() ? 0 : 3;
    });
    if (absl::Status s = children.back().Start(); !s.ok()) {
      children.pop_back();
      start_error = s;
      break;
    }
  }
  pipe->CloseWrite();  // now end of file comes when every child has exited
  absl::StatusOr<std::string> records = pipe->ReadAll();
  absl::Status child_error;
  for (process::Process& child : children) {
    if (absl::Status s = child.Join(); !s.ok()) {
      child_error = s;
    } else if (child.exit_code() != 0) {
      child_error = absl::InternalError(lesson::Format(
          "child %d %s", static_cast<int>(child.pid()), child.exit_status()->ToString()).str());
    }
  }
  if (!start_error.ok()) {
    return absl::Status(start_error.code(),
                        lesson::Format("started %d of %d processes: %s", children.size(), wanted,
                                       std::string(start_error.message()))
                            .str());
  }
  if (!child_error.ok()) return child_error;
  if (!records.ok()) return records.status();
  if (records->size() != static_cast<size_t>(wanted) * sizeof(uint64_t)) {
    return absl::InternalError(lesson::Format("expected %d results from the children, got %d bytes",
                                              wanted, records->size())
                                   .str());
  }
  uint64_t total = 0;
  for (size_t offset = 0; offset < records->size(); offset += sizeof(uint64_t)) {
    uint64_t sum;
    std::memcpy(&sum, records->data() + offset, sizeof sum);
    total += sum;
  }
  return total;
}

absl::StatusOr<uint64_t> RunTbbParallelFor(int jobs, int workers, const Job& job) {
  if (absl::Status s = CheckCounts(jobs, workers); !s.ok()) return s;
  std::atomic<uint64_t> total{0};
  try {
    tbb::task_arena arena(workers);
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<int>(0, jobs, /*grainsize=*/1),
                        [&](const tbb::blocked_range<int>& range) {
                          trace::Span span(trace::Enabled()
                                               ? absl::StrFormat("tbb jobs %d-%d", range.begin(),
                                                                 range.end() - 1)
                                               : std::string());
                          uint64_t sum = 0;
                          for (int j = range.begin(); j != range.end(); ++j) sum += job(j);
                          total.fetch_add(sum, std::memory_order_relaxed);
                        });
    });
  } catch (const std::exception& error) {  // oneTBB could not start its worker threads
    return ThreadStartError("tbb::parallel_for", error);
  }
  return total.load();
}

absl::StatusOr<uint64_t> RunTbbTaskGroup(int jobs, int workers, const Job& job) {
  if (absl::Status s = CheckCounts(jobs, workers); !s.ok()) return s;
  std::atomic<uint64_t> total{0};
  try {
    tbb::task_arena arena(workers);
    arena.execute([&] {
      tbb::task_group group;
      for (int j = 0; j < jobs; ++j) {
        group.run([&, j] {
          trace::Span span(trace::Enabled() ? absl::StrFormat("tbb task %d", j) : std::string());
          total.fetch_add(job(j), std::memory_order_relaxed);
        });
      }
      group.wait();
    });
  } catch (const std::exception& error) {  // oneTBB could not start its worker threads
    return ThreadStartError("tbb::task_group", error);
  }
  return total.load();
}

}  // namespace efficiency

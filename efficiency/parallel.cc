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
#include "efficiency/thread_errors.h"
#include "oneapi/tbb/blocked_range.h"
#include "oneapi/tbb/parallel_for.h"
#include "oneapi/tbb/task_arena.h"
#include "oneapi/tbb/task_group.h"
#include "process/pipe.h"
#include "process/process.h"

namespace efficiency {
namespace {

// The jobs worker `worker` of `workers` runs: worker, worker + workers, ...
uint64_t RunShare(int jobs, int workers, int worker, const Job& job) {
  uint64_t sum = 0;
  for (int j = worker; j < jobs; j += workers) sum += job(j);
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
      threads.emplace_back([&, w] { sums[w] = RunShare(jobs, started_wanted, w, job); });
    }
  } catch (const std::system_error& error) {
    const size_t started = threads.size();
    threads.clear();  // joins the ones that started
    return ThreadStartError(
        absl::StrFormat("could not create thread %d of %d", started + 1, started_wanted), error);
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
      child_error = absl::InternalError(absl::StrFormat(
          "child %d %s", child.pid(), child.exit_status()->ToString()));
    }
  }
  if (!start_error.ok()) {
    return absl::Status(start_error.code(),
                        absl::StrFormat("started %d of %d processes: %s", children.size(),
                                        wanted, start_error.message()));
  }
  if (!child_error.ok()) return child_error;
  if (!records.ok()) return records.status();
  if (records->size() != static_cast<size_t>(wanted) * sizeof(uint64_t)) {
    return absl::InternalError(absl::StrFormat("expected %d results from the children, got %d bytes",
                                               wanted, records->size()));
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
        group.run([&, j] { total.fetch_add(job(j), std::memory_order_relaxed); });
      }
      group.wait();
    });
  } catch (const std::exception& error) {  // oneTBB could not start its worker threads
    return ThreadStartError("tbb::task_group", error);
  }
  return total.load();
}

}  // namespace efficiency

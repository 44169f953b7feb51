// efficiency/parallel.h — the same jobs, run by one thread, by threads, by processes, by TBB.
//
// Every experiment in this chapter compares ways of running a list of independent jobs
// (the tutorial's run1/run2, run3/run4). A job is a function of its number that returns a
// 64-bit result; a mode runs jobs 0..jobs-1 and returns the wrapping sum of their results.
// Because each job's result depends on all of its work (see work.h), every mode must
// return the same total, which is how the experiments and tests know nothing was skipped.
//
//   efficiency::Job job = efficiency::SpinJob(1'000'000);
//   absl::StatusOr<uint64_t> a = efficiency::RunSerially(2, job);
//   absl::StatusOr<uint64_t> b = efficiency::RunOnThreads(2, /*workers=*/2, job);
//   // *a == *b
//
// Distribution. The hand-made modes split the jobs statically, as the tutorial does (one
// function per thread): worker w runs jobs w, w+W, w+2W, ... and min(workers, jobs)
// workers are started. The TBB modes hand the jobs to TBB's scheduler, which balances
// them over at most `workers` threads (a tbb::task_arena of that concurrency).
//
// Errors are values: a thread or process that cannot be created (EAGAIN: the user's
// process limit RLIMIT_NPROC, which counts threads too, or the system's) gives
// ResourceExhausted naming that limit, after everything already started has been joined
// (thread_errors.h; for processes, process::Process::Start()); a child process that fails
// gives Internal. Nothing is left running when a function returns.
#ifndef EFFICIENCY_PARALLEL_H_
#define EFFICIENCY_PARALLEL_H_

#include <cstdint>
#include <functional>

#include "absl/status/statusor.h"

namespace efficiency {

// A unit of work: job number in, result out. Must be safe to call from several threads at
// once (for different job numbers) and from a forked child.
using Job = std::function<uint64_t(int job)>;

// The tutorial's CPU-bound job (run1, run2): job j spins `iterations` times from its own
// seed (work.h), so that the jobs' total has a closed form, ExpectedTotal(jobs, iterations).
Job SpinJob(uint64_t iterations);

// All jobs, one after the other, on the calling thread: the tutorial's "单线程/单进程".
absl::StatusOr<uint64_t> RunSerially(int jobs, const Job& job);

// One std::thread per worker (created and joined inside the call): "多线程".
absl::StatusOr<uint64_t> RunOnThreads(int jobs, int workers, const Job& job);

// One forked child process per worker (process::Process), each sending its sum back
// through a pipe, created and joined inside the call: "多进程".
absl::StatusOr<uint64_t> RunOnProcesses(int jobs, int workers, const Job& job);

// tbb::parallel_for over the job numbers (grain size 1) in a task_arena of `workers`.
absl::StatusOr<uint64_t> RunTbbParallelFor(int jobs, int workers, const Job& job);

// One tbb::task_group task per job, in a task_arena of `workers`.
absl::StatusOr<uint64_t> RunTbbTaskGroup(int jobs, int workers, const Job& job);

}  // namespace efficiency

#endif  // EFFICIENCY_PARALLEL_H_

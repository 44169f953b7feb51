// efficiency/mpi_protocol.h — what the MPI ranks tell the lesson that started them.
//
// //efficiency:mpi starts `mpirun`, which starts the ranks: separate programs, possibly on
// other machines. Nothing is shared with them, so their figures come back the only way
// anything crosses from one process to another: as bytes. Rank 0 collects the others'
// figures with MPI (MPI_Gather, MPI_Reduce) and prints them on its standard output, which
// mpirun forwards to the lesson, one line each:
//
//   mpi-lesson: rank rank=1 size=2 pid=4242 ppid=4240 host=vm cores=2 cpus=0,1 jobs=12
//   mpi-lesson: sample repeat=0 seconds=0.168 cpu=0.335 sum=1234 fastest=0.166 slowest=0.168
//   mpi-lesson: pingpong method=mpi bytes=8 rounds=10000 seconds=0.012 checked=1 hosts=vm,vm
//   mpi-lesson: error rank=1 reason=<the rest of the line, in the reader's language>
//
// Any other line (mpirun's own messages) is not part of the protocol. The encoding is
// plain text so that a learner who runs a rank by hand can read it.
#ifndef EFFICIENCY_MPI_PROTOCOL_H_
#define EFFICIENCY_MPI_PROTOCOL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace efficiency::mpi {

// Who a rank is: the process, where it runs, its share of the jobs.
struct RankInfo {
  int rank = 0;
  int size = 1;    // ranks in the job (MPI_COMM_WORLD)
  long pid = 0;
  long ppid = 0;   // its parent: mpirun (or orted on another machine)
  std::string host;
  int cores = 0;   // usable cores (its affinity mask, limited by a cgroup quota)
  std::string cpus;  // the CPUs of its affinity mask, "0,1" (mpirun may have bound it to one)
  int jobs = 0;    // how many of the jobs it ran
};

// "0,1,3" -> {0, 1, 3}; malformed entries are skipped.
std::vector<int> ParseCpus(std::string_view list);

// How many ranks can compute at once on `host`: the CPUs that any of its ranks may use
// (ranks bound one per core by mpirun each see one CPU; unbound, each sees them all),
// limited by a cgroup quota when one is in force (a rank whose `cores` is below its CPU
// count). 0 if no rank ran there.
int HostCapacity(const std::vector<RankInfo>& ranks, const std::string& host);

// One timed run of the whole job, from a barrier to the end of MPI_Reduce at rank 0.
struct ComputeSample {
  int repeat = 0;
  double seconds = 0;       // MPI_Wtime at rank 0: barrier passed -> reduce done
  double cpu_seconds = 0;   // CPU time of every rank over the same span, summed
  uint64_t sum = 0;         // what MPI_Reduce delivered: the jobs' results, summed
  double fastest = 0;       // the quickest rank's own compute time
  double slowest = 0;       // the slowest rank's
};

// A ping-pong of `bytes` bytes, `rounds` round trips (after a few untimed warm-up ones).
struct PingPong {
  std::string method;  // "mpi", "pipe", "threads"
  int64_t bytes = 0;
  int rounds = 0;
  double seconds = 0;  // all timed round trips
  bool checked = false;  // every byte of the last reply equalled what was sent
  std::string hosts;     // "vm,vm": where the two ends ran (mpi only)

  // One way: half a round trip.
  double OneWaySeconds() const { return rounds > 0 ? seconds / rounds / 2 : 0; }
  // Bytes per second one way.
  double BytesPerSecond() const {
    const double t = OneWaySeconds();
    return t > 0 ? static_cast<double>(bytes) / t : 0;
  }
};

// A rank that could not do its part, in its own words.
struct RankError {
  int rank = 0;
  std::string reason;
};

// The lines, as rank 0 (or a failing rank) prints them.
std::string Encode(const RankInfo& info);
std::string Encode(const ComputeSample& sample);
std::string Encode(const PingPong& pingpong);
std::string Encode(const RankError& error);

// Everything a launch of mpirun reported, in the order it arrived.
struct Report {
  std::vector<RankInfo> ranks;
  std::vector<ComputeSample> samples;
  std::vector<PingPong> pingpongs;
  std::vector<RankError> errors;
};

// Adds one line of output to `report`. Returns false for a line that is not part of the
// protocol (those are kept by the caller, for a failure's explanation).
bool Decode(std::string_view line, Report& report);

// The ping-pong's message sizes: "8,1024,65536" -> {8, 1024, 65536}; a size may end in
// K or M (KiB, MiB). nullopt if malformed or empty.
std::optional<std::vector<int64_t>> ParseSizes(std::string_view text);

// Round trips for a message of `bytes`: enough to move about 32 MiB each way, at least 50
// and at most 10,000, so every size takes a similar, short time.
int RoundsFor(int64_t bytes);

// "8 B", "1 KiB", "64 KiB", "1 MiB", "1.5 MiB".
std::string SizeName(int64_t bytes);

// Jobs `rank` runs out of `jobs` over `size` ranks: j = rank, rank + size, ...
int JobsOf(int rank, int size, int jobs);

// Iterations of job `job` when `iterations` are cut into `jobs` jobs (the first
// iterations % jobs jobs take one more).
uint64_t IterationsOfJob(int job, int jobs, uint64_t iterations);

// What every run must return: the wrapping sum of the jobs' final states (work.h),
// computed without looping.
uint64_t ExpectedSum(int jobs, uint64_t iterations);

}  // namespace efficiency::mpi

#endif  // EFFICIENCY_MPI_PROTOCOL_H_

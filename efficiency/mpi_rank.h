// efficiency/mpi_rank.h — what each MPI rank runs. The only part of the lesson that calls MPI.
//
// A rank is one process of an MPI job: mpirun starts N copies of the same program, each
// learns its number (MPI_Comm_rank) and the job's size (MPI_Comm_size), and from then on
// they cooperate only by sending messages. Every function here is collective: every
// rank of the job calls it, in the same order.
//
//   mpi::Session session;                                  // MPI_Init ... MPI_Finalize
//   mpi::Report r = mpi::Compute(session, plan, on_sample);   // rank 0 gets the figures
//
// Failure: a rank that cannot do its part (wrong result, a failed MPI call, the test's
// --fail_rank) says why in one protocol line (mpi_protocol.h) and calls MPI_Abort, which
// ends every rank of the job; the lesson that started mpirun reads the line.
#ifndef EFFICIENCY_MPI_RANK_H_
#define EFFICIENCY_MPI_RANK_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "efficiency/mpi_protocol.h"

namespace efficiency::mpi {

// MPI_Init in the constructor, MPI_Finalize in the destructor.
class Session {
 public:
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }

  // Errors say so in one protocol line (`protocol`), or as "rank R: reason" on standard
  // error (a learner's own mpirun), then end the job with MPI_Abort.
  void set_protocol(bool protocol) { protocol_ = protocol; }
  [[noreturn]] void Fail(const std::string& reason) const;

 private:
  int rank_ = 0;
  int size_ = 1;
  bool protocol_ = true;
};

// The compute part: the jobs of work.h split over the ranks.
struct ComputePlan {
  int jobs = 24;
  uint64_t iterations = 0;  // over all the jobs
  int repeats = 3;
  int fail_rank = -1;       // tests: this rank fails in its first run,
  bool fail_by_error = false;  // by reporting an error (else by SIGKILL: a crash)
};

// Every rank: who it is (gathered at rank 0).
std::vector<RankInfo> Identify(const Session& session, const ComputePlan& plan);

// Every rank: `plan.repeats` runs of the whole job. Each run: a barrier, then each rank
// runs jobs rank, rank + size, ... and MPI_Reduce sums the results at rank 0; timed at
// rank 0 with MPI_Wtime. Rank 0 gets the samples (`on_sample` is called as each ends);
// the others an empty vector. A sum other than ExpectedSum() fails the job.
std::vector<ComputeSample> Compute(const Session& session, const ComputePlan& plan,
                                   const std::function<void(const ComputeSample&)>& on_sample);

// Every rank: the same runs, but rank 0 does every job alone while the others wait
// without using a core (for a learner's own `mpirun -np 4`: the 1-rank baseline).
std::vector<ComputeSample> ComputeOnRankZero(const Session& session, const ComputePlan& plan,
                                             const std::function<void(const ComputeSample&)>& on_sample);

// Every rank: a ping-pong of each size between rank 0 and the last rank (MPI_Send and
// MPI_Recv); the ranks between them wait without using a core. Rank 0 gets the results.
std::vector<PingPong> PingPongs(const Session& session, const std::vector<int64_t>& sizes);

// This process's affinity mask as a CPU list ("0,1"), and setting it from one (false if
// the list is empty or the kernel refused it).
std::string AffinityCpus();
bool SetAffinityCpus(const std::string& list);

// Every rank: a barrier at which the waiting ranks sleep instead of spinning (MPI_Ibarrier
// polled every millisecond): Open MPI's MPI_Barrier keeps a core busy while it waits.
void QuietBarrier();

}  // namespace efficiency::mpi

#endif  // EFFICIENCY_MPI_RANK_H_

// efficiency/mpi_conclusions.h — what //efficiency:mpi measured, and what it may conclude.
//
// The lesson's closing sentences are chosen from its own figures and from the conditions
// of the run (common/run_conditions.h, efficiency/conclusion.h): a speed-up is only called
// one when the cores were there, the machine was quiet and the figure is possible.
// Everything here is a pure function of the figures, so tests feed it synthetic runs
// (quiet 2 cores, one core, busy, unoptimised, across machines) and check the sentences.
#ifndef EFFICIENCY_MPI_CONCLUSIONS_H_
#define EFFICIENCY_MPI_CONCLUSIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/message.h"
#include "common/run_conditions.h"
#include "efficiency/conclusion.h"
#include "efficiency/measure.h"
#include "efficiency/mpi_protocol.h"
#include "efficiency/results.h"

namespace efficiency::mpi {

// Everything one run of the lesson measured.
struct Figures {
  int jobs = 0;
  uint64_t iterations = 0;            // over all the jobs
  std::vector<ComputeSample> single;  // 1 rank
  std::vector<ComputeSample> ranks;   // N ranks
  std::vector<RankInfo> rank_infos;   // the N ranks, by rank
  std::vector<PingPong> pingpongs;    // every method and size
  long lesson_pid = 0;                // 0 when a learner started mpirun
  long mpirun_pid = 0;                // the parent of the N ranks' rank 0
  bool hostfile = false;
  int pingpong_cores = 0;             // usable cores of the pipe and thread ping-pongs
                                      // (0: the machine's, as RunConditions saw it)

  int RankCount() const { return static_cast<int>(rank_infos.size()); }
  // The best speed-up this split allows: jobs / the most jobs any rank runs.
  double IdealSpeedup() const;
  // The median run's slowest and fastest rank compute times (N ranks).
  double SlowestRankSeconds() const;
  double FastestRankSeconds() const;
  // Distinct hosts of the ranks, in rank order.
  std::vector<std::string> Hosts() const;
  // The ping-pong of `method` and `bytes`, if measured.
  const PingPong* Find(const std::string& method, int64_t bytes) const;
  // Smallest and largest message size measured (0 if none).
  int64_t SmallestSize() const;
  int64_t LargestSize() const;
};

// The rows "single" (1 rank) and "ranks" (N ranks) for results.h, from the samples.
std::vector<ModeResult> Rows(const Figures& figures);

// What the lesson may conclude. Adds the run's warnings to `conditions` first: the ranks
// should run at once (fewer_cores: on some host more ranks than the CPUs they could use,
// from what the ranks reported, see HostCapacity; busy_machine; implausible), and a
// ping-pong whose two ends shared one core (fewer_cores, mode "pingpong"). `results`
// holds Rows(figures).
Conclusion MpiConclusions(const Results& results, const Figures& figures,
                          lesson::RunConditions& conditions);

// The ping-pong as two tables (one-way time, bandwidth): a row per size, a column per
// method. Padded by display width.
std::vector<std::string> PingPongTables(const Figures& figures);

// "details" for --json: the ranks, the ping-pong rows ("communication"), the work.
lesson::JsonObject Details(const Figures& figures);

}  // namespace efficiency::mpi

#endif  // EFFICIENCY_MPI_CONCLUSIONS_H_

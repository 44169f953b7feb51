// efficiency/mpi_launch.h — starting `mpirun` from the lesson, and reading what comes back.
//
// A learner types `bazel run -c opt //efficiency:mpi`; the lesson then starts mpirun
// itself, once per mode, with this same program in the role of a rank:
//
//   mpirun --bind-to none -np 2 -x LANGUAGE <this program> --role=rank --part=compute ...
//
// (the way //process:start_methods re-runs itself with --role). mpirun starts the ranks,
// forwards their standard output to the lesson, and ends when they have all ended.
//
// Guarantees of RunMpirun:
// - Bounded: past `timeout` mpirun gets SIGTERM (it ends its ranks), then SIGKILL.
// - Nothing left behind: mpirun is started with PR_SET_PDEATHSIG (it dies with the
//   lesson, even if the lesson is killed), each rank asks for the same about mpirun
//   (process::DieWithParent), and an interrupted lesson forwards Ctrl-C to mpirun
//   (process::InterruptGuard), which ends its ranks.
// - Errors in words: a rank that failed is named with its reason (DescribeFailure).
#ifndef EFFICIENCY_MPI_LAUNCH_H_
#define EFFICIENCY_MPI_LAUNCH_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/message.h"
#include "efficiency/mpi_protocol.h"

namespace efficiency::mpi {

// The first executable file named `program` in the directories of `path` (a PATH value,
// colon-separated; an empty entry means the current directory), or "" if none.
std::string FindOnPath(std::string_view program, std::string_view path);

// How to run mpirun once.
struct LaunchPlan {
  std::string mpirun;               // its path (FindOnPath)
  int ranks = 0;                    // -np; 0: one rank per slot of the hostfile
  std::string hostfile;             // --hostfile, if any
  bool oversubscribe = false;       // more ranks than cores
  bool spread_over_hosts = false;   // --map-by node: consecutive ranks on different hosts
  std::vector<std::string> export_variables;  // -x NAME, for each that is set
  std::vector<std::string> program;  // the rank's command line, program path first
};

// The command line: mpirun, its options, then the program.
std::vector<std::string> MpirunArgv(const LaunchPlan& plan);

// The command line as a learner would type it (arguments with spaces quoted).
std::string CommandLine(const std::vector<std::string>& argv);

// What one run of mpirun gave.
struct LaunchResult {
  Report report;                    // the protocol lines (mpi_protocol.h)
  std::vector<std::string> other;   // every other line, standard output then error
  int exit_code = -1;               // mpirun's exit code, -1 if a signal ended it
  int signal = 0;
  bool timed_out = false;
  long mpirun_pid = 0;
  double seconds = 0;               // from starting mpirun to its end
};

// Starts mpirun (its environment is this process's, plus `environment`), reads its output
// until it ends, at most `timeout`; calls `on_line` with each protocol line as it arrives
// (for live progress). Errors: mpirun could not be started, or a pipe failed.
absl::StatusOr<LaunchResult> RunMpirun(
    const LaunchPlan& plan, const std::vector<std::pair<std::string, std::string>>& environment,
    absl::Duration timeout, const std::function<void(const Report&)>& on_line);

// nullopt if the launch succeeded (exit 0, no rank error); else one line, in the reader's
// language, naming the rank that failed and why (its own protocol line, or what mpirun
// said: killed by a signal, a non-zero exit, too few slots, ...).
std::optional<lesson::Text> DescribeFailure(const LaunchResult& result);

}  // namespace efficiency::mpi

#endif  // EFFICIENCY_MPI_LAUNCH_H_

// common/machine.h — what this machine can give a lesson right now: usable cores, how
// busy it already is, and whether this build is optimised.
//
// A lesson's conclusion must follow from what it measured, and a measurement can only
// show parallelism if the cores are there. These are the facts a lesson checks before
// it says "the threads ran in parallel":
//   UsableCores()     cores this process may run on: the CPU affinity mask (taskset,
//                     sched_setaffinity), further limited by a cgroup CPU quota (a
//                     container's --cpus, systemd's CPUQuota) when there is one;
//   BusyCores(w)      how many cores' worth of CPU the whole machine used during the
//                     window w (from /proc/stat), i.e. what other work was taking;
//   OptimisedBuild()  whether this binary was compiled with optimisation (-c opt):
//                     timings of an unoptimised build measure the compiler's debug code.
// And, to see what a lesson says on one core without a second machine:
//   OnOneCpu          for a scope, this thread on one CPU, as `taskset -c N` would.
#ifndef COMMON_MACHINE_H_
#define COMMON_MACHINE_H_

#include <sched.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lesson {

// Processors the kernel has online (sysconf(_SC_NPROCESSORS_ONLN)).
int OnlineCores();

// Processors in this process's affinity mask (sched_getaffinity).
int AffinityCores();

// The cgroup CPU quota of this process in cores (quota / period), or nullopt when there
// is none or it cannot be read. cgroup v2 (cpu.max) and v1 (cpu.cfs_quota_us).
std::optional<double> CgroupCpuLimit();

// What a parallel lesson can use: the affinity mask, capped by the cgroup quota rounded
// down (at least 1).
int UsableCores();

// One sentence on where the limit comes from, for a warning: "2 online, 2 usable",
// "2 online, 1 usable (affinity mask)", "4 online, 2 usable (cgroup CPU quota 2.0)".
std::string DescribeCores();

// How many cores' worth of CPU the whole machine used during the next `window`
// (non-idle time / elapsed time, from /proc/stat), or -1 if unreadable.
double BusyCores(std::chrono::milliseconds window);

// The 1-minute load average (/proc/loadavg), or -1 if unreadable.
double LoadAverage();

// True if this binary was compiled with optimisation (__OPTIMIZE__).
bool OptimisedBuild();

// For the scope of an OnOneCpu, the calling thread runs on the first CPU of its affinity
// mask only, as under `taskset -c <that cpu>`; the threads it starts and the children it
// forks inherit that. The mask it had comes back at the end of the scope.
//
//   {
//     lesson::OnOneCpu pinned;
//     ...  // UsableCores() is 1 here, and in a lesson started from here
//   }
class OnOneCpu {
 public:
  OnOneCpu();
  ~OnOneCpu();
  OnOneCpu(const OnOneCpu&) = delete;
  OnOneCpu& operator=(const OnOneCpu&) = delete;

 private:
  cpu_set_t saved_;
};

// Parsers, for tests: a cgroup v2 cpu.max line ("max 100000", "150000 100000"), and a
// cgroup v1 quota and period (quota -1 means none).
std::optional<double> ParseCpuMax(std::string_view line);
std::optional<double> ParseCfsQuota(long quota_us, long period_us);

}  // namespace lesson

#endif  // COMMON_MACHINE_H_

// efficiency/one_cpu.h — run on one CPU for a scope, as `taskset -c <first cpu>` would.
//
//   {
//     efficiency::OnOneCpu pinned;  // this thread, and what it starts, on one CPU
//     ...                           // threads it starts and children it forks inherit it
//   }                               // the affinity mask it had, back
//
// :costs pins its *OneCore benchmarks so: on a virtual machine, waking an idle virtual CPU
// costs far more than a switch itself. cpu_bound_test starts the experiment so, to see
// what it says on one usable core.
#ifndef EFFICIENCY_ONE_CPU_H_
#define EFFICIENCY_ONE_CPU_H_

#include <sched.h>

namespace efficiency {

// Narrows the calling thread's affinity mask to the first CPU in it; restores it at the
// end of the scope.
class OnOneCpu {
 public:
  OnOneCpu() {
    CPU_ZERO(&saved_);
    sched_getaffinity(0, sizeof saved_, &saved_);
    cpu_set_t one;
    CPU_ZERO(&one);
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
      if (CPU_ISSET(cpu, &saved_)) {
        CPU_SET(cpu, &one);
        break;
      }
    }
    sched_setaffinity(0, sizeof one, &one);
  }
  ~OnOneCpu() { sched_setaffinity(0, sizeof saved_, &saved_); }
  OnOneCpu(const OnOneCpu&) = delete;
  OnOneCpu& operator=(const OnOneCpu&) = delete;

 private:
  cpu_set_t saved_;
};

}  // namespace efficiency

#endif  // EFFICIENCY_ONE_CPU_H_

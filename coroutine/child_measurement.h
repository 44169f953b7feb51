// coroutine/child_measurement.h — run one measurement in a fresh child process.
//
// Peak RSS only ever rises, so comparing "N coroutines" with "M threads" in one process
// would report the larger of the two for both. Each mode therefore runs in a child made
// with process::Process (fork); the parent reads the child's peak RSS from wait4() and
// what the child reported through a process::Pipe.
//
// Contract: call from a single-threaded parent. The child runs `measure`, writes the
// string it returns to the pipe and _exit()s (no atexit handlers, no flushing the
// parent's buffers twice). MeasureInChild always reaps the child before returning, and
// the child is killed if the parent dies first (PR_SET_PDEATHSIG).
#ifndef COROUTINE_CHILD_MEASUREMENT_H_
#define COROUTINE_CHILD_MEASUREMENT_H_

#include <cstdint>
#include <functional>
#include <string>

namespace coro_lessons {

struct ChildMeasurement {
  bool ok = false;               // the child exited with status 0
  std::string report;            // what `measure` returned
  std::int64_t peak_rss_bytes = 0;
  std::string failure;           // how the child ended, when !ok
};

ChildMeasurement MeasureInChild(const std::function<std::string()>& measure);

}  // namespace coro_lessons

#endif  // COROUTINE_CHILD_MEASUREMENT_H_

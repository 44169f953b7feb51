// common/stopwatch.h — wall-clock and CPU time, for the numbers lessons print.
//
// Wall time comes from std::chrono::steady_clock (never jumps with the system clock).
// CPU time is the kernel's account for the whole process (all threads), or for the
// calling thread alone: comparing the two with wall time is how a lesson shows whether
// threads ran in parallel (CPU > wall) or took turns (CPU ~= wall).
#ifndef COMMON_STOPWATCH_H_
#define COMMON_STOPWATCH_H_

#include <time.h>

#include <chrono>

namespace lesson {

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}

  // Starts counting again from now.
  void Reset() { start_ = std::chrono::steady_clock::now(); }

  // Time since construction or the last Reset().
  std::chrono::steady_clock::duration Elapsed() const {
    return std::chrono::steady_clock::now() - start_;
  }

  // Elapsed() in seconds.
  double Seconds() const {
    return std::chrono::duration<double>(Elapsed()).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// CPU seconds consumed so far by every thread of this process.
inline double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// CPU seconds consumed so far by the calling thread.
inline double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace lesson

#endif  // COMMON_STOPWATCH_H_

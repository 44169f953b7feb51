// common/resources.h — what the kernel says a process is using, for lessons that print it.
//
// Peak resident set size (RSS) is the most physical memory the process has held at once:
// the honest measure of "how much memory did N threads / N coroutines need". The kernel
// only ever raises it, so an experiment that compares several modes runs each mode in a
// fresh child process and reads the child's peak after it exits (PeakRssOfChild).
#ifndef COMMON_RESOURCES_H_
#define COMMON_RESOURCES_H_

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>

namespace lesson {

// The calling process's peak RSS so far, in bytes.
inline int64_t PeakRssBytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB.
}

// The calling process's RSS now, in bytes (from /proc/self/statm), or -1 if unreadable.
inline int64_t CurrentRssBytes() {
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return -1;
  long pages_total = 0, pages_resident = 0;
  int read = std::fscanf(statm, "%ld %ld", &pages_total, &pages_resident);
  std::fclose(statm);
  if (read != 2) return -1;
  return static_cast<int64_t>(pages_resident) * sysconf(_SC_PAGESIZE);
}

// Peak RSS in bytes of a child that wait4() has just reaped, from its rusage.
inline int64_t PeakRssOfChild(const rusage& child_usage) {
  return static_cast<int64_t>(child_usage.ru_maxrss) * 1024;
}

}  // namespace lesson

#endif  // COMMON_RESOURCES_H_

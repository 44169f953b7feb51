// process/proc_info.h — what the kernel shows about processes in /proc (Linux).
//
// The tutorial points at the task manager ("在任务管理器详细信息也能看到") to see the main
// process and its child. On Linux the same table is /proc: one directory per process.
// Lessons print it; tests use it to prove that no child or zombie is left behind.
#ifndef PROCESS_PROC_INFO_H_
#define PROCESS_PROC_INFO_H_

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace process {

struct ProcInfo {
  pid_t pid = 0;
  pid_t ppid = 0;         // Parent's PID.
  char state = '?';       // R running, S sleeping, Z zombie (ended, not yet reaped), ...
  std::string command;    // The executable's name, at most 15 characters (comm).
  int64_t rss_bytes = 0;  // Resident memory now.
};

// The process `pid` as /proc/<pid>/stat describes it; empty if there is no such process.
std::optional<ProcInfo> ReadProcInfo(pid_t pid);

// Every process whose parent is `parent`, zombies included, sorted by PID.
std::vector<ProcInfo> ListChildren(pid_t parent);

}  // namespace process

#endif  // PROCESS_PROC_INFO_H_

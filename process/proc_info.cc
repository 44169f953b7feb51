#include "process/proc_info.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace process {

std::optional<ProcInfo> ReadProcInfo(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  std::FILE* file = std::fopen(path, "r");
  if (file == nullptr) return std::nullopt;
  char text[1024];
  size_t length = std::fread(text, 1, sizeof text - 1, file);
  std::fclose(file);
  text[length] = '\0';
  // "pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
  //  utime stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss"
  // comm may contain spaces and parentheses: it ends at the last ')'.
  char* open = std::strchr(text, '(');
  char* close = std::strrchr(text, ')');
  if (open == nullptr || close == nullptr || close < open) return std::nullopt;
  ProcInfo info;
  info.pid = pid;
  info.command.assign(open + 1, close);
  long ppid = 0, rss_pages = 0;
  char state = '?';
  // After ')': state (field 3), ppid (4), fields 5..23 skipped, rss (24).
  int fields = std::sscanf(close + 1,
                           " %c %ld %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s "
                           "%*s %*s %*s %*s %*s %ld",
                           &state, &ppid, &rss_pages);
  if (fields < 2) return std::nullopt;
  info.state = state;
  info.ppid = static_cast<pid_t>(ppid);
  if (fields == 3) info.rss_bytes = int64_t{rss_pages} * sysconf(_SC_PAGESIZE);
  return info;
}

std::vector<ProcInfo> ListChildren(pid_t parent) {
  std::vector<ProcInfo> children;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return children;
  while (dirent* entry = readdir(proc)) {
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (*end != '\0' || pid <= 0) continue;
    std::optional<ProcInfo> info = ReadProcInfo(static_cast<pid_t>(pid));
    if (info.has_value() && info->ppid == parent) children.push_back(*info);
  }
  closedir(proc);
  std::sort(children.begin(), children.end(),
            [](const ProcInfo& a, const ProcInfo& b) { return a.pid < b.pid; });
  return children;
}

}  // namespace process

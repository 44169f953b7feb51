#include "common/machine.h"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/message.h"

namespace lesson {
namespace {

std::string ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// The cgroup paths of this process: (controllers, path) from /proc/self/cgroup.
std::vector<std::pair<std::string, std::string>> OwnCgroups() {
  std::vector<std::pair<std::string, std::string>> out;
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    // "hierarchy-id:controllers:path"
    const size_t a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    out.emplace_back(line.substr(a + 1, b - a - 1), line.substr(b + 1));
  }
  return out;
}

}  // namespace

int OnlineCores() { return static_cast<int>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN))); }

int AffinityCores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return OnlineCores();
  return std::max(1, CPU_COUNT(&set));
}

std::optional<double> ParseCpuMax(std::string_view line) {
  std::istringstream in{std::string(line)};
  std::string quota;
  long period = 0;
  if (!(in >> quota >> period) || quota == "max" || period <= 0) return std::nullopt;
  char* end = nullptr;
  const long q = std::strtol(quota.c_str(), &end, 10);
  if (end == quota.c_str() || q <= 0) return std::nullopt;
  return static_cast<double>(q) / static_cast<double>(period);
}

std::optional<double> ParseCfsQuota(long quota_us, long period_us) {
  if (quota_us <= 0 || period_us <= 0) return std::nullopt;
  return static_cast<double>(quota_us) / static_cast<double>(period_us);
}

std::optional<double> CgroupCpuLimit() {
  std::optional<double> limit;
  auto tighter = [&limit](std::optional<double> found) {
    if (found && (!limit || *found < *limit)) limit = found;
  };
  for (const auto& [controllers, path] : OwnCgroups()) {
    if (controllers.empty()) {  // cgroup v2: the quota may sit on any ancestor
      for (std::string dir = path;; dir = dir.substr(0, dir.rfind('/'))) {
        tighter(ParseCpuMax(ReadFirstLine("/sys/fs/cgroup" + dir + "/cpu.max")));
        if (dir.empty() || dir == "/") break;
      }
    } else if (controllers.find("cpu") != std::string::npos &&
               controllers.find("cpuset") == std::string::npos) {
      for (const char* mount : {"/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"}) {
        const std::string dir = std::string(mount) + (path == "/" ? "" : path);
        const std::string quota = ReadFirstLine(dir + "/cpu.cfs_quota_us");
        const std::string period = ReadFirstLine(dir + "/cpu.cfs_period_us");
        if (!quota.empty() && !period.empty()) {
          tighter(ParseCfsQuota(std::atol(quota.c_str()), std::atol(period.c_str())));
        }
      }
    }
  }
  return limit;
}

int UsableCores() {
  int cores = AffinityCores();
  if (std::optional<double> quota = CgroupCpuLimit()) {
    cores = std::min(cores, std::max(1, static_cast<int>(std::floor(*quota + 1e-9))));
  }
  return cores;
}

std::string DescribeCores() {
  const int online = OnlineCores(), affinity = AffinityCores(), usable = UsableCores();
  std::string text = Format("%d online, %d usable", online, usable).str();
  if (affinity < online) absl::StrAppend(&text, Format(" (affinity mask: %d)", affinity).str());
  if (std::optional<double> quota = CgroupCpuLimit(); quota && *quota < affinity) {
    absl::StrAppend(&text, Format(" (cgroup CPU quota: %.2f)", *quota).str());
  }
  return text;
}

double BusyCores(std::chrono::milliseconds window) {
  // /proc/stat's first line: cpu user nice system idle iowait irq softirq steal ...
  auto read = [](uint64_t& busy, uint64_t& total) {
    std::FILE* file = std::fopen("/proc/stat", "r");
    if (file == nullptr) return false;
    uint64_t v[8] = {};
    const int n = std::fscanf(file, "cpu %lu %lu %lu %lu %lu %lu %lu %lu", &v[0], &v[1], &v[2],
                              &v[3], &v[4], &v[5], &v[6], &v[7]);
    std::fclose(file);
    if (n != 8) return false;
    total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
    busy = total - v[3] - v[4];  // everything but idle and iowait
    return true;
  };
  uint64_t busy0, total0, busy1, total1;
  if (!read(busy0, total0)) return -1;
  std::this_thread::sleep_for(window);
  if (!read(busy1, total1) || total1 == total0) return -1;
  return static_cast<double>(busy1 - busy0) / static_cast<double>(total1 - total0) *
         static_cast<double>(OnlineCores());
}

double LoadAverage() {
  std::FILE* file = std::fopen("/proc/loadavg", "r");
  if (file == nullptr) return -1;
  double one_minute = -1;
  if (std::fscanf(file, "%lf", &one_minute) != 1) one_minute = -1;
  std::fclose(file);
  return one_minute;
}

bool OptimisedBuild() {
#ifdef __OPTIMIZE__
  return true;
#else
  return false;
#endif
}

OnOneCpu::OnOneCpu() {
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

OnOneCpu::~OnOneCpu() { sched_setaffinity(0, sizeof saved_, &saved_); }

}  // namespace lesson

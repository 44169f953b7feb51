#include "efficiency/mpi_protocol.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "efficiency/work.h"

namespace efficiency::mpi {
namespace {

constexpr absl::string_view kPrefix = "mpi-lesson: ";

// Debian's Abseil has its own string_view; the header speaks std::string_view.
absl::string_view Absl(std::string_view text) { return absl::string_view(text.data(), text.size()); }

// "key=value key=value ...": the fields of a line. `rest_key`, if given, takes the rest
// of the line (it may contain spaces) and must come last.
std::map<std::string, std::string> Fields(absl::string_view text, absl::string_view rest_key = "") {
  std::map<std::string, std::string> fields;
  while (!text.empty()) {
    const size_t eq = text.find('=');
    if (eq == absl::string_view::npos) break;
    const std::string key(text.substr(0, eq));
    text.remove_prefix(eq + 1);
    if (!rest_key.empty() && key == rest_key) {
      fields[key] = std::string(text);
      break;
    }
    const size_t space = text.find(' ');
    fields[key] = std::string(text.substr(0, space));
    if (space == absl::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return fields;
}

template <typename T>
bool Get(const std::map<std::string, std::string>& fields, const std::string& key, T& out) {
  auto it = fields.find(key);
  if (it == fields.end()) return false;
  if constexpr (std::is_same_v<T, std::string>) {
    out = it->second;
    return true;
  } else if constexpr (std::is_same_v<T, double>) {
    return absl::SimpleAtod(it->second, &out);
  } else if constexpr (std::is_same_v<T, bool>) {
    int v = 0;
    if (!absl::SimpleAtoi(it->second, &v)) return false;
    out = v != 0;
    return true;
  } else {
    return absl::SimpleAtoi(it->second, &out);
  }
}

}  // namespace

std::string Encode(const RankInfo& i) {
  return absl::StrFormat("%srank rank=%d size=%d pid=%d ppid=%d host=%s cores=%d cpus=%s jobs=%d",
                         kPrefix, i.rank, i.size, i.pid, i.ppid, i.host, i.cores,
                         i.cpus.empty() ? "-" : i.cpus, i.jobs);
}

std::string Encode(const ComputeSample& s) {
  return absl::StrFormat("%ssample repeat=%d seconds=%.9g cpu=%.9g sum=%d fastest=%.9g slowest=%.9g",
                         kPrefix, s.repeat, s.seconds, s.cpu_seconds, s.sum, s.fastest, s.slowest);
}

std::string Encode(const PingPong& p) {
  return absl::StrFormat("%spingpong method=%s bytes=%d rounds=%d seconds=%.9g checked=%d hosts=%s",
                         kPrefix, p.method, p.bytes, p.rounds, p.seconds, p.checked ? 1 : 0,
                         p.hosts.empty() ? "-" : p.hosts);
}

std::string Encode(const RankError& e) {
  // One line: a newline inside the reason would end it early.
  std::string reason = e.reason;
  std::replace(reason.begin(), reason.end(), '\n', ' ');
  return absl::StrFormat("%serror rank=%d reason=%s", kPrefix, e.rank, reason);
}

bool Decode(std::string_view text, Report& report) {
  absl::string_view line = absl::StripTrailingAsciiWhitespace(Absl(text));
  // mpirun forwards each rank's output as it is; the protocol line may follow other text
  // only if a rank printed without a newline, which ours never do.
  if (!absl::ConsumePrefix(&line, kPrefix)) return false;
  const size_t space = line.find(' ');
  const absl::string_view kind = line.substr(0, space);
  const absl::string_view rest = space == absl::string_view::npos ? "" : line.substr(space + 1);
  if (kind == "rank") {
    const auto f = Fields(rest);
    RankInfo i;
    if (!Get(f, "rank", i.rank) || !Get(f, "size", i.size) || !Get(f, "pid", i.pid) ||
        !Get(f, "ppid", i.ppid) || !Get(f, "host", i.host) || !Get(f, "cores", i.cores) ||
        !Get(f, "cpus", i.cpus) || !Get(f, "jobs", i.jobs)) {
      return false;
    }
    if (i.cpus == "-") i.cpus.clear();
    report.ranks.push_back(i);
    return true;
  }
  if (kind == "sample") {
    const auto f = Fields(rest);
    ComputeSample s;
    if (!Get(f, "repeat", s.repeat) || !Get(f, "seconds", s.seconds) ||
        !Get(f, "cpu", s.cpu_seconds) || !Get(f, "sum", s.sum) || !Get(f, "fastest", s.fastest) ||
        !Get(f, "slowest", s.slowest)) {
      return false;
    }
    report.samples.push_back(s);
    return true;
  }
  if (kind == "pingpong") {
    const auto f = Fields(rest);
    PingPong p;
    if (!Get(f, "method", p.method) || !Get(f, "bytes", p.bytes) || !Get(f, "rounds", p.rounds) ||
        !Get(f, "seconds", p.seconds) || !Get(f, "checked", p.checked) ||
        !Get(f, "hosts", p.hosts)) {
      return false;
    }
    if (p.hosts == "-") p.hosts.clear();
    report.pingpongs.push_back(p);
    return true;
  }
  if (kind == "error") {
    const auto f = Fields(rest, "reason");
    RankError e;
    if (!Get(f, "rank", e.rank) || !Get(f, "reason", e.reason)) return false;
    report.errors.push_back(e);
    return true;
  }
  return false;
}

std::optional<std::vector<int64_t>> ParseSizes(std::string_view text) {
  std::vector<int64_t> sizes;
  for (absl::string_view piece : absl::StrSplit(Absl(text), ',')) {
    piece = absl::StripAsciiWhitespace(piece);
    int64_t unit = 1;
    if (absl::ConsumeSuffix(&piece, "K")) unit = int64_t{1} << 10;
    else if (absl::ConsumeSuffix(&piece, "M")) unit = int64_t{1} << 20;
    int64_t value = 0;
    if (piece.empty() || !absl::SimpleAtoi(piece, &value) || value < 0 ||
        value > (int64_t{1} << 40) / unit) {
      return std::nullopt;
    }
    sizes.push_back(value * unit);
  }
  if (sizes.empty()) return std::nullopt;
  return sizes;
}

std::vector<int> ParseCpus(std::string_view list) {
  std::vector<int> cpus;
  for (absl::string_view piece : absl::StrSplit(Absl(list), ',')) {
    int cpu = 0;
    if (absl::SimpleAtoi(piece, &cpu) && cpu >= 0) cpus.push_back(cpu);
  }
  return cpus;
}

int HostCapacity(const std::vector<RankInfo>& ranks, const std::string& host) {
  std::set<int> cpus;
  int quota = 0;  // the tightest cgroup limit seen, 0 if none
  for (const RankInfo& r : ranks) {
    if (r.host != host) continue;
    const std::vector<int> mine = ParseCpus(r.cpus);
    cpus.insert(mine.begin(), mine.end());
    if (r.cores < static_cast<int>(mine.size()) && (quota == 0 || r.cores < quota)) quota = r.cores;
  }
  const int capacity = static_cast<int>(cpus.size());
  return quota > 0 ? std::min(capacity, quota) : capacity;
}

int RoundsFor(int64_t bytes) {
  const int64_t rounds = (int64_t{32} << 20) / std::max<int64_t>(bytes, 1);
  return static_cast<int>(std::clamp<int64_t>(rounds, 50, 10'000));
}

std::string SizeName(int64_t bytes) {
  auto name = [](double value, const char* unit) {
    return value == static_cast<double>(static_cast<int64_t>(value))
               ? absl::StrFormat("%d %s", static_cast<int64_t>(value), unit)
               : absl::StrFormat("%.1f %s", value, unit);
  };
  if (bytes >= (int64_t{1} << 20)) return name(static_cast<double>(bytes) / (1 << 20), "MiB");
  if (bytes >= (int64_t{1} << 10)) return name(static_cast<double>(bytes) / (1 << 10), "KiB");
  return absl::StrFormat("%d B", bytes);
}

int JobsOf(int rank, int size, int jobs) {
  if (rank >= jobs) return 0;
  return (jobs - rank + size - 1) / size;
}

uint64_t IterationsOfJob(int job, int jobs, uint64_t iterations) {
  const uint64_t n = static_cast<uint64_t>(jobs);
  return iterations / n + (static_cast<uint64_t>(job) < iterations % n ? 1 : 0);
}

uint64_t ExpectedSum(int jobs, uint64_t iterations) {
  uint64_t sum = 0;
  for (int job = 0; job < jobs; ++job) {
    sum += SpinClosedForm(IterationsOfJob(job, jobs, iterations), JobSeed(job));
  }
  return sum;
}

}  // namespace efficiency::mpi

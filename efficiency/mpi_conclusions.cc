#include "efficiency/mpi_conclusions.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/table.h"

namespace efficiency::mpi {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The run whose seconds are the median (the lower middle for an even count).
const ComputeSample* MedianRun(const std::vector<ComputeSample>& samples) {
  if (samples.empty()) return nullptr;
  std::vector<const ComputeSample*> sorted;
  for (const ComputeSample& s : samples) sorted.push_back(&s);
  std::sort(sorted.begin(), sorted.end(),
            [](const ComputeSample* a, const ComputeSample* b) { return a->seconds < b->seconds; });
  return sorted[(sorted.size() - 1) / 2];
}

std::string Micros(double seconds) {
  const double us = seconds * 1e6;
  if (us < 10) return absl::StrFormat("%.2f", us);
  if (us < 100) return absl::StrFormat("%.1f", us);
  return absl::StrFormat("%.0f", us);
}

std::string MegabytesPerSecond(double bytes_per_second) {
  const double mb = bytes_per_second / 1e6;
  return mb < 10 ? absl::StrFormat("%.2f", mb) : absl::StrFormat("%.0f", mb);
}

const char* const kMethods[] = {"mpi", "pipe", "threads"};

lesson::Text MethodHeader(const std::string& method) {
  if (method == "mpi") return lesson::Tr("MPI, 2 ranks");
  if (method == "pipe") return lesson::Tr("pipe, 2 processes");
  return lesson::Tr("2 threads");
}

// True if a warning with `code` concerns `mode` (or the whole run).
bool Affects(const lesson::RunConditions& conditions, const std::string& code,
             const std::string& mode) {
  for (const lesson::Warning& w : conditions.warnings()) {
    if (w.code == code &&
        (w.modes.empty() || std::find(w.modes.begin(), w.modes.end(), mode) != w.modes.end())) {
      return true;
    }
  }
  return false;
}

// On each host, the ranks that ran there against the CPUs they could use (what the ranks
// reported: mpirun may have bound each to a core of its own, or left them all unbound).
// This machine's cores alone would say nothing of a hostfile's machines, nor of ranks
// that mpirun bound.
void CheckRanksPerHost(const Figures& f, lesson::RunConditions& conditions) {
  for (const std::string& host : f.Hosts()) {
    int ranks = 0;
    for (const RankInfo& r : f.rank_infos) ranks += r.host == host;
    const int capacity = HostCapacity(f.rank_infos, host);
    if (ranks > capacity && !Affects(conditions, "fewer_cores", "ranks")) {
      conditions.Add({"fewer_cores",
                      lesson::Format("%d ranks ran on %s, where they could use %d core(s) between "
                                     "them: they took turns, so the speedup cannot show what the "
                                     "ranks can do.",
                                     ranks, host, capacity),
                      {"ranks"}});
    }
  }
}

void CheckPingPongCores(const Figures& f, lesson::RunConditions& conditions) {
  const int cores = f.pingpong_cores > 0 ? f.pingpong_cores : conditions.machine().usable_cores;
  if (f.pingpongs.empty() || cores >= 2) return;
  conditions.Add({"fewer_cores",
                  lesson::Format("Only %d usable core for the two ends of each ping-pong: they "
                                 "take turns on it, so every round trip waits for the scheduler "
                                 "to switch, and the times measure mostly that.",
                                 cores),
                  {"pingpong"}});
}

ModeResult Row(const std::string& name, int workers, const std::vector<ComputeSample>& samples) {
  ModeResult m;
  m.mode.name = name;
  m.mode.workers = workers;
  std::vector<double> seconds, cpu;
  for (const ComputeSample& s : samples) {
    m.samples.push_back(Sample{.seconds = s.seconds, .cpu_seconds = s.cpu_seconds, .result = s.sum});
    seconds.push_back(s.seconds);
    cpu.push_back(s.cpu_seconds);
  }
  if (!samples.empty()) {
    m.seconds = Summarize(seconds);
    m.cpu_seconds = Summarize(cpu).median;
  }
  return m;
}

}  // namespace

double Figures::IdealSpeedup() const {
  const int n = std::max(1, RankCount());
  if (jobs <= 0) return 1;
  const int most = (jobs + n - 1) / n;  // jobs of the busiest rank
  return static_cast<double>(jobs) / most;
}

double Figures::SlowestRankSeconds() const {
  const ComputeSample* m = MedianRun(ranks);
  return m == nullptr ? kNaN : m->slowest;
}

double Figures::FastestRankSeconds() const {
  const ComputeSample* m = MedianRun(ranks);
  return m == nullptr ? kNaN : m->fastest;
}

std::vector<std::string> Figures::Hosts() const {
  std::vector<std::string> hosts;
  for (const RankInfo& r : rank_infos) {
    if (std::find(hosts.begin(), hosts.end(), r.host) == hosts.end()) hosts.push_back(r.host);
  }
  return hosts;
}

const PingPong* Figures::Find(const std::string& method, int64_t bytes) const {
  for (const PingPong& p : pingpongs) {
    if (p.method == method && p.bytes == bytes) return &p;
  }
  return nullptr;
}

int64_t Figures::SmallestSize() const {
  int64_t smallest = 0;
  for (const PingPong& p : pingpongs) {
    if (smallest == 0 || p.bytes < smallest) smallest = p.bytes;
  }
  return smallest;
}

int64_t Figures::LargestSize() const {
  int64_t largest = 0;
  for (const PingPong& p : pingpongs) largest = std::max(largest, p.bytes);
  return largest;
}

std::vector<ModeResult> Rows(const Figures& f) {
  return {Row("single", 1, f.single), Row("ranks", std::max(1, f.RankCount()), f.ranks)};
}

Conclusion MpiConclusions(const Results& results, const Figures& f,
                          lesson::RunConditions& conditions) {
  const int n = f.RankCount();
  const double speedup = results.Speedup("ranks"), ideal = f.IdealSpeedup();
  // Ranks that can compute at once: no more than there are jobs to give them.
  const int parallel = std::min(n, f.jobs);
  if (parallel >= 2) {
    conditions.CheckWorkers(1, {"ranks"});  // only "was this machine busy?": cores per host
    CheckRanksPerHost(f, conditions);
    conditions.CheckSpeedup("ranks", speedup, parallel);
  }
  CheckPingPongCores(f, conditions);

  Conclusion c;
  const std::vector<std::string> hosts = f.Hosts();

  // 1. Ranks are processes: own pid, own address space, messages only.
  std::vector<std::string> pids;
  for (const RankInfo& r : f.rank_infos) pids.push_back(absl::StrFormat("%d", r.pid));
  if (n == 1) {
    c.notice.push_back(lesson::Format(
        "The rank was a process of its own (pid %s), started by mpirun (pid %d). With more "
        "ranks, each is another process with its own address space, and they share nothing: "
        "everything between them is a message.",
        absl::StrJoin(pids, ", "), f.mpirun_pid));
  } else if (f.lesson_pid != 0) {
    c.notice.push_back(lesson::Format(
        "The %d ranks were %d separate processes (pids %s), children of mpirun (pid %d), which "
        "this lesson (pid %d) started. Each has its own address space: nothing is shared, and "
        "rank 0 learned the others' partial sums only from the messages MPI_Reduce carried.",
        n, n, absl::StrJoin(pids, ", "), f.mpirun_pid, f.lesson_pid));
  } else {
    c.notice.push_back(lesson::Format(
        "The %d ranks were %d separate processes (pids %s), started by your mpirun. Each has "
        "its own address space: nothing is shared, and rank 0 learned the others' partial sums "
        "only from the messages MPI_Reduce carried.",
        n, n, absl::StrJoin(pids, ", ")));
  }

  // 2. The speed-up, said only as far as this run could show it.
  const std::optional<std::string> blocker = Blocker(conditions, {"ranks"});
  const std::string measured = absl::StrFormat("%d ranks %.2fx", n, speedup);
  if (parallel < 2) {
    c.notice.push_back(lesson::Format(
        "With %d rank(s) and %d job(s) at most one rank computes at a time, so there is no "
        "speedup to see (%s). The defaults (a rank per core, 24 jobs) show it.",
        n, f.jobs, measured));
  } else if (blocker && *blocker == "fewer_cores") {
    c.notice.push_back(lesson::Format(
        "This run cannot show ranks computing at once: a machine had more ranks than cores "
        "they could use, so they took turns there (%s). Give each rank a core of its own: "
        "fewer --ranks, no taskset; in a hostfile, slots=N with N at most the machine's cores.",
        measured));
  } else if (blocker) {
    c.notice.push_back(CannotShow(results.experiment(), *blocker,
                                  lesson::Tr("ranks computing at once on separate cores"),
                                  measured, conditions));
  } else if (speedup >= 0.85 * ideal) {
    c.notice.push_back(lesson::Format(
        "%d ranks did the work %.2fx faster than 1 rank, close to the %.2fx this split allows "
        "(%d jobs, at most %d per rank): separate processes, each on a core of its own, "
        "computing at the same time, as the tutorial's two processes did.",
        n, speedup, ideal, f.jobs, static_cast<int>(std::ceil(f.jobs / static_cast<double>(n)))));
  } else {
    c.notice.push_back(lesson::Format(
        "%d ranks measured %.2fx, below the %.2fx this split allows, though the machine looked "
        "quiet beforehand: in the median run the slowest rank computed for %.3f s, the fastest "
        "for %.3f s. Something else took cores during the run; run it again.",
        n, speedup, ideal, f.SlowestRankSeconds(), f.FastestRankSeconds()));
  }

  // 3. The same program across machines.
  if (hosts.size() > 1) {
    c.notice.push_back(lesson::Format(
        "This run spread the ranks over %d machines (%s): the same program, started on each by "
        "mpirun. Between machines the messages travel over the network instead of shared "
        "memory.",
        static_cast<int>(hosts.size()), absl::StrJoin(hosts, ", ")));
  } else {
    c.notice.push_back(lesson::Tr(
        "The same program runs across machines unchanged: list them in a hostfile and add "
        "--hostfile=FILE (efficiency/README.md shows one). mpirun starts the ranks there over "
        "ssh, and their messages travel over the network instead of shared memory."));
  }

  // 4. What a message costs, and what that means for splitting work.
  const int64_t small = f.SmallestSize(), large = f.LargestSize();
  const PingPong *mpi_small = f.Find("mpi", small), *pipe_small = f.Find("pipe", small),
                 *threads_small = f.Find("threads", small);
  const PingPong *mpi_large = f.Find("mpi", large), *pipe_large = f.Find("pipe", large),
                 *threads_large = f.Find("threads", large);
  if (mpi_small && pipe_small && threads_small && mpi_large && pipe_large && threads_large) {
    c.notice.push_back(lesson::Format(
        "One way, a message of %s took %s µs between two ranks (MPI), %s µs through a pipe "
        "between two processes and %s µs between two threads; messages of %s moved at %s, %s "
        "and %s MB/s.",
        SizeName(small), Micros(mpi_small->OneWaySeconds()), Micros(pipe_small->OneWaySeconds()),
        Micros(threads_small->OneWaySeconds()), SizeName(large),
        MegabytesPerSecond(mpi_large->BytesPerSecond()),
        MegabytesPerSecond(pipe_large->BytesPerSecond()),
        MegabytesPerSecond(threads_large->BytesPerSecond())));
    const double ratio = pipe_small->OneWaySeconds() / threads_small->OneWaySeconds();
    const double busy = conditions.machine().busy_cores_before;
    const bool quiet = busy < lesson::RunConditions::kBusyThreshold;
    if (!quiet && !Affects(conditions, "fewer_cores", "pingpong")) {
      c.notice.push_back(lesson::Format(
          "Other work was using %.2f core(s) before the run, so these times include waiting "
          "for a core, and comparing them says little: run it again when `uptime` shows a "
          "quiet machine.",
          busy));
    } else if (Affects(conditions, "fewer_cores", "pingpong")) {
      c.notice.push_back(lesson::Tr(
          "With one usable core these times mostly measure the scheduler switching between the "
          "two ends, not the messages: run it on two or more cores to see what sending costs."));
    } else if (ratio >= 2) {
      c.notice.push_back(lesson::Format(
          "That is 进程之间数据通信不方便, measured: a message between processes is copied out of "
          "one address space and into the other (a pipe through the kernel; MPI on one machine "
          "through shared memory both ranks map), while one thread writes it once where the "
          "other reads it. Here a small message through the pipe took %.0fx as long as between "
          "the threads.",
          ratio));
    } else {
      c.notice.push_back(lesson::Format(
          "This run did not show threads talking more cheaply than processes for small "
          "messages (pipe %s µs, threads %s µs): run it again on a quiet machine.",
          Micros(pipe_small->OneWaySeconds()), Micros(threads_small->OneWaySeconds())));
    }
    // MPI on one machine: the two ranks' hosts are the same.
    const size_t comma = mpi_small->hosts.find(',');
    const bool one_machine = comma == std::string::npos ||
                             mpi_small->hosts.substr(0, comma) == mpi_small->hosts.substr(comma + 1);
    if (one_machine && quiet && !Affects(conditions, "fewer_cores", "pingpong")) {
      const double mpi_vs_threads = mpi_small->OneWaySeconds() / threads_small->OneWaySeconds();
      if (mpi_vs_threads <= 1.1) {
        c.notice.push_back(lesson::Format(
            "Yet MPI between two ranks on this machine was as fast as the threads or faster "
            "(%s µs against %s µs): Open MPI maps shared memory into both ranks and polls it, "
            "as the threads poll theirs. Processes can talk fast; what is 不方便 is that "
            "something has to build that channel (here Open MPI did), and between machines "
            "there is no shared memory at all.",
            Micros(mpi_small->OneWaySeconds()), Micros(threads_small->OneWaySeconds())));
      } else {
        c.notice.push_back(lesson::Format(
            "MPI between two ranks on this machine took %.1fx the threads' time (%s µs against "
            "%s µs): its messages go through queues in shared memory that Open MPI maps into "
            "both ranks, with more bookkeeping than one flag; still far from the pipe's %s µs.",
            mpi_vs_threads, Micros(mpi_small->OneWaySeconds()),
            Micros(threads_small->OneWaySeconds()), Micros(pipe_small->OneWaySeconds())));
      }
    }
    const double single = results.Median("single");
    const double per_second = single > 0 ? static_cast<double>(f.iterations) / single : 0;
    const double compute = f.SlowestRankSeconds();
    if (parallel >= 2 && compute > 0 && per_second > 0) {
      // Each rank sent one 8-byte partial sum per run (MPI_Reduce).
      const PingPong* eight = f.Find("mpi", 8) != nullptr ? f.Find("mpi", 8) : mpi_small;
      c.notice.push_back(lesson::Format(
          "For splitting work: each rank computed for %.3f s and then sent one 8-byte partial "
          "sum, about %s µs: one part in %d of its time. A message of %s costs %s µs one way "
          "between ranks here, as long as %d iterations of this loop: splitting pays while "
          "each rank computes far longer between messages than they take.",
          compute, Micros(eight->OneWaySeconds()),
          static_cast<int64_t>(std::llround(compute / eight->OneWaySeconds())),
          SizeName(large), Micros(mpi_large->OneWaySeconds()),
          static_cast<int64_t>(std::llround(mpi_large->OneWaySeconds() * per_second))));
    }
    if (std::all_of(f.pingpongs.begin(), f.pingpongs.end(),
                    [](const PingPong& p) { return p.checked; })) {
      c.notice.push_back(lesson::Tr(
          "Every ping-pong came back byte for byte: the last reply of each size was compared "
          "with what was sent."));
    }
  }
  return c;
}

std::vector<std::string> PingPongTables(const Figures& f) {
  std::vector<int64_t> sizes;
  for (const PingPong& p : f.pingpongs) {
    if (std::find(sizes.begin(), sizes.end(), p.bytes) == sizes.end()) sizes.push_back(p.bytes);
  }
  std::sort(sizes.begin(), sizes.end());
  std::vector<std::string> lines;
  for (int kind = 0; kind < 2; ++kind) {
    std::vector<lesson::Table::Column> columns = {
        {kind == 0 ? lesson::Tr("one way, µs") : lesson::Tr("bandwidth, MB/s"),
         lesson::Table::kLeft}};
    for (const char* method : kMethods) {
      columns.push_back({MethodHeader(method), lesson::Table::kRight});
    }
    lesson::Table table(columns);
    for (int64_t bytes : sizes) {
      std::vector<std::string> row = {SizeName(bytes)};
      for (const char* method : kMethods) {
        const PingPong* p = f.Find(method, bytes);
        row.push_back(p == nullptr ? "-"
                      : kind == 0  ? Micros(p->OneWaySeconds())
                                   : MegabytesPerSecond(p->BytesPerSecond()));
      }
      table.AddRow(row);
    }
    if (kind == 1) lines.push_back("");  // a blank line between the two tables
    for (std::string& line : table.Lines()) lines.push_back(std::move(line));
  }
  return lines;
}

lesson::JsonObject Details(const Figures& f) {
  std::vector<lesson::JsonObject> ranks, communication;
  for (const RankInfo& r : f.rank_infos) {
    lesson::JsonObject o;
    o.Set("rank", r.rank)
        .Set("pid", static_cast<int64_t>(r.pid))
        .Set("ppid", static_cast<int64_t>(r.ppid))
        .Set("host", r.host)
        .Set("cores", r.cores)
        .Set("cpus", r.cpus)
        .Set("jobs", r.jobs);
    ranks.push_back(o);
  }
  for (const PingPong& p : f.pingpongs) {
    lesson::JsonObject o;
    o.Set("method", p.method)
        .Set("bytes", p.bytes)
        .Set("rounds", p.rounds)
        .Set("seconds", p.seconds)
        .Set("one_way_us", p.OneWaySeconds() * 1e6)
        .Set("megabytes_per_second", p.BytesPerSecond() / 1e6)
        .Set("checked", p.checked);
    if (!p.hosts.empty()) o.Set("hosts", p.hosts);
    communication.push_back(o);
  }
  // The sums as strings: a 64-bit sum does not fit a JSON number (a double) exactly.
  auto sums = [](const std::vector<ComputeSample>& samples) {
    std::vector<std::string> out;
    for (const ComputeSample& s : samples) out.push_back(absl::StrFormat("%d", s.sum));
    return out;
  };
  lesson::JsonObject d;
  d.Set("jobs", f.jobs)
      .Set("iterations", static_cast<int64_t>(f.iterations))
      .Set("checksum", absl::StrFormat("%d", ExpectedSum(f.jobs, f.iterations)))
      .Set("single_sums", sums(f.single))
      .Set("ranks_sums", sums(f.ranks))
      .Set("ideal_speedup", f.IdealSpeedup())
      .Set("slowest_rank_seconds", f.SlowestRankSeconds())
      .Set("fastest_rank_seconds", f.FastestRankSeconds())
      .Set("hosts", f.Hosts())
      .Set("lesson_pid", static_cast<int64_t>(f.lesson_pid))
      .Set("mpirun_pid", static_cast<int64_t>(f.mpirun_pid))
      .Set("ranks", ranks)
      .Set("communication", communication);
  return d;
}

}  // namespace efficiency::mpi

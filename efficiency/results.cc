#include "efficiency/results.h"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <thread>
#include <utility>

#include "absl/strings/str_format.h"
#include "common/lesson.h"

namespace efficiency {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string Bytes(double bytes) {
  if (std::fabs(bytes) >= 1 << 30) return absl::StrFormat("%.2f GiB", bytes / (1 << 30));
  if (std::fabs(bytes) >= 1 << 20) return absl::StrFormat("%.1f MiB", bytes / (1 << 20));
  if (std::fabs(bytes) >= 1 << 10) return absl::StrFormat("%.1f KiB", bytes / (1 << 10));
  return absl::StrFormat("%.0f B", bytes);
}

// Seconds with 3 significant figures, as a string.
std::string Secs(double s) {
  if (s >= 100) return absl::StrFormat("%.0f", s);
  if (s >= 10) return absl::StrFormat("%.1f", s);
  if (s >= 1) return absl::StrFormat("%.2f", s);
  if (s >= 0.001) return absl::StrFormat("%.4f", s);
  return absl::StrFormat("%.6f", s);
}

}  // namespace

double LoadAverage() {
  std::FILE* file = std::fopen("/proc/loadavg", "r");
  if (file == nullptr) return -1;
  double one_minute = -1;
  if (std::fscanf(file, "%lf", &one_minute) != 1) one_minute = -1;
  std::fclose(file);
  return one_minute;
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
  const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  return static_cast<double>(busy1 - busy0) / static_cast<double>(total1 - total0) *
         static_cast<double>(cpus);
}

int UsableCores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  return CPU_COUNT(&set);
}

Results::Results(std::string experiment, std::string work)
    : experiment_(std::move(experiment)),
      work_(std::move(work)),
      load_before_(LoadAverage()),
      busy_before_(BusyCores(std::chrono::milliseconds(250))) {}

void Results::Add(const std::vector<ModeResult>& measured) {
  for (const ModeResult& m : measured) {
    std::vector<double> samples(m.samples.size());
    for (size_t i = 0; i < samples.size(); ++i) samples[i] = m.samples[i].seconds;
    repeats_ = std::max(repeats_, static_cast<int>(samples.size()));
    rows_.push_back(ResultRow{.mode = m.mode.name,
                              .workers = m.mode.workers,
                              .seconds = m.seconds,
                              .samples = std::move(samples),
                              .cpu_seconds = m.cpu_seconds,
                              .baseline = m.mode.baseline,
                              .peak_rss_bytes = m.peak_rss_bytes,
                              .bytes_per_worker = std::nullopt,
                              .note = ""});
  }
}

void Results::SetMemoryBaseline(int64_t idle_peak_rss_bytes,
                                const std::vector<std::string>& modes, int min_workers) {
  for (ResultRow& row : rows_) {
    if (!row.peak_rss_bytes || row.workers < min_workers) continue;
    for (const std::string& mode : modes) {
      if (row.mode == mode) {
        row.bytes_per_worker =
            static_cast<double>(*row.peak_rss_bytes - idle_peak_rss_bytes) / row.workers;
      }
    }
  }
  extra_.Set("idle_child_peak_rss_bytes", idle_peak_rss_bytes);
}

void Results::Scale(const std::string& mode, double factor, const std::string& note) {
  for (ResultRow& row : rows_) {
    if (row.mode != mode) continue;
    row.seconds.median *= factor;
    row.seconds.min *= factor;
    row.seconds.max *= factor;
    for (double& s : row.samples) s *= factor;
    row.cpu_seconds *= factor;
    row.note = note;
  }
}

void Results::Note(const std::string& mode, const std::string& note) {
  for (ResultRow& row : rows_) {
    if (row.mode == mode) row.note = note;
  }
}

double Results::Median(const std::string& mode) const {
  for (const ResultRow& row : rows_) {
    if (row.mode == mode) return row.seconds.median;
  }
  return kNaN;
}

std::vector<ResultRow> Results::Rows() const {
  std::vector<ResultRow> rows = rows_;
  for (ResultRow& row : rows) {
    const double base = Median(row.baseline);
    row.speedup = (std::isnan(base) || row.seconds.median <= 0) ? kNaN : base / row.seconds.median;
  }
  return rows;
}

double Results::Speedup(const std::string& mode) const {
  for (const ResultRow& row : Rows()) {
    if (row.mode == mode) return row.speedup;
  }
  return kNaN;
}

void Results::RecordLoadAfter() { load_after_ = LoadAverage(); }

void Results::PrintTable() const {
  const std::vector<ResultRow> rows = Rows();
  bool memory = false;
  for (const ResultRow& row : rows) memory = memory || row.peak_rss_bytes.has_value();
  std::string header = absl::StrFormat("%-22s %7s %10s %19s %8s %6s", "mode", "workers",
                                       "median s", "min-max s", "speedup", "cores");
  if (memory) header += absl::StrFormat(" %11s %11s", "peak RSS", "per worker");
  lesson::WriteLine(header);
  lesson::WriteLine(std::string(header.size(), '-'));
  for (const ResultRow& row : rows) {
    std::string speedup = std::isnan(row.speedup) ? "-" : absl::StrFormat("%.2fx", row.speedup);
    if (!std::isnan(row.speedup) && row.baseline != "single") speedup += "*";
    const double cores = row.seconds.median > 0 ? row.cpu_seconds / row.seconds.median : 0;
    std::string line = absl::StrFormat(
        "%-22s %7d %10s %19s %8s %6.2f", row.mode, row.workers, Secs(row.seconds.median),
        absl::StrFormat("%s-%s", Secs(row.seconds.min), Secs(row.seconds.max)), speedup, cores);
    if (memory) {
      line += absl::StrFormat(" %11s %11s",
                              row.peak_rss_bytes ? Bytes(static_cast<double>(*row.peak_rss_bytes)) : "-",
                              row.bytes_per_worker ? Bytes(*row.bytes_per_worker) : "-");
    }
    lesson::WriteLine(line);
  }
  lesson::Print("(median of %d runs each; speedup = baseline median / this median; cores = CPU "
                "seconds / wall seconds)", repeats_);
  std::vector<std::string> other_baselines;
  for (const ResultRow& row : rows) {
    if (row.baseline != "single" &&
        std::find(other_baselines.begin(), other_baselines.end(), row.baseline) ==
            other_baselines.end()) {
      other_baselines.push_back(row.baseline);
    }
  }
  for (const std::string& baseline : other_baselines) {
    lesson::Print("(* = speedup over %s, not over single)", baseline);
  }
  for (const ResultRow& row : rows) {
    if (!row.note.empty()) lesson::Print("%s: %s", row.mode, row.note);
  }
  lesson::Print("Machine: %d usable cores; before the run %.2f cores were busy (0.25 s of "
                "/proc/stat), load average (1 min) %.2f", UsableCores(), busy_before_,
                load_before_);
  if (busy_before_ >= 0.25) {
    lesson::Print("Note: other work was running: parallel modes get only the cores left free, "
                  "so their speedups are lower than on an idle machine.");
  }
}

std::string Results::ToJson() const {
  std::vector<lesson::JsonObject> results;
  for (const ResultRow& row : Rows()) {
    lesson::JsonObject o;
    o.Set("mode", row.mode)
        .Set("workers", row.workers)
        .Set("seconds", row.seconds.median)
        .Set("min", row.seconds.min)
        .Set("max", row.seconds.max)
        .Set("speedup", row.speedup)
        .Set("samples", row.samples)
        .Set("cpu_seconds", row.cpu_seconds)
        .Set("cores_busy", row.seconds.median > 0 ? row.cpu_seconds / row.seconds.median : kNaN)
        .Set("baseline", row.baseline);
    if (row.peak_rss_bytes) o.Set("peak_rss_bytes", *row.peak_rss_bytes);
    if (row.bytes_per_worker) o.Set("bytes_per_worker", *row.bytes_per_worker);
    if (!row.note.empty()) o.Set("note", row.note);
    results.push_back(std::move(o));
  }
  lesson::JsonObject out;
  out.Set("experiment", experiment_)
      .Set("work", work_)
      .Set("results", results)
      .Set("cores", UsableCores())
      .Set("repeats", repeats_)
      .Set("busy_cores_before", busy_before_)
      .Set("load_average_before", load_before_);
  if (load_after_ >= 0) out.Set("load_average_after", load_after_);
  if (extra_.ToString() != "{}") out.Set("details", extra_);
  return out.ToString();
}

void Results::PrintJson() const { lesson::WriteLine(ToJson()); }

SampleCallback PrintEachSample(int repeats) {
  return [repeats](const Mode& mode, int repeat, const Sample& sample) {
    lesson::Print("  run %d/%d  %-22s %9.4f s  (cores busy %.2f)", repeat + 1, repeats, mode.name,
                  sample.seconds, sample.seconds > 0 ? sample.cpu_seconds / sample.seconds : 0.0);
  };
}

void ExitWithError(const std::string& experiment, const absl::Status& status) {
  std::string line = absl::StrFormat("%s: %s\n", experiment, status.ToString());
  (void)!::write(STDERR_FILENO, line.data(), line.size());
  std::exit(1);
}

}  // namespace efficiency

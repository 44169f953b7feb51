#include "efficiency/results.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "absl/strings/str_format.h"
#include "common/lesson.h"
#include "common/machine.h"
#include "common/table.h"

namespace efficiency {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Seconds with 3-4 significant figures, as a string.
std::string Secs(double s) {
  if (s >= 100) return absl::StrFormat("%.0f", s);
  if (s >= 10) return absl::StrFormat("%.1f", s);
  if (s >= 1) return absl::StrFormat("%.2f", s);
  if (s >= 0.001) return absl::StrFormat("%.4f", s);
  return absl::StrFormat("%.6f", s);
}

}  // namespace

std::string FormatBytes(double bytes) {
  if (std::fabs(bytes) >= 1 << 30) return absl::StrFormat("%.2f GiB", bytes / (1 << 30));
  if (std::fabs(bytes) >= 1 << 20) return absl::StrFormat("%.1f MiB", bytes / (1 << 20));
  if (std::fabs(bytes) >= 1 << 10) return absl::StrFormat("%.1f KiB", bytes / (1 << 10));
  return absl::StrFormat("%.0f B", bytes);
}

double ResultRow::cores_busy() const {
  return seconds.median > 0 ? cpu_seconds / seconds.median : 0;
}

Results::Results(std::string experiment, lesson::Bilingual work)
    : experiment_(std::move(experiment)), work_(std::move(work)),
      load_before_(lesson::LoadAverage()) {}

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
    if (std::find(modes.begin(), modes.end(), row.mode) == modes.end()) continue;
    row.bytes_per_worker =
        static_cast<double>(*row.peak_rss_bytes - idle_peak_rss_bytes) / row.workers;
  }
  details_.Set("idle_child_peak_rss_bytes", idle_peak_rss_bytes);
}

void Results::Scale(const std::string& mode, double factor, const lesson::Text& note) {
  for (ResultRow& row : rows_) {
    if (row.mode != mode) continue;
    row.seconds.median *= factor;
    row.seconds.min *= factor;
    row.seconds.max *= factor;
    for (double& s : row.samples) s *= factor;
    row.cpu_seconds *= factor;
    row.note = note.str();
  }
}

void Results::Note(const std::string& mode, const lesson::Text& note) {
  for (ResultRow& row : rows_) {
    if (row.mode == mode) row.note = note.str();
  }
}

void Results::RecordLoadAfter() { load_after_ = lesson::LoadAverage(); }

std::vector<ResultRow> Results::Rows() const {
  std::vector<ResultRow> rows = rows_;
  for (ResultRow& row : rows) {
    const double base = Median(row.baseline);
    row.speedup = (std::isnan(base) || row.seconds.median <= 0) ? kNaN : base / row.seconds.median;
  }
  return rows;
}

std::optional<ResultRow> Results::Row(const std::string& mode) const {
  for (const ResultRow& row : Rows()) {
    if (row.mode == mode) return row;
  }
  return std::nullopt;
}

double Results::Median(const std::string& mode) const {
  for (const ResultRow& row : rows_) {
    if (row.mode == mode) return row.seconds.median;
  }
  return kNaN;
}

double Results::Speedup(const std::string& mode) const {
  const std::optional<ResultRow> row = Row(mode);
  return row ? row->speedup : kNaN;
}

double Results::CoresBusy(const std::string& mode) const {
  const std::optional<ResultRow> row = Row(mode);
  return row ? row->cores_busy() : kNaN;
}

std::vector<std::string> Results::TableLines(const lesson::RunConditions& conditions) const {
  const std::vector<ResultRow> rows = Rows();
  bool memory = false, marked = false;
  for (const ResultRow& row : rows) memory = memory || row.peak_rss_bytes.has_value();
  std::vector<lesson::Table::Column> columns = {
      {lesson::Tr("mode"), lesson::Table::kLeft},
      {lesson::Tr("workers"), lesson::Table::kRight},
      {lesson::Tr("median s"), lesson::Table::kRight},
      {lesson::Tr("min-max s"), lesson::Table::kRight},
      {lesson::Tr("speedup"), lesson::Table::kRight},
      {lesson::Tr("cores"), lesson::Table::kRight},
  };
  if (memory) {
    columns.push_back({lesson::Tr("peak RSS"), lesson::Table::kRight});
    columns.push_back({lesson::Tr("per worker"), lesson::Table::kRight});
  }
  lesson::Table table(std::move(columns));
  for (const ResultRow& row : rows) {
    std::string speedup = std::isnan(row.speedup) ? "-" : absl::StrFormat("%.2fx", row.speedup);
    if (!std::isnan(row.speedup) && row.baseline != "single") speedup += "*";
    std::string mode = row.mode;
    if (!conditions.Clean(row.mode)) {
      mode += " (!)";
      marked = true;
    }
    std::vector<std::string> cells = {
        mode,
        absl::StrFormat("%d", row.workers),
        Secs(row.seconds.median),
        absl::StrFormat("%s-%s", Secs(row.seconds.min), Secs(row.seconds.max)),
        speedup,
        absl::StrFormat("%.2f", row.cores_busy())};
    if (memory) {
      cells.push_back(row.peak_rss_bytes ? FormatBytes(static_cast<double>(*row.peak_rss_bytes)) : "-");
      cells.push_back(row.bytes_per_worker ? FormatBytes(*row.bytes_per_worker) : "-");
    }
    table.AddRow(std::move(cells));
  }
  std::vector<std::string> lines = table.Lines();
  lines.push_back(lesson::Format("(median of %d runs each; speedup = baseline median / this "
                                 "median; cores = CPU seconds / wall seconds)",
                                 repeats_).str());
  std::vector<std::string> other_baselines;
  for (const ResultRow& row : rows) {
    if (row.baseline != "single" &&
        std::find(other_baselines.begin(), other_baselines.end(), row.baseline) ==
            other_baselines.end()) {
      other_baselines.push_back(row.baseline);
    }
  }
  for (const std::string& baseline : other_baselines) {
    lines.push_back(lesson::Format("(* = speedup over %s, not over single)", baseline).str());
  }
  if (marked) {
    lines.push_back(lesson::Tr("((!) = a warning below concerns this row)").str());
  }
  for (const ResultRow& row : rows) {
    if (!row.note.empty()) lines.push_back(absl::StrFormat("%s: %s", row.mode, row.note));
  }
  const lesson::Machine& machine = conditions.machine();
  lines.push_back(lesson::Format("Machine: %s cores; before the run %.2f cores were busy "
                                 "(0.25 s of /proc/stat), load average (1 min) %.2f; %s build",
                                 machine.cores_description, machine.busy_cores_before,
                                 load_before_,
                                 machine.optimised ? lesson::Tr("optimised").str()
                                                   : lesson::Tr("unoptimised").str())
                      .str());
  return lines;
}

lesson::JsonObject Results::ToJson(const lesson::RunConditions& conditions) const {
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
        .Set("cores_busy", row.seconds.median > 0 ? row.cores_busy() : kNaN)
        .Set("baseline", row.baseline);
    if (row.peak_rss_bytes) o.Set("peak_rss_bytes", *row.peak_rss_bytes);
    if (row.bytes_per_worker) o.Set("bytes_per_worker", *row.bytes_per_worker);
    if (!row.note.empty()) o.Set("note", row.note);
    results.push_back(std::move(o));
  }
  const lesson::Machine& machine = conditions.machine();
  lesson::JsonObject out;
  out.Set("experiment", experiment_)
      .Set("work", work().str())
      .Set("work_in", lesson::JsonObject()
                          .Set("en", work_.english.str())
                          .Set("zh", work_.chinese.str()))
      .Set("results", results)
      .Set("warnings", conditions.ToJson())
      .Set("cores", machine.usable_cores)
      .Set("cores_description", machine.cores_description)
      .Set("optimised", machine.optimised)
      .Set("repeats", repeats_)
      .Set("busy_cores_before", machine.busy_cores_before)
      .Set("load_average_before", load_before_);
  if (load_after_ >= 0) out.Set("load_average_after", load_after_);
  if (details_.ToString() != "{}") out.Set("details", details_);
  return out;
}

}  // namespace efficiency

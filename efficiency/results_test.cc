#include "efficiency/results.h"

#include <cmath>
#include <string>
#include <vector>

#include "efficiency/json_reader.h"
#include "gtest/gtest.h"

namespace efficiency {
namespace {

ModeResult Row(std::string name, int workers, std::vector<double> seconds,
               std::string baseline = "single") {
  ModeResult r;
  r.mode.name = name;
  r.mode.workers = workers;
  r.mode.baseline = baseline;
  for (double s : seconds) r.samples.push_back(Sample{.seconds = s, .cpu_seconds = s});
  r.seconds = Summarize(seconds);
  r.cpu_seconds = r.seconds.median;
  return r;
}

// Speedup = the baseline's median / this median, each row against its own baseline.
TEST(ResultsTest, SpeedupsAgainstBaselines) {
  Results results("x", "work");
  results.Add({Row("single", 1, {2.0, 2.2, 1.8}), Row("threads", 2, {1.0, 1.1, 0.9}),
               Row("items_single", 1, {3.0}, "items_single"),
               Row("items_tbb", 2, {1.0}, "items_single"), Row("orphan", 1, {1.0}, "missing")});
  EXPECT_DOUBLE_EQ(results.Speedup("single"), 1.0);
  EXPECT_DOUBLE_EQ(results.Speedup("threads"), 2.0);
  EXPECT_DOUBLE_EQ(results.Speedup("items_tbb"), 3.0);
  EXPECT_TRUE(std::isnan(results.Speedup("orphan")));
}

// The JSON has the contract's fields, speedups included, and null for no baseline.
TEST(ResultsTest, JsonHasTheContractFields) {
  Results results("cpu_bound", "2 jobs");
  results.Add({Row("single", 1, {2.0, 3.0, 1.0}), Row("threads", 2, {1.0}),
               Row("orphan", 1, {1.0}, "missing")});
  results.extra().Set("checksum", "42");
  auto json = efficiency_test::ParseJson(results.ToJson());
  ASSERT_TRUE(json.ok()) << json.status() << results.ToJson();
  EXPECT_EQ(json->at("experiment").string(), "cpu_bound");
  EXPECT_EQ(json->at("work").string(), "2 jobs");
  EXPECT_EQ(json->at("details").at("checksum").string(), "42");
  const auto& rows = json->at("results").items();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].at("mode").string(), "single");
  EXPECT_EQ(rows[0].at("workers").number(), 1);
  EXPECT_EQ(rows[0].at("seconds").number(), 2.0);
  EXPECT_EQ(rows[0].at("min").number(), 1.0);
  EXPECT_EQ(rows[0].at("max").number(), 3.0);
  EXPECT_EQ(rows[0].at("samples").items().size(), 3u);
  EXPECT_EQ(rows[1].at("speedup").number(), 2.0);
  EXPECT_TRUE(rows[2].at("speedup").is_null());
}

// Memory per worker is the peak above the idle baseline, per worker, only where asked and
// only with enough workers for the figure to mean something.
TEST(ResultsTest, MemoryPerWorker) {
  ModeResult threads = Row("threads", 100, {1.0});
  threads.peak_rss_bytes = 3'000'000;
  ModeResult processes = Row("processes", 100, {1.0});
  processes.peak_rss_bytes = 3'000'000;
  ModeResult few = Row("coroutines", 2, {1.0});
  few.peak_rss_bytes = 3'000'000;
  Results results("io_bound", "work");
  results.Add({threads, processes, few});
  results.SetMemoryBaseline(2'000'000, {"threads", "coroutines"}, /*min_workers=*/100);
  const std::vector<ResultRow> rows = results.Rows();
  ASSERT_TRUE(rows[0].bytes_per_worker.has_value());
  EXPECT_DOUBLE_EQ(*rows[0].bytes_per_worker, 10'000);
  EXPECT_FALSE(rows[1].bytes_per_worker.has_value());  // not asked for
  EXPECT_FALSE(rows[2].bytes_per_worker.has_value());  // too few workers to say
}

// Scaling a sampled baseline multiplies its times and says so.
TEST(ResultsTest, ScaleMultipliesAndNotes) {
  Results results("io_bound", "work");
  results.Add({Row("single", 1, {1.0, 2.0}), Row("threads", 100, {0.5})});
  results.Scale("single", 10, "sampled");
  EXPECT_DOUBLE_EQ(results.Median("single"), 15.0);
  EXPECT_DOUBLE_EQ(results.Speedup("threads"), 30.0);
  EXPECT_EQ(results.Rows()[0].note, "sampled");
}

}  // namespace
}  // namespace efficiency

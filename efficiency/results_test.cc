#include "efficiency/results.h"

#include <cmath>
#include <string>
#include <vector>

#include "common/i18n.h"
#include "common/message.h"
#include "common/run_conditions.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

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

// Two jobs on one usable core of two: the threads row carries a fewer_cores warning.
struct OneUsableCore {
  OneUsableCore() {
    results.Add({Row("single", 1, {2.0}), Row("threads", 2, {2.0})});
    conditions.CheckWorkers(2, {"threads"});
  }
  Results results{"cpu_bound", lesson::InEachLanguage([] { return lesson::Verbatim("2 jobs"); })};
  lesson::RunConditions conditions{{.usable_cores = 1, .online_cores = 2,
                                    .cores_description = "2 online, 1 usable",
                                    .busy_cores_before = 0, .optimised = true}};
};

lesson::RunConditions QuietTwoCores() {
  return lesson::RunConditions({.usable_cores = 2, .online_cores = 2,
                                .cores_description = "2 online, 2 usable",
                                .busy_cores_before = 0, .optimised = true});
}

// Speedup = the baseline's median / this median, each row against its own baseline.
TEST(ResultsTest, SpeedupsAgainstBaselines) {
  Results results("x", lesson::InEachLanguage([] { return lesson::Verbatim("work"); }));
  results.Add({Row("single", 1, {2.0, 2.2, 1.8}), Row("threads", 2, {1.0, 1.1, 0.9}),
               Row("items_single", 1, {3.0}, "items_single"),
               Row("items_tbb", 2, {1.0}, "items_single"), Row("orphan", 1, {1.0}, "missing")});
  EXPECT_DOUBLE_EQ(results.Speedup("single"), 1.0);
  EXPECT_DOUBLE_EQ(results.Speedup("threads"), 2.0);
  EXPECT_DOUBLE_EQ(results.Speedup("items_tbb"), 3.0);
  EXPECT_TRUE(std::isnan(results.Speedup("orphan")));
  EXPECT_DOUBLE_EQ(results.CoresBusy("threads"), 1.0);  // cpu = wall in Row()
}

// "work" is in the reader's language, "work_in" in both, whichever the reader's is.
TEST(ResultsTest, JsonHasTheWorkInEachLanguage) {
  const lesson::Language reader = lesson::CurrentLanguage();
  Results results("cpu_bound", lesson::InEachLanguage([] {
    return lesson::Verbatim(lesson::Chinese() ? "2 个任务" : "2 jobs");
  }));
  results.Add({Row("single", 1, {1.0})});
  for (lesson::Language language : {lesson::Language::kEnglish, lesson::Language::kChinese}) {
    lesson::SetLanguage(language);
    const nlohmann::json json =
        nlohmann::json::parse(results.ToJson(QuietTwoCores()).ToString(), nullptr, false);
    ASSERT_TRUE(json.is_object());
    EXPECT_EQ(json.at("work"), language == lesson::Language::kChinese ? "2 个任务" : "2 jobs");
    EXPECT_EQ(json.at("work_in"), nlohmann::json({{"en", "2 jobs"}, {"zh", "2 个任务"}}));
  }
  lesson::SetLanguage(reader);
}

// The JSON has the contract's fields, speedups included, null for no baseline, and the
// run's warnings (an empty list when there are none).
TEST(ResultsTest, JsonHasTheContractFields) {
  Results results("cpu_bound", lesson::InEachLanguage([] { return lesson::Verbatim("2 jobs"); }));
  results.Add({Row("single", 1, {2.0, 3.0, 1.0}), Row("threads", 2, {1.0}),
               Row("orphan", 1, {1.0}, "missing")});
  results.details().Set("checksum", "42");
  lesson::RunConditions conditions = QuietTwoCores();
  const std::string text = results.ToJson(conditions).ToString();
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  ASSERT_TRUE(json.is_object()) << text;
  EXPECT_EQ(json.at("experiment"), "cpu_bound");
  EXPECT_EQ(json.at("work"), "2 jobs");
  EXPECT_EQ(json.at("details").at("checksum"), "42");
  EXPECT_EQ(json.at("warnings"), nlohmann::json::array());
  EXPECT_EQ(json.at("cores"), 2);
  EXPECT_EQ(json.at("optimised"), true);
  const nlohmann::json& rows = json.at("results");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].at("mode"), "single");
  EXPECT_EQ(rows[0].at("workers"), 1);
  EXPECT_EQ(rows[0].at("seconds"), 2.0);
  EXPECT_EQ(rows[0].at("min"), 1.0);
  EXPECT_EQ(rows[0].at("max"), 3.0);
  EXPECT_EQ(rows[0].at("samples").size(), 3u);
  EXPECT_EQ(rows[1].at("speedup"), 2.0);
  EXPECT_TRUE(rows[2].at("speedup").is_null());
}

// A warning lands in the JSON with its code and the rows it concerns.
TEST(ResultsTest, JsonCarriesWarnings) {
  const OneUsableCore run;
  const nlohmann::json json = nlohmann::json::parse(run.results.ToJson(run.conditions).ToString());
  ASSERT_EQ(json.at("warnings").size(), 1u);
  EXPECT_EQ(json.at("warnings")[0].at("code"), "fewer_cores");
  EXPECT_EQ(json.at("warnings")[0].at("modes"), nlohmann::json::array({"threads"}));
}

// The table marks the rows a warning concerns, and says what the mark means.
TEST(ResultsTest, TableMarksAffectedRows) {
  const OneUsableCore run;
  const std::vector<std::string> lines = run.results.TableLines(run.conditions);
  ASSERT_GE(lines.size(), 4u);
  EXPECT_EQ(lines[2].rfind("single ", 0), 0u) << lines[2];
  EXPECT_EQ(lines[3].rfind("threads (!)", 0), 0u) << lines[3];
  bool legend = false;
  for (const std::string& line : lines) legend = legend || line.rfind("((!) = ", 0) == 0;
  EXPECT_TRUE(legend);
}

// Every row of the table is as wide as the header (padded by display width).
TEST(ResultsTest, TableColumnsAlign) {
  Results results("io_bound", lesson::InEachLanguage([] { return lesson::Verbatim("work"); }));
  ModeResult threads = Row("threads", 100, {1.0});
  threads.peak_rss_bytes = 3'000'000;
  results.Add({Row("single", 1, {123.0}), threads});
  lesson::RunConditions conditions = QuietTwoCores();
  const std::vector<std::string> lines = results.TableLines(conditions);
  EXPECT_EQ(lines[0].size(), lines[1].size());  // header and rule
  EXPECT_EQ(lines[2].size(), lines[3].size());
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
  Results results("io_bound", lesson::InEachLanguage([] { return lesson::Verbatim("work"); }));
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
  Results results("io_bound", lesson::InEachLanguage([] { return lesson::Verbatim("work"); }));
  results.Add({Row("single", 1, {1.0, 2.0}), Row("threads", 100, {0.5})});
  results.Scale("single", 10, lesson::Verbatim("sampled"));
  EXPECT_DOUBLE_EQ(results.Median("single"), 15.0);
  EXPECT_DOUBLE_EQ(results.Speedup("threads"), 30.0);
  EXPECT_EQ(results.Rows()[0].note, "sampled");
}

TEST(FormatBytesTest, PicksAUnit) {
  EXPECT_EQ(FormatBytes(332), "332 B");
  EXPECT_EQ(FormatBytes(9113), "8.9 KiB");
  EXPECT_EQ(FormatBytes(11.2 * 1048576), "11.2 MiB");
}

}  // namespace
}  // namespace efficiency

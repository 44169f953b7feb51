#include "efficiency/experiment_testing.h"

#include <cmath>

#include "absl/time/time.h"
#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency_test {

lesson::RunOptions ExperimentOptions() {
  lesson::RunOptions options;
  options.timeout = absl::Seconds(240);  // sanitizer builds are slow; nothing should hang
  return options;
}

lesson::ProgramResult RunExperiment(const std::string& binary, std::vector<std::string> flags) {
  return lesson::testing::RunLesson(binary, flags, ExperimentOptions());
}

Json RunJson(const std::string& binary, std::vector<std::string> flags) {
  flags.push_back("--json");
  lesson::ProgramResult r = RunExperiment(binary, flags);
  EXPECT_THAT(r, RanCleanly());
  // Strict: the whole of stdout is one JSON value (parse() refuses anything after it).
  Json json = Json::parse(r.stdout_text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(json.is_discarded()) << "stdout is not one JSON object:\n" << r.stdout_text;
  EXPECT_TRUE(json.is_object()) << r.stdout_text;
  return json.is_object() ? json : Json::object();
}

trace_reading::Trace RunTraced(const std::string& binary, std::vector<std::string> flags) {
  // TempDir() ends with a '/'; "efficiency/gil" writes gil_trace.json.
  const std::string path =
      ::testing::TempDir() + binary.substr(binary.find_last_of('/') + 1) + "_trace.json";
  flags.push_back("--trace=" + path);
  EXPECT_THAT(RunExperiment(binary, flags), RanCleanly());
  return trace_reading::Read(path);
}

Json RowOf(const Json& json, const std::string& mode) {
  if (json.contains("results")) {
    for (const Json& row : json["results"]) {
      if (row.value("mode", "") == mode) return row;
    }
  }
  ADD_FAILURE() << "no row for mode " << mode;
  return Json::object();
}

std::vector<std::string> WarningCodes(const Json& json) {
  std::vector<std::string> codes;
  if (json.contains("warnings")) {
    for (const Json& w : json["warnings"]) codes.push_back(w.value("code", ""));
  }
  return codes;
}

void ExpectContract(const Json& json, const std::string& experiment,
                    const std::vector<std::string>& modes) {
  ASSERT_TRUE(json.is_object());
  EXPECT_EQ(json.value("experiment", ""), experiment);
  ASSERT_TRUE(json.contains("work") && json["work"].is_string());
  EXPECT_FALSE(json["work"].get<std::string>().empty());
  // The work in both languages, for the report's two READMEs; "work" is one of them.
  ASSERT_TRUE(json.contains("work_in") && json["work_in"].is_object()) << json;
  const Json& work_in = json["work_in"];
  ASSERT_TRUE(work_in.contains("en") && work_in["en"].is_string()) << work_in;
  ASSERT_TRUE(work_in.contains("zh") && work_in["zh"].is_string()) << work_in;
  EXPECT_NE(work_in["en"], work_in["zh"]) << "the work's message has no Chinese translation";
  EXPECT_TRUE(json["work"] == work_in["en"] || json["work"] == work_in["zh"]) << json;
  ASSERT_TRUE(json.contains("warnings") && json["warnings"].is_array());
  for (const Json& w : json["warnings"]) {
    EXPECT_TRUE(w.contains("code") && w["code"].is_string()) << w;
    EXPECT_TRUE(w.contains("message") && w["message"].is_string()) << w;
    EXPECT_TRUE(w.contains("modes") && w["modes"].is_array()) << w;
  }
  ASSERT_TRUE(json.contains("results") && json["results"].is_array());
  std::vector<std::string> seen;
  for (const Json& row : json["results"]) {
    for (const char* key : {"mode", "workers", "seconds", "min", "max", "speedup"}) {
      ASSERT_TRUE(row.contains(key)) << key << " in " << row;
    }
    const std::string mode = row["mode"];
    seen.push_back(mode);
    ASSERT_TRUE(row["workers"].is_number_integer()) << mode;
    EXPECT_GE(row["workers"].get<int>(), 1) << mode;
    const double seconds = row["seconds"];
    EXPECT_GT(seconds, 0) << mode;
    EXPECT_LE(row["min"].get<double>(), seconds) << mode;
    EXPECT_GE(row["max"].get<double>(), seconds) << mode;
    // speedup = baseline median / this median, as the contract says.
    const std::string baseline = row.value("baseline", "single");
    const double base = RowOf(json, baseline).value("seconds", 0.0);
    ASSERT_TRUE(row["speedup"].is_number()) << mode;
    EXPECT_NEAR(row["speedup"].get<double>(), base / seconds, 1e-6 * base / seconds) << mode;
  }
  EXPECT_EQ(seen, modes);
}

}  // namespace efficiency_test

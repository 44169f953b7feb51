#include "efficiency/experiment_testing.h"

#include <cmath>

#include "absl/time/time.h"
#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency_test {

using testing::HasSubstr;

namespace {

lesson::RunOptions Options() {
  lesson::RunOptions options;
  options.timeout = absl::Seconds(240);  // sanitizer builds are slow; nothing should hang
  return options;
}

}  // namespace

lesson::ProgramResult RunExperiment(const std::string& binary, std::vector<std::string> flags) {
  return lesson::testing::RunLesson(binary, flags, Options());
}

JsonValue RunJson(const std::string& binary, std::vector<std::string> flags) {
  flags.push_back("--json");
  lesson::ProgramResult r = RunExperiment(binary, flags);
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.leftover_processes, 0);
  absl::StatusOr<JsonValue> json = ParseJson(r.stdout_text);
  EXPECT_TRUE(json.ok()) << json.status() << "\nstdout:\n" << r.stdout_text;
  return json.ok() ? *json : JsonValue();
}

const JsonValue& RowOf(const JsonValue& json, const std::string& mode) {
  static const JsonValue kNull;
  if (!json.has("results")) return kNull;
  for (const JsonValue& row : json.at("results").items()) {
    if (row.at("mode").string() == mode) return row;
  }
  ADD_FAILURE() << "no row for mode " << mode;
  return kNull;
}

void ExpectContract(const JsonValue& json, const std::string& experiment,
                    const std::vector<std::string>& modes) {
  ASSERT_TRUE(json.is_object());
  ASSERT_TRUE(json.has("experiment"));
  EXPECT_EQ(json.at("experiment").string(), experiment);
  ASSERT_TRUE(json.has("work"));
  EXPECT_FALSE(json.at("work").string().empty());
  ASSERT_TRUE(json.has("results"));
  const JsonValue::Array& rows = json.at("results").items();
  std::vector<std::string> seen;
  for (const JsonValue& row : rows) {
    for (const char* key : {"mode", "workers", "seconds", "min", "max", "speedup"}) {
      ASSERT_TRUE(row.has(key)) << key;
    }
    const std::string mode = row.at("mode").string();
    seen.push_back(mode);
    EXPECT_GE(row.at("workers").number(), 1) << mode;
    EXPECT_EQ(row.at("workers").number(), std::floor(row.at("workers").number())) << mode;
    const double seconds = row.at("seconds").number();
    EXPECT_GT(seconds, 0) << mode;
    EXPECT_LE(row.at("min").number(), seconds) << mode;
    EXPECT_GE(row.at("max").number(), seconds) << mode;
    // speedup = baseline median / this median, as the contract says.
    const std::string baseline = row.has("baseline") ? row.at("baseline").string() : "single";
    const double base = RowOf(json, baseline).at("seconds").number();
    ASSERT_TRUE(row.at("speedup").is_number()) << mode;
    EXPECT_NEAR(row.at("speedup").number(), base / seconds, 1e-6 * base / seconds) << mode;
  }
  EXPECT_EQ(seen, modes);
}

void ExpectRejected(const std::string& binary, std::vector<std::string> flags,
                    const std::string& flag_name) {
  lesson::testing::ExpectRejected(binary, flags, flag_name, Options());
}

}  // namespace efficiency_test

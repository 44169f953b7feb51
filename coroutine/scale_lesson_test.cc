// //coroutine:scale: both modes run in children, every unit sleeps at once, the JSON is
// one object in the report's schema, bad flags are refused. (The 1M target is measured
// with -c opt, see README.md: a unit test does not assert speed.)
#include <string>

#include "coroutine/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using ::coro_lessons::testing::RunLesson;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;

TEST(ScaleLessonTest, Table) {
  lesson::ProgramResult r = RunLesson(
      "scale", {"--coroutines=2000", "--threads=20", "--sleep_ms=10", "--repeats=1"});
  ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  EXPECT_EQ(r.leftover_processes, 0);
  EXPECT_THAT(r.stdout_text, ContainsRegex("coroutines +2000 +[0-9.]+ +[0-9.]+ +[0-9]+ +2000\n"));
  EXPECT_THAT(r.stdout_text, ContainsRegex("threads +20 +[0-9.]+ +[0-9.]+ +[0-9]+ +20\n"));
  EXPECT_THAT(r.stdout_text, ContainsRegex("a coroutine frame here is [0-9]+ bytes"));
}

TEST(ScaleLessonTest, Json) {
  lesson::ProgramResult r = RunLesson(
      "scale", {"--coroutines=1000", "--threads=10", "--sleep_ms=5", "--repeats=2", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const std::string& out = r.stdout_text;
  EXPECT_EQ(out.front(), '{');
  EXPECT_EQ(out.find('\n'), out.size() - 1);  // exactly one line
  EXPECT_THAT(out, HasSubstr("\"experiment\": \"scale\""));
  EXPECT_THAT(out, HasSubstr("\"mode\": \"coroutines\", \"workers\": 1000, \"seconds\": "));
  EXPECT_THAT(out, HasSubstr("\"mode\": \"threads\", \"workers\": 10, \"seconds\": "));
  EXPECT_THAT(out, HasSubstr("\"speedup\": null"));
  EXPECT_THAT(out, ContainsRegex("\"bytes_per_worker\": [0-9.e+]+, \"max_asleep_at_once\": 1000"));
  EXPECT_THAT(out, ContainsRegex("\"frame_bytes\": [0-9]+"));
}

TEST(ScaleLessonTest, RejectsBadFlags) {
  lesson::ProgramResult r = RunLesson("scale", {"--threads=100000"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text, "scale: --threads=100000 is out of range; allowed: 1 to 4000\n");
  EXPECT_EQ(r.leftover_processes, 0);
  r = RunLesson("scale", {"--coroutines=0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text, "scale: --coroutines=0 is out of range; allowed: 1 to 10000000\n");
}

}  // namespace

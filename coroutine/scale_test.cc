// //coroutine:scale: every mode runs in a child and every unit sleeps at once; the page
// faults of each coroutine run are counted; the JSON is one object in the report's schema
// with its warnings; bad flags are refused. (The 1M figures are measured with -c opt, see
// README.md: a unit test does not assert speed.)
#include <string>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

TEST(ScaleLessonTest, Table) {
  lesson::ProgramResult r = RunLesson(
      "coroutine/scale", {"--coroutines=2000", "--threads=20", "--sleep=10ms", "--repeats=1"});
  ASSERT_THAT(r, RanCleanly()) << r.stdout_text;
  // mode, count, wall, peak RSS, bytes each, asleep at once, page faults, kernel CPU.
  const std::string number = " +[0-9.]+";
  EXPECT_THAT(r.stdout_text,
              ContainsRegex("coroutines +2000" + number + number + number + " +2000 +[0-9]+ +[0-9.]+\n"));
  EXPECT_THAT(r.stdout_text, ContainsRegex("coroutines, 4 KB pages +2000" + number + number +
                                           number + " +2000 +[0-9]+ +[0-9.]+\n"));
  EXPECT_THAT(r.stdout_text,
              ContainsRegex("threads \\(std::jthread\\) +20" + number + number + number + " +20 +[0-9]+ +[0-9.]+\n"));
  EXPECT_THAT(r.stdout_text, ContainsRegex("a coroutine frame here is [0-9]+ bytes"));
  EXPECT_THAT(r.stdout_text, HasSubstr("Every unit really slept at the same time"));
}

TEST(ScaleLessonTest, Json) {
  lesson::ProgramResult r = RunLesson(
      "coroutine/scale",
      {"--coroutines=1000", "--threads=10", "--sleep=5ms", "--repeats=2", "--json"});
  ASSERT_THAT(r, RanCleanly());
  const std::string& out = r.stdout_text;
  EXPECT_EQ(out.find('\n'), out.size() - 1);  // exactly one line
  nlohmann::json j = nlohmann::json::parse(out);
  EXPECT_EQ(j["experiment"], "scale");
  ASSERT_EQ(j["results"].size(), 2u);
  const nlohmann::json& coroutines = j["results"][0];
  EXPECT_EQ(coroutines["mode"], "coroutines");
  EXPECT_EQ(coroutines["workers"], 1000);
  EXPECT_EQ(coroutines["max_asleep_at_once"], 1000);
  EXPECT_TRUE(coroutines["speedup"].is_null());
  EXPECT_GT(coroutines["frame_bytes"].get<int>(), 0);
  EXPECT_GE(coroutines["page_faults"].get<int>(), 0);
  EXPECT_GE(coroutines["small_pages_page_faults"].get<int>(), 0);
  EXPECT_EQ(j["results"][1]["mode"], "threads");
  EXPECT_EQ(j["results"][1]["max_asleep_at_once"], 10);
  EXPECT_TRUE(j["warnings"].is_array());
  // The work in both languages (the report writes both READMEs from one run).
  EXPECT_EQ(j["work_in"]["en"], "1000 coroutines vs 10 threads, each sleeping 5 ms at once");
  EXPECT_EQ(j["work_in"]["zh"], "1000 个协程对比 10 个线程，全部同时睡眠 5 ms");
  EXPECT_EQ(j["work"], j["work_in"]["en"]);
}

TEST(ScaleLessonTest, RejectsBadFlags) {
  ExpectRejectedSaying("coroutine/scale", "--threads=100000",
                       "scale: --threads=100000 is out of range; allowed: 1 to 4000\n");
  ExpectRejectedSaying("coroutine/scale", "--coroutines=0",
                       "scale: --coroutines=0 is out of range; allowed: 1 to 10000000\n");
  ExpectRejected("coroutine/scale", "--sleep=100");  // a unit is needed
}

}  // namespace

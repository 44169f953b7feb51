// //coroutine:gather: all "Hello world!" before any "Hello again!", every sleep overlapping,
// one thread for all, printed as Python prints it. (How long it took is an experiment, not
// asserted here; the sentence chosen from it is tested in conclusions_test.cc.)
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/lesson_testing.h"
#include "common/trace_reading.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

TEST(GatherLessonTest, ConcurrentOnOneThread) {
  lesson::ProgramResult r = RunLesson("coroutine/gather", {"--coroutines=3", "--sleep=50ms"});
  ASSERT_THAT(r, RanCleanly());
  std::vector<std::string> lines = Lines(r.stdout_text);
  int first = FindLine(lines, "Hello world! (<_MainThread(MainThread, started ");
  ASSERT_GE(first, 0);
  for (int i = 0; i < 3; ++i) EXPECT_THAT(lines[first + i], HasSubstr("Hello world!"));
  EXPECT_THAT(lines[first + 3], HasSubstr("s later"));
  for (int i = 4; i < 7; ++i) EXPECT_THAT(lines[first + i], HasSubstr("Hello again!"));
  for (const char* line : {"asleep at the same time, at most: 3; threads that ran them: 1",
                           "(asleep at the same time, at most: 1)",
                           "TypeError: Passing coroutines is forbidden"}) {
    EXPECT_THAT(r.stdout_text, HasSubstr(line));
  }

  // Every hello() printed the main thread's ident, the one printed at the start.
  const Groups m = Search(r.stdout_text,
                         "current_thread\\(\\) here is <_MainThread\\("
                         "MainThread, started (\\d+)\\)>");
  ASSERT_FALSE(m.empty()) << r.stdout_text;
  const std::string main_thread = m[1];
  std::set<std::string> threads;
  for (const Groups& hello : SearchAll(
           r.stdout_text,
           "Hello (?:world|again)! \\(<_MainThread\\(MainThread, started (\\d+)\\)>\\)")) {
    threads.insert(hello[1]);
  }
  EXPECT_EQ(threads, std::set<std::string>{main_thread});
}

TEST(GatherLessonTest, ManyCoroutinesNoComparison) {
  lesson::ProgramResult r =
      RunLesson("coroutine/gather", {"--coroutines=200", "--sleep=10ms", "--nosequential"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text,
              HasSubstr("asleep at the same time, at most: 200; threads that ran them: 1"));
  EXPECT_THAT(r.stdout_text, Not(HasSubstr("--- The same, awaited one after another")));
}

// The trace shows the point: three coroutines, each on its own row, asleep at the same time,
// all on one thread.
TEST(GatherLessonTest, TraceShowsThreeAsleepAtOnce) {
  const std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/gather.json";
  lesson::ProgramResult r =
      RunLesson("coroutine/gather", {"--sleep=50ms", "--nosequential", "--trace=" + path});
  ASSERT_THAT(r, RanCleanly());
  const trace_reading::Trace trace = trace_reading::Read(path);
  ASSERT_EQ(trace.error, "");
  // Each task's sleep: [begin, end] on its async track; and the threads they ran on.
  std::map<std::string, std::pair<double, double>> sleeps;
  std::set<long> tids;
  for (const trace_reading::Event& e : trace.events) {
    if ((e.phase != "b" && e.phase != "e") || e.state != "sleep") continue;
    tids.insert(e.tid);
    if (e.phase == "b") sleeps[e.id].first = e.ts;
    if (e.phase == "e") sleeps[e.id].second = e.ts;
  }
  ASSERT_EQ(sleeps.size(), 3u);
  EXPECT_EQ(tids.size(), 1u);
  // Some instant lies inside all three sleeps: the latest start precedes the earliest end.
  double latest_start = 0, earliest_end = 1e300;
  for (const auto& [id, span] : sleeps) {
    latest_start = std::max(latest_start, span.first);
    earliest_end = std::min(earliest_end, span.second);
  }
  EXPECT_LT(latest_start, earliest_end);
}

// In Chinese: the teaching is Chinese, the tutorial's own lines stay as the tutorial has them.
TEST(GatherLessonTest, ChineseKeepsTheTutorialLines) {
  lesson::ProgramResult r =
      RunLesson("coroutine/gather", {"--lang=zh", "--sleep=10ms", "--nosequential"});
  ASSERT_THAT(r, RanCleanly());
  for (const char* line : {"Hello world! (<_MainThread(MainThread, started ",
                           "Hello again! (<_MainThread(MainThread, started ",
                           "同时睡眠的最多：3 个",
                           "教程里的这个程序在 CPython 3.11 上已经跑不起来了"}) {
    EXPECT_THAT(r.stdout_text, HasSubstr(line));
  }
}

TEST(GatherLessonTest, RejectsBadFlags) {
  ExpectRejectedSaying("coroutine/gather", "--coroutines=0",
                       "gather: --coroutines=0 is out of range; allowed: 1 to 1000\n");
  ExpectRejected("coroutine/gather", "--sleep=6s");
  // 1000 sleeps of 5s one after another would take over an hour; --nosequential is fine.
  ExpectRejected("coroutine/gather", {"--coroutines=1000", "--sleep=5s"}, "--coroutines");
}

}  // namespace

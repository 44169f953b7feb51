// //coroutine:async_race: no await, no loss; read-await-write loses exactly the updates the
// round-robin schedule predicts; the AsyncMutex loses none.
#include <string>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

// With a pure yield (io=0) the schedule is round-robin: each round of 4 nets 1.
TEST(AsyncRaceLessonTest, LostUpdatesAndTheFix) {
  for (const char* io : {"--io=0", "--io=1ms"}) {
    lesson::ProgramResult r =
        RunLesson("coroutine/async_race", {"--workers=4", "--increments=50", io});
    ASSERT_THAT(r, RanCleanly());
    const std::string& out = r.stdout_text;
    size_t part2 = out.find("--- 2.");
    size_t part3 = out.find("--- 3.");
    ASSERT_NE(part2, std::string::npos);
    ASSERT_NE(part3, std::string::npos);
    EXPECT_THAT(out.substr(0, part2), HasSubstr("counter = 200, expected 200: no update lost"));
    EXPECT_THAT(out.substr(part2, part3 - part2),
                HasSubstr("counter = 50, expected 200: 150 updates LOST"))
        << io;
    EXPECT_THAT(out.substr(part3), HasSubstr("counter = 200, expected 200: no update lost"));
    // The steps: all four read 0 before anyone writes.
    EXPECT_THAT(out, HasSubstr("  worker 0 reads  0\n  worker 1 reads  0\n"
                               "  worker 2 reads  0\n  worker 3 reads  0\n"
                               "  worker 0 writes 1\n"));
    EXPECT_THAT(out, HasSubstr("Part 2 lost 150 of 200 updates on a single thread"));
  }
}

TEST(AsyncRaceLessonTest, OneWorkerLosesNothing) {
  lesson::ProgramResult r = RunLesson("coroutine/async_race", {"--workers=1", "--increments=20"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("With one worker nothing can run between"));
}

TEST(AsyncRaceLessonTest, RejectsBadFlag) {
  ExpectRejected("coroutine/async_race", "--io=101ms");
  ExpectRejected("coroutine/async_race", "--workers=0");
  // Part 3 would wait 1000 x 100000 x 1ms, one section after another.
  ExpectRejected("coroutine/async_race", {"--workers=1000", "--increments=100000"},
                 "--increments");
}

}  // namespace

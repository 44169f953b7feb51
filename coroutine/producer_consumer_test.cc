// //coroutine:producer_consumer prints the tutorial's output lines, in order, on one thread,
// and counts the hand-overs the program made.
#include <string>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

// The tutorial's output block, verbatim (CPython 3.11.7 prints it too).
constexpr char kTutorialOutput[] =
    "[PRODUCER] Producing 1...\n"
    "[CONSUMER] Consuming 1...\n"
    "[PRODUCER] Consumer return: 200 OK\n"
    "[PRODUCER] Producing 2...\n"
    "[CONSUMER] Consuming 2...\n"
    "[PRODUCER] Consumer return: 200 OK\n"
    "[PRODUCER] Producing 3...\n"
    "[CONSUMER] Consuming 3...\n"
    "[PRODUCER] Consumer return: 200 OK\n";

TEST(ProducerConsumerLessonTest, TutorialOutputLines) {
  lesson::ProgramResult r = RunLesson("coroutine/producer_consumer");
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr(kTutorialOutput));
  EXPECT_THAT(r.stdout_text, HasSubstr("CPython 3.11.7 prints exactly these nine lines"));
  // c.send(None) and three send()s, each answered by a yield.
  EXPECT_THAT(r.stdout_text, HasSubstr("control changed hands 8 times"));
  const Groups m = Search(r.stdout_text,
                          "the producer \\(thread (\\d+)\\) and the consumer \\(thread (\\d+)\\)");
  ASSERT_FALSE(m.empty()) << r.stdout_text;
  EXPECT_EQ(m[1], m[2]);
}

// The tutorial's lines stay as they are in Chinese output too.
TEST(ProducerConsumerLessonTest, TutorialLinesUntranslated) {
  lesson::ProgramResult r = RunLesson("coroutine/producer_consumer", {"--lang=zh"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr(kTutorialOutput));
}

TEST(ProducerConsumerLessonTest, MoreMessages) {
  lesson::ProgramResult r = RunLesson("coroutine/producer_consumer", {"--messages=5"});
  ASSERT_THAT(r, RanCleanly());
  for (const char* line : {"[PRODUCER] Producing 5...\n"
                           "[CONSUMER] Consuming 5...\n"
                           "[PRODUCER] Consumer return: 200 OK\n",
                           "control changed hands 12 times", "The tutorial sends 3 messages"}) {
    EXPECT_THAT(r.stdout_text, HasSubstr(line));
  }
}

TEST(ProducerConsumerLessonTest, RejectsBadFlag) {
  lesson::ProgramResult r = RunLesson("coroutine/producer_consumer", {"--messages=-1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "producer_consumer: --messages=-1 is out of range; allowed: 1 to 100\n");
}

}  // namespace

#include <string>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

// The Abseil queue moves every item too (run outside TSan: see BUILD).
TEST(ProducerConsumerAbslTest, AbslQueueThroughput) {
  lesson::ProgramResult r =
      RunLesson("thread/producer_consumer", {"--queue=absl", "--items=20000", "--capacity=4"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, ContainsRegex("absl::Mutex \\+ absl::Condition +[0-9]+ +correct"));
  EXPECT_THAT(r.stdout_text, Not(HasSubstr("WRONG")));
}

}  // namespace

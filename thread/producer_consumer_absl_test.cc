#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "thread/lesson_testing.h"

namespace {

using testing::HasSubstr;
using thread_testing::RunLesson;

// The Abseil queue moves every item too (run outside TSan: see BUILD).
TEST(ProducerConsumerAbslTest, AbslQueueThroughput) {
  auto r = RunLesson("producer_consumer", {"--queue=absl", "--items=20000", "--capacity=4"});
  EXPECT_THAT(r.stdout_text, testing::ContainsRegex("absl::Mutex \\+ absl::Condition +[0-9]+ +"
                                                    "correct"));
  EXPECT_THAT(r.stdout_text, testing::Not(HasSubstr("WRONG")));
}

}  // namespace

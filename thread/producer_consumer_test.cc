#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "thread/lesson_testing.h"

namespace {

using testing::HasSubstr;
using thread_testing::ExpectRejected;
using thread_testing::RunLesson;

// Step 1 prints the tutorial's nine lines, in the tutorial's order.
TEST(ProducerConsumerTest, TutorialExchangeInOrder) {
  auto r = RunLesson("producer_consumer", {"--queue=std"});
  const std::vector<std::string> expected = {
      "[PRODUCER] Producing 1...",      "[CONSUMER] Consuming 1...",
      "[PRODUCER] Consumer return: 200 OK", "[PRODUCER] Producing 2...",
      "[CONSUMER] Consuming 2...",      "[PRODUCER] Consumer return: 200 OK",
      "[PRODUCER] Producing 3...",      "[CONSUMER] Consuming 3...",
      "[PRODUCER] Consumer return: 200 OK",
  };
  std::string lines;
  for (const std::string& line : expected) lines += line + "\n";
  EXPECT_THAT(r.stdout_text, HasSubstr(lines));
}

// Many items pass through the std:: queue with the right sum; the forgotten Close() is caught.
TEST(ProducerConsumerTest, ThroughputAndForgottenClose) {
  auto r = RunLesson("producer_consumer",
                     {"--queue=std", "--items=20000", "--capacity=4", "--patience=50ms"});
  EXPECT_THAT(r.stdout_text, HasSubstr("std::mutex + std::condition_variable:"));
  EXPECT_THAT(r.stdout_text, HasSubstr("sum correct"));
  EXPECT_THAT(r.stdout_text, testing::Not(HasSubstr("WRONG")));
  EXPECT_THAT(r.stdout_text, testing::Not(HasSubstr("absl::Mutex + absl::Condition:")));
  EXPECT_THAT(r.stdout_text, HasSubstr("forgot to call Close()"));
  EXPECT_THAT(r.stdout_text, HasSubstr("the queue is still open: HANG detected"));
}

TEST(ProducerConsumerTest, RejectsBadFlags) {
  ExpectRejected("producer_consumer", "--queue=boost");
  ExpectRejected("producer_consumer", "--capacity=0");
  ExpectRejected("producer_consumer", "--items=-1");
}

}  // namespace

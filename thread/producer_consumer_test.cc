#include <map>
#include <string>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "thread/trace_testing.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

// Step 1 prints the tutorial's nine lines, in the tutorial's order.
TEST(ProducerConsumerTest, TutorialExchangeInOrder) {
  lesson::ProgramResult r = RunLesson("thread/producer_consumer", {"--queue=std"});
  ASSERT_THAT(r, RanCleanly());
  std::string exchange;  // three rounds of the same three lines
  for (const std::string n : {"1", "2", "3"}) {
    exchange += "[PRODUCER] Producing " + n + "...\n[CONSUMER] Consuming " + n +
                "...\n[PRODUCER] Consumer return: 200 OK\n";
  }
  EXPECT_THAT(r.stdout_text, HasSubstr(exchange));
}

// Many items pass through the std:: queue with the right sum; the forgotten Close() is caught.
TEST(ProducerConsumerTest, ThroughputAndForgottenClose) {
  lesson::ProgramResult r =
      RunLesson("thread/producer_consumer",
                {"--queue=std", "--items=20000", "--capacity=4", "--patience=50ms"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, ContainsRegex("std::mutex \\+ std::condition_variable +"
                                           "[0-9]+ +correct"));
  EXPECT_THAT(r.stdout_text, Not(HasSubstr("WRONG")));
  EXPECT_THAT(r.stdout_text, Not(HasSubstr("absl::Mutex + absl::Condition")));
  EXPECT_THAT(r.stdout_text, HasSubstr("the sum was right for all 20000 items"));
  EXPECT_THAT(r.stdout_text, HasSubstr("forgot to call Close()"));
  EXPECT_THAT(r.stdout_text, HasSubstr("the queue is still open: HANG detected"));
}

// The timeline: every hand-over of step 1 is an arrow from one thread to the other, the
// three messages from the producer to the consumer and the three replies back.
TEST(ProducerConsumerTest, TraceDrawsTheHandOvers) {
  lesson_trace::Trace trace = lesson_trace::RunTraced(
      "thread/producer_consumer", {"--queue=std", "--items=100", "--patience=20ms"});
  std::map<std::string, const lesson_trace::Event*> out, in;
  for (const lesson_trace::Event& e : trace.flows) (e.phase == "s" ? out : in)[e.id] = &e;
  int messages = 0, replies = 0;
  for (const auto& [id, from] : out) {
    ASSERT_TRUE(in.count(id)) << "an arrow with no end: " << from->name;
    const lesson_trace::Event* to = in[id];
    EXPECT_LE(from->ts, to->ts);
    if (from->name == "message") {
      ++messages;
      EXPECT_EQ(from->thread, "producer (main)");
      EXPECT_EQ(to->thread, "consumer");
    }
    if (from->name == "reply") {
      ++replies;
      EXPECT_EQ(from->thread, "consumer");
      EXPECT_EQ(to->thread, "producer (main)");
    }
  }
  EXPECT_EQ(messages, 3);
  EXPECT_EQ(replies, 3);
}

TEST(ProducerConsumerTest, RejectsBadFlags) {
  ExpectRejected("thread/producer_consumer", "--queue=boost");
  ExpectRejected("thread/producer_consumer", "--capacity=0");
  ExpectRejected("thread/producer_consumer", "--items=-1");
  ExpectRejected("thread/producer_consumer", "--patience=300");  // A duration needs a unit.
}

}  // namespace

// Tests of the pipe and thread ping-pongs: every byte comes back, and the counts are kept.
// (No timing: how fast is the experiment's business.)
#include "efficiency/mpi_pingpong.h"

#include <signal.h>

#include <vector>

#include "common/status_matchers.h"
#include "gtest/gtest.h"

namespace efficiency::mpi {
namespace {

// Sizes around the pipe's 64 KiB capacity: a larger message arrives in pieces.
constexpr int64_t kSizes[] = {1, 8, 4096, 65535, 65536, 65537, 1 << 20};

// A message through a pipe to a child and back arrives whole, every round.
TEST(PingPongTest, PipeReturnsEveryByte) {
  for (int64_t bytes : kSizes) {
    absl::StatusOr<PingPong> p = PipePingPong(bytes, 20);
    ASSERT_OK(p);
    EXPECT_EQ(p->method, "pipe");
    EXPECT_EQ(p->bytes, bytes);
    EXPECT_EQ(p->rounds, 20);
    EXPECT_TRUE(p->checked) << bytes << " bytes came back different";
    EXPECT_GT(p->seconds, 0);
  }
}

// A message handed to another thread and back arrives whole, every round.
TEST(PingPongTest, ThreadsReturnEveryByte) {
  for (int64_t bytes : kSizes) {
    absl::StatusOr<PingPong> p = ThreadPingPong(bytes, 20);
    ASSERT_OK(p);
    EXPECT_EQ(p->method, "threads");
    EXPECT_TRUE(p->checked) << bytes << " bytes came back different";
  }
}

// The pattern differs with the size, so a reply of another message cannot pass.
TEST(PingPongTest, MessagesDifferBySize) {
  std::vector<char> a(64), b(65);
  FillMessage(a);
  FillMessage(b);
  EXPECT_NE(std::vector<char>(b.begin(), b.begin() + 64), a);
}

// The one-way figures follow from the round trips.
TEST(PingPongTest, OneWayIsHalfARoundTrip) {
  PingPong p{.method = "pipe", .bytes = 1000, .rounds = 10, .seconds = 0.002, .checked = true,
             .hosts = ""};
  EXPECT_DOUBLE_EQ(p.OneWaySeconds(), 0.0001);
  EXPECT_DOUBLE_EQ(p.BytesPerSecond(), 1e7);
  EXPECT_EQ(WarmupRounds(5), 1);
  EXPECT_EQ(WarmupRounds(10'000), 1'000);
}

}  // namespace
}  // namespace efficiency::mpi

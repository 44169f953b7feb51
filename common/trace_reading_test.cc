// Tests for common/trace_reading.h: what common/trace.h writes reads back as the spans,
// instants, async events and names that were recorded; a bad file is an error, not a crash.
#include "common/trace_reading.h"

#include <fstream>
#include <string>

#include "common/trace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trace_reading {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(TraceReadingTest, ReadsBackWhatTraceWrote) {
  const std::string path = ::testing::TempDir() + "/reading.json";
  ASSERT_EQ(trace::Start(path, "reader"), "");
  trace::NameThread("main");
  {
    trace::Span outer("outer", trace::kRun);
    trace::Span inner("inner", trace::kSleep);
    trace::Instant("moment", trace::kRun);
  }
  const uint64_t id = trace::NewId();
  trace::AsyncBegin("task #1", trace::kTask, id);
  trace::AsyncEnd("task #1", trace::kTask, id);
  ASSERT_EQ(trace::Finish(), "");

  const Trace t = Read(path);
  ASSERT_EQ(t.error, "");
  EXPECT_THAT(t.problems, IsEmpty());
  ASSERT_EQ(t.spans.size(), 2u);
  EXPECT_EQ(t.spans[0].name, "inner");  // Spans come in the order they ended.
  EXPECT_EQ(t.spans[0].state, "sleep");
  EXPECT_EQ(t.spans[0].thread, "main");
  EXPECT_EQ(t.spans[1].name, "outer");
  EXPECT_LE(t.spans[1].begin, t.spans[0].begin);
  EXPECT_GE(t.spans[1].end, t.spans[0].end);
  EXPECT_TRUE(Overlap(t.spans[0], t.spans[1]));
  EXPECT_EQ(t.InState("sleep").size(), 1u);

  const std::vector<Event> instants = t.OfPhase("i");
  ASSERT_EQ(instants.size(), 1u);
  EXPECT_EQ(instants[0].name, "moment");

  const std::vector<Event> begins = t.OfPhase("b");
  ASSERT_EQ(begins.size(), 1u);
  EXPECT_EQ(begins[0].state, "task");  // From args.state: the category pairs async events.
  EXPECT_NE(begins[0].category, "task");
  EXPECT_FALSE(begins[0].id.empty());
  EXPECT_EQ(t.OfPhase("e").at(0).id, begins[0].id);
  EXPECT_THAT(t.PidsNamed("reader"), ElementsAre(t.spans[0].pid));
  EXPECT_EQ(t.PidOf("nobody"), 0);
}

TEST(TraceReadingTest, ArgsReadAsTextAndNumbers) {
  Event e;
  e.args = {{"child", "42"}, {"how", "killed by SIGKILL"}};
  EXPECT_EQ(e.ArgNumber("child"), 42);
  EXPECT_EQ(e.ArgNumber("how"), 0);
  EXPECT_EQ(e.ArgNumber("absent"), 0);
  EXPECT_EQ(e.Arg("how"), "killed by SIGKILL");
  EXPECT_EQ(e.Arg("absent"), "");
}

TEST(TraceReadingTest, UnbalancedSpansAreProblems) {
  const std::string path = ::testing::TempDir() + "/unbalanced.json";
  std::ofstream(path) << R"({"traceEvents": [
    {"ph": "E", "name": "", "pid": 1, "tid": 2, "ts": 1},
    {"ph": "B", "name": "never ended", "cat": "run", "pid": 1, "tid": 2, "ts": 2}]})";
  const Trace t = Read(path);
  EXPECT_EQ(t.error, "");
  EXPECT_THAT(t.problems, ElementsAre(HasSubstr("an E without its B on thread 2"),
                                      HasSubstr("\"never ended\" left open on thread 2")));
}

TEST(TraceReadingTest, MissingOrMalformedFileIsAnError) {
  EXPECT_THAT(Read(::testing::TempDir() + "/absent.json").error, HasSubstr("no trace at"));
  const std::string path = ::testing::TempDir() + "/malformed.json";
  std::ofstream(path) << "{\"traceEvents\": [";
  EXPECT_THAT(Read(path).error, HasSubstr("not a trace"));
}

}  // namespace
}  // namespace trace_reading

#include "common/json.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"

namespace {

// Keys keep their order and each value gets its JSON encoding.
TEST(JsonObjectTest, EncodesEachType) {
  lesson::JsonObject row;
  row.Set("mode", "threads").Set("workers", 2).Set("seconds", 0.5).Set("ok", true);
  EXPECT_EQ(row.ToString(), R"({"mode": "threads", "workers": 2, "seconds": 0.5, "ok": true})");
}

// Nested objects and arrays, the shape the report reads.
TEST(JsonObjectTest, NestsObjectsAndArrays) {
  lesson::JsonObject a, b, out;
  a.Set("mode", "single");
  b.Set("mode", "tbb");
  out.Set("experiment", "cpu_bound").Set("results", std::vector{a, b});
  out.Set("samples", std::vector<double>{1, 2.5});
  EXPECT_EQ(out.ToString(),
            R"({"experiment": "cpu_bound", "results": [{"mode": "single"}, {"mode": "tbb"}], )"
            R"("samples": [1, 2.5]})");
}

// Setting a key again replaces the value in place.
TEST(JsonObjectTest, SettingAgainReplaces) {
  lesson::JsonObject o;
  o.Set("a", 1).Set("b", 2).Set("a", 3);
  EXPECT_EQ(o.ToString(), R"({"a": 3, "b": 2})");
}

// Quotes, backslashes, control characters and UTF-8 are written as JSON requires.
TEST(JsonQuoteTest, EscapesWhatJsonRequires) {
  EXPECT_EQ(lesson::JsonQuote("a\"b\\c\n\x01"), R"("a\"b\\c\n\u0001")");
  EXPECT_EQ(lesson::JsonQuote("线程锁"), "\"线程锁\"");
}

// NaN and infinity are not JSON numbers: they become null.
TEST(JsonObjectTest, NonFiniteBecomesNull) {
  lesson::JsonObject o;
  o.Set("x", std::nan("")).Set("y", INFINITY);
  EXPECT_EQ(o.ToString(), R"({"x": null, "y": null})");
}

}  // namespace

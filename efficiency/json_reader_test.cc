#include "efficiency/json_reader.h"

#include "gtest/gtest.h"

namespace efficiency_test {
namespace {

// Objects, arrays, numbers, strings, literals and escapes.
TEST(ParseJsonTest, ReadsEveryKind) {
  auto v = ParseJson(R"( {"a": [1, -2.5e3, true, false, null], "s": "x\"\n\u00e9"} )");
  ASSERT_TRUE(v.ok()) << v.status();
  const auto& a = v->at("a").items();
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(a[0].number(), 1);
  EXPECT_EQ(a[1].number(), -2500);
  EXPECT_TRUE(a[2].boolean());
  EXPECT_FALSE(a[3].boolean());
  EXPECT_TRUE(a[4].is_null());
  EXPECT_EQ(v->at("s").string(), "x\"\n\xc3\xa9");
}

// Exactly one value: trailing text, a second object, bad syntax are all errors.
TEST(ParseJsonTest, RejectsAnythingElse) {
  for (const char* bad : {"", "{} {}", "{}\nhello", "{\"a\": }", "[1,]", "{'a': 1}",
                          "{\"a\": 1, \"a\": 2}", "01", "nul", "\"unterminated"}) {
    EXPECT_FALSE(ParseJson(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace efficiency_test

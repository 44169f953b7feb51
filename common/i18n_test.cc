#include "common/i18n.h"

#include <map>
#include <string>

#include "common/message.h"
#include "gtest/gtest.h"

namespace {

std::map<std::string, std::string> environment;
const char* FakeGetenv(const char* name) {
  auto it = environment.find(name);
  return it == environment.end() ? nullptr : it->second.c_str();
}

lesson::Language FromEnvironment(std::map<std::string, std::string> variables) {
  environment = std::move(variables);
  return lesson::LanguageFromEnvironment(FakeGetenv);
}

// The first of LANGUAGE, LC_ALL, LC_MESSAGES, LANG that is set decides, as in gettext.
TEST(LanguageTest, FollowsTheEnvironmentInGettextsOrder) {
  using lesson::Language;
  EXPECT_EQ(FromEnvironment({}), Language::kEnglish);
  EXPECT_EQ(FromEnvironment({{"LANG", "zh_CN.UTF-8"}}), Language::kChinese);
  EXPECT_EQ(FromEnvironment({{"LANG", "zh_TW.UTF-8"}}), Language::kChinese);
  EXPECT_EQ(FromEnvironment({{"LANG", "en_US.UTF-8"}}), Language::kEnglish);
  EXPECT_EQ(FromEnvironment({{"LC_ALL", "C"}, {"LANG", "zh_CN.UTF-8"}}), Language::kEnglish);
  EXPECT_EQ(FromEnvironment({{"LANGUAGE", "zh_CN:en"}, {"LC_ALL", "C"}}), Language::kChinese);
  EXPECT_EQ(FromEnvironment({{"LANGUAGE", ""}, {"LC_MESSAGES", "zh_CN"}}), Language::kChinese);
}

// Only the two values --lang documents are accepted.
TEST(LanguageTest, ParsesOnlyZhAndEn) {
  EXPECT_EQ(lesson::ParseLanguage("zh"), lesson::Language::kChinese);
  EXPECT_EQ(lesson::ParseLanguage("en"), lesson::Language::kEnglish);
  EXPECT_EQ(lesson::ParseLanguage("fr"), std::nullopt);
  EXPECT_EQ(lesson::ParseLanguage("zh_CN"), std::nullopt);
  EXPECT_EQ(lesson::ParseLanguage(""), std::nullopt);
}

// The catalog is found in the test's runfiles and translates, with no zh_CN locale
// installed; English returns the msgid itself.
TEST(TranslateTest, ChineseFromTheCatalogEnglishAsWritten) {
  EXPECT_NE(lesson::CatalogDirectory(), "");
  lesson::SetLanguage(lesson::Language::kChinese);
  EXPECT_STREQ(lesson::Translate("What to notice:"), "要点：");
  EXPECT_EQ(lesson::Tr("What to notice:").str(), "要点：");
  EXPECT_EQ(lesson::Format("(default: %s)", "2").str(), "（默认：2）");
  const char* unknown = "a sentence no catalog has";
  EXPECT_EQ(lesson::Translate(unknown), unknown);
  lesson::SetLanguage(lesson::Language::kEnglish);
  EXPECT_STREQ(lesson::Translate("What to notice:"), "What to notice:");
}

// SetLanguage exports LANGUAGE, so a child process speaks its parent's language.
TEST(TranslateTest, ChildrenInheritTheLanguage) {
  lesson::SetLanguage(lesson::Language::kChinese);
  EXPECT_STREQ(std::getenv("LANGUAGE"), "zh_CN");
  lesson::SetLanguage(lesson::Language::kEnglish);
  EXPECT_STREQ(std::getenv("LANGUAGE"), "en");
}

// InEachLanguage makes the text in English and in Chinese, whichever language the reader
// has, and gives the reader's language back (and the environment children inherit).
TEST(InEachLanguageTest, BothLanguagesAndTheReadersLanguageRestored) {
  for (lesson::Language reader : {lesson::Language::kChinese, lesson::Language::kEnglish}) {
    lesson::SetLanguage(reader);
    int calls = 0;
    const lesson::Bilingual text = lesson::InEachLanguage([&] {
      ++calls;
      return lesson::Format("(default: %s)", "2");
    });
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(text.english.str(), "(default: 2)");
    EXPECT_EQ(text.chinese.str(), "（默认：2）");
    EXPECT_EQ(text.in(lesson::Language::kEnglish).str(), "(default: 2)");
    EXPECT_EQ(text.in(lesson::Language::kChinese).str(), "（默认：2）");
    EXPECT_EQ(lesson::CurrentLanguage(), reader);
    EXPECT_STREQ(std::getenv("LANGUAGE"), reader == lesson::Language::kChinese ? "zh_CN" : "en");
  }
  // Verbatim text is the same in both.
  const lesson::Bilingual name = lesson::InEachLanguage([] { return lesson::Verbatim("x"); });
  EXPECT_EQ(name.english.str(), "x");
  EXPECT_EQ(name.chinese.str(), "x");
}

}  // namespace

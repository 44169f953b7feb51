// common/format_string.h — a printf-style format checked against its arguments at compile
// time, so that a message can be looked up in a translation catalog and still be safe.
//
//   lesson::Print("%d threads took %.2f s", threads, seconds);   // checked when compiled
//   lesson::Print("%d threads took %s", threads, seconds);       // does not compile
//
// Why not absl::FormatSpec: Abseil checks formats at compile time only under Clang (its
// checker needs __attribute__((enable_if))); under g++ a mismatch compiles and prints an
// empty string. FormatString does the check with consteval, which g++ 12 runs.
//
// The rules are Abseil's conversions, kept strict enough to catch real mistakes:
//   integers (and bool, char)  d i o u x X c
//   floating point             f F e E g G a A
//   strings                    s    (std::string, std::string_view, const char*, ...)
//   pointers                   p
//   anything                   v    (Abseil's "value" conversion)
// plus flags, width and precision ("%-22s", "%6.2f", "%*d" takes an int for the width),
// "%%" for a percent sign, and positional "%1$s" (all or none, as in printf).
// The checked text is kept (text()), because it is also the msgid a translation is
// looked up by (see common/i18n.h).
#ifndef COMMON_FORMAT_STRING_H_
#define COMMON_FORMAT_STRING_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

namespace lesson {
namespace format_internal {

enum class Kind { kInteger, kFloat, kString, kPointer, kOther };

template <typename T>
constexpr Kind KindOf() {
  using U = std::remove_cvref_t<T>;
  if constexpr (std::is_integral_v<U> || std::is_enum_v<U>) {
    return Kind::kInteger;
  } else if constexpr (std::is_floating_point_v<U>) {
    return Kind::kFloat;
  } else if constexpr (std::is_convertible_v<const U&, std::string_view>) {
    return Kind::kString;
  } else if constexpr (std::is_pointer_v<U> || std::is_null_pointer_v<U>) {
    return Kind::kPointer;
  } else {
    return Kind::kOther;  // A type with its own AbslFormatConvert: %s or %v.
  }
}

constexpr bool Accepts(Kind kind, char conversion) {
  if (conversion == 'v') return true;
  switch (kind) {
    case Kind::kInteger:
      return std::string_view("dioxXuc").find(conversion) != std::string_view::npos;
    case Kind::kFloat:
      return std::string_view("fFeEgGaA").find(conversion) != std::string_view::npos;
    case Kind::kString:
    case Kind::kOther:
      return conversion == 's';
    case Kind::kPointer:
      return conversion == 'p';
  }
  return false;
}

// Not constexpr on purpose: reaching it during constant evaluation is the compile error,
// and its name is what g++ prints.
void format_string_does_not_match_its_arguments(const char* why);

constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Walks `text` and checks every conversion against `kinds` (one per argument). Returns
// normally when they match; otherwise calls the non-constexpr function above.
template <size_t N>
constexpr void Check(std::string_view text, const Kind (&kinds)[N], size_t count) {
  size_t next_argument = 0;
  bool positional = false, sequential = false;
  bool used[N + 1] = {};
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') continue;
    if (++i >= text.size()) format_string_does_not_match_its_arguments("lone % at the end");
    if (text[i] == '%') continue;
    // Optional "n$" position.
    size_t position = 0;
    size_t j = i;
    while (j < text.size() && IsDigit(text[j])) position = position * 10 + (text[j++] - '0');
    if (j < text.size() && text[j] == '$' && j > i) {
      positional = true;
      i = j + 1;
    } else {
      position = 0;
      sequential = true;
    }
    if (positional && sequential) {
      format_string_does_not_match_its_arguments("mixes %n$ and plain conversions");
    }
    while (i < text.size() && std::string_view("-+ #0").find(text[i]) != std::string_view::npos) {
      ++i;
    }
    auto take_star = [&] {  // "*" takes an int argument for the width or precision.
      if (positional) format_string_does_not_match_its_arguments("* with %n$");
      if (next_argument >= count || kinds[next_argument] != Kind::kInteger) {
        format_string_does_not_match_its_arguments("* needs an int argument");
      }
      used[next_argument++] = true;
    };
    if (i < text.size() && text[i] == '*') {
      take_star();
      ++i;
    }
    while (i < text.size() && IsDigit(text[i])) ++i;
    if (i < text.size() && text[i] == '.') {
      ++i;
      if (i < text.size() && text[i] == '*') {
        take_star();
        ++i;
      }
      while (i < text.size() && IsDigit(text[i])) ++i;
    }
    // Length modifiers are accepted and ignored, as Abseil does.
    while (i < text.size() && std::string_view("hlLqjzt").find(text[i]) != std::string_view::npos) {
      ++i;
    }
    if (i >= text.size()) format_string_does_not_match_its_arguments("unfinished conversion");
    const size_t argument = positional ? position - 1 : next_argument++;
    if (argument >= count) format_string_does_not_match_its_arguments("more conversions than arguments");
    if (!Accepts(kinds[argument], text[i])) {
      format_string_does_not_match_its_arguments("a conversion does not fit its argument's type");
    }
    used[argument] = true;
  }
  for (size_t a = 0; a < count; ++a) {
    if (!used[a]) format_string_does_not_match_its_arguments("an argument is never used");
  }
}

}  // namespace format_internal

// A format string for Args..., checked when the program is compiled. Construct it from a
// string literal only (the constructor is consteval): that literal is also the msgid.
template <typename... Args>
class BasicFormatString {
 public:
  // From a literal only: its text is also a NUL-terminated msgid for gettext.
  template <size_t N>
  consteval BasicFormatString(const char (&text)[N])  // NOLINT: implicit on purpose
      : text_(text, N - 1) {
    constexpr format_internal::Kind kinds[sizeof...(Args) + 1] = {
        format_internal::KindOf<Args>()..., format_internal::Kind::kOther};
    format_internal::Check(text_, kinds, sizeof...(Args));
  }

  constexpr std::string_view text() const { return text_; }

 private:
  std::string_view text_;
};

// FormatString<Args...> as a parameter type that does not take part in deducing Args:
//   template <typename... Args> void Print(FormatString<Args...> f, const Args&... args);
template <typename... Args>
using FormatString = BasicFormatString<std::type_identity_t<Args>...>;

}  // namespace lesson

#endif  // COMMON_FORMAT_STRING_H_

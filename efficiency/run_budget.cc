#include "efficiency/run_budget.h"

#include "absl/strings/str_format.h"
#include "common/flags.h"

namespace efficiency {

std::string AboutHowLong(double seconds) {
  if (seconds < 120) return absl::StrFormat("about %.0f s", seconds);
  if (seconds < 2 * 3600) return absl::StrFormat("about %.0f minutes", seconds / 60);
  if (seconds < 2 * 86400) return absl::StrFormat("about %.0f hours", seconds / 3600);
  return absl::StrFormat("about %.0f days", seconds / 86400);
}

void RejectLongRun(double estimated_seconds,
                   const std::vector<std::pair<std::string, std::string>>& flags) {
  std::string others;
  for (size_t i = 1; i < flags.size(); ++i) {
    others += absl::StrFormat("%s--%s=%s ", i == 1 ? "with " : "", flags[i].first,
                              flags[i].second);
  }
  lesson::RejectFlag(
      flags.empty() ? "?" : flags[0].first, flags.empty() ? "?" : flags[0].second,
      absl::StrFormat("%swould run for %s (estimated from the flags); allowed: about a "
                      "minute at most (%.0f s): lower one of them",
                      others, AboutHowLong(estimated_seconds), kMaxRunSeconds));
}

}  // namespace efficiency

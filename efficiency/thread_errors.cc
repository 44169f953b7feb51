#include "efficiency/thread_errors.h"

#include <sys/resource.h>

#include <string>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "common/message.h"

namespace efficiency {
namespace {

// std::thread reports EAGAIN as resource_unavailable_try_again; oneTBB only has a message
// ("pthread_create has failed: Resource temporarily unavailable").
bool IsThreadLimit(const std::exception& error) {
  if (const auto* system = dynamic_cast<const std::system_error*>(&error)) {
    return system->code() == std::errc::resource_unavailable_try_again;
  }
  return absl::StrContains(error.what(), "pthread_create");
}

}  // namespace

absl::Status ThreadStartError(std::string_view what, const std::exception& error) {
  if (!IsThreadLimit(error)) {
    return absl::InternalError(absl::StrFormat("%s: %s", what, error.what()));
  }
  rlimit limit{};
  getrlimit(RLIMIT_NPROC, &limit);
  const std::string soft =
      limit.rlim_cur == RLIM_INFINITY ? "unlimited" : absl::StrFormat("%d", limit.rlim_cur);
  return absl::ResourceExhaustedError(
      lesson::Format("%s: %s: this user has reached its process limit (RLIMIT_NPROC, soft "
                     "limit %s; `ulimit -u`, which counts threads too) or the system's thread "
                     "limit (kernel.threads-max)",
                     what, error.what(), soft)
          .str());
}

}  // namespace efficiency

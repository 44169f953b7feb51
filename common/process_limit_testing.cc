#include "common/process_limit_testing.h"

#include <grp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace lesson::testing {

void ForbidNewTasks() {
  constexpr uid_t kNobody = 65534;
  if (getuid() == 0 && (setgroups(0, nullptr) != 0 || setgid(kNobody) != 0 ||
                        setuid(kNobody) != 0)) {
    std::fprintf(stderr, "cannot become the unprivileged user nobody: %s\n",
                 std::strerror(errno));
    _exit(3);
  }
  const rlimit none{0, 0};
  if (setrlimit(RLIMIT_NPROC, &none) != 0) {
    std::fprintf(stderr, "cannot set RLIMIT_NPROC to 0: %s\n", std::strerror(errno));
    _exit(4);
  }
}

}  // namespace lesson::testing

// Wall-clock time as the service stores it: whole seconds since the Unix epoch (UTC), the unit of
// job records, signed-URL expiry and JWT claims.
#pragma once

#include <chrono>
#include <cstdint>

namespace scout {

inline int64_t now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace scout

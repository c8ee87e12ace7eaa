#pragma once
// The wall clock as Unix epoch milliseconds, for tests that stamp payloads with "now"
// (the gateway bounds payload timestamps against arrival time).

#include <chrono>
#include <cstdint>

namespace edgegw::test {

inline std::int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace edgegw::test

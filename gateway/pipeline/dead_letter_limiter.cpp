#include "pipeline/dead_letter_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace edgegw::pipeline {
namespace {

// Sources tracked one by one: each entry is a bucket and a key of at most
// mqtt.max_id_length bytes, so the table stays within a few MiB.
constexpr std::size_t kMaxSources = 10'000;

// A source idle this long has its bucket full again: forgetting it loses nothing.
std::int64_t refill_time_ms(const DeadLetterRate& rate) {
  if (rate.per_second <= 0) {
    return 0;
  }
  return static_cast<std::int64_t>(std::ceil(1000.0 * rate.burst / rate.per_second)) + 1000;
}

}  // namespace

DeadLetterLimiter::DeadLetterLimiter(DeadLetterRate rate)
    : rate_(rate),
      sources_(DeviceTableLimits{kMaxSources, std::max<std::int64_t>(refill_time_ms(rate), 1)}),
      shared_{static_cast<double>(rate.burst), 0} {}

bool DeadLetterLimiter::admit(std::string_view source, std::int64_t now_ms) {
  if (rate_.per_second <= 0) {
    return true;
  }
  Bucket* bucket = sources_.find_or_admit(source, now_ms, [&](const std::string&, Bucket& b) {
    b = Bucket{static_cast<double>(rate_.burst), now_ms};
  });
  return spend(bucket != nullptr ? *bucket : shared_, now_ms);
}

bool DeadLetterLimiter::spend(Bucket& bucket, std::int64_t now_ms) const {
  if (now_ms > bucket.refilled_ms) {  // a clock that steps back refills nothing
    const double earned =
        rate_.per_second * static_cast<double>(now_ms - bucket.refilled_ms) / 1000;
    bucket.tokens = std::min(static_cast<double>(rate_.burst), bucket.tokens + earned);
    bucket.refilled_ms = now_ms;
  }
  if (bucket.tokens < 1) {
    return false;
  }
  bucket.tokens -= 1;
  return true;
}

}  // namespace edgegw::pipeline

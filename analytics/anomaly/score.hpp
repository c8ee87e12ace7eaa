#pragma once
// A detector's verdict on one value or vector: the statistic, the threshold it is
// compared with, and the tail probability under the detector's reference distribution.

#include <limits>

namespace edgegw::analytics {

struct Score {
  bool ready = false;  // false while warming up (or nothing to score)
  double ratio = 0.0;  // >= 1 means over threshold; 0 when not ready
  double statistic = 0.0;
  double threshold = std::numeric_limits<double>::infinity();
  double p_value = 1.0;   // 1 when not ready or when the detector has no distribution
  double expected = 0.0;  // what the detector expected the value to be
  double scale = 0.0;     // the spread it compared against
};

// A Score's fields in a checkpoint (checkpoint_io.hpp's Writer or Reader).
template <typename Io, typename S>
void score_fields(Io& io, S& s) {
  io(s.ready, s.ratio, s.statistic, s.threshold, s.p_value, s.expected, s.scale);
}

}  // namespace edgegw::analytics

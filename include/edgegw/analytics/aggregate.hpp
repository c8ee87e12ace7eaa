#pragma once
// One closed tumbling window of one sensor of one device: what the aggregates stream
// carries (docs/schemas/aggregate.schema.json).

#include <cstdint>
#include <string>

namespace edgegw::analytics {

struct Aggregate {
  std::string device;
  std::string sensor;
  std::int64_t window_start_ms = 0;  // event time, inclusive
  std::int64_t window_end_ms = 0;    // event time, exclusive
  std::uint64_t count = 0;           // finite readings only
  double min = 0.0;
  double max = 0.0;
  double mean = 0.0;
  double stddev = 0.0;  // sample standard deviation (0 for one reading)
  double last = 0.0;    // reading with the latest event time
};

}  // namespace edgegw::analytics

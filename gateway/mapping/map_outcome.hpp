#pragma once
// What the mapper made of one message: a Sample (when any reading survived) and the
// problems found on the way. Problems are never dropped silently: the pipeline sends
// them to the dead-letter stream with the original topic and payload, and counts them.

#include <string>
#include <vector>

#include "edgegw/mapping.hpp"
#include "edgegw/sample.hpp"

namespace edgegw::mapping {

struct Problem {
  std::string reason;  // machine-readable: no_mapping, decode_error, wrong_type, ...
  std::string detail;  // a sentence naming the field and what was wrong
};

struct MapOutcome {
  const MappingConfig* mapping = nullptr;  // null when no mapping matched
  bool has_sample = false;
  Sample sample;
  std::vector<Problem> problems;

  void reset() {
    mapping = nullptr;
    has_sample = false;
    sample.tags.clear();
    sample.readings.clear();
    sample.sequence = -1;
    problems.clear();
  }
};

}  // namespace edgegw::mapping

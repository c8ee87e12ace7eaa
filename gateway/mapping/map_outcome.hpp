#pragma once
// What the mapper made of one message: a Sample (when any reading survived) and the
// problems found on the way. Problems are never dropped silently: the pipeline sends
// them to the dead-letter stream with the original topic and payload, and counts them.

#include <cstdint>
#include <string>
#include <vector>

#include "edgegw/device_presence.hpp"
#include "edgegw/mapping.hpp"
#include "edgegw/sample.hpp"
#include "mapping/dead_letter_reason.hpp"

namespace edgegw::mapping {

struct Problem {
  DeadLetterReason reason = DeadLetterReason::decode_error;
  std::string detail;  // a sentence naming the field and what was wrong
};

// What the mapper did with a payload timestamp beyond its mapping's bounds
// (max_clock_skew, max_sample_age), for the counters and test-mapping.
enum class TimestampVerdict {
  within,    // in bounds, or not from the payload
  rejected,  // on_bad_timestamp: dead_letter: no sample, a bad_timestamp problem
  replaced,  // on_bad_timestamp: arrival_time: the sample carries the arrival time
};

struct MapOutcome {
  const MappingConfig* mapping = nullptr;  // null when no mapping matched
  bool has_sample = false;
  Sample sample;
  std::vector<Problem> problems;
  TimestampVerdict timestamp = TimestampVerdict::within;
  std::string timestamp_note;  // replaced: which timestamp, and the bound it broke
  // Devices the message says went offline or came back (Sparkplug deaths and births),
  // with or without a sample: the pipeline hands them to the analytics engine.
  std::vector<PresenceChange> presence;
  // Sparkplug: messages of the edge node its `seq` says were lost before this one.
  std::uint32_t sparkplug_seq_gap = 0;

  void reset() {
    mapping = nullptr;
    has_sample = false;
    sample.device.clear();  // else a message no mapping matches keeps the last one's
    sample.tags.clear();
    sample.readings.clear();
    sample.sequence = -1;
    problems.clear();
    timestamp = TimestampVerdict::within;
    timestamp_note.clear();
    presence.clear();
    sparkplug_seq_gap = 0;
  }
};

}  // namespace edgegw::mapping

#include "app/mock_kafka_control.hpp"

#include <charconv>
#include <exception>

#include "edgegw/text.hpp"

namespace edgegw::app {
namespace {

// Long enough to outlast every client timeout of a test run; short of int overflow.
constexpr int kHangRttMs = 3600 * 1000;
constexpr int kMaxRttMs = kHangRttMs;

std::string_view trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return {};
  }
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

bool parse_rtt(std::string_view text, int& rtt_ms) {
  text = trimmed(text);
  const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), rtt_ms);
  return err == std::errc() && end == text.data() + text.size() && rtt_ms >= 0 &&
         rtt_ms <= kMaxRttMs;
}

}  // namespace

std::string MockKafkaControl::apply(std::string_view line) {
  const std::string_view command = trimmed(line);
  try {
    if (command == "down") {
      cluster_.set_all_brokers_down();
    } else if (command == "up") {
      cluster_.set_all_brokers_up();
    } else if (command == "hang") {
      set_rtt_everywhere(kHangRttMs);
    } else if (command == "resume") {
      set_rtt_everywhere(rtt_ms_);
    } else if (command.substr(0, 4) == "rtt ") {
      int rtt_ms = 0;
      if (!parse_rtt(command.substr(4), rtt_ms)) {
        return "error: rtt takes milliseconds, 0 to " + std::to_string(kMaxRttMs);
      }
      rtt_ms_ = rtt_ms;
      set_rtt_everywhere(rtt_ms_);
    } else {
      return "error: unknown command '" + printable(command) + "' (down, up, rtt MS, hang, resume)";
    }
  } catch (const std::exception& e) {
    return std::string("error: ") + e.what();
  }
  return "ok " + std::string(command);
}

void MockKafkaControl::set_rtt_everywhere(int rtt_ms) {
  for (int id = 1; id <= cluster_.broker_count(); ++id) {
    cluster_.set_broker_rtt_ms(id, rtt_ms);
  }
}

}  // namespace edgegw::app

#include "app/json_log_formatter.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

#include "edgegw/time_format.hpp"

namespace edgegw::app {

void JsonLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  const auto epoch_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
  const nlohmann::json line = {
      {"ts", iso8601_utc(epoch_ms)},
      {"level", std::string(spdlog::level::to_string_view(msg.level).data(),
                            spdlog::level::to_string_view(msg.level).size())},
      {"msg", std::string(msg.payload.data(), msg.payload.size())},
  };
  // Bytes that are not UTF-8 (they should not reach a log line, but a shipper must never
  // get invalid JSON) become U+FFFD instead of an exception.
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  dest.append(text.data(), text.data() + text.size());
  dest.push_back('\n');
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const {
  return std::make_unique<JsonLogFormatter>();
}

}  // namespace edgegw::app

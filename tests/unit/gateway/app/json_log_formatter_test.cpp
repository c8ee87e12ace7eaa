// --log-format json: every line parses as JSON, whatever bytes a message carries.

#include <spdlog/details/log_msg.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

#include "app/json_log_formatter.hpp"

namespace edgegw::app {
namespace {

nlohmann::json formatted(spdlog::level::level_enum level, std::string_view text) {
  const spdlog::details::log_msg msg(spdlog::source_loc{}, "edgegw", level,
                                     spdlog::string_view_t(text.data(), text.size()));
  JsonLogFormatter formatter;
  spdlog::memory_buf_t out;
  formatter.format(msg, out);
  const std::string line(out.data(), out.size());
  REQUIRE(line.back() == '\n');
  REQUIRE(line.find('\n') == line.size() - 1);  // one line, whatever the message holds
  return nlohmann::json::parse(line);
}

}  // namespace

TEST_CASE("a log line as JSON: time, level and the message as written", "[unit][logging]") {
  const nlohmann::json line = formatted(spdlog::level::warn, "Broker lost. reason=\"timeout\"\n");
  CHECK(line.at("level") == "warning");
  CHECK(line.at("msg") == "Broker lost. reason=\"timeout\"\n");
  CHECK(line.at("ts").get<std::string>().back() == 'Z');
}

TEST_CASE("bytes that are not UTF-8 still give valid JSON", "[unit][logging]") {
  const nlohmann::json line = formatted(spdlog::level::err, "topic=\xff\xfe/x");
  CHECK(line.at("msg") == "topic=\xEF\xBF\xBD\xEF\xBF\xBD/x");  // U+FFFD twice
}

}  // namespace edgegw::app

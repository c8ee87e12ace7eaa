#pragma once
// `--log-format json`: one JSON object per line, for log shippers (Fluent Bit, Vector,
// journald's JSON export) that should not parse the text format. The message keeps its
// `key=value` fields as written, so that the two formats say the same words.
//   {"ts":"2026-11-22T05:00:21.470Z","level":"info","msg":"Gateway started. id=edge-01 ..."}

#include <spdlog/formatter.h>

#include <memory>

namespace edgegw::app {

class JsonLogFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  [[nodiscard]] std::unique_ptr<spdlog::formatter> clone() const override;
};

}  // namespace edgegw::app

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "edgegw/base64.hpp"
#include "message_sink.hpp"

namespace edgegw::sim {

DryRunSink::DryRunSink(const std::filesystem::path& path, bool with_time)
    : file_(std::fopen(path.c_str(), "wb")), path_(path), with_time_(with_time) {
  if (file_ == nullptr) {
    throw std::runtime_error("cannot create dry-run file " + path.string() + ": " +
                             std::strerror(errno));
  }
  // A large buffer: lines are short and many.
  std::setvbuf(file_, nullptr, _IOFBF, 1U << 20U);
}

DryRunSink::~DryRunSink() {
  if (file_ != nullptr) {
    std::fclose(file_);
  }
}

bool DryRunSink::publish(const Message& m) {
  if (with_time_) {
    std::fprintf(file_, "%lld\t", static_cast<long long>(m.event_ms));
  }
  std::fwrite(m.topic.data(), 1, m.topic.size(), file_);
  std::fputc('\t', file_);
  if (m.binary) {
    const std::string text = base64_encode(m.payload);
    std::fwrite(text.data(), 1, text.size(), file_);
  } else {
    std::fwrite(m.payload.data(), 1, m.payload.size(), file_);
  }
  return std::fputc('\n', file_) != EOF;
}

std::uint64_t DryRunSink::flush(std::chrono::milliseconds /*timeout*/) {
  if (std::fflush(file_) != 0) {
    throw std::runtime_error("cannot write dry-run file " + path_.string() + ": " +
                             std::strerror(errno));
  }
  return 0;
}

}  // namespace edgegw::sim

// The analytics checkpoint loader (Engine::restore). A refused checkpoint is the clean
// outcome; a restored one must keep working: a sample, a tick and a new checkpoint.
//
// First byte odd: the rest is a checkpoint payload, and this target writes the header
// (magic, version, length, both CRCs) around it, so that mutations reach the fields
// instead of dying at the CRC. Even: the rest is the whole file, header included.

#include <cstring>
#include <string>

#include "checkpoint_engine.hpp"
#include "edgegw/analytics/engine.hpp"
#include "edgegw/crc32c.hpp"
#include "fuzz_target.hpp"

namespace {

void put_u32(std::string& out, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    out[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFFU);
  }
}

std::string with_header(std::string_view payload) {
  std::string out(32, '\0');
  std::memcpy(out.data(), "EGWANCKP", 8);
  put_u32(out, 8, 1);  // the format version
  const std::uint64_t length = payload.size();
  put_u32(out, 16, static_cast<std::uint32_t>(length));
  put_u32(out, 20, static_cast<std::uint32_t>(length >> 32));
  out.append(payload);
  put_u32(out, 24, edgegw::crc32c(out.data() + 32, payload.size()));
  put_u32(out, 28, edgegw::crc32c(out.data(), 28));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string bytes = (data[0] & 1U) != 0 ? with_header(rest) : std::string(rest);

  using namespace edgegw::analytics;
  Engine engine(edgegw::fuzz::checkpoint_engine_config());
  const std::int64_t now = edgegw::fuzz::kCheckpointStartMs + 60'000;
  if (!engine.restore(bytes, now).restored) {
    return 0;
  }
  Output out;
  edgegw::Sample sample;
  sample.device = "dev-0";
  sample.timestamp_ms = now;
  sample.readings.push_back(edgegw::Reading{"s0", 61.0, ""});
  engine.on_sample(sample, "", now, out);
  out.clear();
  engine.on_tick(now + 1000, out);
  (void)engine.checkpoint();
  return 0;
}

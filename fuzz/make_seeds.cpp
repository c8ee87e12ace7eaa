// Writes the binary seed corpora (record_frame, segment_log, checkpoint) into
// fuzz/corpus/<target>/ with the encoders the gateway itself uses, so that the seeds are
// valid inputs of today's formats. Run by fuzz/make_seeds.sh; the text corpora are
// written by hand.
//
//   fuzz_make_seeds CORPUS_DIR

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "checkpoint_engine.hpp"
#include "edgegw/analytics/engine.hpp"
#include "memory_file_system.hpp"
#include "store/cursor_file.hpp"
#include "store/record_frame.hpp"

namespace {

namespace fs = std::filesystem;
using edgegw::Stream;
using edgegw::store::encode_frame;

void write(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string frames(std::uint64_t first, int count, Stream stream = Stream::telemetry) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    const std::uint64_t offset = first + static_cast<std::uint64_t>(i);
    encode_frame(out, offset, 1'700'000'000'000 + static_cast<std::int64_t>(offset), stream,
                 "pump-00" + std::to_string(i % 3),
                 R"({"device":"pump-001","ts":1700000000000,"flow":12.5})");
  }
  return out;
}

std::string cursor_slot(std::uint64_t cursor, std::uint64_t end) {
  edgegw::fuzz::MemoryFileSystem memory;
  (void)edgegw::store::write_cursor_slot(memory, "/d", 0, {cursor, end}, false);
  auto file = memory.open("/d/cursor.0", edgegw::store::OpenMode::read_only);
  std::string bytes(64, '\0');
  bytes.resize(file.value()->read_at(bytes.data(), bytes.size(), 0).value());
  return bytes;
}

// segment_log_fuzz.cpp's layout: parts joined by "EGW|", each kind byte, base byte, bytes.
std::string part(char kind, char base, const std::string& bytes) {
  return std::string{kind, base} + bytes;
}
std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    out += (out.empty() ? "" : "EGW|") + p;
  }
  return out;
}

void record_frame_seeds(const fs::path& dir) {
  write(dir / "telemetry", frames(0, 1));
  write(dir / "dead_letter", frames(41, 1, Stream::dead_letter));
  std::string empty;
  encode_frame(empty, 7, 0, Stream::alerts, "", "");
  write(dir / "empty_key_and_payload", empty);
}

void segment_log_seeds(const fs::path& dir) {
  write(dir / "one_segment", join({part(0, 0, frames(0, 5)), part(1, 0, cursor_slot(2, 5))}));
  write(dir / "two_segments_two_cursors",
        join({part(0, 0, frames(0, 4)), part(0, 4, frames(4, 3)), part(1, 0, cursor_slot(3, 7)),
              part(3, 0, cursor_slot(4, 7))}));
  std::string torn = frames(0, 3);
  torn.resize(torn.size() - 10);
  write(dir / "torn_tail", join({part(0, 0, torn)}));
  std::string damaged = frames(10, 4);
  damaged[90] = static_cast<char>(damaged[90] ^ 0x40);
  write(dir / "damaged_middle", join({part(0, 10, damaged), part(1, 0, cursor_slot(10, 14))}));
  write(dir / "zero_tail", join({part(0, 0, frames(0, 2) + std::string(64, '\0'))}));
}

void checkpoint_seeds(const fs::path& dir) {
  using namespace edgegw::analytics;
  Engine engine(edgegw::fuzz::checkpoint_engine_config());
  Output out;
  for (int second = 0; second < 60; ++second) {
    for (int device = 0; device < 3; ++device) {
      edgegw::Sample s;
      s.device = "dev-" + std::to_string(device);
      s.timestamp_ms = edgegw::fuzz::kCheckpointStartMs + second * 1000LL;
      for (int k = 0; k < 3; ++k) {
        const double wiggle = ((second * 7 + k * 3 + device) % 11) * 0.1;
        const double spike = second == 50 && k == device ? 30.0 : 0.0;
        s.readings.push_back(
            edgegw::Reading{"s" + std::to_string(k), 50.0 + k + wiggle + spike, ""});
      }
      out.clear();
      engine.on_sample(s, device == 1 ? "pump" : "", s.timestamp_ms + 20, out);
    }
    out.clear();
    engine.on_tick(edgegw::fuzz::kCheckpointStartMs + second * 1000LL + 500, out);
  }
  const std::string bytes = engine.checkpoint();
  // A seed the target refuses would only test the refusal.
  if (!Engine(edgegw::fuzz::checkpoint_engine_config())
           .restore(bytes, edgegw::fuzz::kCheckpointStartMs + 60'000)
           .restored) {
    std::fprintf(stderr, "fuzz_make_seeds: the engine refuses its own checkpoint\n");
    std::exit(1);
  }
  // checkpoint_fuzz.cpp: a first byte 1 wraps the payload in a fresh header, 0 takes it all.
  write(dir / "three_devices_payload", std::string(1, '\1') + bytes.substr(32));
  write(dir / "three_devices_file", std::string(1, '\0') + bytes);
  write(dir / "empty_engine_payload",
        std::string(1, '\1') +
            Engine(edgegw::fuzz::checkpoint_engine_config()).checkpoint().substr(32));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_make_seeds CORPUS_DIR\n");
    return 2;
  }
  const fs::path corpus = argv[1];
  record_frame_seeds(corpus / "record_frame");
  segment_log_seeds(corpus / "segment_log");
  checkpoint_seeds(corpus / "checkpoint");
  return 0;
}

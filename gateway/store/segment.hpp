#pragma once
// One segment file of the log and the metadata the writer, the reader and the sync
// thread share about it.
//
// Ownership: the log's segment list holds a shared_ptr; the reader and the sync thread
// may hold another while they use it, so a segment deleted from the list (and unlinked)
// stays readable until they let go. Fields are either const or atomic. The segment holds
// no file handle: the writer keeps one for the active segment, the reader its own.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace edgegw::store {

// "00000000000000001234.seg": the base offset (the offset of the segment's first
// record), zero-padded so that names sort like offsets.
std::string segment_file_name(std::uint64_t base_offset);
std::optional<std::uint64_t> parse_segment_file_name(std::string_view name);

// Bytes of whole frames and record count of a segment, published together in one atomic
// word so that a reader never sees a size without the matching count.
struct SegmentExtent {
  std::uint64_t bytes = 0;
  std::uint64_t records = 0;
};

class Segment {
 public:
  static constexpr int kBytesBits = 40;  // segments stay far below 1 TiB (config checks)

  Segment(std::uint64_t base_offset, const std::filesystem::path& directory)
      : base_offset_(base_offset),
        name_(segment_file_name(base_offset)),
        path_(directory / name_) {}

  [[nodiscard]] std::uint64_t base_offset() const { return base_offset_; }
  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  // Writer: after the frames are in the file. Readers: what they may read.
  void publish(SegmentExtent extent) {
    published_.store((extent.records << kBytesBits) | extent.bytes, std::memory_order_release);
  }
  [[nodiscard]] SegmentExtent extent() const {
    const std::uint64_t word = published_.load(std::memory_order_acquire);
    return {word & ((1ULL << kBytesBits) - 1), word >> kBytesBits};
  }
  // Offset after the segment's last record, by contiguity of offsets within a segment.
  [[nodiscard]] std::uint64_t end_offset() const { return base_offset_ + extent().records; }

  // Sealed: no more appends. Set after the last publish() and after the next segment is
  // in the list, so that a reader who sees it sealed finds the successor.
  void seal() { sealed_.store(true, std::memory_order_release); }
  [[nodiscard]] bool sealed() const { return sealed_.load(std::memory_order_acquire); }

  std::atomic<std::int64_t> first_append_ms{0};  // 0 until known

 private:
  const std::uint64_t base_offset_;
  const std::string name_;
  const std::filesystem::path path_;
  std::atomic<std::uint64_t> published_{0};
  std::atomic<bool> sealed_{false};
};

}  // namespace edgegw::store

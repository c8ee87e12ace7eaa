#include "store/priority_rescue.hpp"

#include <algorithm>

#include "store/record_frame.hpp"
#include "store/segment_scanner.hpp"

namespace edgegw::store {

Result<std::vector<KeptRecord>> pick_records_to_keep(FileSystem& fs, const Segment& segment,
                                                     std::uint64_t cursor,
                                                     std::size_t budget_bytes) {
  if (segment.end_offset() <= cursor) {
    return std::vector<KeptRecord>{};  // wholly acknowledged: nothing to keep, no read
  }
  auto opened = fs.open(segment.path(), OpenMode::read_only);
  if (!opened) {
    return opened.error();
  }
  const std::unique_ptr<File> file = std::move(opened).value();
  const SegmentExtent extent = segment.extent();
  const ScanLimits limits{extent.bytes, segment.base_offset() + extent.records};
  SegmentScanner scanner;
  scanner.reset(file.get(), 0, segment.base_offset());

  std::vector<KeptRecord> candidates;  // in offset order
  for (;;) {
    auto step = scanner.next(limits);
    if (!step) {
      return step.error();
    }
    const ScanStep& s = step.value();
    if (s.kind == ScanStepKind::end) {
      break;
    }
    if (s.kind != ScanStepKind::record || s.header.offset < cursor) {
      continue;
    }
    const auto stream = stream_from_byte(s.header.stream);
    if (!stream || drop_priority(*stream) == 0) {
      continue;
    }
    candidates.push_back({*stream, std::string(frame_key(s.frame, s.header)),
                          std::string(frame_payload(s.frame, s.header)), s.header.frame_bytes()});
  }
  // Highest priority first; within one, the original (offset) order.
  std::stable_sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
    return drop_priority(a.stream) > drop_priority(b.stream);
  });
  std::vector<KeptRecord> kept;
  std::size_t used = 0;
  for (auto& c : candidates) {
    if (used + c.frame_bytes > budget_bytes) {
      break;  // lower priorities do not jump the queue
    }
    used += c.frame_bytes;
    kept.push_back(std::move(c));
  }
  // Appended again in the original order within each priority, highest first: an
  // alert's raise and clear keep their order.
  return kept;
}

}  // namespace edgegw::store

#pragma once
// The analytics checkpoint's format (Engine::checkpoint / Engine::restore, in
// checkpoint.cpp; each state struct's fields are in checkpoint_fields.cpp and, for the
// detectors' state, in their units).
//
//   offset  size  field
//        0     8  magic "EGWANCKP"
//        8     4  u32 format version (kFormatVersion)
//       12     4  u32 flags, 0
//       16     8  u64 payload bytes: the file is exactly 32 + this long
//       24     4  u32 CRC32C of the payload
//       28     4  u32 CRC32C of bytes 0..27 (so that a damaged length is not trusted)
//       32        payload:
//                   EngineStats (15 x u64)
//                   u32 device count, then per device, sorted by name:
//                     u32 record bytes (what follows, so a dropped device is skipped)
//                     device name, profile name (u32 length + bytes each)
//                     u64 fingerprint of the profile's config (checkpoint::fingerprint)
//                     the device's state (checkpoint_fields.cpp, the detector units)
//
// Integers little-endian, doubles as their IEEE bits, vectors as a u32 count and the
// elements. A reader refuses any other version: a change of any saved struct raises it
// (old checkpoints are then refused, and the detectors learn again, as without one).

#include <cstddef>
#include <cstdint>

namespace edgegw::analytics::checkpoint {

inline constexpr char kMagic[8] = {'E', 'G', 'W', 'A', 'N', 'C', 'K', 'P'};
inline constexpr std::uint32_t kFormatVersion = 5;
inline constexpr std::size_t kHeaderBytes = 32;

}  // namespace edgegw::analytics::checkpoint

#pragma once
// The per-device state bound shared by the maintenance estimators: a device's state is
// created on first sight unless `max_devices` states exist already, in which case the
// refusal is counted and the sample gets no estimate.

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

namespace edgegw::analytics {

// The device's state, created with `make()` when new; nullptr when refused.
template <class State, class Make>
State* find_or_admit(std::unordered_map<std::string, std::unique_ptr<State>>& devices,
                     const std::string& device, std::size_t max_devices, std::size_t& refused,
                     Make&& make) {
  auto it = devices.find(device);
  if (it == devices.end()) {
    if (devices.size() >= max_devices) {
      ++refused;
      return nullptr;
    }
    it = devices.emplace(device, make()).first;
  }
  return it->second.get();
}

}  // namespace edgegw::analytics

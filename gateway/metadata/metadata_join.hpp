#pragma once
// Joining a device's metadata tags into its sample, before the telemetry record is
// written (and the Kafka key rendered), so that every consumer sees the device's site,
// line and model without a lookup of its own.

#include "edgegw/device_metadata.hpp"
#include "edgegw/sample.hpp"

namespace edgegw::metadata {

// Appends the metadata's tags the sample does not have already: a tag the mapping
// captured from the topic wins, being what the device says now.
void join_tags(Sample& sample, const DeviceMetadata& metadata);

}  // namespace edgegw::metadata

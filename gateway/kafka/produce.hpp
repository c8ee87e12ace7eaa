#pragma once
// One message to produce, and a function that produces it through rd_kafka_produceva
// (the type-safe array form, instead of librdkafka's variadic macros).

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <string_view>

namespace edgegw::kafka {

struct Header {
  const char* name;
  std::string_view value;
};

struct OutgoingMessage {
  const char* topic = nullptr;
  std::string_view key;
  std::string_view value;
  Header headers[2] = {{nullptr, {}}, {nullptr, {}}};  // unused entries have no name
  rd_kafka_headers_t* header_list = nullptr;           // instead of `headers`; always consumed
  std::int64_t timestamp_ms = 0;                       // 0: librdkafka stamps it
  void* opaque = nullptr;                              // comes back in the delivery report
};

// The payload and key are copied; returns librdkafka's error code (NO_ERROR on success,
// _QUEUE_FULL when its queue is full and the caller should poll and retry).
rd_kafka_resp_err_t produce(rd_kafka_t* producer, const OutgoingMessage& message);

}  // namespace edgegw::kafka

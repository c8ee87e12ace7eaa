#pragma once
// Paho option helpers shared by the gateway's MQTT clients (ingest and publishers), so
// that every connection reads the config's broker URI and TLS settings the same way.

#include <mqtt/exception.h>
#include <mqtt/ssl_options.h>

#include <string>

#include "edgegw/config.hpp"

namespace edgegw::mqtt_publish {

mqtt::ssl_options make_ssl_options(const TlsConfig& tls);

// Paho knows tcp:// and ssl://; this also accepts the common mqtt:// and mqtts://.
std::string server_uri(const std::string& broker);

// Paho's message for a failed connect, with what a refusing broker meant: Paho says only
// "CONNACK return code" and the bare number for a wrong password or a denied client id.
std::string describe_connect_failure(const mqtt::exception& e);

// Paho C's process-wide settings, applied once, before the first client exists (Paho
// reads the OpenSSL setting when it creates it): a client class declares this as a
// member before its mqtt::async_client.
// - The trace: at its default level Paho formats every protocol event (each PUBLISH
//   received, each PUBACK sent) into an in-memory trace nobody reads, four vsnprintf
//   calls and a mutex per message, a sixth of the ingest thread's instructions. Errors
//   only, unless a developer asked for Paho's trace (MQTT_C_CLIENT_TRACE or
//   MQTT_C_CLIENT_TRACE_LEVEL set).
// - OpenSSL: Paho initializes it at its first client, loading every error string and
//   algorithm table, 1.3 MiB of resident libcrypto pages in a gateway that may never use
//   TLS. OpenSSL 1.1 and later initialize themselves on first use, so Paho leaves it.
struct PahoProcessSettings {
  PahoProcessSettings();
};

}  // namespace edgegw::mqtt_publish

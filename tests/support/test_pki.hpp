#pragma once
// Certificates for TLS tests, made by the openssl command at test time: a CA, a broker
// certificate for 127.0.0.1 and a client certificate signed by it, a broker certificate
// for another address, and a second CA that signed nothing (a client trusting it must
// refuse the broker).

#include <filesystem>
#include <string>

namespace edgegw::test {

struct TestPki {
  std::filesystem::path ca_cert;
  std::filesystem::path broker_cert;
  std::filesystem::path broker_key;
  std::filesystem::path client_cert;
  std::filesystem::path client_key;
  std::filesystem::path other_ca_cert;
  // Signed by the CA, but for 127.0.0.2: a client dialling 127.0.0.1 must refuse it.
  std::filesystem::path wrong_host_cert;
  std::filesystem::path wrong_host_key;
  // client_key encrypted with AES-256 under client_key_password.
  std::filesystem::path client_key_encrypted;
  std::string client_key_password;
};

// Writes everything into `dir` (readable by others: mosquitto started as root reads it as
// its own user). Throws std::runtime_error with openssl's output when a step fails.
TestPki make_test_pki(const std::filesystem::path& dir);

}  // namespace edgegw::test

#include "support/test_pki.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "support/child_process.hpp"

namespace edgegw::test {
namespace {

void openssl(const std::filesystem::path& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess step(argv, dir / "openssl.out", dir / "openssl.err");
  if (step.wait_for(std::chrono::seconds(30)) != 0) {
    throw std::runtime_error(
        fmt::format("openssl {} failed: {}", args.front(), read_file(dir / "openssl.err")));
  }
}

// A self-signed CA certificate and its key.
void make_ca(const std::filesystem::path& dir, const std::string& name) {
  openssl(dir,
          {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + name,
           "-keyout", (dir / (name + ".key")).string(), "-out", (dir / (name + ".crt")).string()});
}

// A key and a certificate for `subject`, signed by the CA `ca`.
void make_signed(const std::filesystem::path& dir, const std::string& name, const std::string& ca,
                 const std::string& subject, const std::string& extensions) {
  const auto csr = dir / (name + ".csr");
  const auto ext = dir / (name + ".ext");
  write_file(ext, extensions);
  openssl(dir, {"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + subject, "-keyout",
                (dir / (name + ".key")).string(), "-out", csr.string()});
  openssl(dir, {"x509", "-req", "-in", csr.string(), "-CA", (dir / (ca + ".crt")).string(),
                "-CAkey", (dir / (ca + ".key")).string(), "-CAcreateserial", "-days", "2",
                "-extfile", ext.string(), "-out", (dir / (name + ".crt")).string()});
}

}  // namespace

TestPki make_test_pki(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  make_ca(dir, "ca");
  make_ca(dir, "other-ca");
  make_signed(dir, "broker", "ca", "127.0.0.1",
              "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  make_signed(dir, "wrong-host", "ca", "127.0.0.2",
              "subjectAltName=IP:127.0.0.2\nextendedKeyUsage=serverAuth\n");
  make_signed(dir, "client", "ca", "edgegw-test", "extendedKeyUsage=clientAuth\n");
  const std::string key_password = "pki-key-passphrase";
  openssl(dir, {"pkey", "-in", (dir / "client.key").string(), "-aes256", "-passout",
                "pass:" + key_password, "-out", (dir / "client-encrypted.key").string()});
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::filesystem::permissions(entry.path(), std::filesystem::perms::others_read,
                                 std::filesystem::perm_options::add);
  }
  std::filesystem::permissions(dir, std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);
  return {dir / "ca.crt",
          dir / "broker.crt",
          dir / "broker.key",
          dir / "client.crt",
          dir / "client.key",
          dir / "other-ca.crt",
          dir / "wrong-host.crt",
          dir / "wrong-host.key",
          dir / "client-encrypted.key",
          key_password};
}

}  // namespace edgegw::test

#include "support/mosquitto_fixture.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace edgegw::test {
namespace {

sockaddr_in loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

}  // namespace

int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = loopback(0);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {  // NOLINT
    ::close(fd);
    throw std::runtime_error("cannot bind a loopback port");
  }
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);  // NOLINT
  ::close(fd);
  return ntohs(a.sin_port);
}

bool port_accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = loopback(port);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;  // NOLINT
  ::close(fd);
  return ok;
}

MosquittoFixture::MosquittoFixture(MosquittoOptions options) : options_(std::move(options)) {
  port_ = free_loopback_port();
  if (options_.tls) {
    tls_port_ = free_loopback_port();
    write_password_file();
  }
  start();
}

// Once per fixture: a restarted broker keeps the same account.
void MosquittoFixture::write_password_file() const {
  const MosquittoTls& tls = *options_.tls;
  std::filesystem::permissions(dir_.path(), std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);
  const auto passwords = password_file();
  ChildProcess passwd(
      {"/usr/bin/mosquitto_passwd", "-b", "-c", passwords.string(), tls.username, tls.password},
      dir_.path() / "passwd.out", dir_.path() / "passwd.err");
  if (passwd.wait_for(std::chrono::seconds(10)) != 0) {
    throw std::runtime_error("mosquitto_passwd failed: " + read_file(dir_.path() / "passwd.err"));
  }
  // mosquitto started as root reads these as its own user.
  std::filesystem::permissions(passwords, std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  if (!tls.acl.empty()) {
    write_file(acl_file(), tls.acl);
    std::filesystem::permissions(acl_file(), std::filesystem::perms::others_read,
                                 std::filesystem::perm_options::add);
  }
}

void MosquittoFixture::write_tls_listener(std::ostream& conf) const {
  const MosquittoTls& tls = *options_.tls;
  conf << "listener " << tls_port_ << " 127.0.0.1\n"
       << "allow_anonymous false\n"
       << "password_file " << password_file().string() << "\n"
       << "cafile " << tls.ca_file.string() << "\n"
       << "certfile " << tls.cert_file.string() << "\n"
       << "keyfile " << tls.key_file.string() << "\n"
       << "require_certificate true\n";
  if (!tls.acl.empty()) {
    conf << "acl_file " << acl_file().string() << "\n";
  }
}

void MosquittoFixture::start() {
  const auto conf = dir_.path() / "mosquitto.conf";
  {
    std::ofstream out(conf);
    out << "per_listener_settings true\n"
        << "max_queued_messages 0\n"
        << "max_inflight_messages 100\n"
        << "listener " << port_ << " 127.0.0.1\n"
        << "allow_anonymous true\n";
    if (options_.persistence) {
      // mosquitto started as root drops to its own user: give it a directory it can
      // write (the fixture's is private to us).
      const auto db = dir_.path() / "db";
      std::filesystem::create_directories(db);
      std::filesystem::permissions(dir_.path(), std::filesystem::perms::owner_all |
                                                    std::filesystem::perms::group_exec |
                                                    std::filesystem::perms::others_exec);
      std::filesystem::permissions(db, std::filesystem::perms::all);
      // Written at every change would be slow; autosave on shutdown and every second.
      out << "persistence true\n"
          << "persistence_location " << db.string() << "/\n"
          << "autosave_interval 1\n";
    } else {
      out << "persistence false\n";
    }
    if (options_.tls) {
      write_tls_listener(out);
    }
  }
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{"/usr/sbin/mosquitto", "-c", conf.string()},
      dir_.path() / "mosquitto.out", dir_.path() / "mosquitto.err");
  const auto deadline = std::chrono::steady_clock::now() + options_.startup;
  while (!port_accepts(port_) || (options_.tls && !port_accepts(tls_port_))) {
    if (process_->wait_for(std::chrono::milliseconds(0)) ||
        std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("mosquitto did not start: " +
                               read_file(dir_.path() / "mosquitto.err"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void MosquittoFixture::stop() {
  if (!process_) {
    return;
  }
  process_->signal(SIGTERM);
  if (!process_->wait_for(std::chrono::seconds(5))) {
    process_->signal(SIGKILL);
    process_->wait_for(std::chrono::seconds(5));
  }
  process_.reset();
}

MosquittoFixture::~MosquittoFixture() {
  stop();
}

}  // namespace edgegw::test

#include "http/ops_server.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "http/listen_address.hpp"

namespace edgegw::http {
namespace {

// The address as a user writes it: an IPv6 host in brackets.
std::string printable(const std::string& host, int port) {
  return host.find(':') == std::string::npos ? fmt::format("{}:{}", host, port)
                                             : fmt::format("[{}]:{}", host, port);
}

}  // namespace

OpsServer::OpsServer(std::string listen, OpsHandlers handlers)
    : listen_(std::move(listen)),
      handlers_(std::move(handlers)),
      server_(std::make_unique<httplib::Server>()) {}

OpsServer::~OpsServer() {
  stop();
}

void OpsServer::start() {
  Result<ListenAddress> address = parse_listen_address(listen_);
  if (!address) {  // the config loader refuses these; a caller that skipped it learns why
    throw std::runtime_error("http.listen: " + address.error().message);
  }
  const auto& [host, port] = address.value();
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(handlers_.metrics(), "text/plain; version=0.0.4");
  });
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  server_->Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    const bool ready = handlers_.ready();
    res.status = ready ? 200 : 503;
    res.set_content(ready ? "ready\n" : "not ready\n", "text/plain");
  });
  server_->Get("/", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(handlers_.status(), "text/plain");
  });
  port_ =
      port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (port_ <= 0) {
    throw std::runtime_error(fmt::format("http.listen: cannot listen on {} (in use?)", listen_));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  spdlog::info("Operations endpoint listening. address={}", printable(host, port_));
}

void OpsServer::stop() {
  if (thread_.joinable()) {
    server_->stop();
    thread_.join();
  }
}

}  // namespace edgegw::http

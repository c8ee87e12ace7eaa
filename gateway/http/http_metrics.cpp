#include "http/http_metrics.hpp"

#include "metrics/metrics.hpp"

namespace edgegw::http {

void report_metrics(const HttpProbe& probe, metrics::Sink& sink) {
  using metrics::Type;
  sink.add({"http_requests_total", Type::counter,
            "Requests the operations endpoint answered (200, 404, 503...); refusals are "
            "counted apart."},
           probe.requests.load());
  const metrics::Family refused{
      "http_requests_refused_total", Type::counter,
      "Requests refused, by reason. `unauthorized`: no or a wrong token; `forbidden`: POST "
      "/-/reload while no token is configured; `body`: a request with a body (never read); "
      "`timeout`: a head not complete within http.request_timeout "
      "(a slowloris client); `connection_limit`: closed unanswered at http.max_connections "
      "to admit a newer connection."};
  for (std::size_t i = 0; i < kRefusalCount; ++i) {
    sink.add(refused, static_cast<double>(probe.refused.at(i).load()),
             {{"reason", refusal_info(static_cast<Refusal>(i)).reason}});
  }
  sink.add({"http_connections", Type::gauge,
            "Connections open to the operations endpoint (at most http.max_connections)."},
           probe.connections.load());
}

}  // namespace edgegw::http

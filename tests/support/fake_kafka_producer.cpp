#include "support/fake_kafka_producer.hpp"

namespace edgegw::test {

using kafka::KafkaErrc;

void FakeKafkaProducer::auto_acknowledge(bool on) {
  const std::lock_guard lock(mutex_);
  auto_acknowledge_ = on;
}

void FakeKafkaProducer::refuse_next(std::size_t count, KafkaErrc errc) {
  const std::lock_guard lock(mutex_);
  scripted_.insert(scripted_.end(), count, errc);
}

void FakeKafkaProducer::refuse_all(KafkaErrc errc) {
  const std::lock_guard lock(mutex_);
  refusing_ = errc;
}

void FakeKafkaProducer::complete_oldest(KafkaErrc errc) {
  const std::lock_guard lock(mutex_);
  if (!in_flight_.empty()) {
    reports_.push_back({std::move(in_flight_.front()), errc});
    in_flight_.pop_front();
  }
  changed_.notify_all();
}

void FakeKafkaProducer::on_flush_report(KafkaErrc errc) {
  const std::lock_guard lock(mutex_);
  flush_report_ = errc;
}

std::vector<FakeKafkaProducer::Message> FakeKafkaProducer::accepted() const {
  const std::lock_guard lock(mutex_);
  return accepted_;
}

std::size_t FakeKafkaProducer::in_flight() const {
  const std::lock_guard lock(mutex_);
  return in_flight_.size() + reports_.size();
}

std::size_t FakeKafkaProducer::produce_calls() const {
  const std::lock_guard lock(mutex_);
  return produce_calls_;
}

bool FakeKafkaProducer::wait_until(const std::function<bool()>& condition,
                                   std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::milliseconds(5));
  }
  return true;
}

kafka::ProduceResult FakeKafkaProducer::produce(const kafka::KafkaMessage& message) {
  const std::lock_guard lock(mutex_);
  ++produce_calls_;
  changed_.notify_all();
  KafkaErrc answer = refusing_;
  if (!scripted_.empty()) {
    answer = scripted_.front();
    scripted_.pop_front();
  }
  if (answer != KafkaErrc::ok) {
    return {answer, "refused by the test"};
  }
  Message copy{std::string(message.topic), std::string(message.key),
               std::string(message.value), {},
               message.timestamp_ms,       message.tag};
  for (const kafka::KafkaHeader& h : message.headers) {
    if (!h.name.empty()) {
      copy.headers.emplace_back(h.name, h.value);
    }
  }
  accepted_.push_back(copy);
  if (auto_acknowledge_) {
    reports_.push_back({std::move(copy), KafkaErrc::ok});
  } else {
    in_flight_.push_back(std::move(copy));
  }
  return {};
}

void FakeKafkaProducer::poll(std::chrono::milliseconds timeout,
                             kafka::KafkaProducerEvents& events) {
  std::deque<Report> reports;
  {
    std::unique_lock lock(mutex_);
    if (reports_.empty() && timeout.count() > 0) {
      changed_.wait_for(lock, timeout, [this] { return !reports_.empty(); });
    }
    reports.swap(reports_);
  }
  deliver(std::move(reports), events);
}

bool FakeKafkaProducer::flush(std::chrono::milliseconds /*timeout*/,
                              kafka::KafkaProducerEvents& events) {
  std::deque<Report> reports;
  {
    const std::lock_guard lock(mutex_);
    reports.swap(reports_);
    if (auto_acknowledge_ || flush_report_ != KafkaErrc::ok) {
      for (Message& m : in_flight_) {
        reports.push_back({std::move(m), flush_report_});
      }
      in_flight_.clear();
    }
  }
  deliver(std::move(reports), events);
  return in_flight() == 0;
}

// Outside the lock: the forwarder may produce again from a report.
void FakeKafkaProducer::deliver(std::deque<Report> reports, kafka::KafkaProducerEvents& events) {
  for (const Report& r : reports) {
    kafka::DeliveryReport report;
    report.errc = r.errc;
    report.detail = kafka::errc_name(r.errc);
    report.message.topic = r.message.topic;
    report.message.key = r.message.key;
    report.message.value = r.message.value;
    report.message.timestamp_ms = r.message.timestamp_ms;
    report.message.tag = r.message.tag;
    events.on_delivery(report);
  }
  const std::lock_guard lock(mutex_);
  changed_.notify_all();
}

}  // namespace edgegw::test

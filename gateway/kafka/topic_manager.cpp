#include "kafka/topic_manager.hpp"

#include <spdlog/spdlog.h>

#include "kafka/topic_plan.hpp"
#include "kafka/topic_plan_text.hpp"

namespace edgegw::kafka {
namespace {

void log_plan(const TopicPlan& plan) {
  const std::vector<std::string> lines = plan_lines(plan);
  for (std::size_t i = 0; i < plan.entries.size(); ++i) {
    switch (plan.entries[i].status) {
      case TopicStatus::matches:
        spdlog::debug("Kafka topic {}", lines[i]);
        break;
      case TopicStatus::created:
        spdlog::info("Kafka topic {}", lines[i]);
        break;
      default:
        spdlog::warn("Kafka topic {}", lines[i]);
    }
  }
}

}  // namespace

TopicManager::TopicManager(KafkaConfig kafka, AdminFactory make_admin,
                           std::chrono::milliseconds retry_interval)
    : kafka_(std::move(kafka)),
      make_admin_(std::move(make_admin)),
      retry_interval_(retry_interval) {}

TopicManager::~TopicManager() {
  stop();
}

void TopicManager::start() {
  thread_ = std::thread([this] { run(); });
}

void TopicManager::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void TopicManager::run() {
  while (!run_once()) {
    if (!wait_to_retry()) {
      return;
    }
  }
}

bool TopicManager::run_once() {
  try {
    const std::unique_ptr<TopicAdmin> admin = make_admin_();
    TopicPlan plan = plan_topics(kafka_, *admin);
    if (kafka_.manage_topics == TopicManagement::create) {
      create_missing(plan, *admin);
    }
    log_plan(plan);
    probe_.missing = static_cast<std::uint64_t>(plan.missing());
    probe_.differing = static_cast<std::uint64_t>(plan.differing());
    for (const TopicPlanEntry& entry : plan.entries) {
      probe_.created += entry.status == TopicStatus::created ? 1 : 0;
    }
    return true;
  } catch (const TopicAdminError& e) {
    ++probe_.check_errors;
    spdlog::warn("Kafka topics not checked: {}. Records wait in the log; trying again in {} s.",
                 e.what(),
                 std::chrono::duration_cast<std::chrono::seconds>(retry_interval_).count());
    return false;
  } catch (const std::exception& e) {
    // Nothing else is expected (the config was validated); the thread must not end
    // the process over topic management.
    ++probe_.check_errors;
    spdlog::error("Kafka topic management gave up: {}", e.what());
    return true;
  }
}

bool TopicManager::wait_to_retry() {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, retry_interval_, [this] { return stopping_; });
}

}  // namespace edgegw::kafka

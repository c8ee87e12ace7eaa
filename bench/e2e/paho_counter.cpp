// The Paho MQTT C++ client's own ceiling for the end-to-end suite (run_bench.py): a
// subscriber whose callback only counts. It connects with a persistent session,
// subscribes, prints "ready" and exits once it has counted N messages. Whatever a
// gateway built on this client does per message comes on top of this.
#include <mqtt/async_client.h>

#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace {

struct Options {
  std::string broker;
  std::string topic = "bench/#";
  std::string client_id = "paho-counter";
  long messages = 0;
  int qos = 1;
};

long parse_number(std::string_view name, std::string_view text) {
  long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) {
    std::fprintf(stderr, "paho_counter: %.*s must be a non-negative integer, not '%.*s'\n",
                 static_cast<int>(name.size()), name.data(), static_cast<int>(text.size()),
                 text.data());
    std::exit(2);
  }
  return value;
}

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view name = argv[i];
    const char* value = argv[i + 1];
    if (name == "--broker") {
      options.broker = value;
    } else if (name == "--topic") {
      options.topic = value;
    } else if (name == "--id") {
      options.client_id = value;
    } else if (name == "--messages") {
      options.messages = parse_number(name, value);
    } else if (name == "--qos") {
      options.qos = static_cast<int>(parse_number(name, value));
    } else {
      std::fprintf(stderr, "paho_counter: unknown option %s\n", argv[i]);
      std::exit(2);
    }
  }
  if (options.broker.empty() || options.messages <= 0 || argc % 2 == 0) {
    std::fprintf(stderr,
                 "usage: paho_counter --broker tcp://HOST:PORT --messages N [--qos Q] "
                 "[--topic T] [--id ID]\n");
    std::exit(2);
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  mqtt::async_client client(options.broker, options.client_id);
  std::atomic<long> counted{0};
  std::mutex lock;
  std::condition_variable done;
  client.set_message_callback([&](mqtt::const_message_ptr) {
    if (counted.fetch_add(1, std::memory_order_relaxed) + 1 == options.messages) {
      std::lock_guard guard(lock);
      done.notify_all();
    }
  });
  auto connect = mqtt::connect_options_builder().clean_session(false).finalize();
  client.connect(connect)->wait();
  client.subscribe(options.topic, options.qos)->wait();
  std::printf("ready\n");
  std::fflush(stdout);
  {
    std::unique_lock guard(lock);
    done.wait(guard, [&] { return counted.load() >= options.messages; });
  }
  client.disconnect()->wait();
  std::printf("counted %ld\n", counted.load());
  return 0;
}

/* A fast MQTT publisher for the end-to-end suite (run_bench.py): N messages of ~80 bytes
 * of JSON from D devices over one libmosquitto connection, as fast as the broker takes
 * them or at a fixed rate. Paho publishers top out far below the broker's drain rate, so
 * a benchmark fed by them measures its publishers; this one does far less per message.
 *
 * Message i comes from device i % D with that device's sequence number i / D, on topic
 * PREFIX/dev-NNNN/telemetry. At QoS 1 at most --window messages are unacknowledged; at
 * QoS 0 a message counts as done once libmosquitto wrote it to the socket.
 *
 * Prints one JSON line: first publish and last acknowledgement (epoch µs), its own rate.
 * --times FILE writes "device seq publish_us" per message, for latency measurements. */
#include <errno.h>
#include <inttypes.h>
#include <mosquitto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct options {
  const char* host;
  int port;
  long messages;
  int devices;
  int qos;
  double rate; /* messages per second; 0: as fast as acknowledgements allow */
  int window;
  const char* prefix;
  const char* times_file;
  const char* client_id;
};

struct progress {
  pthread_mutex_t lock;
  pthread_cond_t changed;
  long acknowledged;
  int connected;
};

static struct progress progress = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};

static int64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void on_connect(struct mosquitto* mosq, void* obj, int rc) {
  (void)mosq;
  (void)obj;
  pthread_mutex_lock(&progress.lock);
  progress.connected = rc == 0 ? 1 : -1;
  pthread_cond_broadcast(&progress.changed);
  pthread_mutex_unlock(&progress.lock);
}

static void on_publish(struct mosquitto* mosq, void* obj, int mid) {
  (void)mosq;
  (void)obj;
  (void)mid;
  pthread_mutex_lock(&progress.lock);
  progress.acknowledged++;
  pthread_cond_broadcast(&progress.changed);
  pthread_mutex_unlock(&progress.lock);
}

static void usage(const char* self) {
  fprintf(stderr,
          "usage: %s --port P [--host H] [--messages N] [--devices D] [--qos 0|1]\n"
          "          [--rate R] [--window W] [--prefix P] [--times FILE] [--id CLIENT_ID]\n",
          self);
  exit(2);
}

static long parse_number(const char* name, const char* text, long min, long max) {
  char* end = NULL;
  errno = 0;
  const long value = strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < min || value > max) {
    fprintf(stderr, "fast_publisher: %s must be an integer in [%ld, %ld], not '%s'\n", name, min,
            max, text);
    exit(2);
  }
  return value;
}

static struct options parse_options(int argc, char** argv) {
  struct options o = {"127.0.0.1", 0, 200000, 100, 1, 0.0, 1000, "bench", NULL, "fast-publisher"};
  for (int i = 1; i < argc; i++) {
    const char* arg = argv[i];
    if (i + 1 >= argc)
      usage(argv[0]);
    const char* value = argv[++i];
    if (strcmp(arg, "--host") == 0)
      o.host = value;
    else if (strcmp(arg, "--port") == 0)
      o.port = (int)parse_number(arg, value, 1, 65535);
    else if (strcmp(arg, "--messages") == 0)
      o.messages = parse_number(arg, value, 1, 1000000000);
    else if (strcmp(arg, "--devices") == 0)
      o.devices = (int)parse_number(arg, value, 1, 9999);
    else if (strcmp(arg, "--qos") == 0)
      o.qos = (int)parse_number(arg, value, 0, 1);
    else if (strcmp(arg, "--rate") == 0)
      o.rate = (double)parse_number(arg, value, 0, 10000000);
    else if (strcmp(arg, "--window") == 0)
      o.window = (int)parse_number(arg, value, 1, 1000000);
    else if (strcmp(arg, "--prefix") == 0)
      o.prefix = value;
    else if (strcmp(arg, "--times") == 0)
      o.times_file = value;
    else if (strcmp(arg, "--id") == 0)
      o.client_id = value;
    else
      usage(argv[0]);
  }
  if (o.port == 0)
    usage(argv[0]);
  return o;
}

/* ~80 bytes: a sequence number, an epoch-ms timestamp and three readings. */
static int format_payload(char* out, size_t size, long seq, int64_t ts_ms, long i) {
  return snprintf(out, size,
                  "{\"seq\":%ld,\"ts\":%" PRId64
                  ",\"metrics\":{\"temp\":%.2f,\"pressure\":%.3f,\"rpm\":%ld}}",
                  seq, ts_ms, 20.0 + (double)(i % 1000) / 100.0, 1.0 + (double)(i % 97) / 1000.0,
                  1400 + i % 200);
}

/* Blocks until fewer than `window` messages are unacknowledged (or all of `until` are). */
static void wait_for_acknowledged(long at_least) {
  pthread_mutex_lock(&progress.lock);
  while (progress.acknowledged < at_least)
    pthread_cond_wait(&progress.changed, &progress.lock);
  pthread_mutex_unlock(&progress.lock);
}

static void sleep_until_us(int64_t deadline_us) {
  const int64_t now = now_us();
  if (deadline_us <= now)
    return;
  const int64_t wait = deadline_us - now;
  struct timespec ts = {(time_t)(wait / 1000000), (long)(wait % 1000000) * 1000};
  nanosleep(&ts, NULL);
}

static int connect_broker(struct mosquitto* mosq, const struct options* o) {
  mosquitto_connect_callback_set(mosq, on_connect);
  mosquitto_publish_callback_set(mosq, on_publish);
  /* The window below bounds what is in flight; libmosquitto must not queue on its own. */
  mosquitto_max_inflight_messages_set(mosq, 0);
  if (mosquitto_connect(mosq, o->host, o->port, 30) != MOSQ_ERR_SUCCESS ||
      mosquitto_loop_start(mosq) != MOSQ_ERR_SUCCESS) {
    fprintf(stderr, "fast_publisher: cannot connect to %s:%d\n", o->host, o->port);
    return -1;
  }
  pthread_mutex_lock(&progress.lock);
  while (progress.connected == 0)
    pthread_cond_wait(&progress.changed, &progress.lock);
  const int ok = progress.connected;
  pthread_mutex_unlock(&progress.lock);
  if (ok != 1)
    fprintf(stderr, "fast_publisher: the broker refused the connection\n");
  return ok == 1 ? 0 : -1;
}

static int write_times(const char* path, const int64_t* times, const struct options* o) {
  FILE* f = fopen(path, "w");
  if (f == NULL) {
    fprintf(stderr, "fast_publisher: cannot write %s: %s\n", path, strerror(errno));
    return -1;
  }
  for (long i = 0; i < o->messages; i++)
    fprintf(f, "%ld %ld %" PRId64 "\n", i % o->devices, i / o->devices, times[i]);
  return fclose(f) == 0 ? 0 : -1;
}

int main(int argc, char** argv) {
  const struct options o = parse_options(argc, argv);
  mosquitto_lib_init();
  struct mosquitto* mosq = mosquitto_new(o.client_id, true, NULL);
  if (mosq == NULL || connect_broker(mosq, &o) != 0)
    return 1;

  int64_t* times = o.times_file ? calloc((size_t)o.messages, sizeof *times) : NULL;
  char topic[128];
  char payload[160];
  const int64_t first_us = now_us();
  for (long i = 0; i < o.messages; i++) {
    if (o.rate > 0)
      sleep_until_us(first_us + (int64_t)((double)i * 1e6 / o.rate));
    wait_for_acknowledged(i - o.window + 1);
    const int64_t t = now_us();
    if (times)
      times[i] = t;
    snprintf(topic, sizeof topic, "%s/dev-%04ld/telemetry", o.prefix, i % o.devices);
    const int len = format_payload(payload, sizeof payload, i / o.devices, t / 1000, i);
    const int rc = mosquitto_publish(mosq, NULL, topic, len, payload, o.qos, false);
    if (rc != MOSQ_ERR_SUCCESS) {
      fprintf(stderr, "fast_publisher: publish failed: %s\n", mosquitto_strerror(rc));
      return 1;
    }
  }
  wait_for_acknowledged(o.messages);
  const int64_t last_us = now_us();
  mosquitto_disconnect(mosq);
  mosquitto_loop_stop(mosq, false);
  mosquitto_destroy(mosq);
  mosquitto_lib_cleanup();
  if (times && write_times(o.times_file, times, &o) != 0)
    return 1;
  free(times);
  printf("{\"messages\": %ld, \"first_publish_us\": %" PRId64 ", \"last_ack_us\": %" PRId64
         ", \"rate\": %.1f}\n",
         o.messages, first_us, last_us,
         (double)o.messages * 1e6 / (double)(last_us - first_us > 0 ? last_us - first_us : 1));
  return 0;
}

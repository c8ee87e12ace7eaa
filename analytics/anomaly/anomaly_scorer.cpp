#include "anomaly/anomaly_scorer.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>

#include "anomaly/ewma_scorer.hpp"
#include "anomaly/stats_math.hpp"

namespace edgegw::analytics {
namespace {

constexpr double kDayMs = 86'400'000.0;
constexpr std::uint32_t kMinPeriod = 4;
constexpr std::uint32_t kMaxPeriod = 4096;
constexpr std::size_t kPeriodGaps = 10;  // gaps whose median is the sampling interval
// S / (S + kHalfSurprise): half-way to 1 at a summed surprise of 12 (p = 1e-12).
constexpr double kHalfSurprise = 12.0;
// Floor of the spread of ln(distance): a flat history still gives finite z.
constexpr double kMinLogSpread = 1e-6;
// Samples between exact recomputations of the kNN distances (and moves of the origin).
constexpr std::uint64_t kExactEvery = 1024;

// Whether the value that makes `count` values seen is recomputed exactly.
bool exact_step(std::uint64_t count) {
  return count % kExactEvery == 0;
}
constexpr float kNoValue = std::numeric_limits<float>::quiet_NaN();

using Floats = Eigen::Map<Eigen::ArrayXf>;
using ConstFloats = Eigen::Map<const Eigen::ArrayXf>;

double to_unit(double surprise) {
  return surprise <= 0.0 ? 0.0 : surprise / (surprise + kHalfSurprise);
}

// Two-sided: -log10 of 2 Q(|z|).
double two_sided_surprise(double z) {
  return std::max(0.0, normal_surprise(std::fabs(z)) - std::log10(2.0));
}

// The value one period ago, by count: jittery timestamps cannot land two samples of one
// day in one bin, as time-of-day bins would. A gap shifts the phase until a period of
// new values has gone by.
float* bin_of(SeasonalMemory& m, std::uint64_t count) {
  return m.bins.empty() ? nullptr : &m.bins[count % m.bins.size()];
}

void start_memory(SeasonalMemory& m, double per_period) {
  if (per_period >= kMinPeriod && per_period <= kMaxPeriod) {
    m.bins.assign(static_cast<std::size_t>(per_period), kNoValue);
  }
}

double z_of(const EwmMoments& m, double x, double floor) {
  return (x - m.mean) / std::max(std::sqrt(m.var), floor);
}

// The k = best.size() smallest of d[0..n) into `best`, ascending, by insertion into a
// short sorted list: most distances fail the first comparison, which beats a full
// selection. The largest kept is held in a register: `best` could alias `d`, so the
// compiler would otherwise reload it at every distance.
void select_smallest(const float* d, std::uint32_t n, std::vector<float>& best) {
  best.assign(best.size(), std::numeric_limits<float>::infinity());
  float* kept = best.data();
  const std::size_t last = best.size() - 1;
  float largest = kept[last];
  for (std::uint32_t j = 0; j < n; ++j) {
    const float d2 = d[j];
    if (d2 < largest) {
      std::size_t i = last;
      for (; i > 0 && kept[i - 1] > d2; --i) {
        kept[i] = kept[i - 1];
      }
      kept[i] = d2;
      largest = kept[last];
    }
  }
}

void shift(std::vector<float>& offsets, double by) {
  for (float& offset : offsets) {
    offset = static_cast<float>(offset + by);  // NaN (an empty bin) stays NaN
  }
}

}  // namespace

void EwmMoments::add(double x, double alpha) {
  if (n == 0) {
    mean = x;
    var = 0.0;
    n = 1;
    return;
  }
  const double a = std::max(alpha, 1.0 / (static_cast<double>(n) + 1.0));
  const double d = x - mean;
  mean += a * d;
  var = (1.0 - a) * (var + a * d * d);
  if (n < UINT32_MAX) {
    ++n;
  }
}

AnomalyScorer::AnomalyScorer(const AnomalyConfig& c)
    : window_(std::max<std::uint32_t>(c.window, 1)),
      memory_(std::max<std::uint32_t>(c.memory, 1)),
      neighbours_(std::clamp<std::uint32_t>(c.neighbours, 1, std::max<std::uint32_t>(c.memory, 1))),
      alpha_(1.0 - std::exp2(-1.0 / c.half_life)),
      warmup_(std::max<std::uint32_t>(c.warmup, 2)),
      seasonality_(c.seasonality) {}

void AnomalyScorer::push(AnomalySensorState& s, double x) const {
  if (s.history.empty()) {
    s.history.assign(memory_ + 2 * window_, 0.0F);
    s.distances.assign(memory_, 0.0F);
    s.head = 0;
    s.origin = x;
  } else {
    // Written backwards, so that ages 0, 1, 2... are ascending positions from `head`.
    const auto cap = static_cast<std::uint32_t>(s.history.size());
    s.head = (s.head + cap - 1) % cap;
  }
  if (exact_step(s.count + 1)) {
    recentre(s, x);  // where update_distances() recomputes them exactly anyway
  }
  s.history[s.head] = static_cast<float>(x - s.origin);
  s.min = s.count == 0 ? x : std::min(s.min, x);
  s.max = s.count == 0 ? x : std::max(s.max, x);
  ++s.count;
  update_distances(s);
}

void AnomalyScorer::copy_recent(const AnomalySensorState& s) const {
  const std::size_t cap = s.history.size();
  const auto span = static_cast<std::size_t>(std::min<std::uint64_t>(s.count, cap));
  recent_.resize(cap);
  const std::size_t first = std::min(span, cap - s.head);
  std::copy_n(s.history.begin() + s.head, first, recent_.begin());
  std::copy_n(s.history.begin(), span - first,
              recent_.begin() + static_cast<std::ptrdiff_t>(first));
}

// The offsets stay small against the signal's level however far it moves (a counter).
void AnomalyScorer::recentre(AnomalySensorState& s, double origin) {
  const double by = s.origin - origin;
  shift(s.history, by);
  shift(s.daily.bins, by);
  shift(s.weekly.bins, by);
  s.origin = origin;
}

// distances[j] is the squared distance between the latest `window` values and the
// window `window + j` samples older, over the pairs seen so far. Sliding by one sample
// adds the newest pair and drops the oldest: O(memory) per value instead of
// O(memory x window). Recomputed exactly now and then, so rounding cannot accumulate.
void AnomalyScorer::update_distances(AnomalySensorState& s) const {
  copy_recent(s);
  if (exact_step(s.count)) {
    exact_distances(s);
    return;
  }
  const auto w = static_cast<Eigen::Index>(window_);
  const float* r = recent_.data();
  // The newest pair exists for lags below count; the dropped one for lags below count - w.
  // Both exist for the first `dropped` lags, so those take one pass (`dropped` <= `added`).
  const auto count = static_cast<Eigen::Index>(std::min<std::uint64_t>(s.count, INT32_MAX));
  const Eigen::Index added = std::min<Eigen::Index>(memory_, std::max<Eigen::Index>(count - w, 0));
  const Eigen::Index dropped =
      std::min<Eigen::Index>(memory_, std::max<Eigen::Index>(count - 2 * w, 0));
  Floats d(s.distances.data(), added);
  const ConstFloats newer(r + w, added);
  const ConstFloats older(r + 2 * w, dropped);
  d.head(dropped) =
      (d.head(dropped) + (r[0] - newer.head(dropped)).square() - (r[w] - older).square()).max(0.0F);
  d.tail(added - dropped) += (r[0] - newer.tail(added - dropped)).square();
}

void AnomalyScorer::learn_period(AnomalySensorState& s, std::int64_t t) const {
  if (!seasonality_ || s.count > kPeriodGaps + 1) {
    return;
  }
  s.first_times.push_back(t);
  if (s.first_times.size() < kPeriodGaps + 1) {
    return;
  }
  std::vector<std::int64_t> gaps;
  for (std::size_t i = 1; i < s.first_times.size(); ++i) {
    gaps.push_back(std::abs(s.first_times[i] - s.first_times[i - 1]));
  }
  std::sort(gaps.begin(), gaps.end());
  const std::int64_t gap = (gaps[kPeriodGaps / 2 - 1] + gaps[kPeriodGaps / 2]) / 2;
  std::vector<std::int64_t>().swap(s.first_times);
  if (gap <= 0) {
    return;
  }
  const double per_day = std::round(kDayMs / static_cast<double>(gap));
  start_memory(s.daily, per_day);
  start_memory(s.weekly, 7 * per_day);
}

void AnomalyScorer::exact_distances(AnomalySensorState& s) const {
  const std::uint64_t w = window_;
  const float* r = recent_.data();
  for (std::uint32_t j = 0; j < memory_; ++j) {
    const std::uint64_t lag = w + j;
    double sum = 0.0;
    for (std::uint64_t m = 0; m < w && m + lag < s.count; ++m) {
      const double diff = static_cast<double>(r[m]) - r[m + lag];
      sum += diff * diff;
    }
    s.distances[j] = static_cast<float>(sum);
  }
}

double AnomalyScorer::shape_surprise(AnomalySensorState& s, double x, bool learn) const {
  const std::uint64_t w = window_;
  if (s.count < 2 * w + neighbours_ - 1) {
    return 0.0;
  }
  // Past windows start `window` or more samples back: none overlaps the current one.
  const auto windows =
      static_cast<std::uint32_t>(std::min<std::uint64_t>(memory_, s.count - 2 * w + 1));
  nearest_.resize(neighbours_);
  select_smallest(s.distances.data(), windows, nearest_);
  const float* best = nearest_.data();
  double sum = 0.0;
  for (std::uint32_t i = 0; i < neighbours_; ++i) {
    sum += std::sqrt(static_cast<double>(best[i]));
  }
  const auto k = static_cast<double>(neighbours_);
  const double eps = 1e-3 * (s.max - s.min) + 1e-12 * std::max(1.0, std::fabs(x));
  const double v = std::log(sum / k + eps);
  double surprise = 0.0;
  if (s.shape.n >= warmup_) {
    surprise = normal_surprise(z_of(s.shape, v, kMinLogSpread));
  }
  if (learn) {
    s.shape.add(v, alpha_);
  }
  return surprise;
}

double AnomalyScorer::seasonal_z(AnomalySensorState& s, double x, double floor, bool learn) const {
  double z = -1.0;
  for (SeasonalMemory* m : {&s.daily, &s.weekly}) {
    float* last = bin_of(*m, s.count);
    if (last == nullptr) {
      continue;
    }
    if (!std::isnan(*last)) {
      const double change = x - (s.origin + *last);
      if (m->change.n >= warmup_) {
        const double zm = std::fabs(z_of(m->change, change, floor));
        z = z < 0.0 ? zm : std::min(z, zm);
      }
      if (learn) {
        m->change.add(change, alpha_);
      }
    }
    *last = static_cast<float>(x - s.origin);
  }
  return z;
}

double AnomalyScorer::spike_surprise(AnomalySensorState& s, double x, bool learn) const {
  if (s.count == 1) {
    s.baseline = x;
    return 0.0;
  }
  const double floor = sigma_floor(0.0, s.baseline);
  const double jump = x - s.baseline;
  s.expected = s.baseline;
  s.scale = std::max(std::sqrt(s.spike.var), floor);
  const bool ready = s.spike.n >= warmup_;
  double z = ready ? std::fabs(z_of(s.spike, jump, floor)) : 0.0;
  if (learn) {
    s.spike.add(jump, alpha_);
  }
  s.baseline = 0.5 * s.baseline + 0.5 * x;
  // A jump that the same time yesterday or last week also saw is the cycle, not news.
  if (const double zs = seasonal_z(s, x, floor, learn); zs >= 0.0) {
    z = std::min(z, zs);
  }
  return ready ? two_sided_surprise(z) : 0.0;
}

double AnomalyScorer::level_surprise(AnomalySensorState& s, double x, bool learn) const {
  double surprise = 0.0;
  if (s.count > window_ && s.level.n >= warmup_) {
    double sum = 0.0;
    for (std::uint32_t age = 0; age < window_; ++age) {
      sum += recent_[age];  // copied in age order by push()
    }
    const double mean = s.origin + sum / static_cast<double>(window_);
    surprise = two_sided_surprise(z_of(s.level, mean, sigma_floor(0.0, s.level.mean)));
  }
  if (learn) {
    s.level.add(x, alpha_);
  }
  return surprise;
}

double AnomalyScorer::score_and_update(AnomalySensorState& s, double x, std::int64_t t,
                                       bool learn) const {
  if (!std::isfinite(x)) {
    return 0.0;
  }
  push(s, x);
  learn_period(s, t);
  // Summed, so that moderate evidence on several channels adds up.
  const double surprise =
      shape_surprise(s, x, learn) + spike_surprise(s, x, learn) + level_surprise(s, x, learn);
  s.score = to_unit(surprise);
  return s.score;
}

std::uint64_t AnomalyScorer::bytes(const AnomalySensorState& s) {
  return (s.history.capacity() + s.distances.capacity() + s.daily.bins.capacity() +
          s.weekly.bins.capacity()) *
             sizeof(float) +
         s.first_times.capacity() * sizeof(std::int64_t);
}

}  // namespace edgegw::analytics

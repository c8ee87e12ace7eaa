#include "maintenance/operating_regimes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "maintenance/split_mix.hpp"

namespace edgegw::analytics {
namespace {

constexpr double kDistinctPointsRatio = 1e-3;
constexpr int kRestarts = 4;
constexpr int kIterations = 50;

struct Clustering {
  Eigen::MatrixXd centers;  // k × dims
  std::vector<int> labels;
  double sse = 0.0;
};

double squared_distance(const Eigen::MatrixXd& z, Eigen::Index row, const Eigen::MatrixXd& c,
                        Eigen::Index k) {
  return (z.row(row) - c.row(k)).squaredNorm();
}

Clustering kmeans(const Eigen::MatrixXd& z, int k, SplitMix& rng) {
  const Eigen::Index n = z.rows();
  Clustering best;
  best.sse = std::numeric_limits<double>::infinity();
  for (int restart = 0; restart < kRestarts; ++restart) {
    Clustering c;
    c.centers.resize(k, z.cols());
    c.labels.assign(static_cast<std::size_t>(n), 0);
    // k-means++: each next center far from the chosen ones with probability ∝ d².
    std::vector<double> d2(static_cast<std::size_t>(n), std::numeric_limits<double>::infinity());
    c.centers.row(0) = z.row(static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(n))));
    for (int j = 1; j < k; ++j) {
      double total = 0.0;
      for (Eigen::Index i = 0; i < n; ++i) {
        d2[static_cast<std::size_t>(i)] =
            std::min(d2[static_cast<std::size_t>(i)], squared_distance(z, i, c.centers, j - 1));
        total += d2[static_cast<std::size_t>(i)];
      }
      double pick = rng.uniform() * total;
      Eigen::Index chosen = n - 1;
      for (Eigen::Index i = 0; i < n; ++i) {
        pick -= d2[static_cast<std::size_t>(i)];
        if (pick < 0.0) {
          chosen = i;
          break;
        }
      }
      c.centers.row(j) = z.row(chosen);
    }
    for (int iter = 0; iter < kIterations; ++iter) {
      bool changed = false;
      c.sse = 0.0;
      for (Eigen::Index i = 0; i < n; ++i) {
        int label = 0;
        double bd = std::numeric_limits<double>::infinity();
        for (int j = 0; j < k; ++j) {
          const double d = squared_distance(z, i, c.centers, j);
          if (d < bd) {
            bd = d;
            label = j;
          }
        }
        changed = changed || label != c.labels[static_cast<std::size_t>(i)];
        c.labels[static_cast<std::size_t>(i)] = label;
        c.sse += bd;
      }
      if (!changed && iter > 0) {
        break;
      }
      Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(k, z.cols());
      Eigen::VectorXd counts = Eigen::VectorXd::Zero(k);
      for (Eigen::Index i = 0; i < n; ++i) {
        sums.row(c.labels[static_cast<std::size_t>(i)]) += z.row(i);
        counts[c.labels[static_cast<std::size_t>(i)]] += 1.0;
      }
      for (int j = 0; j < k; ++j) {
        if (counts[j] > 0.0) {
          c.centers.row(j) = sums.row(j) / counts[j];
        }
      }
    }
    if (c.sse < best.sse) {
      best = std::move(c);
    }
  }
  return best;
}

}  // namespace

OperatingRegimes fit_operating_regimes(const Eigen::MatrixXd& settings,
                                       const Eigen::MatrixXd& sensors,
                                       std::vector<std::string> setting_names, int max_regimes,
                                       std::uint64_t seed) {
  OperatingRegimes r;
  r.settings = std::move(setting_names);
  const Eigen::Index n = sensors.rows();
  const Eigen::Index m = settings.cols();
  Eigen::MatrixXd z = settings;
  for (Eigen::Index j = 0; j < m; ++j) {
    const double mean = settings.col(j).mean();
    const double sd = std::sqrt((settings.col(j).array() - mean).square().mean());
    r.setting_mean.push_back(mean);
    r.setting_scale.push_back(sd > 1e-12 ? sd : 1.0);
    z.col(j) = (settings.col(j).array() - mean) / r.setting_scale.back();
  }
  Clustering chosen;
  chosen.centers = Eigen::MatrixXd::Zero(1, m);
  chosen.labels.assign(static_cast<std::size_t>(n), 0);
  if (m > 0 && n > 1) {
    SplitMix rng(seed);
    const double total = (z.rowwise() - z.colwise().mean()).squaredNorm();
    for (int k = 2; k <= std::min<Eigen::Index>(max_regimes, n) && total > 0.0; ++k) {
      Clustering c = kmeans(z, k, rng);
      if (c.sse <= kDistinctPointsRatio * total) {
        chosen = std::move(c);
        break;
      }
    }
  }
  const Eigen::Index k = chosen.centers.rows();
  const Eigen::Index s = sensors.cols();
  Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(k, s);
  Eigen::MatrixXd sum_sq = Eigen::MatrixXd::Zero(k, s);
  Eigen::VectorXd count = Eigen::VectorXd::Zero(k);
  for (Eigen::Index i = 0; i < n; ++i) {
    const int label = chosen.labels[static_cast<std::size_t>(i)];
    sum.row(label) += sensors.row(i);
    sum_sq.row(label) += sensors.row(i).cwiseAbs2();
    count[label] += 1.0;
  }
  for (Eigen::Index j = 0; j < k; ++j) {
    std::vector<double> center;
    for (Eigen::Index c = 0; c < m; ++c) {
      center.push_back(chosen.centers(j, c));
    }
    r.centers.push_back(std::move(center));
    std::vector<double> mean(static_cast<std::size_t>(s));
    std::vector<double> sd(static_cast<std::size_t>(s));
    const double cnt = std::max(1.0, count[j]);
    for (Eigen::Index c = 0; c < s; ++c) {
      const double mu = sum(j, c) / cnt;
      const double var = sum_sq(j, c) / cnt - mu * mu;
      mean[static_cast<std::size_t>(c)] = mu;
      // A sensor constant within a regime carries no information there: scale 1 keeps
      // it at zero instead of dividing by zero.
      const double sigma = std::sqrt(std::max(0.0, var));
      sd[static_cast<std::size_t>(c)] = sigma > 1e-9 * std::max(1.0, std::abs(mu)) ? sigma : 1.0;
    }
    r.sensor_mean.push_back(std::move(mean));
    r.sensor_std.push_back(std::move(sd));
  }
  return r;
}

std::vector<int> assign_regimes(const OperatingRegimes& regimes, const Eigen::MatrixXd& settings) {
  std::vector<int> labels(static_cast<std::size_t>(settings.rows()), 0);
  if (regimes.regime_count() <= 1) {
    return labels;
  }
  for (Eigen::Index i = 0; i < settings.rows(); ++i) {
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < regimes.centers.size(); ++k) {
      double d = 0.0;
      for (std::size_t j = 0; j < regimes.settings.size(); ++j) {
        const double z = (settings(i, static_cast<Eigen::Index>(j)) - regimes.setting_mean[j]) /
                         regimes.setting_scale[j];
        d += (z - regimes.centers[k][j]) * (z - regimes.centers[k][j]);
      }
      if (d < best) {
        best = d;
        labels[static_cast<std::size_t>(i)] = static_cast<int>(k);
      }
    }
  }
  return labels;
}

}  // namespace edgegw::analytics

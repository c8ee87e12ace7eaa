#pragma once
// A small binary writer and a bounds-checked reader for the analytics checkpoint.
//
// Little-endian fixed-width integers, IEEE doubles by their bits, strings and vectors as
// a u32 count then the elements. Both sides have the same call shapes (io(a, b, c),
// io.vec(v, max), io.check(cond, why)), so that one function per state struct lists its
// fields once for writing and reading (checkpoint_fields.cpp).
//
// The reader never trusts a count: it fails (sticky, with the first reason) before
// allocating when a count exceeds the caller's bound or the bytes that remain, so a
// hostile input cannot make it allocate more than the config allows or the input holds.
// After a failure every read yields zeros and nothing more is allocated.

#include <Eigen/Dense>

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace edgegw::analytics::checkpoint {

inline bool plausible_time(std::int64_t t_ms) {
  constexpr std::int64_t kFar = std::int64_t{1} << 60;
  return t_ms > -kFar && t_ms < kFar;
}

class Writer {
 public:
  static constexpr bool reading = false;

  template <typename... T>
  void operator()(const T&... values) {
    (put(values), ...);
  }
  // Times in milliseconds (the reader checks that they are far from overflowing).
  template <typename... T>
  void times(const T&... values) {
    (put(values), ...);
  }
  void str(const std::string& s, std::size_t /*max*/) {
    put(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  template <typename T>
  void vec(const std::vector<T>& v, std::size_t /*max*/) {
    put(static_cast<std::uint32_t>(v.size()));
    for (const T& x : v) {
      put(x);
    }
  }
  void vec(const Eigen::VectorXd& v, Eigen::Index /*size*/) {
    put(static_cast<std::uint32_t>(v.size()));
    for (Eigen::Index i = 0; i < v.size(); ++i) {
      put(v(i));
    }
  }
  void mat(const Eigen::MatrixXd& m, Eigen::Index /*size*/) {
    put(static_cast<std::uint32_t>(m.rows()));
    put(static_cast<std::uint32_t>(m.cols()));
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      for (Eigen::Index r = 0; r < m.rows(); ++r) {
        put(m(r, c));
      }
    }
  }
  void check(bool /*ok*/, const char* /*why*/) {}

  void raw(std::string_view bytes) { out_.append(bytes); }
  // Overwrites a u32 written earlier at `at` (a length known only afterwards).
  void patch_u32(std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) {
      out_[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFFU);
    }
  }
  [[nodiscard]] std::size_t size() const { return out_.size(); }
  std::string& bytes() { return out_; }

 private:
  template <typename T>
  void put(const T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      put_uint(v ? 1U : 0U, 1);
    } else if constexpr (std::is_same_v<T, double>) {
      put_uint(std::bit_cast<std::uint64_t>(v), 8);
    } else if constexpr (std::is_same_v<T, float>) {
      put_uint(std::bit_cast<std::uint32_t>(v), 4);
    } else {
      static_assert(std::is_integral_v<T>, "fields are numbers, bools, strings or vectors");
      put_uint(static_cast<std::uint64_t>(static_cast<std::make_unsigned_t<T>>(v)), sizeof(T));
    }
  }
  void put_uint(std::uint64_t v, std::size_t bytes) {
    for (std::size_t i = 0; i < bytes; ++i) {
      out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFFU));
    }
  }

  std::string out_;
};

class Reader {
 public:
  static constexpr bool reading = true;

  explicit Reader(std::string_view data) : data_(data) {}

  template <typename... T>
  void operator()(T&... values) {
    (get(values), ...);
  }
  // Times in milliseconds: within +-2^60 (36 million years), so that the engine's
  // differences of two of them cannot overflow.
  template <typename... T>
  void times(T&... values) {
    (get_time(values), ...);
  }
  void str(std::string& s, std::size_t max) {
    const std::uint32_t n = count(max, 1, "a name");
    s.assign(take(n), n);
  }
  template <typename T>
  void vec(std::vector<T>& v, std::size_t max) {
    const std::uint32_t n = count(max, wire_size<T>(), "a list");
    v.assign(n, T{});
    for (T& x : v) {
      get(x);
    }
  }
  // Eigen vectors and matrices must have exactly the expected size.
  void vec(Eigen::VectorXd& v, Eigen::Index size) {
    const std::uint32_t n = count(static_cast<std::size_t>(size), 8, "a vector");
    check(n == static_cast<std::uint32_t>(size), "a vector of the wrong dimension");
    v.setZero(ok() ? size : 0);
    for (Eigen::Index i = 0; i < v.size(); ++i) {
      get(v(i));
    }
  }
  void mat(Eigen::MatrixXd& m, Eigen::Index size) {
    std::uint32_t rows = 0;
    std::uint32_t cols = 0;
    get(rows);
    get(cols);
    check(rows == static_cast<std::uint32_t>(size) && cols == static_cast<std::uint32_t>(size),
          "a matrix of the wrong dimension");
    check(static_cast<std::uint64_t>(rows) * cols * 8 <= remaining(), "truncated matrix");
    m.setZero(ok() ? size : 0, ok() ? size : 0);
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      for (Eigen::Index r = 0; r < m.rows(); ++r) {
        get(m(r, c));
      }
    }
  }
  void check(bool ok, const char* why) {
    if (!ok) {
      fail(why);
    }
  }
  void fail(const std::string& why) {
    if (error_.empty()) {
      error_ = context_.empty() ? why : context_ + ": " + why;
      pos_ = data_.size();
    }
  }

  // Names the part being read in a failure's reason ("device 'pump-7'").
  void set_context(std::string context) { context_ = std::move(context); }
  [[nodiscard]] bool ok() const { return error_.empty(); }
  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] std::size_t position() const { return pos_; }
  [[nodiscard]] std::size_t remaining() const { return data_.size() - pos_; }
  // Moves past n bytes (a record the caller does not want).
  void skip(std::size_t n) {
    if (n > remaining()) {
      fail("truncated");
      return;
    }
    pos_ += n;
  }
  // A count of elements of at least `element_bytes` each, at most `max`.
  std::uint32_t count(std::size_t max, std::size_t element_bytes, const char* what) {
    std::uint32_t n = 0;
    get(n);
    if (n > max) {
      fail(std::string(what) + " of " + std::to_string(n) + " entries where at most " +
           std::to_string(max) + " fit the config");
      return 0;
    }
    if (static_cast<std::uint64_t>(n) * element_bytes > remaining()) {
      fail(std::string("truncated: ") + what + " of " + std::to_string(n) +
           " entries runs past the end");
      return 0;
    }
    return n;
  }

 private:
  template <typename T>
  static constexpr std::size_t wire_size() {
    return std::is_same_v<T, bool> ? 1 : sizeof(T);
  }
  const char* take(std::size_t n) {
    if (n > remaining()) {
      fail("truncated");
      return data_.data() + pos_;
    }
    const char* p = data_.data() + pos_;
    pos_ += n;
    return p;
  }
  std::uint64_t get_uint(std::size_t bytes) {
    if (bytes > remaining()) {
      fail("truncated");
      return 0;
    }
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < bytes; ++i) {
      v |= static_cast<std::uint64_t>(static_cast<unsigned char>(data_[pos_ + i])) << (8 * i);
    }
    pos_ += bytes;
    return v;
  }
  void get_time(std::int64_t& v) {
    get(v);
    check(plausible_time(v), "a time beyond any clock");
  }
  template <typename T>
  void get(T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      const std::uint64_t b = get_uint(1);
      check(b <= 1, "a flag that is neither 0 nor 1");
      v = b == 1;
    } else if constexpr (std::is_same_v<T, double>) {
      v = std::bit_cast<double>(get_uint(8));
    } else if constexpr (std::is_same_v<T, float>) {
      v = std::bit_cast<float>(static_cast<std::uint32_t>(get_uint(4)));
    } else {
      static_assert(std::is_integral_v<T>, "fields are numbers, bools, strings or vectors");
      v = static_cast<T>(static_cast<std::make_unsigned_t<T>>(get_uint(sizeof(T))));
    }
  }

  std::string_view data_;
  std::size_t pos_ = 0;
  std::string error_;
  std::string context_;
};

}  // namespace edgegw::analytics::checkpoint

#pragma once
// Deterministic random numbers: the same seed gives the same corpus on every machine (the
// standard distributions are implementation-defined, so they are not used).

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace samplegen {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  /// Uniform integer in [lo, hi].
  int uniform(int lo, int hi) {
    const std::uint64_t span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<int>(engine_() % span);
  }
  /// Uniform real in [lo, hi).
  double real(double lo, double hi) {
    return lo + (hi - lo) * (static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0));
  }
  bool chance(double p) { return real(0, 1) < p; }
  /// Approximately normal (sum of uniforms), mean 0, standard deviation `sigma`.
  double gauss(double sigma) {
    double s = 0;
    for (int i = 0; i < 12; ++i) s += real(0, 1);
    return (s - 6.0) * sigma;
  }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(uniform(0, static_cast<int>(items.size()) - 1))];
  }
  std::string digits(int count) {
    std::string out;
    for (int i = 0; i < count; ++i) out += static_cast<char>('0' + uniform(0, 9));
    return out;
  }
  std::uint64_t next() { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace samplegen

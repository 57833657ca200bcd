// SplitMix64's step and finaliser: the generators of demo data, benchmark rows and interop
// files are counter-based (a value is a function of its key), so they are the same on every
// machine, at any scale, in any order of generation.
#pragma once

#include <cstdint>

namespace scout {

inline uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace scout

// Decimals as text: the one rendering of an unscaled integer and its scale, shared by the CSV and
// JSON writers, the demo warehouse sinks and `inspect`.
#pragma once

#include <string>

namespace scout {

// Appends `unscaled` * 10^-scale in plain notation: "-1.00", "0.05", "42". A scale outside
// 0..38 (possible only in a file from elsewhere) is shown as an exponent instead: "42e-40".
void append_decimal(std::string* out, __int128 unscaled, int scale);

}  // namespace scout

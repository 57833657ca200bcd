#include "common/decimal_text.h"

namespace scout {

void append_decimal(std::string* out, __int128 unscaled, int scale) {
  bool negative = unscaled < 0;
  unsigned __int128 magnitude = negative ? -static_cast<unsigned __int128>(unscaled)
                                         : static_cast<unsigned __int128>(unscaled);
  const bool plain = scale >= 0 && scale <= 38;
  char digits[48];  // 39 digits of 2^127, or scale + 1 <= 39 with the leading zeros
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + static_cast<int>(magnitude % 10));
    magnitude /= 10;
  } while (magnitude > 0);
  if (plain) {
    while (n <= scale) digits[n++] = '0';  // at least one digit before the point
  }
  if (negative) out->push_back('-');
  for (int i = n - 1; i >= 0; --i) {
    out->push_back(digits[i]);
    if (plain && i == scale && scale > 0) out->push_back('.');
  }
  if (!plain) out->append("e" + std::to_string(-static_cast<int64_t>(scale)));
}

}  // namespace scout

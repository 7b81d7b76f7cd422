#include "core/time.h"
#include "core/text.h"

#include <cstdio>

namespace chamado {
namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int& out) { return ParseFixedDigits(s, pos, n, out); }

}  // namespace

std::string FormatIsoUtc(Instant t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> hms{t - day};
  // Written digit by digit: every instant of every ticket page goes through here, and
  // snprintf's format parsing was a seventh of a queue page's time.
  char buf[32];
  char* p = buf;
  auto put = [&p](int64_t v, int width) {
    if (v < 0) {
      *p++ = '-';
      v = -v;
    }
    char digits[20];
    int n = 0;
    do {
      digits[n++] = char('0' + v % 10);
      v /= 10;
    } while (v > 0);
    for (int i = n; i < width; ++i) *p++ = '0';
    while (n > 0) *p++ = digits[--n];
  };
  put(int(ymd.year()), 4);
  *p++ = '-';
  put(unsigned(ymd.month()), 2);
  *p++ = '-';
  put(unsigned(ymd.day()), 2);
  *p++ = 'T';
  put(hms.hours().count(), 2);
  *p++ = ':';
  put(hms.minutes().count(), 2);
  *p++ = ':';
  put(hms.seconds().count(), 2);
  if (const int64_t ms = hms.subseconds().count(); ms != 0) {
    *p++ = '.';
    put(ms, 3);
  }
  *p++ = 'Z';
  return std::string(buf, p);
}

std::optional<Instant> ParseIsoInstant(std::string_view s) {
  using namespace std::chrono;
  int y, mo, d, h, mi, sec = 0;
  if (!Digits(s, 0, 4, y) || s.size() < 16 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !Digits(s, 11, 2, h) ||
      s[13] != ':' || !Digits(s, 14, 2, mi)) {
    return std::nullopt;
  }
  size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!Digits(s, pos + 1, 2, sec)) return std::nullopt;
    pos += 3;
  }
  int ms = 0;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    int scale = 100, ndigits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (scale > 0) ms += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
      ++ndigits;
    }
    if (ndigits == 0) return std::nullopt;
  }
  if (pos >= s.size()) return std::nullopt;  // an offset is mandatory
  int offset_min = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    const int sign = s[pos] == '-' ? -1 : 1;
    int oh, om;
    if (!Digits(s, pos + 1, 2, oh)) return std::nullopt;
    size_t p = pos + 3;
    if (p < s.size() && s[p] == ':') ++p;
    if (!Digits(s, p, 2, om)) return std::nullopt;
    pos = p + 2;
    if (oh > 23 || om > 59) return std::nullopt;
    offset_min = sign * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  const year_month_day ymd{year(y), month(unsigned(mo)), day(unsigned(d))};
  if (!ymd.ok()) return std::nullopt;
  if (sec == 60) sec = 59;  // a leap second names the last second of its minute
  const Instant t = time_point_cast<milliseconds>(sys_days(ymd)) + hours(h) + minutes(mi) +
                    seconds(sec) + milliseconds(ms) - minutes(offset_min);
  return t;
}

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view s) {
  using namespace std::chrono;
  if (s.empty()) return std::nullopt;
  milliseconds total{0};
  size_t i = 0;
  while (i < s.size()) {
    int64_t n = 0;
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      n = n * 10 + (s[i] - '0');
      if (n > 1'000'000'000) return std::nullopt;
      ++i;
    }
    if (i == start || i == s.size()) return std::nullopt;
    switch (s[i]) {
      case 's': total += seconds(n); break;
      case 'm': total += minutes(n); break;
      case 'h': total += hours(n); break;
      case 'd': total += days(n); break;
      case 'w': total += weeks(n); break;
      default: return std::nullopt;
    }
    ++i;
  }
  return total;
}

}  // namespace chamado

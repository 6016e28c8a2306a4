// Tests of the strong types in include/sctpcpp/types.h: serial-number arithmetic against an
// independent transcription of RFC 1982 §3.2, the Unwrapper, and identifiers in containers.
#include "sctpcpp/types.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <sstream>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"

namespace sctp {
namespace {

// RFC 1982 §3.2, written with 64-bit arithmetic so that nothing wraps:
//   s1 is said to be less than s2 if, and only if, s1 is not equal to s2, and
//     (i1 < i2 and i2 - i1 < 2^(SERIAL_BITS - 1)) or
//     (i1 > i2 and i1 - i2 > 2^(SERIAL_BITS - 1))
//   s1 is said to be greater than s2 if, and only if, s1 is not equal to s2, and
//     (i1 < i2 and i2 - i1 > 2^(SERIAL_BITS - 1)) or
//     (i1 > i2 and i1 - i2 < 2^(SERIAL_BITS - 1))
bool RfcLess(uint64_t i1, uint64_t i2, int bits) {
  const uint64_t half = uint64_t{1} << (bits - 1);
  return (i1 < i2 && i2 - i1 < half) || (i1 > i2 && i1 - i2 > half);
}
bool RfcGreater(uint64_t i1, uint64_t i2, int bits) {
  const uint64_t half = uint64_t{1} << (bits - 1);
  return (i1 < i2 && i2 - i1 > half) || (i1 > i2 && i1 - i2 < half);
}
// RFC 1982 §3.1: s' = (s + n) modulo (2 ^ SERIAL_BITS).
uint64_t RfcAdd(uint64_t s, uint64_t n, int bits) {
  return (s + n) % (uint64_t{1} << bits);
}

template <typename S>
constexpr int kBits = std::numeric_limits<typename S::rep_type>::digits;

// Checks every comparison operator of (a, b) against the reference. Returns a failure
// message so that the exhaustive loops stop at the first mismatch instead of flooding.
template <typename S>
::testing::AssertionResult MatchesRfc(uint64_t i1, uint64_t i2) {
  using Rep = typename S::rep_type;
  const S a(static_cast<Rep>(i1));
  const S b(static_cast<Rep>(i2));
  const int bits = kBits<S>;
  const bool eq = i1 == i2;
  const bool lt = RfcLess(i1, i2, bits);
  const bool gt = RfcGreater(i1, i2, bits);
  if ((a == b) != eq || (a != b) == eq || (a < b) != lt || (a > b) != gt ||
      (a <= b) != (lt || eq) || (a >= b) != (gt || eq) || (b < a) != gt || (b > a) != lt) {
    return ::testing::AssertionFailure()
           << "i1=" << i1 << " i2=" << i2 << " bits=" << bits << " expected lt=" << lt
           << " gt=" << gt << " eq=" << eq << " got lt=" << (a < b) << " gt=" << (a > b)
           << " eq=" << (a == b) << " le=" << (a <= b) << " ge=" << (a >= b);
  }
  // The reference itself: exactly one of <, >, == holds, except at half distance.
  const uint64_t mod = uint64_t{1} << bits;
  const uint64_t forward = (i2 + mod - i1) % mod;
  const int holding = int{lt} + int{gt} + int{eq};
  if (forward == mod / 2 ? holding != 0 : holding != 1) {
    return ::testing::AssertionFailure() << "reference inconsistent at " << i1 << ", " << i2;
  }
  return ::testing::AssertionSuccess();
}

const std::vector<uint32_t> kSsnDistances = {0, 1, 2, 100, 0x7FFE, 0x7FFF, 0x8000, 0x8001, 0xFFFF};

TEST(SsnTest, EveryValueAgainstRepresentativeDistances) {
  for (uint32_t a = 0; a <= 0xFFFF; ++a) {
    for (uint32_t d : kSsnDistances) {
      const uint64_t b = RfcAdd(a, d, 16);
      ASSERT_TRUE(MatchesRfc<Ssn>(a, b));
      ASSERT_TRUE(MatchesRfc<Ssn>(b, a));
      // operator+ wraps exactly like RFC 1982 §3.1 addition.
      ASSERT_EQ((Ssn(static_cast<uint16_t>(a)) + static_cast<uint16_t>(d)).value(), b);
      ASSERT_EQ(Ssn(static_cast<uint16_t>(b)).DistanceFrom(Ssn(static_cast<uint16_t>(a))), d);
    }
  }
}

TEST(SsnTest, EveryDistanceFromSelectedValues) {
  for (uint32_t a : {0u, 1u, 2u, 0x7FFEu, 0x7FFFu, 0x8000u, 0x8001u, 0xFFFEu, 0xFFFFu, 12345u}) {
    for (uint32_t d = 0; d <= 0xFFFF; ++d) {
      const uint64_t b = RfcAdd(a, d, 16);
      ASSERT_TRUE(MatchesRfc<Ssn>(a, b));
      ASSERT_TRUE(MatchesRfc<Ssn>(b, a));
      ASSERT_EQ((Ssn(static_cast<uint16_t>(a)) + static_cast<uint16_t>(d)).value(), b);
    }
  }
}

TEST(SsnTest, HalfDistanceIsNeitherLessNorGreater) {
  for (uint32_t a = 0; a <= 0xFFFF; ++a) {
    const Ssn s(static_cast<uint16_t>(a));
    const Ssn t = s + 0x8000;
    ASSERT_FALSE(s < t) << a;
    ASSERT_FALSE(s > t) << a;
    ASSERT_FALSE(t < s) << a;
    ASSERT_FALSE(t > s) << a;
    ASSERT_FALSE(s == t) << a;
    ASSERT_TRUE(s != t) << a;
    ASSERT_FALSE(s <= t) << a;
    ASSERT_FALSE(s >= t) << a;
  }
}

TEST(SsnTest, IncrementWraps) {
  Ssn s(0xFFFE);
  EXPECT_EQ((++s).value(), 0xFFFF);
  EXPECT_EQ((s++).value(), 0xFFFF);
  EXPECT_EQ(s.value(), 0);
  EXPECT_TRUE(Ssn(0xFFFF) < s);
  s += 0xFFFF;
  EXPECT_EQ(s.value(), 0xFFFF);
  EXPECT_EQ((Ssn(3) - 5).value(), 0xFFFE);
  EXPECT_EQ(Ssn(2).DistanceFrom(Ssn(0xFFFF)), 3);
  EXPECT_EQ(Ssn(0xFFFF).DistanceFrom(Ssn(2)), 0xFFFD);
  static_assert(Ssn::kHalf == 0x8000);
  static_assert(Ssn(0xFFFF) < Ssn(0));
  static_assert(!(Ssn(0) < Ssn(0x8000)));
}

// ---- 32-bit serials ----

template <typename S>
class Serial32Test : public ::testing::Test {};
using Serial32Types = ::testing::Types<Tsn, Mid, Fsn, ReconfigSeq>;
TYPED_TEST_SUITE(Serial32Test, Serial32Types);

std::vector<uint64_t> Boundaries32() {
  std::vector<uint64_t> values = {0,          1,          2,          3,          100,
                                  0x7FFFFFFD, 0x7FFFFFFE, 0x7FFFFFFF, 0x80000000, 0x80000001,
                                  0x80000002, 0xFFFFFFFD, 0xFFFFFFFE, 0xFFFFFFFF};
  std::mt19937 rng(1982);
  for (int i = 0; i < 200; ++i)
    values.push_back(rng());
  return values;
}

TYPED_TEST(Serial32Test, BoundaryPairsAgainstRfc) {
  using S = TypeParam;
  static_assert(kBits<S> == 32);
  const std::vector<uint64_t> values = Boundaries32();
  for (uint64_t a : values) {
    for (uint64_t b : values)
      ASSERT_TRUE(MatchesRfc<S>(a, b));
    // Every boundary value (and the random ones) as a distance from every value.
    for (uint64_t d : values) {
      const uint64_t b = RfcAdd(a, d, 32);
      ASSERT_TRUE(MatchesRfc<S>(a, b));
      ASSERT_EQ((S(static_cast<uint32_t>(a)) + static_cast<uint32_t>(d)).value(), b);
      ASSERT_EQ(S(static_cast<uint32_t>(b)).DistanceFrom(S(static_cast<uint32_t>(a))), d);
    }
  }
}

TYPED_TEST(Serial32Test, RandomPairsAgainstRfc) {
  using S = TypeParam;
  std::mt19937_64 rng(8260);
  for (int i = 0; i < 200000; ++i) {
    const uint64_t a = rng() & 0xFFFFFFFF;
    // Half the samples near the half-distance boundary, where mistakes live.
    const uint64_t b =
        (i % 2 == 0) ? rng() & 0xFFFFFFFF : RfcAdd(a, 0x80000000 + (rng() % 9) - 4, 32);
    ASSERT_TRUE(MatchesRfc<S>(a, b));
  }
}

TYPED_TEST(Serial32Test, HalfDistance) {
  using S = TypeParam;
  for (uint32_t a : {0u, 1u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu, 0x12345678u}) {
    const S s(a);
    const S t = s + 0x80000000u;
    EXPECT_FALSE(s < t);
    EXPECT_FALSE(s > t);
    EXPECT_FALSE(t < s);
    EXPECT_FALSE(t > s);
    EXPECT_FALSE(s == t);
    EXPECT_FALSE(s <= t);
    EXPECT_FALSE(s >= t);
    // One less than half: ordered; one more: ordered the other way.
    EXPECT_TRUE(s < s + 0x7FFFFFFFu);
    EXPECT_TRUE(s > s + 0x80000001u);
  }
}

TYPED_TEST(Serial32Test, WrappingArithmetic) {
  using S = TypeParam;
  S s(0xFFFFFFFF);
  EXPECT_EQ((s + 1).value(), 0u);
  EXPECT_EQ((s + 0xFFFFFFFF).value(), 0xFFFFFFFEu);
  EXPECT_TRUE(s < s + 1);
  EXPECT_EQ((s++).value(), 0xFFFFFFFFu);
  EXPECT_EQ(s.value(), 0u);
  EXPECT_EQ((++s).value(), 1u);
  s += 0x7FFFFFFF;
  EXPECT_EQ(s.value(), 0x80000000u);
  EXPECT_EQ((S(1) - 2).value(), 0xFFFFFFFFu);
  EXPECT_EQ(S(5).DistanceFrom(S(0xFFFFFFFB)), 10u);
  EXPECT_EQ(S(0xFFFFFFFB).DistanceFrom(S(5)), 0xFFFFFFF6u);
  EXPECT_EQ(S().value(), 0u);
  std::ostringstream os;
  os << S(0xFFFFFFFF);
  EXPECT_EQ(os.str(), "4294967295");
}

TEST(SerialNumberTest, DistinctTagsAreDistinctTypes) {
  static_assert(!std::is_same_v<Tsn, Mid>);
  static_assert(!std::is_same_v<Mid, Fsn>);
  static_assert(!std::is_convertible_v<uint32_t, Tsn>);  // explicit construction only
  static_assert(!std::is_convertible_v<Tsn, Mid>);
  static_assert(std::is_same_v<Ssn::rep_type, uint16_t>);
  static_assert(std::is_trivially_copyable_v<Tsn>);
  static_assert(sizeof(Tsn) == 4 && sizeof(Ssn) == 2);
  std::ostringstream os;
  os << Ssn(65535);
  EXPECT_EQ(os.str(), "65535");
}

// ---- Unwrapper ----

TEST(UnwrapperTest, FirstValueIsItself) {
  Unwrapper<Ssn> u;
  EXPECT_EQ(u.PeekUnwrap(Ssn(7)), 7);
  EXPECT_EQ(u.Unwrap(Ssn(0xFFF0)), 0xFFF0);
  EXPECT_EQ(u.Unwrap(Ssn(0xFFF0)), 0xFFF0);  // repeated value: same result
}

TEST(UnwrapperTest, MonotonicAcrossSeveralWrapsOf16Bits) {
  for (uint32_t step : {1u, 7u, 1000u, 0x7FFFu}) {
    Unwrapper<Ssn> u;
    int64_t expected = 65000;  // start near the top so the first wrap comes early
    int64_t previous = -1;
    for (int i = 0; expected < 6 * 65536; ++i) {
      const Ssn s(static_cast<uint16_t>(expected));
      const int64_t got = u.Unwrap(s);
      ASSERT_EQ(got, expected) << "step=" << step << " i=" << i;
      ASSERT_GT(got, previous);
      ASSERT_EQ(u.PeekUnwrap(s), expected);
      previous = got;
      expected += step;
    }
  }
}

TEST(UnwrapperTest, SlightlyBehindValuesDoNotMoveTheReference) {
  Unwrapper<Ssn> u;
  EXPECT_EQ(u.Unwrap(Ssn(65530)), 65530);
  EXPECT_EQ(u.Unwrap(Ssn(65535)), 65535);
  EXPECT_EQ(u.Unwrap(Ssn(3)), 65536 + 3);  // wrapped
  // Reordered: values from before the wrap arrive late.
  EXPECT_EQ(u.Unwrap(Ssn(65534)), 65534);
  EXPECT_EQ(u.Unwrap(Ssn(65533)), 65533);
  EXPECT_EQ(u.Unwrap(Ssn(1)), 65536 + 1);
  // The reference is still 65539: the next value in order continues from there.
  EXPECT_EQ(u.Unwrap(Ssn(4)), 65536 + 4);
  EXPECT_EQ(u.Unwrap(Ssn(65535)), 65535);
  EXPECT_EQ(u.Unwrap(Ssn(5)), 65536 + 5);
  // Behind by just under half: still behind.
  EXPECT_EQ(u.Unwrap(Ssn(static_cast<uint16_t>(5 - 0x7FFF))), 65536 + 5 - 0x7FFF);
  EXPECT_EQ(u.Unwrap(Ssn(6)), 65536 + 6);
  // Ahead by just under half: moves forward.
  EXPECT_EQ(u.Unwrap(Ssn(6 + 0x7FFF)), 65536 + 6 + 0x7FFF);
  // Exactly half away is treated as behind (the undefined case is out of window).
  EXPECT_EQ(u.PeekUnwrap(Ssn(static_cast<uint16_t>(6 + 0x7FFF + 0x8000))),
            65536 + 6 + 0x7FFF - 0x8000);
}

TEST(UnwrapperTest, ReorderingAcrossManyWraps) {
  // A stream of SSNs delivered with a bounded reordering window. Unwrapped values must equal
  // the true positions.
  std::mt19937 rng(6525);
  constexpr int64_t kCount = 5 * 65536 + 123;
  std::vector<int64_t> order;
  for (int64_t i = 0; i < kCount; ++i)
    order.push_back(i);
  // Shuffle within consecutive blocks of 64: no value is more than 63 positions off.
  for (int64_t block = 0; block < kCount; block += 64) {
    const int64_t end = std::min<int64_t>(block + 64, kCount);
    std::shuffle(order.begin() + block, order.begin() + end, rng);
  }
  Unwrapper<Ssn> u;
  u.Unwrap(Ssn(0));  // anchor at 0
  for (int64_t v : order) {
    ASSERT_EQ(u.Unwrap(Ssn(static_cast<uint16_t>(v))), v);
  }
}

TEST(UnwrapperTest, PeekDoesNotMove) {
  Unwrapper<Ssn> u;
  EXPECT_EQ(u.Unwrap(Ssn(65535)), 65535);
  EXPECT_EQ(u.PeekUnwrap(Ssn(10)), 65536 + 10);
  EXPECT_EQ(u.PeekUnwrap(Ssn(65534)), 65534);
  EXPECT_EQ(u.Unwrap(Ssn(65534)), 65534);  // reference did not move to 65546
}

TEST(UnwrapperTest, BehindTheFirstValueGoesNegative) {
  Unwrapper<Ssn> u;
  EXPECT_EQ(u.Unwrap(Ssn(2)), 2);
  EXPECT_EQ(u.Unwrap(Ssn(65535)), -1);
  EXPECT_EQ(u.Unwrap(Ssn(3)), 3);
}

TEST(UnwrapperTest, ThirtyTwoBitTsns) {
  Unwrapper<Tsn> u;
  const int64_t start = 0xFFFFFF00;
  for (int64_t v = start; v < start + 3 * (int64_t{1} << 32); v += 0x10000001) {
    ASSERT_EQ(u.Unwrap(Tsn(static_cast<uint32_t>(v))), v);
    ASSERT_EQ(u.Unwrap(Tsn(static_cast<uint32_t>(v - 5))), v - 5);  // late arrival
  }
  Unwrapper<Tsn> w;
  EXPECT_EQ(w.Unwrap(Tsn(0xFFFFFFFF)), 0xFFFFFFFF);
  EXPECT_EQ(w.Unwrap(Tsn(0)), int64_t{1} << 32);
  EXPECT_EQ(w.Unwrap(Tsn(0xFFFFFFFE)), 0xFFFFFFFE);
  EXPECT_EQ(w.Unwrap(Tsn(0x7FFFFFFF)), (int64_t{1} << 32) + 0x7FFFFFFF);
}

// ---- Identifiers ----

TEST(IdentifierTest, OrderEqualityAndHashInContainers) {
  std::set<StreamId> ordered = {StreamId(5), StreamId(0), StreamId(65535), StreamId(5)};
  ASSERT_EQ(ordered.size(), 3u);
  std::vector<uint16_t> in_order;
  for (StreamId id : ordered)
    in_order.push_back(id.value());
  EXPECT_EQ(in_order, (std::vector<uint16_t>{0, 5, 65535}));

  // An Identifier's order is the plain integer order (no wrap-around).
  EXPECT_TRUE(Ppid(0xFFFFFFFF) > Ppid(0));
  EXPECT_TRUE(Ppid(1) < Ppid(0x80000002));
  EXPECT_EQ(Ppid(51) <=> Ppid(51), std::strong_ordering::equal);

  std::unordered_set<Ppid> ppids;
  for (uint32_t v = 0; v < 1000; ++v)
    ppids.insert(Ppid(v * 0x01000193u));
  ppids.insert(Ppid(0));
  EXPECT_EQ(ppids.size(), 1000u);
  EXPECT_TRUE(ppids.contains(Ppid(0x01000193u)));
  EXPECT_FALSE(ppids.contains(Ppid(2)));

  absl::flat_hash_set<VerificationTag> tags;
  for (uint32_t v = 0; v < 1000; ++v)
    tags.insert(VerificationTag(v ^ 0xDEADBEEF));
  tags.insert(VerificationTag(0xDEADBEEF));
  EXPECT_EQ(tags.size(), 1000u);
  EXPECT_TRUE(tags.contains(VerificationTag(0xDEADBEEF)));
  EXPECT_FALSE(tags.contains(VerificationTag(0)));

  absl::flat_hash_set<StreamId> streams = {StreamId(1), StreamId(2), StreamId(1)};
  EXPECT_EQ(streams.size(), 2u);

  EXPECT_EQ(absl::HashOf(StreamId(9)), absl::HashOf(StreamId(9)));
  EXPECT_EQ(std::hash<Ppid>{}(Ppid(77)), std::hash<Ppid>{}(Ppid(77)));

  std::ostringstream os;
  os << StreamId(65535) << " " << Ppid(0xFFFFFFFF);
  EXPECT_EQ(os.str(), "65535 4294967295");
  static_assert(!std::is_convertible_v<uint16_t, StreamId>);
  static_assert(!std::is_same_v<Ppid, VerificationTag>);
}

TEST(SerialNumberTest, HashableInUnorderedContainers) {
  std::unordered_set<Tsn> tsns;
  absl::flat_hash_set<Tsn> flat;
  absl::flat_hash_set<Ssn> ssns;
  for (uint32_t v = 0xFFFFFF00; v != 0x100; ++v) {
    tsns.insert(Tsn(v));
    flat.insert(Tsn(v));
    ssns.insert(Ssn(static_cast<uint16_t>(v)));
  }
  EXPECT_EQ(tsns.size(), 0x200u);
  EXPECT_EQ(flat.size(), 0x200u);
  EXPECT_EQ(ssns.size(), 0x200u);
  EXPECT_TRUE(flat.contains(Tsn(0xFFFFFFFF)));
  EXPECT_TRUE(tsns.contains(Tsn(0)));
  EXPECT_FALSE(flat.contains(Tsn(0x100)));
}

}  // namespace
}  // namespace sctp

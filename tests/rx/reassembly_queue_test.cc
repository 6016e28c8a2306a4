// Tests of rx::ReassemblyQueue: reassembly of DATA (RFC 9260 §6.9) and I-DATA (RFC 8260 §2)
// fragments, ordered delivery (§6.6) across the SSN / MID wrap, unordered delivery, partial
// delivery (RFC 6458 §8.1.21), FORWARD TSN (RFC 3758 §3.6), I-FORWARD-TSN (RFC 8260 §2.3.1),
// stream reset (RFC 6525 §5.2.2), lazy per-stream state, hostile input, and randomized runs.
#include "rx/reassembly_queue.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace sctp::rx {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Delivery = ReassemblyQueue::Delivery;

constexpr size_t kNoPartialDelivery = std::numeric_limits<size_t>::max();
constexpr uint32_t kIgnoredPpid = 0xDEADBEEF;

std::vector<uint8_t> Pattern(size_t n, uint32_t seed) {
  std::vector<uint8_t> v(n);
  uint32_t x = seed * 2654435761u + 1;
  for (uint8_t& b : v) {
    x = x * 1103515245u + 12345u;
    b = static_cast<uint8_t>(x >> 16);
  }
  return v;
}

std::vector<uint8_t> Cat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

Fragment Data(uint32_t tsn, uint16_t sid, uint16_t ssn, bool b, bool e,
              std::vector<uint8_t> payload, bool unordered = false, uint32_t ppid = 0) {
  Fragment f;
  f.tsn = Tsn(tsn);
  f.stream_id = StreamId(sid);
  f.unordered = unordered;
  f.beginning = b;
  f.ending = e;
  f.ssn = Ssn(ssn);
  f.ppid = Ppid(ppid);
  f.payload = std::move(payload);
  return f;
}

Fragment IData(uint32_t tsn, uint16_t sid, uint32_t mid, uint32_t fsn, bool b, bool e,
               std::vector<uint8_t> payload, bool unordered = false, uint32_t ppid = 0) {
  Fragment f;
  f.tsn = Tsn(tsn);
  f.stream_id = StreamId(sid);
  f.unordered = unordered;
  f.beginning = b;
  f.ending = e;
  f.mid = Mid(mid);
  // RFC 8260 §2.1: the field holds the PPID when B is set, the FSN otherwise.
  f.fsn = Fsn(b ? ppid : fsn);
  f.ppid = Ppid(b ? ppid : kIgnoredPpid);
  f.payload = std::move(payload);
  return f;
}

std::vector<Delivery> PopAll(ReassemblyQueue& q) {
  std::vector<Delivery> out;
  while (std::optional<Delivery> d = q.Pop())
    out.push_back(std::move(*d));
  return out;
}

std::vector<std::vector<uint8_t>> Payloads(const std::vector<Delivery>& ds) {
  std::vector<std::vector<uint8_t>> out;
  for (const Delivery& d : ds)
    out.push_back(d.message.payload);
  return out;
}

std::vector<StreamId> Fwd(ReassemblyQueue& q, uint32_t cum,
                          std::vector<wire::ForwardTsnStream> entries = {}) {
  return q.HandleForwardTsn(Tsn(cum), entries);
}
std::vector<StreamId> IFwd(ReassemblyQueue& q, uint32_t cum,
                           std::vector<wire::IForwardTsnStream> entries) {
  return q.HandleIForwardTsn(Tsn(cum), entries);
}

// A sender as RFC 9260 §6.9 (DATA) and RFC 8260 §2.2.2 (I-DATA) describe it: consecutive
// TSNs, per-stream SSN or MID counters, FSN from 0 with the PPID in the first fragment.
class Sender {
 public:
  Sender(bool interleaved, uint32_t first_tsn) : interleaved_(interleaved), tsn_(first_tsn) {}

  std::vector<Fragment> Send(uint16_t sid, bool unordered, const std::vector<uint8_t>& payload,
                             size_t fragment_size, uint32_t ppid = 7) {
    const size_t n = std::max<size_t>(1, (payload.size() + fragment_size - 1) / fragment_size);
    uint32_t& counter = unordered ? unordered_[sid] : ordered_[sid];
    const uint32_t id = counter++;
    std::vector<Fragment> out;
    for (size_t i = 0; i < n; ++i) {
      const size_t begin = i * fragment_size;
      const size_t end = std::min(payload.size(), begin + fragment_size);
      std::vector<uint8_t> part(payload.begin() + static_cast<ptrdiff_t>(begin),
                                payload.begin() + static_cast<ptrdiff_t>(end));
      const bool b = i == 0;
      const bool e = i == n - 1;
      if (interleaved_) {
        out.push_back(IData(tsn_++, sid, id, static_cast<uint32_t>(i), b, e, std::move(part),
                            unordered, ppid));
      } else {
        // RFC 9260 §6.6: the SSN of an unordered chunk "has no significance".
        const uint16_t ssn = unordered ? uint16_t{0xBEEF} : static_cast<uint16_t>(id);
        out.push_back(Data(tsn_++, sid, ssn, b, e, std::move(part), unordered, ppid));
      }
    }
    return out;
  }
  std::vector<Fragment> Send(uint16_t sid, bool unordered, size_t size, uint32_t seed,
                             size_t fragment_size) {
    return Send(sid, unordered, Pattern(size, seed), fragment_size);
  }

 private:
  bool interleaved_;
  uint32_t tsn_;
  std::map<uint16_t, uint32_t> ordered_;
  std::map<uint16_t, uint32_t> unordered_;
};

void AddAll(ReassemblyQueue& q, std::vector<Fragment> frags) {
  for (Fragment& f : frags)
    q.Add(std::move(f));
}

class ModeTest : public ::testing::TestWithParam<bool> {
 protected:
  bool interleaved() const { return GetParam(); }
};

INSTANTIATE_TEST_SUITE_P(DataAndIData, ModeTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& param_info) {
                           return std::string(param_info.param ? "IData" : "Data");
                         });

// ---- basic reassembly ----

TEST_P(ModeTest, SingleFragmentMessageIsMovedNotCopied) {
  for (const bool unordered : {false, true}) {
    ReassemblyQueue q(interleaved(), kNoPartialDelivery);
    Sender s(interleaved(), 100);
    std::vector<Fragment> frags = s.Send(5, unordered, Pattern(1000, 1), 2000, 42);
    ASSERT_EQ(frags.size(), 1u);
    const uint8_t* data = frags[0].payload.data();
    q.Add(std::move(frags[0]));
    EXPECT_EQ(q.buffered_bytes(), 1000u);
    std::optional<Delivery> d = q.Pop();
    ASSERT_TRUE(d.has_value());
    EXPECT_TRUE(d->end_of_message);
    EXPECT_EQ(d->message.stream_id, StreamId(5));
    EXPECT_EQ(d->message.ppid, Ppid(42));
    EXPECT_EQ(d->message.unordered, unordered);
    EXPECT_EQ(d->message.payload, Pattern(1000, 1));
    EXPECT_EQ(d->message.payload.data(), data);  // the very buffer that came in
    EXPECT_EQ(q.buffered_bytes(), 0u);
    EXPECT_FALSE(q.Pop().has_value());
    EXPECT_TRUE(q.CheckInvariants());
  }
}

TEST_P(ModeTest, ThreeFragmentMessageInEveryArrivalOrder) {
  for (const bool unordered : {false, true}) {
    std::array<size_t, 3> order = {0, 1, 2};
    int permutations = 0;
    do {
      SCOPED_TRACE(testing::Message()
                   << "unordered=" << unordered << " order=" << order[0] << order[1] << order[2]);
      ReassemblyQueue q(interleaved(), kNoPartialDelivery);
      Sender s(interleaved(), 0xFFFFFFFF);  // the TSNs wrap inside the message
      const std::vector<uint8_t> msg = Pattern(3000, 9);
      std::vector<Fragment> frags = s.Send(3, unordered, msg, 1000, 9);
      ASSERT_EQ(frags.size(), 3u);
      size_t added = 0;
      for (size_t k = 0; k < 3; ++k) {
        q.Add(std::move(frags[order[k]]));
        added += 1000;
        EXPECT_EQ(q.buffered_bytes(), added);
        if (k < 2) {
          EXPECT_FALSE(q.Pop().has_value());
        }
        EXPECT_TRUE(q.CheckInvariants());
      }
      std::vector<Delivery> ds = PopAll(q);
      ASSERT_EQ(ds.size(), 1u);
      EXPECT_TRUE(ds[0].end_of_message);
      EXPECT_EQ(ds[0].message.payload, msg);
      EXPECT_EQ(ds[0].message.ppid, Ppid(9));
      EXPECT_EQ(ds[0].message.unordered, unordered);
      EXPECT_EQ(q.buffered_bytes(), 0u);
      EXPECT_EQ(q.discarded_fragments(), 0u);
      ++permutations;
    } while (std::next_permutation(order.begin(), order.end()));
    EXPECT_EQ(permutations, 6);
  }
}

TEST_P(ModeTest, OrderedMessagesWaitForTheMissingOne) {
  ReassemblyQueue q(interleaved(), kNoPartialDelivery);
  Sender s(interleaved(), 1);
  std::vector<Fragment> m0 = s.Send(1, false, 10, 0, 100);
  std::vector<Fragment> m1 = s.Send(1, false, 250, 1, 100);  // 3 fragments
  std::vector<Fragment> m2 = s.Send(1, false, 10, 2, 100);
  AddAll(q, std::move(m2));
  AddAll(q, std::move(m1));
  EXPECT_THAT(PopAll(q), IsEmpty());
  AddAll(q, std::move(m0));
  EXPECT_THAT(Payloads(PopAll(q)), ElementsAre(Pattern(10, 0), Pattern(250, 1), Pattern(10, 2)));
  EXPECT_TRUE(q.CheckInvariants());
}

TEST(ReassemblyQueueTest, OrderedDeliveryAcrossSsnWrap) {
  ReassemblyQueue q(false, kNoPartialDelivery);
  Sender s(false, 1);
  for (uint32_t i = 0; i < 65534; ++i) {
    AddAll(q, s.Send(3, false, 4, i, 100));
    ASSERT_TRUE(q.Pop().has_value()) << i;
  }
  // SSNs 65534, 65535, 0, 1 arrive as 1, 0, 65535, 65534.
  std::vector<Fragment> m65534 = s.Send(3, false, 8, 65534, 100);
  std::vector<Fragment> m65535 = s.Send(3, false, 200, 65535, 100);
  std::vector<Fragment> m0 = s.Send(3, false, 8, 0, 100);
  std::vector<Fragment> m1 = s.Send(3, false, 150, 1, 100);
  ASSERT_EQ(m0[0].ssn, Ssn(0));
  AddAll(q, std::move(m1));
  AddAll(q, std::move(m0));
  AddAll(q, std::move(m65535));
  EXPECT_THAT(PopAll(q), IsEmpty());
  AddAll(q, std::move(m65534));
  EXPECT_THAT(Payloads(PopAll(q)),
              ElementsAre(Pattern(8, 65534), Pattern(200, 65535), Pattern(8, 0), Pattern(150, 1)));
  // An SSN from before the wrap is old now.
  q.Add(Data(1'000'000, 3, 65533, true, true, Pattern(4, 1)));
  EXPECT_EQ(q.discarded_fragments(), 1u);
  EXPECT_THAT(PopAll(q), IsEmpty());
  EXPECT_TRUE(q.CheckInvariants());
}

TEST(ReassemblyQueueTest, OrderedDeliveryAcrossMidWrap) {
  ReassemblyQueue q(true, kNoPartialDelivery);
  // Skip the stream's ordered MIDs up to 0xFFFFFFFD in steps a sender could take.
  for (uint32_t mid : {0x3FFFFFFFu, 0x7FFFFFFFu, 0xBFFFFFFFu, 0xFFFFFFFDu}) {
    EXPECT_THAT(IFwd(q, 0, {{StreamId(4), false, Mid(mid)}}), IsEmpty());
  }
  uint32_t tsn = 50;
  auto send = [&](uint32_t mid, uint32_t seed) {
    q.Add(IData(tsn++, 4, mid, 0, true, false, Pattern(100, seed), false, seed));
    q.Add(IData(tsn++, 4, mid, 1, false, true, Pattern(50, seed + 1)));
  };
  send(1, 10);
  send(0, 20);
  send(0xFFFFFFFF, 30);
  EXPECT_THAT(PopAll(q), IsEmpty());
  send(0xFFFFFFFE, 40);
  std::vector<Delivery> ds = PopAll(q);
  ASSERT_EQ(ds.size(), 4u);
  EXPECT_EQ(ds[0].message.payload, Cat({Pattern(100, 40), Pattern(50, 41)}));
  EXPECT_EQ(ds[1].message.payload, Cat({Pattern(100, 30), Pattern(50, 31)}));
  EXPECT_EQ(ds[2].message.payload, Cat({Pattern(100, 20), Pattern(50, 21)}));
  EXPECT_EQ(ds[3].message.payload, Cat({Pattern(100, 10), Pattern(50, 11)}));
  EXPECT_EQ(ds[3].message.ppid, Ppid(10));  // from the B fragment only
  EXPECT_TRUE(q.CheckInvariants());
}

TEST(ReassemblyQueueTest, UnorderedOvertakesOrdered) {
  ReassemblyQueue q(false, kNoPartialDelivery);
  q.Add(Data(10, 1, 0, true, false, Pattern(100, 1)));  // SSN 0; its E (TSN 11) is late
  q.Add(Data(12, 1, 1, true, true, Pattern(50, 2)));    // SSN 1 waits for SSN 0
  q.Add(Data(13, 1, 777, true, true, Pattern(30, 3), /*unordered=*/true));
  EXPECT_THAT(Payloads(PopAll(q)), ElementsAre(Pattern(30, 3)));
  // A fragmented unordered message, its E first and its B last.
  q.Add(Data(16, 1, 0, false, true, Pattern(20, 6), true));
  q.Add(Data(15, 1, 0, false, false, Pattern(20, 5), true));
  EXPECT_THAT(PopAll(q), IsEmpty());
  q.Add(Data(14, 1, 0, true, false, Pattern(20, 4), true));
  std::vector<Delivery> ds = PopAll(q);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_TRUE(ds[0].message.unordered);
  EXPECT_EQ(ds[0].message.payload, Cat({Pattern(20, 4), Pattern(20, 5), Pattern(20, 6)}));
  // The unordered SSNs (777, 0) did not disturb the ordered sequence.
  q.Add(Data(11, 1, 0, false, true, Pattern(100, 11)));
  EXPECT_THAT(Payloads(PopAll(q)),
              ElementsAre(Cat({Pattern(100, 1), Pattern(100, 11)}), Pattern(50, 2)));
  EXPECT_EQ(q.discarded_fragments(), 0u);
  EXPECT_TRUE(q.CheckInvariants());
}

TEST(ReassemblyQueueTest, DataUnorderedRunsDoNotCrossStreams) {
  ReassemblyQueue q(false, kNoPartialDelivery);
  // Stream 1 sends B at TSN 10; TSN 11 is a complete unordered message of stream 2, so TSN 12
  // (stream 1, E) cannot continue stream 1's message: §6.9 fragments are consecutive TSNs.
  q.Add(Data(12, 1, 0, false, true, Pattern(10, 12), true));
  q.Add(Data(10, 1, 0, true, false, Pattern(10, 10), true));
  q.Add(Data(11, 2, 0, true, true, Pattern(10, 11), true));
  EXPECT_THAT(Payloads(PopAll(q)), ElementsAre(Pattern(10, 11)));
  EXPECT_EQ(q.buffered_bytes(), 20u);
  EXPECT_TRUE(q.CheckInvariants());
}

TEST(ReassemblyQueueTest, InterleavedStreamsReassembleIndependently) {
  ReassemblyQueue q(true, kNoPartialDelivery);
  // TSNs are handed out across streams as an I-DATA sender interleaves them (§2.2.2); each
  // message is found by stream + U + MID, fragments by FSN (§2.2.3).
  struct F {
    uint16_t sid;
    bool unordered;
    uint32_t fsn;
    bool b;
    bool e;
  };
  const std::vector<F> order = {
      {1, false, 0, true, false},  {2, false, 0, true, false},  {1, true, 0, true, false},
      {1, false, 1, false, false}, {2, false, 1, false, false}, {1, false, 2, false, false},
      {1, true, 1, false, true},   {2, false, 2, false, true},  {1, false, 3, false, true}};
  auto payload = [](const F& f) {
    return Pattern(64, f.sid * 100u + (f.unordered ? 50u : 0u) + f.fsn);
  };
  // Arrival: the first half reversed, then the rest, so both streams see reordering.
  std::vector<size_t> arrival = {4, 3, 2, 1, 0, 5, 6, 7, 8};
  std::vector<std::string> completed;
  for (size_t i : arrival) {
    const F& f = order[i];
    q.Add(IData(static_cast<uint32_t>(1000 + i), f.sid, 0, f.fsn, f.b, f.e, payload(f), f.unordered,
                f.sid));
    for (const Delivery& d : PopAll(q)) {
      completed.push_back(std::to_string(d.message.stream_id.value()) +
                          (d.message.unordered ? "U" : "O"));
      std::vector<uint8_t> expected;
      for (const F& g : order) {
        if (g.sid == d.message.stream_id.value() && g.unordered == d.message.unordered) {
          const std::vector<uint8_t> p = payload(g);
          expected.insert(expected.end(), p.begin(), p.end());
        }
      }
      EXPECT_EQ(d.message.payload, expected);
      EXPECT_EQ(d.message.ppid, Ppid(d.message.stream_id.value()));
    }
  }
  // Unordered MID 0 and ordered MID 0 of stream 1 are different messages.
  EXPECT_THAT(completed, ElementsAre("1U", "2O", "1O"));
  EXPECT_EQ(q.buffered_bytes(), 0u);
  EXPECT_TRUE(q.CheckInvariants());
}

// ---- partial delivery ----

TEST_P(ModeTest, PartialDeliveryOfOneMebibyteMessage) {
  constexpr size_t kSize = size_t{1} << 20;
  constexpr size_t kPoint = size_t{64} << 10;
  constexpr size_t kFragment = 1000;
  const std::vector<uint8_t> msg = Pattern(kSize, 77);
  for (const bool shuffled : {false, true}) {
    SCOPED_TRACE(shuffled ? "shuffled" : "in order");
    ReassemblyQueue q(interleaved(), kPoint);
    Sender s(interleaved(), 500);
    std::vector<Fragment> frags = s.Send(2, false, msg, kFragment, 5);
    if (shuffled) std::shuffle(frags.begin(), frags.end(), std::mt19937(5));
    std::vector<uint8_t> got;
    size_t pieces = 0;
    bool ended = false;
    for (Fragment& f : frags) {
      q.Add(std::move(f));
      for (const Delivery& d : PopAll(q)) {
        ASSERT_FALSE(ended);
        ++pieces;
        EXPECT_EQ(d.message.stream_id, StreamId(2));
        EXPECT_EQ(d.message.ppid, Ppid(5));
        if (!d.end_of_message) {
          EXPECT_GE(d.message.payload.size(), kPoint);
        }
        got.insert(got.end(), d.message.payload.begin(), d.message.payload.end());
        ended = d.end_of_message;
      }
      if (!shuffled) {
        // Handing pieces out keeps the receive buffer near the point.
        ASSERT_LT(q.buffered_bytes(), kPoint + kFragment);
      }
    }
    ASSERT_TRUE(q.CheckInvariants());
    EXPECT_TRUE(ended);
    EXPECT_EQ(got.size(), kSize);
    EXPECT_EQ(got, msg);
    EXPECT_GT(pieces, 1u);
    if (!shuffled) {
      EXPECT_EQ(pieces, 16u);  // 15 pieces of 66 fragments, then the rest
    }
    EXPECT_EQ(q.buffered_bytes(), 0u);
  }
}

TEST_P(ModeTest, MessageNotLongerThanThePointIsDeliveredWhole) {
  constexpr size_t kPoint = 1000;
  ReassemblyQueue q(interleaved(), kPoint);
  Sender s(interleaved(), 1);
  std::vector<Fragment> frags = s.Send(1, false, Pattern(kPoint, 1), 100);
  for (size_t i = 0; i + 1 < frags.size(); ++i)
    q.Add(std::move(frags[i]));
  EXPECT_THAT(PopAll(q), IsEmpty());
  q.Add(std::move(frags.back()));
  std::vector<Delivery> ds = PopAll(q);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_TRUE(ds[0].end_of_message);
  EXPECT_EQ(ds[0].message.payload, Pattern(kPoint, 1));

  // One byte more, the last byte late: the leading kPoint bytes go out first.
  std::vector<Fragment> big = s.Send(1, false, Pattern(kPoint + 1, 2), 100);
  ASSERT_EQ(big.back().payload.size(), 1u);
  const uint8_t* last_data = big.back().payload.data();
  for (size_t i = 0; i + 1 < big.size(); ++i)
    q.Add(std::move(big[i]));
  ds = PopAll(q);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_FALSE(ds[0].end_of_message);
  EXPECT_EQ(ds[0].message.payload.size(), kPoint);
  q.Add(std::move(big.back()));
  ds = PopAll(q);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_TRUE(ds[0].end_of_message);
  EXPECT_EQ(ds[0].message.payload, std::vector<uint8_t>{Pattern(kPoint + 1, 2).back()});
  EXPECT_EQ(ds[0].message.payload.data(), last_data);  // a one-fragment piece is moved
}

TEST(ReassemblyQueueTest, PartialDeliveryOnlyForTheHeadOfAnOrderedStream) {
  ReassemblyQueue q(false, 100);
  q.Add(Data(11, 1, 1, true, false, Pattern(300, 11)));  // SSN 1, but SSN 0 is missing
  q.Add(Data(12, 1, 1, false, false, Pattern(300, 12)));
  EXPECT_THAT(PopAll(q), IsEmpty());
  q.Add(Data(10, 1, 0, true, true, Pattern(5, 10)));
  std::vector<Delivery> ds = PopAll(q);
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds[0].message.payload, Pattern(5, 10));
  EXPECT_TRUE(ds[0].end_of_message);
  EXPECT_EQ(ds[1].message.payload, Cat({Pattern(300, 11), Pattern(300, 12)}));
  EXPECT_FALSE(ds[1].end_of_message);
  q.Add(Data(13, 1, 1, false, true, Pattern(7, 13)));
  ds = PopAll(q);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_TRUE(ds[0].end_of_message);
  EXPECT_EQ(ds[0].message.payload, Pattern(7, 13));
  EXPECT_TRUE(q.CheckInvariants());
}

TEST(ReassemblyQueueTest, PartialDeliveryHoldsBackOtherMessagesOfTheSameStreamOnly) {
  ReassemblyQueue q(false, 100);
  q.Add(Data(10, 1, 0, true, false, Pattern(200, 10)));  // SSN 0 starts partial delivery
  std::vector<Delivery> ds = PopAll(q);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_FALSE(ds[0].end_of_message);
  q.Add(Data(20, 1, 9, true, true, Pattern(10, 20), true));  // unordered, same stream: held
  q.Add(Data(21, 1, 1, true, true, Pattern(10, 21)));        // SSN 1: behind SSN 0 anyway
  q.Add(Data(22, 2, 9, true, true, Pattern(10, 22), true));  // another stream: goes out
  EXPECT_THAT(Payloads(PopAll(q)), ElementsAre(Pattern(10, 22)));
  q.Add(Data(11, 1, 0, false, true, Pattern(50, 11)));
  ds = PopAll(q);
  ASSERT_EQ(ds.size(), 3u);
  EXPECT_EQ(ds[0].message.payload, Pattern(50, 11));
  EXPECT_TRUE(ds[0].end_of_message);
  EXPECT_EQ(ds[1].message.payload, Pattern(10, 20));
  EXPECT_EQ(ds[2].message.payload, Pattern(10, 21));
  EXPECT_TRUE(q.CheckInvariants());
}

TEST_P(ModeTest, UnorderedPartialDeliveriesOfOneStreamDoNotInterleave) {
  ReassemblyQueue q(interleaved(), 100);
  // Two unordered messages of stream 1, both past the point before either completes.
  std::vector<Fragment> a;
  std::vector<Fragment> b;
  if (interleaved()) {
    a.push_back(IData(30, 1, 0, 0, true, false, Pattern(200, 30), true));
    a.push_back(IData(31, 1, 0, 1, false, true, Pattern(20, 31), true));
    b.push_back(IData(40, 1, 1, 0, true, false, Pattern(200, 40), true));
    b.push_back(IData(41, 1, 1, 1, false, true, Pattern(20, 41), true));
  } else {
    a.push_back(Data(30, 1, 0, true, false, Pattern(200, 30), true));
    a.push_back(Data(31, 1, 0, false, true, Pattern(20, 31), true));
    b.push_back(Data(40, 1, 0, true, false, Pattern(200, 40), true));
    b.push_back(Data(41, 1, 0, false, true, Pattern(20, 41), true));
  }
  q.Add(std::move(a[0]));
  q.Add(std::move(b[0]));
  std::vector<Delivery> ds = PopAll(q);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].message.payload, Pattern(200, 30));
  EXPECT_FALSE(ds[0].end_of_message);
  q.Add(std::move(a[1]));  // ends A; B's leading part may go now
  ds = PopAll(q);
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds[0].message.payload, Pattern(20, 31));
  EXPECT_TRUE(ds[0].end_of_message);
  EXPECT_EQ(ds[1].message.payload, Pattern(200, 40));
  EXPECT_FALSE(ds[1].end_of_message);
  q.Add(std::move(b[1]));
  ds = PopAll(q);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].message.payload, Pattern(20, 41));
  EXPECT_TRUE(ds[0].end_of_message);
  EXPECT_TRUE(q.CheckInvariants());
}

// ---- FORWARD TSN (RFC 3758 §3.6) ----

TEST(ReassemblyQueueTest, ForwardTsnSkippingAMissingSsnReleasesLaterMessages) {
  ReassemblyQueue q(false, kNoPartialDelivery);
  q.Add(Data(11, 0, 1, true, true, Pattern(10, 1)));
  q.Add(Data(12, 0, 2, true, true, Pattern(10, 2)));
  EXPECT_THAT(PopAll(q), IsEmpty());
  EXPECT_THAT(Fwd(q, 10, {{StreamId(0), Ssn(0)}}), IsEmpty());
  EXPECT_THAT(Payloads(PopAll(q)), ElementsAre(Pattern(10, 1), Pattern(10, 2)));
  q.Add(Data(13, 0, 3, true, true, Pattern(10, 3)));
  EXPECT_THAT(Payloads(PopAll(q)), ElementsAre(Pattern(10, 3)));
  EXPECT_TRUE(q.CheckInvariants());
}

TEST(ReassemblyQueueTest, ForwardTsnDropsIncompleteMessagesItObsoletes) {
  ReassemblyQueue q(false, kNoPartialDelivery);
  q.Add(Data(10, 0, 0, true, false, Pattern(100, 10)));  // SSN 0 misses TSN 11
  q.Add(Data(12, 0, 0, false, true, Pattern(100, 12)));
  q.Add(Data(13, 0, 1, true, true, Pattern(10, 13)));
  q.Add(Data(20, 0, 2, true, false, Pattern(10, 20)));  // SSN 2 misses TSN 21: still possible
  q.Add(Data(22, 0, 2, false, true, Pattern(10, 22)));
  EXPECT_EQ(q.buffered_bytes(), 230u);
  EXPECT_THAT(Fwd(q, 12, {{StreamId(0), Ssn(0)}}), IsEmpty());
  EXPECT_EQ(q.abandoned_fragments(), 2u);
  EXPECT_THAT(Payloads(PopAll(q)), ElementsAre(Pattern(10, 13)));
  EXPECT_EQ(q.buffered_bytes(), 20u);
  q.Add(Data(21, 0, 2, false, false, Pattern(10, 21)));
  EXPECT_THAT(Payloads(PopAll(q)),
              ElementsAre(Cat({Pattern(10, 20), Pattern(10, 21), Pattern(10, 22)})));
  EXPECT_EQ(q.buffered_bytes(), 0u);
  EXPECT_TRUE(q.CheckInvariants());
}

TEST(ReassemblyQueueTest, ForwardTsnDeliversStrandedMessagesUpToTheListedSsn) {
  ReassemblyQueue q(false, kNoPartialDelivery);
  q.Add(Data(11, 4, 1, true, true, Pattern(10, 1)));
  q.Add(Data(13, 4, 3, true, true, Pattern(10, 3)));
  q.Add(Data(15, 4, 5, true, true, Pattern(10, 5)));
  // SSNs 0 and 2 abandoned (TSNs 10, 12); SSN 4 (TSN 14) still in flight.
  EXPECT_THAT(Fwd(q, 12, {{StreamId(4), Ssn(2)}}), IsEmpty());
  EXPECT_THAT(Payloads(PopAll(q)), ElementsAre(Pattern(10, 1), Pattern(10, 3)));
  q.Add(Data(14, 4, 4, true, true, Pattern(10, 4)));
  EXPECT_THAT(Payloads(PopAll(q)), ElementsAre(Pattern(10, 4), Pattern(10, 5)));
  EXPECT_TRUE(q.CheckInvariants());
}

TEST(ReassemblyQueueTest, ForwardTsnOutOfDateEntryChangesNothing) {
  ReassemblyQueue q(false, kNoPartialDelivery);
  for (uint16_t ssn = 0; ssn < 3; ++ssn)
    q.Add(Data(10 + ssn, 1, ssn, true, true, Pattern(4, ssn)));
  EXPECT_EQ(PopAll(q).size(), 3u);
  q.Add(Data(14, 1, 4, true, true, Pattern(4, 4)));
  EXPECT_THAT(Fwd(q, 12, {{StreamId(1), Ssn(1)}}), IsEmpty());
  EXPECT_THAT(PopAll(q), IsEmpty());  // SSN 3 is still awaited
  q.Add(Data(13, 1, 3, true, true, Pattern(4, 3)));
  EXPECT_THAT(Payloads(PopAll(q)), ElementsAre(Pattern(4, 3), Pattern(4, 4)));
}

TEST(ReassemblyQueueTest, ForwardTsnAbortsAPartialDelivery) {
  ReassemblyQueue q(false, 100);
  q.Add(Data(10, 0, 0, true, false, Pattern(150, 10)));  // piece handed out
  q.Add(Data(12, 0, 0, false, true, Pattern(10, 12)));   // TSN 11 never comes
  q.Add(Data(13, 0, 1, true, true, Pattern(10, 13)));
  std::vector<Delivery> ds = PopAll(q);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_FALSE(ds[0].end_of_message);
  EXPECT_THAT(Fwd(q, 11, {{StreamId(0), Ssn(0)}}), ElementsAre(StreamId(0)));
  EXPECT_EQ(q.abandoned_fragments(), 1u);
  ds = PopAll(q);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].message.payload, Pattern(10, 13));
  EXPECT_TRUE(ds[0].end_of_message);
  EXPECT_EQ(q.buffered_bytes(), 0u);
  EXPECT_TRUE(q.CheckInvariants());
}

TEST(ReassemblyQueueTest, ForwardTsnDropsObsoleteUnorderedFragments) {
  ReassemblyQueue q(false, kNoPartialDelivery);
  q.Add(Data(10, 1, 0, true, false, Pattern(10, 10), true));  // misses TSN 11
  q.Add(Data(12, 1, 0, false, true, Pattern(10, 12), true));
  q.Add(Data(30, 1, 0, false, false, Pattern(10, 30), true));  // B (29) not here yet
  q.Add(Data(31, 1, 0, false, true, Pattern(10, 31), true));
  q.Add(Data(40, 2, 0, true, false, Pattern(10, 40), true));  // misses TSN 41
  q.Add(Data(42, 2, 0, false, true, Pattern(10, 42), true));
  EXPECT_EQ(q.buffered_bytes(), 60u);
  EXPECT_THAT(Fwd(q, 11), IsEmpty());
  EXPECT_EQ(q.buffered_bytes(), 40u);
  EXPECT_TRUE(q.CheckInvariants());
  EXPECT_THAT(Fwd(q, 29), IsEmpty());  // TSN 29 abandoned: 30 and 31 cannot complete
  EXPECT_EQ(q.buffered_bytes(), 20u);
  EXPECT_EQ(q.abandoned_fragments(), 4u);
  q.Add(Data(41, 2, 0, false, false, Pattern(10, 41), true));
  EXPECT_THAT(Payloads(PopAll(q)),
              ElementsAre(Cat({Pattern(10, 40), Pattern(10, 41), Pattern(10, 42)})));
  EXPECT_EQ(q.buffered_bytes(), 0u);
  EXPECT_TRUE(q.CheckInvariants());
}

TEST(ReassemblyQueueTest, ForwardTsnDropsOrderedMessageMissingItsBeginning) {
  ReassemblyQueue q(false, kNoPartialDelivery);
  q.Add(Data(11, 1, 0, false, false, Pattern(10, 11)));  // SSN 0; B (TSN 10) lost
  q.Add(Data(12, 1, 0, false, true, Pattern(10, 12)));
  q.Add(Data(13, 1, 1, true, true, Pattern(10, 13)));
  EXPECT_THAT(Fwd(q, 10, {{StreamId(1), Ssn(0)}}), IsEmpty());
  EXPECT_THAT(Payloads(PopAll(q)), ElementsAre(Pattern(10, 13)));
  EXPECT_EQ(q.buffered_bytes(), 0u);
  EXPECT_TRUE(q.CheckInvariants());
}

TEST(ReassemblyQueueTest, IForwardTsnSkipsOrderedMids) {
  ReassemblyQueue q(true, kNoPartialDelivery);
  q.Add(IData(11, 7, 0, 1, false, false, Pattern(10, 11)));  // MID 0, FSN 1: B never comes
  q.Add(IData(12, 7, 1, 0, true, true, Pattern(10, 12)));
  q.Add(IData(13, 7, 2, 0, true, true, Pattern(10, 13)));
  EXPECT_THAT(PopAll(q), IsEmpty());
  EXPECT_THAT(IFwd(q, 11, {{StreamId(7), false, Mid(0)}}), IsEmpty());
  EXPECT_EQ(q.abandoned_fragments(), 1u);
  EXPECT_THAT(Payloads(PopAll(q)), ElementsAre(Pattern(10, 12), Pattern(10, 13)));
  q.Add(IData(14, 7, 0, 0, true, true, Pattern(10, 14)));  // MID 0 again: old
  EXPECT_EQ(q.discarded_fragments(), 1u);
  EXPECT_EQ(q.buffered_bytes(), 0u);
  EXPECT_TRUE(q.CheckInvariants());
}

TEST(ReassemblyQueueTest, IForwardTsnSkipsUnorderedMids) {
  ReassemblyQueue q(true, kNoPartialDelivery);
  q.Add(IData(10, 7, 5, 0, true, false, Pattern(10, 10), true));  // unordered MID 5
  q.Add(IData(12, 7, 5, 2, false, true, Pattern(10, 12), true));  // FSN 1 missing
  q.Add(IData(13, 7, 0, 0, true, false, Pattern(10, 13)));        // ordered MID 0, incomplete
  EXPECT_THAT(IFwd(q, 11, {{StreamId(7), true, Mid(5)}}), IsEmpty());
  EXPECT_EQ(q.buffered_bytes(), 10u);  // the ordered message is untouched
  q.Add(IData(14, 7, 5, 1, false, false, Pattern(10, 14), true));  // late: skipped
  EXPECT_EQ(q.discarded_fragments(), 1u);
  q.Add(IData(15, 7, 6, 0, true, true, Pattern(10, 15), true));
  q.Add(IData(16, 7, 0, 1, false, true, Pattern(10, 16)));
  std::vector<Delivery> ds = PopAll(q);
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds[0].message.payload, Pattern(10, 15));
  EXPECT_EQ(ds[1].message.payload, Cat({Pattern(10, 13), Pattern(10, 16)}));
  EXPECT_TRUE(q.CheckInvariants());
}

TEST(ReassemblyQueueTest, IForwardTsnAbortsPartialDeliveries) {
  ReassemblyQueue q(true, 100);
  q.Add(IData(10, 1, 0, 0, true, false, Pattern(200, 10), true));  // unordered, stream 1
  q.Add(IData(11, 2, 0, 0, true, false, Pattern(200, 11)));        // ordered, stream 2
  q.Add(IData(12, 3, 0, 0, true, false, Pattern(200, 12)));        // ordered, stream 3: kept
  EXPECT_EQ(PopAll(q).size(), 3u);
  EXPECT_THAT(IFwd(q, 12, {{StreamId(2), false, Mid(0)}, {StreamId(1), true, Mid(0)}}),
              ElementsAre(StreamId(1), StreamId(2)));
  q.Add(IData(13, 3, 0, 1, false, true, Pattern(5, 13)));
  std::vector<Delivery> ds = PopAll(q);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_TRUE(ds[0].end_of_message);
  EXPECT_EQ(q.buffered_bytes(), 0u);
  EXPECT_TRUE(q.CheckInvariants());
}

TEST(ReassemblyQueueTest, ForwardTsnKindMustMatchTheMode) {
  // RFC 8260 §2.3.1: FORWARD-TSN goes with DATA, I-FORWARD-TSN with I-DATA.
  ReassemblyQueue data(false, kNoPartialDelivery);
  data.Add(Data(11, 0, 1, true, true, Pattern(10, 1)));
  EXPECT_THAT(IFwd(data, 10, {{StreamId(0), false, Mid(0)}}), IsEmpty());
  EXPECT_THAT(PopAll(data), IsEmpty());
  ReassemblyQueue idata(true, kNoPartialDelivery);
  idata.Add(IData(11, 0, 1, 0, true, true, Pattern(10, 1)));
  EXPECT_THAT(Fwd(idata, 10, {{StreamId(0), Ssn(0)}}), IsEmpty());
  EXPECT_THAT(PopAll(idata), IsEmpty());
}

// ---- stream reset (RFC 6525) ----

TEST(ReassemblyQueueTest, ResetStreamsRestartsSsnsAtZero) {
  ReassemblyQueue q(false, kNoPartialDelivery);
  uint32_t tsn = 1;
  for (uint16_t ssn = 0; ssn < 3; ++ssn)
    q.Add(Data(tsn++, 1, ssn, true, true, Pattern(4, ssn)));
  q.Add(Data(tsn++, 2, 0, true, true, Pattern(4, 20)));
  EXPECT_EQ(PopAll(q).size(), 4u);
  const std::array<StreamId, 1> one = {StreamId(1)};
  q.ResetStreams(one);
  q.Add(Data(tsn++, 1, 0, true, true, Pattern(4, 100)));  // stream 1 starts over
  q.Add(Data(tsn++, 2, 0, true, true, Pattern(4, 21)));   // stream 2 did not: old SSN
  EXPECT_THAT(Payloads(PopAll(q)), ElementsAre(Pattern(4, 100)));
  EXPECT_EQ(q.discarded_fragments(), 1u);
  q.Add(Data(tsn++, 2, 1, true, true, Pattern(4, 22)));
  EXPECT_THAT(Payloads(PopAll(q)), ElementsAre(Pattern(4, 22)));
  q.ResetStreams({});  // all streams
  EXPECT_EQ(q.stream_state_count(), 0u);
  q.Add(Data(tsn++, 2, 0, true, true, Pattern(4, 23)));
  q.Add(Data(tsn++, 1, 0, true, true, Pattern(4, 101)));
  EXPECT_THAT(Payloads(PopAll(q)), ElementsAre(Pattern(4, 23), Pattern(4, 101)));
  EXPECT_TRUE(q.CheckInvariants());
}

TEST(ReassemblyQueueTest, ResetStreamsResetsBothMidCounters) {
  ReassemblyQueue q(true, kNoPartialDelivery);
  q.Add(IData(1, 3, 0, 0, true, true, Pattern(4, 1)));
  q.Add(IData(2, 3, 1, 0, true, true, Pattern(4, 2)));
  EXPECT_THAT(IFwd(q, 2, {{StreamId(3), true, Mid(4)}}), IsEmpty());  // unordered up to 4 skipped
  EXPECT_EQ(PopAll(q).size(), 2u);
  const std::array<StreamId, 1> streams = {StreamId(3)};
  q.ResetStreams(streams);
  q.Add(IData(3, 3, 0, 0, true, true, Pattern(4, 3)));        // ordered MID 0
  q.Add(IData(4, 3, 0, 0, true, true, Pattern(4, 4), true));  // unordered MID 0
  EXPECT_THAT(Payloads(PopAll(q)), ElementsAre(Pattern(4, 3), Pattern(4, 4)));
  EXPECT_EQ(q.discarded_fragments(), 0u);
}

TEST(ReassemblyQueueTest, ResetStreamsDropsLeftoversOfTheOldNumbering) {
  ReassemblyQueue q(false, kNoPartialDelivery);
  q.Add(Data(11, 1, 1, true, true, Pattern(4, 11)));   // waits for SSN 0
  q.Add(Data(13, 1, 3, true, false, Pattern(4, 13)));  // incomplete
  q.Add(Data(20, 2, 0, true, false, Pattern(4, 20)));  // other stream: untouched
  const std::array<StreamId, 1> streams = {StreamId(1)};
  q.ResetStreams(streams);
  EXPECT_EQ(q.buffered_bytes(), 4u);
  EXPECT_EQ(q.discarded_fragments(), 2u);
  q.Add(Data(30, 1, 0, true, true, Pattern(4, 30)));
  EXPECT_THAT(Payloads(PopAll(q)), ElementsAre(Pattern(4, 30)));
  EXPECT_TRUE(q.CheckInvariants());
}

// ---- lazy state ----

TEST_P(ModeTest, StreamStateOnlyForUsedStreams) {
  ReassemblyQueue q(interleaved(), kNoPartialDelivery);
  EXPECT_EQ(q.stream_state_count(), 0u);
  Sender s(interleaved(), 1);
  AddAll(q, s.Send(0, false, 100, 1, 30));
  AddAll(q, s.Send(65534, false, 100, 2, 30));
  AddAll(q, s.Send(65534, true, 100, 3, 30));
  AddAll(q, s.Send(0, false, 100, 4, 30));
  EXPECT_EQ(PopAll(q).size(), 4u);
  EXPECT_EQ(q.stream_state_count(), 2u);
}

// ---- hostile input ----

TEST(ReassemblyQueueTest, DiscardsInvalidIDataFragments) {
  ReassemblyQueue q(true, kNoPartialDelivery);
  uint32_t tsn = 1;
  q.Add(IData(tsn++, 1, 0, 0, true, false, Pattern(10, 0), false, 3));
  q.Add(IData(tsn++, 1, 0, 1, false, false, Pattern(10, 1)));
  q.Add(IData(tsn++, 1, 0, 1, false, false, Pattern(10, 99)));  // FSN 1 again
  EXPECT_EQ(q.discarded_fragments(), 1u);
  q.Add(IData(tsn++, 1, 0, 0, true, false, Pattern(10, 99), false, 4));  // a second B
  EXPECT_EQ(q.discarded_fragments(), 2u);
  q.Add(IData(tsn++, 1, 0, 3, false, true, Pattern(10, 3)));
  q.Add(IData(tsn++, 1, 0, 4, false, false, Pattern(10, 99)));  // beyond the E
  EXPECT_EQ(q.discarded_fragments(), 3u);
  q.Add(IData(tsn++, 1, 0, 2, false, true, Pattern(10, 99)));  // a second E
  EXPECT_EQ(q.discarded_fragments(), 4u);
  q.Add(IData(tsn++, 1, 0, 0, false, false, Pattern(10, 99)));  // FSN 0 without B
  EXPECT_EQ(q.discarded_fragments(), 5u);
  q.Add(IData(tsn++, 1, 1, 7, false, true, Pattern(10, 99)));   // E of MID 1 ...
  q.Add(IData(tsn++, 1, 1, 9, false, false, Pattern(10, 99)));  // ... and a part after it
  EXPECT_EQ(q.discarded_fragments(), 6u);
  EXPECT_THAT(PopAll(q), IsEmpty());
  EXPECT_TRUE(q.CheckInvariants());
  q.Add(IData(tsn++, 1, 0, 2, false, false, Pattern(10, 2)));
  std::vector<Delivery> ds = PopAll(q);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].message.payload,
            Cat({Pattern(10, 0), Pattern(10, 1), Pattern(10, 2), Pattern(10, 3)}));
  EXPECT_EQ(ds[0].message.ppid, Ppid(3));
  q.Add(IData(tsn++, 1, 0, 1, false, false, Pattern(10, 99)));  // MID 0 is delivered
  q.Add(IData(tsn++, 1, 0, 0, true, true, Pattern(10, 99)));
  EXPECT_EQ(q.discarded_fragments(), 8u);
  q.Add(IData(tsn++, 1, 1, 0, true, true, Pattern(10, 99)));  // MID 1 has fragments pending
  EXPECT_EQ(q.discarded_fragments(), 9u);
  EXPECT_EQ(q.buffered_bytes(), 10u);  // MID 1's E
  EXPECT_TRUE(q.CheckInvariants());
}

TEST(ReassemblyQueueTest, DiscardsInvalidDataFragments) {
  ReassemblyQueue q(false, kNoPartialDelivery);
  // Stream 1, SSN 0: a fragment at TSN 10, then a B at TSN 11 for the same SSN.
  q.Add(Data(10, 1, 0, false, false, Pattern(10, 10)));
  q.Add(Data(11, 1, 0, true, false, Pattern(10, 11)));
  EXPECT_EQ(q.discarded_fragments(), 1u);
  // Stream 2, SSN 0: B at 20; a fragment before it, a second E, a fragment after the E.
  q.Add(Data(20, 2, 0, true, false, Pattern(10, 20)));
  q.Add(Data(19, 2, 0, false, true, Pattern(10, 19)));
  EXPECT_EQ(q.discarded_fragments(), 2u);
  q.Add(Data(22, 2, 0, false, true, Pattern(10, 22)));
  q.Add(Data(23, 2, 0, false, false, Pattern(10, 23)));
  q.Add(Data(24, 2, 0, false, true, Pattern(10, 24)));
  EXPECT_EQ(q.discarded_fragments(), 4u);
  q.Add(Data(25, 2, 0, true, true, Pattern(10, 25)));  // complete message claiming SSN 0
  EXPECT_EQ(q.discarded_fragments(), 5u);
  q.Add(Data(21, 2, 0, false, false, Pattern(10, 21)));
  EXPECT_THAT(Payloads(PopAll(q)),
              ElementsAre(Cat({Pattern(10, 20), Pattern(10, 21), Pattern(10, 22)})));
  // SSN 0 of stream 2 is delivered: a B for it is discarded, so is one too far ahead.
  q.Add(Data(30, 2, 0, true, false, Pattern(10, 30)));
  q.Add(Data(31, 2, 0, true, true, Pattern(10, 31)));
  q.Add(Data(32, 2, 40000, true, true, Pattern(10, 32)));
  EXPECT_EQ(q.discarded_fragments(), 8u);
  EXPECT_THAT(PopAll(q), IsEmpty());
  EXPECT_EQ(q.buffered_bytes(), 10u);  // stream 1's TSN 10
  EXPECT_TRUE(q.CheckInvariants());
  // A FORWARD TSN past TSN 10 clears the broken message.
  EXPECT_THAT(Fwd(q, 11, {{StreamId(1), Ssn(0)}}), IsEmpty());
  EXPECT_EQ(q.buffered_bytes(), 0u);
  EXPECT_TRUE(q.CheckInvariants());
}

// ---- randomized ----

struct RandomParams {
  bool interleaved;
  size_t partial_delivery_point;
  uint32_t first_tsn;
};

class ReassemblyRandomizedTest : public ::testing::TestWithParam<RandomParams> {};

INSTANTIATE_TEST_SUITE_P(
    Modes, ReassemblyRandomizedTest,
    ::testing::Values(RandomParams{false, kNoPartialDelivery, 1},
                      RandomParams{true, kNoPartialDelivery, 1},
                      RandomParams{false, 3000, 0xFFFFF000}, RandomParams{true, 3000, 0xFFFFF000}),
    [](const ::testing::TestParamInfo<RandomParams>& param_info) {
      return std::string(param_info.param.interleaved ? "IData" : "Data") +
             (param_info.param.partial_delivery_point == kNoPartialDelivery ? "" : "Partial");
    });

// 1,000 messages of random sizes on 10 streams (a quarter unordered), fragmented, all
// fragments shuffled: every message arrives exactly once, intact, in order per ordered stream.
TEST_P(ReassemblyRandomizedTest, ShuffledFragmentsDeliverEveryMessageOnceInOrder) {
  constexpr uint32_t kMessages = 1000;
  constexpr uint16_t kStreams = 10;
  const RandomParams p = GetParam();
  std::mt19937 rng(1234 + (p.interleaved ? 1 : 0));
  Sender s(p.interleaved, p.first_tsn);
  struct Sent {
    uint16_t sid;
    bool unordered;
    std::vector<uint8_t> payload;
  };
  std::vector<Sent> sent;
  std::vector<std::vector<uint32_t>> ordered_ids(kStreams);
  std::vector<Fragment> all;
  for (uint32_t id = 0; id < kMessages; ++id) {
    const uint16_t sid = static_cast<uint16_t>(rng() % kStreams);
    const bool unordered = rng() % 4 == 0;
    std::vector<uint8_t> payload = Pattern(4 + rng() % 8000, id);
    for (int k = 0; k < 4; ++k)
      payload[k] = static_cast<uint8_t>(id >> (8 * k));
    const size_t fragment_size = 100 + rng() % 1400;
    for (Fragment& f : s.Send(sid, unordered, payload, fragment_size))
      all.push_back(std::move(f));
    if (!unordered) ordered_ids[sid].push_back(id);
    sent.push_back(Sent{sid, unordered, std::move(payload)});
  }
  std::shuffle(all.begin(), all.end(), rng);

  ReassemblyQueue q(p.interleaved, p.partial_delivery_point);
  std::vector<bool> seen(kMessages, false);
  std::vector<size_t> next_ordered(kStreams, 0);
  std::map<uint16_t, std::vector<uint8_t>> in_progress;  // partial pieces per stream
  size_t received = 0;
  size_t pieces = 0;
  auto drain = [&] {
    while (std::optional<Delivery> d = q.Pop()) {
      const uint16_t sid = d->message.stream_id.value();
      std::vector<uint8_t>& acc = in_progress[sid];
      acc.insert(acc.end(), d->message.payload.begin(), d->message.payload.end());
      if (!d->end_of_message) {
        ++pieces;
        continue;
      }
      std::vector<uint8_t> payload = std::move(acc);
      in_progress.erase(sid);
      ASSERT_GE(payload.size(), 4u);
      const uint32_t id = uint32_t{payload[0]} | uint32_t{payload[1]} << 8 |
                          uint32_t{payload[2]} << 16 | uint32_t{payload[3]} << 24;
      ASSERT_LT(id, kMessages);
      ASSERT_FALSE(seen[id]) << "message " << id << " delivered twice";
      seen[id] = true;
      ++received;
      const Sent& m = sent[id];
      ASSERT_EQ(sid, m.sid);
      ASSERT_EQ(d->message.unordered, m.unordered);
      ASSERT_EQ(payload, m.payload) << "message " << id;
      ASSERT_EQ(d->message.ppid, Ppid(7));
      if (!m.unordered) {
        ASSERT_LT(next_ordered[sid], ordered_ids[sid].size());
        ASSERT_EQ(ordered_ids[sid][next_ordered[sid]], id) << "out of order on stream " << sid;
        ++next_ordered[sid];
      }
    }
  };
  for (size_t i = 0; i < all.size(); ++i) {
    q.Add(std::move(all[i]));
    if (rng() % 3 == 0) drain();
    if (i % 500 == 0) {
      ASSERT_TRUE(q.CheckInvariants()) << i;
    }
  }
  drain();
  EXPECT_EQ(received, kMessages);
  EXPECT_TRUE(std::all_of(seen.begin(), seen.end(), [](bool b) { return b; }));
  EXPECT_TRUE(in_progress.empty());
  EXPECT_EQ(q.buffered_bytes(), 0u);
  EXPECT_EQ(q.discarded_fragments(), 0u);
  EXPECT_TRUE(q.CheckInvariants());
  if (p.partial_delivery_point != kNoPartialDelivery) {
    EXPECT_GT(pieces, 0u);
  }
}

// Random, mostly invalid input (flags, positions, duplicates, FORWARD TSNs, resets): nothing
// crashes and every internal structure stays consistent.
TEST_P(ModeTest, HostileRandomInputKeepsInvariants) {
  for (const size_t point : {kNoPartialDelivery, size_t{40}}) {
    std::mt19937 rng(99 + static_cast<uint32_t>(point % 7));
    ReassemblyQueue q(interleaved(), point);
    uint32_t tsn = 0xFFFFFF00;
    size_t popped = 0;
    for (int step = 0; step < 20000; ++step) {
      const uint32_t r = rng() % 100;
      if (r < 80) {
        tsn += 2;
        Fragment f;
        f.tsn = Tsn(tsn - rng() % 2);  // arrival slightly out of order, each TSN used once
        f.stream_id = StreamId(static_cast<uint16_t>(rng() % 4));
        f.unordered = rng() % 3 == 0;
        f.beginning = rng() % 3 == 0;
        f.ending = rng() % 3 == 0;
        f.ssn = Ssn(static_cast<uint16_t>(rng() % 6 + (step / 500)));
        f.mid = Mid(rng() % 6 + static_cast<uint32_t>(step / 500));
        f.fsn = Fsn(rng() % 5);
        f.ppid = Ppid(rng());
        f.payload = Pattern(rng() % 30, static_cast<uint32_t>(step));
        q.Add(std::move(f));
      } else if (r < 88) {
        popped += PopAll(q).size();
      } else if (r < 95) {
        const uint32_t cum = tsn - rng() % 20;
        if (interleaved()) {
          std::vector<wire::IForwardTsnStream> e;
          for (uint32_t k = rng() % 3; k > 0; --k) {
            e.push_back({StreamId(static_cast<uint16_t>(rng() % 4)), rng() % 2 == 0,
                         Mid(rng() % 6 + static_cast<uint32_t>(step / 500))});
          }
          q.HandleIForwardTsn(Tsn(cum), e);
        } else {
          std::vector<wire::ForwardTsnStream> e;
          for (uint32_t k = rng() % 3; k > 0; --k) {
            e.push_back({StreamId(static_cast<uint16_t>(rng() % 4)),
                         Ssn(static_cast<uint16_t>(rng() % 6 + (step / 500)))});
          }
          q.HandleForwardTsn(Tsn(cum), e);
        }
      } else if (r < 96) {
        const std::array<StreamId, 1> one = {StreamId(static_cast<uint16_t>(rng() % 4))};
        q.ResetStreams(rng() % 2 == 0 ? std::span<const StreamId>() : one);
      }
      if (step % 25 == 0) {
        ASSERT_TRUE(q.CheckInvariants()) << "step " << step;
      }
    }
    ASSERT_TRUE(q.CheckInvariants());
    popped += PopAll(q).size();
    EXPECT_GT(popped, 0u);
    EXPECT_GT(q.discarded_fragments(), 0u);
  }
}

}  // namespace
}  // namespace sctp::rx

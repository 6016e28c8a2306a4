// Tests of the outgoing message queue (src/tx/send_queue.h): fragmentation, sequence numbers,
// the RFC 8260 §3 stream schedulers, PR-SCTP abandoning, stream reset, lazy stream state.
#include "tx/send_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace sctp::tx {
namespace {

constexpr TimePoint kNow = TimePoint(Seconds(100));
constexpr size_t kBigCapacity = size_t{64} << 20;

constexpr std::array<StreamScheduler, 6> kAllSchedulers = {
    StreamScheduler::kFirstComeFirstServed, StreamScheduler::kRoundRobin,
    StreamScheduler::kRoundRobinPerPacket,  StreamScheduler::kPriority,
    StreamScheduler::kFairCapacity,         StreamScheduler::kWeightedFairQueueing,
};

std::string SchedulerName(StreamScheduler s) {
  switch (s) {
    case StreamScheduler::kFirstComeFirstServed:
      return "Fcfs";
    case StreamScheduler::kRoundRobin:
      return "RoundRobin";
    case StreamScheduler::kRoundRobinPerPacket:
      return "RoundRobinPerPacket";
    case StreamScheduler::kPriority:
      return "Priority";
    case StreamScheduler::kFairCapacity:
      return "FairCapacity";
    case StreamScheduler::kWeightedFairQueueing:
      return "Wfq";
  }
  return "?";
}

std::vector<uint8_t> Bytes(size_t n, uint8_t seed = 0) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = static_cast<uint8_t>(seed + i * 7 + (i >> 8));
  return v;
}

OutgoingMessage Msg(uint16_t sid, size_t size, bool unordered = false, uint8_t seed = 0) {
  OutgoingMessage m;
  m.stream_id = StreamId(sid);
  m.ppid = Ppid(51);
  m.unordered = unordered;
  m.payload = Bytes(size, seed);
  return m;
}

std::vector<OutgoingFragment> ProduceAll(SendQueue& q, size_t max_payload, TimePoint now = kNow) {
  std::vector<OutgoingFragment> out;
  while (std::optional<OutgoingFragment> f = q.Produce(now, max_payload))
    out.push_back(*f);
  return out;
}

std::vector<uint16_t> Sids(const std::vector<OutgoingFragment>& fragments) {
  std::vector<uint16_t> out;
  for (const OutgoingFragment& f : fragments)
    out.push_back(f.stream_id.value());
  return out;
}

// --- Fragmentation --------------------------------------------------------------------------

TEST(SendQueueTest, FragmentsAreExactlyMaxPayloadExceptTheLast) {
  SendQueue q(false, StreamScheduler::kFirstComeFirstServed, 4, kBigCapacity);
  ASSERT_EQ(q.Add(Msg(1, 2500)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(1, 1000)), SendQueue::AddResult::kOk);  // exactly one max_payload
  ASSERT_EQ(q.Add(Msg(1, 1)), SendQueue::AddResult::kOk);
  const std::vector<OutgoingFragment> f = ProduceAll(q, 1000);
  ASSERT_EQ(f.size(), 5u);
  // RFC 9260 §6.9 (3): B/E = 10 first, 00 middle, 01 last; 11 for an unfragmented message.
  const std::vector<std::array<size_t, 2>> offset_length = {
      {0, 1000}, {1000, 1000}, {2000, 500}, {0, 1000}, {0, 1}};
  const std::vector<std::array<bool, 2>> be = {
      {true, false}, {false, false}, {false, true}, {true, true}, {true, true}};
  for (size_t i = 0; i < f.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(f[i].offset, offset_length[i][0]);
    EXPECT_EQ(f[i].length, offset_length[i][1]);
    EXPECT_EQ(f[i].data().size(), offset_length[i][1]);
    EXPECT_EQ(f[i].beginning, be[i][0]);
    EXPECT_EQ(f[i].ending, be[i][1]);
    EXPECT_EQ(f[i].ppid, Ppid(51));
  }
  EXPECT_EQ(f[0].message_id, f[2].message_id);
  EXPECT_NE(f[2].message_id, f[3].message_id);
  EXPECT_NE(f[3].message_id, f[4].message_id);
  EXPECT_TRUE(q.empty());
  EXPECT_TRUE(q.InvariantsHold());
}

TEST(SendQueueTest, FragmentsShareTheCallersBufferWithoutCopying) {
  SendQueue q(true, StreamScheduler::kRoundRobin, 4, kBigCapacity);
  OutgoingMessage m = Msg(2, 10'000, false, 9);
  const std::vector<uint8_t> expected = m.payload;
  const uint8_t* original = m.payload.data();
  uint64_t id = 0;
  ASSERT_EQ(q.Add(std::move(m), &id), SendQueue::AddResult::kOk);
  const std::vector<OutgoingFragment> f = ProduceAll(q, 1200);
  ASSERT_EQ(f.size(), 9u);
  std::vector<uint8_t> reassembled;
  for (const OutgoingFragment& x : f) {
    EXPECT_EQ(x.message_id, id);
    EXPECT_EQ(x.message.get(), f[0].message.get());   // one buffer
    EXPECT_EQ(x.data().data(), original + x.offset);  // the very bytes the caller filled
    reassembled.insert(reassembled.end(), x.data().begin(), x.data().end());
  }
  EXPECT_EQ(reassembled, expected);
  EXPECT_EQ(q.bytes_copied(), 0u);
  // The queue let go of the buffer: the fragments own it now.
  EXPECT_EQ(f[0].message.use_count(), static_cast<long>(f.size()));
}

TEST(SendQueueTest, FragmentsCarryTheMessageAttributes) {
  SendQueue q(false, StreamScheduler::kFirstComeFirstServed, 4, kBigCapacity);
  OutgoingMessage m = Msg(3, 250);
  m.ppid = Ppid(0xDEADBEEF);
  m.immediate_sack = true;
  m.expires_at = kNow + Seconds(5);
  m.max_retransmissions = 2;
  m.context = 77;
  ASSERT_EQ(q.Add(std::move(m)), SendQueue::AddResult::kOk);
  const std::vector<OutgoingFragment> f = ProduceAll(q, 100);
  ASSERT_EQ(f.size(), 3u);
  for (const OutgoingFragment& x : f) {
    EXPECT_EQ(x.stream_id, StreamId(3));
    EXPECT_EQ(x.ppid, Ppid(0xDEADBEEF));
    EXPECT_EQ(x.expires_at, kNow + Seconds(5));
    EXPECT_EQ(x.max_retransmissions, 2u);
    EXPECT_EQ(x.context, 77u);
  }
  // RFC 7053 §5.1: the I bit goes on the last chunk of the message only.
  EXPECT_FALSE(f[0].immediate_sack);
  EXPECT_FALSE(f[1].immediate_sack);
  EXPECT_TRUE(f[2].immediate_sack);
}

TEST(SendQueueTest, HostileOneByteFragmentsOfA100KiBMessage) {
  SendQueue q(true, StreamScheduler::kWeightedFairQueueing, 2, kBigCapacity);
  OutgoingMessage m = Msg(1, 100 * 1024, false, 3);
  const std::vector<uint8_t> expected = m.payload;
  ASSERT_EQ(q.Add(std::move(m)), SendQueue::AddResult::kOk);
  size_t count = 0;
  bool ok = true;
  while (std::optional<OutgoingFragment> f = q.Produce(kNow, 1)) {
    ok = ok && f->length == 1 && f->offset == count && f->fsn == Fsn(count) &&
         f->data()[0] == expected[count] && f->beginning == (count == 0) &&
         f->ending == (count + 1 == expected.size());
    ++count;
  }
  EXPECT_TRUE(ok);
  EXPECT_EQ(count, expected.size());
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.buffered_bytes(), 0u);
}

TEST(SendQueueTest, MessageThatFitsAPacketIsNotSplitToFillAnother) {
  SendQueue q(false, StreamScheduler::kRoundRobin, 8, kBigCapacity);
  ASSERT_EQ(q.Add(Msg(1, 1000)), SendQueue::AddResult::kOk);
  // 156 bytes left in this packet, 1152 in a packet of its own: wait for the next packet.
  EXPECT_FALSE(q.Produce(kNow, 156, 1152).has_value());
  EXPECT_EQ(q.buffered_bytes(), 1000u);
  const auto f = q.Produce(kNow, 1152, 0);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->length, 1000u);
  EXPECT_TRUE(f->beginning && f->ending);
  // Larger than a packet: split as before.
  ASSERT_EQ(q.Add(Msg(1, 3000)), SendQueue::AddResult::kOk);
  const auto g = q.Produce(kNow, 156, 1152);
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->length, 156u);
}

TEST(SendQueueTest, ZeroOrHugeMaxPayload) {
  SendQueue q(false, StreamScheduler::kRoundRobin, 2, kBigCapacity);
  ASSERT_EQ(q.Add(Msg(1, 5000)), SendQueue::AddResult::kOk);
  EXPECT_FALSE(q.Produce(kNow, 0).has_value());  // defined: nothing, and nothing consumed
  EXPECT_EQ(q.buffered_bytes(), 5000u);
  std::optional<OutgoingFragment> f = q.Produce(kNow, std::numeric_limits<size_t>::max());
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->length, 5000u);
  EXPECT_TRUE(f->beginning && f->ending);
}

// --- Sequence numbers -----------------------------------------------------------------------

TEST(SendQueueTest, SsnIncrementsPerOrderedMessagePerStream) {
  SendQueue q(false, StreamScheduler::kFirstComeFirstServed, 8, kBigCapacity);
  for (uint16_t sid : {1, 2, 1, 1, 2})
    ASSERT_EQ(q.Add(Msg(sid, 300)), SendQueue::AddResult::kOk);
  const std::vector<OutgoingFragment> f = ProduceAll(q, 100);
  ASSERT_EQ(f.size(), 15u);
  const std::vector<uint16_t> expected_ssn = {0, 0, 1, 2, 1};  // per message, in FCFS order
  for (size_t i = 0; i < f.size(); ++i) {
    EXPECT_EQ(f[i].ssn, Ssn(expected_ssn[i / 3])) << i;  // same SSN on every fragment
    EXPECT_EQ(f[i].mid, Mid(0));                         // DATA mode: the I-DATA fields stay 0
    EXPECT_EQ(f[i].fsn, Fsn(0));
  }
}

TEST(SendQueueTest, SsnWrapsFrom65535To0) {
  SendQueue q(false, StreamScheduler::kRoundRobin, 1, kBigCapacity);
  bool ok = true;
  for (uint32_t i = 0; i < 65'538; ++i) {
    ASSERT_EQ(q.Add(Msg(0, 1)), SendQueue::AddResult::kOk);
    const std::optional<OutgoingFragment> f = q.Produce(kNow, 100);
    ASSERT_TRUE(f.has_value());
    ok = ok && f->ssn == Ssn(static_cast<uint16_t>(i));
    if (i == 65'535) {
      EXPECT_EQ(f->ssn, Ssn(65'535));
    } else if (i == 65'536) {
      EXPECT_EQ(f->ssn, Ssn(0));
    } else if (i == 65'537) {
      EXPECT_EQ(f->ssn, Ssn(1));
    }
  }
  EXPECT_TRUE(ok);
}

TEST(SendQueueTest, UnorderedMessagesDoNotConsumeAnSsn) {
  SendQueue q(false, StreamScheduler::kFirstComeFirstServed, 2, kBigCapacity);
  ASSERT_EQ(q.Add(Msg(1, 10)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(1, 10, /*unordered=*/true)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(1, 10)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(1, 10)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(1, 10, /*unordered=*/true)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(1, 10)), SendQueue::AddResult::kOk);
  // Ordered SSNs stay consecutive across the unordered messages in between.
  const std::vector<OutgoingFragment> f = ProduceAll(q, 100);
  ASSERT_EQ(f.size(), 6u);
  EXPECT_FALSE(f[0].unordered);
  EXPECT_EQ(f[0].ssn, Ssn(0));
  EXPECT_TRUE(f[1].unordered);
  EXPECT_EQ(f[1].ssn, Ssn(0));
  EXPECT_EQ(f[2].ssn, Ssn(1));
  EXPECT_EQ(f[3].ssn, Ssn(2));
  EXPECT_TRUE(f[4].unordered);
  EXPECT_EQ(f[4].ssn, Ssn(0));
  EXPECT_EQ(f[5].ssn, Ssn(3));
}

TEST(SendQueueTest, IDataMidsPerStreamWithSeparateOrderedAndUnorderedCountersAndFsns) {
  SendQueue q(true, StreamScheduler::kFirstComeFirstServed, 8, kBigCapacity);
  struct In {
    uint16_t sid;
    bool unordered;
  };
  const std::vector<In> in = {{3, false}, {3, true}, {3, false}, {5, false},
                              {3, true},  {3, true}, {5, true},  {3, false}};
  for (const In& m : in)
    ASSERT_EQ(q.Add(Msg(m.sid, 2500, m.unordered)), SendQueue::AddResult::kOk);
  const std::vector<OutgoingFragment> f = ProduceAll(q, 1000);
  ASSERT_EQ(f.size(), in.size() * 3);
  const std::vector<uint32_t> expected_mid = {0, 0, 1, 0, 1, 2, 0, 2};
  for (size_t i = 0; i < f.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(f[i].stream_id, StreamId(in[i / 3].sid));
    EXPECT_EQ(f[i].unordered, in[i / 3].unordered);
    EXPECT_EQ(f[i].mid, Mid(expected_mid[i / 3]));
    EXPECT_EQ(f[i].fsn, Fsn(static_cast<uint32_t>(i % 3)));  // RFC 8260 §2.1: 0, 1, 2..
    EXPECT_EQ(f[i].ssn, Ssn(0));
  }
}

// --- DATA mode never interleaves; I-DATA mode does ------------------------------------------

class EverySchedulerTest : public ::testing::TestWithParam<StreamScheduler> {};

TEST_P(EverySchedulerTest, DataModeNeverInterleavesTheFragmentsOfTwoMessages) {
  SendQueue q(false, GetParam(), 8, kBigCapacity);
  std::mt19937 rng(7);
  for (uint16_t sid = 0; sid < 8; ++sid) {
    q.SetStreamPriority(StreamId(sid), static_cast<uint16_t>(sid % 3));
    q.SetStreamWeight(StreamId(sid), static_cast<uint16_t>(1 + sid));
  }
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(q.Add(Msg(static_cast<uint16_t>(rng() % 8), 1 + rng() % 3000)),
              SendQueue::AddResult::kOk);
  }
  std::optional<uint64_t> open;  // message between its B and E fragments
  size_t next_offset = 0;
  size_t fragments = 0;
  while (std::optional<OutgoingFragment> f = q.Produce(kNow, 1 + rng() % 700)) {
    ++fragments;
    if (open) {
      ASSERT_EQ(f->message_id, *open) << "another message came between B and E";
      ASSERT_FALSE(f->beginning);
      ASSERT_EQ(f->offset, next_offset);
    } else {
      ASSERT_TRUE(f->beginning);
    }
    next_offset = f->offset + f->length;
    if (f->ending) {
      open.reset();
    } else {
      open = f->message_id;
    }
    if (rng() % 3 == 0) q.OnPacketFinished();
    // New work keeps arriving on other streams while a message is half sent.
    if (fragments % 5 == 0 && fragments < 2000) {
      ASSERT_EQ(q.Add(Msg(static_cast<uint16_t>(rng() % 8), 1 + rng() % 3000)),
                SendQueue::AddResult::kOk);
    }
  }
  EXPECT_FALSE(open.has_value());
  EXPECT_TRUE(q.empty());
  EXPECT_TRUE(q.InvariantsHold());
}

INSTANTIATE_TEST_SUITE_P(All, EverySchedulerTest, ::testing::ValuesIn(kAllSchedulers),
                         [](const auto& p) { return SchedulerName(p.param); });

TEST(SendQueueTest, IDataRoundRobinAlternatesFragmentsOfTwoLargeMessages) {
  SendQueue q(true, StreamScheduler::kRoundRobin, 4, kBigCapacity);
  ASSERT_EQ(q.Add(Msg(1, 5000)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(2, 5000)), SendQueue::AddResult::kOk);
  const std::vector<OutgoingFragment> f = ProduceAll(q, 1000);
  EXPECT_EQ(Sids(f), (std::vector<uint16_t>{1, 2, 1, 2, 1, 2, 1, 2, 1, 2}));
  for (size_t i = 0; i < f.size(); ++i)
    EXPECT_EQ(f[i].fsn, Fsn(static_cast<uint32_t>(i / 2)));
}

TEST(SendQueueTest, DataRoundRobinSendsWholeMessagesInTurn) {
  SendQueue q(false, StreamScheduler::kRoundRobin, 4, kBigCapacity);
  ASSERT_EQ(q.Add(Msg(1, 5000)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(2, 5000)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(1, 1000)), SendQueue::AddResult::kOk);
  const std::vector<OutgoingFragment> f = ProduceAll(q, 1000);
  EXPECT_EQ(Sids(f), (std::vector<uint16_t>{1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 1}));
}

// RFC 8260 §1 Figure 1: SID 0 and SID 2 each hold one message of three chunks, SID 1 three
// single-chunk messages. Round robin over DATA gives (SID/SSN by TSN)
// 0/0 0/0 0/0 1/0 2/0 2/0 2/0 1/1 1/2.
TEST(SendQueueTest, Rfc8260Figure1RoundRobinWithoutInterleaving) {
  SendQueue q(false, StreamScheduler::kRoundRobin, 3, kBigCapacity);
  ASSERT_EQ(q.Add(Msg(0, 300)), SendQueue::AddResult::kOk);
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(q.Add(Msg(1, 100)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(2, 300)), SendQueue::AddResult::kOk);
  const std::vector<OutgoingFragment> f = ProduceAll(q, 100);
  std::vector<std::array<uint32_t, 2>> got;
  for (const OutgoingFragment& x : f)
    got.push_back({x.stream_id.value(), x.ssn.value()});
  EXPECT_EQ(got, (std::vector<std::array<uint32_t, 2>>{
                     {0, 0}, {0, 0}, {0, 0}, {1, 0}, {2, 0}, {2, 0}, {2, 0}, {1, 1}, {1, 2}}));
}

// RFC 8260 §1 Figure 2: the same queues with I-DATA, SID/MID/FSN by TSN
// 0/0/0 1/0/0 2/0/0 0/0/1 1/1/0 2/0/1 0/0/2 1/2/0 2/0/2.
TEST(SendQueueTest, Rfc8260Figure2RoundRobinWithInterleaving) {
  SendQueue q(true, StreamScheduler::kRoundRobin, 3, kBigCapacity);
  ASSERT_EQ(q.Add(Msg(0, 300)), SendQueue::AddResult::kOk);
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(q.Add(Msg(1, 100)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(2, 300)), SendQueue::AddResult::kOk);
  const std::vector<OutgoingFragment> f = ProduceAll(q, 100);
  std::vector<std::array<uint32_t, 3>> got;
  for (const OutgoingFragment& x : f) {
    got.push_back({x.stream_id.value(), x.mid.value(), x.fsn.value()});
  }
  EXPECT_EQ(got, (std::vector<std::array<uint32_t, 3>>{{0, 0, 0},
                                                       {1, 0, 0},
                                                       {2, 0, 0},
                                                       {0, 0, 1},
                                                       {1, 1, 0},
                                                       {2, 0, 1},
                                                       {0, 0, 2},
                                                       {1, 2, 0},
                                                       {2, 0, 2}}));
}

// --- Schedulers on crafted workloads ------------------------------------------------------

TEST(SendQueueTest, FirstComeFirstServedKeepsArrivalOrderAcrossStreams) {
  for (bool interleaved : {false, true}) {
    SCOPED_TRACE(interleaved);
    SendQueue q(interleaved, StreamScheduler::kFirstComeFirstServed, 8, kBigCapacity);
    const std::vector<uint16_t> order = {3, 1, 2, 1, 3, 7, 1};
    for (uint16_t sid : order)
      ASSERT_EQ(q.Add(Msg(sid, 250)), SendQueue::AddResult::kOk);
    const std::vector<OutgoingFragment> f = ProduceAll(q, 100);
    ASSERT_EQ(f.size(), order.size() * 3);
    for (size_t i = 0; i < f.size(); ++i)
      EXPECT_EQ(f[i].stream_id, StreamId(order[i / 3])) << i;
  }
}

TEST(SendQueueTest, RoundRobinCyclesOverNonEmptyStreams) {
  SendQueue q(false, StreamScheduler::kRoundRobin, 8, kBigCapacity);
  for (uint16_t sid : {5, 5, 5, 2, 7, 7})
    ASSERT_EQ(q.Add(Msg(sid, 10)), SendQueue::AddResult::kOk);
  EXPECT_EQ(Sids(ProduceAll(q, 100)), (std::vector<uint16_t>{5, 2, 7, 5, 7, 5}));
  // A stream that empties and gets data again joins at the back of the round.
  for (uint16_t sid : {1, 1, 2, 2})
    ASSERT_EQ(q.Add(Msg(sid, 10)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Produce(kNow, 100)->stream_id, StreamId(1));
  ASSERT_EQ(q.Add(Msg(3, 10)), SendQueue::AddResult::kOk);
  EXPECT_EQ(Sids(ProduceAll(q, 100)), (std::vector<uint16_t>{2, 1, 3, 2}));
}

TEST(SendQueueTest, RoundRobinPerPacketSwitchesStreamsOnlyBetweenPackets) {
  for (bool interleaved : {false, true}) {
    SCOPED_TRACE(interleaved);
    SendQueue q(interleaved, StreamScheduler::kRoundRobinPerPacket, 4, kBigCapacity);
    for (int i = 0; i < 6; ++i) {
      ASSERT_EQ(q.Add(Msg(1, 100)), SendQueue::AddResult::kOk);
      ASSERT_EQ(q.Add(Msg(2, 100)), SendQueue::AddResult::kOk);
    }
    std::vector<std::vector<uint16_t>> packets;
    while (!q.empty()) {
      std::vector<uint16_t> packet;
      for (int i = 0; i < 3; ++i) {
        if (std::optional<OutgoingFragment> f = q.Produce(kNow, 1000)) {
          packet.push_back(f->stream_id.value());
        }
      }
      q.OnPacketFinished();
      packets.push_back(packet);
    }
    EXPECT_EQ(packets,
              (std::vector<std::vector<uint16_t>>{{1, 1, 1}, {2, 2, 2}, {1, 1, 1}, {2, 2, 2}}));
  }
}

TEST(SendQueueTest, RoundRobinPerPacketStaysWithOneStreamUntilThePacketEnds) {
  SendQueue q(true, StreamScheduler::kRoundRobinPerPacket, 4, kBigCapacity);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(q.Add(Msg(1, 100)), SendQueue::AddResult::kOk);
    ASSERT_EQ(q.Add(Msg(2, 100)), SendQueue::AddResult::kOk);
  }
  // Without OnPacketFinished, stream 1 keeps the turn until it runs dry; then stream 2 fills
  // the rest of the packet (work-conserving) and keeps it.
  EXPECT_EQ(Sids(ProduceAll(q, 1000)), (std::vector<uint16_t>{1, 1, 1, 2, 2, 2}));
}

TEST(SendQueueTest, RoundRobinPerPacketDataMessagesStraddlingPacketsDoNotStarveOthers) {
  SendQueue q(false, StreamScheduler::kRoundRobinPerPacket, 4, kBigCapacity);
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(q.Add(Msg(1, 1200)), SendQueue::AddResult::kOk);
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(q.Add(Msg(2, 100)), SendQueue::AddResult::kOk);
  // Packets of two 400-byte chunks: each 1200-byte message of stream 1 straddles a packet.
  std::vector<std::vector<uint16_t>> packets;
  for (int p = 0; p < 4; ++p) {
    std::vector<uint16_t> packet;
    for (int i = 0; i < 2; ++i)
      packet.push_back(q.Produce(kNow, 400)->stream_id.value());
    q.OnPacketFinished();
    packets.push_back(packet);
  }
  // Packet 2 finishes stream 1's message (RFC 9260 §6.9 forces it) and then it is stream 2's
  // turn, not stream 1's again.
  EXPECT_EQ(packets, (std::vector<std::vector<uint16_t>>{{1, 1}, {1, 2}, {1, 1}, {1, 2}}));
}

TEST(SendQueueTest, PriorityIsStrictWithRoundRobinAmongEquals) {
  SendQueue q(false, StreamScheduler::kPriority, 8, kBigCapacity);
  q.SetStreamPriority(StreamId(1), 2);
  q.SetStreamPriority(StreamId(2), 1);
  q.SetStreamPriority(StreamId(3), 1);
  q.SetStreamPriority(StreamId(4), 3);
  for (uint16_t sid : {4, 1, 2, 3, 4, 1, 2, 3}) {
    ASSERT_EQ(q.Add(Msg(sid, 10)), SendQueue::AddResult::kOk);
  }
  EXPECT_EQ(Sids(ProduceAll(q, 100)), (std::vector<uint16_t>{2, 3, 2, 3, 1, 1, 4, 4}));
}

TEST(SendQueueTest, PriorityChangeTakesEffectForAQueuedStream) {
  SendQueue q(false, StreamScheduler::kPriority, 8, kBigCapacity);
  ASSERT_EQ(q.Add(Msg(1, 10)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(2, 10)), SendQueue::AddResult::kOk);
  q.SetStreamPriority(StreamId(2), 0);
  EXPECT_EQ(Sids(ProduceAll(q, 100)), (std::vector<uint16_t>{2, 1}));
}

TEST(SendQueueTest, PriorityWithIDataPreemptsALargeLowPriorityMessage) {
  SendQueue q(true, StreamScheduler::kPriority, 8, kBigCapacity);
  q.SetStreamPriority(StreamId(5), 10);
  q.SetStreamPriority(StreamId(6), 1);
  ASSERT_EQ(q.Add(Msg(5, 5000)), SendQueue::AddResult::kOk);
  std::vector<uint16_t> order;
  for (int i = 0; i < 2; ++i)
    order.push_back(q.Produce(kNow, 1000)->stream_id.value());
  ASSERT_EQ(q.Add(Msg(6, 2000)), SendQueue::AddResult::kOk);
  for (const OutgoingFragment& f : ProduceAll(q, 1000))
    order.push_back(f.stream_id.value());
  // RFC 8260 §3.4: "the sending of large, lower-priority user messages will not delay the
  // sending of higher-priority user messages."
  EXPECT_EQ(order, (std::vector<uint16_t>{5, 5, 6, 6, 5, 5, 5}));
}

TEST(SendQueueTest, PriorityWithDataFinishesTheStartedMessageFirst) {
  SendQueue q(false, StreamScheduler::kPriority, 8, kBigCapacity);
  q.SetStreamPriority(StreamId(5), 10);
  q.SetStreamPriority(StreamId(6), 1);
  ASSERT_EQ(q.Add(Msg(5, 5000)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(5, 1000)), SendQueue::AddResult::kOk);
  std::vector<uint16_t> order;
  for (int i = 0; i < 2; ++i)
    order.push_back(q.Produce(kNow, 1000)->stream_id.value());
  ASSERT_EQ(q.Add(Msg(6, 2000)), SendQueue::AddResult::kOk);
  for (const OutgoingFragment& f : ProduceAll(q, 1000))
    order.push_back(f.stream_id.value());
  EXPECT_EQ(order, (std::vector<uint16_t>{5, 5, 5, 5, 5, 6, 6, 5}));
}

// Keeps every listed stream backlogged with messages of random sizes.
void TopUp(SendQueue& q, const std::vector<uint16_t>& sids, std::mt19937& rng, size_t max_size) {
  for (uint16_t sid : sids) {
    while (q.buffered_bytes(StreamId(sid)) < 4 * max_size) {
      ASSERT_EQ(q.Add(Msg(sid, 1 + rng() % max_size)), SendQueue::AddResult::kOk);
    }
  }
}

TEST(SendQueueTest, FairCapacityServesTheStreamWithTheLeastBytesSent) {
  for (bool interleaved : {false, true}) {
    SCOPED_TRACE(interleaved);
    SendQueue q(interleaved, StreamScheduler::kFairCapacity, 8, kBigCapacity);
    // Weights are ignored by fair capacity.
    q.SetStreamWeight(StreamId(1), 100);
    std::mt19937 rng(11);
    const std::vector<uint16_t> sids = {1, 2, 3};
    std::map<uint16_t, size_t> sent;
    for (int i = 0; i < 5000; ++i) {
      TopUp(q, sids, rng, 3000);
      const std::optional<OutgoingFragment> f = q.Produce(kNow, 500);
      ASSERT_TRUE(f.has_value());
      if (f->beginning || interleaved) {
        // A scheduling decision: the chosen stream has sent the least so far.
        const size_t least = std::min({sent[1], sent[2], sent[3]});
        ASSERT_EQ(sent[f->stream_id.value()], least) << i;
      }
      sent[f->stream_id.value()] += f->length;
    }
    const auto [lo, hi] = std::minmax({sent[1], sent[2], sent[3]});
    EXPECT_LE(hi - lo, 3000u);  // at most one message (DATA) apart
  }
}

TEST(SendQueueTest, WeightedFairQueueingShares1To2To4) {
  for (bool interleaved : {true, false}) {
    SCOPED_TRACE(interleaved);
    SendQueue q(interleaved, StreamScheduler::kWeightedFairQueueing, 8, kBigCapacity);
    q.SetStreamWeight(StreamId(1), 1);
    q.SetStreamWeight(StreamId(2), 2);
    q.SetStreamWeight(StreamId(3), 4);
    std::mt19937 rng(5);
    const std::vector<uint16_t> sids = {1, 2, 3};
    std::map<uint16_t, double> sent;
    double total = 0;
    for (int i = 0; i < 10'000; ++i) {
      TopUp(q, sids, rng, 5000);
      const std::optional<OutgoingFragment> f = q.Produce(kNow, 1000);
      ASSERT_TRUE(f.has_value());
      sent[f->stream_id.value()] += static_cast<double>(f->length);
      total += static_cast<double>(f->length);
    }
    EXPECT_NEAR(sent[1] / (total / 7), 1.0, 0.05);
    EXPECT_NEAR(sent[2] / (total * 2 / 7), 1.0, 0.05);
    EXPECT_NEAR(sent[3] / (total * 4 / 7), 1.0, 0.05);
  }
}

TEST(SendQueueTest, WeightedFairQueueingTreatsWeightZeroAsOne) {
  SendQueue q(true, StreamScheduler::kWeightedFairQueueing, 8, kBigCapacity);
  q.SetStreamWeight(StreamId(1), 0);
  q.SetStreamWeight(StreamId(2), 2);
  std::mt19937 rng(1);
  std::map<uint16_t, size_t> sent;
  for (int i = 0; i < 3000; ++i) {
    TopUp(q, {1, 2}, rng, 1000);
    const std::optional<OutgoingFragment> f = q.Produce(kNow, 100);
    ASSERT_TRUE(f.has_value());
    sent[f->stream_id.value()] += f->length;
  }
  EXPECT_NEAR(static_cast<double>(sent[2]) / static_cast<double>(sent[1]), 2.0, 0.1);
}

TEST(SendQueueTest, WeightedFairQueueingIdleStreamBanksNoCredit) {
  SendQueue q(true, StreamScheduler::kWeightedFairQueueing, 8, kBigCapacity);
  std::mt19937 rng(3);
  for (int i = 0; i < 1000; ++i) {
    TopUp(q, {1}, rng, 1000);
    ASSERT_EQ(q.Produce(kNow, 1000)->stream_id, StreamId(1));
  }
  // Stream 2 (same weight) joins late: it shares from now on rather than taking 1000 turns.
  std::map<uint16_t, int> count;
  for (int i = 0; i < 100; ++i) {
    TopUp(q, {1, 2}, rng, 1000);
    ++count[q.Produce(kNow, 1000)->stream_id.value()];
  }
  EXPECT_GE(count[1], 40);
  EXPECT_GE(count[2], 40);
}

TEST(SendQueueTest, VirtualTimeRebaseDoesNotChangeTheSchedule) {
  SendQueue a(true, StreamScheduler::kWeightedFairQueueing, 8, kBigCapacity);
  SendQueue b(true, StreamScheduler::kWeightedFairQueueing, 8, kBigCapacity);
  for (SendQueue* q : {&a, &b}) {
    q->SetStreamWeight(StreamId(1), 3);
    q->SetStreamWeight(StreamId(2), 7);
    q->SetStreamWeight(StreamId(3), 1);
  }
  std::mt19937 rng_a(9);
  std::mt19937 rng_b(9);
  for (int i = 0; i < 3000; ++i) {
    // Stream 3 goes idle now and then, to rebase idle streams too.
    const std::vector<uint16_t> sids =
        (i / 500) % 2 ? std::vector<uint16_t>{1, 2, 3} : std::vector<uint16_t>{1, 2};
    TopUp(a, sids, rng_a, 2000);
    TopUp(b, sids, rng_b, 2000);
    if (i % 700 == 350) b.RebaseVirtualTime();
    const std::optional<OutgoingFragment> fa = a.Produce(kNow, 700);
    const std::optional<OutgoingFragment> fb = b.Produce(kNow, 700);
    ASSERT_TRUE(fa && fb);
    ASSERT_EQ(fa->stream_id, fb->stream_id) << i;
    ASSERT_EQ(fa->length, fb->length) << i;
  }
  EXPECT_TRUE(b.InvariantsHold());
}

TEST(SendQueueTest, ManyStreamsScheduleQuickly) {
  // O(log n) per fragment: 20,000 active streams drain without quadratic work.
  SendQueue q(true, StreamScheduler::kWeightedFairQueueing, 65'535, kBigCapacity);
  for (uint16_t sid = 0; sid < 20'000; ++sid) {
    q.SetStreamWeight(StreamId(sid), static_cast<uint16_t>(1 + sid % 5));
    ASSERT_EQ(q.Add(Msg(sid, 300)), SendQueue::AddResult::kOk);
    ASSERT_EQ(q.Add(Msg(sid, 300)), SendQueue::AddResult::kOk);
  }
  std::vector<int> per_stream(20'000);
  size_t n = 0;
  while (std::optional<OutgoingFragment> f = q.Produce(kNow, 100)) {
    ++per_stream[f->stream_id.value()];
    ++n;
  }
  EXPECT_EQ(n, 20'000u * 6);
  EXPECT_TRUE(std::all_of(per_stream.begin(), per_stream.end(), [](int c) { return c == 6; }));
  EXPECT_TRUE(q.InvariantsHold());
}

// --- PR-SCTP ---------------------------------------------------------------------------------

TEST(SendQueueTest, ExpiredBeforeFirstFragmentIsAbandonedWithItsPayload) {
  SendQueue q(false, StreamScheduler::kFirstComeFirstServed, 4, kBigCapacity);
  OutgoingMessage stale = Msg(1, 3000, false, 42);
  stale.expires_at = kNow + Milliseconds(100);
  stale.context = 1234;
  stale.ppid = Ppid(7);
  const std::vector<uint8_t> payload = stale.payload;
  uint64_t stale_id = 0;
  ASSERT_EQ(q.Add(std::move(stale), &stale_id), SendQueue::AddResult::kOk);
  OutgoingMessage fresh = Msg(1, 10);
  fresh.expires_at = kNow + Seconds(10);
  ASSERT_EQ(q.Add(std::move(fresh)), SendQueue::AddResult::kOk);
  EXPECT_EQ(q.buffered_bytes(), 3010u);

  // expires_at <= now: gone (RFC 3758 §4.1 TR3), and it never took an SSN.
  const std::optional<OutgoingFragment> f = q.Produce(kNow + Milliseconds(100), 1000);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->length, 10u);
  EXPECT_EQ(f->ssn, Ssn(0));
  EXPECT_EQ(q.buffered_bytes(), 0u);
  const std::vector<SendQueue::Abandoned> abandoned = q.TakeAbandoned();
  ASSERT_EQ(abandoned.size(), 1u);
  EXPECT_EQ(abandoned[0].message_id, stale_id);
  EXPECT_EQ(abandoned[0].stream_id, StreamId(1));
  EXPECT_EQ(abandoned[0].ppid, Ppid(7));
  EXPECT_EQ(abandoned[0].context, 1234u);
  EXPECT_EQ(abandoned[0].unsent_payload, payload);
  EXPECT_FALSE(abandoned[0].partially_sent);
  EXPECT_EQ(q.bytes_copied(), 0u);         // the buffer went back as it came
  EXPECT_TRUE(q.TakeAbandoned().empty());  // the list was cleared
}

TEST(SendQueueTest, ExpiryAlsoRemovesMessagesBehindTheHeadAndOnIdleStreams) {
  SendQueue q(true, StreamScheduler::kRoundRobin, 4, kBigCapacity);
  OutgoingMessage m1 = Msg(1, 100);
  OutgoingMessage m2 = Msg(2, 100);
  OutgoingMessage m3 = Msg(2, 100);
  m2.expires_at = kNow;
  m3.expires_at = kNow - Seconds(1);
  ASSERT_EQ(q.Add(std::move(m1)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(std::move(m2)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(std::move(m3)), SendQueue::AddResult::kOk);
  EXPECT_EQ(q.Produce(kNow, 1000)->stream_id, StreamId(1));
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.stream_state_count(), 2u);
  const std::vector<SendQueue::Abandoned> abandoned = q.TakeAbandoned();
  ASSERT_EQ(abandoned.size(), 2u);
  EXPECT_LT(abandoned[0].message_id, abandoned[1].message_id);  // oldest first
}

TEST(SendQueueTest, LifetimeNoLongerCheckedOnceTheFirstFragmentIsOut) {
  SendQueue q(false, StreamScheduler::kRoundRobin, 4, kBigCapacity);
  OutgoingMessage m = Msg(1, 3000);
  m.expires_at = kNow + Milliseconds(10);
  ASSERT_EQ(q.Add(std::move(m)), SendQueue::AddResult::kOk);
  ASSERT_TRUE(q.Produce(kNow, 1000).has_value());
  // The rest must follow (consecutive TSNs); the retransmission queue handles the lifetime.
  const std::vector<OutgoingFragment> rest = ProduceAll(q, 1000, kNow + Seconds(1));
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_TRUE(rest[1].ending);
  EXPECT_TRUE(q.TakeAbandoned().empty());
}

TEST(SendQueueTest, DiscardRemainingDropsTheUnsentRestOfAStartedMessage) {
  for (bool interleaved : {false, true}) {
    SCOPED_TRACE(interleaved);
    SendQueue q(interleaved, StreamScheduler::kRoundRobin, 4, kBigCapacity);
    OutgoingMessage m = Msg(1, 3000, false, 5);
    m.context = 9;
    const std::vector<uint8_t> payload = m.payload;
    uint64_t id = 0;
    ASSERT_EQ(q.Add(std::move(m), &id), SendQueue::AddResult::kOk);
    ASSERT_EQ(q.Add(Msg(1, 10)), SendQueue::AddResult::kOk);
    ASSERT_EQ(q.Add(Msg(2, 10)), SendQueue::AddResult::kOk);
    const std::optional<OutgoingFragment> first = q.Produce(kNow, 1000);
    ASSERT_TRUE(first.has_value());
    ASSERT_EQ(first->message_id, id);
    EXPECT_TRUE(q.HasPartiallySentMessage(StreamId(1)));

    EXPECT_TRUE(q.DiscardRemaining(id));
    EXPECT_FALSE(q.DiscardRemaining(id));  // nothing left
    EXPECT_FALSE(q.HasPartiallySentMessage(StreamId(1)));
    EXPECT_EQ(q.buffered_bytes(), 20u);
    EXPECT_EQ(q.buffered_bytes(StreamId(1)), 10u);
    const std::vector<SendQueue::Abandoned> abandoned = q.TakeAbandoned();
    ASSERT_EQ(abandoned.size(), 1u);
    EXPECT_TRUE(abandoned[0].partially_sent);
    EXPECT_EQ(abandoned[0].context, 9u);
    EXPECT_EQ(abandoned[0].unsent_payload,
              std::vector<uint8_t>(payload.begin() + 1000, payload.end()));
    // The sent fragment still shares the buffer, so the rest was copied (and counted).
    EXPECT_EQ(q.bytes_copied(), 2000u);
    EXPECT_EQ(first->data()[0], payload[0]);  // the fragment stays valid

    // The queue is not stuck on the dropped message, and the next message on the stream has
    // the next SSN/MID (the dropped one had consumed its number; FORWARD-TSN skips it).
    const std::vector<OutgoingFragment> rest = ProduceAll(q, 1000);
    ASSERT_EQ(rest.size(), 2u);
    for (const OutgoingFragment& f : rest) {
      EXPECT_TRUE(f.beginning && f.ending);
      if (f.stream_id == StreamId(1)) {
        EXPECT_EQ(interleaved ? f.mid.value() : f.ssn.value(), 1u);
      }
    }
  }
}

TEST(SendQueueTest, DiscardRemainingOfUnknownOrFinishedMessages) {
  SendQueue q(false, StreamScheduler::kRoundRobin, 4, kBigCapacity);
  uint64_t id = 0;
  ASSERT_EQ(q.Add(Msg(1, 10), &id), SendQueue::AddResult::kOk);
  EXPECT_FALSE(q.DiscardRemaining(id + 100));
  ASSERT_TRUE(q.Produce(kNow, 1000).has_value());
  EXPECT_FALSE(q.DiscardRemaining(id));  // fully produced
  EXPECT_TRUE(q.TakeAbandoned().empty());
  // A queued message that has not started yet is dropped whole.
  uint64_t id2 = 0;
  ASSERT_EQ(q.Add(Msg(1, 10), &id2), SendQueue::AddResult::kOk);
  EXPECT_TRUE(q.DiscardRemaining(id2));
  const std::vector<SendQueue::Abandoned> abandoned = q.TakeAbandoned();
  ASSERT_EQ(abandoned.size(), 1u);
  EXPECT_FALSE(abandoned[0].partially_sent);
  EXPECT_EQ(abandoned[0].unsent_payload.size(), 10u);
  EXPECT_TRUE(q.empty());
}

TEST(SendQueueTest, DiscardAllReportsEveryQueuedMessage) {
  for (bool interleaved : {false, true}) {
    SCOPED_TRACE(interleaved);
    SendQueue q(interleaved, StreamScheduler::kRoundRobin, 8, kBigCapacity);
    std::vector<uint64_t> ids(4);
    ASSERT_EQ(q.Add(Msg(1, 3000), &ids[0]), SendQueue::AddResult::kOk);
    ASSERT_EQ(q.Add(Msg(2, 3000), &ids[1]), SendQueue::AddResult::kOk);
    ASSERT_EQ(q.Add(Msg(1, 10), &ids[2]), SendQueue::AddResult::kOk);
    OutgoingMessage expiring = Msg(3, 10);
    expiring.expires_at = kNow + Seconds(1);
    ASSERT_EQ(q.Add(std::move(expiring), &ids[3]), SendQueue::AddResult::kOk);
    ASSERT_TRUE(q.Produce(kNow, 1000).has_value());  // message 0 is partly sent
    if (interleaved) {
      ASSERT_TRUE(q.Produce(kNow, 1000).has_value());  // and message 1
    }
    EXPECT_EQ(q.DiscardAll(), 4u);
    EXPECT_TRUE(q.empty());
    EXPECT_EQ(q.buffered_bytes(), 0u);
    EXPECT_FALSE(q.Produce(kNow + Seconds(2), 1000).has_value());
    const std::vector<SendQueue::Abandoned> abandoned = q.TakeAbandoned();
    ASSERT_EQ(abandoned.size(), 4u);
    for (size_t i = 0; i < 4; ++i) {
      EXPECT_EQ(abandoned[i].message_id, ids[i]);
      EXPECT_EQ(abandoned[i].partially_sent, i == 0 || (interleaved && i == 1));
    }
    EXPECT_EQ(abandoned[0].unsent_payload.size(), 2000u);
    EXPECT_EQ(q.DiscardAll(), 0u);
    EXPECT_TRUE(q.InvariantsHold());
  }
}

OutgoingMessage PrioMsg(uint16_t sid, size_t size, std::optional<uint16_t> priority) {
  OutgoingMessage m = Msg(sid, size);
  m.pr_priority = priority;
  return m;
}

TEST(SendQueueTest, AbandonForSpaceDropsLowerPriorityMessagesLeastImportantFirst) {
  SendQueue q(false, StreamScheduler::kFirstComeFirstServed, 4, 10'000);
  uint64_t reliable = 0, p5_old = 0, p9 = 0, p5_new = 0, p2 = 0, started = 0;
  ASSERT_EQ(q.Add(PrioMsg(1, 2000, 7), &started), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(PrioMsg(1, 1000, std::nullopt), &reliable), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(PrioMsg(2, 1000, 5), &p5_old), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(PrioMsg(3, 1000, 9), &p9), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(PrioMsg(2, 1000, 5), &p5_new), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(PrioMsg(1, 1000, 2), &p2), SendQueue::AddResult::kOk);
  ASSERT_TRUE(q.Produce(kNow, 1000).has_value());  // `started` is now in flight
  EXPECT_EQ(q.buffered_bytes(), 6000u);
  EXPECT_EQ(q.Add(Msg(0, 5000)), SendQueue::AddResult::kBufferFull);

  // Priority 3 may drop priority 5 and 9 (not 2, not the reliable one, not the started one).
  // 4000 bytes cannot be found among them: all or nothing.
  EXPECT_EQ(q.AbandonForSpace(4000, 3), 0u);
  EXPECT_TRUE(q.TakeAbandoned().empty());
  EXPECT_EQ(q.buffered_bytes(), 6000u);

  // 1500 bytes: priority 9 first, then the older priority-5 message.
  EXPECT_EQ(q.AbandonForSpace(1500, 3), 2000u);
  std::vector<SendQueue::Abandoned> abandoned = q.TakeAbandoned();
  ASSERT_EQ(abandoned.size(), 2u);
  EXPECT_EQ(abandoned[0].message_id, p5_old);
  EXPECT_EQ(abandoned[1].message_id, p9);
  EXPECT_EQ(q.buffered_bytes(), 4000u);

  // Equal priority is not lower priority.
  EXPECT_EQ(q.AbandonForSpace(1, 5), 0u);
  EXPECT_EQ(q.AbandonForSpace(1, 4), 1000u);
  abandoned = q.TakeAbandoned();
  ASSERT_EQ(abandoned.size(), 1u);
  EXPECT_EQ(abandoned[0].message_id, p5_new);
  EXPECT_EQ(q.AbandonForSpace(0, 0), 0u);

  // What is left goes out with consecutive SSNs on each stream.
  const std::vector<OutgoingFragment> f = ProduceAll(q, 1000);
  std::vector<uint64_t> ids;
  for (const OutgoingFragment& x : f) {
    if (x.beginning) ids.push_back(x.message_id);
  }
  EXPECT_EQ(ids, (std::vector<uint64_t>{reliable, p2}));
  EXPECT_EQ(f.back().ssn, Ssn(2));
}

TEST(SendQueueTest, CapacityLimitsUnsentBytes) {
  SendQueue q(false, StreamScheduler::kRoundRobin, 4, 1000);
  EXPECT_EQ(q.Add(Msg(1, 1001)), SendQueue::AddResult::kTooLarge);
  EXPECT_EQ(q.Add(Msg(1, 600)), SendQueue::AddResult::kOk);
  EXPECT_EQ(q.Add(Msg(1, 401)), SendQueue::AddResult::kBufferFull);
  EXPECT_EQ(q.Add(Msg(2, 400)), SendQueue::AddResult::kOk);  // exactly full
  EXPECT_EQ(q.Add(Msg(2, 1)), SendQueue::AddResult::kBufferFull);
  EXPECT_EQ(q.buffered_bytes(), 1000u);
  ASSERT_TRUE(q.Produce(kNow, 300).has_value());  // produced bytes no longer count
  EXPECT_EQ(q.Add(Msg(2, 300)), SendQueue::AddResult::kOk);
  EXPECT_EQ(q.Add(Msg(2, 1)), SendQueue::AddResult::kBufferFull);
  EXPECT_EQ(q.Add(Msg(1, 1000)), SendQueue::AddResult::kBufferFull);
}

TEST(SendQueueTest, RejectsInvalidStreamsAndEmptyMessages) {
  SendQueue q(false, StreamScheduler::kRoundRobin, 10, kBigCapacity);
  EXPECT_EQ(q.Add(Msg(10, 5)), SendQueue::AddResult::kInvalidStream);
  EXPECT_EQ(q.Add(Msg(65'535, 5)), SendQueue::AddResult::kInvalidStream);
  EXPECT_EQ(q.Add(Msg(9, 0)), SendQueue::AddResult::kEmpty);
  EXPECT_EQ(q.Add(Msg(9, 5)), SendQueue::AddResult::kOk);
  EXPECT_EQ(q.stream_state_count(), 1u);  // rejected adds leave no state
  q.SetOutboundStreams(20);
  EXPECT_EQ(q.Add(Msg(10, 5)), SendQueue::AddResult::kOk);
  EXPECT_EQ(q.Add(Msg(19, 5)), SendQueue::AddResult::kOk);
  EXPECT_EQ(q.Add(Msg(20, 5)), SendQueue::AddResult::kInvalidStream);
}

TEST(SendQueueTest, ShrinkingOutboundStreamsAbandonsTheirMessages) {
  SendQueue q(false, StreamScheduler::kRoundRobin, 100, kBigCapacity);
  uint64_t on_high = 0;
  ASSERT_EQ(q.Add(Msg(1, 50)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(70, 60), &on_high), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(9, 70)), SendQueue::AddResult::kOk);
  // The peer accepts 10 inbound streams: outbound = min(100, 10).
  q.SetOutboundStreams(10);
  EXPECT_EQ(q.stream_state_count(), 2u);
  EXPECT_EQ(q.buffered_bytes(), 120u);
  const std::vector<SendQueue::Abandoned> abandoned = q.TakeAbandoned();
  ASSERT_EQ(abandoned.size(), 1u);
  EXPECT_EQ(abandoned[0].message_id, on_high);
  EXPECT_EQ(Sids(ProduceAll(q, 1000)), (std::vector<uint16_t>{1, 9}));
  EXPECT_TRUE(q.InvariantsHold());
}

// --- Stream reset -----------------------------------------------------------------------------

TEST(SendQueueTest, ResetStreamsRestartsSsnsOfTheListedStreams) {
  SendQueue q(false, StreamScheduler::kRoundRobin, 8, kBigCapacity);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(q.Add(Msg(1, 10)), SendQueue::AddResult::kOk);
    ASSERT_EQ(q.Add(Msg(2, 10)), SendQueue::AddResult::kOk);
  }
  ASSERT_EQ(ProduceAll(q, 100).size(), 6u);
  EXPECT_FALSE(q.HasPending(StreamId(1)));
  const std::array<StreamId, 1> one = {StreamId(1)};
  EXPECT_EQ(q.stream_state_count(), 2u);
  q.ResetStreams(one);
  EXPECT_EQ(q.stream_state_count(), 1u);  // stream 1 is back to nothing: its state is freed
  ASSERT_EQ(q.Add(Msg(1, 10)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(2, 10)), SendQueue::AddResult::kOk);
  EXPECT_TRUE(q.HasPending(StreamId(1)));
  std::vector<OutgoingFragment> f = ProduceAll(q, 100);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].stream_id, StreamId(1));
  EXPECT_EQ(f[0].ssn, Ssn(0));
  EXPECT_EQ(f[1].ssn, Ssn(3));

  q.ResetStreams({});  // all
  ASSERT_EQ(q.Add(Msg(1, 10)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(2, 10)), SendQueue::AddResult::kOk);
  f = ProduceAll(q, 100);
  EXPECT_EQ(f[0].ssn, Ssn(0));
  EXPECT_EQ(f[1].ssn, Ssn(0));
}

TEST(SendQueueTest, ResetStreamsRestartsBothMidCountersWithIData) {
  SendQueue q(true, StreamScheduler::kFirstComeFirstServed, 8, kBigCapacity);
  for (bool unordered : {false, true, false, true}) {
    ASSERT_EQ(q.Add(Msg(4, 10, unordered)), SendQueue::AddResult::kOk);
  }
  ASSERT_EQ(ProduceAll(q, 100).size(), 4u);
  const std::array<StreamId, 1> four = {StreamId(4)};
  q.ResetStreams(four);
  ASSERT_EQ(q.Add(Msg(4, 10, false)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(4, 10, true)), SendQueue::AddResult::kOk);
  const std::vector<OutgoingFragment> f = ProduceAll(q, 100);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].mid, Mid(0));
  EXPECT_EQ(f[1].mid, Mid(0));
}

TEST(SendQueueTest, ResetGivesQueuedButUnstartedMessagesTheNewNumbers) {
  SendQueue q(false, StreamScheduler::kRoundRobin, 8, kBigCapacity);
  ASSERT_EQ(q.Add(Msg(1, 10)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Produce(kNow, 100)->ssn, Ssn(0));
  ASSERT_EQ(q.Add(Msg(1, 10)), SendQueue::AddResult::kOk);
  const std::array<StreamId, 1> one = {StreamId(1)};
  q.ResetStreams(one);
  EXPECT_EQ(q.Produce(kNow, 100)->ssn, Ssn(0));  // numbers are assigned late
}

TEST(SendQueueTest, ResetFreesStateOfUnusedStreamsOnly) {
  SendQueue q(false, StreamScheduler::kRoundRobin, 8, kBigCapacity);
  ASSERT_EQ(q.Add(Msg(1, 10)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(2, 10)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(3, 10)), SendQueue::AddResult::kOk);
  q.SetStreamPriority(StreamId(2), 1);
  ASSERT_EQ(q.Produce(kNow, 100)->stream_id, StreamId(1));
  ASSERT_EQ(q.Produce(kNow, 100)->stream_id, StreamId(2));
  EXPECT_EQ(q.stream_state_count(), 3u);
  q.ResetStreams({});
  // 1 is back to nothing; 2 keeps its priority; 3 still has a message.
  EXPECT_EQ(q.stream_state_count(), 2u);
  EXPECT_TRUE(q.HasPending(StreamId(3)));
}

TEST(SendQueueTest, PausedStreamsFinishTheirStartedMessageButStartNoOther) {
  for (bool interleaved : {false, true}) {
    SCOPED_TRACE(interleaved);
    SendQueue q(interleaved, StreamScheduler::kRoundRobin, 8, kBigCapacity);
    ASSERT_EQ(q.Add(Msg(1, 3000)), SendQueue::AddResult::kOk);
    ASSERT_EQ(q.Add(Msg(1, 10)), SendQueue::AddResult::kOk);
    ASSERT_EQ(q.Add(Msg(2, 10)), SendQueue::AddResult::kOk);
    ASSERT_EQ(q.Produce(kNow, 1000)->stream_id, StreamId(1));
    // RFC 6525 §5.1.2 A1: stop assigning SSNs on stream 1 while its reset is pending.
    const std::array<StreamId, 1> one = {StreamId(1)};
    q.PauseStreams(one);
    EXPECT_TRUE(q.HasPartiallySentMessage(StreamId(1)));
    ASSERT_EQ(q.Add(Msg(1, 20)), SendQueue::AddResult::kOk);  // queued meanwhile
    std::vector<OutgoingFragment> f = ProduceAll(q, 1000);
    size_t stream1_bytes = 0;
    for (const OutgoingFragment& x : f) {
      if (x.stream_id == StreamId(1)) stream1_bytes += x.length;
    }
    EXPECT_EQ(stream1_bytes, 2000u);  // the started message, nothing else
    EXPECT_FALSE(q.HasPartiallySentMessage(StreamId(1)));
    EXPECT_TRUE(q.HasPending(StreamId(1)));
    EXPECT_FALSE(q.empty());
    EXPECT_EQ(q.buffered_bytes(StreamId(1)), 30u);
    // Reset done: the waiting messages go out from SSN/MID 0.
    q.ResetStreams(one);
    q.ResumeStreams(one);
    f = ProduceAll(q, 1000);
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(interleaved ? f[0].mid.value() : f[0].ssn.value(), 0u);
    EXPECT_EQ(interleaved ? f[1].mid.value() : f[1].ssn.value(), 1u);
    EXPECT_TRUE(q.empty());
  }
}

TEST(SendQueueTest, PausePointLetsMessagesQueuedBeforeItStart) {
  // RFC 6525 §5.1.2 A1 holds only "new user data provided by the upper layer" after the
  // request: messages queued before the pause point still go out with the old numbering.
  SendQueue q(false, StreamScheduler::kRoundRobin, 8, kBigCapacity);
  ASSERT_EQ(q.Add(Msg(1, 10)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(1, 10)), SendQueue::AddResult::kOk);
  const uint64_t point = q.last_message_id();
  const std::array<StreamId, 1> one = {StreamId(1)};
  q.PauseStreams(one, point);
  ASSERT_EQ(q.Add(Msg(1, 10)), SendQueue::AddResult::kOk);  // after the request
  EXPECT_TRUE(q.HasUnsent(one, point));
  std::vector<OutgoingFragment> f = ProduceAll(q, 1000);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].ssn.value(), 0u);
  EXPECT_EQ(f[1].ssn.value(), 1u);
  EXPECT_FALSE(q.HasUnsent(one, point));
  EXPECT_TRUE(q.HasUnsent(one, point + 1));
  q.ResetStreams(one);
  q.ResumeStreams(one);
  f = ProduceAll(q, 1000);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].ssn.value(), 0u);
}

TEST(SendQueueTest, PauseAllCoversStreamsWithoutStateYet) {
  SendQueue q(true, StreamScheduler::kPriority, 8, kBigCapacity);
  ASSERT_EQ(q.Add(Msg(1, 10)), SendQueue::AddResult::kOk);
  q.PauseStreams({});
  ASSERT_EQ(q.Add(Msg(5, 10)), SendQueue::AddResult::kOk);
  EXPECT_FALSE(q.Produce(kNow, 100).has_value());
  const std::array<StreamId, 1> five = {StreamId(5)};
  q.ResumeStreams(five);  // the global pause still holds
  EXPECT_FALSE(q.Produce(kNow, 100).has_value());
  q.ResumeStreams({});
  EXPECT_EQ(Sids(ProduceAll(q, 100)), (std::vector<uint16_t>{1, 5}));
}

TEST(SendQueueTest, ResumeAllIsReproducibleWhateverTheHashOrder) {
  // After a global pause and resume, the round starts again in stream id order, not in the
  // (per-process randomized) order of a hash map: the same inputs give the same run.
  SendQueue q(false, StreamScheduler::kRoundRobin, 100, kBigCapacity);
  std::vector<uint16_t> sids;
  for (uint16_t sid = 60; sid > 0; sid -= 3) {
    ASSERT_EQ(q.Add(Msg(sid, 10)), SendQueue::AddResult::kOk);
    sids.push_back(sid);
  }
  q.PauseStreams({});
  EXPECT_FALSE(q.Produce(kNow, 100).has_value());
  q.ResumeStreams({});
  std::sort(sids.begin(), sids.end());
  EXPECT_EQ(Sids(ProduceAll(q, 100)), sids);
}

// --- State and accounting ---------------------------------------------------------------------

TEST(SendQueueTest, StreamStateIsLazy) {
  SendQueue q(true, StreamScheduler::kWeightedFairQueueing, 65'535, kBigCapacity);
  EXPECT_EQ(q.stream_state_count(), 0u);
  EXPECT_EQ(q.buffered_bytes(StreamId(3)), 0u);
  EXPECT_FALSE(q.HasPending(StreamId(3)));
  EXPECT_FALSE(q.HasPartiallySentMessage(StreamId(3)));
  q.SetStreamPriority(StreamId(3), SendQueue::kDefaultStreamPriority);
  q.SetStreamWeight(StreamId(3), SendQueue::kDefaultStreamWeight);
  q.SetStreamWeight(StreamId(3), 0);  // 0 means 1, not the default
  EXPECT_EQ(q.stream_state_count(), 1u);
  q.SetStreamWeight(StreamId(3), SendQueue::kDefaultStreamWeight);
  q.ResetStreams({});  // back to pristine: freed
  EXPECT_EQ(q.stream_state_count(), 0u);
  q.SetStreamPriority(StreamId(4), SendQueue::kDefaultStreamPriority);
  EXPECT_EQ(q.stream_state_count(), 0u);
  const std::array<StreamId, 2> some = {StreamId(3), StreamId(4)};
  q.ResetStreams(some);
  q.ResumeStreams(some);
  EXPECT_FALSE(q.DiscardRemaining(1));
  EXPECT_EQ(q.stream_state_count(), 0u);  // queries and no-ops create nothing

  ASSERT_EQ(q.Add(Msg(65'534, 100)), SendQueue::AddResult::kOk);
  EXPECT_EQ(q.stream_state_count(), 1u);
  ASSERT_EQ(q.Produce(kNow, 1000)->stream_id, StreamId(65'534));
  EXPECT_EQ(q.stream_state_count(), 1u);  // keeps its next SSN/MID
  q.SetStreamWeight(StreamId(7), 3);
  EXPECT_EQ(q.stream_state_count(), 2u);
}

TEST(SendQueueTest, BufferedBytesAccounting) {
  SendQueue q(true, StreamScheduler::kRoundRobin, 8, kBigCapacity);
  ASSERT_EQ(q.Add(Msg(1, 2500)), SendQueue::AddResult::kOk);
  ASSERT_EQ(q.Add(Msg(2, 700)), SendQueue::AddResult::kOk);
  OutgoingMessage expiring = Msg(2, 300);
  expiring.expires_at = kNow + Seconds(1);
  ASSERT_EQ(q.Add(std::move(expiring)), SendQueue::AddResult::kOk);
  EXPECT_EQ(q.buffered_bytes(), 3500u);
  EXPECT_EQ(q.buffered_bytes(StreamId(1)), 2500u);
  EXPECT_EQ(q.buffered_bytes(StreamId(2)), 1000u);
  ASSERT_EQ(q.Produce(kNow, 1000)->length, 1000u);  // stream 1
  EXPECT_EQ(q.buffered_bytes(), 2500u);
  EXPECT_EQ(q.buffered_bytes(StreamId(1)), 1500u);
  ASSERT_EQ(q.Produce(kNow, 500)->length, 500u);  // stream 2, partly
  EXPECT_EQ(q.buffered_bytes(StreamId(2)), 500u);
  ASSERT_EQ(q.Produce(kNow + Seconds(2), 1000)->stream_id, StreamId(1));  // 300 expire
  EXPECT_EQ(q.buffered_bytes(StreamId(1)), 500u);
  EXPECT_EQ(q.buffered_bytes(StreamId(2)), 200u);
  EXPECT_EQ(q.buffered_bytes(), 700u);
  ProduceAll(q, 1000);
  EXPECT_EQ(q.buffered_bytes(), 0u);
  EXPECT_EQ(q.buffered_bytes(StreamId(1)), 0u);
  EXPECT_TRUE(q.empty());
}

// --- Randomized: every byte is accounted for, invariants hold after every call -----------------

class RandomizedTest
    : public ::testing::TestWithParam<std::tuple<bool /*interleaved*/, StreamScheduler>> {};

TEST_P(RandomizedTest, ConservationOrderingAndInvariants) {
  const auto [interleaved, scheduler] = GetParam();
  SendQueue q(interleaved, scheduler, 6, 40'000);
  std::mt19937 rng(1234);
  TimePoint now = kNow;
  uint64_t added = 0, produced = 0, abandoned = 0;
  std::map<uint64_t, size_t> next_offset;                     // message id -> next expected offset
  std::map<uint16_t, uint64_t> open_on_stream;                // stream -> message between B and E
  std::map<std::pair<uint16_t, bool>, uint32_t> next_number;  // (stream, unordered) -> SSN/MID
  std::set<uint64_t> dropped;
  for (int step = 0; step < 20'000; ++step) {
    const int op = static_cast<int>(rng() % 100);
    if (op < 35) {
      OutgoingMessage m = Msg(static_cast<uint16_t>(rng() % 7), 1 + rng() % 2500, rng() % 4 == 0);
      if (rng() % 4 == 0) m.expires_at = now + Milliseconds(rng() % 200);
      if (rng() % 3 == 0) m.pr_priority = static_cast<uint16_t>(rng() % 4);
      const size_t size = m.payload.size();
      if (q.Add(std::move(m)) == SendQueue::AddResult::kOk) added += size;
    } else if (op < 80) {
      now += Milliseconds(rng() % 5);
      const std::optional<OutgoingFragment> f = q.Produce(now, 1 + rng() % 1200);
      if (f) {
        produced += f->length;
        const uint16_t sid = f->stream_id.value();
        ASSERT_LT(sid, 6);
        auto [it, inserted] = next_offset.try_emplace(f->message_id, 0);
        ASSERT_EQ(f->beginning, inserted);
        ASSERT_EQ(f->offset, it->second);
        it->second += f->length;
        ASSERT_EQ(f->ending, it->second == f->message->size());
        // RFC 8260 §2.2.2: never two messages of one stream interleaved.
        const auto open = open_on_stream.find(sid);
        if (open != open_on_stream.end()) {
          ASSERT_EQ(open->second, f->message_id);
        }
        if (f->beginning) {
          const std::pair<uint16_t, bool> counter{sid, f->unordered};
          const uint32_t number = interleaved ? f->mid.value() : f->ssn.value();
          if (interleaved || !f->unordered) {
            ASSERT_EQ(number, next_number[counter]) << "gap or repeat in SSN/MID";
            next_number[counter] = interleaved ? number + 1 : (number + 1) & 0xFFFF;
          } else {
            ASSERT_EQ(number, 0u);
          }
        }
        if (f->ending) {
          open_on_stream.erase(sid);
        } else {
          open_on_stream[sid] = f->message_id;
        }
        if (rng() % 50 == 0 && !f->ending) {
          ASSERT_TRUE(q.DiscardRemaining(f->message_id));
          open_on_stream.erase(sid);
          dropped.insert(f->message_id);
        }
      }
    } else if (op < 88) {
      q.OnPacketFinished();
    } else if (op < 91) {
      q.AbandonForSpace(1 + rng() % 5000, static_cast<uint16_t>(rng() % 4));
    } else if (op < 94) {
      const StreamId sid(static_cast<uint16_t>(rng() % 6));
      q.SetStreamPriority(sid, static_cast<uint16_t>(rng() % 3));
      q.SetStreamWeight(sid, static_cast<uint16_t>(rng() % 5));
    } else if (op < 97) {
      const std::array<StreamId, 1> sid = {StreamId(static_cast<uint16_t>(rng() % 6))};
      if (rng() % 2) {
        q.PauseStreams(sid);
      } else {
        // The association resets a paused stream once nothing is half sent on it.
        if (!q.HasPartiallySentMessage(sid[0])) {
          q.ResetStreams(sid);
          next_number[{sid[0].value(), false}] = 0;
          next_number[{sid[0].value(), true}] = 0;
        }
        q.ResumeStreams(sid);
      }
    } else {
      for (SendQueue::Abandoned& a : q.TakeAbandoned()) {
        abandoned += a.unsent_payload.size();
        EXPECT_EQ(a.partially_sent, dropped.contains(a.message_id));
      }
    }
    ASSERT_TRUE(q.InvariantsHold()) << "step " << step;
    ASSERT_LE(q.buffered_bytes(), 40'000u);
  }
  for (SendQueue::Abandoned& a : q.TakeAbandoned())
    abandoned += a.unsent_payload.size();
  EXPECT_EQ(added, produced + abandoned + q.buffered_bytes());
  EXPECT_GT(produced, 0u);
  EXPECT_GT(abandoned, 0u);
}

INSTANTIATE_TEST_SUITE_P(All, RandomizedTest,
                         ::testing::Combine(::testing::Bool(), ::testing::ValuesIn(kAllSchedulers)),
                         [](const auto& p) {
                           return std::string(std::get<0>(p.param) ? "IData" : "Data") +
                                  SchedulerName(std::get<1>(p.param));
                         });

}  // namespace
}  // namespace sctp::tx

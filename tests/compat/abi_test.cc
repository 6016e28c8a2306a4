// ABI test of compat/include/usrsctp.h: compares the facts gathered by abi_ours.c (sctpcpp's
// header) with those gathered by abi_debian.c (Debian's usrsctp 0.9.5.0 header) entry by entry,
// and reports every mismatch.  See abi_table.h for what the tables contain.

// sctpcpp's header, compiled here as C++20 (the include path has compat/include first).
#include <usrsctp.h>

#include <gtest/gtest.h>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include "abi_table.h"

#ifndef SCTPCPP_USRSCTP_COMPAT
#error "abi_test.cc must see sctpcpp's compat/include/usrsctp.h"
#endif

namespace {

std::string WithoutSpaces(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  }
  return out;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Both tables come from the same name lists, so they must agree in length and names; the
// values are what is compared.
template <typename Entry, typename Same, typename Show>
void ExpectSameTables(const char* what, const Entry* ours, size_t ours_count, const Entry* debian,
                      size_t debian_count, Same same, Show show) {
  ASSERT_EQ(ours_count, debian_count) << what << ": the two sides built different tables";
  ASSERT_GT(ours_count, 0u) << what << ": empty table";
  std::string mismatches;
  size_t bad = 0;
  for (size_t i = 0; i < ours_count; ++i) {
    ASSERT_STREQ(ours[i].name, debian[i].name) << what << ": entry " << i;
    if (!same(ours[i], debian[i])) {
      ++bad;
      mismatches += std::string("  ") + ours[i].name + ": ours " + show(ours[i]) + ", Debian " +
                    show(debian[i]) + "\n";
    }
  }
  ::testing::Test::RecordProperty(std::string(what) + "_entries", static_cast<int>(ours_count));
  if (bad != 0) {
    ADD_FAILURE() << what << ": " << bad << " of " << ours_count
                  << " entries differ from Debian's usrsctp.h:\n"
                  << mismatches;
  }
}

TEST(CompatAbi, LayoutsAndConstantsMatchDebian) {
  size_t ours_count = 0;
  size_t debian_count = 0;
  const abi_entry* ours = abi_ours_layout(&ours_count);
  const abi_entry* debian = abi_debian_layout(&debian_count);
  ExpectSameTables(
      "layout", ours, ours_count, debian, debian_count,
      [](const abi_entry& a, const abi_entry& b) { return a.value == b.value; },
      [](const abi_entry& e) { return std::to_string(e.value); });
}

TEST(CompatAbi, MacroExpansionsMatchDebian) {
  size_t ours_count = 0;
  size_t debian_count = 0;
  const abi_text_entry* ours = abi_ours_text(&ours_count);
  const abi_text_entry* debian = abi_debian_text(&debian_count);
  // Object-like macros must expand to the same tokens, so that a program's own identical
  // #define of, say, SCTP_EOR is a valid redefinition.  Function-like macros are compared
  // ignoring white space.
  ExpectSameTables(
      "macro", ours, ours_count, debian, debian_count,
      [](const abi_text_entry& a, const abi_text_entry& b) {
        if (EndsWith(a.name, "(abi_arg)")) return WithoutSpaces(a.text) == WithoutSpaces(b.text);
        return std::string(a.text) == b.text;
      },
      [](const abi_text_entry& e) { return "\"" + std::string(e.text) + "\""; });
}

TEST(CompatAbi, TypesAndSignaturesMatchDebian) {
  size_t ours_count = 0;
  size_t debian_count = 0;
  const abi_text_entry* ours = abi_ours_types(&ours_count);
  const abi_text_entry* debian = abi_debian_types(&debian_count);
  ExpectSameTables(
      "type", ours, ours_count, debian, debian_count,
      [](const abi_text_entry& a, const abi_text_entry& b) {
        return std::string(a.text) == b.text;
      },
      [](const abi_text_entry& e) { return std::string(e.text); });
}

// The lists in abi_table.h cover the whole reference header; these counts document its size
// (55 structs/unions incl. the nested sctp_tlv, 183 functions with SCTP_DEBUG) and catch an
// accidentally truncated list.
TEST(CompatAbi, ListsCoverTheReferenceHeader) {
#define ABI_COUNT_ONE(...) +1
  constexpr int kRecords = 0 ABI_RECORDS(ABI_COUNT_ONE);
  constexpr int kMembers = 0 ABI_MEMBERS(ABI_COUNT_ONE) ABI_FLEX_MEMBERS(ABI_COUNT_ONE);
  constexpr int kFunctions = 0 ABI_FUNCTIONS(ABI_COUNT_ONE);
  constexpr int kConstants = 0 ABI_CONSTANTS(ABI_COUNT_ONE);
#undef ABI_COUNT_ONE
  EXPECT_EQ(kRecords, 55);
  EXPECT_EQ(kMembers, 371);
  EXPECT_EQ(kFunctions, 183);
  EXPECT_EQ(kConstants, 232);
}

// Independent of Debian's header: sizes and offsets from the research note (section 8) that
// programs depend on, e.g. usrsctp_sendv() checks infolen against these sizes exactly.
TEST(CompatAbi, KnownX8664Layout) {
  EXPECT_EQ(sizeof(sctp_assoc_t), 4u);
  EXPECT_TRUE(std::is_unsigned_v<sctp_assoc_t>);
  EXPECT_EQ(sizeof(struct sockaddr_conn), 16u);
  EXPECT_EQ(offsetof(struct sockaddr_conn, sconn_addr), 8u);
  EXPECT_EQ(sizeof(struct sctp_common_header), 12u);
  EXPECT_EQ(alignof(struct sctp_common_header), 1u);
  EXPECT_EQ(sizeof(struct sctp_rcvinfo), 28u);
  EXPECT_EQ(sizeof(struct sctp_nxtinfo), 16u);
  EXPECT_EQ(sizeof(struct sctp_recvv_rn), 44u);
  EXPECT_EQ(sizeof(struct sctp_sndinfo), 16u);
  EXPECT_EQ(sizeof(struct sctp_prinfo), 8u);
  EXPECT_EQ(sizeof(struct sctp_authinfo), 2u);
  EXPECT_EQ(sizeof(struct sctp_sendv_spa), 32u);
  EXPECT_EQ(offsetof(struct sctp_sendv_spa, sendv_prinfo), 20u);
  EXPECT_EQ(sizeof(struct sctp_paddrparams), 152u);
  EXPECT_EQ(offsetof(struct sctp_paddrparams, spp_dscp), 150u);
  EXPECT_EQ(sizeof(struct sctp_status), 176u);
  EXPECT_EQ(sizeof(struct sctp_event_subscribe), 11u);
  EXPECT_EQ(sizeof(struct sctp_prstatus), 24u);
  EXPECT_EQ(alignof(struct sctp_prstatus), 8u);
  EXPECT_EQ(sizeof(struct sctpstat), 664u);
  EXPECT_EQ(offsetof(struct sctpstat, sctps_reserved), 540u);
  EXPECT_EQ(sizeof(union sctp_sockstore), 32u);
  EXPECT_EQ(sizeof(union sctp_notification), 152u);
  EXPECT_EQ(sizeof(sctp_notification::sctp_tlv), 8u);
  EXPECT_EQ(AF_CONN, 123);
  EXPECT_EQ(MSG_NOTIFICATION, 0x2000);
  EXPECT_EQ(IPPROTO_SCTP, 132);
}

// Additions from usrsctp after 0.9.5.0 that sctpcpp's header provides (Debian's lacks them).
TEST(CompatAbi, LaterUsrsctpAdditions) {
  EXPECT_EQ(SCTP_INTERLEAVING_SUPPORTED, 0x1206);
  EXPECT_EQ(SCTP_ACCEPT_ZERO_CHECKSUM, 0x33);
  EXPECT_EQ(SCTP_EDMID_NONE, 0);
  EXPECT_EQ(SCTP_EDMID_LOWER_LAYER_DTLS, 1);
  EXPECT_TRUE(
      (std::is_same_v<decltype(usrsctp_sysctl_set_sctp_ootb_with_zero_cksum), int(uint32_t)>));
  EXPECT_TRUE((std::is_same_v<decltype(usrsctp_sysctl_get_sctp_ootb_with_zero_cksum), uint32_t()>));
}

}  // namespace

// The State Cookie (RFC 9260 §5.1.3): everything needed to create the association, carried
// by the peer so that INIT costs the server no state (§5.1: "the receiver of an INIT ...
// SHOULD NOT allocate resources"). Signed with HMAC-SHA256 over a secret that rotates every
// Valid.Cookie.Life; verified in constant time.
#ifndef SCTPCPP_ENDPOINT_STATE_COOKIE_H_
#define SCTPCPP_ENDPOINT_STATE_COOKIE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "sctpcpp/time.h"
#include "sctpcpp/types.h"

namespace sctp::endpoint {

// Negotiated capabilities, bound into the cookie so they cannot be altered.
struct Capabilities {
  bool forward_tsn = false;    // RFC 3758: both sides offered Forward-TSN-Supported
  bool interleaving = false;   // RFC 8260: both sides offered I-DATA
  bool reconfig = false;       // RFC 6525: both sides offered RE-CONFIG
  bool zero_checksum = false;  // RFC 9653
  friend bool operator==(const Capabilities&, const Capabilities&) = default;
};

struct CookieContents {
  TimePoint created;
  Duration lifetime{};
  VerificationTag local_tag;  // our Initiate Tag in the INIT ACK
  VerificationTag peer_tag;   // the peer's Initiate Tag from its INIT
  Tsn local_initial_tsn;
  Tsn peer_initial_tsn;
  uint32_t peer_rwnd = 0;
  VerificationTag local_tie_tag;  // §5.2.2: tags of an existing association, 0 otherwise
  VerificationTag peer_tie_tag;
  uint16_t local_port = 0;
  uint16_t peer_port = 0;
  uint16_t outbound_streams = 0;  // already min(our OS, peer MIS)
  uint16_t inbound_streams = 0;   // already min(our MIS, peer OS)
  Capabilities capabilities;
  // The peer's INIT parameters (its addresses among them), copied from its INIT.
  std::vector<uint8_t> peer_init_parameters;

  friend bool operator==(const CookieContents&, const CookieContents&) = default;
};

// Keeps the current and previous secret and signs/verifies cookies.
class CookieSigner {
 public:
  static constexpr size_t kSecretSize = 32;
  static constexpr size_t kMacSize = 32;
  // Larger INIT parameter blocks are refused (the INIT ACK would not fit a packet anyway).
  static constexpr size_t kMaxInitParameters = 4096;

  CookieSigner(std::span<const uint8_t> initial_secret, TimePoint now, Duration rotation);

  // Installs a new secret if the current one is older than the rotation period;
  // `fresh_secret` is only read then (pass fresh random bytes every time).
  bool MaybeRotate(TimePoint now, std::span<const uint8_t> fresh_secret);
  bool NeedsRotation(TimePoint now) const { return now - current_created_ >= rotation_; }

  std::vector<uint8_t> Sign(const CookieContents& contents) const;

  enum class Verdict { kValid, kBadMac, kMalformed, kExpired };
  struct Verified {
    Verdict verdict = Verdict::kMalformed;
    CookieContents contents;
    // §3.3.10.3: how far past its lifetime an expired cookie is.
    Duration staleness{};
  };
  Verified Verify(std::span<const uint8_t> cookie, TimePoint now) const;

 private:
  std::array<uint8_t, kMacSize> Mac(std::span<const uint8_t> key,
                                    std::span<const uint8_t> data) const;

  std::array<uint8_t, kSecretSize> current_{};
  std::array<uint8_t, kSecretSize> previous_{};
  uint32_t generation_ = 1;
  TimePoint current_created_;
  Duration rotation_;
};

}  // namespace sctp::endpoint

#endif  // SCTPCPP_ENDPOINT_STATE_COOKIE_H_

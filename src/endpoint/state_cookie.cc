#include "endpoint/state_cookie.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstring>

#include "wire/byte_io.h"

namespace sctp::endpoint {
namespace {

// Layout (all big-endian): magic(8) generation(4) created_us(8) lifetime_us(8)
// local_tag(4) peer_tag(4) local_tsn(4) peer_tsn(4) peer_rwnd(4) local_tie(4) peer_tie(4)
// local_port(2) peer_port(2) out_streams(2) in_streams(2) caps(2) params_len(2) params(n)
// mac(32).
constexpr uint8_t kMagic[8] = {'s', 'c', 't', 'p', 'c', 'p', 'p', '1'};
constexpr size_t kFixedSize = 8 + 4 + 8 + 8 + 4 * 7 + 2 * 6;

uint16_t CapabilityBits(const Capabilities& c) {
  return static_cast<uint16_t>((c.forward_tsn ? 1 : 0) | (c.interleaving ? 2 : 0) |
                               (c.reconfig ? 4 : 0) | (c.zero_checksum ? 8 : 0));
}

}  // namespace

CookieSigner::CookieSigner(std::span<const uint8_t> initial_secret, TimePoint now,
                           Duration rotation)
    : current_created_(now), rotation_(rotation) {
  std::memcpy(current_.data(), initial_secret.data(), std::min(initial_secret.size(), kSecretSize));
  previous_ = current_;
}

bool CookieSigner::MaybeRotate(TimePoint now, std::span<const uint8_t> fresh_secret) {
  if (!NeedsRotation(now)) return false;
  previous_ = current_;
  current_ = {};
  std::memcpy(current_.data(), fresh_secret.data(), std::min(fresh_secret.size(), kSecretSize));
  current_created_ = now;
  ++generation_;
  return true;
}

std::array<uint8_t, CookieSigner::kMacSize> CookieSigner::Mac(std::span<const uint8_t> key,
                                                              std::span<const uint8_t> data) const {
  std::array<uint8_t, kMacSize> mac{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), mac.data(),
       &length);
  return mac;
}

std::vector<uint8_t> CookieSigner::Sign(const CookieContents& c) const {
  const size_t params = std::min(c.peer_init_parameters.size(), kMaxInitParameters);
  std::vector<uint8_t> out(kFixedSize + params + kMacSize);
  wire::ByteWriter w(out);
  w.Append(kMagic);
  w.U32(generation_);
  const auto created = static_cast<uint64_t>(c.created.time_since_epoch().count());
  const auto lifetime = static_cast<uint64_t>(c.lifetime.count());
  w.U32(static_cast<uint32_t>(created >> 32));
  w.U32(static_cast<uint32_t>(created));
  w.U32(static_cast<uint32_t>(lifetime >> 32));
  w.U32(static_cast<uint32_t>(lifetime));
  w.U32(c.local_tag.value());
  w.U32(c.peer_tag.value());
  w.U32(c.local_initial_tsn.value());
  w.U32(c.peer_initial_tsn.value());
  w.U32(c.peer_rwnd);
  w.U32(c.local_tie_tag.value());
  w.U32(c.peer_tie_tag.value());
  w.U16(c.local_port);
  w.U16(c.peer_port);
  w.U16(c.outbound_streams);
  w.U16(c.inbound_streams);
  w.U16(CapabilityBits(c.capabilities));
  w.U16(static_cast<uint16_t>(params));
  w.Append(std::span<const uint8_t>(c.peer_init_parameters).first(params));
  const auto mac = Mac(current_, w.written());
  w.Append(mac);
  return out;
}

CookieSigner::Verified CookieSigner::Verify(std::span<const uint8_t> cookie, TimePoint now) const {
  Verified result;
  if (cookie.size() < kFixedSize + kMacSize) return result;
  const uint8_t* p = cookie.data();
  if (std::memcmp(p, kMagic, sizeof(kMagic)) != 0) return result;
  const size_t params = wire::Load16(p + kFixedSize - 2);
  if (cookie.size() != kFixedSize + params + kMacSize) return result;

  // §5.1.5 step 1: compute the MAC with the secret the cookie names and compare in
  // constant time (CRYPTO_memcmp) so an attacker learns nothing from timing.
  const uint32_t generation = wire::Load32(p + 8);
  const std::array<uint8_t, kSecretSize>* key = nullptr;
  if (generation == generation_) key = &current_;
  if (generation + 1 == generation_) key = &previous_;
  const std::span<const uint8_t> signed_part = cookie.first(kFixedSize + params);
  if (key == nullptr) {
    result.verdict = Verdict::kBadMac;
    return result;
  }
  const auto mac = Mac(*key, signed_part);
  if (CRYPTO_memcmp(mac.data(), cookie.data() + signed_part.size(), kMacSize) != 0) {
    result.verdict = Verdict::kBadMac;
    return result;
  }

  CookieContents& c = result.contents;
  c.created = TimePoint(Duration(static_cast<int64_t>(wire::Load64(p + 12))));
  c.lifetime = Duration(static_cast<int64_t>(wire::Load64(p + 20)));
  size_t o = 28;
  c.local_tag = VerificationTag(wire::Load32(p + o));
  c.peer_tag = VerificationTag(wire::Load32(p + o + 4));
  c.local_initial_tsn = Tsn(wire::Load32(p + o + 8));
  c.peer_initial_tsn = Tsn(wire::Load32(p + o + 12));
  c.peer_rwnd = wire::Load32(p + o + 16);
  c.local_tie_tag = VerificationTag(wire::Load32(p + o + 20));
  c.peer_tie_tag = VerificationTag(wire::Load32(p + o + 24));
  o += 28;
  c.local_port = wire::Load16(p + o);
  c.peer_port = wire::Load16(p + o + 2);
  c.outbound_streams = wire::Load16(p + o + 4);
  c.inbound_streams = wire::Load16(p + o + 6);
  const uint16_t caps = wire::Load16(p + o + 8);
  c.capabilities = {(caps & 1) != 0, (caps & 2) != 0, (caps & 4) != 0, (caps & 8) != 0};
  c.peer_init_parameters.assign(p + kFixedSize, p + kFixedSize + params);

  // §5.1.5 step 3: a cookie past its lifetime is stale (the caller sends a Stale Cookie
  // error with the staleness).
  const TimePoint expiry = c.created + c.lifetime;
  if (now > expiry) {
    result.verdict = Verdict::kExpired;
    result.staleness = now - expiry;
    return result;
  }
  result.verdict = Verdict::kValid;
  return result;
}

}  // namespace sctp::endpoint

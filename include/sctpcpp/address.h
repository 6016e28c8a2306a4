// A network address as SCTP sees it: IPv4, IPv6, or an opaque AF_CONN handle (a pointer
// value chosen by the application, as in usrsctp's AF_CONN). Ports are not part of an
// Address: an endpoint has one SCTP port, and the UDP encapsulation port is the
// transport's business (RFC 6951).
#ifndef SCTPCPP_ADDRESS_H_
#define SCTPCPP_ADDRESS_H_

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

namespace sctp {

class Address {
 public:
  enum class Family : uint8_t { kNone = 0, kIpv4 = 4, kIpv6 = 6, kConn = 255 };

  constexpr Address() = default;
  static Address Ipv4(const std::array<uint8_t, 4>& bytes) {
    Address a(Family::kIpv4);
    std::memcpy(a.bytes_.data(), bytes.data(), 4);
    return a;
  }
  static Address Ipv6(const std::array<uint8_t, 16>& bytes) {
    Address a(Family::kIpv6);
    a.bytes_ = bytes;
    return a;
  }
  static Address Conn(uintptr_t handle) {
    Address a(Family::kConn);
    std::memcpy(a.bytes_.data(), &handle, sizeof(handle));
    return a;
  }
  // "192.0.2.1", "2001:db8::1"; nullopt for anything else.
  static std::optional<Address> Parse(std::string_view text);

  Family family() const { return family_; }
  bool is_ipv4() const { return family_ == Family::kIpv4; }
  bool is_ipv6() const { return family_ == Family::kIpv6; }
  bool is_conn() const { return family_ == Family::kConn; }
  bool empty() const { return family_ == Family::kNone; }
  // The address bytes: 4 for IPv4, 16 for IPv6, sizeof(uintptr_t) for AF_CONN.
  std::span<const uint8_t> bytes() const {
    switch (family_) {
      case Family::kIpv4:
        return {bytes_.data(), 4};
      case Family::kIpv6:
        return {bytes_.data(), 16};
      case Family::kConn:
        return {bytes_.data(), sizeof(uintptr_t)};
      case Family::kNone:
        break;
    }
    return {};
  }
  uintptr_t conn_handle() const {
    uintptr_t h = 0;
    if (family_ == Family::kConn) std::memcpy(&h, bytes_.data(), sizeof(h));
    return h;
  }
  std::string ToString() const;

  friend auto operator<=>(const Address&, const Address&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const Address& a) {
    return H::combine(std::move(h), a.family_, a.bytes_);
  }
  friend std::ostream& operator<<(std::ostream& os, const Address& a) { return os << a.ToString(); }

 private:
  explicit constexpr Address(Family f) : family_(f) {}
  Family family_ = Family::kNone;
  std::array<uint8_t, 16> bytes_{};
};

}  // namespace sctp

#endif  // SCTPCPP_ADDRESS_H_

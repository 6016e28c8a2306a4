// libFuzzer target: the usrsctp compatibility layer driven through its C API, as usrsctp's
// own OSS-Fuzz targets (fuzzer_connect.c, fuzzer_listen.c) drive usrsctp: nothreads mode,
// AF_CONN, CRC32c offload (inbound checksums are not checked), one socket that either
// connects (the harness answers its INIT with an INIT ACK and a COOKIE ACK) or listens (the
// harness sends INIT, echoes the cookie and accepts), every socket option those targets set,
// then a command stream from the input: packets (chunks with fuzzed fields or raw bytes,
// tag chosen by the input), timer ticks, sendv, recvv, shutdown. The compat sources are
// compiled into this target with SCTPCPP_COMPAT_DETERMINISTIC (reproducible random bytes).
//
// Checked: every setsockopt the usrsctp targets make succeeds; every packet handed to
// conn_output frames with our codec (checksum zeroed by the offload) and comes from our
// port; after closing every socket usrsctp_finish() succeeds (no socket leaks) and the
// stack can be initialised again.
#include <usrsctp.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "fuzz_support.h"
#include "wire/chunk_type.h"
#include "wire/crc32c.h"

namespace sctp::fuzz {
namespace {

constexpr char kName[] = "fuzz_usrsctp_api";
constexpr uint16_t kLocalPort = 5000;
constexpr uint16_t kPeerPort = 5001;
void* const kConn = reinterpret_cast<void*>(1);

uint32_t Load32At(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// What the stack sent, learned in conn_output.
struct Outbox {
  uint32_t local_tag = 0;       // Initiate Tag of our INIT or INIT ACK: inbound packets carry it
  uint32_t local_tsn = 0;       // its initial TSN
  std::vector<uint8_t> cookie;  // the State Cookie of the last INIT ACK we sent
  size_t packets = 0;
};
Outbox g_out;

int ConnOutput(void*, void* buffer, size_t length, uint8_t, uint8_t) {
  std::vector<uint8_t> packet(static_cast<uint8_t*>(buffer),
                              static_cast<uint8_t*>(buffer) + length);
  ++g_out.packets;
  // CRC32c offload: the stack leaves the checksum to the lower layer (zero).
  if (packet.size() >= 12) wire::WriteSctpChecksum(packet);
  if (std::string problem = CheckEmittedPacket(packet, kLocalPort); !problem.empty()) {
    Fail(kName, problem);
  }
  const int type = FirstChunkType(packet);
  if ((type == wire::ChunkType::kInit || type == wire::ChunkType::kInitAck) &&
      packet.size() >= 32) {
    g_out.local_tag = Load32At(&packet[16]);
    g_out.local_tsn = Load32At(&packet[28]);
  }
  for (std::vector<uint8_t>& c : StateCookiesOf(packet))
    g_out.cookie = std::move(c);
  return 0;
}

void Expect(int result, const char* what) {
  if (result < 0) Fail(kName, std::string(what) + " failed: " + std::strerror(errno));
}

// The options usrsctp's connect and listen fuzzers set, each of which must be accepted.
void SetFuzzerSocketOptions(struct socket* so) {
  usrsctp_set_non_blocking(so, 1);
  struct linger linger_off = {1, 0};
  Expect(usrsctp_setsockopt(so, SOL_SOCKET, SO_LINGER, &linger_off, sizeof(linger_off)),
         "SO_LINGER");
  const uint16_t event_types[] = {SCTP_ASSOC_CHANGE,          SCTP_PEER_ADDR_CHANGE,
                                  SCTP_SEND_FAILED_EVENT,     SCTP_REMOTE_ERROR,
                                  SCTP_SHUTDOWN_EVENT,        SCTP_ADAPTATION_INDICATION,
                                  SCTP_PARTIAL_DELIVERY_EVENT};
  for (uint16_t type : event_types) {
    struct sctp_event event;
    std::memset(&event, 0, sizeof(event));
    event.se_assoc_id = SCTP_FUTURE_ASSOC;
    event.se_on = 1;
    event.se_type = type;
    Expect(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_EVENT, &event, sizeof(event)), "SCTP_EVENT");
  }
  int on = 1;
  Expect(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on)),
         "SCTP_RECVRCVINFO");
  Expect(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_RECVNXTINFO, &on, sizeof(on)),
         "SCTP_RECVNXTINFO");
  Expect(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_EXPLICIT_EOR, &on, sizeof(on)),
         "SCTP_EXPLICIT_EOR");
  struct sctp_assoc_value reset;
  std::memset(&reset, 0, sizeof(reset));
  reset.assoc_id = SCTP_ALL_ASSOC;
  reset.assoc_value = SCTP_ENABLE_RESET_STREAM_REQ | SCTP_ENABLE_CHANGE_ASSOC_REQ;
  Expect(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, &reset, sizeof(reset)),
         "SCTP_ENABLE_STREAM_RESET");
  int interleave = 2;
  Expect(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, &interleave,
                            sizeof(interleave)),
         "SCTP_FRAGMENT_INTERLEAVE");
  struct sctp_assoc_value idata;
  std::memset(&idata, 0, sizeof(idata));
  idata.assoc_value = 1;
  Expect(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED, &idata, sizeof(idata)),
         "SCTP_INTERLEAVING_SUPPORTED");
}

struct sockaddr_conn ConnAddress(uint16_t port) {
  struct sockaddr_conn sconn;
  std::memset(&sconn, 0, sizeof(sconn));
  sconn.sconn_family = AF_CONN;
  sconn.sconn_port = htons(port);
  sconn.sconn_addr = kConn;
  return sconn;
}

void Input(const std::vector<uint8_t>& packet) {
  usrsctp_conninput(kConn, packet.data(), packet.size(), 0);
}

std::vector<uint8_t> InitLikeBody(uint32_t tag, uint32_t tsn, std::span<const uint8_t> params) {
  std::vector<uint8_t> body;
  Append32(body, tag);
  Append32(body, 128 * 1024);
  Append16(body, 16);
  Append16(body, 16);
  Append32(body, tsn);
  body.insert(body.end(), params.begin(), params.end());
  return body;
}

class Session {
 public:
  explicit Session(InputReader& in) : in_(in) {}

  void Run() {
    listening_ = in_.ConsumeBool();
    const int stage = in_.ConsumeIntegralInRange<int>(0, 2);  // how far the handshake goes
    socket_ = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, nullptr, nullptr, 0, nullptr);
    if (socket_ == nullptr) Fail(kName, "usrsctp_socket failed");
    SetFuzzerSocketOptions(socket_);
    struct sockaddr_conn local = ConnAddress(kLocalPort);
    Expect(usrsctp_bind(socket_, reinterpret_cast<struct sockaddr*>(&local), sizeof(local)),
           "usrsctp_bind");
    if (listening_) {
      Expect(usrsctp_listen(socket_, 1), "usrsctp_listen");
      if (stage >= 1) PeerSendsInit();
      if (stage >= 2) PeerEchoesCookie();
    } else {
      struct sockaddr_conn peer = ConnAddress(kPeerPort);
      if (usrsctp_connect(socket_, reinterpret_cast<struct sockaddr*>(&peer), sizeof(peer)) < 0 &&
          errno != EINPROGRESS) {
        Fail(kName, "usrsctp_connect failed");
      }
      if (stage >= 1) PeerAnswersInit();
      if (stage >= 2) PeerAcksCookie();
    }
    for (int steps = 0; steps < 48 && in_.remaining_bytes() > 0; ++steps)
      Step();
    if (accepted_ != nullptr) usrsctp_close(accepted_);
    usrsctp_close(socket_);
    usrsctp_handle_timers(10);
  }

 private:
  // Listening: the peer's INIT (tag and TSN fixed, parameters from the input).
  void PeerSendsInit() {
    RawPacket packet(kPeerPort, kLocalPort, 0);
    const std::vector<uint8_t> params = FuzzParameters(in_, 3);
    packet.Chunk(wire::ChunkType::kInit, 0, InitLikeBody(peer_tag_, peer_tsn_, params));
    Input(packet.Finish(false));
  }
  void PeerEchoesCookie() {
    RawPacket packet(kPeerPort, kLocalPort, g_out.local_tag);
    packet.Chunk(wire::ChunkType::kCookieEcho, 0, g_out.cookie);
    Input(packet.Finish(false));
    Accept();
  }
  void Accept() {
    if (accepted_ != nullptr || !listening_) return;
    accepted_ = usrsctp_accept(socket_, nullptr, nullptr);
    if (accepted_ != nullptr) usrsctp_set_non_blocking(accepted_, 1);
  }
  // Connecting: the peer's INIT ACK (cookie and parameters from the input) and COOKIE ACK.
  void PeerAnswersInit() {
    RawPacket packet(kPeerPort, kLocalPort, g_out.local_tag);
    std::vector<uint8_t> params;
    const std::vector<uint8_t> cookie =
        in_.ConsumeBytes<uint8_t>(in_.ConsumeIntegralInRange<size_t>(0, 64));
    Append16(params, wire::ParameterType::kStateCookie);
    Append16(params, static_cast<uint16_t>(4 + cookie.size()));
    params.insert(params.end(), cookie.begin(), cookie.end());
    while (params.size() % 4 != 0)
      params.push_back(0);
    const std::vector<uint8_t> more = FuzzParameters(in_, 3);
    params.insert(params.end(), more.begin(), more.end());
    packet.Chunk(wire::ChunkType::kInitAck, 0, InitLikeBody(peer_tag_, peer_tsn_, params));
    Input(packet.Finish(false));
  }
  void PeerAcksCookie() {
    RawPacket packet(kPeerPort, kLocalPort, g_out.local_tag);
    packet.Chunk(wire::ChunkType::kCookieAck, 0, {});
    Input(packet.Finish(false));
  }

  struct socket* Connected() {
    return listening_ ? accepted_ : socket_;
  }

  void InjectPacket() {
    uint32_t tag = g_out.local_tag;
    switch (in_.ConsumeIntegralInRange<int>(0, 7)) {
      case 0:
        tag = in_.ConsumeIntegral<uint32_t>();
        break;
      case 1:
        tag = 0;
        break;
      case 2:
        tag = peer_tag_;
        break;
      default:
        break;
    }
    RawPacket packet(
        in_.ConsumeIntegralInRange<int>(0, 15) == 0 ? in_.ConsumeIntegral<uint16_t>() : kPeerPort,
        kLocalPort, tag);
    if (in_.ConsumeBool()) {
      packet.Raw(in_.ConsumeBytes<uint8_t>(in_.ConsumeIntegralInRange<size_t>(0, 1500)));
    } else {
      for (int chunks = in_.ConsumeIntegralInRange<int>(1, 3); chunks > 0; --chunks) {
        const uint8_t type = PickChunkType(in_);
        const uint8_t flags = in_.ConsumeIntegral<uint8_t>();
        std::vector<uint8_t> body;
        if (type == wire::ChunkType::kData || type == wire::ChunkType::kIData) {
          Append32(body, peer_tsn_ + in_.ConsumeIntegralInRange<uint32_t>(0, 40) - 4);
          Append16(body, in_.ConsumeIntegralInRange<uint16_t>(0, 20));
          Append16(body, in_.ConsumeIntegral<uint16_t>());
          Append32(body, in_.ConsumeIntegral<uint32_t>());
          if (type == wire::ChunkType::kIData) Append32(body, in_.ConsumeIntegral<uint32_t>());
          body.resize(body.size() + in_.ConsumeIntegralInRange<size_t>(0, 1000), 0x41);
        } else if (type == wire::ChunkType::kSack) {
          Append32(body, g_out.local_tsn + in_.ConsumeIntegralInRange<uint32_t>(0, 40) - 4);
          Append32(body, in_.ConsumeIntegral<uint32_t>());
          const uint16_t gaps = in_.ConsumeIntegralInRange<uint16_t>(0, 8);
          Append16(body, gaps);
          Append16(body, 0);
          for (int i = 0; i < gaps; ++i)
            Append32(body, in_.ConsumeIntegral<uint32_t>());
        } else if (type == wire::ChunkType::kInit || type == wire::ChunkType::kInitAck) {
          body = InitLikeBody(in_.ConsumeIntegral<uint32_t>(), in_.ConsumeIntegral<uint32_t>(),
                              FuzzParameters(in_, 3));
        } else {
          body = in_.ConsumeBytes<uint8_t>(in_.ConsumeIntegralInRange<size_t>(0, 64));
        }
        packet.Chunk(type, flags, body);
      }
    }
    Input(packet.Finish(false));
  }

  void Step() {
    switch (in_.ConsumeIntegralInRange<int>(0, 7)) {
      case 0:
      case 1:
      case 2:
        InjectPacket();
        break;
      case 3:
        usrsctp_handle_timers(in_.ConsumeBool() ? in_.ConsumeIntegralInRange<uint32_t>(0, 1000)
                                                : in_.ConsumeIntegralInRange<uint32_t>(0, 60000));
        break;
      case 4:
        if (struct socket* so = Connected()) {
          std::vector<uint8_t> data(in_.ConsumeIntegralInRange<size_t>(0, 4000), 0x5a);
          struct sctp_sndinfo info;
          std::memset(&info, 0, sizeof(info));
          info.snd_sid = in_.ConsumeIntegralInRange<uint16_t>(0, 20);
          info.snd_flags = in_.ConsumeBool() ? SCTP_EOR : 0;
          if (in_.ConsumeBool()) info.snd_flags |= SCTP_UNORDERED;
          usrsctp_sendv(so, data.data(), data.size(), nullptr, 0, &info, sizeof(info),
                        SCTP_SENDV_SNDINFO, 0);
        }
        break;
      case 5:
        if (struct socket* so = Connected()) {
          for (int reads = 0; reads < 16; ++reads) {
            std::vector<uint8_t> buffer(in_.ConsumeBool() ? 64 : 8192);
            struct sctp_recvv_rn rn;
            socklen_t info_len = sizeof(rn);
            unsigned int info_type = 0;
            int flags = 0;
            if (usrsctp_recvv(so, buffer.data(), buffer.size(), nullptr, nullptr, &rn, &info_len,
                              &info_type, &flags) <= 0) {
              break;
            }
          }
        }
        Accept();
        break;
      case 6:
        if (struct socket* so = Connected()) usrsctp_shutdown(so, SHUT_WR);
        break;
      case 7: {  // status, as applications poll it
        if (struct socket* so = Connected()) {
          struct sctp_status status;
          socklen_t len = sizeof(status);
          usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_STATUS, &status, &len);
        }
        break;
      }
    }
  }

  InputReader& in_;
  bool listening_ = false;
  struct socket* socket_ = nullptr;
  struct socket* accepted_ = nullptr;
  const uint32_t peer_tag_ = 0x0a0b0c0d;
  const uint32_t peer_tsn_ = 0x11223344;
};

}  // namespace
}  // namespace sctp::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sctp::fuzz;
  g_out = Outbox{};
  usrsctp_init_nothreads(0, ConnOutput, nullptr);
  usrsctp_enable_crc32c_offload();
  usrsctp_register_address(kConn);
  InputReader in(std::span<const uint8_t>(data, size));
  Session(in).Run();
  usrsctp_deregister_address(kConn);
  if (usrsctp_finish() != 0) Fail(kName, "usrsctp_finish failed after every socket was closed");
  return 0;
}

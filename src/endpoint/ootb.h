// RFC 9260 §8.4: what to send back for an "out of the blue" packet (no association matches).
// Shared by sctp::Endpoint and by the usrsctp compatibility layer, which also answers
// packets for ports no endpoint is bound to.
#ifndef SCTPCPP_ENDPOINT_OOTB_H_
#define SCTPCPP_ENDPOINT_OOTB_H_

#include <cstdint>
#include <vector>

#include "wire/packet.h"

namespace sctp::endpoint {

// The complete reply packet (ports swapped, checksum written), or empty when §8.4 forbids a
// reply. A packet whose first chunk is INIT is answered with ABORT carrying the INIT's
// Initiate Tag and the T bit clear (rule 3) — for a receiver that cannot process it.
std::vector<uint8_t> OutOfTheBlueReply(const wire::PacketView& packet);

}  // namespace sctp::endpoint

#endif  // SCTPCPP_ENDPOINT_OOTB_H_

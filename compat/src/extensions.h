// Socket options and notifications of the SCTP extensions (stream reset, PR-SCTP, I-DATA,
// schedulers, zero checksum) for the usrsctp API; see extensions.cc.
#ifndef SCTPCPP_COMPAT_EXTENSIONS_H_
#define SCTPCPP_COMPAT_EXTENSIONS_H_

#include <optional>
#include <vector>

#include "stack.h"

namespace sctp::compat {

// The socket's extension settings as engine options (for new associations).
void ApplyExtensionOptions(const struct ::socket* so, Options* o);
// usrsctp_setsockopt / getsockopt for the extensions' options: the return value, or nullopt
// when `name` is not one of them.
std::optional<int> SetExtensionOption(struct ::socket* so, int name, const void* value,
                                      socklen_t len);
std::optional<int> GetExtensionOption(struct ::socket* so, int name, void* value, socklen_t* len);
// RFC 6525 §6.1.1 / §6.1.3 notification bodies.
std::vector<uint8_t> StreamResetNotification(AssociationId id, const events::StreamReset& e);
std::vector<uint8_t> StreamChangeNotification(AssociationId id, const events::StreamChange& e);
std::vector<uint8_t> AssociationResetNotification(AssociationId id,
                                                  const events::AssociationReset& e);
// sctp_prinfo / sctp_default_prinfo policy and value onto the engine's SendOptions.
void ApplyPrPolicy(uint16_t policy, uint32_t value, SendOptions* options);

}  // namespace sctp::compat

#endif  // SCTPCPP_COMPAT_EXTENSIONS_H_

// Seed inputs for the stateful fuzz targets: command streams written with InputWriter in the
// exact order the harnesses read them (keep in step with the harness when it changes).
#ifndef SCTPCPP_FUZZ_SEED_STREAMS_H_
#define SCTPCPP_FUZZ_SEED_STREAMS_H_

#include <string>

namespace sctp::fuzz {

void WriteListenSeeds(const std::string& dir);
void WriteConnectSeeds(const std::string& dir);
void WriteAssociationSeeds(const std::string& dir);
void WriteUsrsctpApiSeeds(const std::string& dir);

}  // namespace sctp::fuzz

#endif  // SCTPCPP_FUZZ_SEED_STREAMS_H_

// The console's `http show latency` and `http reset latency` (sorceryd extensions): how long the
// HTTP server took over requests, from histograms the server records into.
#pragma once

#include <string>
#include <vector>

#include "cli/command_registry.h"
#include "util/latency_histogram.h"

namespace cli {

struct LatencyRow {
  std::string name;                     // first column, e.g. "GET"
  util::LatencyHistogram* histogram;    // must outlive the registry
};

// Registers both commands over `rows`, printed in that order. Output of `http show latency`:
//
//   Time in the server per request, in ms: from the request read in full to the response handed
//   to the kernel (since the start or `http reset latency`; percentiles are upper bounds within
//   12.5 %)
//   Requests                Count      Mean       p50       p90       p99     p99.9       Max
//   GET                     12345     0.031     0.030 ...
//   ...
//   Storage commit wait       678     ...
void RegisterLatencyCommands(CommandRegistry& registry, std::vector<LatencyRow> rows);

// The table `http show latency` prints (exposed for tests).
std::string FormatLatency(const std::vector<LatencyRow>& rows);

}  // namespace cli

#include "cli/latency_commands.h"

#include <cstdio>

namespace cli {

namespace {

constexpr const char* kShowUsage =
    "Usage: http show latency\n"
    "       Shows how long the HTTP server took over requests since the start (or the last\n"
    "       'http reset latency'), by method: count, mean and percentiles in milliseconds, from\n"
    "       the moment a request has been read in full to the moment its response has been\n"
    "       handed to the kernel, and how much of that was spent waiting for storage commits.\n";
constexpr const char* kResetUsage =
    "Usage: http reset latency\n"
    "       Empties the histograms 'http show latency' reports.\n";

void AppendRow(std::string& out, const std::string& name, const util::LatencyHistogram::Snapshot& s) {
  auto ms = [](uint64_t us) { return static_cast<double>(us) / 1000.0; };
  char buf[160];
  if (s.count == 0) {
    std::snprintf(buf, sizeof buf, "%-20s %10d %9s %9s %9s %9s %9s %9s\n", name.c_str(), 0, "-", "-", "-", "-", "-", "-");
  } else {
    std::snprintf(buf, sizeof buf, "%-20s %10llu %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f\n", name.c_str(),
                  static_cast<unsigned long long>(s.count), ms(s.sum_us) / static_cast<double>(s.count),
                  ms(s.Quantile(0.5)), ms(s.Quantile(0.9)), ms(s.Quantile(0.99)), ms(s.Quantile(0.999)),
                  ms(s.max_us));
  }
  out += buf;
}

}  // namespace

std::string FormatLatency(const std::vector<LatencyRow>& rows) {
  std::string out =
      "Time in the server per request, in ms: from the request read in full to the response handed\n"
      "to the kernel (since the start or 'http reset latency'; percentiles are upper bounds within\n"
      "12.5 %)\n";
  char head[160];
  std::snprintf(head, sizeof head, "%-20s %10s %9s %9s %9s %9s %9s %9s\n", "Requests", "Count", "Mean", "p50",
                "p90", "p99", "p99.9", "Max");
  out += head;
  for (const LatencyRow& row : rows) AppendRow(out, row.name, row.histogram->Take());
  return out;
}

void RegisterLatencyCommands(CommandRegistry& registry, std::vector<LatencyRow> rows) {
  registry.Add({"http", "show", "latency"}, kShowUsage, [rows](Invocation& inv) {
    if (inv.args.size() != 3) return false;
    inv.out += FormatLatency(rows);
    return true;
  });
  registry.Add({"http", "reset", "latency"}, kResetUsage, [rows](Invocation& inv) {
    if (inv.args.size() != 3) return false;
    for (const LatencyRow& row : rows) row.histogram->Reset();
    inv.out += "Request latency histograms emptied.\n";
    return true;
  });
}

}  // namespace cli

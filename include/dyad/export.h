// Exports from the store: `dyad export --format gdelt|phoenix|jsonl|csv`.
//
//   auto store = dyad::Store::Open("out/dyad.db").value();
//   dyad::ExportOptions options{.format = dyad::ExportFormat::kGdelt};
//   options.query.actor_a = "UZB"; options.query.actor_b = "RUS";
//   dyad::ExportStats stats;
//   dyad::Status s = dyad::ExportEvents(*store, options, std::cout, &stats);
//
// Events are counted once per story: all stored events of one story with
// the same (source, target, code) become one row, with GDELT-style
// NumMentions (events), NumArticles (documents) and NumSources (distinct
// outlets). The row's date is the earliest document date in the group and
// its evidence that of the first mention. `all_mentions` writes every stored
// event instead (jsonl and csv only).
//
// The formats, their columns and the decisions behind them (actor-code
// splitting, PentaClass, IsRootEvent, country-level geography) are in
// docs/exports.md. Everything here is stateless and thread-safe; the country
// table is immutable and the returned pointers live as long as the program.
#ifndef DYAD_EXPORT_H_
#define DYAD_EXPORT_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/status.h"
#include "dyad/store.h"

namespace dyad {

enum class ExportFormat { kGdelt, kPhoenix, kJsonl, kCsv };
// "gdelt", "phoenix", "jsonl" or "csv" (any case); false for anything else.
bool ParseExportFormat(std::string_view name, ExportFormat* format);

struct ExportOptions {
  ExportFormat format = ExportFormat::kJsonl;
  EventQuery query;
  // A header row. Unset = the format's own convention: csv and phoenix have
  // one, gdelt has none (GDELT files do not); jsonl never has one.
  std::optional<bool> header;
  bool all_mentions = false;   // one row per stored event (jsonl, csv only)
};

struct ExportStats {
  std::int64_t events_read = 0;   // stored events matched
  std::int64_t rows_written = 0;  // story-level rows (or events with all_mentions)
};

// Writes the events matching options.query to `out`, reading them only
// through Store::QueryEvents. Returns InvalidArgument for all_mentions with
// gdelt or phoenix, the store's error if the query fails, IoError if `out`
// fails. `stats` may be null.
Status ExportEvents(Store& store, const ExportOptions& options, std::ostream& out,
                    ExportStats* stats);

// The 61 column names of the GDELT 2.0 event table, in order.
const std::vector<std::string>& GdeltColumns();

// Country facts for CAMEO country codes (data/countries.tsv, compiled in).
struct CountryInfo {
  std::string cameo;   // "UZB"
  std::string fips;    // FIPS 10-4, as GDELT's geography fields use: "UZ"
  std::string iso2;    // "UZ"
  std::string name;    // "Uzbekistan"
  double lat = 0, lon = 0;   // approximate centroid
  bool has_centroid = false;
};
// The country of an actor code ("UZBGOV" -> UZB), nullptr when the code
// does not start with a country: "IGOUNO", "---GOV", "", and CAMEO region
// codes ("MEAREB") give nullptr.
const CountryInfo* CountryOfActor(std::string_view actor_code);

}  // namespace dyad

#endif  // DYAD_EXPORT_H_

// The ingest pipeline: read → clean → de-duplicate → group into stories →
// code → store. `dyad ingest` and `dyad recode` are thin front ends on it.
//
//   auto store = dyad::Store::Open("out/dyad.db").value();
//   dyad::IngestOptions options;
//   dyad::IngestReport report = dyad::Ingest(*store, pipeline, {"news/"}, options);
//
// Nothing lost, nothing doubled: documents are keyed by a content hash, so
// ingesting the same input twice adds nothing; documents are written in
// batches, each one transaction, and a file is marked done only after all
// of its documents are stored, so a run killed at any point and started
// again ends with the same store as an uninterrupted run.
#ifndef DYAD_INGEST_H_
#define DYAD_INGEST_H_

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/coder.h"
#include "dyad/readers.h"
#include "dyad/status.h"
#include "dyad/store.h"

namespace dyad {

// --- Cleaning ---

struct CleanResult {
  std::string text;               // NFC-normalised, one space between words,
                                  // paragraphs separated by "\n\n"
  int paragraphs_dropped = 0;     // repeats of an earlier paragraph
};
// Unicode NFC, control characters and odd spaces removed, whitespace runs
// collapsed, and a paragraph that repeats an earlier one in the same
// document (the seed article holds its text twice) kept once.
CleanResult CleanText(std::string_view utf8);

// 128-bit XXH3 of URL, outlet, title (and, when there is no URL, the
// source's id and the date) and the cleaned text, as 32 hex digits: the
// document key.
std::string ContentHash(const RawDocument& doc, std::string_view clean_text);

// --- Stories: near-duplicate documents grouped with MinHash + LSH ---

// A document's MinHash signature over word 3-gram shingles (case folded,
// punctuation dropped): kMinHashes 16-bit minima, as opaque bytes. The
// share of equal positions in two signatures estimates the Jaccard
// similarity of their shingle sets: reposts and lightly edited copies
// score 0.6-0.9, different articles on the same topic under 0.1.
// "" for texts with fewer than kMinShingles shingles (too short to tell).
inline constexpr int kMinHashes = 60;
inline constexpr int kMinHashBands = 20;     // 20 bands of 3 rows
inline constexpr int kMinShingles = 5;
std::string StorySignature(std::string_view text);
// Estimated Jaccard similarity of two signatures, 0 when either is "".
double SignatureSimilarity(std::string_view a, std::string_view b);

// Groups documents into stories. Locality-sensitive hashing: a signature is
// cut into 20 bands of 3 values and each band is a key in one hash table,
// so a lookup touches only documents sharing a whole band (a pair at
// similarity 0.5 shares one with probability 0.93, at 0.1 with 0.02)
// instead of every stored document; candidates are then confirmed by
// their estimated similarity. Memory is about 0.75 KB per document
// (737 MB for a million, `bench/ingest`).
class StoryIndex {
 public:
  explicit StoryIndex(double min_similarity = 0.5);
  ~StoryIndex();
  StoryIndex(StoryIndex&&) noexcept;
  StoryIndex& operator=(StoryIndex&&) noexcept;

  // The story of the most similar indexed document at or above
  // min_similarity, else `own_key` (the document starts a story).
  std::string Assign(std::string_view signature, const std::string& own_key) const;
  void Add(std::string_view signature, const std::string& story_key);
  std::size_t size() const;  // indexed documents (with a signature)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// --- The pipeline ---

// What codes documents: the coder and the fingerprint of its dictionary,
// stored with every coded document so `dyad recode` knows what is stale.
struct CodingSetup {
  std::shared_ptr<const Coder> coder;
  std::string coder_version;
  // Languages the coder can read; other documents are stored, marked with
  // their language, and not coded. "" (undetermined) is coded as English.
  std::vector<std::string> languages = {"en"};
};
// Loads the dictionaries in `dict_dir` and fingerprints them (file names and
// contents) into coder_version.
Result<CodingSetup> LoadCodingSetup(const std::string& dict_dir, CoderOptions options = {});
// The same with the user dictionary `user_dict` read on top, its entries
// winning ("" or a file that does not exist yet: none; docs/corrections.md).
// Its content, when not empty, is part of coder_version, so `dyad recode`
// re-codes what a user edit may change.
Result<CodingSetup> LoadCodingSetup(const std::string& dict_dir, CoderOptions options,
                                    const std::string& user_dict);
// Where a store's user dictionary is when neither --user-dict nor
// $DYAD_USER_DICT names one: beside a SQLite store, "<file>.user-dict.txt"
// (dyad.db -> dyad.db.user-dict.txt); "" for PostgreSQL and ":memory:",
// which have no place beside them. `dyad ingest`, `recode` and `serve` use
// it, so corrections made in the dashboard survive a re-code.
std::string StoreUserDictionaryPath(const std::string& store_url);

struct IngestOptions {
  ReaderOptions reader;
  int threads = 0;                  // 0 = all cores
  std::size_t batch_documents = 512;
  double story_similarity = 0.5;    // estimated Jaccard to join a story; > 1 = never
  bool skip_done_files = true;      // skip files already read to the end, unread
  bool progress = false;            // redraw a progress line on `progress_out`
  std::string command;              // recorded in the runs table
};

struct IngestReport {
  RunSummary summary;
  std::vector<ReaderError> errors;  // every bad file and record, in input order
  std::int64_t files_skipped = 0;   // already done in an earlier run
  std::int64_t bytes = 0;           // input bytes of the files read
  std::int64_t stories_new = 0;
  std::int64_t paragraphs_dropped = 0;
  std::int64_t not_coded = 0;       // stored but in a language without a coder
  double seconds = 0;
  Status status;                    // non-OK only when the store failed
};

// Reads `paths` (files, directories, "-") into the store. Bad inputs are
// reported in the report and the run goes on; a store failure stops it.
IngestReport Ingest(Store& store, const CodingSetup& setup,
                    const std::vector<std::string>& paths, const IngestOptions& options,
                    std::ostream* progress_out = nullptr);

struct RecodeReport {
  std::int64_t documents = 0, recoded = 0, unchanged = 0, events_after = 0;
  double seconds = 0;
  Status status;
};
// Codes again every stored document whose coder_version differs from
// setup.coder_version (all of them with `force`), replacing each
// document's events atomically.
RecodeReport Recode(Store& store, const CodingSetup& setup, bool force, int threads = 0);

}  // namespace dyad

#endif  // DYAD_INGEST_H_

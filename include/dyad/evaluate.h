// Measuring the coder: PETRARCH-style validation files and our JSON Lines
// gold standard.
//
//   auto report = dyad::RunValidation("PETR.UnitTest.records.xml", "", &std::cout);
//   std::cout << report->passed << " passed, " << report->failed << " failed\n";
//
//   auto scores = dyad::Evaluate(*coder, "testdata/eval/dev.jsonl", &std::cout);
#ifndef DYAD_EVALUATE_H_
#define DYAD_EVALUATE_H_

#include <map>
#include <ostream>
#include <string>

#include "dyad/coder.h"
#include "dyad/status.h"

namespace dyad {

struct CategoryCount {
  int passed = 0;
  int failed = 0;
};

struct ValidationReport {
  int passed = 0;
  int failed = 0;
  int skipped = 0;  // records that test parse-tree input, which dyad does not read
  std::map<std::string, CategoryCount> categories;
};

// Runs every <Sentence> of a PETRARCH validation file. Dictionaries named
// in its <Environment> are looked for in `dict_dir` (if not empty), then
// beside the file. Failures are written to `log` (may be null).
Result<ValidationReport> RunValidation(const std::string& xml_path, const std::string& dict_dir,
                                       std::ostream* log);

struct Prf {
  int true_positives = 0;
  int false_positives = 0;
  int false_negatives = 0;
  double precision() const;
  double recall() const;
  double f1() const;
};

struct LanguageScores {
  int sentences = 0;
  Prf root;
  Prf exact;
};

struct EvalReport {
  int sentences = 0;
  int gold_events = 0;
  int coded_events = 0;
  Prf root;        // source country, target country and root agree
  Prf exact;       // ... and the full event code
  int matched_with_source_role = 0;  // of root matches, full source code equal
  int matched_with_target_role = 0;
  std::map<std::string, Prf> by_root;  // by gold/coded root
  // By the language each record was coded as (Coder::LanguageOf): "en", "ru".
  std::map<std::string, LanguageScores> by_language = {};
};

// Codes each record of a gold JSON Lines file ({"id","date","text",
// "events":[{"source","target","code"}]}) and scores the result. Mismatches
// are written to `log` when not null. A record's "lang" is its document's
// language; `language`, when not empty, overrides it for every record.
Result<EvalReport> Evaluate(const Coder& coder, const std::string& gold_path, std::ostream* log,
                            const std::string& language = "");

// Country part of an actor code: "RUSCOP" -> "RUS", "IGOUNOHCR" -> "IGOUNO".
std::string CountryOf(const std::string& actor_code);

}  // namespace dyad

#endif  // DYAD_EVALUATE_H_

// Corrections: a user marks a stored event wrong or adds an actor or a verb
// phrase; the edit goes into the user dictionary file (docs/corrections.md)
// and the documents it affects are re-coded in the store.
//
//   auto corrector = dyad::Corrector::Create(store.get(), "data/dict",
//                                            "dyad.db.user-dict.txt").value();
//   auto c = dyad::ParseCorrection(R"({"kind":"verb","phrase":"ROUNDED UP","code":"173"})");
//   dyad::CorrectionDiff diff = corrector->Preview(*c).value();    // writes nothing
//   dyad::AppliedCorrection done = corrector->Apply(*c, "alice").value();
//   corrector->Revert(done.record.id, "alice");                    // undoes it
//
// Every Apply and Revert is one row of the store's activity log
// (Store::ListCorrections) whose payload holds what is needed to undo it.
// The user dictionary is written atomically (a temporary file renamed over
// it) and read again before each correction, so hand edits between
// corrections are kept.
//
// Thread-safety: Preview, Apply and Revert must not run concurrently with
// each other (the server holds one mutex around them) and use the Store
// given to Create, which is used by one thread at a time. coder() and
// coder_version() may be called from any thread at any time.
#ifndef DYAD_CORRECTIONS_H_
#define DYAD_CORRECTIONS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "dyad/coder.h"
#include "dyad/status.h"
#include "dyad/store.h"

namespace dyad {

enum class CorrectionKind : std::uint8_t {
  kEventWrong,  // drop one stored event (a suppression in the user dictionary)
  kActor,       // phrase -> actor code ("UZBEK LABOUR MIGRANTS" -> UZBLAB)
  kVerb,        // verb phrase -> CAMEO event code ("ROUNDED UP" -> 173)
};

// "event_wrong", "actor", "verb".
std::string_view CorrectionKindName(CorrectionKind kind);

// One correction as a user asks for it (the body of POST /api/corrections).
struct Correction {
  CorrectionKind kind = CorrectionKind::kEventWrong;
  std::int64_t event_id = 0;   // event_wrong
  std::string phrase;          // actor, verb: the words as they appear in news text
  std::string code;            // actor: actor code; verb: CAMEO event code
  std::string note;            // free text for the log and the file's comment
};

// {"kind":"event_wrong","event_id":17,"note":"..."}
// {"kind":"actor","phrase":"UZBEK LABOUR MIGRANTS","code":"UZBLAB","note":"..."}
// {"kind":"verb","phrase":"ROUNDED UP","code":"173","note":"..."}
// InvalidArgument naming the field for anything else (unknown kind, wrong
// types, missing fields). Content (code in the CAMEO table, event exists)
// is checked by Preview/Apply.
Result<Correction> ParseCorrection(const nlohmann::json& body);
Result<Correction> ParseCorrection(std::string_view json_text);

// What a correction changes in the store. Rows are store-style: removed
// and updated rows carry their event ids; added rows carry event_id 0 in a
// preview and their new ids after Apply/Revert. Every row has its
// document_id, story_id, url, outlet and title.
struct CorrectionDiff {
  std::vector<std::int64_t> documents;   // documents re-coded (or to be), ascending
  std::vector<EventRow> added;
  std::vector<EventRow> removed;         // as stored before
  std::vector<EventRow> updated;         // same id, new evidence (as after)
  // More candidate sentences matched than Options::max_documents allowed;
  // the rest are re-coded by the next `dyad recode`.
  bool truncated = false;
  std::int64_t events_altered() const {
    return static_cast<std::int64_t>(added.size() + removed.size() + updated.size());
  }
};

struct AppliedCorrection {
  CorrectionRecord record;   // the activity log row, with its id
  CorrectionDiff diff;
};

class Corrector {
 public:
  struct Options {
    CoderOptions coder;            // as LoadCodingSetup's
    int max_documents = 5000;      // documents re-coded per correction at most
  };

  // `store` is written to (ReplaceEvents, AddCorrection) and must outlive
  // the Corrector. `user_dict` is the user dictionary file; it need not
  // exist yet (it is created by the first correction). A malformed user
  // dictionary is InvalidArgument naming file:line; an empty `user_dict`
  // is InvalidArgument.
  static Result<std::unique_ptr<Corrector>> Create(Store* store, const std::string& dict_dir,
                                                   const std::string& user_dict);
  static Result<std::unique_ptr<Corrector>> Create(Store* store, const std::string& dict_dir,
                                                   const std::string& user_dict,
                                                   const Options& options);
  ~Corrector();
  Corrector(const Corrector&) = delete;
  Corrector& operator=(const Corrector&) = delete;

  // What applying `correction` would change; writes nothing. Candidates:
  // for an actor or verb, the stored sentences the full-text index finds
  // for the phrase (every inflected form of a verb); for event_wrong, the
  // event's document and any other document with the same sentence.
  // InvalidArgument for bad input (unknown event, empty phrase, code not
  // in the CAMEO table, badly shaped actor code).
  Result<CorrectionDiff> Preview(const Correction& correction);

  // Writes the user dictionary, re-codes the affected documents
  // (Store::ReplaceEvents with the new coder_version) and records the
  // correction in the activity log (holder, summary, events_altered).
  Result<AppliedCorrection> Apply(const Correction& correction, const std::string& holder);

  // Undoes correction `id`: its user dictionary entry goes back to what it
  // was before, the same documents (and any new ones with the phrase) are
  // re-coded, and a "revert" row with `reverts` = id is logged. NotFound for
  // an unknown id; InvalidArgument when it was already reverted, is itself a
  // revert, or its entry was changed since by a later correction or by hand.
  Result<AppliedCorrection> Revert(std::int64_t id, const std::string& holder);

  // The current coder (defaults + user dictionary), for /api/explain, and
  // its fingerprint. Safe from any thread; the coder stays valid as long as
  // the caller holds the pointer.
  std::shared_ptr<const Coder> coder() const;
  std::string coder_version() const;
  const std::string& user_dictionary_path() const;

  struct Impl;

 private:
  explicit Corrector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dyad

#endif  // DYAD_CORRECTIONS_H_

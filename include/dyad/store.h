// The event store: documents, sentences, stories, events, actors and runs.
//
//   auto store = dyad::Store::Open("out/dyad.db").value();          // SQLite
//   auto pg = dyad::Store::Open("postgresql://localhost/dyad").value();
//
// One interface, two back ends with the same schema and behaviour: SQLite
// (one file, WAL, foreign keys, FTS5 over sentences) and PostgreSQL
// (libpqxx, tsvector full-text index). Open() creates the schema or
// migrates an older one (versioned migrations, recorded in
// schema_migrations). Every write method is one transaction: a failed or
// killed run leaves the store as it was before that call.
//
// A Store is used from one thread at a time.
#ifndef DYAD_STORE_H_
#define DYAD_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dyad/coder.h"
#include "dyad/status.h"

namespace dyad {

struct StoredSentence {
  std::uint32_t index = 0;   // 0-based position in the document
  std::uint32_t begin = 0;   // byte offsets into StoredDocument::text
  std::uint32_t end = 0;
};

struct StoredDocument {
  std::int64_t id = 0;          // assigned by the store
  std::string content_hash;     // 32 lowercase hex digits; unique in the store
  std::string origin;           // "path", "path:line", "path#item 3"
  std::string format;           // reader that produced it: "html", "jsonl", ...
  std::string external_id;
  std::string title;
  std::string url;
  std::string source;           // outlet / channel
  std::string date;             // YYYY-MM-DD or ""
  std::string date_origin;      // "metadata", "text", "unknown"
  std::string lang;             // ISO 639-1 or ""
  std::string encoding;         // original encoding when converted, else ""
  std::string text;             // cleaned UTF-8 text
  // MinHash signature of the text (StorySignature in dyad/ingest.h),
  // opaque bytes; "" for documents too short to compare.
  std::string signature;
  // The story is named by the content hash of its first document, so story
  // assignment does not depend on row ids.
  std::string story_key;
  std::string coder_version;    // dictionary fingerprint that coded it; "" = not coded
  std::int64_t story_id = 0;    // filled when read back
};

// What one ingested document adds to the store.
struct DocumentRecord {
  StoredDocument document;
  std::vector<StoredSentence> sentences;
  std::vector<Event> events;    // Event::doc_id is ignored; the store links them
};

// A file that was read to the end, so a later run can skip it unread.
struct FileMark {
  std::string path;
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t documents = 0;   // documents it yielded (new or already stored)
};

struct RunSummary {
  std::string status;           // "ok", "failed" (some inputs bad), "interrupted"
  std::int64_t files = 0, documents_read = 0, documents_added = 0, duplicates = 0,
               errors = 0, sentences = 0, events = 0;
};

struct StoreCounts {
  std::int64_t documents = 0, sentences = 0, stories = 0, events = 0, actors = 0, runs = 0;
};

struct EventQuery {
  std::string from, to;         // YYYY-MM-DD, inclusive; "" = open
  // Dyad "UZB-RUS": events between the two countries' actors (code
  // prefixes), in both directions unless `directed`.
  std::string actor_a, actor_b;
  bool directed = false;
  std::string code_prefix;      // "17" = root 17 and its children
  std::int64_t limit = -1;      // -1 = all
};

// One stored event with what exports and the monitor need about its document.
struct EventRow {
  std::int64_t event_id = 0;
  std::int64_t document_id = 0;
  std::int64_t story_id = 0;
  Event event;                  // event.doc_id holds the document's external id or origin
  std::string url, outlet, title;
  std::string date_added;       // YYYYMMDDHHMMSS (UTC) of the run that stored it
  std::string actor1_name, actor2_name;  // from the actors table, "" if unknown
};

struct SentenceHit {
  std::int64_t document_id = 0;
  std::uint32_t index = 0;
  std::string text;
};

// A stored document to re-code: its text and the sentences' events go back
// through the coder, then ReplaceEvents() swaps them in atomically.
struct RecodeItem {
  std::int64_t document_id = 0;
  std::string external_id, date, url, title, source, lang, text, coder_version;
};

// The compact facts the monitor keeps in memory for every event and document
// (dyad/monitor.h), read in id order.
struct EventFact {
  std::int64_t event_id = 0;
  std::int64_t document_id = 0;
  std::int64_t story_id = 0;
  std::uint32_t sentence_index = 0;   // within its document
  std::string date;             // YYYY-MM-DD or ""
  std::string source, target, code;
  int quad_class = 0;
  double goldstein = 0;
  bool has_goldstein = false;
};

struct DocumentFact {
  std::int64_t document_id = 0;
  std::int64_t story_id = 0;
  std::string date;             // YYYY-MM-DD or ""
  std::string outlet;           // documents.source
};

// One entry of the change feed: every insert, update and delete of an event
// row, numbered by a sequence that only grows.
struct EventChange {
  std::int64_t seq = 0;
  std::int64_t event_id = 0;
  std::int64_t document_id = 0;
  std::string kind;             // "added", "updated", "deleted"
  std::string at;               // ISO 8601 UTC
};

// A stored document with its sentences, for the dashboard's document view.
struct DocumentView {
  StoredDocument document;
  std::vector<StoredSentence> sentences;
  std::vector<std::string> sentence_texts;   // parallel to sentences
};

// One row of the corrections activity log.
struct CorrectionRecord {
  std::int64_t id = 0;          // assigned by the store
  std::string at;               // ISO 8601 UTC, set by the store
  std::string holder;           // who made it (the token holder's name)
  std::string kind;             // "event_wrong", "actor", "verb", "revert"
  std::string payload;          // JSON: what was changed (enough to revert it)
  std::string summary;          // one line for people
  std::int64_t events_altered = 0;
  std::int64_t reverts = 0;     // id of the correction this one reverts, 0 = none
  std::int64_t reverted_by = 0; // id of the correction that reverted this one, 0 = none
};

// dyad watch: one source's polling state.
struct SourceState {
  std::string name;
  std::string url;
  std::string etag, last_modified;      // validators of the last successful fetch
  std::string last_poll, last_success, next_poll;   // ISO 8601 UTC or ""
  std::int64_t failures = 0;            // consecutive failed polls (backoff)
  std::int64_t items_fetched = 0, errors = 0;       // totals
  std::string last_error;
};

// An alert raised by a watch rule; `key` makes it unique forever.
struct AlertRecord {
  std::int64_t id = 0;                  // assigned by the store
  std::string key, rule, fired_at, title;
  std::string payload;                  // JSON: the evidence and the summary
};

// One alert's delivery through one notifier.
struct NotificationState {
  std::int64_t alert_id = 0;
  std::string notifier;
  std::string state;                    // "pending", "sent", "retrying", "failed"
  std::int64_t attempts = 0;
  std::string last_error, next_attempt, sent_at;
};

// An alert rule saved from the dashboard; `spec` is the rule as JSON
// (watch::AlertRuleToJson).
struct SavedRule {
  std::int64_t id = 0;                  // assigned by the store
  std::string name, spec, holder, created_at;
};

// How Store::ReplaceEvents matches re-coded events to stored ones: the same
// key (sentence, source, target, code) keeps the stored row and id, and the
// row is updated only when the evidence differs. Previews of a re-coding
// (corrections) use the same two functions so they show what will happen.
std::string ReplaceKey(const Event& e);
bool SameEvidence(const Event& a, const Event& b);

class Store {
 public:
  // "path/to/file.db", "sqlite:path" or "postgresql://..." / "postgres://...".
  static Result<std::unique_ptr<Store>> Open(const std::string& url);
  virtual ~Store() = default;

  virtual std::string backend() const = 0;          // "sqlite" or "postgresql"
  virtual Result<int> SchemaVersion() = 0;

  // Runs: one row per `dyad ingest`/`dyad recode` invocation.
  virtual Result<std::int64_t> BeginRun(const std::string& command,
                                        const std::string& coder_version) = 0;
  virtual Status FinishRun(std::int64_t run_id, const RunSummary& summary) = 0;

  // Which of these content hashes are already stored.
  virtual Result<std::vector<bool>> HasDocuments(const std::vector<std::string>& hashes) = 0;

  // Adds the documents, their sentences (with full-text index), their
  // stories (created on first use of a story_key) and events (plus any
  // actor codes not seen before), all in one transaction. Documents whose
  // content hash is already stored are skipped, as are their events.
  // Returns how many documents were added. Sets document.id of added ones.
  virtual Result<std::int64_t> AddDocuments(std::int64_t run_id,
                                            std::vector<DocumentRecord>* records) = 0;

  // Every stored (signature, story_key, date) in insertion order, to
  // rebuild the story index at the start of a run. Documents with an empty
  // signature are included (the index skips them).
  virtual Status ForEachSignature(
      const std::function<void(const std::string& signature, const std::string& story_key,
                               const std::string& date)>& fn) = 0;

  // Files already read to the end, and marking some (one transaction).
  virtual Result<bool> IsFileDone(const FileMark& mark) = 0;
  virtual Status MarkFilesDone(std::int64_t run_id, const std::vector<FileMark>& marks) = 0;

  // Re-coding: documents in id order, then an atomic swap of one document's
  // events (old ones deleted, new ones inserted, coder_version updated).
  // ForEachDocument reads a page at a time and calls `fn` between reads, so
  // `fn` may write to the store (ReplaceEvents) as it goes.
  virtual Status ForEachDocument(const std::function<void(const RecodeItem&)>& fn) = 0;
  virtual Status ReplaceEvents(std::int64_t document_id, const std::vector<Event>& events,
                               const std::string& coder_version) = 0;

  // Events matching the query, ordered by story then event id.
  virtual Status QueryEvents(const EventQuery& query,
                             const std::function<void(const EventRow&)>& fn) = 0;

  // Full-text search over sentences (FTS5 / tsvector); best matches first.
  virtual Result<std::vector<SentenceHit>> SearchSentences(const std::string& query,
                                                           int limit) = 0;

  virtual Result<StoreCounts> Counts() = 0;

  // --- The monitor (dyad serve) ---
  // Every event's and document's facts, in id order, a page at a time.
  virtual Status ForEachEventFact(const std::function<void(const EventFact&)>& fn) = 0;
  // Documents with id > after_id only, when given (new documents since a refresh).
  virtual Status ForEachDocumentFact(const std::function<void(const DocumentFact&)>& fn,
                                     std::int64_t after_id = 0) = 0;
  // Facts of these events / documents (missing ids are skipped).
  virtual Result<std::vector<EventFact>> GetEventFacts(const std::vector<std::int64_t>& ids) = 0;
  virtual Result<std::vector<DocumentFact>> GetDocumentFacts(
      const std::vector<std::int64_t>& ids) = 0;
  // Full rows of these events, in the order asked (missing ids are skipped).
  virtual Result<std::vector<EventRow>> GetEvents(const std::vector<std::int64_t>& ids) = 0;
  // Events coded from these sentences (document id, sentence index).
  virtual Result<std::vector<std::int64_t>> EventIdsForSentences(
      const std::vector<std::pair<std::int64_t, std::uint32_t>>& sentences) = 0;
  virtual Result<DocumentView> GetDocument(std::int64_t id) = 0;
  // Ids of the documents of a story, in id order.
  virtual Result<std::vector<std::int64_t>> StoryDocuments(std::int64_t story_id) = 0;
  // The change feed: changes with seq > since, oldest first, at most limit.
  virtual Result<std::vector<EventChange>> ChangesSince(std::int64_t since, int limit) = 0;
  virtual Result<std::int64_t> LatestChange() = 0;   // 0 when none
  // A document to re-code, by id.
  virtual Result<RecodeItem> GetRecodeItem(std::int64_t document_id) = 0;

  // The corrections activity log. AddCorrection sets id and at; when
  // record.reverts is set, marks that correction reverted_by in the same
  // transaction.
  virtual Status AddCorrection(CorrectionRecord* record) = 0;
  virtual Result<std::vector<CorrectionRecord>> ListCorrections(int limit) = 0;
  virtual Result<CorrectionRecord> GetCorrection(std::int64_t id) = 0;

  // --- dyad watch ---
  virtual Result<std::vector<SourceState>> SourceStates() = 0;
  virtual Status SaveSourceState(const SourceState& state) = 0;   // insert or replace
  virtual Result<bool> HasDocumentUrl(const std::string& url) = 0;
  // Adds the alert unless one with its key exists. Returns whether it was
  // added; record->id is set either way (the new or the existing alert's).
  virtual Result<bool> AddAlert(AlertRecord* record) = 0;
  virtual Result<std::vector<AlertRecord>> ListAlerts(int limit) = 0;   // newest first
  // The alert with this key / id; nullopt when there is none.
  virtual Result<std::optional<AlertRecord>> FindAlert(const std::string& key) = 0;
  virtual Result<std::optional<AlertRecord>> GetAlert(std::int64_t id) = 0;
  // Saved rules: names are unique (InvalidArgument naming the clash).
  virtual Status AddSavedRule(SavedRule* rule) = 0;   // sets id and created_at
  virtual Result<std::vector<SavedRule>> SavedRules() = 0;   // oldest first
  virtual Result<bool> DeleteSavedRule(std::int64_t id) = 0;   // false: no such rule
  virtual Status SaveNotification(const NotificationState& state) = 0;  // insert or replace
  // Deliveries in `state` ("" = any), oldest alert first.
  virtual Result<std::vector<NotificationState>> Notifications(const std::string& state,
                                                               int limit) = 0;
};

}  // namespace dyad

#endif  // DYAD_STORE_H_

// The Store implementation shared by both back ends: every method is written
// once against SqlConnection (sql.h); only the schema DDL and the full-text
// search differ by dialect (migrations.cc, SearchSentences).
//
// Row ids are assigned here, as max(id) + 1 read inside the write
// transaction (never from a sequence, which PostgreSQL does not roll back),
// so two stores fed the same successful calls hold identical rows and ids.
#ifndef DYAD_STORE_SQL_STORE_H_
#define DYAD_STORE_SQL_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "dyad/store.h"
#include "store/sql.h"

namespace dyad::store {

// The newest schema version this code knows (migrations.cc).
int LatestSchemaVersion();

// One schema migration: version N's DDL for a dialect.
struct Migration {
  int version;
  std::string description;
  std::string sql;
};
std::vector<Migration> Migrations(Dialect dialect);

struct OpenOptions {
  // Migrate only up to this version (tests build old stores); -1 = latest.
  int target_version = -1;
};

class ActorNames;   // sql_store.cc

class SqlStore : public Store {
 public:
  // Checks the schema version (refusing a newer one or a foreign database),
  // configures the connection and applies the missing migrations.
  // `name` is what error messages call the store (path or masked URL).
  static Result<std::unique_ptr<SqlStore>> Create(std::unique_ptr<SqlConnection> conn,
                                                  std::string name,
                                                  const OpenOptions& options);

  std::string backend() const override;
  Result<int> SchemaVersion() override;
  Result<std::int64_t> BeginRun(const std::string& command,
                                const std::string& coder_version) override;
  Status FinishRun(std::int64_t run_id, const RunSummary& summary) override;
  Result<std::vector<bool>> HasDocuments(const std::vector<std::string>& hashes) override;
  Result<std::int64_t> AddDocuments(std::int64_t run_id,
                                    std::vector<DocumentRecord>* records) override;
  Status ForEachSignature(
      const std::function<void(const std::string&, const std::string&, const std::string&)>& fn)
      override;
  Result<bool> IsFileDone(const FileMark& mark) override;
  Status MarkFilesDone(std::int64_t run_id, const std::vector<FileMark>& marks) override;
  Status ForEachDocument(const std::function<void(const RecodeItem&)>& fn) override;
  Status ReplaceEvents(std::int64_t document_id, const std::vector<Event>& events,
                       const std::string& coder_version) override;
  Status QueryEvents(const EventQuery& query,
                     const std::function<void(const EventRow&)>& fn) override;
  Result<std::vector<SentenceHit>> SearchSentences(const std::string& query,
                                                   int limit) override;
  Result<StoreCounts> Counts() override;
  Status ForEachEventFact(const std::function<void(const EventFact&)>& fn) override;
  Status ForEachDocumentFact(const std::function<void(const DocumentFact&)>& fn,
                             std::int64_t after_id = 0) override;
  Result<std::vector<EventFact>> GetEventFacts(const std::vector<std::int64_t>& ids) override;
  Result<std::vector<DocumentFact>> GetDocumentFacts(
      const std::vector<std::int64_t>& ids) override;
  Result<std::vector<EventRow>> GetEvents(const std::vector<std::int64_t>& ids) override;
  Result<std::vector<std::int64_t>> EventIdsForSentences(
      const std::vector<std::pair<std::int64_t, std::uint32_t>>& sentences) override;
  Result<DocumentView> GetDocument(std::int64_t id) override;
  Result<std::vector<std::int64_t>> StoryDocuments(std::int64_t story_id) override;
  Result<std::vector<EventChange>> ChangesSince(std::int64_t since, int limit) override;
  Result<std::int64_t> LatestChange() override;
  Result<RecodeItem> GetRecodeItem(std::int64_t document_id) override;
  Status AddCorrection(CorrectionRecord* record) override;
  Result<std::vector<CorrectionRecord>> ListCorrections(int limit) override;
  Result<CorrectionRecord> GetCorrection(std::int64_t id) override;
  Result<std::vector<SourceState>> SourceStates() override;
  Status SaveSourceState(const SourceState& state) override;
  Result<bool> HasDocumentUrl(const std::string& url) override;
  Result<bool> AddAlert(AlertRecord* record) override;
  Result<std::vector<AlertRecord>> ListAlerts(int limit) override;
  Result<std::optional<AlertRecord>> FindAlert(const std::string& key) override;
  Result<std::optional<AlertRecord>> GetAlert(std::int64_t id) override;
  Status AddSavedRule(SavedRule* rule) override;
  Result<std::vector<SavedRule>> SavedRules() override;
  Result<bool> DeleteSavedRule(std::int64_t id) override;
  Status SaveNotification(const NotificationState& state) override;
  Result<std::vector<NotificationState>> Notifications(const std::string& state,
                                                       int limit) override;

  // Test hooks: raw SQL against the store's connection.
  Status TEST_ExecScript(const std::string& sql);
  // Every row of `sql` as strings ("" for NULL), for checking stored rows.
  Result<std::vector<std::vector<std::string>>> TEST_Query(const std::string& sql,
                                                           int columns);

 private:
  SqlStore(std::unique_ptr<SqlConnection> conn, std::string name);

  Status Migrate(const OpenOptions& options);
  Result<int> ReadVersion();   // 0 when schema_migrations does not exist
  Result<std::int64_t> NextEventId();
  Status SaveNextEventId(std::int64_t next);
  Result<std::int64_t> NextId(const char* table);
  Status UpsertActors(const ActorNames& actors, std::int64_t run_id,
                      std::unordered_set<std::string>* named);
  // Prefixes every error with the store's name.
  Status Named(const Status& s) const;
  // Runs `body` in one write transaction: committed when it succeeds, rolled
  // back (and the error named) when it or the commit fails.
  Status WriteTransaction(const std::function<Status()>& body);
  // Cuts the sentences of these rows from their documents' text.
  Status FillSentences(const std::vector<size_t>& missing, std::vector<EventRow>* rows);
  // Runs prefix + "($1, ..., $n)" + suffix for each chunk of ids.
  Status ForIdChunks(const std::vector<std::int64_t>& ids, const std::string& prefix,
                     const std::string& suffix, const RowFn& fn);

  std::unique_ptr<SqlConnection> conn_;
  Dialect dialect_;
  std::string name_;
  // Actor codes known to be stored with a non-empty name: their upsert
  // would change nothing, so it is skipped. Updated only after a commit.
  std::unordered_set<std::string> named_actors_;
};

// Back ends (sqlite_store.cc, postgres_store.cc) and the dispatcher (store.cc).
Result<std::unique_ptr<SqlStore>> OpenSqlite(const std::string& path,
                                             const OpenOptions& options);
Result<std::unique_ptr<SqlStore>> OpenPostgres(const std::string& url,
                                               const OpenOptions& options);
Result<std::unique_ptr<SqlStore>> OpenSqlStore(const std::string& url,
                                               const OpenOptions& options);

// "postgresql://user:secret@host/db?password=x" -> the same with "***".
std::string MaskPassword(const std::string& url);

// Runs `sql` on a fresh connection to `url` (tests: create/drop schemas).
Status PostgresExecForTest(const std::string& url, const std::string& sql);

}  // namespace dyad::store

#endif  // DYAD_STORE_SQL_STORE_H_

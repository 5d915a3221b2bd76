#include "store_commands.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "dyad/dictionary.h"
#include "dyad/export.h"
#include "dyad/ingest.h"
#include "dyad/store.h"
#include "pipeline/progress.h"

namespace dyad::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;  // some inputs were bad; the rest went in
constexpr int kExitStore = 2;    // the store or the dictionaries failed

using pipeline::Thousands;

int Fail(const Status& s, int code = kExitStore) {
  std::cerr << "dyad: error: " << s.ToString() << "\n";
  return code;
}

std::string Megabytes(std::int64_t bytes) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(bytes < (10 << 20) ? 2 : 1) << bytes / 1048576.0 << " MB";
  return o.str();
}

}  // namespace

struct StoreCommands::Options {
  std::string db = "dyad.db";
  std::string dict_dir;
  std::string user_dict;
  int threads = 0;
  // ingest
  CLI::App* ingest = nullptr;
  std::vector<std::string> paths;
  std::string format = "auto";
  std::size_t batch = 512;
  double max_file_mb = 64;
  double story_similarity = 0.5;
  bool quiet = false, progress = false, reread = false;
  // recode
  CLI::App* recode = nullptr;
  bool force = false;
  // export
  CLI::App* exporter = nullptr;
  std::string export_format = "jsonl", from, to, dyad, code, output;
  bool directed = false, all_mentions = false, no_header = false;
  std::int64_t limit = -1;
  // search
  CLI::App* search = nullptr;
  std::string query;
  int search_limit = 20;
  // stats
  CLI::App* stats = nullptr;
};

StoreCommands::StoreCommands(CLI::App& app) : options_(std::make_unique<Options>()) {
  Options& o = *options_;
  const std::string kUserDictHelp =
      "User dictionary read on top (default: $DYAD_USER_DICT, else DB.user-dict.txt beside a SQLite store)";
  const std::string db_help = "Store: a SQLite file (default dyad.db) or postgresql://user@host/db";

  o.ingest = app.add_subcommand(
      "ingest", "Read news into the store: clean, de-duplicate, group into stories, code");
  o.ingest->add_option("paths", o.paths,
                       "Files or directories (read recursively), - for stdin. Formats: text, HTML, "
                       "JSON Lines, RSS/Atom, Telegram result.json, PETRARCH XML, any of them .gz")
      ->required();
  o.ingest->add_option("--db", o.db, db_help);
  o.ingest->add_option("--dict", o.dict_dir, "Dictionary directory");
  o.ingest->add_option("--user-dict", o.user_dict, kUserDictHelp);
  o.ingest->add_option("--format", o.format, "Input format for every path (default: by name and content)")
      ->check(CLI::IsMember({"auto", "text", "html", "jsonl", "feed", "rss", "atom", "telegram", "petrarch"}));
  o.ingest->add_option("--threads", o.threads, "Coding threads (default: all cores)");
  o.ingest->add_option("--batch", o.batch, "Documents per store transaction")->check(CLI::Range(1, 100000));
  o.ingest->add_option("--max-file-mb", o.max_file_mb,
                       "Refuse whole-file inputs (HTML, feeds, exports) larger than this; JSON Lines is streamed")
      ->check(CLI::Range(0.001, 1048576.0));
  o.ingest->add_option("--story-similarity", o.story_similarity,
                       "Estimated word-trigram Jaccard at which a document joins an earlier story")
      ->check(CLI::Range(0.05, 1.01));
  o.ingest->add_flag("--reread", o.reread, "Read files again even when an earlier run read them to the end");
  o.ingest->add_flag("-q,--quiet", o.quiet, "No progress bar (the default in a pipe); errors and the summary only");
  o.ingest->add_flag("--progress", o.progress, "Show the progress bar even when stderr is not a terminal");

  o.recode = app.add_subcommand(
      "recode", "Code stored documents again after a dictionary change (each document's events replaced atomically)");
  o.recode->add_option("--db", o.db, db_help);
  o.recode->add_option("--dict", o.dict_dir, "Dictionary directory");
  o.recode->add_option("--user-dict", o.user_dict, kUserDictHelp);
  o.recode->add_option("--threads", o.threads, "Coding threads (default: all cores)");
  o.recode->add_flag("--force", o.force, "Re-code every document, not only those coded with other dictionaries");

  o.exporter = app.add_subcommand(
      "export", "Write stored events, counted once per story: gdelt, phoenix, jsonl or csv");
  o.exporter->add_option("--db", o.db, db_help);
  o.exporter->add_option("--format", o.export_format, "gdelt (GDELT 2.0 event table), phoenix, jsonl or csv")
      ->check(CLI::IsMember({"gdelt", "phoenix", "jsonl", "csv"}));
  o.exporter->add_option("--from", o.from, "First event date (YYYY-MM-DD)");
  o.exporter->add_option("--to", o.to, "Last event date (YYYY-MM-DD)");
  o.exporter->add_option("--dyad", o.dyad, "Events between two actors, e.g. UZB-RUS (both directions)");
  o.exporter->add_flag("--directed", o.directed, "With --dyad: only the first actor acting on the second");
  o.exporter->add_option("--code", o.code, "CAMEO code prefix, e.g. 17 or 173");
  o.exporter->add_option("--limit", o.limit, "At most this many stored events (the last story's counts may then be partial)");
  o.exporter->add_flag("--all-mentions", o.all_mentions, "jsonl/csv: every stored event, not one row per story");
  o.exporter->add_flag("--no-header", o.no_header, "csv/phoenix: no header row");
  o.exporter->add_option("-o,--output", o.output, "Output file (default: stdout)");

  o.search = app.add_subcommand("search", "Full-text search over stored sentences");
  o.search->add_option("query", o.query, "Words to find (plain words; quotes for a phrase)")->required();
  o.search->add_option("--db", o.db, db_help);
  o.search->add_option("--limit", o.search_limit, "Most hits to show");

  o.stats = app.add_subcommand("stats", "Counts of what the store holds");
  o.stats->add_option("--db", o.db, db_help);
}

StoreCommands::~StoreCommands() = default;

namespace {

// The dictionaries and the user dictionary: --user-dict, else
// $DYAD_USER_DICT, else the store's (StoreUserDictionaryPath).
Result<CodingSetup> LoadSetup(const StoreCommands::Options& o) {
  auto user = Dictionary::UserDictionaryPath(o.user_dict, StoreUserDictionaryPath(o.db));
  if (!user.ok()) return user.status();
  return LoadCodingSetup(o.dict_dir.empty() ? Dictionary::DefaultDirectory() : o.dict_dir, {}, *user);
}

int RunIngest(const StoreCommands::Options& o) {
  IngestOptions options;
  if (o.format != "auto" && !ParseSourceFormat(o.format, &options.reader.format))
    return Fail(InvalidArgument("unknown --format '" + o.format + "'"));
  options.reader.max_file_bytes = static_cast<std::size_t>(o.max_file_mb * 1048576.0);
  options.threads = o.threads;
  options.batch_documents = o.batch;
  options.story_similarity = o.story_similarity;
  options.skip_done_files = !o.reread;
  options.progress = !o.quiet && (o.progress || ::isatty(STDERR_FILENO));
  options.command = "ingest";
  for (const auto& p : o.paths) options.command.append(" ").append(p);

  auto setup = LoadSetup(o);
  if (!setup.ok()) return Fail(setup.status());
  auto store = Store::Open(o.db);
  if (!store.ok()) return Fail(store.status());
  IngestReport r = Ingest(**store, *setup, o.paths, options, &std::cerr);
  const std::string& db = o.db;

  for (const ReaderError& e : r.errors) std::cerr << "dyad: " << e.where << ": " << e.message << "\n";
  const RunSummary& s = r.summary;
  std::cout << "ingest: " << Thousands(s.files) << " files read";
  if (r.files_skipped) std::cout << " (" << Thousands(r.files_skipped) << " skipped: read to the end by an earlier run)";
  std::cout << ", " << Thousands(s.documents_read) << " documents: " << Thousands(s.documents_added)
            << " added, " << Thousands(s.duplicates) << " already stored\n";
  std::cout << "        " << Thousands(s.sentences) << " sentences, " << Thousands(s.events) << " events, "
            << Thousands(r.stories_new) << " new stories";
  if (r.paragraphs_dropped) std::cout << ", " << Thousands(r.paragraphs_dropped) << " repeated paragraphs dropped";
  if (r.not_coded) std::cout << ", " << Thousands(r.not_coded) << " documents stored uncoded (no coder for their language)";
  std::cout << "\n        " << Megabytes(r.bytes) << " in " << std::fixed << std::setprecision(2) << r.seconds
            << " s";
  if (r.seconds > 0) std::cout << " (" << std::setprecision(1) << r.bytes / 1048576.0 / r.seconds << " MB/s, "
                               << std::setprecision(0) << s.documents_read / r.seconds << " documents/s)";
  std::cout << "; store: " << db << "\n";
  if (!r.errors.empty())
    std::cout << "        " << Thousands(static_cast<std::int64_t>(r.errors.size()))
              << " inputs could not be read (listed above on stderr)\n";
  if (!r.status.ok()) return Fail(r.status);
  return r.errors.empty() ? kExitOk : kExitFailure;
}

}  // namespace

std::optional<int> StoreCommands::Run() {
  Options& o = *options_;
  if (o.ingest->parsed())
    return RunIngest(o);
  if (o.recode->parsed()) {
    auto setup = LoadSetup(o);
    if (!setup.ok()) return Fail(setup.status());
    auto store = Store::Open(o.db);
    if (!store.ok()) return Fail(store.status());
    RecodeReport r = Recode(**store, *setup, o.force, o.threads);
    if (!r.status.ok()) return Fail(r.status);
    std::cout << "recode: " << Thousands(r.documents) << " documents, " << Thousands(r.recoded)
              << " re-coded, " << Thousands(r.unchanged) << " already coded with these dictionaries; "
              << Thousands(r.events_after) << " events now from the re-coded ones; " << std::fixed
              << std::setprecision(2) << r.seconds << " s\n";
    return kExitOk;
  }
  if (o.exporter->parsed()) {
    ExportOptions options;
    ParseExportFormat(o.export_format, &options.format);
    options.query.from = o.from;
    options.query.to = o.to;
    options.query.code_prefix = o.code;
    options.query.limit = o.limit;
    options.query.directed = o.directed;
    options.all_mentions = o.all_mentions;
    options.header = options.format == ExportFormat::kGdelt ? false : !o.no_header;
    if (!o.dyad.empty()) {
      const auto dash = o.dyad.find('-');
      if (dash == std::string::npos || dash == 0 || dash + 1 == o.dyad.size())
        return Fail(InvalidArgument("--dyad wants two actor codes joined by '-', e.g. UZB-RUS, got '" + o.dyad + "'"));
      options.query.actor_a = o.dyad.substr(0, dash);
      options.query.actor_b = o.dyad.substr(dash + 1);
    }
    for (const std::string* d : {&o.from, &o.to}) {
      std::int32_t v;
      if (!d->empty() && !ParseIsoDate(*d, &v))
        return Fail(InvalidArgument("dates are YYYY-MM-DD, got '" + *d + "'"));
    }
    auto store = Store::Open(o.db);
    if (!store.ok()) return Fail(store.status());
    std::ofstream file;
    if (!o.output.empty()) {
      file.open(o.output, std::ios::binary);
      if (!file) return Fail(IoError("cannot write", o.output));
    }
    ExportStats stats;
    Status s = ExportEvents(**store, options, o.output.empty() ? std::cout : file, &stats);
    if (!s.ok()) return Fail(s);
    std::cerr << "export: " << Thousands(stats.events_read) << " stored events -> "
              << Thousands(stats.rows_written) << " rows (" << o.export_format << ")\n";
    return kExitOk;
  }
  if (o.search->parsed()) {
    auto store = Store::Open(o.db);
    if (!store.ok()) return Fail(store.status());
    auto hits = (*store)->SearchSentences(o.query, o.search_limit);
    if (!hits.ok()) return Fail(hits.status());
    for (const SentenceHit& h : *hits)
      std::cout << "doc " << h.document_id << " #" << h.index << "\t" << h.text << "\n";
    std::cerr << "search: " << hits->size() << " sentences\n";
    return kExitOk;
  }
  if (o.stats->parsed()) {
    auto store = Store::Open(o.db);
    if (!store.ok()) return Fail(store.status());
    auto c = (*store)->Counts();
    if (!c.ok()) return Fail(c.status());
    auto v = (*store)->SchemaVersion();
    std::cout << "store: " << o.db << " (" << (*store)->backend() << ", schema v"
              << (v.ok() ? *v : -1) << ")\n"
              << "documents  " << Thousands(c->documents) << "\nstories    " << Thousands(c->stories)
              << "\nsentences  " << Thousands(c->sentences) << "\nevents     " << Thousands(c->events)
              << "\nactors     " << Thousands(c->actors) << "\nruns       " << Thousands(c->runs) << "\n";
    return kExitOk;
  }
  return std::nullopt;
}

}  // namespace dyad::cli

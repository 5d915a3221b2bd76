// The ingest pipeline: read → clean → key → code → group into stories → store.
//
// Documents flow in chunks of IngestOptions::batch_documents. A chunk is
// cleaned and coded on all cores, then assigned to stories and written in
// input order by this thread, as one store transaction: the order of writes
// (and so every row id and story) is the same whatever the thread count,
// and a run killed between chunks resumes exactly where it stopped.
#include <sys/stat.h>
#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <unordered_set>

#include "dyad/ingest.h"
#ifdef DYAD_RUSSIAN
#include "dyad/russian_coder.h"
#endif
#include "pipeline/coding_setup.h"
#include "pipeline/parallel.h"
#include "pipeline/progress.h"

namespace dyad {
namespace {

using Clock = std::chrono::steady_clock;

int ThreadCount(int requested) {
  if (requested > 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

using pipeline::ParallelFor;

// Valid UTF-8 with no NUL or other control characters (newlines and tabs
// kept only when `multiline`): what both store back ends accept for any
// text column, whatever a reader or a file name produced.
std::string StoreSafe(std::string_view in, bool multiline = false) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size();) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {
      if (c >= 0x20 && c != 0x7f) out.push_back(static_cast<char>(c));
      else if (multiline && (c == '\n' || c == '\t')) out.push_back(static_cast<char>(c));
      else if (c == '\t' || c == '\n' || c == '\r') out.push_back(' ');
      ++i;
      continue;
    }
    size_t len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
    bool ok = len > 0 && i + len <= in.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(in[i + k]) & 0xC0) == 0x80;
    if (ok && len == 3) {  // no overlong forms or surrogates
      const auto c1 = static_cast<unsigned char>(in[i + 1]);
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);
    }
    if (ok && len == 4) {
      const auto c1 = static_cast<unsigned char>(in[i + 1]);
      ok = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
    }
    if (ok) {
      out.append(in.substr(i, len));
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");  // U+FFFD for each bad byte
      ++i;
    }
  }
  return out;
}

// More sentences than this in one document is not news: refused, so that
// sentence numbers stay small everywhere downstream.
constexpr size_t kMaxSentencesPerDocument = 100000;

// Whether a file is read record by record on this thread (JSON Lines,
// stdin, compressed or large files, anything whose format only its content
// tells) rather than whole, in a parallel window.
bool ReadWholeInParallel(const std::string& path, std::int64_t size, SourceFormat forced) {
  if (path == "-" || size > (16 << 20)) return false;
  if (forced != SourceFormat::kAuto) return forced != SourceFormat::kJsonl;
  std::string name = std::filesystem::path(path).filename().string();
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name == "result.json") return true;
  const std::string ext = std::filesystem::path(name).extension().string();
  for (const char* whole : {".html", ".htm", ".xhtml", ".xml", ".rss", ".atom", ".txt", ".text"})
    if (ext == whole) return true;
  return false;
}

bool CodedLanguage(const CodingSetup& setup, const std::string& lang) {
  if (lang.empty()) return true;
  return std::find(setup.languages.begin(), setup.languages.end(), lang) != setup.languages.end();
}

struct FileState {
  FileMark mark;
  bool clean = true;     // no errors while reading it
};

class Ingester {
 public:
  Ingester(Store& store, const CodingSetup& setup, const IngestOptions& options,
           std::ostream* progress_out)
      : store_(store), setup_(setup), options_(options), index_(options.story_similarity),
        progress_(options.progress ? progress_out : nullptr),
        threads_(ThreadCount(options.threads)) {}

  IngestReport Run(const std::vector<std::string>& paths);

 private:
  struct Pending {
    RawDocument raw;
  };
  Status Flush();
  Status MarkFinishedFiles();
  void Draw(bool force = false) {
    counts_.documents = report_.summary.documents_read;
    counts_.sentences = report_.summary.sentences;
    counts_.events = report_.summary.events;
    counts_.errors = static_cast<std::int64_t>(report_.errors.size());
    progress_.Update(counts_, force);
  }

  Store& store_;
  const CodingSetup& setup_;
  const IngestOptions& options_;
  StoryIndex index_;
  pipeline::ProgressLine progress_;
  pipeline::ProgressCounts counts_;
  int threads_;
  std::int64_t run_id_ = 0;
  IngestReport report_;
  std::vector<Pending> chunk_;
  std::vector<FileState> finished_files_;  // read to the end, waiting for their last chunk
};

IngestReport Ingester::Run(const std::vector<std::string>& paths) {
  const auto start = Clock::now();
  auto finish = [&](Status status) {
    report_.status = std::move(status);
    report_.summary.errors = static_cast<std::int64_t>(report_.errors.size());
    report_.summary.status = !report_.status.ok()      ? "interrupted"
                             : report_.errors.empty() ? "ok"
                                                      : "failed";
    report_.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (run_id_ > 0) {
      Status s = store_.FinishRun(run_id_, report_.summary);
      if (report_.status.ok() && !s.ok()) report_.status = s;
    }
    progress_.Finish(counts_);
    return std::move(report_);
  };

  auto run = store_.BeginRun(options_.command, setup_.coder_version);
  if (!run.ok()) return finish(run.status());
  run_id_ = *run;
  Status s = store_.ForEachSignature(
      [&](const std::string& sig, const std::string& story, const std::string&) {
        index_.Add(sig, story);
      });
  if (!s.ok()) return finish(s);

  std::vector<std::string> files = ListInputFiles(paths, &report_.errors);
  std::vector<FileMark> marks(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    marks[i].path = files[i];
    if (files[i] == "-") continue;
    std::error_code ec;
    std::filesystem::path abs = std::filesystem::absolute(files[i], ec);
    if (!ec) marks[i].path = abs.lexically_normal().string();
    struct stat st;
    if (::stat(files[i].c_str(), &st) == 0) {
      marks[i].size = st.st_size;
      marks[i].mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
      counts_.bytes_total += st.st_size;
    }
  }

  // Whole-file inputs (pages, feeds, exports) are read and parsed on all
  // cores, a window of files at a time, then fed to the pipeline in file
  // order; streamed ones (JSON Lines, stdin, big files) are read here, one
  // record at a time. The store sees the same sequence either way.
  const auto streamed = [&](size_t i) {
    return !ReadWholeInParallel(files[i], marks[i].size, options_.reader.format);
  };
  struct FileRead {
    std::vector<RawDocument> docs;
    std::vector<ReaderError> errors;
  };
  Status flush_status;
  const auto take = [&](RawDocument doc, bool* file_clean) {
    if (!flush_status.ok()) return;  // the store failed: stop feeding it
    const bool has_text = std::any_of(doc.text.begin(), doc.text.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80;
    });
    if (!has_text) {
      report_.errors.push_back({doc.origin, "no text (only spaces, punctuation or control characters)"});
      *file_clean = false;
      return;
    }
    chunk_.push_back({std::move(doc)});
    if (chunk_.size() >= options_.batch_documents) flush_status = Flush();
  };
  const auto finish_file = [&](size_t i, bool clean, std::int64_t docs) {
    counts_.bytes_done += marks[i].size;
    report_.bytes += marks[i].size;
    FileState state{marks[i], clean};
    state.mark.documents = docs;
    if (files[i] != "-") finished_files_.push_back(std::move(state));
    Draw();
  };

  for (size_t i = 0; i < files.size();) {
    // The next window: files not done yet, up to a streamed one.
    std::vector<size_t> window;
    std::int64_t window_bytes = 0;
    for (; i < files.size(); ++i) {
      if (options_.skip_done_files && files[i] != "-") {
        auto done = store_.IsFileDone(marks[i]);
        if (!done.ok()) return finish(done.status());
        if (*done) {
          ++report_.files_skipped;
          counts_.bytes_done += marks[i].size;
          continue;
        }
      }
      if (streamed(i)) break;
      window.push_back(i);
      window_bytes += marks[i].size;
      if (window.size() >= static_cast<size_t>(threads_) * 16 || window_bytes > (64 << 20)) {
        ++i;
        break;
      }
    }
    if (!window.empty()) {
      std::vector<FileRead> reads(window.size());
      ParallelFor(window.size(), static_cast<size_t>(threads_), [&](size_t k) {
        (void)ReadSource(files[window[k]], options_.reader,
                         [&](RawDocument doc) { reads[k].docs.push_back(std::move(doc)); },
                         &reads[k].errors);
      });
      for (size_t k = 0; k < window.size(); ++k) {
        ++report_.summary.files;
        bool clean = reads[k].errors.empty();
        report_.errors.insert(report_.errors.end(), reads[k].errors.begin(), reads[k].errors.end());
        const auto docs = static_cast<std::int64_t>(reads[k].docs.size());
        for (RawDocument& doc : reads[k].docs) take(std::move(doc), &clean);
        if (!flush_status.ok()) return finish(flush_status);
        finish_file(window[k], clean, docs);
      }
      continue;
    }
    if (i >= files.size()) break;
    // A streamed file, read record by record.
    ++report_.summary.files;
    const size_t errors_before = report_.errors.size();
    std::int64_t docs = 0;
    bool clean = true;
    (void)ReadSource(files[i], options_.reader,
                     [&](RawDocument doc) {
                       ++docs;
                       take(std::move(doc), &clean);
                     },
                     &report_.errors);  // a file that cannot be read at all is in errors
    if (!flush_status.ok()) return finish(flush_status);
    finish_file(i, clean && report_.errors.size() == errors_before, docs);
    ++i;
  }
  s = Flush();
  if (!s.ok()) return finish(s);
  return finish(Status::Ok());
}

// Cleans, keys, codes and stores the pending chunk, then marks the files
// that were read to the end before it as done.
Status Ingester::Flush() {
  if (chunk_.empty()) return MarkFinishedFiles();
  const size_t n = chunk_.size();
  struct Work {
    CleanResult clean;
    std::string hash;
    bool skip = false;
    std::string error;  // set while coding: the document is refused
  };
  std::vector<Work> work(n);
  ParallelFor(n, static_cast<size_t>(threads_), [&](size_t i) {
    work[i].clean = CleanText(chunk_[i].raw.text);
    work[i].hash = ContentHash(chunk_[i].raw, work[i].clean.text);
  });
  std::vector<std::string> hashes;
  hashes.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (work[i].clean.text.empty()) {
      report_.errors.push_back({chunk_[i].raw.origin, "no text left after cleaning"});
      work[i].skip = true;
    }
    hashes.push_back(work[i].hash);
  }
  report_.summary.documents_read += static_cast<std::int64_t>(n);
  auto stored = store_.HasDocuments(hashes);
  if (!stored.ok()) return stored.status();
  std::unordered_set<std::string> in_chunk;
  for (size_t i = 0; i < n; ++i) {
    if (work[i].skip) continue;
    if ((*stored)[i] || !in_chunk.insert(work[i].hash).second) {
      work[i].skip = true;
      ++report_.summary.duplicates;
    }
  }

  std::vector<DocumentRecord> records(n);
  std::vector<char> coded(n, 0);
  ParallelFor(n, static_cast<size_t>(threads_), [&](size_t i) {
    if (work[i].skip) return;
    RawDocument& raw = chunk_[i].raw;
    DocumentRecord& rec = records[i];
    StoredDocument& d = rec.document;
    d.content_hash = work[i].hash;
    d.origin = StoreSafe(raw.origin);
    d.format = StoreSafe(raw.format);
    d.external_id = StoreSafe(raw.external_id);
    d.title = StoreSafe(raw.title);
    d.url = StoreSafe(raw.url);
    d.source = StoreSafe(raw.source);
    d.date = StoreSafe(raw.date);
    d.date_origin = DateOriginName(raw.date_origin);
    d.lang = StoreSafe(raw.lang);
    d.encoding = StoreSafe(raw.encoding);
    d.text = StoreSafe(work[i].clean.text, /*multiline=*/true);
    d.signature = StorySignature(d.text);
    std::vector<SentenceSpan> spans;
    if (CodedLanguage(setup_, d.lang)) {
      Document doc{.id = d.external_id.empty() ? d.origin : d.external_id,
                   .date = d.date, .text = d.text, .url = d.url, .title = d.title,
                   .source = d.source, .language = d.lang};
      rec.events = setup_.coder->CodeDocument(doc, nullptr, &spans);
      d.coder_version = setup_.coder_version;
      coded[i] = 1;
    } else {
      spans = Analyze(d.text).sentences;
    }
    if (spans.size() > kMaxSentencesPerDocument) {
      work[i].error = "document has " + std::to_string(spans.size()) + " sentences, over the limit of " +
                      std::to_string(kMaxSentencesPerDocument);
      return;
    }
    rec.sentences.reserve(spans.size());
    for (std::uint32_t k = 0; k < spans.size(); ++k)
      rec.sentences.push_back({k, spans[k].begin, spans[k].end});
  });

  std::vector<DocumentRecord> to_write;
  to_write.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (work[i].skip) continue;
    if (!work[i].error.empty()) {
      report_.errors.push_back({chunk_[i].raw.origin, work[i].error});
      continue;
    }
    DocumentRecord& rec = records[i];
    rec.document.story_key = index_.Assign(rec.document.signature, rec.document.content_hash);
    if (rec.document.story_key == rec.document.content_hash) ++report_.stories_new;
    index_.Add(rec.document.signature, rec.document.story_key);
    report_.paragraphs_dropped += work[i].clean.paragraphs_dropped;
    if (!coded[i]) ++report_.not_coded;
    report_.summary.sentences += static_cast<std::int64_t>(rec.sentences.size());
    report_.summary.events += static_cast<std::int64_t>(rec.events.size());
    to_write.push_back(std::move(rec));
  }
  chunk_.clear();
  if (!to_write.empty()) {
    auto added = store_.AddDocuments(run_id_, &to_write);
    if (!added.ok()) return added.status();
    report_.summary.documents_added += *added;
  }
  Draw();
  return MarkFinishedFiles();
}

Status Ingester::MarkFinishedFiles() {
  std::vector<FileMark> marks;
  for (const FileState& f : finished_files_)
    if (f.clean) marks.push_back(f.mark);
  finished_files_.clear();
  return store_.MarkFilesDone(run_id_, marks);
}

std::string Hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

Result<CodingSetup> LoadCodingSetup(const std::string& dict_dir, CoderOptions options) {
  return pipeline::LoadCodingSetup(dict_dir, options, "", nullptr);
}

Result<CodingSetup> LoadCodingSetup(const std::string& dict_dir, CoderOptions options,
                                    const std::string& user_dict) {
  return pipeline::LoadCodingSetup(dict_dir, options, user_dict, nullptr);
}

std::string StoreUserDictionaryPath(const std::string& store_url) {
  if (store_url.rfind("postgresql://", 0) == 0 || store_url.rfind("postgres://", 0) == 0) return "";
  std::string path = store_url;
  if (path.rfind("sqlite:", 0) == 0) {
    path = path.substr(7);
    if (path.rfind("//", 0) == 0) path = path.substr(2);
  }
  if (path.empty() || path == ":memory:" || path.find("://") != std::string::npos) return "";
  return path + ".user-dict.txt";
}

namespace {

// What of a user dictionary can change coding: its lines without comments,
// blanks and surrounding spaces. Notes and layout do not make documents
// stale, and a file with no entries left (after every correction was
// reverted) fingerprints like no file at all.
std::string UserDictionarySubstance(const std::string& content) {
  std::string out;
  bool entries = false;
  size_t start = 0;
  while (start < content.size()) {
    size_t nl = content.find('\n', start);
    if (nl == std::string::npos) nl = content.size();
    std::string_view line(content.data() + start, nl - start);
    start = nl + 1;
    size_t cut = 0;
    for (int depth = 0; cut < line.size(); ++cut) {
      if (line[cut] == '[') ++depth;
      else if (line[cut] == ']' && depth > 0) --depth;
      else if (line[cut] == '#' && depth == 0) break;
    }
    line = line.substr(0, cut);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.remove_prefix(1);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.substr(0, 2) != "==") entries = true;
    out.append(line).push_back('\n');
  }
  return entries ? out : std::string();
}

}  // namespace

namespace pipeline {

Result<CodingSetup> LoadCodingSetup(const std::string& dict_dir, CoderOptions options,
                                    const std::string& user_dict, const std::string* user_text) {
  auto files = Dictionary::FindFiles(dict_dir);
  if (!files.ok()) return files.status();
  std::string user_content;
  if (user_text) {
    user_content = *user_text;
  } else if (!user_dict.empty()) {
    std::error_code ec;
    if (std::filesystem::exists(user_dict, ec) && !std::filesystem::is_directory(user_dict, ec)) {
      std::ifstream in(user_dict, std::ios::binary);
      if (!in) return IoError("cannot read the user dictionary", user_dict);
      std::stringstream content;
      content << in.rdbuf();
      user_content = content.str();
    }
  }
  std::vector<std::string> all;
  for (const auto* group : {&files->verbs, &files->actors, &files->agents, &files->discards,
                            &files->issues})
    all.insert(all.end(), group->begin(), group->end());
  std::sort(all.begin(), all.end());
  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  for (const std::string& path : all) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    const std::string name = std::filesystem::path(path).filename().string();
    XXH3_64bits_update(state, name.data(), name.size() + 1);
    const std::string bytes = content.str();
    XXH3_64bits_update(state, bytes.data(), bytes.size());
  }
  const char flags[] = {static_cast<char>(options.require_dyad), static_cast<char>(options.intent_to_03),
                        static_cast<char>(options.dedupe_document), static_cast<char>(options.single_sentence)};
  XXH3_64bits_update(state, flags, sizeof flags);
  // The user dictionary's entries, not its name or comments: moving the
  // file or editing a note does not make every document stale, and no (or
  // an empty) user file leaves the fingerprint of the defaults alone.
  if (const std::string substance = UserDictionarySubstance(user_content); !substance.empty()) {
    XXH3_64bits_update(state, "\0user\0", 6);
    XXH3_64bits_update(state, substance.data(), substance.size());
  }
  std::uint64_t fingerprint = XXH3_64bits_digest(state);
  XXH3_freeState(state);

  files->user = user_dict;
  if (user_text) files->user_text = *user_text;
  auto dict = Dictionary::Load(files.value());
  if (!dict.ok()) return dict.status();
  // Russian documents go to the Russian coder when its morphology and
  // dictionaries are installed (docs/russian.md); without them Russian
  // documents are stored uncoded, as before. Its dictionaries are part of
  // the coder version.
  std::shared_ptr<const LanguageCoder> russian;
#ifdef DYAD_RUSSIAN
  if (auto ru = ru::RussianCoder::LoadDefault("", options, *dict); ru.ok()) {
    const std::string& ru_fp = (*ru)->dictionary().fingerprint();
    fingerprint = XXH3_64bits_withSeed(ru_fp.data(), ru_fp.size(), fingerprint);
    russian = std::shared_ptr<const LanguageCoder>(std::move(*ru));
  }
#endif
  const bool has_russian = russian != nullptr;
  auto coder = Coder::Create(*dict, options, std::move(russian));
  if (!coder.ok()) return coder.status();
  CodingSetup setup;
  setup.coder = std::shared_ptr<const Coder>(std::move(*coder));
  if (has_russian) setup.languages.push_back("ru");
  setup.coder_version = "dyad-" + Hex64(fingerprint);
  return setup;
}

}  // namespace pipeline

IngestReport Ingest(Store& store, const CodingSetup& setup, const std::vector<std::string>& paths,
                    const IngestOptions& options, std::ostream* progress_out) {
  Ingester ingester(store, setup, options, progress_out);
  return ingester.Run(paths);
}

RecodeReport Recode(Store& store, const CodingSetup& setup, bool force, int threads) {
  const auto start = Clock::now();
  RecodeReport report;
  auto run = store.BeginRun(force ? "recode --force" : "recode", setup.coder_version);
  if (!run.ok()) {
    report.status = run.status();
    return report;
  }
  const int workers = ThreadCount(threads);
  constexpr size_t kChunk = 256;
  // Stale documents are re-coded a chunk at a time while the store pages
  // through them, so memory holds one chunk, not the corpus.
  std::vector<RecodeItem> stale;
  Status write_status;
  const auto recode_chunk = [&] {
    if (stale.empty() || !write_status.ok()) return;
    std::vector<std::vector<Event>> events(stale.size());
    ParallelFor(stale.size(), static_cast<size_t>(workers), [&](size_t k) {
      const RecodeItem& item = stale[k];
      Document doc{.id = item.external_id.empty() ? std::to_string(item.document_id) : item.external_id,
                   .date = item.date, .text = item.text, .url = item.url, .title = item.title,
                   .source = item.source, .language = item.lang};
      events[k] = setup.coder->CodeDocument(doc);
    });
    for (size_t k = 0; k < events.size() && write_status.ok(); ++k) {
      write_status = store.ReplaceEvents(stale[k].document_id, events[k], setup.coder_version);
      if (!write_status.ok()) break;
      ++report.recoded;
      report.events_after += static_cast<std::int64_t>(events[k].size());
    }
    stale.clear();
  };
  report.status = store.ForEachDocument([&](const RecodeItem& item) {
    ++report.documents;
    if (!CodedLanguage(setup, item.lang)) return;
    if (!force && item.coder_version == setup.coder_version) {
      ++report.unchanged;
      return;
    }
    stale.push_back(item);
    if (stale.size() >= kChunk) recode_chunk();
  });
  recode_chunk();
  if (report.status.ok()) report.status = write_status;
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  RunSummary summary;
  summary.status = report.status.ok() ? "ok" : "interrupted";
  summary.documents_read = report.documents;
  summary.events = report.events_after;
  Status finished = store.FinishRun(*run, summary);
  if (report.status.ok()) report.status = finished;
  return report;
}

}  // namespace dyad

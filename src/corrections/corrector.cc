// The Corrector: a correction becomes one entry of the user dictionary, and
// the documents it can change are re-coded with the edited dictionary.
//
// Every correction is planned the same way: read the user dictionary as it
// is on disk, edit one entry (keyed by phrase or by suppression key) in a
// copy of its text, load a coding setup from that text (which validates
// it), collect the candidate documents, and code them again. Preview stops
// there and diffs the new events against the stored ones. Apply writes the
// file (temporary file + rename), swaps each document's events with
// Store::ReplaceEvents (which keeps the ids of unchanged events and feeds
// the change log), reads the documents back for the diff with real ids and
// records the correction with the entry's text before and after, which is
// what Revert needs to put it back.
#include "dyad/corrections.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "corrections/user_dictionary.h"
#include "dict/inflect.h"
#include "dyad/cameo.h"
#include "dyad/dictionary.h"
#include "dyad/ingest.h"
#include "pipeline/coding_setup.h"

namespace dyad {

using corrections::Section;
using corrections::UserDictionaryText;
using Json = nlohmann::json;

std::string_view CorrectionKindName(CorrectionKind kind) {
  switch (kind) {
    case CorrectionKind::kEventWrong: return "event_wrong";
    case CorrectionKind::kActor: return "actor";
    case CorrectionKind::kVerb: return "verb";
  }
  return "";
}

Result<Correction> ParseCorrection(const Json& body) {
  if (!body.is_object()) return InvalidArgument("a correction is a JSON object");
  auto text = [&](const char* field, bool required, std::string* out) -> Status {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) {
      if (required) return InvalidArgument(std::string("missing field \"") + field + "\"");
      return Status::Ok();
    }
    if (!it->is_string()) return InvalidArgument(std::string("field \"") + field + "\" must be a string");
    *out = it->get<std::string>();
    return Status::Ok();
  };
  Correction c;
  std::string kind;
  DYAD_RETURN_IF_ERROR(text("kind", true, &kind));
  DYAD_RETURN_IF_ERROR(text("note", false, &c.note));
  if (kind == "event_wrong") {
    c.kind = CorrectionKind::kEventWrong;
    auto it = body.find("event_id");
    if (it == body.end()) return InvalidArgument("missing field \"event_id\"");
    if (it->is_number_integer()) {
      c.event_id = it->get<std::int64_t>();
    } else if (it->is_string()) {
      const std::string s = it->get<std::string>();
      char* end = nullptr;
      c.event_id = std::strtoll(s.c_str(), &end, 10);
      if (s.empty() || *end != '\0') return InvalidArgument("field \"event_id\" must be an integer");
    } else {
      return InvalidArgument("field \"event_id\" must be an integer");
    }
    if (c.event_id <= 0) return InvalidArgument("field \"event_id\" must be a positive event id");
  } else if (kind == "actor" || kind == "verb") {
    c.kind = kind == "actor" ? CorrectionKind::kActor : CorrectionKind::kVerb;
    DYAD_RETURN_IF_ERROR(text("phrase", true, &c.phrase));
    DYAD_RETURN_IF_ERROR(text("code", true, &c.code));
  } else {
    return InvalidArgument("unknown correction kind \"" + kind +
                           "\" (want \"event_wrong\", \"actor\" or \"verb\")");
  }
  return c;
}

Result<Correction> ParseCorrection(std::string_view json_text) {
  Json body = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return InvalidArgument("the correction is not valid JSON");
  return ParseCorrection(body);
}

namespace {

// --- Validation and the entries' text ---

constexpr size_t kMaxPhraseBytes = 200;
constexpr size_t kMaxPhraseWords = 12;
constexpr size_t kMaxNoteBytes = 300;

// Cuts `s` to at most `max` bytes without splitting a UTF-8 sequence.
std::string Utf8Prefix(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

// One line of comment text: no control characters, no "<!--" (which the
// dictionary reader would take for the start of a block comment).
std::string CommentText(std::string_view s, size_t max) {
  std::string out;
  for (char c : s) out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c);
  for (size_t p; (p = out.find("<!--")) != std::string::npos;) out.replace(p, 4, "<! --");
  std::string cut = Utf8Prefix(out, max);
  if (cut.size() < out.size()) cut += "...";
  return cut;
}

Status CheckPhrase(const std::string& phrase, std::string* normalized) {
  *normalized = corrections::NormalizePhrase(phrase);
  if (normalized->empty()) return InvalidArgument("the phrase is empty");
  if (phrase.size() > kMaxPhraseBytes)
    return InvalidArgument("the phrase is longer than " + std::to_string(kMaxPhraseBytes) + " bytes");
  for (char c : phrase) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || std::string_view("[]{}()#+*&$%^!~@<>=|;\"\\/:").find(c) != std::string_view::npos)
      return InvalidArgument(std::string("the phrase may hold words only (letters, digits, ' - . ,), not '") +
                             (u < 0x20 ? std::string("control character") : std::string(1, c)) + "'");
  }
  if ((*normalized)[0] == '-') return InvalidArgument("the phrase may not start with '-'");
  if (std::count(normalized->begin(), normalized->end(), '_') + 1 > static_cast<long>(kMaxPhraseWords))
    return InvalidArgument("the phrase has more than " + std::to_string(kMaxPhraseWords) + " words");
  return Status::Ok();
}

// CAMEO actor codes: a three-letter country, IGO/NGO or "---" prefix and
// up to four more three-character parts ("UZB", "UZBLAB", "---LAB", "IGOG7").
Status CheckActorCode(const std::string& code) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("bad actor code \"" + code + "\": " + why);
  };
  if (code.size() < 3 || code.size() > 15) return bad("want 3 to 15 characters, e.g. UZB or UZBLAB");
  const bool dashes = code.compare(0, 3, "---") == 0;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (i < 3 && !dashes && !(c >= 'A' && c <= 'Z')) return bad("the first three characters are letters (or ---)");
    if (i >= 3 && !((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
      return bad("only capital letters and digits after the first three");
  }
  if (dashes && code.size() == 3) return bad("--- alone is no actor");
  return Status::Ok();
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// --- Diffs ---

// Matched as Store::ReplaceEvents will match them (ReplaceKey, SameEvidence).
void AddDiff(const std::vector<EventRow>& before, std::vector<EventRow> after, CorrectionDiff* diff) {
  std::unordered_multimap<std::string, size_t> by_key;
  for (size_t i = 0; i < before.size(); ++i) by_key.emplace(ReplaceKey(before[i].event), i);
  std::vector<bool> kept(before.size(), false);
  for (EventRow& row : after) {
    auto it = by_key.find(ReplaceKey(row.event));
    if (it == by_key.end()) {
      diff->added.push_back(std::move(row));
      continue;
    }
    const size_t i = it->second;
    by_key.erase(it);
    kept[i] = true;
    if (SameEvidence(before[i].event, row.event)) continue;
    if (row.event_id == 0) row.event_id = before[i].event_id;
    diff->updated.push_back(std::move(row));
  }
  for (size_t i = 0; i < before.size(); ++i)
    if (!kept[i]) diff->removed.push_back(before[i]);
}

// A stored document, its stored events and its events coded anew.
struct DocumentWork {
  DocumentView view;
  std::vector<EventRow> stored;
  std::vector<Event> coded;
};

EventRow RowFor(const DocumentView& view, Event event) {
  EventRow row;
  row.document_id = view.document.id;
  row.story_id = view.document.story_id;
  row.url = view.document.url;
  row.outlet = view.document.source;
  row.title = view.document.title;
  event.doc_id = view.document.external_id.empty() ? view.document.origin : view.document.external_id;
  row.event = std::move(event);
  return row;
}

// --- The plan of one correction ---

struct Plan {
  std::string kind;                      // the log's kind
  Section section = Section::kActors;
  std::string key;
  std::optional<std::string> before, after;   // the entry's text
  std::string new_text;                  // the whole user dictionary after
  std::vector<std::int64_t> documents;
  bool truncated = false;
  std::shared_ptr<const CodingSetup> setup;   // coding with new_text
  Json payload;
  std::string summary;
};

}  // namespace

struct Corrector::Impl {
  Store* store = nullptr;
  std::string dict_dir, user_path;
  Options options;
  mutable std::mutex setup_mu;
  std::shared_ptr<const CodingSetup> setup;   // guarded by setup_mu

  std::shared_ptr<const CodingSetup> Setup() const {
    std::lock_guard<std::mutex> lock(setup_mu);
    return setup;
  }

  Result<std::string> ReadUserText() const;
  Status WriteUserText(const std::string& text) const;
  Result<std::shared_ptr<const CodingSetup>> LoadSetup(const std::string& text) const;

  Status AddSearchHits(const std::string& query, std::set<std::int64_t>* docs,
                       const std::string* sentence_hash) const;
  Result<std::set<std::int64_t>> PhraseDocuments(CorrectionKind kind, const std::string& phrase) const;
  Result<std::set<std::int64_t>> SentenceDocuments(const std::string& sentence) const;
  void Limit(const std::set<std::int64_t>& docs, Plan* plan) const;

  Result<Plan> PlanCorrection(const Correction& c) const;
  Result<Plan> PlanRevert(const CorrectionRecord& record) const;
  Status Finish(const std::string& current_text, Plan* plan) const;

  Result<std::vector<EventRow>> StoredEvents(const DocumentView& view) const;
  Result<std::vector<DocumentWork>> Code(const Plan& plan) const;
  Result<CorrectionDiff> PreviewPlan(const Plan& plan) const;
  Result<AppliedCorrection> ApplyPlan(Plan plan, const std::string& holder,
                                      std::int64_t reverts);
};

Result<std::string> Corrector::Impl::ReadUserText() const {
  std::error_code ec;
  if (!std::filesystem::exists(user_path, ec)) return std::string();
  if (std::filesystem::is_directory(user_path, ec))
    return InvalidArgument("the user dictionary is a directory", user_path);
  std::ifstream in(user_path, std::ios::binary);
  if (!in) return IoError("cannot read the user dictionary", user_path);
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return IoError("cannot read the user dictionary", user_path);
  return ss.str();
}

// A temporary file beside the target, then rename: a reader sees the old
// file or the new one, never half of one.
Status Corrector::Impl::WriteUserText(const std::string& text) const {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path target(user_path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  const std::string tmp = user_path + ".tmp-" + std::to_string(::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return IoError("cannot write the user dictionary", tmp);
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fflush(f) == 0 && ok;
  ok = ::fsync(::fileno(f)) == 0 && ok;
  ok = std::fclose(f) == 0 && ok;
  if (ok) {
    fs::rename(tmp, target, ec);
    ok = !ec;
  }
  if (!ok) {
    fs::remove(tmp, ec);
    return IoError("cannot write the user dictionary", user_path);
  }
  return Status::Ok();
}

Result<std::shared_ptr<const CodingSetup>> Corrector::Impl::LoadSetup(const std::string& text) const {
  auto setup = pipeline::LoadCodingSetup(dict_dir, options.coder, user_path, &text);
  if (!setup.ok()) return setup.status();
  return std::make_shared<const CodingSetup>(std::move(setup.value()));
}

Status Corrector::Impl::AddSearchHits(const std::string& query, std::set<std::int64_t>* docs,
                                      const std::string* sentence_hash) const {
  auto hits = store->SearchSentences(query, options.max_documents * 4 + 16);
  if (!hits.ok()) return hits.status();
  for (const SentenceHit& h : *hits)
    if (sentence_hash == nullptr || SentenceHash(h.text) == *sentence_hash) docs->insert(h.document_id);
  return Status::Ok();
}

// Documents with a sentence holding every word of the phrase: for a verb,
// of any of its inflected forms (the head is the first word, as in a verb
// dictionary). Over-inclusive on purpose: re-coding a document the phrase
// does not touch changes nothing.
Result<std::set<std::int64_t>> Corrector::Impl::PhraseDocuments(CorrectionKind kind,
                                                                const std::string& phrase) const {
  std::vector<std::string> words;
  {
    std::string w;
    for (char c : phrase) {
      if (c == '_' || std::isspace(static_cast<unsigned char>(c))) {
        if (!w.empty()) words.push_back(Lower(w));
        w.clear();
      } else {
        w.push_back(c);
      }
    }
    if (!w.empty()) words.push_back(Lower(w));
  }
  std::set<std::int64_t> docs;
  if (words.empty()) return docs;
  std::set<std::string> queries;
  auto join = [&](const std::vector<std::string>& ws) {
    std::string q;
    for (const auto& x : ws) q.append(q.empty() ? "" : " ").append(x);
    return q;
  };
  queries.insert(join(words));
  if (kind == CorrectionKind::kVerb) {
    for (const auto& [form, form_kind] : dict::VerbForms(words[0])) {
      (void)form_kind;
      std::vector<std::string> ws = words;
      ws[0] = form;
      queries.insert(join(ws));
    }
  }
  for (const std::string& q : queries) DYAD_RETURN_IF_ERROR(AddSearchHits(q, &docs, nullptr));
  return docs;
}

// Documents holding this very sentence (the event's and its reprints').
Result<std::set<std::int64_t>> Corrector::Impl::SentenceDocuments(const std::string& sentence) const {
  std::set<std::int64_t> docs;
  const std::string hash = SentenceHash(sentence);
  DYAD_RETURN_IF_ERROR(AddSearchHits(sentence, &docs, &hash));
  return docs;
}

void Corrector::Impl::Limit(const std::set<std::int64_t>& docs, Plan* plan) const {
  plan->documents.assign(docs.begin(), docs.end());
  if (plan->documents.size() > static_cast<size_t>(std::max(1, options.max_documents))) {
    plan->documents.resize(static_cast<size_t>(std::max(1, options.max_documents)));
    plan->truncated = true;
  }
}

// Edits the entry in the current text and loads the setup from the result.
Status Corrector::Impl::Finish(const std::string& current_text, Plan* plan) const {
  UserDictionaryText text(current_text.empty() ? corrections::NewUserDictionaryText() : current_text);
  if (plan->after) text.Set(plan->section, plan->key, *plan->after);
  else text.Remove(plan->section, plan->key);
  plan->new_text = text.text();
  auto setup = LoadSetup(plan->new_text);
  if (!setup.ok()) return setup.status();
  plan->setup = std::move(setup.value());
  plan->payload["section"] = std::string(corrections::SectionName(plan->section));
  plan->payload["key"] = plan->key;
  plan->payload["before"] = plan->before ? Json(*plan->before) : Json(nullptr);
  plan->payload["after"] = plan->after ? Json(*plan->after) : Json(nullptr);
  plan->payload["documents"] = plan->documents;
  plan->payload["coder_version"] = plan->setup->coder_version;
  return Status::Ok();
}

Result<Plan> Corrector::Impl::PlanCorrection(const Correction& c) const {
  auto current = ReadUserText();
  if (!current.ok()) return current.status();
  const UserDictionaryText text(*current);
  const std::string note = CommentText(c.note, kMaxNoteBytes);
  Plan plan;
  plan.kind = std::string(CorrectionKindName(c.kind));
  plan.payload = {{"kind", plan.kind}, {"note", note}};
  const std::string comment = note.empty() ? std::string() : "  # " + note;
  switch (c.kind) {
    case CorrectionKind::kEventWrong: {
      if (c.event_id <= 0) return InvalidArgument("event_id must be a positive event id");
      auto rows = store->GetEvents({c.event_id});
      if (!rows.ok()) return rows.status();
      if (rows->empty()) return InvalidArgument("no event " + std::to_string(c.event_id) + " in the store");
      const EventRow& row = rows->front();
      const Event& e = row.event;
      if (e.sentence.empty())
        return InvalidArgument("event " + std::to_string(c.event_id) + " has no stored sentence to key it by");
      const std::string hash = SentenceHash(e.sentence);
      plan.section = Section::kSuppressed;
      plan.key = hash + " " + e.source + " " + e.code + " " + e.target;
      plan.before = text.Get(plan.section, plan.key);
      plan.after = plan.key + "  # " + (note.empty() ? "" : note + "; ") + "\"" +
                   CommentText(e.sentence, 80) + "\"";
      auto docs = SentenceDocuments(e.sentence);
      if (!docs.ok()) return docs.status();
      docs->insert(row.document_id);
      Limit(*docs, &plan);
      plan.payload["event_id"] = c.event_id;
      plan.payload["document_id"] = row.document_id;
      plan.payload["sentence"] = e.sentence;
      plan.payload["source"] = e.source;
      plan.payload["target"] = e.target;
      plan.payload["code"] = e.code;
      plan.summary = "event " + std::to_string(c.event_id) + " marked wrong: " + e.source + " " + e.code +
                     " " + e.target + " \"" + CommentText(e.sentence, 80) + "\"";
      break;
    }
    case CorrectionKind::kActor:
    case CorrectionKind::kVerb: {
      const bool actor = c.kind == CorrectionKind::kActor;
      std::string phrase;
      DYAD_RETURN_IF_ERROR(CheckPhrase(c.phrase, &phrase));
      std::string code = Upper(c.code);
      while (!code.empty() && std::isspace(static_cast<unsigned char>(code.back()))) code.pop_back();
      code.erase(0, code.find_first_not_of(" \t\r\n"));
      std::string code_name;
      if (actor) {
        DYAD_RETURN_IF_ERROR(CheckActorCode(code));
      } else {
        const CameoCode* cameo = CameoTable::Builtin().Find(code);
        if (cameo == nullptr)
          return InvalidArgument("event code \"" + c.code + "\" is not in the CAMEO table (data/cameo.tsv)");
        code_name = cameo->name;
      }
      plan.section = actor ? Section::kActors : Section::kVerbs;
      plan.key = phrase;
      plan.before = text.Get(plan.section, plan.key);
      plan.after = actor ? phrase + " [" + code + "]" + comment
                         : "--- " + phrase + " [" + code + "] ---" + comment + "\n" + phrase;
      auto docs = PhraseDocuments(c.kind, phrase);
      if (!docs.ok()) return docs.status();
      Limit(*docs, &plan);
      plan.payload["phrase"] = phrase;
      plan.payload["code"] = code;
      plan.summary = std::string(actor ? "actor " : "verb ") + phrase + " -> " + code;
      if (!code_name.empty()) plan.summary += " (" + code_name + ")";
      if (plan.before) plan.summary += ", replacing \"" + CommentText(*plan.before, 80) + "\"";
      break;
    }
  }
  DYAD_RETURN_IF_ERROR(Finish(*current, &plan));
  return plan;
}

Result<Plan> Corrector::Impl::PlanRevert(const CorrectionRecord& record) const {
  const std::string id = std::to_string(record.id);
  if (record.kind == "revert")
    return InvalidArgument("correction " + id + " is itself a revert; apply the correction again instead");
  if (record.reverted_by != 0)
    return InvalidArgument("correction " + id + " was already reverted by correction " +
                           std::to_string(record.reverted_by));
  Json p = Json::parse(record.payload, nullptr, /*allow_exceptions=*/false);
  auto section = p.is_object() && p.contains("section") && p["section"].is_string()
                     ? corrections::SectionFromName(p["section"].get<std::string>())
                     : std::nullopt;
  if (!section || !p.contains("key") || !p["key"].is_string())
    return Status(StatusCode::kCorruption, "correction " + id + " has no usable payload to revert");
  auto text_or_null = [&](const char* field) -> std::optional<std::string> {
    if (!p.contains(field) || !p[field].is_string()) return std::nullopt;
    return p[field].get<std::string>();
  };
  auto current = ReadUserText();
  if (!current.ok()) return current.status();
  Plan plan;
  plan.kind = "revert";
  plan.section = *section;
  plan.key = p["key"].get<std::string>();
  plan.before = text_or_null("after");
  plan.after = text_or_null("before");
  const auto now = UserDictionaryText(*current).Get(plan.section, plan.key);
  if (now != plan.before)
    return InvalidArgument("the user dictionary entry \"" + plan.key + "\" was changed after correction " + id +
                           " (by a later correction or by hand); revert that change first");
  // The same documents, and any that came in since with the phrase.
  std::set<std::int64_t> docs;
  if (p.contains("documents") && p["documents"].is_array())
    for (const auto& d : p["documents"])
      if (d.is_number_integer()) docs.insert(d.get<std::int64_t>());
  const std::string kind = p.value("kind", std::string());
  if ((kind == "actor" || kind == "verb") && p.contains("phrase") && p["phrase"].is_string()) {
    auto more = PhraseDocuments(kind == "actor" ? CorrectionKind::kActor : CorrectionKind::kVerb,
                                p["phrase"].get<std::string>());
    if (!more.ok()) return more.status();
    docs.insert(more->begin(), more->end());
  } else if (kind == "event_wrong" && p.contains("sentence") && p["sentence"].is_string()) {
    auto more = SentenceDocuments(p["sentence"].get<std::string>());
    if (!more.ok()) return more.status();
    docs.insert(more->begin(), more->end());
  }
  Limit(docs, &plan);
  plan.payload = {{"kind", "revert"}, {"reverts", record.id}, {"reverted_kind", record.kind}};
  for (const char* field : {"phrase", "code", "sentence", "source", "target", "event_id"})
    if (p.contains(field)) plan.payload[field] = p[field];
  plan.summary = "revert #" + id + ": " + record.summary;
  DYAD_RETURN_IF_ERROR(Finish(*current, &plan));
  return plan;
}

Result<std::vector<EventRow>> Corrector::Impl::StoredEvents(const DocumentView& view) const {
  std::vector<std::pair<std::int64_t, std::uint32_t>> sentences;
  sentences.reserve(view.sentences.size());
  for (const StoredSentence& s : view.sentences) sentences.emplace_back(view.document.id, s.index);
  auto ids = store->EventIdsForSentences(sentences);
  if (!ids.ok()) return ids.status();
  if (ids->empty()) return std::vector<EventRow>{};
  return store->GetEvents(*ids);
}

Result<std::vector<DocumentWork>> Corrector::Impl::Code(const Plan& plan) const {
  std::vector<DocumentWork> work;
  work.reserve(plan.documents.size());
  for (std::int64_t id : plan.documents) {
    auto view = store->GetDocument(id);
    if (!view.ok()) {
      if (view.status().code() == StatusCode::kNotFound) continue;   // gone since
      return view.status();
    }
    const std::string& lang = view->document.lang;
    const auto& langs = plan.setup->languages;
    if (!lang.empty() && std::find(langs.begin(), langs.end(), lang) == langs.end()) continue;
    DocumentWork w;
    w.view = std::move(view.value());
    auto stored = StoredEvents(w.view);
    if (!stored.ok()) return stored.status();
    w.stored = std::move(stored.value());
    const StoredDocument& d = w.view.document;
    Document doc{.id = d.external_id.empty() ? std::to_string(d.id) : d.external_id,
                 .date = d.date, .text = d.text, .url = d.url, .title = d.title, .source = d.source};
    w.coded = plan.setup->coder->CodeDocument(doc);
    work.push_back(std::move(w));
  }
  return work;
}

Result<CorrectionDiff> Corrector::Impl::PreviewPlan(const Plan& plan) const {
  auto work = Code(plan);
  if (!work.ok()) return work.status();
  CorrectionDiff diff;
  diff.truncated = plan.truncated;
  for (DocumentWork& w : *work) {
    diff.documents.push_back(w.view.document.id);
    std::vector<EventRow> after;
    after.reserve(w.coded.size());
    for (Event& e : w.coded) after.push_back(RowFor(w.view, std::move(e)));
    AddDiff(w.stored, std::move(after), &diff);
  }
  return diff;
}

Result<AppliedCorrection> Corrector::Impl::ApplyPlan(Plan plan, const std::string& holder,
                                                     std::int64_t reverts) {
  auto work = Code(plan);
  if (!work.ok()) return work.status();
  auto old_text = ReadUserText();
  if (!old_text.ok()) return old_text.status();
  DYAD_RETURN_IF_ERROR(WriteUserText(plan.new_text));
  // Swap each document's events. Should the store fail half-way, the file
  // goes back and the documents already done are coded back with the old
  // dictionaries, so the store and the file agree again.
  for (size_t k = 0; k < work->size(); ++k) {
    const DocumentWork& w = (*work)[k];
    Status s = store->ReplaceEvents(w.view.document.id, w.coded, plan.setup->coder_version);
    if (s.ok()) continue;
    (void)WriteUserText(*old_text);
    const auto old_setup = Setup();
    for (size_t j = 0; j < k; ++j) {
      const StoredDocument& d = (*work)[j].view.document;
      Document doc{.id = d.external_id.empty() ? std::to_string(d.id) : d.external_id,
                   .date = d.date, .text = d.text, .url = d.url, .title = d.title, .source = d.source};
      (void)store->ReplaceEvents(d.id, old_setup->coder->CodeDocument(doc), old_setup->coder_version);
    }
    return s;
  }
  {
    std::lock_guard<std::mutex> lock(setup_mu);
    setup = plan.setup;
  }
  AppliedCorrection done;
  done.diff.truncated = plan.truncated;
  for (const DocumentWork& w : *work) {
    done.diff.documents.push_back(w.view.document.id);
    auto after = StoredEvents(w.view);
    if (!after.ok()) return after.status();
    AddDiff(w.stored, std::move(after.value()), &done.diff);
  }
  CorrectionRecord& r = done.record;
  r.holder = holder;
  r.kind = plan.kind;
  r.payload = plan.payload.dump(-1, ' ', false, Json::error_handler_t::replace);
  r.summary = plan.summary;
  r.events_altered = done.diff.events_altered();
  r.reverts = reverts;
  DYAD_RETURN_IF_ERROR(store->AddCorrection(&r));
  return done;
}

// --- Corrector ---

Corrector::Corrector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Corrector::~Corrector() = default;

Result<std::unique_ptr<Corrector>> Corrector::Create(Store* store, const std::string& dict_dir,
                                                     const std::string& user_dict) {
  return Create(store, dict_dir, user_dict, Options());
}

Result<std::unique_ptr<Corrector>> Corrector::Create(Store* store, const std::string& dict_dir,
                                                     const std::string& user_dict,
                                                     const Options& options) {
  if (store == nullptr) return InvalidArgument("Corrector::Create: no store");
  if (user_dict.empty())
    return InvalidArgument("corrections need a user dictionary file: pass --user-dict or set $DYAD_USER_DICT");
  auto impl = std::make_unique<Impl>();
  impl->store = store;
  impl->dict_dir = dict_dir;
  impl->user_path = user_dict;
  impl->options = options;
  auto text = impl->ReadUserText();
  if (!text.ok()) return text.status();
  auto setup = impl->LoadSetup(*text);
  if (!setup.ok()) return setup.status();
  impl->setup = std::move(setup.value());
  return std::unique_ptr<Corrector>(new Corrector(std::move(impl)));
}

Result<CorrectionDiff> Corrector::Preview(const Correction& correction) {
  auto plan = impl_->PlanCorrection(correction);
  if (!plan.ok()) return plan.status();
  return impl_->PreviewPlan(*plan);
}

Result<AppliedCorrection> Corrector::Apply(const Correction& correction, const std::string& holder) {
  auto plan = impl_->PlanCorrection(correction);
  if (!plan.ok()) return plan.status();
  return impl_->ApplyPlan(std::move(plan.value()), holder, 0);
}

Result<AppliedCorrection> Corrector::Revert(std::int64_t id, const std::string& holder) {
  auto record = impl_->store->GetCorrection(id);
  if (!record.ok()) return record.status();
  auto plan = impl_->PlanRevert(*record);
  if (!plan.ok()) return plan.status();
  return impl_->ApplyPlan(std::move(plan.value()), holder, id);
}

std::shared_ptr<const Coder> Corrector::coder() const { return impl_->Setup()->coder; }
std::string Corrector::coder_version() const { return impl_->Setup()->coder_version; }
const std::string& Corrector::user_dictionary_path() const { return impl_->user_path; }

}  // namespace dyad

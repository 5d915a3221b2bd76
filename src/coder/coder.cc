// The coder: one pass over each sentence in five steps.
//
//  1. Look up every token's word id in the dictionary vocabulary.
//  2. Find actor and agent mentions (longest match in the actor and agent
//     tries) and group them into actor units: one noun phrase such as
//     "the Uzbek Foreign Ministry" or "Russian law-enforcement authorities",
//     resolved to codes (country + roles, or a named actor's dated code).
//     Units joined by "and"/"or" (with commas before a final conjunction)
//     form compound groups, one actor each.
//  3. Find verb mentions (verb trie over inflected forms) and event nouns.
//     Verb uses after a determiner or preposition are nouns and skipped.
//  4. For each verb: read its auxiliary chain for voice, negation and
//     intent; find the subject (nearest unit to the left inside the clause
//     that is not the object of a preposition) and the object (first unit to
//     the right inside the clause); in the passive, the source comes from
//     the "by" phrase. Then try the verb block's patterns, most specific
//     first; the first match gives the code, otherwise the block default.
//  5. Emit one event per source x target actor, with its evidence.
//
// Everything is bounded by the sentence length (capped by the analyzer), so
// cost is linear in the text for a given dictionary.
#include "dyad/coder.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "coder/sentence_coder.h"
#include "dict/tables.h"
#include "dyad/cameo.h"
#include "dyad/readers.h"
#include "dyad/text.h"

namespace dyad {

bool ParseIsoDate(const std::string& s, std::int32_t* out) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  const int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)),
            d = std::stoi(s.substr(8, 2));
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return false;
  if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return false;
  *out = y * 10000 + m * 100 + d;
  return true;
}

using coder_internal::SentenceCoder;

Coder::Coder(std::shared_ptr<const Dictionary> dictionary, CoderOptions options)
    : dictionary_(std::move(dictionary)), options_(options), cameo_(&CameoTable::Builtin()) {}
Coder::~Coder() = default;

Result<std::unique_ptr<Coder>> Coder::Create(std::shared_ptr<const Dictionary> dictionary,
                                             CoderOptions options) {
  if (!dictionary) return InvalidArgument("Coder::Create: no dictionary");
  if (CameoTable::Builtin().size() == 0) return Status(StatusCode::kInternal, "CAMEO table is empty");
  return std::unique_ptr<Coder>(new Coder(std::move(dictionary), options));
}

Result<std::unique_ptr<Coder>> Coder::Create(std::shared_ptr<const Dictionary> dictionary,
                                             CoderOptions options,
                                             std::shared_ptr<const LanguageCoder> russian) {
  auto coder = Create(std::move(dictionary), options);
  if (!coder.ok()) return coder.status();
  (*coder)->russian_ = std::move(russian);
  return coder;
}

namespace {
// True when most letters are Cyrillic: the fallback when CLD2 is unsure.
bool MostlyCyrillicText(std::string_view text) {
  size_t cyr = 0, latin = 0;
  for (size_t i = 0; i < text.size() && i < 4096; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0xD0 || c == 0xD1) ++cyr;
    else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ++latin;
  }
  return cyr > 0 && cyr >= latin;
}
}  // namespace

std::string Coder::LanguageOf(const Document& doc) const {
  if (!russian_) return "en";
  if (doc.language == "ru") return "ru";
  if (!doc.language.empty()) return "en";
  // No Cyrillic letter at all (no 0xD0/0xD1 lead byte): English, without
  // running CLD2, so English text pays one byte scan for the detection.
  const bool cyrillic = doc.text.find('\xD0') != std::string::npos ||
                        doc.text.find('\xD1') != std::string::npos;
  if (!cyrillic) return "en";
  std::string detected = DetectLanguage(doc.text);
  if (detected.empty()) return MostlyCyrillicText(doc.text) ? "ru" : "en";
  return detected == "ru" ? "ru" : "en";
}

std::vector<Event> Coder::CodeDocument(const Document& doc, Trace* trace,
                                       std::vector<SentenceSpan>* sentences) const {
  if (russian_ && LanguageOf(doc) == "ru") {
    if (trace) trace->lines.push_back("language: ru (Russian coder)");
    return russian_->CodeDocument(doc, trace, sentences);
  }
  std::vector<Event> events;
  std::int32_t date = 0;
  if (!doc.date.empty() && !ParseIsoDate(doc.date, &date)) date = 0;
  AnalyzeOptions ao;
  ao.single_sentence = options_.single_sentence;
  AnalyzedText at = Analyze(doc.text, ao);
  if (sentences) *sentences = at.sentences;
  SentenceCoder sc(dictionary_->tables(), *cameo_, options_, doc, at, date, trace);
  std::unordered_set<std::string> seen_sentences;
  std::string key;
  for (std::uint32_t i = 0; i < at.sentences.size(); ++i) {
    const auto& s = at.sentences[i];
    // A sentence repeated in the same document (duplicated paragraphs) is
    // coded once.
    key.clear();
    for (std::uint32_t k = s.first_token; k < s.end_token; ++k) {
      key += at.Norm(at.tokens[k]);
      key.push_back(' ');
    }
    if (options_.dedupe_document && !seen_sentences.insert(key).second) {
      if (trace) trace->lines.push_back("sentence " + std::to_string(i) + ": repeat of an earlier sentence, skipped");
      continue;
    }
    if (!sc.Code(i, &events)) {
      events.clear();
      break;
    }
  }
  // Events the user marked wrong (user dictionary suppressions) are dropped
  // before de-duplication, so the same dyad and code from another sentence
  // still counts.
  if (const auto& suppressed = dictionary_->tables().suppressed; !suppressed.empty()) {
    std::unordered_map<std::uint32_t, std::string> hashes;  // by sentence index
    std::vector<Event> kept;
    kept.reserve(events.size());
    for (auto& e : events) {
      auto [h, fresh] = hashes.try_emplace(e.sentence_index);
      if (fresh) h->second = SentenceHash(e.sentence);
      auto it = suppressed.find(dict::SuppressionKey(h->second, e.source, e.code, e.target));
      if (it == suppressed.end()) {
        kept.push_back(std::move(e));
        continue;
      }
      if (trace) {
        std::string line = "event ";
        line.append(e.source).append(" ").append(e.code).append(" ").append(e.target);
        line.append(" in sentence ").append(std::to_string(e.sentence_index));
        line.append(": marked wrong in ").append(it->second.Where()).append(", dropped");
        trace->lines.push_back(std::move(line));
      }
    }
    events = std::move(kept);
  }
  if (options_.dedupe_document) {
    std::vector<Event> unique;
    std::unordered_set<std::string> keys;
    for (auto& e : events)
      if (keys.insert(e.source + '\t' + e.target + '\t' + e.code).second) unique.push_back(std::move(e));
    events = std::move(unique);
  }
  return events;
}

}  // namespace dyad


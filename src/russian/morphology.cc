// Russian morphology over the OpenCorpora dictionary
// (include/dyad/russian_morphology.h).
//
// The files are pymorphy2's compiled dictionary as repacked by the npm
// package az (docs/russian.md). Words are keyed in Windows-1251:
//
//   words.dawg                  dawgdic Dictionary + Guide. Key: the word,
//                               byte 0x01, then one 4-byte record per
//                               analysis: paradigm id and form index.
//   prediction-suffixes-N.dawg  the same for word endings after paradigm
//                               prefix N; records are (count, paradigm, form).
//   p_t_given_w.intdawg         "word:tag" -> P(tag | word) * 1e6.
//   paradigms.array             little-endian uint16: paradigm count, then
//                               per paradigm its length and 3n values:
//                               suffix ids, tag ids, prefix ids of its n
//                               forms. Form 0 is the lemma.
//   suffixes.json, gramtab-opencorpora-int.json   string tables.
//   meta.json                   the paradigm prefixes ("", "по", "наи").
//
// A 16-bit record value v is stored as the two bytes ((v >> 6) ^ 1) and
// ((v & 63) << 1 | 1), so that no byte of a key is zero.
#include "dyad/russian_morphology.h"

#include <dawgdic/completer.h>
#include <dawgdic/dictionary.h>
#include <dawgdic/guide.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <utility>

#include "russian/morphology_text.h"

namespace dyad::ru {
namespace {

namespace fs = std::filesystem;
using morph::kCpYe;
using morph::kCpYo;

constexpr char kSeparator = 0x01;
constexpr std::size_t kMaxGuessSuffix = 5;     // meta.json max_suffix_length
constexpr std::size_t kMinGuessLength = 4;     // shorter unknown words: no guess

// ---------------------------------------------------------------- files

Status ReadFile(const std::string& path, std::string* out) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return NotFound("missing file", path);
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot open file", path);
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) return IoError("cannot read file", path);
  in.seekg(0, std::ios::beg);
  out->resize(static_cast<std::size_t>(size));
  if (size > 0 && !in.read(out->data(), size)) return IoError("cannot read file", path);
  return Status::Ok();
}

// One DAWG file: the bytes, and dawgdic's views of them. Not movable once
// mapped (the views point into `storage`).
struct Dawg {
  std::vector<std::uint32_t> storage;
  dawgdic::Dictionary dic;
  dawgdic::Guide guide;
};

// Reads a DAWG and checks that no transition can leave the unit array, so a
// damaged file gives Corruption here rather than a wild read later.
Status LoadDawg(const std::string& path, Dawg* dawg) {
  std::string bytes;
  if (Status s = ReadFile(path, &bytes); !s.ok()) return s;
  if (bytes.size() < 8) return Corruption("truncated DAWG file", path);
  std::uint32_t units = 0;
  std::memcpy(&units, bytes.data(), 4);
  const std::uint64_t units_end = 4 + 4 * std::uint64_t{units};
  if (units == 0 || units % 256 != 0 || units_end + 4 > bytes.size()) {
    return Corruption("truncated or damaged DAWG (dictionary part)", path);
  }
  std::uint32_t guide_units = 0;
  std::memcpy(&guide_units, bytes.data() + units_end, 4);
  if (guide_units != units || units_end + 4 + 2 * std::uint64_t{guide_units} != bytes.size()) {
    return Corruption("truncated or damaged DAWG (guide part)", path);
  }
  dawg->storage.assign((bytes.size() + 3) / 4, 0);
  std::memcpy(dawg->storage.data(), bytes.data(), bytes.size());
  const std::uint32_t* unit = dawg->storage.data() + 1;
  for (std::uint32_t i = 0; i < units; ++i) {
    const std::uint32_t base = unit[i];
    if (base & dawgdic::DictionaryUnit::IS_LEAF_BIT) continue;
    const std::uint32_t offset = (base >> 10) << ((base & dawgdic::DictionaryUnit::EXTENSION_BIT) >> 6);
    if (((i ^ offset) | 0xFFu) >= units) {
      return Corruption("damaged DAWG: transition out of range at unit " + std::to_string(i), path);
    }
  }
  dawg->dic.Map(unit, units);
  dawg->guide.Map(reinterpret_cast<const char*>(dawg->storage.data()) + units_end + 4, guide_units);
  return Status::Ok();
}

Status ParseJson(const std::string& path, nlohmann::json* out) {
  std::string text;
  if (Status s = ReadFile(path, &text); !s.ok()) return s;
  *out = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (out->is_discarded()) return Corruption("not valid JSON", path);
  return Status::Ok();
}

// A JSON array of strings, converted to cp1251.
Status ParseStringTable(const std::string& path, std::vector<std::string>* out) {
  nlohmann::json j;
  if (Status s = ParseJson(path, &j); !s.ok()) return s;
  if (!j.is_array() || j.empty()) return Corruption("expected a non-empty JSON array of strings", path);
  out->reserve(j.size());
  for (const auto& item : j) {
    if (!item.is_string()) return Corruption("expected a JSON array of strings", path);
    std::string cp;
    if (!morph::ToCp1251(item.get_ref<const std::string&>(), &cp)) {
      return Corruption("string not representable in cp1251 at entry " + std::to_string(out->size()),
                        path);
    }
    out->push_back(std::move(cp));
  }
  return Status::Ok();
}

// ---------------------------------------------------------------- tags

struct TagInfo {
  Tag tag;
  std::string text;           // OpenCorpora's tag ("NOUN,anim,masc plur,gent")
  bool productive = true;     // a class new words join (pymorphy2's notion)
  bool proper = false;        // Name, Surn, Patr, Geox, Orgn: wants a capital
  bool surname = false;       // Surn
};

TagInfo ParseTag(std::string text) {
  TagInfo info;
  Tag& t = info.tag;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find_first_of(", ", start);
    if (end == std::string::npos) end = text.size();
    const std::string_view g(text.data() + start, end - start);
    start = end + 1;
    if (g.empty()) continue;
    // Parts of speech.
    if (g == "NOUN") t.pos = Pos::kNoun;
    else if (g == "ADJF") t.pos = Pos::kAdjFull;
    else if (g == "ADJS") t.pos = Pos::kAdjShort;
    else if (g == "COMP") t.pos = Pos::kComparative;
    else if (g == "VERB") t.pos = Pos::kVerb;
    else if (g == "INFN") t.pos = Pos::kInfinitive;
    else if (g == "PRTF") t.pos = Pos::kParticipleFull;
    else if (g == "PRTS") t.pos = Pos::kParticipleShort;
    else if (g == "GRND") t.pos = Pos::kGerund;
    else if (g == "NUMR") t.pos = Pos::kNumeral;
    else if (g == "ADVB") t.pos = Pos::kAdverb;
    else if (g == "NPRO") t.pos = Pos::kPronoun;
    else if (g == "PRED") t.pos = Pos::kPredicative;
    else if (g == "PREP") t.pos = Pos::kPreposition;
    else if (g == "CONJ") t.pos = Pos::kConjunction;
    else if (g == "PRCL") t.pos = Pos::kParticle;
    else if (g == "INTJ") t.pos = Pos::kInterjection;
    // Cases.
    else if (g == "nomn") t.grammatical_case = Case::kNom;
    else if (g == "gent" || g == "gen1") t.grammatical_case = Case::kGen;
    else if (g == "datv") t.grammatical_case = Case::kDat;
    else if (g == "accs") t.grammatical_case = Case::kAcc;
    else if (g == "ablt") t.grammatical_case = Case::kIns;
    else if (g == "loct" || g == "loc1") t.grammatical_case = Case::kLoc;
    else if (g == "voct") t.grammatical_case = Case::kVoc;
    else if (g == "gen2") { t.grammatical_case = Case::kGen; t.second_case = true; }
    else if (g == "acc2") { t.grammatical_case = Case::kAcc; t.second_case = true; }
    else if (g == "loc2") { t.grammatical_case = Case::kLoc; t.second_case = true; }
    // Number, person, gender.
    else if (g == "sing") t.number = Number::kSing;
    else if (g == "plur") t.number = Number::kPlur;
    else if (g == "1per") t.person = Person::kFirst;
    else if (g == "2per") t.person = Person::kSecond;
    else if (g == "3per") t.person = Person::kThird;
    else if (g == "masc") t.gender = Gender::kMasc;
    else if (g == "femn") t.gender = Gender::kFem;
    else if (g == "neut") t.gender = Gender::kNeut;
    else if (g == "ms-f") t.gender = Gender::kCommon;
    // Verbs.
    else if (g == "actv") t.voice = Voice::kActive;
    else if (g == "pssv") t.voice = Voice::kPassive;
    else if (g == "perf") t.aspect = Aspect::kPerfective;
    else if (g == "impf") t.aspect = Aspect::kImperfective;
    else if (g == "past") t.tense = Tense::kPast;
    else if (g == "pres") t.tense = Tense::kPresent;
    else if (g == "futr") t.tense = Tense::kFuture;
    else if (g == "indc") t.mood = Mood::kIndicative;
    else if (g == "impr") t.mood = Mood::kImperative;
    else if (g == "tran") t.transitive = true;
    else if (g == "intr") t.intransitive = true;
    // Lexical classes.
    else if (g == "anim") t.animate = true;
    else if (g == "inan") t.inanimate = true;
    else if (g == "Name" || g == "Patr") { t.name = true; info.proper = true; }
    else if (g == "Surn") { t.name = true; info.proper = true; info.surname = true; }
    else if (g == "Geox") { t.geography = true; info.proper = true; }
    else if (g == "Orgn") { t.organisation = true; info.proper = true; }
    else if (g == "Abbr") t.abbreviation = true;
    else if (g == "Fixd") t.indeclinable = true;
    else if (g == "Apro") info.productive = false;
  }
  switch (t.pos) {
    case Pos::kNumeral: case Pos::kPronoun: case Pos::kPredicative: case Pos::kPreposition:
    case Pos::kConjunction: case Pos::kParticle: case Pos::kInterjection:
      info.productive = false;
      break;
    default:
      break;
  }
  info.text = std::move(text);
  return info;
}

// ---------------------------------------------------------------- analysis

// One analysis before it becomes a Parse: the dictionary's spelling of the
// word (cp1251), a hyphenated lead kept in front of the lemma ("вице-"),
// and where it is in the paradigm table.
struct Candidate {
  std::string form;
  std::string lead;
  std::uint16_t paradigm = 0;
  std::uint16_t index = 0;      // form index in the paradigm
  float score = 0;
  bool guessed = false;
};

using Candidates = std::vector<Candidate>;

// Best score first, ties in their original order. An insertion sort: the
// lists are short, and std::stable_sort would allocate.
void SortByScore(Candidates::iterator begin, Candidates::iterator end) {
  for (auto it = begin; it != end; ++it) {
    const auto to = std::upper_bound(begin, it, *it, [](const Candidate& a, const Candidate& b) {
      return a.score > b.score;
    });
    std::rotate(to, it, it + 1);
  }
}

std::uint16_t DecodeValue(const char* p) {
  const auto hi = static_cast<unsigned char>(p[0]);
  const auto lo = static_cast<unsigned char>(p[1]);
  return static_cast<std::uint16_t>(((hi ^ 1u) << 6) + (lo >> 1));
}

bool IsCyrillicByte(unsigned char b) { return b >= 0xC0 || b == kCpYo || b == 0xA8; }

bool HasCyrillic(std::string_view w) {
  return std::any_of(w.begin(), w.end(),
                     [](char c) { return IsCyrillicByte(static_cast<unsigned char>(c)); });
}

// Hyphenated particles: "сказал-то", "вот-де".
bool IsParticle(std::string_view w) {
  static const std::array<std::string, 6> kParticles = [] {
    std::array<std::string, 6> out;
    const std::array<std::string_view, 6> utf8 = {"то", "ка", "таки", "де", "тко", "с"};
    for (std::size_t i = 0; i < utf8.size(); ++i) morph::ToCp1251(utf8[i], &out[i]);
    return out;
  }();
  return std::find(kParticles.begin(), kParticles.end(), w) != kParticles.end();
}

class MorphologyImpl final : public Morphology {
 public:
  MorphologyImpl() = default;
  MorphologyImpl(const MorphologyImpl&) = delete;
  MorphologyImpl& operator=(const MorphologyImpl&) = delete;

  Status LoadFrom(const std::string& dir);

  std::vector<Parse> Analyze(std::string_view word) const override;
  std::vector<Form> Lexeme(const Parse& parse) const override;

 private:
  std::size_t FormCount(std::uint16_t p) const { return counts_[p]; }
  const std::string& SuffixOf(std::uint16_t p, std::size_t k) const {
    return suffixes_[data_[offsets_[p] + k]];
  }
  const TagInfo& TagOf(std::uint16_t p, std::size_t k) const {
    return tags_[data_[offsets_[p] + counts_[p] + k]];
  }
  const std::string& PrefixOf(std::uint16_t p, std::size_t k) const {
    return prefixes_[data_[offsets_[p] + 2 * counts_[p] + k]];
  }

  // The stem of `form` as form `index` of paradigm `p`; false if it does not fit.
  bool Stem(std::string_view form, std::uint16_t p, std::size_t index, std::string_view* stem) const;
  // The lemma (cp1251) of a candidate; false if its form does not fit the paradigm.
  bool Lemma(const Candidate& c, std::string* lemma) const;

  // How the word was written, for the guessers.
  struct Shape {
    bool capitalised = false;
    bool all_upper = false;
  };
  void AnalyzeCp(std::string_view w, Shape shape, std::vector<Candidate>* out) const;
  void GuessAbbreviation(std::string_view w, std::vector<Candidate>* out) const;
  void GuessSurname(std::string_view w, std::vector<Candidate>* out) const;
  void Lookup(std::string_view w, std::vector<Candidate>* out) const;
  void Walk(std::string_view w, std::size_t pos, dawgdic::BaseType index, std::string* key,
            std::vector<Candidate>* out) const;
  void Score(Candidates::iterator begin, Candidates::iterator end) const;
  void Guess(std::string_view w, bool capitalised, std::vector<Candidate>* out) const;

  std::vector<std::string> prefixes_;     // cp1251
  std::vector<std::string> suffixes_;     // cp1251
  std::vector<TagInfo> tags_;
  std::vector<std::uint16_t> data_;       // paradigms.array after its count
  std::vector<std::uint32_t> offsets_;    // paradigm -> first value in data_
  std::vector<std::uint16_t> counts_;     // paradigm -> number of forms
  Dawg words_;
  Dawg probabilities_;
  std::vector<std::unique_ptr<Dawg>> predictions_;   // one per prefix
  // An indeclinable inanimate abbreviation's paradigm (every case, both
  // numbers, one spelling), for unknown all-capital words; -1 if none.
  std::int32_t abbreviation_paradigm_ = -1;
  // The paradigm of Russian surnames in -ов/-ев/-ин (Иванов, Иванова, ...)
  // for unknown capitalised words of that shape; -1 if none.
  std::int32_t surname_paradigm_ = -1;
  std::vector<std::string> surname_endings_;   // cp1251 ов, ев, ёв, ин, ын
};

Status MorphologyImpl::LoadFrom(const std::string& dir) {
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) {
    return NotFound("Russian morphology directory not found (run scripts/deps.sh or set "
                    "DYAD_RU_MORPHOLOGY)", dir);
  }
  const auto path = [&dir](const char* name) { return (fs::path(dir) / name).string(); };

  // meta.json: [[key, value], ...]; we need the paradigm prefixes.
  {
    const std::string meta_path = path("meta.json");
    nlohmann::json meta;
    if (Status s = ParseJson(meta_path, &meta); !s.ok()) return s;
    if (!meta.is_array()) return Corruption("expected a JSON array of [key, value] pairs", meta_path);
    for (const auto& pair : meta) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string()) continue;
      const std::string& key = pair[0].get_ref<const std::string&>();
      if (key == "language_code" && pair[1] != "ru") {
        return Corruption("not a Russian dictionary (language_code)", meta_path);
      }
      if (key != "compile_options" || !pair[1].is_object()) continue;
      const auto it = pair[1].find("paradigm_prefixes");
      if (it == pair[1].end() || !it->is_array()) continue;
      for (const auto& prefix : *it) {
        std::string cp;
        if (!prefix.is_string() || !morph::ToCp1251(prefix.get_ref<const std::string&>(), &cp)) {
          return Corruption("bad paradigm prefix", meta_path);
        }
        prefixes_.push_back(std::move(cp));
      }
    }
    if (prefixes_.empty() || prefixes_.size() > 8 || !prefixes_[0].empty()) {
      return Corruption("no usable compile_options.paradigm_prefixes", meta_path);
    }
  }

  if (Status s = ParseStringTable(path("suffixes.json"), &suffixes_); !s.ok()) return s;
  {
    std::vector<std::string> texts;
    if (Status s = ParseStringTable(path("gramtab-opencorpora-int.json"), &texts); !s.ok()) return s;
    tags_.reserve(texts.size());
    for (std::string& t : texts) tags_.push_back(ParseTag(std::move(t)));
  }

  {
    const std::string para_path = path("paradigms.array");
    std::string bytes;
    if (Status s = ReadFile(para_path, &bytes); !s.ok()) return s;
    if (bytes.size() < 2 || bytes.size() % 2 != 0) return Corruption("truncated paradigm table", para_path);
    std::vector<std::uint16_t> all(bytes.size() / 2);
    std::memcpy(all.data(), bytes.data(), bytes.size());
    const std::size_t count = all[0];
    std::size_t pos = 1;
    offsets_.reserve(count);
    counts_.reserve(count);
    for (std::size_t p = 0; p < count; ++p) {
      if (pos >= all.size()) return Corruption("truncated paradigm table", para_path);
      const std::size_t length = all[pos++];
      if (length == 0 || length % 3 != 0 || pos + length > all.size()) {
        return Corruption("damaged paradigm " + std::to_string(p), para_path);
      }
      const std::size_t n = length / 3;
      for (std::size_t k = 0; k < n; ++k) {
        if (all[pos + k] >= suffixes_.size() || all[pos + n + k] >= tags_.size() ||
            all[pos + 2 * n + k] >= prefixes_.size()) {
          return Corruption("paradigm " + std::to_string(p) + " refers past the suffix, tag or "
                            "prefix table", para_path);
        }
      }
      offsets_.push_back(static_cast<std::uint32_t>(pos - 1));
      counts_.push_back(static_cast<std::uint16_t>(n));
      pos += length;
    }
    if (pos != all.size()) return Corruption("trailing bytes after the paradigm table", para_path);
    all.erase(all.begin());
    data_ = std::move(all);
  }

  // The largest paradigm whose forms are all one spelling of an inanimate
  // Fixd,Abbr noun that is not a name, place or organisation.
  for (std::size_t p = 0; p < counts_.size(); ++p) {
    const auto id = static_cast<std::uint16_t>(p);
    bool fits = true;
    for (std::size_t k = 0; k < counts_[p] && fits; ++k) {
      const TagInfo& t = TagOf(id, k);
      fits = SuffixOf(id, k).empty() && PrefixOf(id, k).empty() && t.tag.pos == Pos::kNoun &&
             t.tag.abbreviation && t.tag.indeclinable && t.tag.inanimate && !t.proper;
    }
    if (fits && (abbreviation_paradigm_ < 0 ||
                 counts_[p] > counts_[static_cast<std::size_t>(abbreviation_paradigm_)])) {
      abbreviation_paradigm_ = static_cast<std::int32_t>(p);
    }
  }

  if (Status s = LoadDawg(path("words.dawg"), &words_); !s.ok()) return s;
  if (Status s = LoadDawg(path("p_t_given_w.intdawg"), &probabilities_); !s.ok()) return s;
  {
    // The surname paradigm: the one "иванов" has as a surname.
    std::vector<Candidate> ivanov;
    std::string key;
    morph::ToCp1251("иванов", &key);
    Lookup(key, &ivanov);
    for (const Candidate& c : ivanov) {
      if (TagOf(c.paradigm, c.index).surname) surname_paradigm_ = c.paradigm;
    }
    for (const char* e : {"ов", "ев", "ёв", "ин", "ын"}) {
      surname_endings_.emplace_back();
      morph::ToCp1251(e, &surname_endings_.back());
    }
  }
  for (std::size_t i = 0; i < prefixes_.size(); ++i) {
    auto dawg = std::make_unique<Dawg>();
    const std::string name = "prediction-suffixes-" + std::to_string(i) + ".dawg";
    if (Status s = LoadDawg((fs::path(dir) / name).string(), dawg.get()); !s.ok()) return s;
    predictions_.push_back(std::move(dawg));
  }
  return Status::Ok();
}

bool MorphologyImpl::Stem(std::string_view form, std::uint16_t p, std::size_t index,
                          std::string_view* stem) const {
  const std::string& prefix = PrefixOf(p, index);
  const std::string& suffix = SuffixOf(p, index);
  if (form.size() < prefix.size() + suffix.size()) return false;
  if (form.substr(0, prefix.size()) != prefix) return false;
  if (form.substr(form.size() - suffix.size()) != suffix) return false;
  *stem = form.substr(prefix.size(), form.size() - prefix.size() - suffix.size());
  return true;
}

bool MorphologyImpl::Lemma(const Candidate& c, std::string* lemma) const {
  std::string_view stem;
  if (!Stem(c.form, c.paradigm, c.index, &stem)) return false;
  lemma->clear();
  lemma->append(c.lead).append(PrefixOf(c.paradigm, 0)).append(stem).append(SuffixOf(c.paradigm, 0));
  return true;
}

// Follows `w` from `index`, trying ё wherever the word has е.
void MorphologyImpl::Walk(std::string_view w, std::size_t pos, dawgdic::BaseType index,
                          std::string* key, std::vector<Candidate>* out) const {
  const dawgdic::Dictionary& dic = words_.dic;
  for (; pos < w.size(); ++pos) {
    const char c = w[pos];
    if (static_cast<unsigned char>(c) == kCpYe) {
      dawgdic::BaseType yo = index;
      if (dic.Follow(static_cast<char>(kCpYo), &yo)) {
        const std::size_t mark = key->size();
        key->push_back(static_cast<char>(kCpYo));
        Walk(w, pos + 1, yo, key, out);
        key->resize(mark);
      }
    }
    if (!dic.Follow(c, &index)) return;
    key->push_back(c);
  }
  if (!dic.Follow(kSeparator, &index)) return;
  dawgdic::Completer completer(dic, words_.guide);
  completer.Start(index);
  while (completer.Next()) {
    if (completer.length() != 4) continue;   // not a (paradigm, form) record
    Candidate cand;
    cand.paradigm = DecodeValue(completer.key());
    cand.index = DecodeValue(completer.key() + 2);
    if (cand.paradigm >= counts_.size() || cand.index >= counts_[cand.paradigm]) continue;
    cand.form = *key;
    out->push_back(std::move(cand));
  }
}

void MorphologyImpl::Lookup(std::string_view w, std::vector<Candidate>* out) const {
  const std::size_t first = out->size();
  std::string key;
  key.reserve(w.size() + 4);
  Walk(w, 0, words_.dic.root(), &key, out);
  if (out->size() == first && w.find(static_cast<char>(kCpYo)) != std::string_view::npos) {
    // "ёлка" typed with ё where the dictionary has е: fold and retry.
    std::string folded(w);
    std::replace(folded.begin(), folded.end(), static_cast<char>(kCpYo), static_cast<char>(kCpYe));
    key.clear();
    Walk(folded, 0, words_.dic.root(), &key, out);
  }
  if (out->size() == first) return;
  Score(out->begin() + static_cast<std::ptrdiff_t>(first), out->end());
}

// Scores dictionary analyses by P(tag | word) from the corpus, else evenly,
// and sorts them best first. Exact-spelling analyses stay ahead of ones that
// needed ё for е at equal score (the sort is stable and Walk finds them first).
void MorphologyImpl::Score(Candidates::iterator begin, Candidates::iterator end) const {
  const dawgdic::Dictionary& dic = probabilities_.dic;
  // Every (tag, P) stored under "form:", read once per spelling.
  std::vector<std::pair<std::string, float>> known;
  const auto read = [&](std::string_view form) {
    dawgdic::BaseType index = dic.root();
    if (!dic.Follow(form.data(), form.size(), &index) || !dic.Follow(':', &index)) return false;
    dawgdic::Completer completer(dic, probabilities_.guide);
    completer.Start(index);
    while (completer.Next()) {
      known.emplace_back(std::string(completer.key(), completer.length()),
                         static_cast<float>(completer.value()) / 1e6f);
    }
    return true;
  };
  bool any = false;
  const std::string* last = nullptr;
  std::string folded;
  for (auto it = begin; it != end; ++it) {
    Candidate& c = *it;
    if (last == nullptr || *last != c.form) {
      last = &c.form;
      known.clear();
      if (!read(c.form) && c.form.find(static_cast<char>(kCpYo)) != std::string::npos) {
        // The corpus behind P(tag | word) mostly spells ё as е.
        folded = c.form;
        std::replace(folded.begin(), folded.end(), static_cast<char>(kCpYo), static_cast<char>(kCpYe));
        read(folded);
      }
    }
    const std::string& tag = TagOf(c.paradigm, c.index).text;
    c.score = 0;
    for (const auto& [text, p] : known) {
      if (text == tag) { c.score = p; any = true; break; }
    }
  }
  if (!any) {
    for (auto it = begin; it != end; ++it) it->score = 1.0f / static_cast<float>(end - begin);
  }
  SortByScore(begin, end);
}

// Suffix-based guesses for a word the dictionary lacks (the method of
// pymorphy2's known-suffix predictor): for each paradigm prefix the word
// starts with, the longest ending (up to 5 letters) seen in the dictionary
// votes with its counts for (paradigm, form) pairs.
void MorphologyImpl::Guess(std::string_view w, bool capitalised, std::vector<Candidate>* out) const {
  if (w.size() < kMinGuessLength) return;
  std::vector<Candidate> found;
  std::vector<std::uint16_t> counts;
  for (std::size_t pi = 0; pi < prefixes_.size(); ++pi) {
    const std::string& prefix = prefixes_[pi];
    if (w.substr(0, prefix.size()) != prefix) continue;
    const std::string_view base = w.substr(prefix.size());
    const dawgdic::Dictionary& dic = predictions_[pi]->dic;
    const std::size_t longest = std::min(kMaxGuessSuffix, base.size() > 0 ? base.size() - 1 : 0);
    for (std::size_t len = longest; len >= 1; --len) {
      dawgdic::BaseType index = dic.root();
      const std::string_view ending = base.substr(base.size() - len);
      if (!dic.Follow(ending.data(), ending.size(), &index) || !dic.Follow(kSeparator, &index)) continue;
      const std::size_t before = found.size();
      dawgdic::Completer completer(dic, predictions_[pi]->guide);
      completer.Start(index);
      while (completer.Next()) {
        if (completer.length() != 6) continue;
        Candidate c;
        const std::uint16_t count = DecodeValue(completer.key());
        c.paradigm = DecodeValue(completer.key() + 2);
        c.index = DecodeValue(completer.key() + 4);
        if (c.paradigm >= counts_.size() || c.index >= counts_[c.paradigm]) continue;
        const TagInfo& tag = TagOf(c.paradigm, c.index);
        if (!tag.productive || tag.tag.abbreviation || (tag.proper && !capitalised)) continue;
        std::string_view stem;
        if (!Stem(w, c.paradigm, c.index, &stem) || stem.empty()) continue;
        c.form = std::string(w);
        c.score = count;
        c.guessed = true;
        found.push_back(std::move(c));
      }
      if (found.size() > before) break;   // the longest known ending decides
    }
  }
  if (found.empty()) return;
  float total = 0;
  for (const Candidate& c : found) total += c.score;
  for (Candidate& c : found) c.score /= total;
  SortByScore(found.begin(), found.end());
  for (Candidate& c : found) out->push_back(std::move(c));
}

// An unknown word in capitals of 2 to 5 letters ("ОДКБ", "ЕАЭС") is read as
// an indeclinable abbreviation: one guess per case and number.
void MorphologyImpl::GuessAbbreviation(std::string_view w, std::vector<Candidate>* out) const {
  const auto p = static_cast<std::uint16_t>(abbreviation_paradigm_);
  for (std::size_t k = 0; k < FormCount(p); ++k) {
    Candidate c;
    c.form = std::string(w);
    c.paradigm = p;
    c.index = static_cast<std::uint16_t>(k);
    c.score = 1.0f / static_cast<float>(FormCount(p));
    c.guessed = true;
    out->push_back(std::move(c));
  }
}

// An unknown capitalised word shaped like a surname ("Жапаров", "Жапарова",
// "Жапаровым") gets the analyses a known one would have: the forms of the
// surname paradigm whose ending it has, with a stem in -ов/-ев/-ин.
void MorphologyImpl::GuessSurname(std::string_view w, std::vector<Candidate>* out) const {
  if (surname_paradigm_ < 0) return;
  const auto p = static_cast<std::uint16_t>(surname_paradigm_);
  for (std::size_t k = 0; k < FormCount(p); ++k) {
    std::string_view stem;
    if (!Stem(w, p, k, &stem)) continue;
    const bool shaped = std::any_of(surname_endings_.begin(), surname_endings_.end(),
                                    [stem](const std::string& e) {
      return stem.size() >= e.size() + 2 && stem.substr(stem.size() - e.size()) == e;
    });
    if (!shaped) continue;
    Candidate c;
    c.form = std::string(w);
    c.paradigm = p;
    c.index = static_cast<std::uint16_t>(k);
    c.score = 1;
    c.guessed = true;
    out->push_back(std::move(c));
  }
}

void MorphologyImpl::AnalyzeCp(std::string_view w, Shape shape, std::vector<Candidate>* out) const {
  const std::size_t first = out->size();
  Lookup(w, out);
  if (out->size() > first) return;

  // Hyphenated words the dictionary lacks: "вице-премьера" is "премьера"
  // with a lead, "сказал-то" is "сказал" with a particle.
  std::string_view trimmed = w;
  while (!trimmed.empty() && trimmed.front() == '-') trimmed.remove_prefix(1);
  while (!trimmed.empty() && trimmed.back() == '-') trimmed.remove_suffix(1);
  if (trimmed.size() != w.size()) {   // "-то", "во-": the word without its stray hyphens
    if (!trimmed.empty()) AnalyzeCp(trimmed, shape, out);
    return;
  }
  if (const std::size_t dash = w.rfind('-'); dash != std::string_view::npos) {
    const std::string_view left = w.substr(0, dash);
    const std::string_view right = w.substr(dash + 1);
    if (IsParticle(right) || !HasCyrillic(right)) {
      if (HasCyrillic(left)) AnalyzeCp(left, shape, out);
      return;
    }
    std::vector<Candidate> tail;
    AnalyzeCp(right, Shape{}, &tail);
    for (Candidate& c : tail) {
      c.lead = std::string(left) + "-" + c.lead;
      out->push_back(std::move(c));
    }
    return;
  }
  if (!HasCyrillic(w)) return;
  if (shape.all_upper && w.size() >= 2 && w.size() <= 5 && abbreviation_paradigm_ >= 0) {
    GuessAbbreviation(w, out);
    return;
  }
  if (shape.capitalised) GuessSurname(w, out);
  const std::size_t surnames = out->size() - first;
  Guess(w, shape.capitalised, out);
  if (surnames > 0) {
    // A capitalised word of surname shape is most likely a surname (0.6 in
    // all); the suffix guesses share the rest.
    for (std::size_t i = first; i < out->size(); ++i) {
      (*out)[i].score = i < first + surnames ? 0.6f / static_cast<float>(surnames)
                                             : (*out)[i].score * 0.4f;
    }
  }
}

std::vector<Parse> MorphologyImpl::Analyze(std::string_view word) const {
  const morph::Encoded e = morph::EncodeWord(word);
  if (!e.ok || !e.has_cyrillic) return {};
  std::vector<Candidate> candidates;
  AnalyzeCp(e.text, Shape{e.capitalised, e.all_upper}, &candidates);
  std::vector<Parse> parses;
  parses.reserve(candidates.size());
  std::vector<const TagInfo*> tags;      // parses[i]'s tag, to compare cheaply
  tags.reserve(candidates.size());
  std::string lemma;
  for (const Candidate& c : candidates) {
    if (!Lemma(c, &lemma)) continue;
    const TagInfo& tag = TagOf(c.paradigm, c.index);
    Parse p;
    p.lemma = morph::ToUtf8(lemma);
    // One analysis per (lemma, tag): the dictionary lists some twice.
    bool seen = false;
    for (std::size_t i = 0; i < parses.size() && !seen; ++i) {
      seen = tags[i] == &tag && parses[i].lemma == p.lemma;
    }
    if (seen) continue;
    tags.push_back(&tag);
    p.tag = tag.tag;
    p.tag_text = tag.text;
    p.score = c.score;
    p.guessed = c.guessed;
    p.paradigm = c.paradigm;
    parses.push_back(std::move(p));
  }
  return parses;
}

std::vector<Form> MorphologyImpl::Lexeme(const Parse& parse) const {
  std::string lemma;
  if (!morph::ToCp1251(parse.lemma, &lemma)) return {};
  std::int32_t paradigm = parse.paradigm;
  const auto fits = [&](std::int32_t p) {
    std::string_view stem;
    return p >= 0 && static_cast<std::size_t>(p) < counts_.size() &&
           Stem(lemma, static_cast<std::uint16_t>(p), 0, &stem);
  };
  if (!fits(paradigm)) {
    // A hand-made Parse: take the paradigm of the lemma's own analysis.
    paradigm = -1;
    for (const Parse& p : Analyze(parse.lemma)) {
      if (p.lemma == parse.lemma && p.tag.pos == parse.tag.pos && fits(p.paradigm)) {
        paradigm = p.paradigm;
        break;
      }
    }
    if (paradigm < 0) return {Form{parse.lemma, parse.tag}};
  }
  const auto p = static_cast<std::uint16_t>(paradigm);
  std::string_view stem;
  Stem(lemma, p, 0, &stem);
  std::vector<Form> forms;
  forms.reserve(FormCount(p));
  std::string word;
  for (std::size_t k = 0; k < FormCount(p); ++k) {
    word.clear();
    word.append(PrefixOf(p, k)).append(stem).append(SuffixOf(p, k));
    forms.push_back(Form{morph::ToUtf8(word), TagOf(p, k).tag});
  }
  return forms;
}

bool HasDictionary(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "words.dawg", ec);
}

}  // namespace

Result<std::shared_ptr<const Morphology>> Morphology::Load(const std::string& dir) {
  auto morphology = std::make_shared<MorphologyImpl>();
  if (Status s = morphology->LoadFrom(dir); !s.ok()) return s;
  return std::shared_ptr<const Morphology>(std::move(morphology));
}

std::string Morphology::DefaultDirectory() {
  if (const char* env = std::getenv("DYAD_RU_MORPHOLOGY"); env && *env) return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path() / ".." / "share" / "dyad" / "ru-morphology";
    if (HasDictionary(installed)) return installed.lexically_normal().string();
  }
  const fs::path source = fs::path(DYAD_SOURCE_DATA_DIR) / "ru" / "node_modules" / "az" / "dicts";
  if (HasDictionary(source)) return source.string();
  return "";
}

}  // namespace dyad::ru

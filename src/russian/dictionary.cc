// Loading the Russian dictionaries (data/dict/ru, format in docs/russian.md).
//
// Every word of every entry is looked up in the morphology; its lemma's
// paradigm (Morphology::Lexeme) is written into one hash table from folded
// form to (lemma id, grammatical tag). Names the morphology does not know
// (Мирзиёев, Жапаров, Мухриддин) are declined by a small suffix table, and
// words written in capitals (МИД, РФ, ФСБ) are taken as they are. So the
// coder never calls the morphology for a dictionary word.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "dict_tables.h"
#include "dyad/dictionary.h"
#include "dyad/russian_coder.h"
#include "dyad/russian_morphology.h"
#include "dyad/russian_text.h"

namespace dyad::ru {
namespace {

std::string Trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> SplitWords(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

std::vector<std::string> SplitBar(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t bar = s.find('|', start);
    if (bar == std::string_view::npos) bar = s.size();
    std::string p = Trim(s.substr(start, bar - start));
    if (!p.empty()) out.push_back(p);
    start = bar + 1;
  }
  return out;
}

bool StartsUpper(std::string_view w) {
  // Cyrillic capitals А..Я are U+0410..U+042F (D0 90..D0 AF), Ё is D0 81.
  if (w.size() >= 2 && static_cast<unsigned char>(w[0]) == 0xD0) {
    const unsigned char b = static_cast<unsigned char>(w[1]);
    return (b >= 0x90 && b <= 0xAF) || b == 0x81;
  }
  return !w.empty() && w[0] >= 'A' && w[0] <= 'Z';
}

// Two or more letters, most of them capitals: an abbreviation (МИД, ФСБ,
// РУз, ГУ).
bool AllUpper(std::string_view w) {
  int letters = 0, upper = 0;
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(w.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(w.data(), i, n, c);
    if (c < 0 || !u_isalpha(c)) continue;
    ++letters;
    if (u_isupper(c)) ++upper;
  }
  return letters >= 2 && upper * 3 >= letters * 2;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Tag NameTag(Case c, Number n = Number::kSing) {
  Tag t;
  t.pos = Pos::kNoun;
  t.grammatical_case = c;
  t.number = n;
  t.animate = true;
  t.name = true;
  return t;
}

// Declension by suffix for names the morphology does not know.
std::vector<std::pair<std::string, Tag>> DeclineName(const std::string& w) {
  std::vector<std::pair<std::string, Tag>> out;
  auto add = [&](const std::string& f, Case c, Number n = Number::kSing) {
    out.emplace_back(f, NameTag(c, n));
  };
  add(w, Case::kNom);
  // Adjectives in place names ("Баткенская область", "Ташкентский суд").
  if (EndsWith(w, "ая") || EndsWith(w, "яя")) {
    const std::string stem = w.substr(0, w.size() - 4);
    for (Case c : {Case::kGen, Case::kDat, Case::kIns, Case::kLoc}) add(stem + "ой", c);
    add(stem + "ую", Case::kAcc);
    return out;
  }
  if (EndsWith(w, "ий") || EndsWith(w, "ый") || EndsWith(w, "ой")) {
    const std::string stem = w.substr(0, w.size() - 4);
    add(stem + "ого", Case::kGen); add(stem + "ого", Case::kAcc); add(stem + "ому", Case::kDat);
    add(stem + "им", Case::kIns); add(stem + "ым", Case::kIns); add(stem + "ом", Case::kLoc);
    add(w, Case::kAcc);
    return out;
  }
  if (EndsWith(w, "ия")) {
    const std::string stem = w.substr(0, w.size() - 4);
    add(stem + "ии", Case::kGen); add(stem + "ии", Case::kDat); add(stem + "ии", Case::kLoc);
    add(stem + "ию", Case::kAcc); add(stem + "ией", Case::kIns);
  } else if (EndsWith(w, "ки") || EndsWith(w, "ны") || EndsWith(w, "ры")) {
    // Plural place names: Котельники, Химки, Черемушки.
    const std::string stem = w.substr(0, w.size() - 2);
    add(w, Case::kAcc);
    add(stem + "ах", Case::kLoc); add(stem + "ам", Case::kDat); add(stem + "ами", Case::kIns);
    add(stem + "ов", Case::kGen);
  } else if (EndsWith(w, "а") || EndsWith(w, "я")) {
    const std::string stem = w.substr(0, w.size() - 2);
    const bool soft = EndsWith(w, "я");
    add(stem + (soft ? "и" : "ы"), Case::kGen); add(stem + "е", Case::kDat);
    add(stem + "е", Case::kLoc); add(stem + (soft ? "ю" : "у"), Case::kAcc);
    add(stem + (soft ? "ей" : "ой"), Case::kIns);
    add(stem + "ой", Case::kGen); add(stem + "ой", Case::kDat); add(stem + "ой", Case::kLoc);
  } else if (!EndsWith(w, "о") && !EndsWith(w, "е") && !EndsWith(w, "и") && !EndsWith(w, "у") &&
             !EndsWith(w, "ь") && !EndsWith(w, "й")) {
    add(w, Case::kAcc);  // an inanimate name (a town): accusative = nominative
    add(w + "а", Case::kGen); add(w + "а", Case::kAcc); add(w + "у", Case::kDat);
    add(w + "ом", Case::kIns); add(w + "е", Case::kLoc);
    if (EndsWith(w, "ов") || EndsWith(w, "ев") || EndsWith(w, "ин") || EndsWith(w, "ын")) {
      add(w + "ым", Case::kIns);
      add(w + "ы", Case::kNom, Number::kPlur);
      add(w + "ой", Case::kIns); add(w + "ой", Case::kGen); add(w + "ой", Case::kDat);
    }
  }
  return out;
}

class Loader {
 public:
  Loader(const Morphology& morph, DictTables* t, RussianDictionaryStats* stats)
      : morph_(morph), t_(*t), stats_(*stats) {}

  std::uint32_t LemmaId(const std::string& lemma) {
    auto it = t_.lemma_ids.find(lemma);
    if (it != t_.lemma_ids.end()) return it->second;
    const std::uint32_t id = static_cast<std::uint32_t>(t_.lemmas.size());
    t_.lemmas.push_back({});
    t_.lemmas.back().text = lemma;
    t_.lemma_ids.emplace(lemma, id);
    return id;
  }

  void AddForm(const std::string& form, std::uint32_t id, const Tag& tag) {
    auto& v = t_.forms[form].analyses;
    for (const auto& a : v)
      if (a.lemma == id && a.tag == tag) return;
    v.push_back({id, tag});
  }

  // Expands one word as written in a dictionary file to its lemma's forms;
  // returns the lemma id. `want` restricts the parses to a part of speech
  // class when not kUnknown (verbs: kVerb takes VERB and INFN lemmas).
  std::uint32_t Expand(const std::string& written, Pos want = Pos::kUnknown) {
    const std::string folded = FoldWord(written);
    if (AllUpper(written)) {
      // An abbreviation: the form as written, any case.
      Tag tag;
      tag.pos = Pos::kNoun;
      tag.abbreviation = true;
      tag.indeclinable = true;
      const std::uint32_t id = LemmaId(folded);
      AddForm(folded, id, tag);
      return id;
    }
    std::vector<Parse> parses = morph_.Analyze(folded);
    const bool capital = StartsUpper(written);
    auto pos_ok = [&](const Parse& p) {
      // A name must be read as itself or as a name, never as a common word
      // that happens to share the form ("Саидов" is not "саид", gen. pl.).
      if (capital && FoldWord(p.lemma) != folded &&
          (p.tag.grammatical_case != Case::kNom ||
           !(p.tag.name || p.tag.geography || p.tag.organisation || p.tag.pos == Pos::kAdjFull)))
        return false;
      if (want == Pos::kUnknown) return true;
      if (want == Pos::kVerb) return p.tag.pos == Pos::kVerb || p.tag.pos == Pos::kInfinitive;
      return p.tag.pos == want;
    };
    std::string lemma;
    for (const auto& p : parses)
      if (!p.guessed && pos_ok(p) && FoldWord(p.lemma) == folded) { lemma = folded; break; }
    if (lemma.empty())
      for (const auto& p : parses)
        if (!p.guessed && pos_ok(p)) { lemma = FoldWord(p.lemma); break; }
    // A word the dictionary lacks but whose suffix guess has it as its own
    // lemma ("экстрадировать"): the guessed paradigm is used.
    bool use_guess = false;
    if (lemma.empty() && !AllUpper(written))
      for (const auto& p : parses)
        if (p.guessed && pos_ok(p) && FoldWord(p.lemma) == folded) { lemma = folded; use_guess = true; break; }
    const bool known = !lemma.empty();
    if (!known) {
      lemma = folded;
      ++stats_.lemmas_unknown;
    }
    const std::uint32_t id = LemmaId(lemma);
    if (known) {
      for (const auto& p : parses) {
        if (p.guessed != use_guess || !pos_ok(p) || FoldWord(p.lemma) != lemma) continue;
        for (const Form& f : morph_.Lexeme(p)) AddForm(FoldWord(f.word), id, f.tag);
      }
    }
    if (!known || StartsUpper(written)) {
      if (!known || parses.empty() || parses.front().guessed)
        for (const auto& [form, tag] : DeclineName(folded)) AddForm(form, id, tag);
    }
    if (!known && parses.empty()) AddForm(folded, id, Tag{});
    return id;
  }

  Status ReadActorsOrAgents(const std::string& path, bool agents) {
    std::ifstream in(path);
    if (!in) return NotFound("cannot open Russian dictionary file", path);
    std::string line;
    int number = 0;
    const std::string name = std::filesystem::path(path).filename().string();
    while (std::getline(in, line)) {
      ++number;
      if (const size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
      line = Trim(line);
      if (line.empty()) continue;
      const size_t sp = line.find_first_of(" \t");
      if (sp == std::string::npos)
        return InvalidArgument("expected CODE followed by phrases separated by |",
                               path + ":" + std::to_string(number));
      const std::string code = line.substr(0, sp);
      for (const std::string& ph : SplitBar(line.substr(sp + 1))) {
        Phrase p;
        p.agent = agents;
        if (agents) p.role = code == "-" ? "" : code; else p.code = code;
        if (agents && p.role.ends_with("@place")) {
          p.role.resize(p.role.size() - 6);
          p.local = true;
        }
        p.origin = name + ":" + std::to_string(number);
        p.text = ph;
        const auto words = SplitWords(ph);
        for (const auto& w : words) p.lemmas.push_back(Expand(w));
        if (!agents && words.size() == 1) {
          for (const auto& a : morph_.Analyze(FoldWord(words[0])))
            if (!a.guessed && a.tag.pos == Pos::kAdjFull && !StartsUpper(words[0])) p.adjective = true;
        }
        const std::uint32_t idx = static_cast<std::uint32_t>(t_.phrases.size());
        t_.lemmas[p.lemmas[0]].phrases.push_back(idx);
        t_.phrases.push_back(std::move(p));
        if (agents) ++stats_.agent_entries; else ++stats_.actor_entries;
      }
    }
    return Status::Ok();
  }

  Status ReadVerbs(const std::string& path) {
    std::ifstream in(path);
    if (!in) return NotFound("cannot open Russian dictionary file", path);
    std::string line;
    int number = 0;
    const std::string name = std::filesystem::path(path).filename().string();
    while (std::getline(in, line)) {
      ++number;
      const std::string where = path + ":" + std::to_string(number);
      if (const size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
      const bool indented = !line.empty() && (line[0] == ' ' || line[0] == '\t');
      line = Trim(line);
      if (line.empty()) continue;
      if (!indented) {
        if (line.rfind("VERB ", 0) != 0) return InvalidArgument("expected 'VERB lemma ...'", where);
        VerbEntry v;
        v.origin = name + ":" + std::to_string(number);
        std::string lemmas = line.substr(5), flags;
        if (const size_t colon = lemmas.find(':'); colon != std::string::npos) {
          flags = lemmas.substr(colon + 1);
          lemmas.resize(colon);
        }
        for (const auto& f : SplitWords(flags)) {
          if (f == "state") v.state = true;
          else if (f == "speech") v.speech = true;
          else if (f == "recip") v.reciprocal = true;
          else if (f == "phase") v.phase = true;
          else return InvalidArgument("unknown verb flag '" + f + "'", where);
        }
        const std::int32_t index = static_cast<std::int32_t>(t_.verbs.size());
        for (const auto& w : SplitWords(lemmas)) {
          if (v.name.empty()) v.name = w;
          const std::uint32_t id = Expand(w, Pos::kVerb);
          if (t_.lemmas[id].verb >= 0 && t_.lemmas[id].verb != index)
            return InvalidArgument("verb '" + w + "' already has an entry at " +
                                       t_.verbs[t_.lemmas[id].verb].origin, where);
          t_.lemmas[id].verb = index;
          // The -ся form of a verb not listed itself is its passive
          // ("задерживаться": мигранты задерживаются полицией).
          const std::string folded = FoldWord(w);
          if (!EndsWith(folded, "ся") && !EndsWith(folded, "сь")) {
            const std::string refl = folded + "ся";
            bool exists = false;
            for (const auto& p : morph_.Analyze(refl))
              if (!p.guessed && FoldWord(p.lemma) == refl) exists = true;
            if (exists && !t_.lemma_ids.contains(refl)) {
              const std::uint32_t rid = Expand(refl, Pos::kVerb);
              t_.lemmas[rid].verb = index;
              t_.lemmas[rid].verb_passive = true;
            }
          }
        }
        if (v.name.empty()) return InvalidArgument("VERB needs at least one lemma", where);
        t_.verbs.push_back(std::move(v));
        ++stats_.verb_entries;
        continue;
      }
      if (t_.verbs.empty()) return InvalidArgument("pattern line before any VERB", where);
      auto words = SplitWords(line);
      VerbLine l;
      l.origin = name + ":" + std::to_string(number);
      l.text = line;
      size_t k = 0;
      if (k < words.size() && words[k] == "neg") { l.negated = true; ++k; }
      if (k >= words.size()) return InvalidArgument("pattern needs a target and a code", where);
      const std::string target = words[k++];
      if (target == "*") l.any_case = true;
      else if (target == "-") l.no_target = true;
      else {
        std::string c = target;
        if (const size_t plus = target.find('+'); plus != std::string::npos) {
          l.preposition = FoldWord(target.substr(0, plus));
          c = target.substr(plus + 1);
        }
        static const std::pair<const char*, Case> kCases[] = {
            {"nom", Case::kNom}, {"gen", Case::kGen}, {"dat", Case::kDat},
            {"acc", Case::kAcc}, {"ins", Case::kIns}, {"loc", Case::kLoc}};
        for (const auto& [n, cs] : kCases) if (c == n) l.target_case = cs;
        if (l.target_case == Case::kNone)
          return InvalidArgument("target must be *, -, a case (nom gen dat acc ins loc) or PREP+case, got '" +
                                     target + "'", where);
      }
      if (k >= words.size()) return InvalidArgument("pattern needs a code", where);
      l.code = words.back();
      if (l.code.size() < 3 || l.code.size() > 4 ||
          l.code.find_first_not_of("0123456789") != std::string::npos)
        return InvalidArgument("CAMEO code must be 3 or 4 digits, got '" + l.code + "'", where);
      for (size_t j = k; j + 1 < words.size(); ++j) l.words.push_back(Expand(words[j]));
      t_.verbs.back().lines.push_back(std::move(l));
      ++stats_.verb_patterns;
    }
    // Most specific pattern first (stable: file order among equals).
    for (auto& v : t_.verbs)
      std::stable_sort(v.lines.begin(), v.lines.end(), [](const VerbLine& a, const VerbLine& b) {
        return a.words.size() > b.words.size();
      });
    return Status::Ok();
  }

  Status ReadWords(const std::string& path) {
    std::ifstream in(path);
    if (!in) return NotFound("cannot open Russian dictionary file", path);
    std::string line;
    int number = 0;
    static const std::pair<const char*, WordKind> kKinds[] = {
        {"PREP", WordKind::kPreposition}, {"CONJ", WordKind::kConjunction},
        {"NEG", WordKind::kNegation},     {"NUM", WordKind::kNumeral},
        {"REL", WordKind::kRelative},     {"SUB", WordKind::kSubordinator},
        {"AUX", WordKind::kAuxiliary},    {"RECIP", WordKind::kReciprocal},
        {"DET", WordKind::kDeterminer},   {"PRON", WordKind::kPronoun}};
    while (std::getline(in, line)) {
      ++number;
      const std::string where = path + ":" + std::to_string(number);
      if (const size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
      line = Trim(line);
      if (line.empty()) continue;
      std::string cases;
      if (const size_t colon = line.find(':'); colon != std::string::npos) {
        cases = line.substr(colon + 1);
        line.resize(colon);
      }
      auto words = SplitWords(line);
      WordKind kind = WordKind::kNone;
      for (const auto& [n, k] : kKinds) if (words[0] == n) kind = k;
      if (kind == WordKind::kNone) return InvalidArgument("unknown word class '" + words[0] + "'", where);
      std::uint8_t bits = 0;
      for (const auto& c : SplitWords(cases)) {
        static const std::pair<const char*, Case> kCases[] = {
            {"nom", Case::kNom}, {"gen", Case::kGen}, {"dat", Case::kDat},
            {"acc", Case::kAcc}, {"ins", Case::kIns}, {"loc", Case::kLoc}};
        bool found = false;
        for (const auto& [n, cs] : kCases) if (c == n) { bits |= CaseBit(cs); found = true; }
        if (!found) return InvalidArgument("unknown case '" + c + "'", where);
      }
      for (size_t i = 1; i < words.size(); ++i) {
        const std::string folded = FoldWord(words[i]);
        std::vector<std::string> forms{folded};
        if (kind == WordKind::kRelative || kind == WordKind::kAuxiliary || kind == WordKind::kNumeral ||
            kind == WordKind::kDeterminer) {
          const std::uint32_t id = Expand(words[i]);
          forms.clear();
          for (const auto& [form, entry] : t_.forms)
            for (const auto& a : entry.analyses)
              if (a.lemma == id) { forms.push_back(form); break; }
          forms.push_back(folded);
        }
        for (const auto& f : forms) {
          FormEntry& e = t_.forms[f];
          e.kind = kind;
          e.prep_cases |= bits;
        }
      }
    }
    return Status::Ok();
  }

 private:
  const Morphology& morph_;
  DictTables& t_;
  RussianDictionaryStats& stats_;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

RussianDictionary::RussianDictionary() : tables_(std::make_unique<DictTables>()) {}
RussianDictionary::~RussianDictionary() = default;

std::string RussianDictionary::DefaultDirectory() {
  if (const char* env = std::getenv("DYAD_RU_DICT_DIR"); env && *env) return env;
  return (std::filesystem::path(Dictionary::DefaultDirectory()) / "ru").string();
}

Result<std::shared_ptr<const RussianDictionary>> RussianDictionary::Load(
    const std::string& dir, std::shared_ptr<const Morphology> morphology) {
  if (!morphology) return InvalidArgument("Russian dictionaries need a morphology", dir);
  const auto start = std::chrono::steady_clock::now();
  std::shared_ptr<RussianDictionary> d(new RussianDictionary());
  d->morphology_ = std::move(morphology);
  Loader loader(*d->morphology_, d->tables_.get(), &d->stats_);
  const std::filesystem::path base(dir);
  std::error_code ec;
  if (!std::filesystem::is_directory(base, ec))
    return NotFound("Russian dictionary directory does not exist", dir);
  std::uint64_t fp = 1469598103934665603ull;
  for (const char* f : {"words.txt", "agents.txt", "actors.txt", "verbs.txt"}) {
    const std::string path = (base / f).string();
    Status s = std::string(f) == "words.txt"    ? loader.ReadWords(path)
               : std::string(f) == "agents.txt" ? loader.ReadActorsOrAgents(path, true)
               : std::string(f) == "actors.txt" ? loader.ReadActorsOrAgents(path, false)
                                                : loader.ReadVerbs(path);
    if (!s.ok()) return s;
    fp = fp * 1099511628211ull ^ std::hash<std::string>{}(std::string(f) + ReadAll(path));
  }
  d->stats_.forms = d->tables_->forms.size();
  d->stats_.load_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fp));
  d->fingerprint_ = hex;
  return std::shared_ptr<const RussianDictionary>(std::move(d));
}

}  // namespace dyad::ru

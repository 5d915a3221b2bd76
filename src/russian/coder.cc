// The Russian coder: who did what to whom from case and agreement.
//
// For each sentence:
//  1. Every token is looked up in the compiled dictionary (one hash probe);
//     words outside it get their part of speech from the morphology through
//     a memo (only to find verbs, participles and clause structure).
//  2. Dictionary phrases (actors, agents) are matched on lemmas and grouped
//     into noun phrases: [adjective actor] HEAD [genitive modifiers | из +
//     gen | по + dat | an appositive name]. A phrase's case is its head's;
//     a numeral before it makes a genitive count as nominative/accusative.
//     Phrases joined by "и" or a comma in a shared case form a group.
//  3. The sentence is cut into clauses at commas; participle and relative
//     clauses are set aside, clauses without a verb join their neighbours.
//  4. Each finite dictionary verb (or short participle, or gerund) takes its
//     subject from the nominative group that agrees with it in number and
//     gender, wherever it stands, and its target from the group in the case
//     (and after the preposition) its matching pattern line governs.
//     Passives take the nominative as target and the instrumental as source.
//     Subjectless verbs inherit the previous verb's subject; agentless
//     plurals and passives of state acts are coded only when the sentence
//     names the agency ("в ИВС", "сообщили в ГУ МВД") or the state's place.
#include <algorithm>
#include <deque>
#include <mutex>
#include <shared_mutex>
#include <sstream>
#include <unordered_map>

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include "dict/tables.h"
#include "dict_tables.h"
#include "dyad/cameo.h"
#include "dyad/dictionary.h"
#include "dyad/russian_coder.h"
#include "dyad/russian_morphology.h"
#include "dyad/russian_text.h"

namespace dyad::ru {

// What the coder needs to know of a word outside the dictionaries.
struct WordInfo {
  bool finite_verb = false;   // VERB (indicative or imperative)
  bool full_participle = false;
  bool short_participle = false;
  bool gerund = false;
  bool infinitive = false;
  bool adjective = false;
  bool noun = false;
  Tag verb_tag;               // the first verb parse (agreement)
  // A name shared with the English dictionaries through transliteration:
  // index into dict::Tables::actors, -1 when none.
  std::int32_t english_actor = -1;
  std::uint8_t name_cases = 0;
  std::string transliterated;
};

struct RussianCoder::Cache {
  std::mutex translit_mu;  // ICU transliterators are not thread-safe
  std::unique_ptr<icu::Transliterator> translit;
  std::shared_mutex mu;
  std::unordered_map<std::string, WordInfo, StringHash, std::equal_to<>> words;
  static constexpr size_t kMaxWords = 1 << 20;
};

namespace {

constexpr std::uint8_t kAllCases = 0xFE;
constexpr std::uint8_t kAllCasesBits = 0xFE;

const char* CaseName(Case c) {
  switch (c) {
    case Case::kNom: return "nom";
    case Case::kGen: return "gen";
    case Case::kDat: return "dat";
    case Case::kAcc: return "acc";
    case Case::kIns: return "ins";
    case Case::kLoc: return "loc";
    case Case::kVoc: return "voc";
    default: return "-";
  }
}

std::string CasesText(std::uint8_t bits) {
  std::string out;
  for (Case c : {Case::kNom, Case::kGen, Case::kDat, Case::kAcc, Case::kIns, Case::kLoc})
    if (bits & CaseBit(c)) out += std::string(out.empty() ? "" : "/") + CaseName(c);
  return out.empty() ? "-" : out;
}

bool IsStateRole(std::string_view role) {
  return role == "COP" || role == "GOV" || role == "JUD" || role == "MIL" || role == "LEG" ||
         role == "SPY";
}

std::string CountryPart(const std::string& code) {
  for (const char* p : {"IGO", "NGO", "IMG", "MNC"})
    if (code.rfind(p, 0) == 0) return code;  // organisations keep their code
  return code.substr(0, std::min<size_t>(3, code.size()));
}

struct TokInfo {
  const FormEntry* entry = nullptr;
  WordInfo info;          // for words outside the dictionary
  bool has_info = false;
  WordKind kind = WordKind::kNone;
};

// A dictionary phrase matched in the text.
struct Unit {
  std::uint32_t begin = 0, end = 0;  // tokens
  std::uint32_t head = 0;            // token whose tag gives the case
  const Phrase* phrase = nullptr;
  std::uint8_t cases = 0;
  Number number = Number::kNone;
  Gender gender = Gender::kNone;
  std::uint8_t nom_genders = 0;      // bit per Gender of the nominative readings
  std::uint8_t nom_numbers = 0;      // bit per Number of the nominative readings
};

struct NounPhrase {
  std::uint32_t begin = 0, end = 0;
  std::uint32_t head = 0;
  std::uint8_t cases = 0;
  Number number = Number::kNone;
  Gender gender = Gender::kNone;
  std::string preposition;           // folded, "" when none
  std::vector<std::string> codes;    // resolved actor codes
  std::string role;                  // when codes lack a country
  std::vector<std::string> entries;  // "file:line text"
  bool person = false;
  std::uint8_t nom_genders = 0;
  std::uint8_t nom_numbers = 0;
  bool counted = false;              // after a numeral: "двух граждан"
  bool local = false;                // "местные жители": the place's country
  bool adjective_only = false;       // "российской" before a noun outside the dictionary
  bool actor_head = false;           // headed by an actor (a country, a person), not an agent
};

struct Group {
  std::vector<std::uint32_t> members;  // indices into phrases
  std::uint32_t begin = 0, end = 0;
  std::uint8_t cases = 0;
  std::string preposition;
  Number number = Number::kNone;
  Gender gender = Gender::kNone;
};

// A group of one phrase.
Group GroupOf(std::uint32_t index, const NounPhrase& np) {
  Group g;
  g.members = {index};
  g.begin = np.begin;
  g.end = np.end;
  g.cases = np.cases;
  g.preposition = np.preposition;
  g.number = np.number;
  g.gender = np.gender;
  return g;
}

struct Predicate {
  std::uint32_t token = 0;
  const VerbEntry* verb = nullptr;
  Tag tag;                 // the form's tag (agreement, voice)
  bool passive = false;
  bool gerund = false;
  bool negated = false;
  std::uint32_t region_begin = 0, region_end = 0;
  std::int32_t subject = -1;  // group index
  std::string subject_how;
};

class SentenceCoder {
 public:
  SentenceCoder(const DictTables& t, const Morphology& morph, RussianCoder::Cache* cache,
                const Document& doc, const Text& text, std::uint32_t sentence_index,
                const CoderOptions& options, Trace* trace, std::vector<Event>* events,
                const Dictionary* english)
      : t_(t), morph_(morph), cache_(cache), doc_(doc), text_(text), si_(sentence_index),
        options_(options), trace_(trace), events_(events), english_(english) {
    const SentenceSpan& s = text.sentences[sentence_index];
    b_ = s.first_token;
    e_ = s.end_token;
  }

  void Run() {
    Lookup();
    MatchUnits();
    BuildPhrases();
    BuildGroups();
    FindPredicates();
    if (trace_) TraceTokens();
    FindPlace();
    // Speakers first: an agency reporting its own operation ("сообщила
    // пресс-служба ГУ МВД") is the actor of an agentless verb before it.
    for (size_t p = 0; p < preds_.size(); ++p)
      if (preds_[p].verb->speech) SetSubject(preds_[p], p);
    for (size_t p = 0; p < preds_.size(); ++p) CodePredicate(p);
  }

 private:
  std::string_view Norm(std::uint32_t i) const { return text_.Norm(text_.tokens[i]); }
  std::string Surface(std::uint32_t b, std::uint32_t e) const {
    if (b >= e) return "";
    return doc_.text.substr(text_.tokens[b].begin, text_.tokens[e - 1].end - text_.tokens[b].begin);
  }
  void Log(const std::string& s) { if (trace_) trace_->lines.push_back(s); }

  WordInfo Analyze(std::string_view form, bool capitalized = false) {
    {
      std::shared_lock lock(cache_->mu);
      auto it = cache_->words.find(form);
      if (it != cache_->words.end()) return it->second;
    }
    WordInfo w;
    bool first_verb = true;
    for (const Parse& p : morph_.Analyze(form)) {
      if (p.score < 0.05f && !w.finite_verb && !w.noun && !w.adjective) {}  // keep all
      switch (p.tag.pos) {
        case Pos::kVerb:
          w.finite_verb = true;
          if (first_verb) { w.verb_tag = p.tag; first_verb = false; }
          break;
        case Pos::kParticipleFull: w.full_participle = true; break;
        case Pos::kParticipleShort:
          w.short_participle = true;
          if (first_verb) { w.verb_tag = p.tag; first_verb = false; }
          break;
        case Pos::kGerund: w.gerund = true; break;
        case Pos::kInfinitive: w.infinitive = true; break;
        case Pos::kAdjFull: w.adjective = true; break;
        case Pos::kNoun: case Pos::kPronoun: w.noun = true; break;
        default: break;
      }
    }
    if (capitalized && english_ && cache_->translit) {
      // The name's nominative, transliterated, as a one-word English actor.
      // Candidates: the form itself, the form without a case ending
      // (Пашиняном -> Пашинян), the morphology's lemma.
      std::vector<std::pair<std::string, std::uint8_t>> candidates = {{std::string(form), kAllCasesBits}};
      static const std::pair<std::string_view, Case> kEndings[] = {
          {"ом", Case::kIns}, {"ым", Case::kIns}, {"ем", Case::kIns}, {"у", Case::kDat},
          {"а", Case::kGen}, {"е", Case::kLoc}, {"ю", Case::kDat}, {"я", Case::kGen}};
      for (const auto& [ending, c] : kEndings)
        if (form.size() > ending.size() + 4 && form.ends_with(ending)) {
          std::uint8_t bits = CaseBit(c);
          if (c == Case::kGen) bits |= CaseBit(Case::kAcc);
          candidates.emplace_back(std::string(form.substr(0, form.size() - ending.size())), bits);
        }
      for (const Parse& p : morph_.Analyze(form))
        if (p.tag.pos == Pos::kNoun && p.tag.name) {
          candidates.emplace_back(FoldWord(p.lemma), CaseBit(p.tag.grammatical_case));
          break;
        }
      const dict::Tables& et = english_->tables();
      for (const auto& [candidate, bits] : candidates) {
        icu::UnicodeString u = icu::UnicodeString::fromUTF8(candidate);
        {
          std::lock_guard lock(cache_->translit_mu);
          cache_->translit->transliterate(u);
        }
        std::string latin;
        u.toUTF8String(latin);
        latin.erase(std::remove(latin.begin(), latin.end(), '\''), latin.end());
        const dict::WordId id = et.vocabulary.Find(latin);
        if (id == 0) continue;
        const std::uint32_t node = et.actor_trie.Child(dict::PhraseTrie::kRoot, id);
        if (node == dict::PhraseTrie::kNone || et.actor_trie.Value(node) < 0) continue;
        w.english_actor = et.actor_trie.Value(node);
        w.transliterated = latin;
        w.name_cases = bits;
        break;
      }
    }
    std::unique_lock lock(cache_->mu);
    if (cache_->words.size() < RussianCoder::Cache::kMaxWords) cache_->words.emplace(std::string(form), w);
    return w;
  }

  void Lookup() {
    toks_.assign(e_ - b_, {});
    for (std::uint32_t i = b_; i < e_; ++i) {
      TokInfo& ti = toks_[i - b_];
      const Token& tk = text_.tokens[i];
      if (tk.kind != TokenKind::kWord) continue;
      // An initial ("С." in "С. В. Лавров") is not the preposition "с".
      if (tk.capitalized && tk.end - tk.begin <= 2 && i + 1 < e_ && Norm(i + 1) == "." &&
          text_.tokens[i + 1].begin == tk.end)
        continue;
      ti.entry = t_.Find(Norm(i));
      if (ti.entry) ti.kind = ti.entry->kind;
      if (ti.kind == WordKind::kReciprocal) has_reciprocal_ = true;
      if (ti.kind == WordKind::kAuxiliary) {
        ti.info = Analyze(Norm(i));
        ti.has_info = true;
      }
      if (!ti.entry || ti.entry->analyses.empty()) {
        if (ti.kind == WordKind::kNone) {
          ti.info = Analyze(Norm(i), tk.capitalized);
          ti.has_info = true;
        }
      }
    }
  }
  const TokInfo& Tok(std::uint32_t i) const { return toks_[i - b_]; }
  bool IsPunct(std::uint32_t i, std::string_view p) const {
    return i < e_ && text_.tokens[i].kind != TokenKind::kWord &&
           text_.tokens[i].kind != TokenKind::kNumber && Norm(i) == p;
  }
  bool HasLemma(std::uint32_t i, std::uint32_t lemma) const {
    const FormEntry* f = Tok(i).entry;
    if (!f) return false;
    for (const auto& a : f->analyses) if (a.lemma == lemma) return true;
    return false;
  }

  void MatchUnits() {
    for (std::uint32_t i = b_; i < e_;) {
      const FormEntry* f = Tok(i).entry;
      Unit best;
      // A preposition or conjunction is never a noun ("после" is not the
      // locative of "посол").
      if (f && f->kind != WordKind::kPreposition && f->kind != WordKind::kConjunction &&
          f->kind != WordKind::kNegation) {
        for (const auto& a : f->analyses) {
          for (std::uint32_t pid : t_.lemmas[a.lemma].phrases) {
            const Phrase& ph = t_.phrases[pid];
            std::uint32_t j = i + 1;
            size_t k = 1;
            for (; k < ph.lemmas.size() && j < e_; ++k, ++j)
              if (!HasLemma(j, ph.lemmas[k])) break;
            if (k < ph.lemmas.size()) continue;
            if (best.phrase && j - i <= best.end - best.begin) continue;
            best.phrase = &ph;
            best.begin = i;
            best.end = j;
          }
        }
      }
      if (!best.phrase && Tok(i).has_info && Tok(i).info.english_actor >= 0 &&
          text_.tokens[i].capitalized) {
        if (const Phrase* ph = EnglishPhrase(Tok(i).info)) {
          best.phrase = ph;
          best.begin = i;
          best.end = i + 1;
          best.head = i;
          best.cases = Tok(i).info.name_cases ? Tok(i).info.name_cases : kAllCases;
          units_.push_back(best);
          ++i;
          continue;
        }
      }
      if (!best.phrase) { ++i; continue; }
      // The head: the first token whose analysis of the phrase's lemma is a
      // noun (or an abbreviation); adjectives agree, so any token would do
      // for case, but number and gender are the noun's.
      // Only words before a preposition inside the phrase can be its head
      // ("поверенный в делах").
      std::uint32_t limit = best.end;
      for (std::uint32_t j = best.begin + 1; j < best.end; ++j)
        if (Tok(j).kind == WordKind::kPreposition) { limit = j; break; }
      best.head = limit - 1;
      for (std::uint32_t j = best.begin; j < limit; ++j) {
        bool noun = false;
        for (const auto& a : Tok(j).entry->analyses)
          if (a.lemma == best.phrase->lemmas[j - best.begin] && a.tag.pos == Pos::kNoun) noun = true;
        if (noun) { best.head = j; break; }
      }
      const std::uint32_t lemma = best.phrase->lemmas[best.head - best.begin];
      bool sing = false, plur = false;
      for (const auto& a : Tok(best.head).entry->analyses) {
        if (a.lemma != lemma) continue;
        if (a.tag.grammatical_case == Case::kNone) best.cases |= kAllCases;
        else best.cases |= CaseBit(a.tag.grammatical_case);
        if (a.tag.number == Number::kSing) sing = true;
        if (a.tag.number == Number::kPlur) plur = true;
        if (best.gender == Gender::kNone) best.gender = a.tag.gender;
        if (a.tag.grammatical_case == Case::kNom || a.tag.grammatical_case == Case::kNone) {
          best.nom_genders |= static_cast<std::uint8_t>(1u << static_cast<int>(a.tag.gender));
          best.nom_numbers |= static_cast<std::uint8_t>(1u << static_cast<int>(a.tag.number));
        }
      }
      best.number = sing && !plur ? Number::kSing : plur && !sing ? Number::kPlur : Number::kNone;
      units_.push_back(best);
      i = best.end;
    }
  }

  // The preposition governing a phrase that starts at `i`: the token before
  // it, skipping numerals, numbers, quotes and adjectives outside the
  // dictionary.
  std::string PrepositionBefore(std::uint32_t i, bool name, bool* counted) {
    *counted = false;
    for (std::uint32_t j = i; j > b_;) {
      --j;
      const Token& tk = text_.tokens[j];
      const TokInfo& ti = Tok(j);
      if (tk.kind == TokenKind::kNumber || ti.kind == WordKind::kNumeral) {
        *counted = true;
        if (tk.kind == TokenKind::kNumber || !ti.entry || ti.entry->analyses.empty()) {
          numeral_cases_ |= CaseBit(Case::kNom) | CaseBit(Case::kAcc);
        } else {
          for (const auto& a : ti.entry->analyses)
            if (a.tag.grammatical_case == Case::kNone) numeral_cases_ |= CaseBit(Case::kNom) | CaseBit(Case::kAcc);
            else numeral_cases_ |= CaseBit(a.tag.grammatical_case);
        }
        continue;
      }
      if (IsPunct(j, "\"") || ti.kind == WordKind::kDeterminer) continue;
      if (IsPunct(j, ".") && j > b_ && Tok(j - 1).kind == WordKind::kNumeral) continue;  // "3 тыс. граждан"
      if (ti.kind == WordKind::kPreposition) return std::string(Norm(j));
      // First names and initials before a surname: "с Сергеем Лавровым".
      if (name && tk.kind == TokenKind::kWord && tk.capitalized && !ti.entry && i - j < 4) continue;
      if (name && IsPunct(j, ".") && j > b_ && text_.tokens[j - 1].capitalized && i - j < 4) continue;
      if (tk.kind == TokenKind::kWord && ti.has_info && ti.info.adjective && !ti.info.finite_verb &&
          !ti.info.noun && i - j < 4)
        continue;
      break;
    }
    return "";
  }

  // Skips initials ("С. В.") and capitalised words outside the dictionary
  // (first names) from `i`; returns the next token.
  std::uint32_t SkipNameParts(std::uint32_t i) const {
    while (i < e_) {
      const Token& tk = text_.tokens[i];
      if (IsPunct(i, "\"")) { ++i; continue; }
      if (tk.kind == TokenKind::kWord && tk.capitalized && !Tok(i).entry) {
        ++i;
        if (i < e_ && IsPunct(i, ".")) ++i;
        continue;
      }
      if (tk.kind == TokenKind::kSentenceEnd || IsPunct(i, ".")) {
        // An initial's stop inside the sentence.
        if (i > b_ && text_.tokens[i - 1].capitalized) { ++i; continue; }
      }
      break;
    }
    return i;
  }

  // The English actor a transliterated name stands for, as a phrase of its
  // own (its code for the document's date); null when it has none then.
  const Phrase* EnglishPhrase(const WordInfo& w) {
    const dict::Tables& et = english_->tables();
    const dict::ActorEntry& a = et.actors[w.english_actor];
    std::int32_t date = 0;
    if (!doc_.date.empty()) ParseIsoDate(doc_.date, &date);
    for (const auto& c : a.codes) {
      if (c.code.empty() || c.code == "---") continue;
      if (date && (date < c.from || date > c.to)) continue;
      Phrase p;
      p.code = c.code;
      p.origin = a.origin.Where();
      p.text = a.name + " (transliterated: " + w.transliterated + ")";
      english_phrases_.push_back(std::move(p));
      return &english_phrases_.back();
    }
    return nullptr;
  }

  void AddUnitTo(NounPhrase* np, const Unit& u, bool as_modifier) {
    const Phrase& ph = *u.phrase;
    np->entries.push_back(ph.origin + " " + ph.text);
    if (ph.local) np->local = true;
    if (!ph.agent) {
      const bool full = ph.code.size() > 3;
      if (full && !as_modifier) {
        np->codes.push_back(ph.code);
        np->person = true;
      } else if (full && (ph.code.rfind("IGO", 0) == 0 || ph.code.rfind("NGO", 0) == 0) &&
                 np->role.empty()) {
        np->codes.push_back(ph.code);
      } else if (ph.code == "@REP") {
        country_.push_back("@REP");
      } else {
        country_.push_back(CountryPart(ph.code));
        if (full && np->role.empty() && ph.code.size() >= 6 && !ph.code.starts_with("IGO"))
          pending_role_ = ph.code.substr(3);
      }
    } else if (!ph.role.empty() && np->role.empty()) {
      np->role = ph.role;
    }
  }

  void BuildPhrases() {
    for (size_t k = 0; k < units_.size();) {
      NounPhrase np;
      country_.clear();
      pending_role_.clear();
      const Unit* u = &units_[k];
      np.begin = u->begin;
      // Adjective actors ("российские", "узбекских") before a head.
      while (u->phrase->adjective && k + 1 < units_.size()) {
        const Unit& next = units_[k + 1];
        std::uint32_t gap = u->end;
        while (gap < next.begin && text_.tokens[gap].kind != TokenKind::kPunct &&
               Tok(gap).has_info && Tok(gap).info.adjective && !Tok(gap).info.finite_verb)
          ++gap;
        if (gap != next.begin || (next.cases & u->cases) == 0 || next.phrase->adjective) break;
        AddUnitTo(&np, *u, true);
        u = &units_[++k];
      }
      np.head = u->head;
      np.cases = u->cases;
      np.number = u->number;
      np.gender = u->gender;
      np.nom_genders = u->nom_genders;
      np.nom_numbers = u->nom_numbers;
      AddUnitTo(&np, *u, u->phrase->adjective);
      np.end = u->end;
      ++k;
      // Modifiers after the head.
      const bool head_agent = u->phrase->agent;
      bool last_gen = false;
      while (k < units_.size()) {
        const Unit& m = units_[k];
        std::uint32_t at = np.end;
        bool coordinated = false;
        if (at < m.begin && (IsPunct(at, ",") || (Tok(at).kind == WordKind::kConjunction && Norm(at) == "и"))) {
          if (!last_gen) break;
          coordinated = true;
          ++at;
        }
        std::string prep;
        if (at < m.begin && Tok(at).kind == WordKind::kPreposition) {
          prep = std::string(Norm(at));
          ++at;
          if (at < m.begin && Norm(at) == "г") { ++at; if (IsPunct(at, ".")) ++at; }
        }
        // Only an agent ("министр", "сотрудники", "МИД") takes modifiers;
        // a country, a city or a person does not ("в Красноярске гражданина").
        if (!head_agent) break;
        const std::uint32_t name_at = SkipNameParts(at);
        if (name_at == m.begin && name_at > at && !m.phrase->agent && m.phrase->code.size() > 3 &&
            prep.empty() && !coordinated && (m.cases & np.cases)) {
          // An appositive name: "Министр ... РФ С. В. Лавров"; the name
          // decides the gender.
          AddUnitTo(&np, m, false);
          np.nom_genders = m.nom_genders;
          np.end = m.end;
          ++k;
          continue;
        }
        if (at != m.begin) break;
        if (coordinated && !prep.empty()) break;
        if (m.phrase->adjective) {
          // "лидеры западных стран": an adjective actor with its genitive
          // head is a modifier; alone it qualifies the next noun.
          if (!prep.empty() || k + 1 >= units_.size() || units_[k + 1].begin != m.end ||
              !(units_[k + 1].cases & m.cases & CaseBit(Case::kGen)) || !units_[k + 1].phrase->agent)
            break;
          AddUnitTo(&np, m, true);
          AddUnitTo(&np, units_[k + 1], true);
          np.end = units_[k + 1].end;
          k += 2;
          last_gen = true;
          continue;
        }
        const bool gen = (m.cases & CaseBit(Case::kGen)) != 0;
        if (prep.empty() && gen) {
          AddUnitTo(&np, m, true);
        } else if ((prep == "из" || prep == "со" || prep == "с") && gen &&
                   (np.role == "LAB" || np.role == "CVL" || np.role == "REF" || np.role.empty())) {
          AddUnitTo(&np, m, true);
        } else if (prep == "по" && (m.cases & CaseBit(Case::kDat))) {
          AddUnitTo(&np, m, true);
        } else if (!prep.empty() && m.phrase->code.size() > 3 && !m.phrase->agent &&
                   (m.cases & np.cases)) {
          break;
        } else {
          break;
        }
        last_gen = true;
        np.end = m.end;
        ++k;
      }
      // Resolve codes.
      if (np.codes.empty()) {
        std::string role = np.role.empty() ? pending_role_ : np.role;
        if (!country_.empty()) {
          for (const auto& c : country_) {
            std::string code = c.size() > 3 && c != "@REP" ? c : c + role;
            if (std::find(np.codes.begin(), np.codes.end(), code) == np.codes.end()) np.codes.push_back(code);
          }
        } else {
          np.role = role;
        }
      }
      np.adjective_only = u->phrase->adjective;
      np.actor_head = !u->phrase->agent && !u->phrase->adjective;
      bool counted = false;
      numeral_cases_ = 0;
      np.preposition = PrepositionBefore(np.begin, np.person, &counted);
      // "27 мигрантов", "двое граждан" can be subjects or objects; "пятерых
      // граждан" only objects: the numeral's own case decides.
      if (counted && (np.cases & CaseBit(Case::kGen)))
        np.cases |= numeral_cases_ & (CaseBit(Case::kNom) | CaseBit(Case::kAcc));
      if (counted) np.number = Number::kPlur;
      np.counted = counted;
      phrases_.push_back(std::move(np));
    }
  }

  void BuildGroups() {
    for (std::uint32_t i = 0; i < phrases_.size(); ++i) {
      const NounPhrase& np = phrases_[i];
      if (!groups_.empty()) {
        Group& g = groups_.back();
        const NounPhrase& last = phrases_[g.members.back()];
        std::uint32_t at = last.end;
        bool joined = false;
        if (at < np.begin && (IsPunct(at, ",") || Norm(at) == "и")) {
          ++at;
          at = SkipNameParts(at);
          joined = at == np.begin;
        }
        const std::uint8_t shared = g.cases & np.cases;
        if (joined && shared && (np.preposition.empty() || np.preposition == g.preposition)) {
          comma_join_.push_back(IsPunct(last.end, ","));
          g.members.push_back(i);
          g.cases = shared;
          g.end = np.end;
          g.number = Number::kPlur;
          continue;
        }
      }
      SplitOpenList();
      comma_join_.clear();
      groups_.push_back(GroupOf(i, np));
    }
    SplitOpenList();
  }

  // A list joined by commas ends with "и" ("России, Узбекистана и
  // Таджикистана"); members after the last "и" joined only by a comma
  // belong to the next clause ("Путин, лидеры обсудили").
  void SplitOpenList() {
    if (groups_.empty()) return;
    Group& g = groups_.back();
    while (g.members.size() > 1 && !comma_join_.empty() && comma_join_.back()) {
      const std::uint32_t m = g.members.back();
      g.members.pop_back();
      comma_join_.pop_back();
      const NounPhrase& np = phrases_[m];
      g.end = phrases_[g.members.back()].end;
      g.cases = phrases_[g.members[0]].cases;
      for (auto k : g.members) g.cases &= phrases_[k].cases;
      if (g.members.size() == 1) g.number = phrases_[g.members[0]].number;
      groups_.push_back(GroupOf(m, np));
      comma_join_.clear();
      return;
    }
    comma_join_.clear();
  }

  // Clause regions: commas cut the sentence; a piece opened by a
  // participle or "который" is set aside (-1); a piece without a finite
  // verb joins its neighbours.
  void FindPredicates() {
    struct Piece { std::uint32_t b, e; int kind; };  // 0 none, 1 verb, -1 aside
    std::vector<Piece> pieces;
    std::uint32_t start = b_;
    for (std::uint32_t i = b_; i <= e_; ++i) {
      const bool cut = i == e_ || IsPunct(i, ",") || IsPunct(i, ";") || IsPunct(i, ":") ||
                       (IsPunct(i, "-") && text_.tokens[i].begin > 0 &&
                        doc_.text[text_.tokens[i].begin - 1] == ' ');
      if (!cut) continue;
      if (i > start) pieces.push_back({start, i, 0});
      start = i + 1;
    }
    for (auto& p : pieces) {
      std::uint32_t first = p.b;
      while (first < p.e && (Tok(first).kind == WordKind::kConjunction || IsPunct(first, "\""))) ++first;
      if (first < p.e) {
        const TokInfo& ti = Tok(first);
        bool participle = ti.kind == WordKind::kRelative;
        if (ti.has_info && ti.info.full_participle && !ti.info.finite_verb && !ti.info.noun) participle = true;
        if (ti.entry)
          for (const auto& a : ti.entry->analyses)
            if (a.tag.pos == Pos::kParticipleFull && t_.lemmas[a.lemma].verb >= 0) participle = true;
        if (ti.kind == WordKind::kPreposition && first + 1 < p.e && Tok(first + 1).kind == WordKind::kRelative)
          participle = true;
        if (participle) { p.kind = -1; continue; }
      }
      for (std::uint32_t i = p.b; i < p.e; ++i) {
        const TokInfo& ti = Tok(i);
        bool verb = ti.has_info && (ti.info.finite_verb || ti.info.short_participle || ti.info.gerund);
        if (ti.entry)
          for (const auto& a : ti.entry->analyses)
            if (t_.lemmas[a.lemma].verb >= 0 &&
                (a.tag.pos == Pos::kVerb || a.tag.pos == Pos::kParticipleShort || a.tag.pos == Pos::kGerund))
              verb = true;
        if (verb) { p.kind = 1; break; }
      }
    }
    // Regions: a verb's piece and the verbless pieces around it; a
    // participle or relative piece is stepped over but not part of it
    // ("Мигрант из Таджикистана, отказавшийся ..., был выдворен").
    for (const auto& p : pieces)
      if (p.kind == -1) aside_.emplace_back(p.b, p.e);
    for (size_t k = 0; k < pieces.size(); ++k) {
      if (pieces[k].kind != 1) continue;
      std::uint32_t rb = pieces[k].b, re = pieces[k].e;
      for (size_t j = k; j > 0 && pieces[j - 1].kind != 1; --j)
        if (pieces[j - 1].kind == 0) rb = pieces[j - 1].b;
      for (size_t j = k + 1; j < pieces.size() && pieces[j].kind != 1; ++j)
        if (pieces[j].kind == 0) re = pieces[j].e;
      // Predicates in the piece.
      for (std::uint32_t i = pieces[k].b; i < pieces[k].e; ++i) {
        const TokInfo& ti = Tok(i);
        if (!ti.entry) continue;
        for (const auto& a : ti.entry->analyses) {
          const LemmaInfo& li = t_.lemmas[a.lemma];
          if (li.verb < 0) continue;
          Predicate pr;
          pr.token = i;
          pr.verb = &t_.verbs[li.verb];
          pr.tag = a.tag;
          const Pos pos = a.tag.pos;
          if (a.tag.mood == Mood::kImperative) continue;  // "вышли" is выйти, not "вышли!"
          if (pos == Pos::kVerb) {
            pr.passive = li.verb_passive;
          } else if (pos == Pos::kParticipleShort) {
            pr.passive = true;
          } else if (pos == Pos::kGerund) {
            pr.gerund = true;
          } else if (pos == Pos::kInfinitive) {
            // An infinitive after a verb outside the dictionary ("начали
            // задерживать", "будут выдворять", "не стал комментировать")
            // is the predicate; that verb gives the agreement.
            std::uint32_t j = i;
            bool found = false;
            while (j > pieces[k].b && i - j < 4) {
              --j;
              const TokInfo& tj = Tok(j);
              if (tj.kind == WordKind::kNegation || (tj.has_info && tj.info.adjective && !tj.info.finite_verb)) continue;
              // Adverbs between ("начали массово задерживать").
              if (tj.has_info && !tj.info.finite_verb && !tj.info.noun && !tj.info.infinitive &&
                  text_.tokens[j].kind == TokenKind::kWord)
                continue;
              if (tj.has_info && tj.info.finite_verb &&
                  (tj.kind == WordKind::kAuxiliary || !(tj.entry && !tj.entry->analyses.empty()))) {
                pr.tag = tj.info.verb_tag;
                found = true;
              } else if (tj.entry) {
                for (const auto& b : tj.entry->analyses)
                  if (b.tag.pos == Pos::kVerb && t_.lemmas[b.lemma].verb >= 0 &&
                      t_.verbs[t_.lemmas[b.lemma].verb].phase) {
                    pr.tag = b.tag;
                    found = true;
                    break;
                  }
              }
              break;
            }
            if (!found) continue;
            pr.negated = j > b_ && Tok(j - 1).kind == WordKind::kNegation;
          } else {
            continue;
          }
          if (!pr.negated) {
            std::uint32_t j = i;
            while (j > b_ && (Tok(j - 1).kind == WordKind::kAuxiliary)) --j;
            pr.negated = j > b_ && Tok(j - 1).kind == WordKind::kNegation;
          }
          pr.region_begin = rb;
          pr.region_end = re;
          preds_.push_back(pr);
          break;
        }
      }
      // Speech verbs outside the dictionary are not predicates; a speaker
      // still matters for agentless verbs: remembered per region.
    }
  }

  bool Agrees(const Predicate& p, const Group& g) const {
    const Tag& v = p.tag;
    if (v.person == Person::kFirst || v.person == Person::kSecond) return false;
    const Number n = g.number;
    if (v.number == Number::kPlur && n == Number::kSing) return false;
    if (v.number == Number::kSing && n == Number::kPlur) return false;
    // One phrase: its nominative readings must include the verb's number
    // ("посольства" is a nominative plural only, not the subject of
    // "была освобождена").
    if (g.members.size() == 1 && !phrases_[g.members[0]].counted && v.number != Number::kNone) {
      const std::uint8_t bits = phrases_[g.members[0]].nom_numbers;
      const std::uint8_t want = static_cast<std::uint8_t>((1u << static_cast<int>(v.number)) |
                                                          (1u << static_cast<int>(Number::kNone)));
      if (bits && !(bits & want)) return false;
    }
    // Gender is checked for names and countries only: "глава", "посол"
    // take either.
    if (v.number == Number::kSing && v.tense == Tense::kPast && v.gender != Gender::kNone &&
        g.members.size() == 1 && (phrases_[g.members[0]].person || phrases_[g.members[0]].actor_head)) {
      // Past singular agrees in gender with one of the nominative readings
      // ("Лаврова" is a feminine nominative, "пригласил" is masculine).
      const std::uint8_t bits = phrases_[g.members[0]].nom_genders;
      const bool neuter = bits & (1u << static_cast<int>(Gender::kNeut));  // "Си": not a gender
      const std::uint8_t ok = static_cast<std::uint8_t>((1u << static_cast<int>(v.gender)) |
                                                        (1u << static_cast<int>(Gender::kNone)) |
                                                        (1u << static_cast<int>(Gender::kCommon)));
      if (bits && !neuter && !(bits & ok)) return false;
    }
    return true;
  }

  // "его встретил Мирзиёев", "провел с ним переговоры": a personal pronoun
  // in the governed case (after the governed preposition) stands for the
  // subject of an earlier verb in the sentence. Returns that group or -1.
  std::int32_t PronounTarget(const Predicate& p, size_t index, const VerbLine& l, std::int32_t exclude) {
    if (l.any_case || l.no_target || index == 0) return -1;
    std::int32_t antecedent = -1;
    for (size_t j = index; j > 0 && antecedent < 0; --j)
      if (preds_[j - 1].subject >= 0 && preds_[j - 1].subject != exclude) antecedent = preds_[j - 1].subject;
    if (antecedent < 0) return -1;
    for (std::uint32_t i = p.region_begin; i < p.region_end; ++i) {
      const TokInfo& ti = Tok(i);
      if (ti.kind != WordKind::kPronoun || !(ti.entry->prep_cases & CaseBit(l.target_case))) continue;
      const bool after_prep = i > b_ && Tok(i - 1).kind == WordKind::kPreposition;
      if (l.preposition.empty() ? after_prep : !(after_prep && Norm(i - 1) == l.preposition)) continue;
      pronoun_token_ = i;
      return antecedent;
    }
    return -1;
  }

  bool AsideBetween(std::uint32_t from, std::uint32_t to) const {
    for (const auto& [b, e] : aside_)
      if (b > from && b < to) return true;
    return false;
  }

  bool InfinitiveBetween(std::uint32_t from, std::uint32_t to) const {
    for (std::uint32_t i = from + 1; i < to; ++i) {
      const TokInfo& ti = Tok(i);
      if (ti.has_info && ti.info.infinitive && !ti.info.noun) return true;
      if (ti.entry)
        for (const auto& a : ti.entry->analyses)
          if (a.tag.pos == Pos::kInfinitive) return true;
    }
    return false;
  }

  bool InRegion(const Predicate& p, const Group& g) const {
    if (g.begin < p.region_begin || g.end > p.region_end) return false;
    for (const auto& [b, e] : aside_)
      if (g.begin >= b && g.end <= e) return false;
    return true;
  }

  // Groups in the predicate's region in the case `c` after `prep`, nearest
  // after the verb first, then nearest before it.
  std::vector<std::int32_t> Candidates(const Predicate& p, std::uint8_t case_bits,
                                       const std::string& prep, bool any_prep,
                                       std::int32_t exclude) const {
    std::vector<std::int32_t> after, before, late;
    for (std::int32_t gi = 0; gi < static_cast<std::int32_t>(groups_.size()); ++gi) {
      const Group& g = groups_[gi];
      if (gi == exclude || !InRegion(p, g)) continue;
      if (g.members.size() == 1 && phrases_[g.members[0]].adjective_only) continue;
      if (!(g.cases & case_bits)) continue;
      if (!any_prep && g.preposition != prep &&
          !(prep == "с" && g.preposition == "со") && !(prep == "в" && g.preposition == "во") &&
          !(prep == "к" && g.preposition == "ко"))
        continue;
      if (g.begin > p.token && InfinitiveBetween(p.token, g.begin)) late.push_back(gi);
      else (g.begin > p.token ? after : before).push_back(gi);
    }
    std::reverse(before.begin(), before.end());
    after.insert(after.end(), before.begin(), before.end());
    // A group after an infinitive is that infinitive's object ("пригласил
    // Лаврова посетить Ташкент"): last resort only.
    after.insert(after.end(), late.begin(), late.end());
    return after;
  }

  // Codes of a group, with roles lacking a country resolved: the place in
  // the sentence, else Russia for a state role.
  std::vector<std::string> Codes(const Group& g, bool state_default) const {
    std::vector<std::string> out;
    for (std::uint32_t m : g.members) {
      const NounPhrase& np = phrases_[m];
      for (const auto& c : np.codes) {
        if (!c.starts_with("@REP")) { out.push_back(c); continue; }
        // "граждан республики": the republic the sentence is about, the
        // first country named other than Russia.
        std::string country;
        for (const NounPhrase& other : phrases_)
          for (const auto& oc : other.codes)
            if (country.empty() && !oc.starts_with("@") && oc.size() >= 3 && oc.substr(0, 3) != "RUS" &&
                !oc.starts_with("IGO") && !oc.starts_with("NGO"))
              country = oc.substr(0, 3);
        if (!country.empty()) out.push_back(country + c.substr(4));
      }
      if (np.codes.empty() && !np.role.empty()) {
        if (!place_.empty() && (IsStateRole(np.role) || np.local || np.role == "BUS"))
          out.push_back(place_ + np.role);
        else if (state_default && IsStateRole(np.role)) out.push_back("RUS" + np.role);
      }
    }
    std::vector<std::string> unique;
    for (auto& c : out)
      if (std::find(unique.begin(), unique.end(), c) == unique.end()) unique.push_back(c);
    return unique;
  }

  void FindPlace() {
    place_.clear();
    for (int pass = 0; pass < 2 && place_.empty(); ++pass)
    for (const Group& g : groups_) {
      bool aside = false;
      for (const auto& [b, e] : aside_) aside |= g.begin >= b && g.end <= e;
      if (aside) continue;
      const bool from = g.preposition == "из";
      if (from != (pass == 1)) continue;
      if (g.preposition != "в" && g.preposition != "во" && g.preposition != "на" && g.preposition != "под" && !from)
        continue;
      const NounPhrase& np = phrases_[g.members[0]];
      if (!np.role.empty() || np.codes.empty() || np.codes[0].size() != 3) continue;
      if (from ? !(g.cases & CaseBit(Case::kGen))
               : !(g.cases & CaseBit(Case::kLoc)) && !(g.cases & CaseBit(Case::kIns)))
        continue;
      place_ = np.codes[0];
      place_group_ = &g - groups_.data();
      return;
    }
  }

  // Who did an agentless act of the state: the agency named as a place ("в
  // ИВС", "из отдела полиции", "в МИД РУз"), the agency reporting it
  // ("сообщили в ГУ МВД"), else the state whose place the sentence names.
  std::vector<std::string> RecoverAgent(const Predicate& p, std::string* how) {
    for (const Group& g : groups_) {
      if (g.preposition != "в" && g.preposition != "во" && g.preposition != "из" && g.preposition != "на") continue;
      if (!(g.cases & (CaseBit(Case::kLoc) | CaseBit(Case::kGen)))) continue;  // "в армию": a direction
      bool aside = false;
      for (const auto& [b, e] : aside_) aside |= g.begin >= b && g.end <= e;
      if (aside) continue;
      const NounPhrase& np = phrases_[g.members[0]];
      // "сообщили в МИД республики" reports; only the police report their
      // own operations.
      bool reporter = false;
      for (const Predicate& sp : preds_)
        if (sp.verb->speech && g.begin >= sp.region_begin && g.end <= sp.region_end &&
            !(g.begin >= p.region_begin && g.end <= p.region_end))
          reporter = true;
      if (reporter && np.role != "COP" &&
          !(!np.codes.empty() && np.codes[0].size() >= 6 && np.codes[0].substr(3, 3) == "COP"))
        continue;
      const bool agency = (np.role == "COP" || np.role == "GOV" || np.role == "JUD" || np.role == "MIL") ||
                          (!np.codes.empty() && np.codes[0].size() >= 6 &&
                           IsStateRole(std::string_view(np.codes[0]).substr(3, 3)));
      if (!agency) continue;
      *how = "agentless: the agency is named as a place or as the reporter (\"" + Surface(g.begin, g.end) + "\")";
      auto codes = Codes(g, true);
      if (!codes.empty()) return codes;
    }
    for (const Predicate& sp : preds_) {
      if (!sp.verb->speech || sp.subject < 0) continue;
      const Group& g = groups_[sp.subject];
      const NounPhrase& np = phrases_[g.members[0]];
      const bool agency = np.role == "COP" ||
                          (!np.codes.empty() && np.codes[0].size() >= 6 && np.codes[0].substr(3, 3) == "COP");
      if (!agency) continue;
      *how = "agentless: the agency reports it (\"" + Surface(g.begin, g.end) + "\")";
      auto codes = Codes(g, true);
      if (!codes.empty()) return codes;
    }
    if (p.verb->state && !place_.empty()) {
      *how = "agentless state act: the state of the place named (\"" +
             Surface(groups_[place_group_].begin, groups_[place_group_].end) + "\")";
      return {place_};
    }
    return {};
  }

  void CodePredicate(size_t index) {
    Predicate& p = preds_[index];
    const VerbEntry& v = *p.verb;
    Log("verb \"" + Surface(p.token, p.token + 1) + "\" = " + v.name + " (" + v.origin + ")" +
        (p.passive ? " passive" : "") + (p.gerund ? " gerund" : "") + (p.negated ? " negated" : "") +
        ", number " + (p.tag.number == Number::kPlur ? "plur" : p.tag.number == Number::kSing ? "sing" : "-") +
        ", clause \"" + Surface(p.region_begin, p.region_end) + "\"");
    if (v.speech) { Log("  reported speech: not coded itself"); SetSubject(p, index); return; }

    // Subject (active) or target (passive): the agreeing nominative group.
    std::int32_t nom = -1;
    if (!p.gerund) {
      for (std::int32_t gi : Candidates(p, CaseBit(Case::kNom), "", false, -1)) {
        if (!Agrees(p, groups_[gi])) continue;
        // "задержали двух граждан": a counted phrase after an active verb
        // is its object, not its subject.
        if (!p.passive && phrases_[groups_[gi].members[0]].counted && groups_[gi].begin > p.token) continue;
        // Prefer the nominative before an active verb when two agree.
        if (nom < 0 || (groups_[gi].begin < p.token && groups_[nom].begin > p.token)) nom = gi;
        if (groups_[gi].begin < p.token) break;
      }
    }
    // "провела обыск ... и задержала двух сотрудников": a verb coordinated
    // with the previous one by "и" shares its subject.
    if (!p.passive && index > 0 && preds_[index - 1].subject >= 0 && !preds_[index - 1].passive &&
        Agrees(p, groups_[preds_[index - 1].subject])) {
      std::uint32_t j = p.token;
      while (j > p.region_begin && (Tok(j - 1).kind == WordKind::kNegation ||
                                    (Tok(j - 1).has_info && !Tok(j - 1).info.noun &&
                                     !Tok(j - 1).info.finite_verb && !Tok(j - 1).entry)))
        --j;
      if (j > p.region_begin && Tok(j - 1).kind == WordKind::kConjunction && Norm(j - 1) == "и" &&
          (nom < 0 || groups_[nom].begin > preds_[index - 1].token))
        nom = -2;  // inherit below
    }
    std::vector<std::string> sources, targets;
    std::string source_how, target_how;
    std::int32_t source_group = -1, target_group = -1;
    const VerbLine* line = nullptr;

    auto line_applies = [&](const VerbLine& l) {
      if (l.negated != p.negated) return false;
      for (std::uint32_t w : l.words) {
        bool found = false;
        for (std::uint32_t i = p.region_begin; i < p.region_end && !found; ++i) found = HasLemma(i, w);
        if (!found) return false;
      }
      return true;
    };
    auto find_target = [&](const VerbLine& l, std::int32_t exclude) -> std::int32_t {
      if (l.no_target) return -2;
      const std::int32_t pronoun = PronounTarget(p, index, l, exclude);
      std::vector<std::int32_t> c;
      if (l.any_case)
        c = Candidates(p, kAllCases & ~CaseBit(Case::kNom), "", true, exclude);
      else
        c = Candidates(p, CaseBit(l.target_case), l.preposition, false, exclude);
      std::int32_t first = -1;
      std::string own;
      if (l.any_case && exclude >= 0) {
        const auto sc = Codes(groups_[exclude], true);
        if (!sc.empty()) own = sc[0].substr(0, 3);
      }
      for (std::int32_t gi : c) {
        if (pronoun >= 0 && groups_[gi].begin > pronoun_token_) break;  // the pronoun is nearer
        if (!own.empty()) {
          // "не располагает информацией о задержании в Москве граждан
          // Узбекистана": an oblique actor of the source's own country is
          // not the target when another one follows.
          const auto tc = Codes(groups_[gi], false);
          if (!tc.empty() && tc[0].substr(0, 3) == own) continue;
        }
        if (!Codes(groups_[gi], false).empty()) return gi;
        if (first < 0) first = gi;
      }
      if (first < 0 && pronoun >= 0) {
        target_how_extra_ = "the pronoun \"" + Surface(pronoun_token_, pronoun_token_ + 1) +
                            "\" refers to the earlier subject";
        return pronoun;
      }
      return first;
    };

    if (p.passive) {
      if (nom >= 0) { target_group = nom; target_how = "nominative of a passive verb"; }
      for (std::int32_t gi : Candidates(p, CaseBit(Case::kIns), "", false, nom)) {
        source_group = gi;
        source_how = "instrumental agent of a passive verb";
        break;
      }
      for (const VerbLine& l : v.lines)
        if (line_applies(l)) { line = &l; break; }
      if (target_group < 0 && line && !line->any_case && !line->no_target) {
        // Impersonal passive ("задержано 12 человек"): the governed case.
        target_group = find_target(*line, source_group);
        if (target_group >= 0) target_how = "impersonal passive, " + std::string(CaseName(line->target_case));
      }
      if (source_group >= 0) sources = Codes(groups_[source_group], true);
      else if (v.state) sources = RecoverAgent(p, &source_how);
    } else {
      if (nom == -2) {
        source_group = preds_[index - 1].subject;
        source_how = "shared with the verb before \"и\"";
      } else if (nom >= 0) {
        source_group = nom;
        source_how = "nominative agreeing with the verb";
      } else if (index > 0 && preds_[index - 1].subject >= 0 &&
                 Agrees(p, groups_[preds_[index - 1].subject]) &&
                 !AsideBetween(preds_[index - 1].token, p.token)) {
        source_group = preds_[index - 1].subject;
        source_how = "subject of the previous verb (" + preds_[index - 1].subject_how + ")";
      } else if (p.gerund) {
        for (size_t j = 0; j < preds_.size(); ++j)
          if (j != index && preds_[j].subject >= 0) {
            source_group = preds_[j].subject;
            source_how = "a gerund takes the main verb's subject";
            break;
          }
        // The main verb is outside the dictionary: the nominative before
        // the gerund is its subject.
        for (std::int32_t gi = static_cast<std::int32_t>(groups_.size()) - 1; source_group < 0 && gi >= 0; --gi)
          if (groups_[gi].end <= p.token && groups_[gi].preposition.empty() &&
              (groups_[gi].cases & CaseBit(Case::kNom))) {
            source_group = gi;
            source_how = "a gerund takes the nominative of its sentence";
          }
      }
      for (const VerbLine& l : v.lines) {
        if (!line_applies(l) || l.no_target) continue;
        const std::int32_t tg = find_target(l, source_group);
        if (tg == -1) continue;
        line = &l;
        target_group = tg;
        if (tg >= 0)
          target_how = l.any_case ? "an actor in an oblique case (pattern *)"
                                  : (l.preposition.empty() ? "" : l.preposition + " + ") +
                                        CaseName(l.target_case) + " governed by the verb";
        if (!target_how_extra_.empty()) target_how += ": " + target_how_extra_;
        target_how_extra_.clear();
        break;
      }
      if (source_group < 0 && !v.state) {
        // Reported speech: "Таджиков в России никто не притесняет, заявила
        // Захарова" — the speaker is the source of the reported stance.
        for (const Predicate& sp : preds_)
          if (sp.verb->speech && sp.subject >= 0 && &sp != &p) {
            source_group = sp.subject;
            source_how = "speaker of the reported speech";
            break;
          }
      }
      if (source_group >= 0) sources = Codes(groups_[source_group], true);
      else if (v.state) sources = RecoverAgent(p, &source_how);
    }
    p.subject = p.passive ? -1 : source_group;
    p.subject_how = source_how;

    if (!line) {
      // A compound subject with a reciprocal verb and no target: both ways.
      for (const VerbLine& l : v.lines)
        if (line_applies(l) && (l.no_target || l.any_case || v.reciprocal || has_reciprocal_)) { line = &l; break; }
      if (!line) { Log("  no pattern line applies" + std::string(p.negated ? " (negated)" : "")); return; }
    }
    if (target_group >= 0) {
      targets = Codes(groups_[target_group], true);
      // Civilians with no nationality named are the source's own ("МИД
      // Узбекистана предупредил граждан", "полиция задержала жителей").
      const NounPhrase& tnp = phrases_[groups_[target_group].members[0]];
      const std::string root = line->code.substr(0, 2);
      const bool harm = root == "13" || root == "17" || root == "18" || root == "19" || root == "20" ||
                        root == "09";
      if (harm && targets.empty() && (tnp.role == "CVL" || tnp.role == "CRM") && tnp.codes.empty() &&
          !sources.empty() &&
          sources[0].size() >= 3 && !sources[0].starts_with("IGO") && !sources[0].starts_with("NGO")) {
        // Harm done where the sentence says: that place's civilians
        // ("в Газе"); else the source's own.
        const bool violence = root == "18" || root == "19" || root == "20";
        if (violence && !place_.empty() && place_ != sources[0].substr(0, 3)) {
          targets.push_back(place_ + tnp.role);
          target_how += "; civilians of the place named";
        } else {
          targets.push_back(sources[0].substr(0, 3) + tnp.role);
          target_how += "; civilians of the source's country";
        }
      }
    }
    // A protest with no target named is against the protesters' own
    // government ("Жители Хорога вышли на акцию протеста").
    if (targets.empty() && target_group < 0 && line->code.starts_with("14") && !sources.empty() &&
        sources[0].size() >= 3 && !sources[0].starts_with("IGO") && !sources[0].starts_with("NGO")) {
      targets.push_back(sources[0].substr(0, 3) + "GOV");
      Log("  target " + targets[0] + ": a protest with no target named is against its own government");
      for (const auto& src : sources) {
        const NounPhrase* sp = source_group >= 0 ? &phrases_[groups_[source_group].members[0]] : nullptr;
        Emit(p, *line, src, targets[0], sp ? *sp : NounPhrase{}, NounPhrase{});
      }
      return;
    }
    const bool reciprocal = (v.reciprocal || has_reciprocal_) && target_group < 0 && source_group >= 0 &&
                            Codes(groups_[source_group], true).size() > 1;
    Log("  pattern " + line->origin + " \"" + line->text + "\" -> " + line->code);
    if (source_group >= 0)
      Log("  source \"" + Surface(groups_[source_group].begin, groups_[source_group].end) + "\" (" +
          CasesText(groups_[source_group].cases) + "): " + source_how);
    else if (!sources.empty())
      Log("  source " + sources[0] + ": " + source_how);
    else
      Log("  no source: no agreeing nominative" + std::string(v.state ? ", no agency or place named" : ""));
    if (target_group >= 0)
      Log("  target \"" + Surface(groups_[target_group].begin, groups_[target_group].end) + "\" (" +
          CasesText(groups_[target_group].cases) + "): " + target_how);
    if (reciprocal) {
      Log("  compound subject, reciprocal verb: each member toward each other");
      const Group& g = groups_[source_group];
      std::vector<std::pair<std::string, std::uint32_t>> members;  // code, phrase
      for (std::uint32_t a : g.members) {
        Group ga = g;
        ga.members = {a};
        for (const auto& c : Codes(ga, true)) members.emplace_back(c, a);
      }
      for (const auto& [s, a] : members)
        for (const auto& [t, b] : members)
          if (s != t) Emit(p, *line, s, t, phrases_[a], phrases_[b]);
      return;
    }
    const bool both_ways = v.reciprocal && line->preposition == "с" && line->code.starts_with("05");
    for (const auto& s : sources)
      for (const auto& t : targets) {
        const NounPhrase* sp = source_group >= 0 ? &phrases_[groups_[source_group].members[0]] : nullptr;
        const NounPhrase* tp = &phrases_[groups_[target_group].members[0]];
        Emit(p, *line, s, t, sp ? *sp : NounPhrase{}, *tp);
        if (both_ways) Emit(p, *line, t, s, *tp, sp ? *sp : NounPhrase{});
      }
    // One verb, two objects with their own patterns ("объявила о высылке
    // дипломатов и о санкциях против России"): each other line whose words
    // are all different from the first one's codes its own target.
    if (line->words.empty() || sources.empty()) return;
    for (const VerbLine& l : v.lines) {
      if (&l == line || l.words.empty() || l.no_target || !line_applies(l)) continue;
      bool shared = false;
      for (std::uint32_t w : l.words)
        shared |= std::find(line->words.begin(), line->words.end(), w) != line->words.end();
      if (shared || l.code.substr(0, 2) == line->code.substr(0, 2)) continue;
      const std::int32_t tg = find_target(l, source_group);
      if (tg < 0) continue;
      Log("  second pattern " + l.origin + " \"" + l.text + "\" -> " + l.code);
      const NounPhrase* sp = source_group >= 0 ? &phrases_[groups_[source_group].members[0]] : nullptr;
      for (const auto& src : sources)
        for (const auto& t : Codes(groups_[tg], true))
          Emit(p, l, src, t, sp ? *sp : NounPhrase{}, phrases_[groups_[tg].members[0]]);
    }
  }

  void SetSubject(Predicate& p, size_t index) {
    for (std::int32_t gi : Candidates(p, CaseBit(Case::kNom), "", false, -1))
      if (Agrees(p, groups_[gi])) { p.subject = gi; p.subject_how = "speaker of reported speech"; break; }
    (void)index;
  }

  void Emit(const Predicate& p, const VerbLine& line, const std::string& s, const std::string& t,
            const NounPhrase& sp, const NounPhrase& tp) {
    if (s.empty() || t.empty()) return;
    if (s == t || (t.size() == 3 && s.rfind(t, 0) == 0) ||
        (s.size() == 3 && t.rfind(s, 0) == 0 && t.substr(3) == "GOV")) {
      Log("  " + s + " acting on " + t + " (itself): not coded");
      return;
    }
    for (const Event& prev : *events_)
      if (prev.sentence_index == si_ && prev.source == s && prev.target == t && prev.code == line.code) return;
    Event e;
    e.doc_id = doc_.id;
    e.date = doc_.date;
    e.source = s;
    e.target = t;
    e.code = line.code;
    e.root = line.code.substr(0, 2);
    if (const CameoCode* cc = CameoTable::Builtin().Find(line.code)) {
      e.quad_class = cc->quad_class;
      e.goldstein = cc->goldstein;
      e.has_goldstein = true;
      e.plover = cc->plover;
    }
    const SentenceSpan& sent = text_.sentences[si_];
    e.sentence_index = si_;
    e.sentence_span = {sent.begin, sent.end};
    e.sentence = doc_.text.substr(sent.begin, sent.end - sent.begin);
    auto span = [&](const NounPhrase& np) -> Span {
      if (np.begin >= np.end) return {};
      return {text_.tokens[np.begin].begin, text_.tokens[np.end - 1].end};
    };
    e.source_span = span(sp);
    e.target_span = span(tp);
    e.verb_span = {text_.tokens[p.token].begin, text_.tokens[p.token].end};
    e.source_text = Surface(sp.begin, sp.end);
    e.target_text = Surface(tp.begin, tp.end);
    e.verb_text = Surface(p.token, p.token + 1);
    e.pattern = "- " + p.verb->name + " " + line.text;
    e.pattern_origin = line.origin;
    for (const auto& x : sp.entries) e.entries.push_back("source " + x);
    e.entries.push_back("verb " + p.verb->origin + " " + p.verb->name);
    for (const auto& x : tp.entries) e.entries.push_back("target " + x);
    Log("  event " + s + " " + line.code + " " + t);
    const std::string code = e.code;
    events_->push_back(std::move(e));
    // Talks held in one side's country: the other side is visiting
    // ("Кулубаев провел в Москве переговоры с Лавровым" -> KGZGOV 042 RUS).
    if (!place_.empty() && (code == "040" || code == "044" || code == "046") && !in_visit_) {
      const std::string sc = s.substr(0, 3), tc = t.substr(0, 3);
      VerbLine visit = line;
      visit.code = "042";
      visit.text = line.text + " (talks in " + place_ + ": a visit)";
      in_visit_ = true;
      if (sc != place_ && tc == place_) Emit(p, visit, s, place_, sp, NounPhrase{});
      if (tc != place_ && sc == place_) Emit(p, visit, t, place_, tp, NounPhrase{});
      in_visit_ = false;
    }
  }

  void TraceTokens() {
    Log("sentence " + std::to_string(si_) + ": " + Surface(b_, e_));
    for (std::uint32_t i = b_; i < e_; ++i) {
      const TokInfo& ti = Tok(i);
      std::string line = "  " + std::string(Norm(i));
      if (ti.entry && !ti.entry->analyses.empty()) {
        std::string seen;
        for (const auto& a : ti.entry->analyses) {
          const std::string one = t_.lemmas[a.lemma].text + ":" + CaseName(a.tag.grammatical_case);
          if (seen.find(one) != std::string::npos) continue;
          seen += " " + one;
        }
        line += "  [dict]" + seen;
      } else if (ti.has_info) {
        const WordInfo& w = ti.info;
        line += std::string("  [morph]") + (w.finite_verb ? " verb" : "") + (w.full_participle ? " participle" : "") +
                (w.short_participle ? " short-participle" : "") + (w.gerund ? " gerund" : "") +
                (w.infinitive ? " infinitive" : "") + (w.noun ? " noun" : "") + (w.adjective ? " adj" : "");
      }
      if (ti.kind == WordKind::kPreposition) line += "  preposition";
      if (ti.kind == WordKind::kNegation) line += "  negation";
      Log(line);
    }
    for (const Group& g : groups_) {
      std::string codes;
      for (const auto& c : Codes(g, false)) codes += " " + c;
      std::string role;
      for (auto m : g.members) if (!phrases_[m].role.empty() && phrases_[m].codes.empty()) role = " role " + phrases_[m].role;
      Log("  phrase \"" + Surface(g.begin, g.end) + "\" case " + CasesText(g.cases) +
          (g.preposition.empty() ? "" : " after \"" + g.preposition + "\"") +
          (g.number == Number::kPlur ? " plural" : "") + " ->" + (codes.empty() ? " ?" : codes) + role);
    }
  }

  const DictTables& t_;
  const Morphology& morph_;
  RussianCoder::Cache* cache_;
  const Document& doc_;
  const Text& text_;
  std::uint32_t si_;
  const CoderOptions& options_;
  Trace* trace_;
  std::vector<Event>* events_;
  std::uint32_t b_ = 0, e_ = 0;
  std::vector<TokInfo> toks_;
  std::vector<Unit> units_;
  std::vector<NounPhrase> phrases_;
  std::vector<Group> groups_;
  std::vector<Predicate> preds_;
  std::vector<std::string> country_;
  std::string pending_role_;
  std::string place_;
  std::int32_t place_group_ = -1;
  bool has_reciprocal_ = false;
  std::vector<bool> comma_join_;
  std::uint8_t numeral_cases_ = 0;
  bool in_visit_ = false;
  const Dictionary* english_ = nullptr;
  std::deque<Phrase> english_phrases_;  // stable addresses for units
  std::uint32_t pronoun_token_ = 0;
  std::string target_how_extra_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> aside_;  // participle/relative pieces  // per member after the first of the last group
};

}  // namespace

RussianCoder::RussianCoder(std::shared_ptr<const RussianDictionary> dictionary, CoderOptions options)
    : dictionary_(std::move(dictionary)), options_(options), cache_(std::make_unique<Cache>()) {}
RussianCoder::~RussianCoder() = default;

Result<std::unique_ptr<RussianCoder>> RussianCoder::Create(
    std::shared_ptr<const RussianDictionary> dictionary, CoderOptions options,
    std::shared_ptr<const Dictionary> english) {
  if (!dictionary) return InvalidArgument("Russian coder needs a dictionary");
  std::unique_ptr<RussianCoder> coder(new RussianCoder(std::move(dictionary), options));
  if (english) {
    UErrorCode status = U_ZERO_ERROR;
    coder->cache_->translit.reset(icu::Transliterator::createInstance(
        "Russian-Latin/BGN; Latin-ASCII; Lower", UTRANS_FORWARD, status));
    if (U_FAILURE(status))
      return InvalidArgument(std::string("ICU Russian-Latin/BGN transliterator: ") + u_errorName(status));
    coder->english_ = std::move(english);
  }
  return coder;
}

Result<std::unique_ptr<RussianCoder>> RussianCoder::LoadDefault(
    const std::string& dict_dir, CoderOptions options, std::shared_ptr<const Dictionary> english) {
  const std::string morph_dir = Morphology::DefaultDirectory();
  if (morph_dir.empty())
    return NotFound("Russian morphology data not installed (see docs/russian.md; $DYAD_RU_MORPHOLOGY)");
  auto morph = Morphology::Load(morph_dir);
  if (!morph.ok()) return morph.status();
  auto dict = RussianDictionary::Load(dict_dir.empty() ? RussianDictionary::DefaultDirectory() : dict_dir,
                                      *morph);
  if (!dict.ok()) return dict.status();
  return Create(*dict, options, std::move(english));
}

std::vector<Event> RussianCoder::CodeDocument(const Document& doc, Trace* trace,
                                              std::vector<SentenceSpan>* sentences) const {
  std::vector<Event> events;
  Text text;
  AnalyzeTextInto(doc.text, &text, options_.single_sentence ? 1u << 30 : 256u);
  if (options_.single_sentence && !text.tokens.empty()) {
    text.sentences.clear();
    SentenceSpan s;
    s.first_token = 0;
    s.end_token = static_cast<std::uint32_t>(text.tokens.size());
    s.begin = text.tokens.front().begin;
    s.end = text.tokens.back().end;
    text.sentences.push_back(s);
  }
  for (std::uint32_t i = 0; i < text.sentences.size(); ++i) {
    SentenceCoder sc(dictionary_->tables(), dictionary_->morphology(), cache_.get(), doc, text, i,
                     options_, trace, &events, english_.get());
    sc.Run();
  }
  if (options_.dedupe_document) {
    std::vector<Event> unique;
    for (auto& e : events) {
      bool seen = false;
      for (const auto& u : unique)
        if (u.source == e.source && u.target == e.target && u.code == e.code) { seen = true; break; }
      if (!seen) unique.push_back(std::move(e));
    }
    events = std::move(unique);
  }
  if (sentences) *sentences = text.sentences;
  return events;
}

}  // namespace dyad::ru

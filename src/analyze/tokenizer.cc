// Tokeniser and sentence splitter.
//
// One left-to-right pass over the bytes. A word is a run of letters, digits
// and word-internal marks (hyphen, apostrophe, period inside abbreviations
// such as "U.S." or numbers such as "11.8"). Possessive "'s" and the
// contraction "n't" become tokens of their own, as in treebank tokenisation,
// because the coder reads them as grammar. Typographic quotes and dashes are
// folded to ASCII in the normalised form so dictionaries need one spelling.
//
// Sentences end at . ! ? (optionally followed by closing quotes or brackets)
// when the next token starts a new sentence, and at paragraph breaks. A
// full stop attached to a known abbreviation ("Gen.", "Jan.") does not end a
// sentence; one attached to an initialism ("U.S.") ends it only when the next
// word is a typical sentence opener.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "dyad/text.h"

namespace dyad {
namespace {

// Decodes one UTF-8 code point at text[i]; returns its length (1..4), or 0
// if the bytes there are not valid UTF-8.
int Utf8Length(std::string_view text, size_t i, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) { *cp = b0; return 1; }
  int len = 0;
  char32_t v = 0;
  if ((b0 & 0xE0) == 0xC0) { len = 2; v = b0 & 0x1F; }
  else if ((b0 & 0xF0) == 0xE0) { len = 3; v = b0 & 0x0F; }
  else if ((b0 & 0xF8) == 0xF0) { len = 4; v = b0 & 0x07; }
  else return 0;
  if (i + len > text.size()) return 0;
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b & 0x3F);
  }
  // Overlong forms and surrogates are invalid.
  if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) ||
      (len == 4 && (v < 0x10000 || v > 0x10FFFF)) || (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  *cp = v;
  return len;
}

enum class CharKind { kSpace, kNewline, kLetter, kDigit, kApostrophe, kHyphen,
                      kPeriod, kQuote, kDash, kPunct, kTerminal };

// Classifies a code point and gives its ASCII folding where one exists.
CharKind Classify(char32_t cp, char* fold) {
  *fold = 0;
  if (cp < 0x80) {
    const char c = static_cast<char>(cp);
    if (c == '\n') return CharKind::kNewline;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') return CharKind::kSpace;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      *fold = static_cast<char>(c | 0x20);
      return CharKind::kLetter;
    }
    if (c >= '0' && c <= '9') { *fold = c; return CharKind::kDigit; }
    *fold = c;
    switch (c) {
      case '\'': return CharKind::kApostrophe;
      case '`': *fold = '\''; return CharKind::kApostrophe;
      case '-': return CharKind::kHyphen;
      case '_': return CharKind::kSpace;  // "Dol_Amroth": dictionaries join words with '_'
      case '.': return CharKind::kPeriod;
      case '"': return CharKind::kQuote;
      case '!': case '?': return CharKind::kTerminal;
      default: return CharKind::kPunct;
    }
  }
  switch (cp) {
    case 0x00A0: case 0x2000: case 0x2001: case 0x2002: case 0x2003: case 0x2009:
    case 0x200A: case 0x202F: case 0x3000: case 0x200B: case 0xFEFF:
      return CharKind::kSpace;
    case 0x2028: case 0x2029: case 0x0085: return CharKind::kNewline;
    case 0x2018: case 0x2019: case 0x02BC: case 0x2032:
      *fold = '\''; return CharKind::kApostrophe;
    case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB:
      *fold = '"'; return CharKind::kQuote;
    case 0x2010: case 0x2011: *fold = '-'; return CharKind::kHyphen;
    case 0x2012: case 0x2013: case 0x2014: case 0x2015: *fold = '-'; return CharKind::kDash;
    case 0x2026: *fold = '.'; return CharKind::kTerminal;
    default: break;
  }
  if (cp >= 0x2000 && cp <= 0x206F) return CharKind::kPunct;  // general punctuation
  return CharKind::kLetter;  // any other non-ASCII character: part of a word
}

struct Lexicon {
  std::unordered_map<std::string_view, WordClass> classes;
  std::unordered_set<std::string_view> abbreviations;     // never end a sentence
  std::unordered_set<std::string_view> sentence_openers;  // may follow "U.S."
};

const Lexicon& GetLexicon() {
  static const Lexicon* const kLexicon = [] {
    auto* lex = new Lexicon;
    auto add = [&](WordClass c, std::initializer_list<std::string_view> words) {
      for (auto w : words) lex->classes.emplace(w, c);
    };
    add(WordClass::kDeterminer,
        {"the", "a", "an", "this", "these", "those", "its", "his", "her", "their",
         "our", "my", "your", "some", "any", "all", "several", "many", "both",
         "each", "every", "no", "another", "other", "such", "few", "most", "more",
         "much", "whose"});
    add(WordClass::kPreposition,
        {"of", "in", "on", "at", "by", "for", "with", "from", "to", "into", "onto",
         "over", "against", "about", "after", "before", "during", "under", "between",
         "among", "amongst", "through", "toward", "towards", "across", "near", "since",
         "without", "within", "amid", "amidst", "despite", "following", "per", "via",
         "upon", "outside", "inside", "around", "behind", "beyond", "along",
         "throughout", "until", "till", "like", "unlike", "off", "out", "up", "down",
         "regarding", "concerning", "including", "excluding", "alongside", "versus",
         "vs", "vs."});
    add(WordClass::kNumber,
        {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "hundred",
         "hundreds", "thousand", "thousands", "million", "millions", "billion", "billions",
         "dozen", "dozens", "scores"});
    add(WordClass::kConjunction, {"and", "or", "but", "nor", "&", "yet", "plus"});
    add(WordClass::kBe, {"is", "are", "was", "were", "be", "been", "being", "am",
                         "'re", "'m"});
    add(WordClass::kHave, {"has", "have", "had", "having", "'ve"});
    add(WordClass::kDo, {"do", "does", "did"});
    add(WordClass::kModal, {"will", "would", "can", "could", "may", "might", "must",
                            "shall", "should", "'ll", "'d", "ca", "wo", "cannot"});
    add(WordClass::kNegation, {"not", "n't", "never", "neither"});
    add(WordClass::kPronoun, {"he", "she", "it", "they", "we", "i", "you", "him",
                              "them", "us", "me", "himself", "herself", "itself",
                              "themselves", "there"});
    add(WordClass::kRelative, {"who", "which", "that", "whom", "where"});
    add(WordClass::kSubordinator, {"while", "although", "though", "because", "if",
                                   "when", "whereas", "unless", "whether", "as",
                                   "so", "once", "however", "meanwhile", "instead"});
    add(WordClass::kPossessive, {"'s", "'"});
    add(WordClass::kAdverb, {"also", "again", "already", "still", "just", "even",
                             "ever", "recently", "now", "then", "reportedly",
                             "allegedly", "repeatedly", "further", "today",
                             "yesterday", "once", "jointly", "formally", "publicly",
                             "reportedly", "late", "early", "very", "really",
                             "almost", "nearly", "too", "well", "only", "first",
                             "last", "certainly", "unexpectedly"});
    for (auto w : {"mr.", "mrs.", "ms.", "dr.", "prof.", "gen.", "lt.", "col.", "maj.",
                   "capt.", "sgt.", "adm.", "cmdr.", "sen.", "rep.", "gov.", "pres.",
                   "st.", "mt.", "jr.", "sr.", "co.", "corp.", "inc.", "ltd.", "no.",
                   "vol.", "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.",
                   "sep.", "sept.", "oct.", "nov.", "dec.", "vs.", "etc.", "approx.",
                   "dept.", "univ.", "ave.", "fig.", "e.g.", "i.e.", "rev.", "hon."})
      lex->abbreviations.insert(w);
    for (auto w : {"the", "a", "an", "he", "she", "it", "they", "we", "i", "in", "on",
                   "at", "but", "and", "this", "that", "these", "those", "there",
                   "meanwhile", "however", "after", "before", "when", "while", "his",
                   "her", "their", "its", "our", "as", "if", "earlier", "later",
                   "last", "on", "some", "many", "according", "officials", "since"})
      lex->sentence_openers.insert(w);
    return lex;
  }();
  return *kLexicon;
}

bool IsAdverbBySpelling(std::string_view w) {
  return w.size() > 4 && w.substr(w.size() - 2) == "ly" &&
         w != "italy" && w != "family" && w != "rally" && w != "ally" &&
         w != "supply" && w != "reply" && w != "apply" && w != "assembly" &&
         w != "anomaly" && w != "monopoly" && w != "july" && w != "daily" &&
         w != "early" && w != "only" && w != "fly" && w != "rely" && w != "comply";
}

class Tokenizer {
 public:
  Tokenizer(std::string_view text, AnalyzedText* out) : text_(text), out_(out) {}

  void Run() {
    size_t i = 0;
    const size_t n = text_.size();
    while (i < n) {
      char32_t cp = 0;
      int len = Utf8Length(text_, i, &cp);
      char fold = 0;
      CharKind kind;
      if (len == 0) {  // invalid byte: part of a word, folded to '?'
        len = 1;
        kind = CharKind::kLetter;
        fold = '?';
      } else {
        kind = Classify(cp, &fold);
      }
      switch (kind) {
        case CharKind::kNewline:
          if (newlines_ < 255) ++newlines_;
          i += len;
          continue;
        case CharKind::kSpace:
          i += len;
          continue;
        case CharKind::kLetter:
        case CharKind::kDigit:
          i = ReadWord(i);
          continue;
        case CharKind::kApostrophe:
          // "'s" after a space (a quoted word) or a leading quote mark.
          i = ReadApostrophe(i, len);
          continue;
        case CharKind::kPeriod: {
          // Runs of periods ("...") make one token.
          size_t j = i;
          while (j < n && text_[j] == '.') ++j;
          Emit(i, j, ".", WordClass::kSentenceEnd);
          i = j;
          continue;
        }
        case CharKind::kTerminal:
          Emit(i, i + len, std::string_view(&fold, 1), WordClass::kSentenceEnd);
          i += len;
          continue;
        case CharKind::kHyphen:
        case CharKind::kDash: {
          size_t j = i + len;
          // "--" and dashes are punctuation.
          Emit(i, j, "-", WordClass::kPunct);
          i = j;
          continue;
        }
        case CharKind::kQuote:
          Emit(i, i + len, "\"", WordClass::kPunct);
          i += len;
          continue;
        case CharKind::kPunct:
        default: {
          std::string_view s = fold ? std::string_view(&fold, 1) : text_.substr(i, len);
          Emit(i, i + len, s, WordClass::kPunct);
          i += len;
          continue;
        }
      }
    }
  }

 private:
  // Reads a word starting at `start`; returns the offset after it.
  size_t ReadWord(size_t start) {
    word_.clear();
    size_t i = start;
    size_t end = start;
    const size_t n = text_.size();
    bool all_single_letters = true;  // "u.s." shape so far
    size_t letters_since_period = 0;
    bool capitalized = text_[start] >= 'A' && text_[start] <= 'Z';
    if (static_cast<unsigned char>(text_[start]) >= 0x80) capitalized = true;
    while (i < n) {
      char32_t cp = 0;
      int len = Utf8Length(text_, i, &cp);
      char fold = 0;
      CharKind kind;
      if (len == 0) { len = 1; kind = CharKind::kLetter; fold = '?'; }
      else kind = Classify(cp, &fold);
      if (kind == CharKind::kLetter || kind == CharKind::kDigit) {
        if (fold) word_.push_back(fold);
        else word_.append(text_.substr(i, len));
        ++letters_since_period;
        if (letters_since_period > 1) all_single_letters = false;
        i += len;
        end = i;
        continue;
      }
      if (kind == CharKind::kHyphen) {
        // Word-internal or trailing hyphen ("anti-"): keep in the word.
        word_.push_back('-');
        i += len;
        end = i;
        all_single_letters = false;
        letters_since_period = 0;
        if (i >= n || !IsWordStart(i)) break;
        continue;
      }
      if (kind == CharKind::kPeriod) {
        // "11.8", "U.S.", "Gazeta.uz": a period followed by a letter/digit
        // stays inside the word. A final period stays for abbreviations.
        if (i + 1 < n && IsWordChar(i + 1)) {
          word_.push_back('.');
          i += 1;
          end = i;
          letters_since_period = 0;
          continue;
        }
        if (all_single_letters && letters_since_period == 1 && word_.size() >= 1 &&
            (word_.find('.') != std::string::npos || IsInitial())) {
          word_.push_back('.');  // "u.s." or the initial "w."
          i += 1;
          end = i;
          break;
        }
        std::string probe = word_ + ".";
        if (GetLexicon().abbreviations.count(probe)) {
          word_ = std::move(probe);
          i += 1;
          end = i;
        }
        break;
      }
      if (kind == CharKind::kApostrophe) {
        // n't, 's, and the trailing possessive "countries'".
        const std::string_view rest = text_.substr(i + len);
        if (word_.size() > 1 && word_.back() == 'n' && !rest.empty() &&
            (rest[0] == 't' || rest[0] == 'T') && (rest.size() == 1 || !IsAsciiAlnum(rest[1]))) {
          // "didn't" -> "did" "n't"
          word_.pop_back();
          EmitWord(start, end - 1, capitalized);
          Emit(end - 1, i + len + 1, "n't", WordClass::kNegation);
          return i + len + 1;
        }
        if (!rest.empty() && (rest[0] == 's' || rest[0] == 'S') &&
            (rest.size() == 1 || !IsAsciiAlnum(rest[1]))) {
          EmitWord(start, end, capitalized);
          Emit(i, i + len + 1, "'s", WordClass::kPossessive);
          return i + len + 1;
        }
        if (!rest.empty() && IsAsciiAlpha(rest[0])) {  // O'Brien, Côte d'Ivoire
          word_.push_back('\'');
          i += len;
          end = i;
          continue;
        }
        if (!word_.empty() && word_.back() == 's') {  // "countries'"
          EmitWord(start, end, capitalized);
          Emit(i, i + len, "'", WordClass::kPossessive);
          return i + len;
        }
        break;
      }
      break;
    }
    EmitWord(start, end, capitalized);
    return end;
  }

  size_t ReadApostrophe(size_t i, int len) {
    const std::string_view rest = text_.substr(i + len);
    if (!rest.empty() && (rest[0] == 's' || rest[0] == 'S') &&
        (rest.size() == 1 || !IsAsciiAlnum(rest[1]))) {
      Emit(i, i + len + 1, "'s", WordClass::kPossessive);
      return i + len + 1;
    }
    Emit(i, i + len, "\"", WordClass::kPunct);  // a single quote used as a quote mark
    return i + len;
  }

  bool IsInitial() const { return word_.size() == 1; }
  static bool IsAsciiAlpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
  static bool IsAsciiAlnum(char c) { return IsAsciiAlpha(c) || (c >= '0' && c <= '9'); }
  bool IsWordChar(size_t i) const {
    const auto c = static_cast<unsigned char>(text_[i]);
    return c >= 0x80 ? IsWordStart(i) : IsAsciiAlnum(static_cast<char>(c));
  }
  bool IsWordStart(size_t i) const {
    char32_t cp = 0;
    int len = Utf8Length(text_, i, &cp);
    if (len == 0) return true;
    char fold = 0;
    CharKind k = Classify(cp, &fold);
    return k == CharKind::kLetter || k == CharKind::kDigit;
  }

  void EmitWord(size_t begin, size_t end, bool capitalized) {
    if (end <= begin) return;
    const Lexicon& lex = GetLexicon();
    WordClass c = WordClass::kWord;
    auto it = lex.classes.find(word_);
    if (it != lex.classes.end()) {
      c = it->second;
    } else if (!word_.empty() && word_[0] >= '0' && word_[0] <= '9') {
      c = WordClass::kNumber;
    } else if (IsAdverbBySpelling(word_)) {
      c = WordClass::kAdverb;
    }
    Emit(begin, end, word_, c);
    out_->tokens.back().capitalized = capitalized;
  }

  void Emit(size_t begin, size_t end, std::string_view norm, WordClass c) {
    Token t;
    t.begin = static_cast<std::uint32_t>(begin);
    t.end = static_cast<std::uint32_t>(end);
    t.norm_begin = static_cast<std::uint32_t>(out_->norm_buffer.size());
    const size_t size = std::min<size_t>(norm.size(), 0xFFFF);
    t.norm_size = static_cast<std::uint16_t>(size);
    out_->norm_buffer.append(norm.substr(0, size));
    t.newlines_before = newlines_;
    t.word_class = c;
    newlines_ = 0;
    out_->tokens.push_back(t);
  }

  std::string_view text_;
  AnalyzedText* out_;
  std::string word_;
  std::uint8_t newlines_ = 0;
};

bool IsClosingMark(std::string_view norm) {
  return norm == "\"" || norm == ")" || norm == "]" || norm == "'";
}

// Decides where sentences end, over the token stream.
void SplitSentences(std::string_view text, const AnalyzeOptions& options,
                    AnalyzedText* out) {
  auto& toks = out->tokens;
  auto& sents = out->sentences;
  const std::uint32_t n = static_cast<std::uint32_t>(toks.size());
  if (n == 0) return;
  if (options.single_sentence) {
    for (std::uint32_t b = 0; b < n; b += options.max_sentence_tokens) {
      const std::uint32_t e = std::min(n, b + options.max_sentence_tokens);
      sents.push_back({b, e, toks[b].begin, toks[e - 1].end});
    }
    return;
  }
  // Text whose lines are long holds one paragraph per line: a single line
  // break ends a sentence. Hard-wrapped text (short lines) needs a blank line.
  size_t longest_line = 0;
  {
    size_t line_start = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
      if (i == text.size() || text[i] == '\n') {
        longest_line = std::max(longest_line, i - line_start);
        line_start = i + 1;
      }
    }
  }
  const bool line_is_paragraph = longest_line > 160;
  const Lexicon& lex = GetLexicon();

  std::uint32_t start = 0;
  auto close = [&](std::uint32_t end) {
    while (start < end) {
      const std::uint32_t e = std::min(end, start + options.max_sentence_tokens);
      sents.push_back({start, e, toks[start].begin, toks[e - 1].end});
      start = e;
    }
  };
  for (std::uint32_t i = 0; i < n; ++i) {
    const Token& t = toks[i];
    if (i > start && t.newlines_before > 0) {
      const Token& prev = toks[i - 1];
      const bool prev_line_short =
          (t.begin - toks[start].begin) < 60 && prev.word_class != WordClass::kPunct;
      if (t.newlines_before >= 2 || line_is_paragraph ||
          (prev_line_short && t.capitalized && prev.word_class != WordClass::kPreposition &&
           prev.word_class != WordClass::kDeterminer)) {
        close(i);
      }
    }
    std::string_view norm = out->Norm(t);
    bool ends = t.word_class == WordClass::kSentenceEnd;
    bool abbreviation_end = false;
    if (!ends && norm.size() >= 3 && norm.back() == '.' &&
        !lex.abbreviations.count(norm)) {
      abbreviation_end = true;  // "u.s." may end a sentence
    }
    if (!ends && !abbreviation_end) continue;
    std::uint32_t j = i + 1;
    // Closing quotes and brackets attached to the terminal belong to this
    // sentence; a quote after a space opens the next one.
    while (j < n && IsClosingMark(out->Norm(toks[j])) && toks[j].newlines_before == 0 &&
           toks[j].begin == toks[j - 1].end)
      ++j;
    if (j >= n) continue;
    const Token& next = toks[j];
    std::string_view next_norm = out->Norm(next);
    bool starts = next.capitalized || next.word_class == WordClass::kNumber ||
                  next_norm == "\"" || next.newlines_before > 0;
    if (abbreviation_end) starts = starts && (lex.sentence_openers.count(next_norm) > 0 ||
                                              next.newlines_before > 0);
    if (ends && norm == "." && i > start) {
      // "No. 5", initials before a surname: handled in the tokenizer; a
      // lone "." after a single capital letter is an initial.
      std::string_view prev = out->Norm(toks[i - 1]);
      if (prev.size() == 1 && toks[i - 1].capitalized && toks[i - 1].end == t.begin &&
          next.capitalized && next.newlines_before == 0)
        starts = false;
    }
    if (starts) close(j);
    i = j - 1;
  }
  close(n);
}

}  // namespace

void AnalyzeInto(std::string_view text, const AnalyzeOptions& options, AnalyzedText* out) {
  out->tokens.clear();
  out->sentences.clear();
  out->norm_buffer.clear();
  if (text.size() > 0xFFFFFFF0u) text = text.substr(0, 0xFFFFFFF0u);
  Tokenizer(text, out).Run();
  SplitSentences(text, options, out);
}

AnalyzedText Analyze(std::string_view text, const AnalyzeOptions& options) {
  AnalyzedText out;
  AnalyzeInto(text, options, &out);
  return out;
}

Status ValidateUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    char32_t cp = 0;
    int len = Utf8Length(text, i, &cp);
    if (len == 0)
      return InvalidArgument("invalid UTF-8 at byte offset " + std::to_string(i));
    i += len;
  }
  return Status::Ok();
}

const char* WordClassName(WordClass c) {
  switch (c) {
    case WordClass::kWord: return "word";
    case WordClass::kNumber: return "num";
    case WordClass::kPunct: return "punct";
    case WordClass::kSentenceEnd: return "end";
    case WordClass::kDeterminer: return "det";
    case WordClass::kPreposition: return "prep";
    case WordClass::kConjunction: return "conj";
    case WordClass::kBe: return "be";
    case WordClass::kHave: return "have";
    case WordClass::kDo: return "do";
    case WordClass::kModal: return "modal";
    case WordClass::kNegation: return "neg";
    case WordClass::kPronoun: return "pron";
    case WordClass::kRelative: return "rel";
    case WordClass::kSubordinator: return "sub";
    case WordClass::kPossessive: return "poss";
    case WordClass::kAdverb: return "adv";
  }
  return "?";
}

}  // namespace dyad

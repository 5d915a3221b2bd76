// Readers for the PETRARCH/TABARI dictionary formats, compiling into Tables.
//
// Every file is read line by line after removing "#" comments and
// "<!-- ... -->" blocks (which may span lines). Each reader is a small state
// machine; any line it cannot place is an InvalidArgument naming file:line.
// Synset references inside synsets and patterns are resolved after all verb
// files are read, so a synset may be used before it is defined.
#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "dict/inflect.h"
#include "dict/tables.h"
#include "dyad/dictionary.h"

namespace dyad {
namespace dict {

WordId Vocabulary::Intern(std::string_view word) {
  auto it = ids_.find(word);
  if (it != ids_.end()) return it->second;
  const WordId id = static_cast<WordId>(words_.size());
  words_.emplace_back(word);
  ids_.emplace(std::string(word), id);
  return id;
}

bool PhraseTrie::Insert(const std::vector<WordId>& words, std::int32_t value) {
  std::uint32_t node = kRoot;
  for (WordId w : words) {
    const std::uint64_t key = (static_cast<std::uint64_t>(node) << 32) | w;
    auto it = edges_.find(key);
    if (it == edges_.end()) {
      const auto child = static_cast<std::uint32_t>(values_.size());
      values_.push_back(-1);
      edges_.emplace(key, child);
      node = child;
    } else {
      node = it->second;
    }
  }
  if (values_[node] >= 0) return false;
  values_[node] = value;
  ++phrases_;
  return true;
}

namespace {

struct Line {
  int number = 0;
  std::string text;  // comments removed, right-trimmed
  bool indented = false;
};

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Lines of `in` with comments removed; `path` names it in errors.
Result<std::vector<Line>> ParseLines(std::istream& in, const std::string& path) {
  std::vector<Line> lines;
  std::string raw;
  bool in_xml_comment = false;
  int number = 0;
  while (std::getline(in, raw)) {
    ++number;
    if (raw.find('\0') != std::string::npos)
      return InvalidArgument("binary data (NUL byte) in a dictionary file",
                             path + ":" + std::to_string(number));
    std::string text;
    size_t i = 0;
    while (i < raw.size()) {
      if (in_xml_comment) {
        size_t end = raw.find("-->", i);
        if (end == std::string::npos) { i = raw.size(); break; }
        in_xml_comment = false;
        i = end + 3;
        continue;
      }
      size_t open = raw.find("<!--", i);
      size_t hash = i;
      // '#' starts a comment except inside a [code] ("[###]" is a code).
      for (int depth = 0; hash < raw.size(); ++hash) {
        if (raw[hash] == '[') ++depth;
        else if (raw[hash] == ']' && depth > 0) --depth;
        else if (raw[hash] == '#' && depth == 0) break;
      }
      if (hash >= raw.size()) hash = std::string::npos;
      if (open != std::string::npos && (hash == std::string::npos || open < hash)) {
        text.append(raw, i, open - i);
        in_xml_comment = true;
        i = open + 4;
        continue;
      }
      if (hash != std::string::npos) {
        text.append(raw, i, hash - i);
        i = raw.size();
        break;
      }
      text.append(raw, i, std::string::npos);
      break;
    }
    Line line;
    line.number = number;
    line.indented = !text.empty() && (text[0] == ' ' || text[0] == '\t');
    line.text = Trim(text);
    if (!line.text.empty()) lines.push_back(std::move(line));
  }
  if (in.bad()) return IoError("read error", path);
  return lines;
}

Result<std::vector<Line>> ReadLines(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return InvalidArgument("is a directory, not a dictionary file", path);
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open dictionary file", path);
  return ParseLines(in, path);
}

// The user dictionary's sections (docs/corrections.md), each with the
// file's own line numbers.
struct UserSections {
  std::vector<Line> actors, verbs, suppressed;
};

Result<UserSections> SplitUserDictionary(const std::vector<Line>& lines, const std::string& path) {
  UserSections out;
  std::vector<Line>* section = nullptr;
  for (const Line& line : lines) {
    const std::string& s = line.text;
    if (s.size() >= 4 && s.compare(0, 2, "==") == 0 && s.compare(s.size() - 2, 2, "==") == 0) {
      std::string name;
      for (char c : s.substr(2, s.size() - 4))
        if (!std::isspace(static_cast<unsigned char>(c)))
          name.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      if (name == "ACTORS") section = &out.actors;
      else if (name == "VERBS") section = &out.verbs;
      else if (name == "SUPPRESSED") section = &out.suppressed;
      else
        return InvalidArgument("unknown section '" + s + "' (want == ACTORS ==, == VERBS == or == SUPPRESSED ==)",
                               path + ":" + std::to_string(line.number));
      continue;
    }
    if (section == nullptr)
      return InvalidArgument("entry before any section header (== ACTORS ==, == VERBS == or == SUPPRESSED ==)",
                             path + ":" + std::to_string(line.number));
    section->push_back(line);
  }
  return out;
}

// Splits a dictionary phrase ("PRESIDENT_GEORGE_W._BUSH", "SWISS FRANCS")
// into lower-case words. Trailing '_' (TABARI's "exact word") is dropped.
std::vector<std::string> PhraseWords(std::string_view phrase) {
  std::vector<std::string> words;
  std::string cur;
  for (char c : phrase) {
    if (c == '_' || c == ' ' || c == '\t') {
      if (!cur.empty()) words.push_back(Lower(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) words.push_back(Lower(cur));
  // "'S" written as part of a word in some dictionaries: split like the tokenizer.
  std::vector<std::string> out;
  for (auto& w : words) {
    if (w.size() > 2 && w.compare(w.size() - 2, 2, "'s") == 0) {
      out.push_back(w.substr(0, w.size() - 2));
      out.push_back("'s");
    } else {
      out.push_back(w);
    }
  }
  return out;
}

std::vector<WordId> Intern(Vocabulary* vocab, const std::vector<std::string>& words) {
  std::vector<WordId> ids;
  ids.reserve(words.size());
  for (const auto& w : words) ids.push_back(vocab->Intern(w));
  return ids;
}

bool ValidCode(std::string_view code) {
  if (code.empty()) return false;
  for (char c : code)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '~' || c == '_' ||
          c == '#' || c == ':' || c == '!' || c == '.' || c == '?' || c == '+' || c == '/'))
      return false;
  return true;
}

// Parses "yyyymmdd" or TABARI's "yymmdd" into yyyymmdd.
bool ParseDictDate(std::string_view s, std::int32_t* out) {
  if (s.size() != 6 && s.size() != 8) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  std::int32_t v = std::stoi(std::string(s));
  if (s.size() == 6) {
    const std::int32_t yy = v / 10000;
    v += (yy < 40 ? 20000000 : 19000000);
  }
  const int month = (v / 100) % 100, day = v % 100;
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  *out = v;
  return true;
}

// "[RUSGOV >20240507]" contents -> DatedCode.
Result<DatedCode> ParseDatedCode(std::string_view inside_raw, const std::string& where) {
  // Tolerate spaces inside the date: "[EGYGOV > 140608]", "[X 930922 - 931004]".
  std::vector<std::string> parts;
  {
    std::istringstream ss{std::string(inside_raw)};
    std::string p;
    while (ss >> p) parts.push_back(p);
  }
  for (size_t i = 1; i + 1 < parts.size();) {
    if (parts[i] == ">" || parts[i] == "<") { parts[i] += parts[i + 1]; parts.erase(parts.begin() + i + 1); continue; }
    if (parts[i] == "-" && i >= 1 && i + 1 < parts.size() && i > 1) {
      parts[i - 1] += "-" + parts[i + 1];
      parts.erase(parts.begin() + i, parts.begin() + i + 2);
      continue;
    }
    ++i;
  }
  std::string inside;
  for (const auto& p : parts) inside += (inside.empty() ? "" : " ") + p;
  std::istringstream ss{inside};
  std::string code, date;
  ss >> code;
  DatedCode dc;
  dc.code = Upper(code);
  if (dc.code.empty() || !ValidCode(dc.code))
    return InvalidArgument("bad actor code '[" + std::string(inside) + "]'", where);
  if (ss >> date) {
    std::string extra;
    if (ss >> extra) return InvalidArgument("unexpected text in code '[" + std::string(inside) + "]'", where);
    if (date[0] == '>') {
      if (!ParseDictDate(std::string_view(date).substr(1), &dc.from))
        return InvalidArgument("bad date '" + date + "' (want >YYYYMMDD)", where);
    } else if (date[0] == '<') {
      if (!ParseDictDate(std::string_view(date).substr(1), &dc.to))
        return InvalidArgument("bad date '" + date + "' (want <YYYYMMDD)", where);
    } else {
      const size_t dash = date.find('-');
      if (dash == std::string::npos ||
          !ParseDictDate(std::string_view(date).substr(0, dash), &dc.from) ||
          !ParseDictDate(std::string_view(date).substr(dash + 1), &dc.to))
        return InvalidArgument("bad date range '" + date + "' (want YYYYMMDD-YYYYMMDD)", where);
    }
  }
  if (dc.code == "---") dc.code.clear();
  return dc;
}

// Pulls every "[...]" group out of `text`; the rest is returned in *rest.
Status ExtractBrackets(const std::string& text, std::vector<std::string>* groups,
                       std::string* rest, const std::string& where) {
  rest->clear();
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '[') {
      size_t close = text.find(']', i);
      if (close == std::string::npos) return InvalidArgument("unclosed '['", where);
      groups->push_back(Trim(std::string_view(text).substr(i + 1, close - i - 1)));
      i = close + 1;
    } else if (text[i] == ']') {
      return InvalidArgument("']' without '['", where);
    } else {
      rest->push_back(text[i++]);
    }
  }
  *rest = Trim(*rest);
  return Status::Ok();
}

// Removes a "{A B C}" group from *s, appending its words to *items.
Status ExtractBraces(std::string* s, std::vector<std::string>* items, bool* present,
                     const std::string& where) {
  const size_t lb = s->find('{');
  *present = lb != std::string::npos;
  if (!*present) return Status::Ok();
  const size_t rb = s->find('}', lb);
  if (rb == std::string::npos) return InvalidArgument("unclosed '{'", where);
  std::stringstream ss(s->substr(lb + 1, rb - lb - 1));
  std::string word;
  while (ss >> word) items->push_back(word);
  *s = s->substr(0, lb) + " " + s->substr(rb + 1);
  return Status::Ok();
}

class Builder {
 public:
  explicit Builder(Tables* t, DictionaryStats* stats) : t_(t), stats_(stats) {}

  Status ReadActors(const std::string& path);
  Status ReadAgents(const std::string& path);
  Status ReadDiscards(const std::string& path);
  Status ReadIssues(const std::string& path);
  Status ReadVerbs(const std::string& path);
  // Sections of a file already split into lines (the user dictionary).
  Status ReadActorLines(const std::string& path, const std::vector<Line>& lines);
  Status ReadVerbLines(const std::string& path, const std::vector<Line>& lines);
  Status ReadSuppressions(const std::string& path, const std::vector<Line>& lines);
  // The verb blocks read so far are the user's: a default block with the
  // same verb form does not pool its patterns into them.
  void MarkUserBlocks() { user_blocks_ = static_cast<std::uint32_t>(t_->blocks.size()); }
  Status Finish();

 private:
  struct PendingSynsetRef {
    std::string name;
    Origin origin;
  };
  Status AddVerbForm(const std::string& spec, const Origin& origin, std::uint32_t block);
  Status ParsePattern(const std::string& body, const Origin& origin, Pattern* out);
  Result<std::uint32_t> SynsetId(const std::string& name, const Origin& origin);

  Tables* t_;
  DictionaryStats* stats_;
  // Raw synset members until Finish() expands nested references.
  std::vector<std::vector<std::string>> synset_raw_;
  std::vector<Origin> synset_origin_;
  std::vector<bool> synset_defined_;
  int transformations_skipped_ = 0;
  std::set<std::pair<std::uint32_t, std::uint32_t>> merges_;  // (kept block, pooled block)
  std::uint32_t user_blocks_ = 0;  // blocks [0, user_blocks_) come from the user dictionary
};

Status Builder::ReadActors(const std::string& path) {
  auto lines = ReadLines(path);
  if (!lines.ok()) return lines.status();
  return ReadActorLines(path, lines.value());
}

Status Builder::ReadActorLines(const std::string& path, const std::vector<Line>& lines) {
  std::int32_t current = -1;
  std::vector<std::string> phrases;  // phrases of the current entry
  auto flush = [&]() -> Status {
    if (current < 0) return Status::Ok();
    for (const auto& p : phrases) {
      auto words = PhraseWords(p);
      if (words.empty()) continue;
      if (t_->actor_trie.Insert(Intern(&t_->vocabulary, words), current)) ++stats_->actor_phrases;
    }
    phrases.clear();
    return Status::Ok();
  };
  for (const Line& line : lines) {
    const std::string where = path + ":" + std::to_string(line.number);
    const std::string& s = line.text;
    if (s[0] == '+' && s.find(']') != std::string::npos && s.find('[') == std::string::npos) {
      stats_->warnings.push_back(where + ": stray ']' in synonym; synonym ignored");
      continue;
    }
    std::vector<std::string> groups;
    std::string rest;
    DYAD_RETURN_IF_ERROR(ExtractBrackets(s, &groups, &rest, where));
    if (s[0] == '+') {
      if (current < 0) return InvalidArgument("synonym '+' before any actor entry", where);
      std::string syn = Trim(std::string_view(rest).substr(1));
      if (syn.empty()) return InvalidArgument("empty synonym", where);
      phrases.push_back(syn);
    } else if (s[0] == '[') {
      if (current < 0) return InvalidArgument("code line before any actor entry", where);
      if (!rest.empty()) return InvalidArgument("text after code line: '" + rest + "'", where);
    } else {
      DYAD_RETURN_IF_ERROR(flush());
      if (rest.empty()) return InvalidArgument("actor entry without a phrase", where);
      ActorEntry e;
      e.name = rest;
      e.origin = {path, line.number};
      t_->actors.push_back(std::move(e));
      current = static_cast<std::int32_t>(t_->actors.size() - 1);
      phrases.push_back(rest);
      ++stats_->actor_entries;
    }
    for (const auto& g : groups) {
      auto dc = ParseDatedCode(g, where);
      if (!dc.ok()) {
        // A bad date is recoverable: the entry stays, without that role.
        if (dc.status().message().rfind("bad date", 0) == 0) {
          stats_->warnings.push_back(dc.status().ToString() + " (role ignored)");
          continue;
        }
        return dc.status();
      }
      t_->actors[current].codes.push_back(std::move(dc.value()));
    }
  }
  return flush();
}

Status Builder::ReadAgents(const std::string& path) {
  auto lines = ReadLines(path);
  if (!lines.ok()) return lines.status();
  std::unordered_map<std::string, std::vector<std::string>> substitutions;
  for (const Line& line : lines.value()) {
    const std::string where = path + ":" + std::to_string(line.number);
    std::string s = line.text;
    const size_t bang_close = s[0] == '!' ? s.find('!', 1) : std::string::npos;
    if (bang_close != std::string::npos && Trim(std::string_view(s).substr(bang_close + 1)).rfind('=', 0) == 0) {
      const size_t close = bang_close;
      const size_t eq = s.find('=');
      std::string name = s.substr(0, close + 1);
      std::vector<std::string> items;
      std::stringstream ss(s.substr(eq + 1));
      std::string item;
      while (std::getline(ss, item, ',')) {
        item = Trim(item);
        if (!item.empty()) items.push_back(item);
      }
      if (items.empty()) return InvalidArgument("empty substitution set", where);
      substitutions[name] = std::move(items);
      continue;
    }
    // Plurals in braces.
    std::vector<std::string> plurals;
    bool explicit_plurals = false;
    DYAD_RETURN_IF_ERROR(ExtractBraces(&s, &plurals, &explicit_plurals, where));
    std::vector<std::string> groups;
    std::string rest;
    if (Status st = ExtractBrackets(s, &groups, &rest, where); !st.ok()) {
      // One broken entry in a large third-party file should not make the
      // whole file unusable; it is reported and skipped.
      stats_->warnings.push_back(st.ToString() + "; agent entry ignored");
      continue;
    }
    if (groups.empty()) {
      stats_->warnings.push_back(where + ": agent entry without a [~CODE]; ignored");
      continue;
    }
    if (groups.size() != 1) return InvalidArgument("agent needs exactly one [~CODE]", where);
    std::string code;
    for (char c : groups[0])
      if (!std::isspace(static_cast<unsigned char>(c))) code.push_back(c);
    code = Upper(code);
    const size_t tilde = code.find('~');
    if (tilde == std::string::npos || code.size() < 2)
      return InvalidArgument("agent code must contain '~' ([~GOV] or [NGO~])", where);
    AgentEntry e;
    e.prefix = tilde == code.size() - 1;
    e.role = e.prefix ? code.substr(0, tilde) : code.substr(tilde + 1);
    if (!ValidCode(e.role)) return InvalidArgument("bad agent code '" + code + "'", where);
    e.origin = {path, line.number};
    if (rest.empty()) return InvalidArgument("agent entry without a phrase", where);
    e.name = rest;
    const auto index = static_cast<std::int32_t>(t_->agents.size());
    t_->agents.push_back(e);
    // Expand !SUBST! markers (at most one per phrase, as in the formats).
    std::vector<std::string> expanded{rest};
    const size_t b = rest.find('!');
    if (b != std::string::npos) {
      const size_t c = rest.find('!', b + 1);
      if (c == std::string::npos) return InvalidArgument("unclosed substitution marker", where);
      const std::string name = rest.substr(b, c - b + 1);
      auto it = substitutions.find(name);
      if (it == substitutions.end())
        return InvalidArgument("unknown substitution set " + name, where);
      expanded.clear();
      for (const auto& item : it->second)
        expanded.push_back(rest.substr(0, b) + item + rest.substr(c + 1));
    }
    for (const auto& phrase : expanded) {
      auto words = PhraseWords(phrase);
      if (words.empty()) continue;
      if (t_->agent_trie.Insert(Intern(&t_->vocabulary, words), index)) ++stats_->agent_phrases;
      if (!explicit_plurals && b == std::string::npos) {
        auto plural = words;
        plural.back() = Plural(plural.back());
        if (t_->agent_trie.Insert(Intern(&t_->vocabulary, plural), index)) ++stats_->agent_phrases;
      }
    }
    for (const auto& p : plurals) {
      auto words = PhraseWords(p);
      if (!words.empty() && t_->agent_trie.Insert(Intern(&t_->vocabulary, words), index))
        ++stats_->agent_phrases;
    }
  }
  return Status::Ok();
}

Status Builder::ReadDiscards(const std::string& path) {
  auto lines = ReadLines(path);
  if (!lines.ok()) return lines.status();
  for (const Line& line : lines.value()) {
    std::string s = line.text;
    const bool story = s[0] == '+';
    if (story) s = Trim(std::string_view(s).substr(1));
    auto semi = s.find(';');  // TABARI allows "; comment"
    if (semi != std::string::npos) s = Trim(std::string_view(s).substr(0, semi));
    if (s.find('[') != std::string::npos)
      return InvalidArgument("discard phrases take no code", path + ":" + std::to_string(line.number));
    auto words = PhraseWords(s);
    if (words.empty()) continue;
    if (t_->discard_trie.Insert(Intern(&t_->vocabulary, words), story ? 1 : 0))
      ++stats_->discard_phrases;
  }
  return Status::Ok();
}

Status Builder::ReadIssues(const std::string& path) {
  auto lines = ReadLines(path);
  if (!lines.ok()) return lines.status();
  std::string category;
  for (const Line& line : lines.value()) {
    const std::string where = path + ":" + std::to_string(line.number);
    const std::string& s = line.text;
    if (s.rfind("<ISSUE", 0) == 0) {
      const size_t q = s.find("CATEGORY=\"");
      if (q == std::string::npos) return InvalidArgument("ISSUE without CATEGORY", where);
      const size_t e = s.find('"', q + 10);
      if (e == std::string::npos) return InvalidArgument("unclosed CATEGORY", where);
      category = s.substr(q + 10, e - q - 10);
      continue;
    }
    if (s.rfind("</ISSUE", 0) == 0) { category.clear(); continue; }
    if (s[0] == '~') continue;  // exclusion phrase
    std::vector<std::string> groups;
    std::string rest;
    DYAD_RETURN_IF_ERROR(ExtractBrackets(s, &groups, &rest, where));
    if (groups.empty() && !category.empty()) groups.push_back(category);  // code defaults to the category
    if (groups.size() != 1) {
      stats_->warnings.push_back(where + ": issue line with " + std::to_string(groups.size()) +
                                 " codes (two entries run together?); ignored");
      continue;
    }
    std::string phrase;
    for (size_t i = 0; i < rest.size(); ++i) {
      if (rest.compare(i, 2, "n:") == 0 || rest.compare(i, 2, "v:") == 0 ||
          rest.compare(i, 2, "j:") == 0) { ++i; continue; }
      phrase.push_back(rest[i] == '+' ? ' ' : rest[i]);
    }
    auto words = PhraseWords(phrase);
    if (words.empty()) return InvalidArgument("empty issue phrase", where);
    const auto index = static_cast<std::int32_t>(t_->issues.size());
    t_->issues.push_back(category.empty() || category == groups[0] ? groups[0] : category + "/" + groups[0]);
    if (t_->issue_trie.Insert(Intern(&t_->vocabulary, words), index)) ++stats_->issue_phrases;
    auto plural = words;
    plural.back() = Plural(plural.back());
    t_->issue_trie.Insert(Intern(&t_->vocabulary, plural), index);
  }
  return Status::Ok();
}

Result<std::uint32_t> Builder::SynsetId(const std::string& name, const Origin& origin) {
  std::string key = Upper(name);
  while (!key.empty() && key.back() == '_') key.pop_back();
  auto it = t_->synset_index.find(key);
  if (it != t_->synset_index.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(t_->synsets.size());
  t_->synsets.push_back({key, {}});
  synset_raw_.emplace_back();
  synset_origin_.push_back(origin);
  synset_defined_.push_back(false);
  t_->synset_index.emplace(key, id);
  return id;
}

Status Builder::AddVerbForm(const std::string& spec, const Origin& origin, std::uint32_t block) {
  const std::string where = origin.Where();
  std::string s = spec;
  bool noun = false;
  if (s.size() > 2 && (s.compare(0, 2, "N:") == 0 || s.compare(0, 2, "n:") == 0)) {
    noun = true;
    s = Trim(std::string_view(s).substr(2));
  }
  std::vector<std::string> irregular;
  bool has_braces = false;
  DYAD_RETURN_IF_ERROR(ExtractBraces(&s, &irregular, &has_braces, where));
  std::vector<std::string> groups;
  std::string rest;
  DYAD_RETURN_IF_ERROR(ExtractBrackets(s, &groups, &rest, where));
  if (groups.size() > 1) return InvalidArgument("verb form with more than one code", where);
  std::string code;
  if (!groups.empty()) {
    code = Upper(groups[0]);
    if (code == "---") code.clear();
    else if (!ValidCode(code)) return InvalidArgument("bad code [" + groups[0] + "]", where);
  }
  if (rest.empty()) return InvalidArgument("empty verb form", where);
  // "KLM_NOP_+RST": '+' marks the inflected head; default is the first word.
  std::vector<std::string> words;
  size_t head = 0;
  {
    std::string cur;
    auto push = [&] {
      if (cur.empty()) return;
      if (cur[0] == '+') { head = words.size(); cur.erase(0, 1); }
      if (!cur.empty()) words.push_back(Lower(cur));
      cur.clear();
    };
    for (char c : rest) {
      if (c == '_' || c == ' ') push();
      else cur.push_back(c);
    }
    push();
  }
  if (words.empty()) return InvalidArgument("empty verb form", where);
  if (words.size() > 12) return InvalidArgument("verb phrase longer than 12 words", where);
  if (head >= words.size()) head = 0;
  auto add = [&](const std::string& form, FormKind kind, PhraseTrie* trie) {
    auto phrase = words;
    phrase[head] = form;
    VerbForm vf;
    vf.block = block;
    vf.kind = kind;
    vf.words = static_cast<std::uint8_t>(phrase.size());
    vf.head = static_cast<std::uint8_t>(head);
    vf.code = code;
    const auto index = static_cast<std::int32_t>(t_->verb_forms.size());
    const auto ids = Intern(&t_->vocabulary, phrase);
    if (trie->Insert(ids, index)) {
      t_->verb_forms.push_back(std::move(vf));
      ++stats_->verb_forms;
    } else {
      // The same verb in two blocks: PETRARCH pools their patterns.
      std::uint32_t node = PhraseTrie::kRoot;
      for (WordId w : ids) node = trie->Child(node, w);
      const std::uint32_t first = t_->verb_forms[trie->Value(node)].block;
      // A user entry replaces the default one outright: its code is not
      // second-guessed by the default block's patterns.
      const bool user_wins = first < user_blocks_ && block >= user_blocks_;
      if (first != block && !user_wins) merges_.emplace(first, block);
    }
  };
  if (noun) {
    add(words[head], FormKind::kNoun, &t_->noun_trie);
    add(Plural(words[head]), FormKind::kNoun, &t_->noun_trie);
    return Status::Ok();
  }
  // A form written as the entry ("ATTACKED {ATTACKING}", used to keep the
  // noun "attack" out) is classified by its spelling, so voice and noun
  // tests still see a past participle or a gerund.
  auto kind_of = [](const std::string& w, FormKind generated) {
    if (generated != FormKind::kBase) return generated;
    if (w.size() > 5 && w.compare(w.size() - 3, 3, "ing") == 0) return FormKind::kGerund;
    if (w.size() > 5 && w.compare(w.size() - 2, 2, "ed") == 0) return FormKind::kPast;
    return generated;
  };
  for (const auto& [form, kind] : VerbForms(words[head])) add(form, kind_of(form, kind), &t_->verb_trie);
  for (const auto& f : irregular) {
    auto w = PhraseWords(f);
    if (w.size() != 1) continue;
    FormKind k = FormKind::kIrregular;
    if (w[0].size() > 4 && w[0].compare(w[0].size() - 3, 3, "ing") == 0) k = FormKind::kGerund;
    add(w[0], k, &t_->verb_trie);
  }
  return Status::Ok();
}

Status Builder::ParsePattern(const std::string& body_in, const Origin& origin, Pattern* out) {
  const std::string where = origin.Where();
  std::string body = body_in;
  // Trailing "@ROLE": implied source role (dyad extension).
  const size_t at = body.find('@');
  if (at != std::string::npos) {
    out->implied_source_role = Upper(Trim(std::string_view(body).substr(at + 1)));
    body = body.substr(0, at);
    if (out->implied_source_role.empty() || !ValidCode(out->implied_source_role))
      return InvalidArgument("bad implied role after '@'", where);
  }
  std::vector<std::string> groups;
  std::string rest;
  DYAD_RETURN_IF_ERROR(ExtractBrackets(body, &groups, &rest, where));
  if (groups.size() != 1) return InvalidArgument("pattern needs exactly one [CODE]", where);
  std::string code = Upper(Trim(groups[0]));
  // "[---]": the pattern matches and codes nothing. "[+++]": the pattern is
  // passed over and matching goes on with the next one (TABARI).
  if (code == "---") code.clear();
  else if (!ValidCode(code)) return InvalidArgument("bad code [" + groups[0] + "]", where);
  out->code = code;
  out->text = Trim(body_in);
  out->origin = origin;
  // Items with the separator that preceded each.
  struct Item { std::string text; bool joined; };
  std::vector<Item> items;
  {
    std::string cur;
    bool joined = false, next_joined = false;
    auto push = [&] {
      if (!cur.empty()) items.push_back({cur, joined});
      cur.clear();
      joined = next_joined;
    };
    for (size_t i = 0; i < rest.size(); ++i) {
      const char c = rest[i];
      if (c == ' ' || c == '\t' || c == '{' || c == '}' || c == '(' || c == ')') {
        next_joined = false;
        if (!cur.empty()) push(); else joined = false;
      } else if (c == '_') {
        next_joined = true;
        if (!cur.empty()) push(); else joined = true;
      } else if ((c == '*' || c == '+' || c == '$' || c == '%' || c == '^') && cur.empty()) {
        cur.push_back(c);
        next_joined = false;
        push();
        // an operator directly followed by a word: "+RST" is joined
        if (i + 1 < rest.size() && rest[i + 1] != ' ' && rest[i + 1] != '_') joined = true;
      } else {
        cur.push_back(c);
      }
    }
    push();
  }
  size_t star = items.size();
  for (size_t i = 0; i < items.size(); ++i)
    if (items[i].text == "*") {
      if (star != items.size()) return InvalidArgument("pattern with two '*'", where);
      star = i;
    }
  if (star == items.size()) return InvalidArgument("pattern without the verb marker '*'", where);
  auto convert = [&](const Item& it, PatternElement* e) -> Status {
    const std::string& w = it.text;
    if (w == "+") e->kind = PatternElement::Kind::kTarget;
    else if (w == "$") e->kind = PatternElement::Kind::kSource;
    else if (w == "%") e->kind = PatternElement::Kind::kCompound;
    else if (w == "^" || w == "=") e->kind = PatternElement::Kind::kSkip;
    else if (w[0] == '&') {
      auto id = SynsetId(w.substr(1), origin);
      if (!id.ok()) return id.status();
      e->kind = PatternElement::Kind::kSynset;
      e->synset = id.value();
      ++out->literals;
    } else {
      e->kind = PatternElement::Kind::kWord;
      auto words = PhraseWords(w);
      if (words.size() != 1) return InvalidArgument("bad pattern word '" + w + "'", where);
      e->word = t_->vocabulary.Intern(words[0]);
      ++out->literals;
    }
    return Status::Ok();
  };
  // Before the verb: stored from the verb outwards. Element k is adjacent
  // when the separator between it and the item nearer the verb is '_'.
  for (size_t k = star; k-- > 0;) {
    PatternElement e;
    DYAD_RETURN_IF_ERROR(convert(items[k], &e));
    e.adjacent = items[k + 1].joined;
    if (e.kind == PatternElement::Kind::kTarget) out->subject_is_target = true;
    out->before.push_back(e);
  }
  for (size_t k = star + 1; k < items.size(); ++k) {
    PatternElement e;
    DYAD_RETURN_IF_ERROR(convert(items[k], &e));
    e.adjacent = items[k].joined;
    out->after.push_back(e);
  }
  return Status::Ok();
}

Status Builder::ReadVerbs(const std::string& path) {
  auto lines = ReadLines(path);
  if (!lines.ok()) return lines.status();
  return ReadVerbLines(path, lines.value());
}

Status Builder::ReadVerbLines(const std::string& path, const std::vector<Line>& lines) {
  enum class State { kNone, kSynset, kForms, kPatterns } state = State::kNone;
  std::int64_t block = -1;
  std::uint32_t synset = 0;
  for (const Line& line : lines) {
    const Origin origin{path, line.number};
    const std::string where = origin.Where();
    const std::string& s = line.text;
    if (s.rfind("---", 0) == 0) {
      // --- NAME [CODE] ---
      std::string inner = Trim(std::string_view(s).substr(3));
      if (inner.size() >= 3 && inner.compare(inner.size() - 3, 3, "---") == 0)
        inner = Trim(std::string_view(inner).substr(0, inner.size() - 3));
      std::vector<std::string> groups;
      std::string name;
      DYAD_RETURN_IF_ERROR(ExtractBrackets(inner, &groups, &name, where));
      if (name.empty()) return InvalidArgument("verb block header without a name", where);
      if (groups.empty())
        return InvalidArgument("verb block header needs a [CODE]: --- NAME [CODE] ---", where);
      if (groups.size() > 1)
        stats_->warnings.push_back(where + ": block header has " + std::to_string(groups.size()) +
                                   " codes; the first is the default");
      VerbBlock b;
      b.name = name;
      b.default_code = Upper(groups[0]);
      if (b.default_code == "---" || b.default_code == "+++") b.default_code.clear();
      else if (!ValidCode(b.default_code))
        return InvalidArgument("bad code [" + groups[0] + "]", where);
      b.origin = origin;
      t_->blocks.push_back(std::move(b));
      block = static_cast<std::int64_t>(t_->blocks.size() - 1);
      ++stats_->verb_blocks;
      state = State::kForms;
      continue;
    }
    if (s[0] == '&') {
      std::string name = Trim(std::string_view(s).substr(1));
      if (name.empty() || name.find(' ') != std::string::npos)
        return InvalidArgument("bad synset name '" + s + "'", where);
      auto id = SynsetId(name, origin);
      if (!id.ok()) return id.status();
      synset = id.value();
      if (synset_defined_[synset]) return InvalidArgument("synset &" + name + " defined twice", where);
      synset_defined_[synset] = true;
      synset_origin_[synset] = origin;
      state = State::kSynset;
      continue;
    }
    if (s[0] == '-') {
      if (state != State::kForms && state != State::kPatterns)
        return InvalidArgument("pattern line outside a verb block", where);
      Pattern p;
      DYAD_RETURN_IF_ERROR(ParsePattern(Trim(std::string_view(s).substr(1)), origin, &p));
      t_->blocks[block].patterns.push_back(std::move(p));
      ++stats_->verb_patterns;
      state = State::kPatterns;
      continue;
    }
    if (s[0] == '+' && state == State::kSynset) {
      std::string member = Trim(std::string_view(s).substr(1));
      if (member.empty()) return InvalidArgument("empty synset member", where);
      if (member.find('[') != std::string::npos)
        return InvalidArgument("synset members take no code", where);
      synset_raw_[synset].push_back(member);
      continue;
    }
    if (s[0] == '~') {
      // PETRARCH2 transformations ("~ a (a b ATTACK) SAY = a b 015") need
      // parse trees; they are read past, not applied.
      ++transformations_skipped_;
      continue;
    }
    if (state == State::kForms || state == State::kPatterns) {
      // Verb forms come before patterns, but TABARI files also list more
      // forms after patterns; accept both.
      DYAD_RETURN_IF_ERROR(AddVerbForm(s[0] == '+' ? s.substr(1) : s, origin,
                                       static_cast<std::uint32_t>(block)));
      continue;
    }
    return InvalidArgument("unexpected line '" + s.substr(0, 40) + "' (not a synset, block or pattern)", where);
  }
  return Status::Ok();
}

// "HASH SOURCE CODE TARGET": an event the user marked wrong.
Status Builder::ReadSuppressions(const std::string& path, const std::vector<Line>& lines) {
  for (const Line& line : lines) {
    const std::string where = path + ":" + std::to_string(line.number);
    std::istringstream ss(line.text);
    std::vector<std::string> f;
    for (std::string w; ss >> w;) f.push_back(w);
    if (f.size() != 4)
      return InvalidArgument("a suppression is four fields: SENTENCE-HASH SOURCE CODE TARGET", where);
    std::string hash = Lower(f[0]);
    bool hex = hash.size() == 16;
    for (char c : hash) hex = hex && std::isxdigit(static_cast<unsigned char>(c));
    if (!hex) return InvalidArgument("bad sentence hash '" + f[0] + "' (want 16 hex digits)", where);
    const std::string source = Upper(f[1]), code = f[2], target = Upper(f[3]);
    if (!ValidCode(source) || !ValidCode(target))
      return InvalidArgument("bad actor code in suppression '" + line.text + "'", where);
    bool digits = code.size() >= 2 && code.size() <= 4;
    for (char c : code) digits = digits && std::isdigit(static_cast<unsigned char>(c));
    if (!digits) return InvalidArgument("bad event code '" + code + "' in suppression", where);
    if (t_->suppressed.emplace(SuppressionKey(hash, source, code, target), Origin{path, line.number}).second)
      ++stats_->suppressions;
  }
  return Status::Ok();
}

Status Builder::Finish() {
  // Expand synsets, resolving nested "&NAME" members; detect cycles.
  const size_t n = t_->synsets.size();
  std::vector<int> state(n, 0);  // 0 new, 1 in progress, 2 done
  std::function<Status(std::uint32_t)> expand = [&](std::uint32_t id) -> Status {
    if (state[id] == 2) return Status::Ok();
    if (state[id] == 1)
      return InvalidArgument("synset &" + t_->synsets[id].name + " includes itself",
                             synset_origin_[id].Where());
    if (!synset_defined_[id]) {
      // Patterns that use it can never match; worth a warning, not a failure.
      stats_->warnings.push_back(synset_origin_[id].Where() + ": synset &" + t_->synsets[id].name +
                                 " is used but never defined");
      state[id] = 2;
      return Status::Ok();
    }
    state[id] = 1;
    for (const auto& member : synset_raw_[id]) {
      if (member[0] == '&') {
        auto ref = SynsetId(member.substr(1), synset_origin_[id]);
        if (!ref.ok()) return ref.status();
        state.resize(t_->synsets.size(), 0);
        synset_defined_.resize(t_->synsets.size(), false);
        DYAD_RETURN_IF_ERROR(expand(ref.value()));
        auto copy = t_->synsets[ref.value()].phrases;
        for (auto& p : copy) t_->synsets[id].phrases.push_back(std::move(p));
      } else {
        auto words = PhraseWords(member);
        if (!words.empty()) t_->synsets[id].phrases.push_back(Intern(&t_->vocabulary, words));
      }
    }
    state[id] = 2;
    return Status::Ok();
  };
  for (std::uint32_t id = 0; id < n; ++id) DYAD_RETURN_IF_ERROR(expand(id));
  stats_->synsets = t_->synsets.size();
  for (const auto& [kept, pooled] : merges_) {
    VerbBlock& k = t_->blocks[kept];
    const VerbBlock& p = t_->blocks[pooled];
    for (const auto& pattern : p.patterns) k.patterns.push_back(pattern);
    if (k.default_code.empty()) k.default_code = p.default_code;
  }
  for (auto& b : t_->blocks) {
    std::stable_sort(b.patterns.begin(), b.patterns.end(), [](const Pattern& a, const Pattern& c) {
      return a.literals > c.literals;
    });
  }
  stats_->vocabulary = t_->vocabulary.size();
  if (transformations_skipped_ > 0)
    stats_->warnings.push_back(std::to_string(transformations_skipped_) +
                               " PETRARCH2 transformation lines ignored (they need parse trees)");
  return Status::Ok();
}

bool Contains(const std::string& haystack, const char* needle) {
  return Lower(haystack).find(needle) != std::string::npos;
}

}  // namespace
}  // namespace dict

Dictionary::Dictionary() : tables_(std::make_unique<dict::Tables>()) {}
Dictionary::~Dictionary() = default;

std::string Dictionary::DefaultDirectory() {
  if (const char* env = std::getenv("DYAD_DICT_DIR"); env && *env) return env;
  std::error_code ec;
  const std::string source = std::string(DYAD_SOURCE_DATA_DIR) + "/dict";
  if (std::filesystem::is_directory(source, ec)) return source;
  return std::string(DYAD_INSTALL_DATA_DIR) + "/dict";
}

Result<DictionaryFiles> Dictionary::FindFiles(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return NotFound("dictionary directory not found", dir);
  std::vector<std::string> paths;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    const auto ext = entry.path().extension().string();
    if (ext != ".txt" && ext != ".dict" && ext != ".verbs" && ext != ".actors") continue;
    paths.push_back(entry.path().string());
  }
  if (ec) return IoError("cannot list directory: " + ec.message(), dir);
  std::sort(paths.begin(), paths.end());
  DictionaryFiles files;
  for (const auto& p : paths) {
    const std::string name = fs::path(p).filename().string();
    if (dict::Contains(name, "verb") || dict::Contains(name, "cameo")) files.verbs.push_back(p);
    else if (dict::Contains(name, "actor")) files.actors.push_back(p);
    else if (dict::Contains(name, "agent")) files.agents.push_back(p);
    else if (dict::Contains(name, "discard")) files.discards.push_back(p);
    else if (dict::Contains(name, "issue")) files.issues.push_back(p);
  }
  if (files.verbs.empty() && files.actors.empty())
    return NotFound("no verb or actor dictionary (*verbs*.txt, *actors*.txt) in directory", dir);
  return files;
}

Result<std::shared_ptr<const Dictionary>> Dictionary::Load(const DictionaryFiles& files) {
  std::shared_ptr<Dictionary> d(new Dictionary());
  dict::Builder b(d->tables_.get(), &d->stats_);
  // The user dictionary is read first, section by section, so that its
  // phrases take the trie slots (the first insert of a phrase wins).
  dict::UserSections user;
  if (!files.user.empty()) {
    Result<std::vector<dict::Line>> lines = std::vector<dict::Line>{};
    std::error_code ec;
    if (files.user_text) {
      std::istringstream in(*files.user_text);
      lines = dict::ParseLines(in, files.user);
    } else if (std::filesystem::exists(files.user, ec)) {
      lines = dict::ReadLines(files.user);
    }
    if (!lines.ok()) return lines.status();
    auto sections = dict::SplitUserDictionary(lines.value(), files.user);
    if (!sections.ok()) return sections.status();
    user = std::move(sections.value());
  }
  DYAD_RETURN_IF_ERROR(b.ReadVerbLines(files.user, user.verbs));
  b.MarkUserBlocks();
  for (const auto& f : files.verbs) DYAD_RETURN_IF_ERROR(b.ReadVerbs(f));
  DYAD_RETURN_IF_ERROR(b.ReadActorLines(files.user, user.actors));
  for (const auto& f : files.actors) DYAD_RETURN_IF_ERROR(b.ReadActors(f));
  for (const auto& f : files.agents) DYAD_RETURN_IF_ERROR(b.ReadAgents(f));
  for (const auto& f : files.discards) DYAD_RETURN_IF_ERROR(b.ReadDiscards(f));
  for (const auto& f : files.issues) DYAD_RETURN_IF_ERROR(b.ReadIssues(f));
  DYAD_RETURN_IF_ERROR(b.ReadSuppressions(files.user, user.suppressed));
  DYAD_RETURN_IF_ERROR(b.Finish());
  return std::shared_ptr<const Dictionary>(std::move(d));
}

Result<std::shared_ptr<const Dictionary>> Dictionary::LoadDirectory(const std::string& dir,
                                                                    const std::string& user_file) {
  auto files = FindFiles(dir);
  if (!files.ok()) return files.status();
  files->user = user_file;
  return Load(files.value());
}

Result<std::string> Dictionary::UserDictionaryPath(const std::string& flag,
                                                   const std::string& fallback) {
  if (!flag.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(flag, ec))
      return NotFound("user dictionary not found (it is created by the first correction; "
                      "leave --user-dict out until then)", flag);
    return flag;
  }
  if (const char* env = std::getenv("DYAD_USER_DICT"); env && *env) return std::string(env);
  return fallback;
}

std::string SentenceHash(std::string_view sentence) {
  std::string norm;
  norm.reserve(sentence.size());
  for (char c : sentence) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!norm.empty() && norm.back() != ' ') norm.push_back(' ');
    } else {
      norm.push_back(c);
    }
  }
  while (!norm.empty() && norm.back() == ' ') norm.pop_back();
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx",
                static_cast<unsigned long long>(XXH3_64bits(norm.data(), norm.size())));
  return buf;
}

}  // namespace dyad

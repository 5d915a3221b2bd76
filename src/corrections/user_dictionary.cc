#include "corrections/user_dictionary.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace dyad::corrections {
namespace {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// A line without its '#' comment ('#' inside [...] is part of a code, as
// the reader has it), trimmed.
std::string Content(std::string_view line) {
  int depth = 0;
  size_t i = 0;
  for (; i < line.size(); ++i) {
    if (line[i] == '[') ++depth;
    else if (line[i] == ']' && depth > 0) --depth;
    else if (line[i] == '#' && depth == 0) break;
  }
  return Trim(line.substr(0, i));
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// "--- NAME [CODE] ---" -> "NAME"; "PHRASE [CODE]" -> "PHRASE".
std::string WithoutBrackets(std::string_view s) {
  std::string out;
  int depth = 0;
  for (char c : s) {
    if (c == '[') ++depth;
    else if (c == ']' && depth > 0) --depth;
    else if (depth == 0) out.push_back(c);
  }
  return out;
}

std::string SuppressionKeyOf(const std::string& content) {
  std::istringstream ss(content);
  std::vector<std::string> f;
  for (std::string w; ss >> w;) f.push_back(w);
  if (f.size() != 4) return content;
  std::string hash = f[0];
  for (char& c : hash) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return hash + " " + Upper(f[1]) + " " + f[2] + " " + Upper(f[3]);
}

}  // namespace

std::string_view SectionName(Section section) {
  switch (section) {
    case Section::kActors: return "actors";
    case Section::kVerbs: return "verbs";
    case Section::kSuppressed: return "suppressed";
  }
  return "";
}

std::optional<Section> SectionFromName(std::string_view name) {
  if (name == "actors") return Section::kActors;
  if (name == "verbs") return Section::kVerbs;
  if (name == "suppressed") return Section::kSuppressed;
  return std::nullopt;
}

std::string NewUserDictionaryText() {
  return "# dyad user dictionary: your own entries, read on top of the default dictionaries by\n"
         "# `dyad code`, `explain`, `ingest`, `recode` and `serve`; they win over the defaults.\n"
         "# Corrections made in the dashboard are written here; editing by hand is fine\n"
         "# (run `dyad recode` afterwards). Format: docs/corrections.md.\n"
         "\n"
         "== ACTORS ==\n"
         "\n"
         "== VERBS ==\n"
         "\n"
         "== SUPPRESSED ==\n";
}

std::string NormalizePhrase(std::string_view phrase) {
  std::string out, word;
  auto flush = [&] {
    if (word.empty()) return;
    if (!out.empty()) out.push_back('_');
    out += Upper(word);
    word.clear();
  };
  for (char c : phrase) {
    if (c == '_' || std::isspace(static_cast<unsigned char>(c))) flush();
    else word.push_back(c);
  }
  flush();
  return out;
}

UserDictionaryText::UserDictionaryText(std::string_view text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string line(text.substr(start, nl - start));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines_.push_back(std::move(line));
    start = nl + 1;
  }
}

std::string UserDictionaryText::text() const {
  std::string out;
  for (const auto& line : lines_) out.append(line).push_back('\n');
  return out;
}

std::optional<Section> UserDictionaryText::HeaderAt(size_t i) const {
  const std::string s = Content(lines_[i]);
  if (s.size() < 4 || s.compare(0, 2, "==") != 0 || s.compare(s.size() - 2, 2, "==") != 0)
    return std::nullopt;
  std::string name;
  for (char c : s.substr(2, s.size() - 4))
    if (!std::isspace(static_cast<unsigned char>(c)))
      name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return SectionFromName(name);
}

std::vector<UserDictionaryText::Entry> UserDictionaryText::Entries(Section section) const {
  std::vector<Entry> out;
  std::optional<Section> current;
  for (size_t i = 0; i < lines_.size(); ++i) {
    if (auto h = HeaderAt(i)) {
      current = h;
      continue;
    }
    if (current != section) continue;
    const std::string& raw = lines_[i];
    const std::string content = Content(raw);
    if (content.empty()) continue;
    Entry e;
    e.range = {i, i + 1};
    switch (section) {
      case Section::kActors: {
        if (std::isspace(static_cast<unsigned char>(raw[0])) || content[0] == '+' || content[0] == '[')
          continue;
        e.key = NormalizePhrase(WithoutBrackets(content));
        // Synonyms and indented code lines belong to the entry.
        while (e.range.end < lines_.size() && !HeaderAt(e.range.end)) {
          const std::string& next = lines_[e.range.end];
          const std::string c = Content(next);
          if (c.empty()) break;
          if (!std::isspace(static_cast<unsigned char>(next[0])) && c[0] != '+' && c[0] != '[') break;
          ++e.range.end;
        }
        break;
      }
      case Section::kVerbs: {
        if (content.compare(0, 3, "---") != 0) continue;
        std::string name = Trim(std::string_view(content).substr(3));
        if (name.size() >= 3 && name.compare(name.size() - 3, 3, "---") == 0)
          name = name.substr(0, name.size() - 3);
        e.key = NormalizePhrase(WithoutBrackets(name));
        // Up to the next block, synset or section; trailing blank and
        // comment lines stay outside.
        for (size_t k = i + 1; k < lines_.size() && !HeaderAt(k); ++k) {
          const std::string c = Content(lines_[k]);
          if (c.compare(0, 3, "---") == 0 || (!c.empty() && c[0] == '&')) break;
          if (!c.empty()) e.range.end = k + 1;
        }
        break;
      }
      case Section::kSuppressed:
        e.key = SuppressionKeyOf(content);
        break;
    }
    i = e.range.end - 1;
    out.push_back(std::move(e));
  }
  return out;
}

std::optional<UserDictionaryText::Range> UserDictionaryText::Find(Section section,
                                                                  const std::string& key) const {
  const std::string wanted = section == Section::kSuppressed ? SuppressionKeyOf(key) : NormalizePhrase(key);
  for (const Entry& e : Entries(section))
    if (e.key == wanted) return e.range;
  return std::nullopt;
}

std::optional<std::string> UserDictionaryText::Get(Section section, const std::string& key) const {
  auto r = Find(section, key);
  if (!r) return std::nullopt;
  std::string out;
  for (size_t i = r->begin; i < r->end; ++i) {
    if (i > r->begin) out.push_back('\n');
    out += lines_[i];
  }
  return out;
}

void UserDictionaryText::Set(Section section, const std::string& key, const std::string& entry) {
  std::vector<std::string> entry_lines;
  UserDictionaryText split(entry);
  entry_lines = std::move(split.lines_);
  if (auto r = Find(section, key)) {
    lines_.erase(lines_.begin() + static_cast<std::ptrdiff_t>(r->begin),
                 lines_.begin() + static_cast<std::ptrdiff_t>(r->end));
    lines_.insert(lines_.begin() + static_cast<std::ptrdiff_t>(r->begin), entry_lines.begin(),
                  entry_lines.end());
    return;
  }
  // After the section's last entry, else right after its header.
  std::optional<size_t> header;
  for (size_t i = 0; i < lines_.size(); ++i)
    if (HeaderAt(i) == section) header = i;
  if (!header) {
    if (!lines_.empty() && !Trim(lines_.back()).empty()) lines_.emplace_back();
    lines_.push_back("== " + Upper(SectionName(section)) + " ==");
    lines_.insert(lines_.end(), entry_lines.begin(), entry_lines.end());
    return;
  }
  size_t at = *header + 1;
  for (const Entry& e : Entries(section)) at = std::max(at, e.range.end);
  lines_.insert(lines_.begin() + static_cast<std::ptrdiff_t>(at), entry_lines.begin(), entry_lines.end());
}

void UserDictionaryText::Remove(Section section, const std::string& key) {
  if (auto r = Find(section, key))
    lines_.erase(lines_.begin() + static_cast<std::ptrdiff_t>(r->begin),
                 lines_.begin() + static_cast<std::ptrdiff_t>(r->end));
}

}  // namespace dyad::corrections

// Editing the user dictionary file as text (docs/corrections.md), entry by
// entry, keeping every other line (hand-written entries, comments, blank
// lines) as it is. The reader (src/dict/reader.cc) is what validates the
// file; this editor only finds sections and entries and never fails.
#ifndef DYAD_CORRECTIONS_USER_DICTIONARY_H_
#define DYAD_CORRECTIONS_USER_DICTIONARY_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dyad::corrections {

enum class Section { kActors, kVerbs, kSuppressed };

std::string_view SectionName(Section section);             // "actors", "verbs", "suppressed"
std::optional<Section> SectionFromName(std::string_view name);

// The content of a new user dictionary: a comment and the three headers.
std::string NewUserDictionaryText();

// "uzbek  labour_migrants" -> "UZBEK_LABOUR_MIGRANTS": how entries are keyed.
std::string NormalizePhrase(std::string_view phrase);

class UserDictionaryText {
 public:
  explicit UserDictionaryText(std::string_view text);

  // The lines of the entry keyed `key` in `section`, joined by '\n' (no
  // final newline), or nullopt. Keys: actors and verbs by NormalizePhrase
  // of the phrase or block name; suppressions by "HASH SOURCE CODE TARGET".
  std::optional<std::string> Get(Section section, const std::string& key) const;
  // Replaces the entry, or appends it at the end of its section (adding
  // the section when the file has none).
  void Set(Section section, const std::string& key, const std::string& entry);
  void Remove(Section section, const std::string& key);

  std::string text() const;

 private:
  struct Range {
    size_t begin = 0, end = 0;   // lines [begin, end)
  };
  struct Entry {
    Range range;
    std::string key;
  };
  // The section's entries in file order (a section may be split in parts).
  std::vector<Entry> Entries(Section section) const;
  std::optional<Range> Find(Section section, const std::string& key) const;
  std::optional<Section> HeaderAt(size_t line) const;

  std::vector<std::string> lines_;
};

}  // namespace dyad::corrections

#endif  // DYAD_CORRECTIONS_USER_DICTIONARY_H_

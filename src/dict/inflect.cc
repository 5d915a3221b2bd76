#include "dict/inflect.h"

namespace dyad::dict {
namespace {

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool EndsWith(const std::string& s, const char* suffix) {
  const std::string t(suffix);
  return s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
}

}  // namespace

std::vector<std::pair<std::string, FormKind>> VerbForms(const std::string& base) {
  std::vector<std::pair<std::string, FormKind>> out;
  out.emplace_back(base, FormKind::kBase);
  const size_t n = base.size();
  if (n == 0) return out;
  const char last = base[n - 1];
  const std::string stem = base.substr(0, n - 1);
  // Third person singular.
  if (last == 'y' && n > 1 && !IsVowel(base[n - 2])) {
    out.emplace_back(stem + "ies", FormKind::kThirdPerson);
  } else if (EndsWith(base, "s") || EndsWith(base, "sh") || EndsWith(base, "ch") ||
             EndsWith(base, "x") || EndsWith(base, "z") || EndsWith(base, "o")) {
    out.emplace_back(base + "es", FormKind::kThirdPerson);
  } else {
    out.emplace_back(base + "s", FormKind::kThirdPerson);
  }
  // Past and gerund.
  if (last == 'e') {
    out.emplace_back(base + "d", FormKind::kPast);
    if (EndsWith(base, "ee") || EndsWith(base, "ye") || EndsWith(base, "oe")) {
      out.emplace_back(base + "ing", FormKind::kGerund);
    } else if (EndsWith(base, "ie")) {
      out.emplace_back(base.substr(0, n - 2) + "ying", FormKind::kGerund);
    } else {
      out.emplace_back(stem + "ing", FormKind::kGerund);
    }
    return out;
  }
  if (last == 'y' && n > 1 && !IsVowel(base[n - 2])) {
    out.emplace_back(stem + "ied", FormKind::kPast);
    out.emplace_back(base + "ing", FormKind::kGerund);
    return out;
  }
  if (last == 'c') {  // panic -> panicked
    out.emplace_back(base + "ked", FormKind::kPast);
    out.emplace_back(base + "king", FormKind::kGerund);
  }
  out.emplace_back(base + "ed", FormKind::kPast);
  out.emplace_back(base + "ing", FormKind::kGerund);
  // Consonant-vowel-consonant endings double in stressed final syllables
  // ("ban", "admit") but not in others ("visit"); generate both.
  if (n >= 3 && !IsVowel(last) && last != 'w' && last != 'x' && last != 'y' &&
      IsVowel(base[n - 2]) && !IsVowel(base[n - 3])) {
    out.emplace_back(base + last + "ed", FormKind::kPast);
    out.emplace_back(base + last + "ing", FormKind::kGerund);
  }
  return out;
}

std::string Plural(const std::string& noun) {
  const size_t n = noun.size();
  if (n == 0) return noun;
  const char last = noun[n - 1];
  if (last == 'y' && n > 1 && !IsVowel(noun[n - 2])) return noun.substr(0, n - 1) + "ies";
  if (EndsWith(noun, "s") || EndsWith(noun, "sh") || EndsWith(noun, "ch") ||
      EndsWith(noun, "x") || EndsWith(noun, "z"))
    return noun + "es";
  if (EndsWith(noun, "man")) return noun.substr(0, n - 3) + "men";
  return noun + "s";
}

}  // namespace dyad::dict

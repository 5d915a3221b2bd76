// Cleaning: Unicode normalisation, whitespace, repeated paragraphs, and
// the content hash that keys a document in the store.
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <xxhash.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_set>
#include <vector>

#include "dyad/ingest.h"

namespace dyad {
namespace {

bool IsAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

std::string Nfc(std::string_view text) {
  if (IsAscii(text)) return std::string(text);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  if (nfc->isNormalized(u, status) && U_SUCCESS(status)) return std::string(text);
  status = U_ZERO_ERROR;
  icu::UnicodeString n = nfc->normalize(u, status);
  if (U_FAILURE(status)) return std::string(text);
  std::string out;
  n.toUTF8String(out);
  return out;
}

// Length of a UTF-8 sequence that is a space-like or invisible character to
// be folded: NBSP and the U+2000 spaces become a space, zero-width ones and
// the soft hyphen vanish. Sets *space. 0 when `s` does not start with one.
size_t OddSpace(std::string_view s, bool* space) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  if (s.size() >= 2 && b(0) == 0xC2 && b(1) == 0xA0) { *space = true; return 2; }     // NBSP
  if (s.size() >= 2 && b(0) == 0xC2 && b(1) == 0xAD) { *space = false; return 2; }    // soft hyphen
  if (s.size() >= 3 && b(0) == 0xE2 && b(1) == 0x80) {
    const unsigned char c = b(2);
    if (c >= 0x80 && c <= 0x8A) { *space = true; return 3; }    // U+2000..U+200A
    if (c >= 0x8B && c <= 0x8D) { *space = false; return 3; }   // zero width
    if (c == 0xAF) { *space = true; return 3; }                 // narrow NBSP
    if (c == 0xA8 || c == 0xA9) { *space = true; return 3; }    // line/paragraph separator
  }
  if (s.size() >= 3 && b(0) == 0xE2 && b(1) == 0x81 && b(2) == 0xA0) { *space = false; return 3; }
  if (s.size() >= 3 && b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) { *space = false; return 3; }  // BOM
  if (s.size() >= 3 && b(0) == 0xE3 && b(1) == 0x80 && b(2) == 0x80) { *space = true; return 3; }   // ideographic
  return 0;
}

// One line with odd spaces folded, control characters dropped and runs of
// spaces collapsed; no leading or trailing space.
std::string CleanLine(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  bool pending_space = false;
  for (size_t i = 0; i < line.size();) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    bool space = false;
    if (size_t n = OddSpace(line.substr(i), &space)) {
      if (space) pending_space = true;
      i += n;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\v' || c == '\f') {
      pending_space = true;
      ++i;
      continue;
    }
    if (c < 0x20 || c == 0x7F) { ++i; continue; }
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.push_back(static_cast<char>(c));
    ++i;
  }
  return out;
}

std::string ParagraphKey(std::string_view p) {
  std::string key;
  key.reserve(p.size());
  for (unsigned char c : p)
    if (std::isalnum(c) || c >= 0x80) key.push_back(static_cast<char>(std::tolower(c)));
  return key;
}

}  // namespace

CleanResult CleanText(std::string_view utf8) {
  const std::string text = Nfc(utf8);
  std::vector<std::string_view> lines;
  for (size_t pos = 0; pos <= text.size();) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string_view line(text.data() + pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    pos = nl + 1;
  }
  // A line continues the previous one (hard-wrapped prose) when that one
  // stops mid-sentence and this one starts in lower case; otherwise every
  // line is a paragraph, as in text pasted from web pages.
  std::vector<std::string> paragraphs;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) paragraphs.push_back(std::move(current));
    current.clear();
  };
  for (std::string_view line : lines) {
    std::string cleaned = CleanLine(line);
    if (cleaned.empty()) { flush(); continue; }
    const unsigned char last = current.empty() ? 0 : static_cast<unsigned char>(current.back());
    const unsigned char first = static_cast<unsigned char>(cleaned[0]);
    const bool continues = !current.empty() && std::strchr(".!?:;\"'", last) == nullptr &&
                           last < 0x80 && (std::islower(first) || std::isdigit(first));
    if (!continues) {
      flush();
      current = std::move(cleaned);
      continue;
    }
    current.push_back(' ');
    current += cleaned;
  }
  flush();

  CleanResult result;
  std::unordered_set<std::string> seen;
  for (std::string& p : paragraphs) {
    std::string key = ParagraphKey(p);
    if (!key.empty() && !seen.insert(std::move(key)).second) {
      ++result.paragraphs_dropped;
      continue;
    }
    if (!result.text.empty()) result.text += "\n\n";
    result.text += p;
  }
  return result;
}

std::string ContentHash(const RawDocument& doc, std::string_view clean_text) {
  XXH3_state_t* state = XXH3_createState();
  XXH3_128bits_reset(state);
  // Without a URL, the source's own id and the date tell apart two posts
  // with the same words (a channel's daily bulletin).
  const std::string_view id = doc.url.empty() ? std::string_view(doc.external_id) : std::string_view();
  const std::string_view date = doc.url.empty() ? std::string_view(doc.date) : std::string_view();
  for (std::string_view part : {std::string_view(doc.url), std::string_view(doc.source),
                                std::string_view(doc.title), id, date, clean_text}) {
    XXH3_128bits_update(state, part.data(), part.size());
    XXH3_128bits_update(state, "\0", 1);
  }
  const XXH128_hash_t h = XXH3_128bits_digest(state);
  XXH3_freeState(state);
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return buf;
}

}  // namespace dyad

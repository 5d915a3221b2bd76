// Encodings and languages: bytes in whatever charset a site used -> UTF-8
// (ICU converters, ICU's statistical charset detector when nothing is
// declared), and the language of the resulting text (CLD2).
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>

#include <cld2/public/compact_lang_det.h>

#include "dyad/readers.h"
#include "ingest/internal.h"

namespace dyad {
namespace ingest {

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (int k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

std::string_view StripUtf8Bom(std::string_view bytes) {
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  return bytes;
}

std::string_view Trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const auto b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(kSpace);
  return s.substr(b, e - b + 1);
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string CollapseWhitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    std::size_t skip = 0;
    // U+00A0 NO-BREAK SPACE (C2 A0): pages use it between words.
    if (!space && c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') {
      space = true;
      skip = 1;
    }
    if (space) {
      pending_space = !out.empty();
      i += skip;
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

std::string NormalizeLangTag(std::string_view tag) {
  tag = Trim(tag);
  const auto dash = tag.find_first_of("-_");
  if (dash != std::string_view::npos) tag = tag.substr(0, dash);
  if (tag.size() < 2 || tag.size() > 3) return {};
  for (char c : tag)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return {};
  return AsciiLower(tag);
}

namespace {

struct DetectorCloser {
  void operator()(UCharsetDetector* d) const { ucsdet_close(d); }
};
struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

// Opens an ICU converter for `name`, or null when ICU does not know it.
ConverterPtr OpenConverter(const std::string& name) {
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr conv(ucnv_open(name.c_str(), &status));
  if (U_FAILURE(status)) return nullptr;
  return conv;
}

// "windows-1251", "koi8-r", "iso-8859-1": the IANA (else MIME, else ICU)
// name, lower-cased.
std::string CanonicalName(UConverter* conv, const std::string& fallback) {
  UErrorCode status = U_ZERO_ERROR;
  const char* internal = ucnv_getName(conv, &status);
  if (U_FAILURE(status) || internal == nullptr) return AsciiLower(fallback);
  for (const char* standard : {"MIME", "IANA"}) {
    status = U_ZERO_ERROR;
    const char* name = ucnv_getStandardName(internal, standard, &status);
    if (U_SUCCESS(status) && name != nullptr) return AsciiLower(name);
  }
  return AsciiLower(fallback.empty() ? std::string(internal) : fallback);
}

bool IsUtf8Name(std::string_view name) {
  const std::string n = AsciiLower(Trim(name));
  return n == "utf-8" || n == "utf8";
}

// ICU's best guess for `bytes` (never UTF-8: the caller knows they are not).
std::string DetectCharset(std::string_view bytes, std::string_view declared) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, DetectorCloser> det(ucsdet_open(&status));
  if (U_FAILURE(status)) return {};
  // The detector only needs a sample; a long prefix is as good as the file.
  constexpr std::size_t kSample = 256 << 10;
  const auto n = static_cast<int32_t>(std::min(bytes.size(), kSample));
  ucsdet_enableInputFilter(det.get(), true);  // ignore <tags> in HTML
  ucsdet_setText(det.get(), bytes.data(), n, &status);
  if (!declared.empty()) {
    const std::string d(declared);
    ucsdet_setDeclaredEncoding(det.get(), d.c_str(), static_cast<int32_t>(d.size()), &status);
  }
  int32_t count = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(det.get(), &count, &status);
  if (U_FAILURE(status)) return {};
  for (int32_t i = 0; i < count; ++i) {
    UErrorCode s = U_ZERO_ERROR;
    const char* name = ucsdet_getName(matches[i], &s);
    if (U_FAILURE(s) || name == nullptr) continue;
    if (IsUtf8Name(name)) continue;
    return name;
  }
  return {};
}

}  // namespace
}  // namespace ingest

Result<std::string> ConvertToUtf8(std::string_view bytes, std::string_view declared,
                                  std::string* encoding) {
  using namespace ingest;
  if (encoding != nullptr) encoding->clear();
  const std::string_view body = StripUtf8Bom(bytes);
  if (IsValidUtf8(body)) return std::string(body);
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX))
    return InvalidArgument("input too large to convert");

  ConverterPtr conv;
  std::string name(Trim(declared));
  if (!name.empty() && !IsUtf8Name(name)) conv = OpenConverter(name);
  if (conv == nullptr) {
    name = DetectCharset(bytes, declared);
    if (!name.empty()) conv = OpenConverter(name);
  }
  if (conv == nullptr) {
    // Nothing detected: Windows-1252 maps every byte, so the text survives.
    name = "windows-1252";
    conv = OpenConverter(name);
    if (conv == nullptr) return InvalidArgument("not UTF-8 and no converter available");
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString u(bytes.data(), static_cast<int32_t>(bytes.size()), conv.get(), status);
  if (U_FAILURE(status) || u.isBogus())
    return InvalidArgument("cannot convert from " + name + ": " + u_errorName(status));
  // A BOM in a UTF-16/32 input survives conversion as U+FEFF.
  if (u.length() > 0 && u.charAt(0) == 0xFEFF) u.remove(0, 1);
  std::string out;
  u.toUTF8String(out);
  if (encoding != nullptr) *encoding = CanonicalName(conv.get(), name);
  return out;
}

std::string DetectLanguage(std::string_view text, bool is_html) {
  if (!ingest::IsValidUtf8(text)) return {};
  // CLD2 looks at a sample anyway; cap the work on huge inputs at a
  // character boundary.
  constexpr std::size_t kMaxBytes = 64 << 10;
  if (text.size() > kMaxBytes) {
    std::size_t cut = kMaxBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
  }
  // Too few letters to say anything.
  int letters = 0;
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const auto n = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < n && letters < 20;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c >= 0 && u_isalpha(c)) ++letters;
  }
  if (letters < 20) return {};

  CLD2::Language language3[3];
  int percent3[3];
  int text_bytes = 0;
  bool reliable = false;
  const CLD2::Language lang = CLD2::ExtDetectLanguageSummary(
      text.data(), n, /*is_plain_text=*/!is_html, language3, percent3, &text_bytes, &reliable);
  if (!reliable || lang == CLD2::UNKNOWN_LANGUAGE) return {};
  std::string code = CLD2::LanguageCode(lang);
  const auto dash = code.find('-');
  if (dash != std::string::npos) code.resize(dash);  // "zh-Hant" -> "zh"
  if (code == "un" || code == "xx" || code.empty()) return {};
  // CLD2 keeps a few pre-1989 codes; ISO 639-1 renamed them.
  if (code == "iw") return "he";
  if (code == "ji") return "yi";
  if (code == "in") return "id";
  return code;
}

}  // namespace dyad

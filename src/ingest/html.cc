// The article in a web page.
//
// gumbo parses the page (it repairs unclosed and misnested tags the way a
// browser does). Three passes over the tree:
//   1. Metadata: <title>, og:* and article:* meta tags, <link rel=canonical>,
//      <time datetime>, JSON-LD datePublished, <html lang>, <meta charset>.
//   2. The container: [itemprop=articleBody], else the <article> with the
//      most text, else the element whose paragraphs (and loose text, as on
//      Blogger where posts are text and <br>) hold the most non-link text --
//      each <p> scores for its parent and half for its grandparent.
//   3. Text flow inside the container: block elements and <br> end a
//      paragraph; scripts, navigation, forms, headers, footers and elements
//      whose id/class says comment/share/social/related/sidebar/menu/nav/...
//      are skipped. A paragraph that opens a comment section ("Post a
//      Comment", "12 comments:", "Leave a Reply") ends the article.
// Recursion is capped at kMaxDepth so a pathological page cannot exhaust the
// stack; deeper content is ignored. gumbo itself is quadratic in nesting
// depth (and frees its tree recursively), so a page whose tags nest deeper
// than kMaxParseDepth -- judged by a cheap scan before parsing -- is not
// parsed at all.
#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "dyad/readers.h"
#include "ingest/internal.h"

namespace dyad {
namespace {

using ingest::AsciiLower;
using ingest::CollapseWhitespace;
using ingest::Trim;

constexpr int kMaxDepth = 400;
constexpr int kMaxParseDepth = 2000;

// How deep the page's elements nest, estimated from its tags without
// parsing: end tags close, void elements and elements a later sibling closes
// implicitly (p, li, td, ...) do not open. Comments, scripts and styles are
// skipped.
int EstimateNestingDepth(std::string_view html) {
  auto lower_name = [&](std::size_t i, std::size_t* end) {
    std::size_t j = i;
    while (j < html.size() && (std::isalnum(static_cast<unsigned char>(html[j])) || html[j] == '-' ||
                               html[j] == ':'))
      ++j;
    *end = j;
    return AsciiLower(html.substr(i, j - i));
  };
  static constexpr std::array<std::string_view, 27> kFlat = {
      "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
      "source", "track", "wbr", "p", "li", "td", "th", "tr", "dt", "dd", "option", "html",
      "head", "body", "tbody", "thead"};
  // Open elements by name: a close tag only counts when it closes something
  // open (gumbo ignores stray ones), and "<div/>" opens a div as in HTML5.
  // Over-counting is safe (a page is refused); under-counting is not.
  std::vector<std::string> open;
  std::size_t max_depth = 0;
  std::size_t i = 0;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    ++i;
    if (html.substr(i, 3) == "!--") {
      if (html.substr(i + 3, 1) == ">") { i += 4; continue; }    // <!-->
      if (html.substr(i + 3, 2) == "->") { i += 5; continue; }   // <!--->
      const std::size_t e = html.find("-->", i + 3);
      if (e == std::string_view::npos) break;  // the rest is one comment to the parser too
      i = e + 3;
      continue;
    }
    const bool closing = i < html.size() && html[i] == '/';
    if (closing) ++i;
    std::size_t end = i;
    const std::string name = lower_name(i, &end);
    if (name.empty()) continue;
    const std::size_t gt = html.find('>', end);
    if (gt == std::string_view::npos) break;
    i = gt + 1;
    if (std::find(kFlat.begin(), kFlat.end(), name) != kFlat.end()) continue;
    if (closing) {
      for (std::size_t k = open.size(); k-- > 0;)
        if (open[k] == name) {
          open.resize(k);
          break;
        }
      continue;
    }
    if (name == "script" || name == "style") continue;  // their bodies are cut before this scan
    open.push_back(name);
    max_depth = std::max(max_depth, open.size());
    if (max_depth > static_cast<std::size_t>(kMaxParseDepth)) break;  // the verdict is in
  }
  return static_cast<int>(max_depth);
}

// True when a block holds something the extractor reads even inside
// dropped elements: machine-readable dates and microdata, or (for the page
// date search) a year.
bool HoldsMetadata(std::string_view block, bool year_matters) {
  if (block.find("datetime") != std::string_view::npos || block.find("itemprop") != std::string_view::npos ||
      block.find("ld+json") != std::string_view::npos)
    return true;
  if (!year_matters) return false;
  for (size_t i = 0; i + 4 <= block.size(); ++i) {
    const auto digit = [&](size_t k) { return k < block.size() && std::isdigit(static_cast<unsigned char>(block[k])); };
    if ((block[i] == '1' && block[i + 1] == '9') || (block[i] == '2' && block[i + 1] == '0'))
      if (digit(i + 2) && digit(i + 3) && !digit(i + 4) && (i == 0 || !digit(i - 1))) return true;
  }
  return false;
}

// If `pos` opens a <nav>, <aside>, <noscript>, <iframe> or <select>
// whose matching close tag is found (same-name nesting counted) and whose
// body holds no metadata, the offset just past that close tag
// (the element removed whole); else npos.
size_t SkipContainer(std::string_view html, size_t pos, std::int64_t* budget) {
  // Not <form>: some sites (ASP.NET) wrap the whole page in one.
  static constexpr std::string_view kTags[] = {"nav", "aside", "noscript", "iframe", "select"};
  auto lower_at = [&](size_t k) { return static_cast<char>(std::tolower(static_cast<unsigned char>(html[k]))); };
  auto name_at = [&](size_t k, std::string_view name) {
    if (k + name.size() >= html.size()) return false;
    for (size_t i = 0; i < name.size(); ++i)
      if (lower_at(k + i) != name[i]) return false;
    const char after = html[k + name.size()];
    return after == '>' || after == ' ' || after == '\t' || after == '\n' || after == '\r' || after == '/';
  };
  if (*budget <= 0) return std::string_view::npos;
  for (std::string_view tag : kTags) {
    if (!name_at(pos + 1, tag)) continue;
    int depth = 0;
    for (size_t k = html.find('<', pos); k != std::string_view::npos; k = html.find('<', k + 1)) {
      // Unclosed or metadata-holding blocks are scanned and kept: a page of
      // them must not cost more than a few passes over it in all.
      if (--*budget <= 0) return std::string_view::npos;
      if (name_at(k + 1, tag)) {
        ++depth;
      } else if (k + 1 < html.size() && html[k + 1] == '/' && name_at(k + 2, tag)) {
        if (--depth == 0) {
          const size_t close_end = html.find('>', k);
          if (close_end == std::string_view::npos) return std::string_view::npos;
          *budget -= static_cast<std::int64_t>((k - pos) / 16);
          if (HoldsMetadata(html.substr(pos, k - pos), tag == "nav")) return std::string_view::npos;
          return close_end + 1;
        }
      }
    }
    return std::string_view::npos;
  }
  return std::string_view::npos;
}

// The page with the bodies of <script> (except JSON-LD metadata), <style>,
// <svg>, <template> and <!-- comments --> removed, tags kept; likewise
// <nav>, <aside>, <noscript>, <iframe> and <select> elements that hold no
// metadata. None of it is ever article text (the
// extractor drops these elements), and gumbo tokenises it a code point at a
// time and allocates a node per tag: on news pages, with their scripts and
// mega-menus, that is half the bytes or more, so cutting it first halves
// parsing time without changing what is extracted.
std::string StripInertContent(std::string_view html) {
  auto starts_ci = [&](size_t pos, std::string_view word) {
    if (pos + word.size() > html.size()) return false;
    for (size_t i = 0; i < word.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(html[pos + i])) != word[i]) return false;
    return true;
  };
  auto find_ci = [&](size_t from, std::string_view word) -> size_t {
    for (size_t pos = html.find('<', from); pos != std::string_view::npos; pos = html.find('<', pos + 1))
      if (starts_ci(pos, word)) return pos;
    return std::string_view::npos;
  };
  std::string out;
  out.reserve(html.size());
  size_t copied = 0;
  // Tag visits the container search may spend, and the raw-text tags known
  // to have no close tag further on: both keep this pass linear on hostile
  // pages (a million unclosed <nav> or <script> tags).
  std::int64_t budget = 64 + 4 * static_cast<std::int64_t>(html.size() / 8);
  std::unordered_set<std::string> unclosed;
  for (size_t pos = html.find('<'); pos != std::string_view::npos; pos = html.find('<', pos + 1)) {
    if (starts_ci(pos, "<!--")) {
      const size_t end = html.find("-->", pos + 2);  // from +2: "<!-->" and "<!--->" are whole comments
      out.append(html.substr(copied, pos - copied));
      copied = end == std::string_view::npos ? html.size() : end + 3;
      if (end == std::string_view::npos) break;
      pos = copied - 1;
      continue;
    }
    if (const size_t end = SkipContainer(html, pos, &budget); end != std::string_view::npos) {
      out.append(html.substr(copied, pos - copied));
      copied = end;
      pos = end - 1;
      continue;
    }
    for (std::string_view tag : {std::string_view("script"), std::string_view("style"),
                                 std::string_view("svg"), std::string_view("math"),
                                 std::string_view("template")}) {
      if (!starts_ci(pos + 1, tag)) continue;
      const char after = pos + 1 + tag.size() < html.size() ? html[pos + 1 + tag.size()] : '>';
      if (after != '>' && after != ' ' && after != '\t' && after != '\n' && after != '\r' && after != '/') continue;
      const size_t open_end = html.find('>', pos);
      if (open_end == std::string_view::npos) break;
      std::string open_tag(html.substr(pos, open_end - pos));
      for (char& c : open_tag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (tag == "script" && open_tag.find("ld+json") != std::string::npos) break;  // metadata: keep
      const std::string closing = "</" + std::string(tag);
      if (unclosed.count(closing)) break;
      const size_t close = find_ci(open_end + 1, closing);
      if (close == std::string_view::npos) {  // unterminated: let the parser decide
        unclosed.insert(closing);
        break;
      }
      out.append(html.substr(copied, open_end + 1 - copied));
      copied = close;
      pos = close;
      break;
    }
  }
  out.append(html.substr(std::min(copied, html.size())));
  return out;
}

// Bump allocation for one gumbo parse: gumbo makes a heap allocation for
// every node, attribute and string buffer, and malloc/free were a quarter
// of ingest time on news pages. Everything is released at once with the
// arena, so gumbo's own deallocator does nothing and the tree is never
// walked to be freed.
class ParseArena {
 public:
  static void* Allocate(void* self, size_t size) { return static_cast<ParseArena*>(self)->Take(size); }
  static void Release(void*, void*) {}

 private:
  void* Take(size_t size) {
    size = (size + 15) & ~size_t{15};
    if (size > kBlock / 4) {
      blocks_.push_back(std::make_unique_for_overwrite<std::max_align_t[]>(size / sizeof(std::max_align_t) + 1));
      return blocks_.back().get();
    }
    if (blocks_.empty() || used_ + size > kBlock) {
      blocks_.push_back(std::make_unique_for_overwrite<std::max_align_t[]>(kBlock / sizeof(std::max_align_t)));
      current_ = reinterpret_cast<char*>(blocks_.back().get());
      used_ = 0;
    }
    void* p = current_ + used_;
    used_ += size;
    return p;
  }
  static constexpr size_t kBlock = 256 << 10;
  std::vector<std::unique_ptr<std::max_align_t[]>> blocks_;
  char* current_ = nullptr;
  size_t used_ = 0;
};

// One gumbo parse whose memory lives in its own arena.
class ParsedHtml {
 public:
  explicit ParsedHtml(std::string_view html) {
    GumboOptions options = kGumboDefaultOptions;
    options.allocator = &ParseArena::Allocate;
    options.deallocator = &ParseArena::Release;
    options.userdata = &arena_;
    output_ = gumbo_parse_with_options(&options, html.data(), html.size());
  }
  ParsedHtml(const ParsedHtml&) = delete;
  ParsedHtml& operator=(const ParsedHtml&) = delete;
  GumboNode* root() const { return output_ == nullptr ? nullptr : output_->root; }

 private:
  ParseArena arena_;
  GumboOutput* output_ = nullptr;
};

bool IsElement(const GumboNode* n) {
  return n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE;
}

std::string_view Attr(const GumboNode* n, const char* name) {
  if (!IsElement(n)) return {};
  const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a == nullptr ? std::string_view() : std::string_view(a->value);
}

const GumboVector& Children(const GumboNode* n) {
  static const GumboVector kEmpty = {nullptr, 0, 0};
  if (n->type == GUMBO_NODE_DOCUMENT) return n->v.document.children;
  if (IsElement(n)) return n->v.element.children;
  return kEmpty;
}

GumboNode* Child(const GumboVector& v, unsigned i) { return static_cast<GumboNode*>(v.data[i]); }

GumboTag TagOf(const GumboNode* n) { return IsElement(n) ? n->v.element.tag : GUMBO_TAG_UNKNOWN; }

// Elements that are never article text.
bool IsDroppedTag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_NAV:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE: case GUMBO_TAG_FORM:
    case GUMBO_TAG_IFRAME: case GUMBO_TAG_SVG: case GUMBO_TAG_BUTTON: case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_INPUT: case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED: case GUMBO_TAG_CANVAS: case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE:
    case GUMBO_TAG_MATH: case GUMBO_TAG_MENU:
      return true;
    default:
      return false;
  }
}

bool IsBlockTag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_CENTER: case GUMBO_TAG_DD: case GUMBO_TAG_DETAILS: case GUMBO_TAG_DIR:
    case GUMBO_TAG_DIV: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
    case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
    case GUMBO_TAG_HGROUP: case GUMBO_TAG_HR: case GUMBO_TAG_LI: case GUMBO_TAG_MAIN:
    case GUMBO_TAG_OL: case GUMBO_TAG_P: case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SUMMARY: case GUMBO_TAG_TABLE: case GUMBO_TAG_TBODY: case GUMBO_TAG_TD:
    case GUMBO_TAG_TFOOT: case GUMBO_TAG_TH: case GUMBO_TAG_THEAD: case GUMBO_TAG_TR:
    case GUMBO_TAG_UL: case GUMBO_TAG_CAPTION: case GUMBO_TAG_BODY: case GUMBO_TAG_HTML:
      return true;
    default:
      return false;
  }
}

// id/class words that mark page furniture rather than the story.
bool IsBoilerplateName(std::string_view name) {
  static constexpr std::array<std::string_view, 20> kWords = {
      "comment", "share",  "social",  "related",   "sidebar",    "menu",
      "nav",     "footer", "breadcrumb", "cookie", "subscribe",  "advert",
      "pager",   "pagination", "newsletter", "popup", "sponsor", "disqus",
      "byline",  "author"};
  std::size_t i = 0;
  while (i < name.size()) {
    while (i < name.size() && (name[i] == ' ' || name[i] == '\t' || name[i] == '\n')) ++i;
    std::size_t j = i;
    while (j < name.size() && name[j] != ' ' && name[j] != '\t' && name[j] != '\n') ++j;
    if (j > i) {
      const std::string token = AsciiLower(name.substr(i, j - i));
      for (std::string_view w : kWords)
        if (token.find(w) != std::string::npos) return true;
      const std::string_view t = token;
      if (t == "ad" || t == "ads" || t.starts_with("ad-") || t.starts_with("ads-") ||
          t.starts_with("ad_") || t.find("-ad-") != std::string_view::npos ||
          t.ends_with("-ad") || t.ends_with("-ads") || t.starts_with("adsbygoogle"))
        return true;
    }
    i = j;
  }
  return false;
}

bool IsArticleBody(const GumboNode* n) {
  return AsciiLower(Attr(n, "itemprop")) == "articlebody";
}

bool MentionsComments(const GumboNode* n) {
  return AsciiLower(Attr(n, "id")).find("comment") != std::string::npos ||
         AsciiLower(Attr(n, "class")).find("comment") != std::string::npos;
}

// kArticle: the story only. kPageDate: all visible text but comments, for
// finding a post date printed outside the story (bylines, date headings).
enum class FlowMode { kArticle, kPageDate };

// True for an element that must be skipped with everything inside it.
// True when `n` holds paragraphs: a <form> wrapping a whole page (ASP.NET
// sites do this) is a layout element, not a comment box.
bool HoldsParagraphs(const GumboNode* n, int depth = 0) {
  if (!IsElement(n) || depth > kMaxDepth) return false;
  const GumboVector& kids = n->v.element.children;
  for (unsigned i = 0; i < kids.length; ++i) {
    const GumboNode* k = Child(kids, i);
    if (TagOf(k) == GUMBO_TAG_P || TagOf(k) == GUMBO_TAG_ARTICLE || HoldsParagraphs(k, depth + 1)) return true;
  }
  return false;
}

bool IsDropped(const GumboNode* n, FlowMode mode = FlowMode::kArticle) {
  if (!IsElement(n)) return n->type == GUMBO_NODE_COMMENT;
  const GumboTag t = TagOf(n);
  if (t == GUMBO_TAG_FORM && HoldsParagraphs(n)) return false;
  if (mode == FlowMode::kPageDate) {
    return (IsDroppedTag(t) && t != GUMBO_TAG_HEADER && t != GUMBO_TAG_NAV) || MentionsComments(n);
  }
  if (IsDroppedTag(t) || t == GUMBO_TAG_H1) return true;  // h1 is the title
  // The story's own wrappers often carry classes like "has-sidebar" or
  // "comments-open"; never judge them by name.
  if (t == GUMBO_TAG_HTML || t == GUMBO_TAG_BODY || t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_MAIN ||
      IsArticleBody(n))
    return false;
  if (AsciiLower(Attr(n, "aria-hidden")) == "true" || Attr(n, "hidden").data() != nullptr) return true;
  const std::string_view role = Attr(n, "role");
  if (role == "navigation" || role == "banner" || role == "complementary" || role == "contentinfo")
    return true;
  return IsBoilerplateName(Attr(n, "id")) || IsBoilerplateName(Attr(n, "class"));
}

// All text under `n` (for <title>, <h1>).
void AllText(const GumboNode* n, int depth, std::string* out) {
  if (depth > kMaxDepth) return;
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
    out->append(n->v.text.text);
    return;
  }
  if (IsElement(n) && (TagOf(n) == GUMBO_TAG_SCRIPT || TagOf(n) == GUMBO_TAG_STYLE)) return;
  const GumboVector& c = Children(n);
  for (unsigned i = 0; i < c.length; ++i) {
    AllText(Child(c, i), depth + 1, out);
    if (IsElement(Child(c, i)) && IsBlockTag(TagOf(Child(c, i)))) out->push_back(' ');
  }
}

// --- Pass 1: metadata. ---

struct Metadata {
  std::unordered_map<std::string, std::string> meta;  // lower-case key -> first content
  std::string title_tag, first_h1, canonical, lang, charset, time_datetime;
  std::vector<std::string> json_ld;
};

void CollectMetadata(const GumboNode* n, int depth, bool in_boilerplate, Metadata* m) {
  if (depth > kMaxDepth || !IsElement(n)) return;
  const GumboTag t = TagOf(n);
  switch (t) {
    case GUMBO_TAG_HTML:
      if (m->lang.empty()) m->lang = std::string(Attr(n, "lang"));
      if (m->lang.empty()) m->lang = std::string(Attr(n, "xml:lang"));
      break;
    case GUMBO_TAG_META: {
      const std::string_view charset = Attr(n, "charset");
      if (!charset.empty() && m->charset.empty()) m->charset = std::string(Trim(charset));
      const std::string content(Trim(Attr(n, "content")));
      if (AsciiLower(Attr(n, "http-equiv")) == "content-type" && m->charset.empty()) {
        const std::string lower = AsciiLower(content);
        const auto p = lower.find("charset=");
        if (p != std::string::npos) m->charset = std::string(Trim(content.substr(p + 8)));
      }
      for (const char* key_attr : {"property", "name", "itemprop"}) {
        const std::string key = AsciiLower(Trim(Attr(n, key_attr)));
        if (!key.empty() && !content.empty()) m->meta.emplace(key, content);
      }
      break;
    }
    case GUMBO_TAG_TITLE:
      if (m->title_tag.empty()) AllText(n, depth, &m->title_tag);
      return;
    case GUMBO_TAG_H1:
      if (m->first_h1.empty() && !in_boilerplate) AllText(n, depth, &m->first_h1);
      break;
    case GUMBO_TAG_LINK:
      if (m->canonical.empty()) {
        const std::string rel = AsciiLower(Attr(n, "rel"));
        if (rel == "canonical") m->canonical = std::string(Trim(Attr(n, "href")));
      }
      break;
    case GUMBO_TAG_TIME:
      if (m->time_datetime.empty() && !in_boilerplate)
        m->time_datetime = std::string(Trim(Attr(n, "datetime")));
      break;
    case GUMBO_TAG_SCRIPT:
      if (AsciiLower(Trim(Attr(n, "type"))) == "application/ld+json") {
        std::string text;
        const GumboVector& c = Children(n);
        for (unsigned i = 0; i < c.length; ++i)
          if (Child(c, i)->type == GUMBO_NODE_TEXT) text += Child(c, i)->v.text.text;
        m->json_ld.push_back(std::move(text));
      }
      return;
    default:
      break;
  }
  // Elements whose own datetime/content is itemprop=datePublished.
  if (AsciiLower(Attr(n, "itemprop")) == "datepublished") {
    std::string_view v = Attr(n, "datetime");
    if (v.empty()) v = Attr(n, "content");
    if (!v.empty()) m->meta.emplace("datepublished", std::string(Trim(v)));
  }
  // <time> and <h1> count unless they sit in comments (or a footer).
  const bool boiler = in_boilerplate || (t != GUMBO_TAG_HEAD && t != GUMBO_TAG_TITLE &&
                                         IsDropped(n, FlowMode::kPageDate));
  const GumboVector& c = Children(n);
  for (unsigned i = 0; i < c.length; ++i) CollectMetadata(Child(c, i), depth + 1, boiler, m);
}

// datePublished anywhere in a JSON-LD value (objects, arrays, @graph).
std::string JsonLdDate(const nlohmann::json& j, int depth) {
  if (depth > 20) return {};
  if (j.is_object()) {
    auto it = j.find("datePublished");
    if (it != j.end() && it->is_string()) {
      std::string d = NormalizeDate(it->get<std::string>());
      if (!d.empty()) return d;
    }
    for (const auto& [key, value] : j.items()) {
      std::string d = JsonLdDate(value, depth + 1);
      if (!d.empty()) return d;
    }
  } else if (j.is_array()) {
    for (const auto& value : j) {
      std::string d = JsonLdDate(value, depth + 1);
      if (!d.empty()) return d;
    }
  }
  return {};
}

std::string MetadataDate(const Metadata& m) {
  auto meta = [&](const char* key) -> std::string {
    auto it = m.meta.find(key);
    return it == m.meta.end() ? std::string() : NormalizeDate(it->second);
  };
  for (const char* key : {"article:published_time", "og:published_time", "datepublished"}) {
    std::string d = meta(key);
    if (!d.empty()) return d;
  }
  if (std::string d = NormalizeDate(m.time_datetime); !d.empty()) return d;
  for (const std::string& text : m.json_ld) {
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) continue;
    std::string d = JsonLdDate(j, 0);
    if (!d.empty()) return d;
  }
  for (const char* key : {"date", "pubdate", "publishdate", "publish-date", "publication_date",
                          "dc.date.issued", "dc.date", "dcterms.date", "dcterms.created",
                          "sailthru.date", "parsely-pub-date", "article.published",
                          "og:updated_time", "article:modified_time"}) {
    std::string d = meta(key);
    if (!d.empty()) return d;
  }
  return {};
}

// --- Pass 2: the container. ---

bool IsInlineForScore(GumboTag t) { return !IsBlockTag(t) && t != GUMBO_TAG_BR; }

// Length of the text that belongs to `n` itself: text children and inline
// elements, not links, not block children.
std::size_t OwnTextLength(const GumboNode* n, int depth) {
  if (depth > kMaxDepth) return 0;
  std::size_t len = 0;
  const GumboVector& c = Children(n);
  for (unsigned i = 0; i < c.length; ++i) {
    const GumboNode* k = Child(c, i);
    if (k->type == GUMBO_NODE_TEXT || k->type == GUMBO_NODE_CDATA) {
      len += CollapseWhitespace(k->v.text.text).size();
    } else if (IsElement(k) && !IsDropped(k) && IsInlineForScore(TagOf(k)) && TagOf(k) != GUMBO_TAG_A) {
      len += OwnTextLength(k, depth + 1);
    }
  }
  return len;
}

struct Scorer {
  std::unordered_map<const GumboNode*, double> score;
  std::vector<const GumboNode*> order;  // first-scored order, for deterministic ties
  const GumboNode* article_body = nullptr;
  std::vector<const GumboNode*> articles;

  void Walk(const GumboNode* n, int depth) {
    if (depth > kMaxDepth || !IsElement(n) || IsDropped(n)) return;
    const GumboTag t = TagOf(n);
    if (article_body == nullptr && IsArticleBody(n)) article_body = n;
    if (t == GUMBO_TAG_ARTICLE) articles.push_back(n);
    const GumboNode* parent = n->parent;
    const GumboNode* grand = parent == nullptr ? nullptr : parent->parent;
    if (t == GUMBO_TAG_P || t == GUMBO_TAG_PRE || t == GUMBO_TAG_BLOCKQUOTE) {
      const std::size_t len = OwnTextLength(n, depth);
      if (len >= 25 && parent != nullptr) {
        Add(parent, static_cast<double>(len));
        if (grand != nullptr) Add(grand, len / 2.0);
      }
    } else if (IsBlockTag(t) && t != GUMBO_TAG_LI && t != GUMBO_TAG_HTML) {
      const std::size_t len = OwnTextLength(n, depth);  // loose text, Blogger style
      if (len >= 25) {
        Add(n, static_cast<double>(len));
        if (parent != nullptr) Add(parent, len / 2.0);
      }
    }
    const GumboVector& c = Children(n);
    for (unsigned i = 0; i < c.length; ++i) Walk(Child(c, i), depth + 1);
  }

  void Add(const GumboNode* n, double v) {
    auto [it, inserted] = score.try_emplace(n, 0.0);
    if (inserted) order.push_back(n);
    it->second += v;
  }
};

// --- Pass 3: text flow. ---

class FlowBuilder {
 public:
  explicit FlowBuilder(bool blank_lines_break, FlowMode mode = FlowMode::kArticle)
      : blank_lines_break_(blank_lines_break), mode_(mode) {}

  void Walk(const GumboNode* n, int depth) {
    if (depth > kMaxDepth) return;
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA ||
        n->type == GUMBO_NODE_WHITESPACE) {
      AppendText(n->v.text.text);
      return;
    }
    if (!IsElement(n) && n->type != GUMBO_NODE_DOCUMENT) return;
    if (IsElement(n)) {
      if (IsDropped(n, mode_)) {
        Break();
        return;
      }
      const GumboTag t = TagOf(n);
      if (t == GUMBO_TAG_BR || t == GUMBO_TAG_HR) {
        Break();
        return;
      }
      if (t == GUMBO_TAG_IMG) return;
      if (IsBlockTag(t)) Break();
    }
    const GumboVector& c = Children(n);
    for (unsigned i = 0; i < c.length; ++i) Walk(Child(c, i), depth + 1);
    if (IsElement(n) && IsBlockTag(TagOf(n))) Break();
  }

  void Break() {
    std::string p = CollapseWhitespace(current_);
    current_.clear();
    if (!p.empty()) paragraphs_.push_back(std::move(p));
  }

  std::vector<std::string> Take() {
    Break();
    return std::move(paragraphs_);
  }

 private:
  void AppendText(std::string_view text) {
    if (!blank_lines_break_) {
      current_ += text;
      current_ += ' ';  // adjacent text nodes never glue words
      return;
    }
    // Plain text posing as HTML (a feed description): blank lines separate
    // paragraphs.
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t nl = text.find('\n', start);
      if (nl == std::string_view::npos) {
        current_ += text.substr(start);
        break;
      }
      const std::string_view line = text.substr(start, nl - start);
      if (Trim(line).empty()) {
        Break();
      } else {
        current_ += line;
        current_ += ' ';
      }
      start = nl + 1;
    }
  }

  bool blank_lines_break_;
  FlowMode mode_;
  std::string current_;
  std::vector<std::string> paragraphs_;
};

bool IsCommentSectionStart(const std::string& paragraph) {
  std::string p = AsciiLower(paragraph);
  while (!p.empty() && (p.back() == ':' || p.back() == '.' || p.back() == ' ')) p.pop_back();
  static constexpr std::array<std::string_view, 12> kExact = {
      "post a comment", "comments",      "leave a comment", "leave a reply",  "add a comment",
      "add comment",    "write a comment", "no comments",   "show comments",  "reader comments",
      "join the discussion", "comments are closed"};
  for (std::string_view e : kExact)
    if (p == e) return true;
  // "12 comments", "1 comment", "comments (12)"
  std::size_t i = 0;
  while (i < p.size() && p[i] >= '0' && p[i] <= '9') ++i;
  if (i > 0 && (p.substr(i) == " comments" || p.substr(i) == " comment" ||
                p.substr(i) == " responses" || p.substr(i) == " replies"))
    return true;
  return p.starts_with("comments (") && p.size() < 20;
}

bool IsBoilerplateLine(const std::string& paragraph) {
  std::string p = AsciiLower(paragraph);
  while (!p.empty() && (p.back() == ':' || p.back() == ' ')) p.pop_back();
  static constexpr std::array<std::string_view, 16> kLines = {
      "advertisement", "share",       "share this",    "share this article", "tweet",
      "email this",    "print",       "read more",     "related",            "related articles",
      "related posts", "you may also like", "newer post older post home", "skip to content",
      "subscribe to: post comments (atom)", "subscribe to: posts (atom)"};
  for (std::string_view l : kLines)
    if (p == l) return true;
  return false;
}

std::string JoinParagraphs(std::vector<std::string> paragraphs, bool stop_at_comments) {
  std::string out;
  for (std::string& p : paragraphs) {
    if (stop_at_comments && IsCommentSectionStart(p)) {
      if (!out.empty()) break;
      continue;
    }
    if (IsBoilerplateLine(p)) continue;
    if (!out.empty()) out += "\n\n";
    out += p;
  }
  return out;
}

std::string FlowText(const GumboNode* container) {
  FlowBuilder flow(/*blank_lines_break=*/false);
  flow.Walk(container, 0);
  return JoinParagraphs(flow.Take(), /*stop_at_comments=*/true);
}

const GumboNode* FindBody(const GumboNode* root) {
  if (root == nullptr) return nullptr;
  const GumboVector& c = Children(root);
  for (unsigned i = 0; i < c.length; ++i)
    if (TagOf(Child(c, i)) == GUMBO_TAG_BODY) return Child(c, i);
  return root;
}


// ExtractArticle, plus (when `page_date` is not null, there is no metadata
// date and none in the article text) the first date in the page's visible
// text outside the article: Blogger puts the post date in a heading above
// the post body.
HtmlArticle ExtractArticleImpl(std::string_view html, std::string* page_date, bool* too_deep) {
  HtmlArticle article;
  const std::string lean = StripInertContent(html);
  const bool deep = EstimateNestingDepth(lean) > kMaxParseDepth;
  if (too_deep != nullptr) *too_deep = deep;
  if (deep) return article;
  ParsedHtml parsed(lean);
  const GumboNode* root = parsed.root();
  if (root == nullptr) return article;

  Metadata m;
  CollectMetadata(root, 0, false, &m);
  auto meta = [&](const char* key) -> std::string {
    auto it = m.meta.find(key);
    return it == m.meta.end() ? std::string() : CollapseWhitespace(it->second);
  };
  article.title = meta("og:title");
  if (article.title.empty()) article.title = meta("twitter:title");
  if (article.title.empty()) article.title = CollapseWhitespace(m.title_tag);
  if (article.title.empty()) article.title = CollapseWhitespace(m.first_h1);
  article.url = m.canonical.empty() ? meta("og:url") : m.canonical;
  article.site = meta("og:site_name");
  article.lang = m.lang;
  article.charset = m.charset;
  article.date = MetadataDate(m);

  Scorer scorer;
  scorer.Walk(root, 0);
  if (scorer.article_body != nullptr) {
    article.text = FlowText(scorer.article_body);
  }
  if (article.text.empty() && !scorer.articles.empty()) {
    for (const GumboNode* a : scorer.articles) {
      std::string text = FlowText(a);
      if (text.size() > article.text.size()) article.text = std::move(text);
    }
  }
  if (article.text.empty()) {
    const GumboNode* best = nullptr;
    double best_score = 0;
    for (const GumboNode* node : scorer.order) {
      const double score = scorer.score[node];
      if (score > best_score) {
        best = node;
        best_score = score;
      }
    }
    if (best != nullptr) article.text = FlowText(best);
  }
  if (article.text.empty()) {
    const GumboNode* body = FindBody(root);
    if (body != nullptr) article.text = FlowText(body);
  }
  if (page_date != nullptr && article.date.empty() && !article.text.empty() &&
      DateFromText(article.text).empty()) {
    const GumboNode* body = FindBody(root);
    if (body != nullptr) {
      FlowBuilder flow(/*blank_lines_break=*/false, FlowMode::kPageDate);
      flow.Walk(body, 0);
      *page_date = DateFromText(JoinParagraphs(flow.Take(), /*stop_at_comments=*/true));
    }
  }
  return article;
}

}  // namespace

HtmlArticle ExtractArticle(std::string_view html) { return ExtractArticleImpl(html, nullptr, nullptr); }


namespace ingest {

std::string HtmlFragmentToText(std::string_view html) {
  const std::string lean = StripInertContent(html);
  if (EstimateNestingDepth(lean) > kMaxParseDepth) return {};
  ParsedHtml parsed(lean);
  const GumboNode* body = FindBody(parsed.root());
  if (body == nullptr) return {};
  FlowBuilder flow(/*blank_lines_break=*/html.find('<') == std::string_view::npos);
  flow.Walk(body, 0);
  return JoinParagraphs(flow.Take(), /*stop_at_comments=*/false);
}

std::string SniffHtmlCharset(std::string_view bytes) {
  const std::string head = AsciiLower(bytes.substr(0, 8192));
  std::size_t pos = 0;
  while ((pos = head.find("charset", pos)) != std::string::npos) {
    std::size_t i = pos + 7;
    pos = i;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\t')) ++i;
    if (i >= head.size() || head[i] != '=') continue;
    ++i;
    while (i < head.size() && (head[i] == ' ' || head[i] == '"' || head[i] == '\'')) ++i;
    std::size_t j = i;
    while (j < head.size() && (std::isalnum(static_cast<unsigned char>(head[j])) || head[j] == '-' ||
                               head[j] == '_' || head[j] == '.' || head[j] == ':'))
      ++j;
    if (j > i) return head.substr(i, j - i);
  }
  return {};
}

Status ReadHtmlBytes(const std::string& path, std::string_view bytes, const Sink& sink,
                     std::vector<ReaderError>* errors) {
  std::string encoding;
  Result<std::string> utf8 = ConvertToUtf8(bytes, SniffHtmlCharset(bytes), &encoding);
  if (!utf8.ok()) return Fail(StatusCode::kInvalidArgument, path, utf8.status().message(), errors);
  std::string page_date;
  bool too_deep = false;
  HtmlArticle article = ExtractArticleImpl(*utf8, &page_date, &too_deep);
  if (too_deep) {
    return Fail(StatusCode::kInvalidArgument, path,
                "HTML nested too deeply (over " + std::to_string(kMaxParseDepth) + " levels); not parsed",
                errors);
  }
  if (article.text.empty())
    return Fail(StatusCode::kInvalidArgument, path, "no article text found", errors);
  RawDocument doc;
  doc.origin = path;
  doc.format = SourceFormatName(SourceFormat::kHtml);
  doc.title = std::move(article.title);
  doc.url = std::move(article.url);
  doc.source = std::move(article.site);
  doc.text = std::move(article.text);
  if (!article.date.empty()) {
    doc.date = std::move(article.date);
    doc.date_origin = DateOrigin::kMetadata;
  }
  doc.lang = NormalizeLangTag(article.lang);
  doc.encoding = std::move(encoding);
  FillDerivedFields(&doc);
  if (doc.date.empty() && !page_date.empty()) {
    doc.date = std::move(page_date);
    doc.date_origin = DateOrigin::kText;
  }
  sink(std::move(doc));
  return Status::Ok();
}

bool TooDeepToParse(std::string_view html) { return EstimateNestingDepth(html) > kMaxParseDepth; }

}  // namespace ingest
}  // namespace dyad

// What `dyad watch` reads out of fetched pages: article links on a section
// page and the posts of a Telegram channel's public preview. Both walk
// gumbo's tree with an explicit stack, so a deep page cannot exhaust ours,
// and refuse pages nested too deep for gumbo (ingest::TooDeepToParse).
#include <curl/curl.h>
#include <gumbo.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "dyad/watch.h"
#include "ingest/internal.h"

namespace dyad::watch {
namespace {

struct GumboDeleter {
  void operator()(GumboOutput* o) const { gumbo_destroy_output(&kGumboDefaultOptions, o); }
};
using GumboTree = std::unique_ptr<GumboOutput, GumboDeleter>;

GumboTree Parse(std::string_view html) {
  if (ingest::TooDeepToParse(html)) return nullptr;
  return GumboTree(gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size()));
}

const char* Attribute(const GumboNode* n, const char* name) {
  if (n->type != GUMBO_NODE_ELEMENT) return nullptr;
  const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a ? a->value : nullptr;
}

bool HasClass(const GumboNode* n, std::string_view cls) {
  const char* c = Attribute(n, "class");
  if (!c) return false;
  std::string_view all(c);
  std::size_t i = 0;
  while (i < all.size()) {
    std::size_t e = all.find_first_of(" \t\n", i);
    if (e == std::string_view::npos) e = all.size();
    if (all.substr(i, e - i) == cls) return true;
    i = e + 1;
  }
  return false;
}

// Pre-order walk; `visit` returns false to skip an element's children.
template <typename Visit>
void Walk(const GumboNode* root, Visit visit) {
  std::vector<const GumboNode*> stack = {root};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (!visit(n) || n->type != GUMBO_NODE_ELEMENT) continue;
    const GumboVector& kids = n->v.element.children;
    for (unsigned i = kids.length; i-- > 0;) stack.push_back(static_cast<GumboNode*>(kids.data[i]));
  }
}

// Text of an element: <br> and block ends become line breaks.
std::string TextOf(const GumboNode* root) {
  std::string out;
  // Children are visited in order; a marker after a block adds its break.
  std::vector<std::pair<const GumboNode*, bool>> stack = {{root, false}};
  while (!stack.empty()) {
    auto [n, closing] = stack.back();
    stack.pop_back();
    if (closing) {
      if (!out.empty() && out.back() != '\n') out += '\n';
      continue;
    }
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE) {
      out.append(n->v.text.text);
      continue;
    }
    if (n->type != GUMBO_NODE_ELEMENT) continue;
    const GumboTag tag = n->v.element.tag;
    if (tag == GUMBO_TAG_BR) {
      out += '\n';
      continue;
    }
    if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE) continue;
    if (tag == GUMBO_TAG_P || tag == GUMBO_TAG_DIV || tag == GUMBO_TAG_LI) stack.push_back({n, true});
    const GumboVector& kids = n->v.element.children;
    for (unsigned i = kids.length; i-- > 0;) {
      stack.push_back({static_cast<GumboNode*>(kids.data[i]), false});
    }
  }
  // Lines trimmed and blank runs collapsed: paragraphs separated by "\n\n".
  std::string text;
  std::size_t i = 0;
  while (i <= out.size()) {
    std::size_t e = out.find('\n', i);
    if (e == std::string::npos) e = out.size();
    std::string line = ingest::CollapseWhitespace(out.substr(i, e - i));
    std::string_view t = ingest::Trim(line);
    if (!t.empty()) {
      if (!text.empty()) text.append("\n\n");
      text.append(t);
    }
    i = e + 1;
  }
  return text;
}

}  // namespace

std::string ResolveUrl(const std::string& base, const std::string& href) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), &curl_url_cleanup);
  if (!u) return "";
  if (curl_url_set(u.get(), CURLUPART_URL, base.c_str(), 0) != CURLUE_OK) return "";
  std::string rel(ingest::Trim(href));
  if (rel.empty() || rel[0] == '#') return "";
  if (curl_url_set(u.get(), CURLUPART_URL, rel.c_str(), 0) != CURLUE_OK) return "";
  curl_url_set(u.get(), CURLUPART_FRAGMENT, nullptr, 0);
  char* scheme = nullptr;
  if (curl_url_get(u.get(), CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) return "";
  const std::string s = scheme;
  curl_free(scheme);
  if (s != "http" && s != "https") return "";
  char* full = nullptr;
  if (curl_url_get(u.get(), CURLUPART_URL, &full, 0) != CURLUE_OK) return "";
  std::string out = full;
  curl_free(full);
  return out;
}

std::vector<std::string> ExtractLinks(std::string_view html, const std::string& base_url,
                                      const std::regex& pattern) {
  std::vector<std::string> out;
  GumboTree tree = Parse(html);
  if (!tree) return out;
  std::set<std::string> seen;
  Walk(tree->root, [&](const GumboNode* n) {
    if (n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == GUMBO_TAG_A) {
      if (const char* href = Attribute(n, "href")) {
        std::string url = ResolveUrl(base_url, href);
        if (!url.empty() && std::regex_search(url, pattern) && seen.insert(url).second) {
          out.push_back(std::move(url));
        }
      }
    }
    return true;
  });
  return out;
}

std::vector<RawDocument> ParseTelegramPreview(std::string_view html, const std::string& page_url) {
  std::vector<RawDocument> out;
  GumboTree tree = Parse(html);
  if (!tree) return out;
  Walk(tree->root, [&](const GumboNode* n) {
    const char* post = Attribute(n, "data-post");
    if (!post || !HasClass(n, "tgme_widget_message")) return true;
    // "channel/123"
    const std::string id = post;
    const std::size_t slash = id.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 >= id.size()) return false;
    RawDocument d;
    d.origin = page_url + "#post " + id;
    d.format = "telegram";
    d.external_id = id;
    d.source = id.substr(0, slash);
    d.url = "https://t.me/" + id;
    Walk(n, [&](const GumboNode* m) {
      if (HasClass(m, "tgme_widget_message_text") && d.text.empty()) {
        d.text = TextOf(m);
        return false;
      }
      if (m->type == GUMBO_NODE_ELEMENT && m->v.element.tag == GUMBO_TAG_TIME && d.date.empty()) {
        if (const char* dt = Attribute(m, "datetime")) {
          d.date = NormalizeDate(dt);
          if (!d.date.empty()) d.date_origin = DateOrigin::kMetadata;
        }
      }
      return true;
    });
    if (!d.text.empty()) out.push_back(std::move(d));
    return false;   // posts do not nest
  });
  return out;
}

}  // namespace dyad::watch

// RSS 2.0, RSS 1.0 (RDF) and Atom feeds: one document per item/entry.
//
// Item bodies are HTML in practice (escaped, in CDATA, or -- against the
// spec -- as raw child elements); all three are turned back into markup and
// run through HtmlFragmentToText. Feeds in a legacy charset are converted
// with the charset of the XML declaration before pugixml sees them.
#include <pugixml.hpp>

#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/readers.h"
#include "ingest/internal.h"
#include "ingest/xml_util.h"

namespace dyad {
namespace ingest {

std::string_view LocalName(const char* name) {
  std::string_view n(name);
  const auto colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

std::string_view Prefix(const char* name) {
  std::string_view n(name);
  const auto colon = n.find(':');
  return colon == std::string_view::npos ? std::string_view() : n.substr(0, colon);
}

pugi::xml_node ChildLocal(pugi::xml_node parent, std::string_view local, std::string_view prefix) {
  for (pugi::xml_node c : parent.children()) {
    if (c.type() != pugi::node_element) continue;
    if (LocalName(c.name()) != local) continue;
    if (prefix == "*" || Prefix(c.name()) == prefix) return c;
  }
  return {};
}

std::string InnerMarkup(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      out += c.value();
    } else if (c.type() == pugi::node_element) {
      std::ostringstream s;
      c.print(s, "", pugi::format_raw);
      out += s.str();
    }
  }
  return out;
}

std::string XmlDeclaredEncoding(std::string_view bytes) {
  const std::string head = AsciiLower(bytes.substr(0, 256));
  if (!head.starts_with("<?xml")) return {};
  const auto end = head.find("?>");
  auto pos = head.find("encoding");
  if (pos == std::string::npos || (end != std::string::npos && pos > end)) return {};
  pos = head.find_first_of("\"'", pos);
  if (pos == std::string::npos) return {};
  const auto close = head.find(head[pos], pos + 1);
  if (close == std::string::npos) return {};
  return head.substr(pos + 1, close - pos - 1);
}

Status LoadXml(const std::string& path, std::string_view bytes, pugi::xml_document* doc,
               std::string* buffer, std::string* encoding, std::vector<ReaderError>* errors) {
  Result<std::string> utf8 = ConvertToUtf8(bytes, XmlDeclaredEncoding(bytes), encoding);
  if (!utf8.ok()) return Fail(StatusCode::kInvalidArgument, path, utf8.status().message(), errors);
  *buffer = std::move(*utf8);
  const pugi::xml_parse_result r =
      doc->load_buffer(buffer->data(), buffer->size(), pugi::parse_default, pugi::encoding_utf8);
  if (!r) {
    return Fail(StatusCode::kCorruption, path,
                "malformed XML at line " +
                    std::to_string(LineOfOffset(*buffer, static_cast<std::size_t>(r.offset))) + ": " +
                    r.description(),
                errors);
  }
  return Status::Ok();
}

namespace {

// Title text: may carry escaped markup or entities.
std::string TitleText(pugi::xml_node n) {
  if (!n) return {};
  const std::string raw = InnerMarkup(n);
  if (raw.find_first_of("<&") == std::string::npos) return CollapseWhitespace(raw);
  return CollapseWhitespace(HtmlFragmentToText(raw));
}

// An item/entry body, HTML or plain text.
std::string BodyText(pugi::xml_node n) {
  if (!n) return {};
  const std::string type = AsciiLower(n.attribute("type").value());
  if (type == "text" || type == "text/plain") {
    // Plain: keep blank-line paragraphs, collapse the rest.
    std::string out;
    std::string raw = InnerMarkup(n);
    std::size_t start = 0;
    while (start < raw.size()) {
      std::size_t e = raw.find("\n\n", start);
      if (e == std::string::npos) e = raw.size();
      std::string p = CollapseWhitespace(std::string_view(raw).substr(start, e - start));
      if (!p.empty()) {
        if (!out.empty()) out += "\n\n";
        out += p;
      }
      start = e + 2;
    }
    return out;
  }
  return HtmlFragmentToText(InnerMarkup(n));
}

std::string AtomLink(pugi::xml_node entry) {
  std::string fallback;
  for (pugi::xml_node l : entry.children()) {
    if (l.type() != pugi::node_element || LocalName(l.name()) != "link") continue;
    const std::string rel = l.attribute("rel").value();
    const std::string href = std::string(Trim(l.attribute("href").value()));
    if (href.empty()) continue;
    if (rel.empty() || rel == "alternate") return href;
    if (fallback.empty()) fallback = href;
  }
  return fallback;
}

}  // namespace

Status ReadFeedBytes(const std::string& path, std::string_view bytes, const Sink& sink,
                     std::vector<ReaderError>* errors, bool keep_linked_without_text) {
  pugi::xml_document xml;
  std::string buffer, encoding;
  DYAD_RETURN_IF_ERROR(LoadXml(path, bytes, &xml, &buffer, &encoding, errors));
  const pugi::xml_node root = xml.document_element();
  const std::string_view root_name = LocalName(root.name());

  bool atom = false;
  pugi::xml_node channel;
  std::vector<pugi::xml_node> items;
  if (root_name == "rss") {
    channel = ChildLocal(root, "channel", "");
    for (pugi::xml_node c : channel.children())
      if (c.type() == pugi::node_element && std::string_view(c.name()) == "item") items.push_back(c);
  } else if (root_name == "RDF") {
    channel = ChildLocal(root, "channel", "*");
    for (pugi::xml_node c : root.children())
      if (c.type() == pugi::node_element && LocalName(c.name()) == "item") items.push_back(c);
  } else if (root_name == "feed") {
    atom = true;
    channel = root;
    for (pugi::xml_node c : root.children())
      if (c.type() == pugi::node_element && LocalName(c.name()) == "entry") items.push_back(c);
  } else {
    return Fail(StatusCode::kInvalidArgument, path,
                "not an RSS or Atom feed (root element <" + std::string(root.name()) + ">)", errors);
  }
  if (items.empty()) return Fail(StatusCode::kInvalidArgument, path, "feed has no items", errors);

  const std::string source = TitleText(ChildLocal(channel, "title", atom ? "*" : ""));
  std::string feed_lang = NormalizeLangTag(ChildLocal(channel, "language", "*").child_value());
  if (feed_lang.empty()) feed_lang = NormalizeLangTag(root.attribute("xml:lang").value());

  int index = 0;
  for (pugi::xml_node item : items) {
    ++index;
    const std::string where = path + "#item " + std::to_string(index);
    RawDocument doc;
    doc.origin = where;
    doc.format = SourceFormatName(SourceFormat::kFeed);
    doc.source = source;
    doc.encoding = encoding;
    doc.title = TitleText(ChildLocal(item, "title", "*"));
    std::string date_value;
    if (atom) {
      doc.url = AtomLink(item);
      doc.external_id = std::string(Trim(ChildLocal(item, "id", "*").child_value()));
      doc.text = BodyText(ChildLocal(item, "content", ""));
      if (doc.text.empty()) doc.text = BodyText(ChildLocal(item, "summary", ""));
      for (const char* key : {"published", "updated"}) {
        if (date_value.empty()) date_value = ChildLocal(item, key, "").child_value();
      }
    } else {
      doc.url = std::string(Trim(ChildLocal(item, "link", "").child_value()));
      const pugi::xml_node guid = ChildLocal(item, "guid", "");
      doc.external_id = std::string(Trim(guid.child_value()));
      if (doc.url.empty() && std::string_view(guid.attribute("isPermaLink").value()) != "false" &&
          doc.external_id.starts_with("http"))
        doc.url = doc.external_id;
      if (item.attribute("rdf:about") && doc.external_id.empty())
        doc.external_id = item.attribute("rdf:about").value();
      doc.text = BodyText(ChildLocal(item, "encoded", "content"));
      if (doc.text.empty()) doc.text = BodyText(ChildLocal(item, "description", ""));
      date_value = ChildLocal(item, "pubDate", "").child_value();
    }
    if (Trim(date_value).empty()) date_value = ChildLocal(item, "date", "dc").child_value();
    if (doc.text.empty() && !(keep_linked_without_text && !doc.url.empty())) {
      errors->push_back({where, "no text"});
      continue;
    }
    doc.date = NormalizeDate(date_value);
    if (!doc.date.empty()) doc.date_origin = DateOrigin::kMetadata;
    doc.lang = NormalizeLangTag(item.attribute("xml:lang").value());
    if (doc.lang.empty()) doc.lang = feed_lang;
    FillDerivedFields(&doc);
    sink(std::move(doc));
  }
  return Status::Ok();
}

}  // namespace ingest
}  // namespace dyad

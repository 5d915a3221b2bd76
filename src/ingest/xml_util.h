// XML helpers shared by the feed and PETRARCH readers (pugixml). Private.
#ifndef DYAD_SRC_INGEST_XML_UTIL_H_
#define DYAD_SRC_INGEST_XML_UTIL_H_

#include <pugixml.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "dyad/readers.h"

namespace dyad::ingest {

// "content:encoded" -> "encoded" / "content"; no prefix -> "".
std::string_view LocalName(const char* name);
std::string_view Prefix(const char* name);

// First element child with this local name and prefix ("" = none, "*" = any).
pugi::xml_node ChildLocal(pugi::xml_node parent, std::string_view local, std::string_view prefix);

// Text and child elements of `node` serialized back to markup.
std::string InnerMarkup(pugi::xml_node node);

// encoding="..." of the XML declaration, lower-cased; "" when absent.
std::string XmlDeclaredEncoding(std::string_view bytes);

// Converts `bytes` to UTF-8 (declared encoding, else detection) into
// *buffer and parses it into *doc. A parse error is reported with its line.
// *buffer must outlive *doc's use only for error reporting; pugixml copies.
Status LoadXml(const std::string& path, std::string_view bytes, pugi::xml_document* doc,
               std::string* buffer, std::string* encoding, std::vector<ReaderError>* errors);

}  // namespace dyad::ingest

#endif  // DYAD_SRC_INGEST_XML_UTIL_H_

// PETRARCH input XML: <Sentences><Sentence date="20150101" id=".." source="..">
// <Text>...</Text><Parse>...</Parse></Sentence>...</Sentences>. One document
// per <Sentence>; the parse trees are ignored (dyad parses for itself).
#include <pugixml.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "dyad/readers.h"
#include "ingest/internal.h"
#include "ingest/xml_util.h"

namespace dyad::ingest {

Status ReadPetrarchBytes(const std::string& path, std::string_view bytes, const Sink& sink,
                         std::vector<ReaderError>* errors) {
  pugi::xml_document xml;
  std::string buffer, encoding;
  DYAD_RETURN_IF_ERROR(LoadXml(path, bytes, &xml, &buffer, &encoding, errors));
  const pugi::xml_node root = xml.document_element();
  if (std::string_view(root.name()) != "Sentences") {
    return Fail(StatusCode::kInvalidArgument, path,
                "not PETRARCH XML (root element <" + std::string(root.name()) + ">, want <Sentences>)",
                errors);
  }
  int index = 0;
  for (pugi::xml_node s : root.children("Sentence")) {
    ++index;
    const std::string where = path + "#sentence " + std::to_string(index);
    RawDocument doc;
    doc.origin = where;
    doc.format = SourceFormatName(SourceFormat::kPetrarchXml);
    doc.encoding = encoding;
    doc.external_id = s.attribute("id").value();
    doc.source = s.attribute("source").value();
    doc.text = CollapseWhitespace(InnerMarkup(s.child("Text")));
    if (doc.text.empty()) {
      errors->push_back({where, "no text"});
      continue;
    }
    const std::string date = s.attribute("date").value();
    if (!date.empty()) {
      doc.date = NormalizeDate(date);
      if (doc.date.empty()) {
        errors->push_back({where, "invalid date \"" + date + "\" (want YYYYMMDD)"});
        continue;
      }
      doc.date_origin = DateOrigin::kMetadata;
    }
    FillDerivedFields(&doc);
    sink(std::move(doc));
  }
  if (index == 0) return Fail(StatusCode::kInvalidArgument, path, "no <Sentence> elements", errors);
  return Status::Ok();
}

}  // namespace dyad::ingest

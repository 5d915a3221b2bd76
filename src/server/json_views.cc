#include "server/json_views.h"

#include "dyad/cameo.h"
#include "dyad/export.h"

namespace dyad::server {
namespace {

// A span as [begin, end) relative to the sentence, or [0, 0] when it is
// unknown or outside it.
Json RelativeSpan(const Span& span, const Span& sentence) {
  if (span.end <= span.begin || span.begin < sentence.begin || span.end > sentence.end) {
    return Json::array({0, 0});
  }
  return Json::array({span.begin - sentence.begin, span.end - sentence.begin});
}

std::string ActorName(const std::string& stored, const std::string& code) {
  if (!stored.empty()) return stored;
  if (const CountryInfo* c = CountryOfActor(code)) return c->name;
  return "";
}

void FillEvent(const Event& e, Json* j) {
  const CameoCode* cameo = CameoTable::Builtin().FindOrParent(e.code);
  (*j)["date"] = e.date;
  (*j)["source"] = e.source;
  (*j)["target"] = e.target;
  (*j)["code"] = e.code;
  (*j)["code_name"] = cameo ? cameo->name : "";
  (*j)["root"] = e.root;
  (*j)["quad_class"] = e.quad_class;
  (*j)["goldstein"] = e.has_goldstein ? Json(e.goldstein) : Json(nullptr);
  (*j)["sentence_idx"] = e.sentence_index;
  (*j)["sentence"] = e.sentence;
  (*j)["spans"] = {{"source", RelativeSpan(e.source_span, e.sentence_span)},
                   {"target", RelativeSpan(e.target_span, e.sentence_span)},
                   {"verb", RelativeSpan(e.verb_span, e.sentence_span)}};
  (*j)["source_text"] = e.source_text;
  (*j)["target_text"] = e.target_text;
  (*j)["verb_text"] = e.verb_text;
  (*j)["why"] = {{"pattern", e.pattern},
                 {"pattern_origin", e.pattern_origin},
                 {"entries", e.entries},
                 {"modality", e.modality},
                 {"issues", e.issues}};
}

}  // namespace

Json EventJson(const EventRow& row) {
  Json j;
  j["id"] = row.event_id;
  FillEvent(row.event, &j);
  j["source_name"] = ActorName(row.actor1_name, row.event.source);
  j["target_name"] = ActorName(row.actor2_name, row.event.target);
  j["story_id"] = row.story_id;
  j["document_id"] = row.document_id;
  j["outlet"] = row.outlet;
  j["url"] = row.url;
  j["title"] = row.title;
  return j;
}

Json UnstoredEventJson(const Event& event) {
  Json j;
  FillEvent(event, &j);
  j["source_name"] = ActorName(event.source_text, event.source);
  j["target_name"] = ActorName(event.target_text, event.target);
  return j;
}

std::string Dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace dyad::server

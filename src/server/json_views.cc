#include "server/json_views.h"

#include <string_view>
#include <utility>
#include <vector>

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

// CAMEO role codes as words, for labels.
std::string_view RoleName(std::string_view role) {
  static constexpr std::pair<std::string_view, std::string_view> kRoles[] = {
      {"GOV", "government"}, {"MIL", "military"}, {"COP", "police"}, {"JUD", "judiciary"},
      {"LEG", "legislature"}, {"SPY", "intelligence"}, {"BUS", "business"}, {"MED", "media"},
      {"CVL", "civilians"}, {"LAB", "workers"}, {"REF", "refugees"}, {"MIG", "migrants"},
      {"EDU", "education"}, {"HLH", "health"}, {"REB", "rebels"}, {"OPP", "opposition"},
      {"NGO", "NGO"}, {"IGO", "IGO"}, {"ELI", "elites"}, {"CRM", "criminals"},
      {"UAF", "armed group"}, {"AGR", "agriculture"}, {"ENV", "environment"},
      {"RAD", "radicals"}, {"REL", "religious"}, {"SEP", "separatists"}, {"INS", "insurgents"},
      {"DEV", "development"}, {"HRI", "human rights"}, {"PTY", "party"}, {"ATH", "athletes"}};
  for (const auto& [code, name] : kRoles) {
    if (code == role) return name;
  }
  return {};
}

// "UZBGOV" -> "Uzbekistan: government", "---LAB" -> "workers (country
// unknown)", "RUS" -> "Russia". Built from the code, not from the words of
// some sentence: the actors table keeps the first text seen for a code,
// which can be a person's name ("Uzbek President ...") for a whole agency.
std::string ActorName(const std::string& code) {
  const CountryInfo* country = CountryOfActor(code);
  std::string roles;
  for (size_t i = 3; i + 3 <= code.size(); i += 3) {
    std::string_view role = RoleName(std::string_view(code).substr(i, 3));
    if (role.empty()) continue;
    if (!roles.empty()) roles += ", ";
    roles += role;
  }
  if (country != nullptr) return roles.empty() ? country->name : country->name + ": " + roles;
  if (code.rfind("---", 0) == 0 && !roles.empty()) return roles + " (country unknown)";
  return code;
}

// "source /srv/dyad/data/dict/dyad.actors.txt:12 X" -> "source dyad.actors.txt:12 X":
// dictionary origins without the server's directories.
std::string WithoutDirectories(const std::string& text) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    std::string_view word(text.data() + start, end - start);
    const size_t slash = word.rfind('/');
    if (slash != std::string_view::npos && word.find(':', slash) != std::string_view::npos) {
      word.remove_prefix(slash + 1);
    }
    out.append(word);
    if (end < text.size()) out += ' ';
    start = end + 1;
  }
  return out;
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
  std::vector<std::string> entries;
  for (const std::string& entry : e.entries) entries.push_back(WithoutDirectories(entry));
  (*j)["why"] = {{"pattern", e.pattern},
                 {"pattern_origin", WithoutDirectories(e.pattern_origin)},
                 {"entries", std::move(entries)},
                 {"modality", e.modality},
                 {"issues", e.issues}};
}

}  // namespace

Json EventJson(const EventRow& row) {
  Json j;
  j["id"] = row.event_id;
  FillEvent(row.event, &j);
  j["source_name"] = ActorName(row.event.source);
  j["target_name"] = ActorName(row.event.target);
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
  j["source_name"] = ActorName(event.source);
  j["target_name"] = ActorName(event.target);
  return j;
}

std::string Dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace dyad::server

// JSON views of stored rows for the API (docs/api.md). Strings from news
// text are passed through as data: invalid UTF-8 is replaced when dumped,
// never interpreted.
#ifndef DYAD_SERVER_JSON_VIEWS_H_
#define DYAD_SERVER_JSON_VIEWS_H_

#include <string>

#include <nlohmann/json.hpp>

#include "dyad/coder.h"
#include "dyad/store.h"

namespace dyad::server {

using Json = nlohmann::json;

// The API's Event object.
Json EventJson(const EventRow& row);
// An event that is not stored (explain, previews): no ids.
Json UnstoredEventJson(const Event& event);
// Dumps without failing on invalid UTF-8 (replaced by U+FFFD).
std::string Dump(const Json& j);

}  // namespace dyad::server

#endif  // DYAD_SERVER_JSON_VIEWS_H_

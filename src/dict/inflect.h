// English inflection for dictionary words: the regular verb forms of a
// base verb and the regular plural of a noun. Both over-generate rather than
// miss: "visit" also yields "visitted", which no text contains.
#ifndef DYAD_DICT_INFLECT_H_
#define DYAD_DICT_INFLECT_H_

#include <string>
#include <utility>
#include <vector>

#include "dict/tables.h"

namespace dyad::dict {

// (form, kind) pairs for the lower-case base verb, base first.
std::vector<std::pair<std::string, FormKind>> VerbForms(const std::string& base);

// Regular plural of a lower-case noun ("policy" -> "policies").
std::string Plural(const std::string& noun);

}  // namespace dyad::dict

#endif  // DYAD_DICT_INFLECT_H_

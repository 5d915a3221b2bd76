// The CAMEO event-code table: Goldstein weight, QuadClass, PLOVER category
// and name for every code. dyad ships its own copy (data/cameo.tsv), compiled
// into the library, so coding never depends on a file at run time.
//
//   const dyad::CameoTable& cameo = dyad::CameoTable::Builtin();
//   if (const dyad::CameoCode* c = cameo.Find("173")) std::cout << c->goldstein;
//
// Immutable after construction; safe to share between threads.
#ifndef DYAD_CAMEO_H_
#define DYAD_CAMEO_H_

#include <string>
#include <string_view>
#include <unordered_map>

#include "dyad/status.h"

namespace dyad {

struct CameoCode {
  std::string code;
  double goldstein = 0;
  int quad_class = 0;     // 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
  std::string plover;     // e.g. "COERCE"; empty for public statements (01)
  std::string name;
};

class CameoTable {
 public:
  // Parses the tab-separated table (code, goldstein, quad_class, plover, name).
  static Result<CameoTable> Parse(std::string_view tsv, const std::string& origin);
  // The table compiled from data/cameo.tsv.
  static const CameoTable& Builtin();

  // The entry for `code`, or nullptr. Unknown 4-digit codes are not mapped
  // to their parent: a caller that wants that uses FindOrParent.
  const CameoCode* Find(std::string_view code) const;
  // `code` itself, else its 3-digit parent, else its 2-digit root.
  const CameoCode* FindOrParent(std::string_view code) const;
  size_t size() const { return codes_.size(); }

 private:
  std::unordered_map<std::string, CameoCode> codes_;
};

}  // namespace dyad

#endif  // DYAD_CAMEO_H_

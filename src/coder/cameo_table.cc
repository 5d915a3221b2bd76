#include <sstream>
#include <vector>

#include "dyad/cameo.h"
#include "cameo_tsv.h"  // generated from data/cameo.tsv: kCameoTsv

namespace dyad {

Result<CameoTable> CameoTable::Parse(std::string_view tsv, const std::string& origin) {
  CameoTable table;
  std::istringstream in{std::string(tsv)};
  std::string line;
  int number = 0;
  bool header_seen = false;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    if (!header_seen) { header_seen = true; continue; }
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string field;
    while (std::getline(ss, field, '\t')) f.push_back(field);
    const std::string where = origin + ":" + std::to_string(number);
    if (f.size() != 5) return InvalidArgument("want 5 tab-separated fields", where);
    CameoCode c;
    c.code = f[0];
    try {
      size_t used = 0;
      c.goldstein = std::stod(f[1], &used);
      if (used != f[1].size()) throw std::invalid_argument("trailing");
      c.quad_class = std::stoi(f[2]);
    } catch (const std::exception&) {
      return InvalidArgument("bad goldstein or quad_class", where);
    }
    if (c.quad_class < 1 || c.quad_class > 4) return InvalidArgument("quad_class out of range", where);
    c.plover = f[3];
    c.name = f[4];
    table.codes_.emplace(c.code, c);
  }
  if (table.codes_.empty()) return InvalidArgument("empty CAMEO table", origin);
  return table;
}

const CameoTable& CameoTable::Builtin() {
  static const CameoTable* const kTable = [] {
    auto parsed = Parse(kCameoTsv, "data/cameo.tsv");
    // The embedded table is checked by tests; a failure here is a build bug.
    return new CameoTable(parsed.ok() ? std::move(parsed.value()) : CameoTable());
  }();
  return *kTable;
}

const CameoCode* CameoTable::Find(std::string_view code) const {
  auto it = codes_.find(std::string(code));
  return it == codes_.end() ? nullptr : &it->second;
}

const CameoCode* CameoTable::FindOrParent(std::string_view code) const {
  for (size_t len = code.size(); len >= 2; --len) {
    if (const CameoCode* c = Find(code.substr(0, len))) return c;
    if (len == 2) break;
  }
  return nullptr;
}

}  // namespace dyad

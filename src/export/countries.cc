// The country table (data/countries.tsv, compiled in as kCountriesTsv) and
// actor-code splitting.
//
// A CAMEO actor code is a run of 3-letter codes: an optional country or
// region first, then roles, religions and organisations in any order
// ("UZBGOVMIL", "IGOUNOHCR", "NGOHRW", "---COP"). SplitActorCode reads it
// left to right:
//   - the first three letters are the country when they name a country or
//     region in the table ("---" and anything else leaves it empty);
//   - a role or organisation type (GOV, COP, IGO, NGO, ...) fills the next of
//     the three type slots;
//   - a religion code fills Religion1, then Religion2;
//   - a country or region code after the first position is skipped: in
//     "IGOEUREEC" or "IGOWSTNAT" it names the organisation's area, not a
//     country the actor belongs to;
//   - any other 3-letter code is a known group; when there are several the
//     last, most specific, wins ("IGOUNOHCR" -> HCR, "IGOUNO" -> UNO);
//   - where the rest is not a multiple of three letters long and does not
//     start with a code we know, the rest is one known group as written
//     ("IGOFATF" -> FATF, "IGOG7" -> G7).
// dyad never codes ethnicity, so the ethnic code stays empty.
#include <array>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "countries_tsv.h"
#include "dyad/export.h"
#include "export/countries.h"

namespace dyad {
namespace exports {
namespace {

struct CountryTable {
  std::unordered_map<std::string, CountryInfo> countries;
  std::unordered_map<std::string, std::string> regions;
};

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return fields;
}

bool ParseDouble(std::string_view s, double* out) {
  if (s.empty()) return false;
  std::string copy(s);
  char* end = nullptr;
  *out = std::strtod(copy.c_str(), &end);
  return end == copy.c_str() + copy.size();
}

// The table is ours and checked by export_test (every row well formed); a
// malformed line is skipped rather than failing every export at run time.
CountryTable ParseTable(std::string_view tsv) {
  CountryTable table;
  bool header_seen = false;
  while (!tsv.empty()) {
    size_t nl = tsv.find('\n');
    std::string_view line = tsv.substr(0, nl);
    tsv = nl == std::string_view::npos ? std::string_view() : tsv.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    if (!header_seen) {  // cameo kind fips iso2 name lat lon
      header_seen = true;
      continue;
    }
    std::vector<std::string_view> f = SplitTabs(line);
    if (f.size() != 7 || f[0].size() != 3) continue;
    if (f[1] == "region") {
      table.regions.emplace(std::string(f[0]), std::string(f[4]));
      continue;
    }
    CountryInfo info;
    info.cameo = f[0];
    info.fips = f[2];
    info.iso2 = f[3];
    info.name = f[4];
    info.has_centroid = ParseDouble(f[5], &info.lat) && ParseDouble(f[6], &info.lon);
    if (!info.has_centroid) info.lat = info.lon = 0;
    table.countries.emplace(info.cameo, std::move(info));
  }
  return table;
}

const CountryTable& Table() {
  static const CountryTable* const kTable = new CountryTable(ParseTable(kCountriesTsv));
  return *kTable;
}

template <size_t N>
bool OneOf(std::string_view code, const std::array<std::string_view, N>& set) {
  for (std::string_view s : set) {
    if (s == code) return true;
  }
  return false;
}

// CAMEO's role and organisation type codes, as GDELT's Type1-3Code use them.
constexpr std::array<std::string_view, 36> kTypeCodes = {
    "GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "MED", "EDU", "BUS", "CRM",
    "CVL", "LAB", "LEG", "REF", "HLH", "HRI", "ELI", "AGR", "DEV", "ENV", "MOD", "RAD",
    "REL", "SEP", "INS", "UAF", "SET", "UIS", "IGO", "NGO", "NGM", "MNC", "IMG", "PKO"};

// CAMEO religion codes (GDELT's Religion1Code/Religion2Code).
constexpr std::array<std::string_view, 31> kReligionCodes = {
    "ADR", "ALE", "ATH", "BAH", "BUD", "CHR", "CON", "CPT", "CTH", "DOX", "DRZ",
    "HIN", "HSD", "ITR", "JAN", "JEW", "JHW", "LDS", "MOS", "MRN", "NRM", "PAG",
    "PRO", "SFI", "SHI", "SHN", "SIK", "SUN", "TAO", "UDX", "ZRO"};

// The Phoenix pipeline's primary agents and non-country entities.
constexpr std::array<std::string_view, 13> kPhoenixAgents = {
    "GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "MED", "EDU", "BUS", "CRM", "CVL"};
constexpr std::array<std::string_view, 4> kPhoenixEntities = {"IGO", "NGO", "IMG", "MNC"};

bool IsPlace(std::string_view code3) {
  return FindCountry(code3) != nullptr || FindRegionName(code3) != nullptr;
}

}  // namespace

const CountryInfo* FindCountry(std::string_view code3) {
  const auto& countries = Table().countries;
  auto it = countries.find(std::string(code3));
  return it == countries.end() ? nullptr : &it->second;
}

const std::string* FindRegionName(std::string_view code3) {
  const auto& regions = Table().regions;
  auto it = regions.find(std::string(code3));
  return it == regions.end() ? nullptr : &it->second;
}

ActorParts SplitActorCode(std::string_view code) {
  ActorParts parts;
  std::string_view rest = code;
  if (rest.size() >= 3) {
    std::string_view first = rest.substr(0, 3);
    if (const CountryInfo* info = FindCountry(first)) {
      parts.country = first;
      parts.info = info;
      parts.name = info->name;
      rest.remove_prefix(3);
    } else if (const std::string* region = FindRegionName(first)) {
      parts.country = first;
      parts.name = *region;
      rest.remove_prefix(3);
    }
  }
  int types = 0;
  while (!rest.empty()) {
    std::string_view chunk = rest.substr(0, 3);
    bool known = chunk == "---" || OneOf(chunk, kTypeCodes) || OneOf(chunk, kReligionCodes) ||
                 IsPlace(chunk);
    if (rest.size() < 3 || (rest.size() % 3 != 0 && !known)) {
      parts.known_group = rest;  // an irregular organisation code: "FATF", "G7"
      break;
    }
    rest.remove_prefix(3);
    if (chunk == "---") continue;
    if (OneOf(chunk, kTypeCodes)) {
      if (types < 3) parts.type[types++] = chunk;
    } else if (OneOf(chunk, kReligionCodes)) {
      if (parts.religion1.empty()) {
        parts.religion1 = chunk;
      } else if (parts.religion2.empty()) {
        parts.religion2 = chunk;
      }
    } else if (IsPlace(chunk)) {
      continue;
    } else {
      parts.known_group = chunk;
    }
  }
  return parts;
}

PhoenixActor SplitPhoenixActor(std::string_view code) {
  PhoenixActor actor;
  if (code.size() >= 3) {
    std::string_view first = code.substr(0, 3);
    if (IsPlace(first) || OneOf(first, kPhoenixEntities)) actor.entity = first;
  }
  size_t start = 3;
  if (code.size() >= 6 && OneOf(code.substr(3, 3), kPhoenixAgents)) {
    actor.role = code.substr(3, 3);
    start = 6;
  }
  for (size_t i = start; i < code.size(); i += 3) {
    if (!actor.attributes.empty()) actor.attributes += ';';
    actor.attributes += code.substr(i, 3);
  }
  return actor;
}

int PentaClass(std::string_view root) {
  if (root.size() != 2 || root[0] < '0' || root[0] > '2' || root[1] < '0' || root[1] > '9') {
    return -1;
  }
  int r = (root[0] - '0') * 10 + (root[1] - '0');
  if (r < 1 || r > 20) return -1;
  if (r <= 2) return 0;    // public statements and appeals
  if (r <= 5) return 1;    // verbal cooperation
  if (r <= 8) return 2;    // material cooperation
  if (r <= 13 || r == 16) return 3;  // verbal conflict; 16 reduce relations
  return 4;                // material conflict: 14 protest, 15, 17-20
}

}  // namespace exports

const CountryInfo* CountryOfActor(std::string_view actor_code) {
  if (actor_code.size() < 3) return nullptr;
  return exports::FindCountry(actor_code.substr(0, 3));
}

}  // namespace dyad

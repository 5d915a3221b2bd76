// Internal to the export module: the compiled-in country table and the
// splitting of CAMEO actor codes into GDELT's and Phoenix's actor fields.
// docs/exports.md explains the rules.
#ifndef DYAD_SRC_EXPORT_COUNTRIES_H_
#define DYAD_SRC_EXPORT_COUNTRIES_H_

#include <string>
#include <string_view>

#include "dyad/export.h"

namespace dyad::exports {

// The country with this exact 3-letter CAMEO code, or nullptr (regions too).
const CountryInfo* FindCountry(std::string_view code3);
// The English name of a CAMEO region code ("CAS" -> "Central Asia"), or nullptr.
const std::string* FindRegionName(std::string_view code3);

// An actor code split the GDELT way ("UZBGOVMIL", "IGOUNOHCR", "---COP").
struct ActorParts {
  std::string country;                 // country or region code, "" if neither
  const CountryInfo* info = nullptr;   // the country; nullptr for a region or none
  std::string name;                    // country or region name, "" if neither
  std::string known_group, ethnic, religion1, religion2;
  std::string type[3];
};
ActorParts SplitActorCode(std::string_view code);

// An actor code split the Phoenix pipeline's way: entity (a country, region,
// or IGO/NGO/IMG/MNC), role (a primary agent at characters 3-5) and the other
// 3-letter codes joined by ';'.
struct PhoenixActor {
  std::string entity, role, attributes;
};
PhoenixActor SplitPhoenixActor(std::string_view code);

// Phoenix's PentaClass of a 2-digit CAMEO root, -1 when it is not a root.
int PentaClass(std::string_view root);

}  // namespace dyad::exports

#endif  // DYAD_SRC_EXPORT_COUNTRIES_H_

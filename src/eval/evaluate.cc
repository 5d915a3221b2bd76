// Scores the coder against a gold standard in JSON Lines. Events are matched
// one-to-one inside each record: first on (source country, target country,
// code) for the exact score, then on the root for the root score.
#include <fstream>

#include <nlohmann/json.hpp>

#include "dyad/evaluate.h"
#include "dyad/io.h"

namespace dyad {

double Prf::precision() const {
  const int d = true_positives + false_positives;
  return d ? static_cast<double>(true_positives) / d : 0.0;
}
double Prf::recall() const {
  const int d = true_positives + false_negatives;
  return d ? static_cast<double>(true_positives) / d : 0.0;
}
double Prf::f1() const {
  const double p = precision(), r = recall();
  return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

std::string CountryOf(const std::string& code) {
  for (const char* prefix : {"IGO", "NGO", "IMG", "MNC"})
    if (code.rfind(prefix, 0) == 0) return code.substr(0, std::min<size_t>(6, code.size()));
  return code.substr(0, std::min<size_t>(3, code.size()));
}

namespace {

struct Triple {
  std::string source, target, code;
};

// Greedy one-to-one matching under `same`; returns the number matched and
// marks used items.
template <typename Same>
int MatchCount(const std::vector<Triple>& gold, const std::vector<Triple>& coded, Same same,
               std::vector<int>* gold_match) {
  std::vector<bool> used(coded.size(), false);
  gold_match->assign(gold.size(), -1);
  int n = 0;
  for (size_t g = 0; g < gold.size(); ++g)
    for (size_t c = 0; c < coded.size(); ++c)
      if (!used[c] && same(gold[g], coded[c])) {
        used[c] = true;
        (*gold_match)[g] = static_cast<int>(c);
        ++n;
        break;
      }
  return n;
}

}  // namespace

Result<EvalReport> Evaluate(const Coder& coder, const std::string& gold_path, std::ostream* log,
                            const std::string& language) {
  std::ifstream in(gold_path);
  if (!in) return NotFound("cannot open gold file", gold_path);
  EvalReport r;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string where = gold_path + ":" + std::to_string(number);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto doc = ParseJsonDocument(line, "");
    if (!doc.ok()) return InvalidArgument(doc.status().message(), where);
    nlohmann::json j = nlohmann::json::parse(line);
    std::vector<Triple> gold, coded;
    if (!j.contains("events") || !j["events"].is_array())
      return InvalidArgument("gold record has no \"events\" array", where);
    for (const auto& e : j["events"]) {
      if (!e.is_object() || !e.contains("source") || !e.contains("target") || !e.contains("code") ||
          !e["source"].is_string() || !e["target"].is_string() || !e["code"].is_string())
        return InvalidArgument("gold event needs string source, target and code", where);
      gold.push_back({e["source"], e["target"], e["code"]});
    }
    if (!language.empty()) doc->language = language;
    for (const Event& e : coder.CodeDocument(doc.value())) coded.push_back({e.source, e.target, e.code});
    ++r.sentences;
    r.gold_events += static_cast<int>(gold.size());
    r.coded_events += static_cast<int>(coded.size());
    auto same_countries = [](const Triple& a, const Triple& b) {
      return CountryOf(a.source) == CountryOf(b.source) && CountryOf(a.target) == CountryOf(b.target);
    };
    std::vector<int> exact_match, root_match;
    const int exact = MatchCount(gold, coded, [&](const Triple& a, const Triple& b) {
      return same_countries(a, b) && a.code == b.code;
    }, &exact_match);
    const int root = MatchCount(gold, coded, [&](const Triple& a, const Triple& b) {
      return same_countries(a, b) && a.code.substr(0, 2) == b.code.substr(0, 2);
    }, &root_match);
    r.exact.true_positives += exact;
    r.exact.false_positives += static_cast<int>(coded.size()) - exact;
    r.exact.false_negatives += static_cast<int>(gold.size()) - exact;
    r.root.true_positives += root;
    r.root.false_positives += static_cast<int>(coded.size()) - root;
    r.root.false_negatives += static_cast<int>(gold.size()) - root;
    LanguageScores& ls = r.by_language[coder.LanguageOf(doc.value())];
    ++ls.sentences;
    ls.exact.true_positives += exact;
    ls.exact.false_positives += static_cast<int>(coded.size()) - exact;
    ls.exact.false_negatives += static_cast<int>(gold.size()) - exact;
    ls.root.true_positives += root;
    ls.root.false_positives += static_cast<int>(coded.size()) - root;
    ls.root.false_negatives += static_cast<int>(gold.size()) - root;
    std::vector<bool> coded_matched(coded.size(), false);
    for (size_t g = 0; g < gold.size(); ++g) {
      const std::string groot = gold[g].code.substr(0, 2);
      if (root_match[g] >= 0) {
        const Triple& c = coded[root_match[g]];
        coded_matched[root_match[g]] = true;
        ++r.by_root[groot].true_positives;
        if (c.source == gold[g].source) ++r.matched_with_source_role;
        if (c.target == gold[g].target) ++r.matched_with_target_role;
      } else {
        ++r.by_root[groot].false_negatives;
      }
    }
    for (size_t c = 0; c < coded.size(); ++c)
      if (!coded_matched[c]) ++r.by_root[coded[c].code.substr(0, 2)].false_positives;
    if (log && (exact != static_cast<int>(gold.size()) || exact != static_cast<int>(coded.size()))) {
      auto show = [](const std::vector<Triple>& v) {
        std::string out;
        for (const auto& t : v) out += (out.empty() ? "" : ", ") + t.source + " " + t.target + " " + t.code;
        return out.empty() ? std::string("(none)") : out;
      };
      *log << "MISS " << doc->id << ": gold " << show(gold) << "; coded " << show(coded) << "\n     "
           << doc->text << "\n";
    }
  }
  return r;
}

}  // namespace dyad

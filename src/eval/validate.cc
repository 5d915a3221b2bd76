// Runs PETRARCH validation records (<Sentence> with <Text> and expected
// <EventCoding>) through the coder. The <Parse> trees are ignored: dyad codes
// raw text. A record passes when the set of coded (source, target, code)
// triples equals the expected set. Expected events with an uncoded side
// ("---") are left out, as PETRARCH itself does under require_dyad.
#include <filesystem>
#include <set>
#include <sstream>
#include <tuple>

#include <pugixml.hpp>

#include "dyad/evaluate.h"

namespace dyad {
namespace {

std::string CollapseSpace(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') { space = !out.empty(); continue; }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string DateOf(const std::string& yyyymmdd) {
  if (yyyymmdd.size() != 8) return {};
  return yyyymmdd.substr(0, 4) + "-" + yyyymmdd.substr(4, 2) + "-" + yyyymmdd.substr(6, 2);
}

}  // namespace

Result<ValidationReport> RunValidation(const std::string& xml_path, const std::string& dict_dir,
                                       std::ostream* log) {
  namespace fs = std::filesystem;
  pugi::xml_document xml;
  pugi::xml_parse_result parsed = xml.load_file(xml_path.c_str());
  if (!parsed) {
    std::error_code ec;
    if (!fs::exists(xml_path, ec)) return NotFound("validation file not found", xml_path);
    return Corruption(std::string("XML error: ") + parsed.description() + " at byte " +
                          std::to_string(parsed.offset),
                      xml_path);
  }
  pugi::xml_node root = xml.child("Validation");
  if (!root) return Corruption("no <Validation> element", xml_path);
  pugi::xml_node env = root.child("Environment");
  DictionaryFiles files;
  const fs::path beside = fs::path(xml_path).parent_path();
  auto locate = [&](const char* tag, std::vector<std::string>* out) -> Status {
    for (pugi::xml_node n = env.child(tag); n; n = n.next_sibling(tag)) {
      const std::string name = CollapseSpace(n.text().get());
      if (name.empty()) continue;
      std::vector<fs::path> candidates;
      if (!dict_dir.empty()) candidates.push_back(fs::path(dict_dir) / name);
      candidates.push_back(beside / name);
      bool found = false;
      for (const auto& c : candidates) {
        std::error_code ec;
        if (fs::is_regular_file(c, ec)) { out->push_back(c.string()); found = true; break; }
      }
      if (!found)
        return NotFound(std::string("dictionary named in <") + tag + "> not found: " + name +
                        " (looked in " + (dict_dir.empty() ? "" : dict_dir + " and ") +
                        beside.string() + ")", xml_path);
    }
    return Status::Ok();
  };
  DYAD_RETURN_IF_ERROR(locate("Verbfile", &files.verbs));
  DYAD_RETURN_IF_ERROR(locate("Actorfile", &files.actors));
  DYAD_RETURN_IF_ERROR(locate("Agentfile", &files.agents));
  DYAD_RETURN_IF_ERROR(locate("Discardfile", &files.discards));
  DYAD_RETURN_IF_ERROR(locate("Issuefile", &files.issues));
  auto dict = Dictionary::Load(files);
  if (!dict.ok()) return dict.status();
  CoderOptions options;
  options.single_sentence = true;
  options.intent_to_03 = false;  // the records predate our intent rule
  auto coder = Coder::Create(dict.value(), options);
  if (!coder.ok()) return coder.status();

  ValidationReport report;
  pugi::xml_node sentences = root.child("Sentences");
  if (!sentences) return Corruption("no <Sentences> element", xml_path);
  int record = 0;
  for (pugi::xml_node s = sentences.child("Sentence"); s; s = s.next_sibling("Sentence")) {
    ++record;
    const std::string id = s.attribute("id").as_string();
    const std::string category = s.attribute("category").as_string("NONE");
    const std::string text = CollapseSpace(s.child("Text").text().get());
    if (text.empty()) continue;
    if (id == "FINAL-RECORD") continue;  // a banner, not a test
    using Triple = std::tuple<std::string, std::string, std::string>;
    std::set<Triple> expected;
    bool parse_error = false;
    for (pugi::xml_node ec = s.child("EventCoding"); ec; ec = ec.next_sibling("EventCoding")) {
      const std::string error = ec.attribute("error").as_string();
      if (error == "bad_input_parse") parse_error = true;
      if (!ec.attribute("sourcecode")) continue;
      const std::string src = ec.attribute("sourcecode").as_string();
      const std::string tgt = ec.attribute("targetcode").as_string();
      if (src == "---" || tgt == "---" || src.empty() || tgt.empty()) continue;
      expected.emplace(src, tgt, ec.attribute("eventcode").as_string());
    }
    if (parse_error) {
      ++report.skipped;
      if (log) *log << "SKIP " << id << ": tests PETRARCH's parse-tree input\n";
      continue;
    }
    Document doc;
    doc.id = id;
    doc.date = DateOf(s.attribute("date").as_string());
    doc.text = text;
    std::set<Triple> coded;
    for (const Event& e : coder.value()->CodeDocument(doc)) coded.emplace(e.source, e.target, e.code);
    CategoryCount& cc = report.categories[category];
    if (coded == expected) {
      ++report.passed;
      ++cc.passed;
    } else {
      ++report.failed;
      ++cc.failed;
      if (log) {
        auto show = [](const std::set<Triple>& set) {
          std::string out;
          for (const auto& [a, b, c] : set) out += (out.empty() ? "" : ", ") + a + " " + b + " " + c;
          return out.empty() ? std::string("(none)") : out;
        };
        *log << "FAIL " << id << " [" << category << "]: expected " << show(expected) << "; got "
             << show(coded) << "\n     " << text << "\n";
      }
    }
  }
  (void)record;
  return report;
}

}  // namespace dyad

// dyad: command-line front end. Each subcommand parses its options, calls
// the library and turns a Status into a message on stderr and an exit code.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>

#include <CLI/CLI.hpp>

#include "dyad/cameo.h"
#include "dyad/coder.h"
#include "dyad/dictionary.h"
#include "dyad/evaluate.h"
#include "dyad/io.h"
#ifdef DYAD_RUSSIAN
#include "dyad/russian_coder.h"
#endif
#include "dyad/text.h"
#include "serve_command.h"
#include "store_commands.h"
#include "watch_command.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;   // bad input or some records failed
constexpr int kExitUsage = 2;

std::string DefaultDictDir() { return dyad::Dictionary::DefaultDirectory(); }

int Fail(const dyad::Status& s) {
  std::cerr << "dyad: error: " << s.ToString() << "\n";
  return kExitFailure;
}

// `user_dict`: --user-dict, else $DYAD_USER_DICT (docs/corrections.md).
// `lang`: "en" (English only), "ru" (the Russian coder must load) or
// "auto" (Russian attached when its morphology and dictionaries load).
dyad::Result<std::unique_ptr<dyad::Coder>> MakeCoder(const std::string& dir,
                                                     const dyad::CoderOptions& options,
                                                     const std::string& user_dict = "",
                                                     const std::string& lang = "en") {
  auto user = dyad::Dictionary::UserDictionaryPath(user_dict);
  if (!user.ok()) return user.status();
  auto dict = dyad::Dictionary::LoadDirectory(dir, *user);
  if (!dict.ok()) return dict.status();
  std::shared_ptr<const dyad::LanguageCoder> russian;
  if (lang == "ru" || lang == "auto") {
#ifdef DYAD_RUSSIAN
    auto ru = dyad::ru::RussianCoder::LoadDefault("", options, dict.value());
    if (ru.ok()) {
      russian = std::move(ru.value());
    } else if (lang == "ru") {
      return ru.status();
    } else {
      std::cerr << "dyad: warning: Russian text will not be coded: " << ru.status().ToString() << "\n";
    }
#else
    if (lang == "ru") return dyad::InvalidArgument("this dyad was built without Russian (DYAD_RUSSIAN=OFF)");
#endif
  }
  return dyad::Coder::Create(dict.value(), options, std::move(russian));
}

// --lang for documents: "auto" leaves the language to the record or to
// detection; "en"/"ru" force it.
void ApplyLanguage(const std::string& lang, dyad::Document* doc) {
  if (lang == "en" || lang == "ru") doc->language = lang;
}

struct CodeArgs {
  std::string dict_dir;
  std::string user_dict;
  std::string date;
  std::string format = "jsonl";
  std::string input_format = "auto";
  std::vector<std::string> files;
  bool summary = false;
  std::string lang = "auto";
};

void PrintSummary(const std::vector<dyad::Event>& events, size_t documents, double seconds) {
  std::map<std::string, int> dyads, roots;
  for (const auto& e : events) {
    ++dyads[dyad::CountryOf(e.source) + " -> " + dyad::CountryOf(e.target)];
    ++roots[e.root];
  }
  std::cout << "dyad: coded " << documents << " documents into " << events.size() << " events in "
            << std::fixed << std::setprecision(3) << seconds << " s\n\n";
  std::vector<std::pair<int, std::string>> top;
  for (const auto& [k, v] : dyads) top.emplace_back(v, k);
  std::sort(top.rbegin(), top.rend());
  std::cout << "Most active directed dyads (country level):\n";
  for (size_t i = 0; i < top.size() && i < 12; ++i)
    std::cout << "  " << std::setw(5) << top[i].first << "  " << top[i].second << "\n";
  const auto& cameo = dyad::CameoTable::Builtin();
  std::cout << "\nEvents by CAMEO root:\n";
  for (const auto& [root, n] : roots) {
    const dyad::CameoCode* c = cameo.Find(root);
    std::cout << "  " << root << "  " << std::setw(4) << n << "  " << (c ? c->name : "?") << "\n";
  }
  std::cout << "\nConflict events (QuadClass 3-4) with their evidence:\n";
  int shown = 0;
  for (const auto& e : events) {
    if (e.quad_class < 3 || shown >= 15) continue;
    ++shown;
    std::string sentence = e.sentence.size() > 160 ? e.sentence.substr(0, 157) + "..." : e.sentence;
    std::cout << "  " << e.date << "  " << e.source << " " << e.code << " " << e.target << "  ("
              << (cameo.Find(e.code) ? cameo.Find(e.code)->name : "") << ")\n      \"" << sentence
              << "\"\n";
  }
}

int RunCode(const CodeArgs& a) {
  if (!a.date.empty()) {
    std::int32_t d = 0;
    if (!dyad::ParseIsoDate(a.date, &d)) return Fail(dyad::InvalidArgument("--date must be YYYY-MM-DD, got '" + a.date + "'"));
  }
  auto coder = MakeCoder(a.dict_dir.empty() ? DefaultDictDir() : a.dict_dir, {}, a.user_dict, a.lang);
  if (!coder.ok()) return Fail(coder.status());
  dyad::ReadOptions ro;
  ro.default_date = a.date;
  ro.format = a.input_format == "text" ? dyad::InputFormat::kText
              : a.input_format == "jsonl" ? dyad::InputFormat::kJsonl
                                          : dyad::InputFormat::kAuto;
  std::vector<dyad::ReadError> errors;
  std::vector<dyad::Event> all;
  size_t documents = 0;
  const auto start = std::chrono::steady_clock::now();
  if (a.format == "tsv" && !a.summary) std::cout << dyad::EventTsvHeader() << "\n";
  auto sink = [&](dyad::Document doc) {
    ++documents;
    ApplyLanguage(a.lang, &doc);
    for (auto& e : coder.value()->CodeDocument(doc)) {
      if (a.summary) { all.push_back(std::move(e)); continue; }
      std::cout << (a.format == "tsv" ? dyad::EventToTsv(e) : dyad::EventToJson(e)) << "\n";
    }
  };
  std::vector<std::string> files = a.files.empty() ? std::vector<std::string>{"-"} : a.files;
  bool failed = false;
  for (const auto& f : files) {
    dyad::Status s = dyad::ReadDocuments(f, ro, sink, &errors);
    if (!s.ok()) { std::cerr << "dyad: error: " << s.ToString() << "\n"; failed = true; }
  }
  for (const auto& e : errors) std::cerr << "dyad: error: " << e.where << ": " << e.message << "\n";
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (a.summary) PrintSummary(all, documents, seconds);
  if (!errors.empty() || failed) {
    std::cerr << "dyad: " << documents << " documents coded, " << errors.size()
              << " records failed\n";
    return kExitFailure;
  }
  return kExitOk;
}

int RunExplain(const std::string& dict_dir, const std::string& date, const std::string& sentence,
               const std::string& user_dict, const std::string& lang) {
  dyad::CoderOptions options;
  options.single_sentence = false;
  auto coder = MakeCoder(dict_dir.empty() ? DefaultDictDir() : dict_dir, options, user_dict, lang);
  if (!coder.ok()) return Fail(coder.status());
  dyad::Document doc{"explain", date, sentence, "", "", ""};
  ApplyLanguage(lang, &doc);
  dyad::Trace trace;
  auto events = coder.value()->CodeDocument(doc, &trace);
  for (const auto& line : trace.lines) std::cout << line << "\n";
  std::cout << "\n" << events.size() << " event(s)\n";
  for (const auto& e : events) std::cout << dyad::EventToJson(e) << "\n";
  return kExitOk;
}

int RunValidate(const std::string& file, const std::string& dict_dir, bool quiet) {
  auto report = dyad::RunValidation(file, dict_dir, quiet ? nullptr : &std::cout);
  if (!report.ok()) return Fail(report.status());
  const auto& r = report.value();
  std::cout << "\ncategory      passed  failed  rate\n";
  for (const auto& [cat, c] : r.categories) {
    const int total = c.passed + c.failed;
    std::cout << std::left << std::setw(12) << cat << std::right << std::setw(8) << c.passed
              << std::setw(8) << c.failed << std::setw(8) << std::fixed << std::setprecision(1)
              << (total ? 100.0 * c.passed / total : 0.0) << "%\n";
  }
  const int total = r.passed + r.failed;
  std::cout << "total: " << std::fixed << std::setprecision(1)
            << (total ? 100.0 * r.passed / total : 0.0) << "% of " << total << " records ("
            << r.skipped << " skipped: they test PETRARCH's parse-tree input)\n";
  std::cout << r.passed << " passed, " << r.failed << " failed\n";
  return r.failed == 0 ? kExitOk : kExitFailure;
}

int RunEval(const std::string& gold, const std::string& dict_dir, bool show_misses,
            const std::string& lang) {
  auto coder = MakeCoder(dict_dir.empty() ? DefaultDictDir() : dict_dir, {}, "", lang);
  if (!coder.ok()) return Fail(coder.status());
  auto report = dyad::Evaluate(*coder.value(), gold, show_misses ? &std::cout : nullptr,
                               lang == "auto" ? "" : lang);
  if (!report.ok()) return Fail(report.status());
  const auto& r = report.value();
  auto line = [](const char* name, const dyad::Prf& p) {
    std::cout << std::left << std::setw(8) << name << std::right << std::fixed << std::setprecision(3)
              << "  P " << p.precision() << "  R " << p.recall() << "  F1 " << p.f1() << "   (tp "
              << p.true_positives << ", fp " << p.false_positives << ", fn " << p.false_negatives << ")\n";
  };
  std::cout << "sentences " << r.sentences << ", gold events " << r.gold_events << ", coded events "
            << r.coded_events << "\n";
  std::cout << "actors matched at country level (IGO/NGO: organisation)\n";
  line("root", r.root);
  line("exact", r.exact);
  const int m = r.root.true_positives;
  std::cout << "roles: of " << m << " root-level matches, source code identical in "
            << r.matched_with_source_role << ", target code identical in " << r.matched_with_target_role << "\n";
  std::cout << "by root:\n";
  for (const auto& [root, p] : r.by_root) {
    std::cout << "  " << root << "  ";
    line("", p);
  }
  if (r.by_language.size() > 1 || (r.by_language.size() == 1 && !r.by_language.contains("en"))) {
    std::cout << "by language (coded as):\n";
    for (const auto& [language, p] : r.by_language) {
      std::cout << "  " << language << " sentences " << p.sentences << "\n";
      line(("  " + language + " root").c_str(), p.root);
      line(("  " + language + " exact").c_str(), p.exact);
    }
  }
  return kExitOk;
}

int RunDictCheck(const std::string& dir, bool strict) {
  const auto start = std::chrono::steady_clock::now();
  auto dict = dyad::Dictionary::LoadDirectory(dir);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!dict.ok()) return Fail(dict.status());
  const auto& s = dict.value()->stats();
  std::cout << "dictionary " << dir << " loaded in " << std::fixed << std::setprecision(1) << ms << " ms\n"
            << "  verb blocks " << s.verb_blocks << ", verb forms " << s.verb_forms << ", patterns "
            << s.verb_patterns << ", synsets " << s.synsets << "\n"
            << "  actor entries " << s.actor_entries << " (" << s.actor_phrases << " phrases), agent phrases "
            << s.agent_phrases << ", discards " << s.discard_phrases << ", issue phrases " << s.issue_phrases
            << "\n  vocabulary " << s.vocabulary << " words\n";
  for (const auto& w : s.warnings) std::cout << "warning: " << w << "\n";
  if (!s.warnings.empty()) std::cout << s.warnings.size() << " warning(s)\n";
  return strict && !s.warnings.empty() ? kExitFailure : kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    CLI::App app{"dyad: political event coder. Reads news text, writes CAMEO events with evidence."};
    app.require_subcommand(1);
    app.footer("Dictionaries: --dict DIR, else $DYAD_DICT_DIR, else the bundled data/dict.\n"
               "Run `dyad COMMAND --help` for a command's options.");

    CodeArgs code;
    auto* c = app.add_subcommand("code", "Code documents into events (JSON Lines on stdout)");
    c->add_option("files", code.files, "Text files (one document each), .jsonl files (one document per line: id, date, text, url, title, source), or - for stdin (default)");
    c->add_option("--dict", code.dict_dir, "Dictionary directory");
    c->add_option("--user-dict", code.user_dict, "User dictionary read on top (default: $DYAD_USER_DICT)");
    c->add_option("--date", code.date, "Date for documents without one (YYYY-MM-DD)");
    c->add_option("--format", code.format, "Output: jsonl or tsv")->check(CLI::IsMember({"jsonl", "tsv"}));
    c->add_option("--input-format", code.input_format, "Input: auto (by extension), text or jsonl")
        ->check(CLI::IsMember({"auto", "text", "jsonl"}));
    c->add_flag("--summary", code.summary, "Print a readable summary instead of events");
    c->add_option("--lang", code.lang, "Language of the documents: auto (the record's \"lang\", else detected), en or ru")
        ->check(CLI::IsMember({"auto", "en", "ru"}));

    std::string ex_dict, ex_date, ex_sentence, ex_user, ex_lang = "auto";
    auto* ex = app.add_subcommand("explain", "Show how a sentence is coded: tokens, actors, verbs, patterns, events");
    ex->add_option("sentence", ex_sentence, "The sentence (quote it)")->required();
    ex->add_option("--dict", ex_dict, "Dictionary directory");
    ex->add_option("--user-dict", ex_user, "User dictionary read on top (default: $DYAD_USER_DICT)");
    ex->add_option("--date", ex_date, "Date for dated actor roles (YYYY-MM-DD)");
    ex->add_option("--lang", ex_lang, "Language: auto (detected), en or ru")->check(CLI::IsMember({"auto", "en", "ru"}));

    std::string va_file, va_dir;
    bool va_quiet = false;
    auto* va = app.add_subcommand("validate", "Run a PETRARCH-style validation file (prints failures and totals)");
    va->add_option("file", va_file, "Validation XML file")->required();
    va->add_option("--dict-dir", va_dir, "Directory holding the dictionaries named in <Environment>");
    va->add_flag("--quiet", va_quiet, "Print totals only");

    std::string ev_file, ev_dict, ev_lang = "auto";
    bool ev_misses = false;
    auto* ev = app.add_subcommand("eval", "Score the coder on a gold JSON Lines file (precision, recall, F1)");
    ev->add_option("gold", ev_file, "Gold file: {id, date, text, events:[{source,target,code}]} per line")->required();
    ev->add_option("--dict", ev_dict, "Dictionary directory");
    ev->add_flag("--show-misses", ev_misses, "Print every record whose coding differs from the gold");
    ev->add_option("--lang", ev_lang, "Language of the records: auto (each record's \"lang\", else detected), en or ru")
        ->check(CLI::IsMember({"auto", "en", "ru"}));

    std::string dc_dir;
    auto* dc = app.add_subcommand("dict", "Load a dictionary directory, report errors, sizes and load time");
    dc->add_option("dir", dc_dir, "Dictionary directory (default: the bundled one)");
    bool dc_strict = false;
    dc->add_flag("--strict", dc_strict, "Exit non-zero when the dictionaries have warnings");

    dyad::cli::StoreCommands store_commands(app);
    dyad::cli::ServeCommand serve_command(app);
    dyad::cli::WatchCommand watch_command(app);

    CLI11_PARSE(app, argc, argv);
    if (auto code = store_commands.Run()) return *code;
    if (auto code = serve_command.Run()) return *code;
    if (auto code = watch_command.Run()) return *code;
    if (c->parsed()) return RunCode(code);
    if (ex->parsed()) return RunExplain(ex_dict, ex_date, ex_sentence, ex_user, ex_lang);
    if (va->parsed()) return RunValidate(va_file, va_dir, va_quiet);
    if (ev->parsed()) return RunEval(ev_file, ev_dict, ev_misses, ev_lang);
    if (dc->parsed()) return RunDictCheck(dc_dir.empty() ? DefaultDictDir() : dc_dir, dc_strict);
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "dyad: internal error: " << e.what() << "\n";
    return kExitFailure;
  }
}

// libFuzzer target for the dictionary readers: dyad::Dictionary::Load.
//
// The input is split at its first 0xFF byte: the bytes before it are a verb
// dictionary, the bytes after it an actor dictionary (no 0xFF: everything is
// the verb dictionary and the actor file is empty). A small fixed agents file
// is loaded with them. Load must return, with a dictionary or a Status; any
// crash, sanitizer report or hang is a bug.
//
// When the dictionary loads, a Coder is built on it and codes a fixed
// paragraph, so that odd but accepted entries (long patterns, nested
// synsets, empty codes) also go through the matcher.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>

#include "dyad/coder.h"
#include "dyad/dictionary.h"

namespace {

constexpr char kAgents[] =
    "!PERSON! = MAN, MEN, WOMAN, WOMEN\n"
    "GOVERNMENT [~GOV]\n"
    "POLICE {} [~COP]\n"
    "POLICE!PERSON! [~COP]\n"
    "MIGRANT [~LAB]\n"
    "MINISTRY [~GOV]\n"
    "ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~JUD]\n"
    "MSF [NGO~]\n";

constexpr char kText[] =
    "Russian police detained 40 Uzbek migrants in Moscow on Monday, the Uzbek "
    "Foreign Ministry said. Gondor condemned the detention of Tajik citizens by "
    "Russian police and plans to visit Osgiliath. The ambassadors of Arnor, "
    "Osgiliath and Gondor did not accuse Mordor.\n\n"
    "A court sentenced an Uzbek national to five years in prison. They were "
    "deported by the authorities who met the minister.";

struct Paths {
  std::string dir, verbs, actors, agents;
};

const Paths& TempPaths() {
  static const Paths paths = [] {
    Paths p;
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/dyad-dictfuzz-XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) {
      std::perror("dictionary_fuzzer: mkdtemp");
      std::abort();
    }
    p.dir = templ;
    p.verbs = p.dir + "/fuzz.verbs.txt";
    p.actors = p.dir + "/fuzz.actors.txt";
    p.agents = p.dir + "/fuzz.agents.txt";
    std::ofstream(p.agents, std::ios::binary) << kAgents;
    std::atexit([] {
      const Paths& q = TempPaths();
      std::remove(q.verbs.c_str());
      std::remove(q.actors.c_str());
      std::remove(q.agents.c_str());
      rmdir(q.dir.c_str());
    });
    return p;
  }();
  return paths;
}

void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "dictionary_fuzzer: cannot write %s\n", path.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find('\xFF');
  const std::string_view verbs = input.substr(0, split);
  const std::string_view actors =
      split == std::string_view::npos ? std::string_view() : input.substr(split + 1);

  const Paths& p = TempPaths();
  WriteFile(p.verbs, verbs);
  WriteFile(p.actors, actors);

  dyad::DictionaryFiles files;
  files.verbs.push_back(p.verbs);
  files.actors.push_back(p.actors);
  files.agents.push_back(p.agents);
  auto dict = dyad::Dictionary::Load(files);
  if (!dict.ok()) {
    // Errors must say something.
    if (dict.status().message().empty()) {
      std::fprintf(stderr, "dictionary_fuzzer: error Status without a message\n");
      std::abort();
    }
    return 0;
  }
  auto coder = dyad::Coder::Create(dict.value(), {});
  if (!coder.ok()) return 0;
  dyad::Document doc;
  doc.id = "fuzz";
  doc.date = "2025-06-12";
  doc.text = kText;
  for (const dyad::Event& e : coder.value()->CodeDocument(doc)) {
    for (const dyad::Span& s : {e.sentence_span, e.source_span, e.target_span, e.verb_span}) {
      if (s.begin > s.end || s.end > doc.text.size()) {
        std::fprintf(stderr, "dictionary_fuzzer: event span outside the text\n");
        std::abort();
      }
    }
  }
  return 0;
}

// libFuzzer target for the coder: the input is the text of one Document,
// coded with the bundled dictionaries (DYAD_DICT_DIR, loaded once).
//
// Each input is coded twice: with the default options (as `dyad code`) and
// as `dyad explain` does (one sentence, no dyad required, with a Trace).
// Checked: every event's spans (sentence, source, target, verb) lie inside
// the text with begin <= end; the verb span is non-empty and inside the
// sentence span; the code is non-empty. abort() on violation.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "dyad/coder.h"
#include "dyad/dictionary.h"

#ifndef DYAD_DICT_DIR
#error "DYAD_DICT_DIR must name the bundled dictionary directory"
#endif

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "coder_fuzzer: invariant violated: %s\n", what);
    std::abort();
  }
}

struct Coders {
  std::unique_ptr<dyad::Coder> code;
  std::unique_ptr<dyad::Coder> explain;
};

const Coders& GetCoders() {
  static const Coders* const coders = [] {
    auto dict = dyad::Dictionary::LoadDirectory(DYAD_DICT_DIR);
    if (!dict.ok()) {
      std::fprintf(stderr, "coder_fuzzer: cannot load %s: %s\n", DYAD_DICT_DIR,
                   dict.status().ToString().c_str());
      std::abort();
    }
    auto* c = new Coders;
    auto code = dyad::Coder::Create(dict.value(), {});
    dyad::CoderOptions explain_options;
    explain_options.single_sentence = true;
    explain_options.require_dyad = false;
    explain_options.dedupe_document = false;
    auto explain = dyad::Coder::Create(dict.value(), explain_options);
    if (!code.ok() || !explain.ok()) {
      std::fprintf(stderr, "coder_fuzzer: Coder::Create failed\n");
      std::abort();
    }
    c->code = std::move(code.value());
    c->explain = std::move(explain.value());
    return c;
  }();
  return *coders;
}

void CheckEvents(const dyad::Document& doc, const std::vector<dyad::Event>& events) {
  const size_t n = doc.text.size();
  for (const dyad::Event& e : events) {
    for (const dyad::Span& s : {e.sentence_span, e.source_span, e.target_span, e.verb_span}) {
      Check(s.begin <= s.end, "span begin <= end");
      Check(s.end <= n, "span inside the text");
    }
    Check(e.verb_span.begin < e.verb_span.end, "verb span is not empty");
    Check(e.sentence_span.begin <= e.verb_span.begin && e.verb_span.end <= e.sentence_span.end,
          "verb inside its sentence");
    Check(!e.code.empty(), "event has a code");
    Check(e.doc_id == doc.id, "event names its document");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  const Coders& coders = GetCoders();
  dyad::Document doc;
  doc.id = "fuzz";
  doc.date = "2025-06-12";
  doc.text.assign(reinterpret_cast<const char*>(data), size);

  CheckEvents(doc, coders.code->CodeDocument(doc));

  dyad::Trace trace;
  CheckEvents(doc, coders.explain->CodeDocument(doc, &trace));
  return 0;
}

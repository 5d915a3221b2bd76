// The `dyad._dyad` extension: the coder for Python (see docs/python.md).
//
//   import dyad
//   coder = dyad.Coder()                      # the bundled data/dict
//   for e in coder.code("Russian police detained Uzbek migrants.", date="2025-06-12"):
//       print(e["source"], e["code"], e["target"])
//
// Events are dicts with the keys, values and order of `dyad code`'s JSON
// Lines output. A Status becomes a Python exception carrying its
// "file:line: message" text: NotFound -> FileNotFoundError, InvalidArgument
// and Corruption -> ValueError, IoError -> OSError, Internal -> RuntimeError.
//
// Threads: a dyad::Coder is immutable and CodeDocument() is thread-safe, so
// every coding call releases the GIL while it codes; code_many() codes its
// documents on several std::threads and returns the events in input order.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "dyad/cameo.h"
#include "dyad/coder.h"
#include "dyad/dictionary.h"
#include "dyad/evaluate.h"
#include "dyad/io.h"
#include "dyad/text.h"
#include "pipeline/parallel.h"

namespace py = pybind11;

namespace {

// As the CLI and every front end: see Dictionary::DefaultDirectory().
std::string DefaultDictDir() { return dyad::Dictionary::DefaultDirectory(); }

[[noreturn]] void ThrowStatus(const dyad::Status& s) {
  PyObject* type = PyExc_RuntimeError;
  switch (s.code()) {
    case dyad::StatusCode::kNotFound: type = PyExc_FileNotFoundError; break;
    case dyad::StatusCode::kInvalidArgument:
    case dyad::StatusCode::kCorruption: type = PyExc_ValueError; break;
    case dyad::StatusCode::kIoError: type = PyExc_OSError; break;
    case dyad::StatusCode::kOk:
    case dyad::StatusCode::kInternal: break;
  }
  PyErr_SetString(type, s.ToString().c_str());
  throw py::error_already_set();
}

// Text from the coder as a Python str. Spans cut from valid UTF-8 are valid;
// "replace" keeps a malformed byte from turning into an exception, as
// EventToJson does.
py::str Str(const std::string& s) {
  PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(o);
}

py::object StrOrNone(const std::string& s) { return s.empty() ? py::object(py::none()) : Str(s); }

py::list StrList(const std::vector<std::string>& v) {
  py::list l(v.size());
  for (size_t i = 0; i < v.size(); ++i) l[i] = Str(v[i]);
  return l;
}

// Events to dicts with the keys, order and nulls of dyad::EventToJson.
// Turning many events into Python objects is the part of code_many that
// cannot run in parallel (it needs the GIL), so it is kept cheap: keys are
// interned once, and the short strings that repeat from event to event
// (doc ids, dates, codes, patterns, dictionary entries) are made once per call.
class EventConverter {
 public:
  EventConverter() {
    static const Keys* const keys = new Keys();  // lives as long as the process
    keys_ = keys;
  }

  py::dict operator()(const dyad::Event& e) {
    const Keys& k = *keys_;
    py::dict d;
    Set(d, k.doc_id, Repeated(e.doc_id));
    Set(d, k.date, e.date.empty() ? py::object(py::none()) : Repeated(e.date));
    Set(d, k.source, Repeated(e.source));
    Set(d, k.target, Repeated(e.target));
    Set(d, k.code, Repeated(e.code));
    Set(d, k.root, Repeated(e.root));
    Set(d, k.quad_class, e.quad_class ? py::object(py::int_(e.quad_class)) : py::object(py::none()));
    Set(d, k.goldstein, e.has_goldstein ? py::object(py::float_(e.goldstein)) : py::object(py::none()));
    Set(d, k.plover, e.plover.empty() ? py::object(py::none()) : Repeated(e.plover));
    Set(d, k.sentence, Str(e.sentence));
    Set(d, k.sentence_index, py::int_(e.sentence_index));
    Set(d, k.source_text, Repeated(e.source_text));
    Set(d, k.target_text, Repeated(e.target_text));
    Set(d, k.verb_text, Repeated(e.verb_text));
    py::dict offsets;
    Set(offsets, k.sentence, SpanList(e.sentence_span));
    Set(offsets, k.source, SpanList(e.source_span));
    Set(offsets, k.verb, SpanList(e.verb_span));
    Set(offsets, k.target, SpanList(e.target_span));
    Set(d, k.offsets, offsets);
    Set(d, k.pattern, Repeated(e.pattern));
    Set(d, k.pattern_origin, Repeated(e.pattern_origin));
    Set(d, k.entries, RepeatedList(e.entries));
    if (!e.modality.empty()) Set(d, k.modality, Repeated(e.modality));
    if (!e.issues.empty()) Set(d, k.issues, RepeatedList(e.issues));
    return d;
  }

 private:
  struct Keys {
    py::object doc_id = Intern("doc_id"), date = Intern("date"), source = Intern("source"),
               target = Intern("target"), code = Intern("code"), root = Intern("root"),
               quad_class = Intern("quad_class"), goldstein = Intern("goldstein"),
               plover = Intern("plover"), sentence = Intern("sentence"),
               sentence_index = Intern("sentence_index"), source_text = Intern("source_text"),
               target_text = Intern("target_text"), verb_text = Intern("verb_text"),
               offsets = Intern("offsets"), verb = Intern("verb"), pattern = Intern("pattern"),
               pattern_origin = Intern("pattern_origin"), entries = Intern("entries"),
               modality = Intern("modality"), issues = Intern("issues");
    static py::object Intern(const char* s) {
      return py::reinterpret_steal<py::object>(PyUnicode_InternFromString(s));
    }
  };

  static void Set(py::dict& d, const py::object& key, const py::object& value) {
    if (PyDict_SetItem(d.ptr(), key.ptr(), value.ptr()) != 0) throw py::error_already_set();
  }

  static py::list SpanList(const dyad::Span& s) {
    py::list l(2);
    PyList_SET_ITEM(l.ptr(), 0, PyLong_FromUnsignedLong(s.begin));
    PyList_SET_ITEM(l.ptr(), 1, PyLong_FromUnsignedLong(s.end));
    return l;
  }

  const py::object& Repeated(const std::string& s) {
    auto it = cache_.find(s);
    if (it == cache_.end()) {
      if (cache_.size() > 100000) cache_.clear();  // bounded: unique texts gain nothing
      it = cache_.emplace(s, Str(s)).first;
    }
    return it->second;
  }

  py::list RepeatedList(const std::vector<std::string>& v) {
    py::list l(v.size());
    for (size_t i = 0; i < v.size(); ++i) l[i] = Repeated(v[i]);
    return l;
  }

  const Keys* keys_;
  std::unordered_map<std::string, py::object> cache_;
};

// str -> UTF-8 (a lone surrogate raises UnicodeEncodeError), bytes as is.
std::string Utf8(py::handle h) {
  if (PyUnicode_Check(h.ptr())) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(h.ptr(), &size);
    if (data == nullptr) throw py::error_already_set();
    return std::string(data, static_cast<size_t>(size));
  }
  char* data = nullptr;
  Py_ssize_t size = 0;
  if (PyBytes_AsStringAndSize(h.ptr(), &data, &size) != 0) throw py::error_already_set();
  return std::string(data, static_cast<size_t>(size));
}

std::string Prefix(const std::string& where) { return where.empty() ? "" : where + ": "; }

// A document's text: str (encoded as UTF-8) or UTF-8 bytes.
std::string ToText(py::handle h, const std::string& where) {
  if (!py::isinstance<py::str>(h) && !py::isinstance<py::bytes>(h))
    throw py::type_error(Prefix(where) + "text must be str or bytes, not " +
                         std::string(py::str(py::type::handle_of(h).attr("__name__"))));
  std::string text = Utf8(h);
  if (dyad::Status s = dyad::ValidateUtf8(text); !s.ok())
    throw py::value_error(Prefix(where) + "text: " + s.message());
  return text;
}

// None, "YYYY-MM-DD", or anything with strftime (datetime.date, datetime,
// pandas.Timestamp). A bad date is a ValueError, as in `dyad code --date`.
std::string ToDate(py::handle h, const std::string& where) {
  if (h.is_none()) return {};
  std::string s;
  if (py::isinstance<py::str>(h)) {
    s = Utf8(h);
    if (s.empty()) return {};
  } else if (py::hasattr(h, "strftime")) {
    s = Utf8(h.attr("strftime")("%Y-%m-%d"));
  } else {
    throw py::type_error(Prefix(where) + "date must be None, a 'YYYY-MM-DD' string or a date, not " +
                         std::string(py::str(py::type::handle_of(h).attr("__name__"))));
  }
  std::int32_t ymd = 0;
  if (!dyad::ParseIsoDate(s, &ymd))
    throw py::value_error(Prefix(where) + "bad date '" + s + "' (want YYYY-MM-DD)");
  return s;
}

// An id, url, title or source field: None -> "", str as is, else str(x).
std::string ToField(py::handle h) {
  if (h.is_none()) return {};
  if (py::isinstance<py::str>(h)) return Utf8(h);
  return Utf8(py::str(h));
}

// A document for code_many: a mapping with "text" (and optional "id",
// "date", "url", "title", "source") or an (id, date, text) tuple/list.
dyad::Document ToDocument(py::handle h, size_t index) {
  const std::string where = "document " + std::to_string(index);
  dyad::Document d;
  const bool mapping = py::isinstance<py::dict>(h) ||
                       (!py::isinstance<py::str>(h) && !py::isinstance<py::bytes>(h) &&
                        !py::isinstance<py::tuple>(h) && !py::isinstance<py::list>(h) &&
                        py::isinstance(h, py::module_::import("collections.abc").attr("Mapping")));
  if (mapping) {
    py::object get = h.attr("get");
    py::object text = get("text");
    if (text.is_none()) throw py::value_error(where + ": no \"text\"");
    d.id = ToField(get("id"));
    d.date = ToDate(get("date"), where + " (id '" + d.id + "')");
    d.text = ToText(text, where + " (id '" + d.id + "')");
    d.url = ToField(get("url"));
    d.title = ToField(get("title"));
    d.source = ToField(get("source"));
    return d;
  }
  if (py::isinstance<py::tuple>(h) || py::isinstance<py::list>(h)) {
    py::sequence seq = py::reinterpret_borrow<py::sequence>(h);
    if (seq.size() != 3)
      throw py::value_error(where + ": a tuple document is (id, date, text), got " +
                            std::to_string(seq.size()) + " items");
    d.id = ToField(seq[0]);
    d.date = ToDate(seq[1], where + " (id '" + d.id + "')");
    d.text = ToText(seq[2], where + " (id '" + d.id + "')");
    return d;
  }
  throw py::type_error(where + ": a document is a dict with \"text\" (and \"id\", \"date\") or an "
                       "(id, date, text) tuple, not " +
                       std::string(py::str(py::type::handle_of(h).attr("__name__"))));
}

using dyad::pipeline::ParallelFor;

size_t ThreadCount(std::optional<int> threads) {
  if (threads && *threads < 0) throw py::value_error("threads must be >= 0 (0 or None: one per core)");
  if (threads && *threads > 0) return static_cast<size_t>(*threads);
  return std::max(1u, std::thread::hardware_concurrency());
}

// Dictionaries are immutable and shared: Coder objects made for the same
// unchanged directory (e.g. by unpickling on a Dask worker) load it once.
// The key names every dictionary file with its size and modification time,
// so an edited dictionary is loaded afresh.
dyad::Result<std::shared_ptr<const dyad::Dictionary>> LoadDictionary(const std::string& dir) {
  auto files = dyad::Dictionary::FindFiles(dir);
  if (!files.ok()) return files.status();
  std::string key;
  for (const auto* list : {&files->verbs, &files->actors, &files->agents, &files->discards, &files->issues}) {
    for (const auto& f : *list) {
      std::error_code ec;
      const auto size = std::filesystem::file_size(f, ec);
      const auto mtime = std::filesystem::last_write_time(f, ec).time_since_epoch().count();
      key += f + "\t" + std::to_string(size) + "\t" + std::to_string(mtime) + "\n";
    }
    key += "--\n";
  }
  static std::mutex mu;
  static auto* cache = new std::map<std::string, std::weak_ptr<const dyad::Dictionary>>();
  {
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = cache->find(key); it != cache->end())
      if (auto dict = it->second.lock()) return dict;
  }
  auto dict = dyad::Dictionary::Load(files.value());
  if (!dict.ok()) return dict.status();
  std::lock_guard<std::mutex> lock(mu);
  for (auto it = cache->begin(); it != cache->end();) it = it->second.expired() ? cache->erase(it) : std::next(it);
  (*cache)[key] = dict.value();
  return dict.value();
}

// Turns Python's cyclic garbage collector off while many event dicts are
// built (they hold no cycles): with it on, a collection runs every few
// hundred allocations and walks everything still alive, which costs more
// than the coding itself for a large result.
class NoGcScope {
 public:
  NoGcScope() : was_enabled_(PyGC_Disable() != 0) {}
  ~NoGcScope() {
    if (was_enabled_) PyGC_Enable();
  }
  NoGcScope(const NoGcScope&) = delete;
  NoGcScope& operator=(const NoGcScope&) = delete;

 private:
  bool was_enabled_;
};

struct JsonlResult {
  std::string jsonl;
  std::vector<dyad::ReadError> errors;
  size_t documents = 0;
  size_t events = 0;
};

py::dict JsonlResultToDict(const JsonlResult& r) {
  py::dict d;
  d["jsonl"] = py::bytes(r.jsonl);
  py::list errors;
  for (const auto& e : r.errors) errors.append(py::make_tuple(Str(e.where), Str(e.message)));
  d["errors"] = errors;
  d["documents"] = py::int_(r.documents);
  d["events"] = py::int_(r.events);
  return d;
}

class PyCoder {
 public:
  // dict_dir: None for the default directory, else a path (kept absolute so
  // that a pickled coder means the same directory wherever it is loaded).
  explicit PyCoder(const py::object& dict_dir) {
    if (!dict_dir.is_none()) {
      std::string path = Utf8(py::module_::import("os").attr("fsencode")(dict_dir));
      std::error_code ec;
      auto abs = std::filesystem::absolute(path, ec);
      dict_dir_arg_ = ec ? path : abs.lexically_normal().string();
      if (dict_dir_arg_->size() > 1 && dict_dir_arg_->back() == '/') dict_dir_arg_->pop_back();
    }
    dict_dir_ = dict_dir_arg_ ? *dict_dir_arg_ : DefaultDictDir();
    dyad::Result<std::unique_ptr<dyad::Coder>> coder = dyad::Status();
    {
      py::gil_scoped_release release;
      auto dict = LoadDictionary(dict_dir_);
      coder = dict.ok() ? dyad::Coder::Create(dict.value(), {}) : dyad::Result<std::unique_ptr<dyad::Coder>>(dict.status());
    }
    if (!coder.ok()) ThrowStatus(coder.status());
    coder_ = std::move(coder.value());
  }

  py::list Code(const py::handle& text, const py::handle& date, const py::handle& doc_id) const {
    dyad::Document doc;
    doc.id = ToField(doc_id);
    doc.date = ToDate(date, "");
    doc.text = ToText(text, "");
    std::vector<dyad::Event> events;
    {
      py::gil_scoped_release release;
      events = coder_->CodeDocument(doc);
    }
    EventConverter convert;
    py::list out(events.size());
    for (size_t i = 0; i < events.size(); ++i) out[i] = convert(events[i]);
    return out;
  }

  py::list CodeMany(const py::iterable& docs, std::optional<int> threads) const {
    std::vector<dyad::Document> in;
    size_t index = 0;
    for (py::handle h : docs) in.push_back(ToDocument(h, index++));
    const size_t n_threads = ThreadCount(threads);
    std::vector<std::vector<dyad::Event>> out(in.size());
    {
      py::gil_scoped_release release;
      ParallelFor(in.size(), n_threads, [&](size_t i) { out[i] = coder_->CodeDocument(in[i]); });
    }
    size_t total = 0;
    for (const auto& doc_events : out) total += doc_events.size();
    NoGcScope no_gc;
    EventConverter convert;
    py::list events(total);
    size_t k = 0;
    for (auto& doc_events : out) {
      for (const auto& e : doc_events) events[k++] = convert(e);
      std::vector<dyad::Event>().swap(doc_events);
    }
    return events;
  }

  py::dict Explain(const py::handle& sentence, const py::handle& date) const {
    // As `dyad explain`: one document with id "explain".
    dyad::Document doc;
    doc.id = "explain";
    doc.date = ToDate(date, "");
    doc.text = ToText(sentence, "");
    dyad::Trace trace;
    std::vector<dyad::Event> events;
    {
      py::gil_scoped_release release;
      events = coder_->CodeDocument(doc, &trace);
    }
    py::dict d;
    d["sentence"] = Str(doc.text);
    d["date"] = StrOrNone(doc.date);
    d["trace"] = StrList(trace.lines);
    EventConverter convert;
    py::list ev(events.size());
    for (size_t i = 0; i < events.size(); ++i) ev[i] = convert(events[i]);
    d["events"] = ev;
    return d;
  }

  // A JSON Lines file read exactly as `dyad code --input-format jsonl FILE`
  // reads it (dyad::ReadDocuments), coded on `threads` threads; the events
  // as `dyad code` prints them.
  py::dict CodeJsonlFile(const py::object& path_obj, const py::handle& date, std::optional<int> threads) const {
    const std::string path = Utf8(py::module_::import("os").attr("fsencode")(path_obj));
    dyad::ReadOptions ro;
    ro.format = dyad::InputFormat::kJsonl;
    ro.default_date = ToDate(date, "");
    const size_t n_threads = threads ? ThreadCount(threads) : 1;
    JsonlResult r;
    dyad::Status status;
    {
      py::gil_scoped_release release;
      std::vector<dyad::Document> docs;
      status = dyad::ReadDocuments(path, ro, [&](dyad::Document d) { docs.push_back(std::move(d)); }, &r.errors);
      if (status.ok()) CodeInto(docs, n_threads, &r);
    }
    if (!status.ok()) ThrowStatus(status);
    return JsonlResultToDict(r);
  }

  // The same for JSON Lines already in memory (e.g. a decompressed .gz
  // shard): `name` stands for the file in "name:line" locations and in the
  // ids of records without one, as the path does for a file.
  py::dict CodeJsonlBytes(const py::bytes& data, const std::string& name, const py::handle& date,
                          std::optional<int> threads) const {
    const std::string default_date = ToDate(date, "");
    const size_t n_threads = threads ? ThreadCount(threads) : 1;
    char* buffer = nullptr;
    Py_ssize_t length = 0;
    if (PyBytes_AsStringAndSize(data.ptr(), &buffer, &length) != 0) throw py::error_already_set();
    const std::string_view all(buffer, static_cast<size_t>(length));
    JsonlResult r;
    {
      py::gil_scoped_release release;
      const size_t max_bytes = dyad::ReadOptions{}.max_document_bytes;
      std::vector<dyad::Document> docs;
      size_t pos = 0;
      int number = 0;
      // The loop of ReadDocuments' JSON Lines branch (std::getline lines).
      while (pos < all.size()) {
        size_t end = all.find('\n', pos);
        if (end == std::string_view::npos) end = all.size();
        const std::string_view line = all.substr(pos, end - pos);
        pos = end + 1;
        ++number;
        const std::string where = name + ":" + std::to_string(number);
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        if (line.size() > max_bytes) {
          r.errors.push_back({where, "record larger than " + std::to_string(max_bytes) + " bytes"});
          continue;
        }
        auto doc = dyad::ParseJsonDocument(line, default_date);
        if (!doc.ok()) { r.errors.push_back({where, doc.status().message()}); continue; }
        if (auto s = dyad::ValidateUtf8(doc->text); !s.ok()) {
          r.errors.push_back({where, s.message()});
          continue;
        }
        if (doc->id.empty()) doc->id = where;
        docs.push_back(std::move(doc.value()));
      }
      CodeInto(docs, n_threads, &r);
    }
    return JsonlResultToDict(r);
  }

  const std::string& dict_dir() const { return dict_dir_; }
  const std::optional<std::string>& dict_dir_arg() const { return dict_dir_arg_; }

  py::dict Stats() const {
    const dyad::DictionaryStats& s = coder_->dictionary().stats();
    py::dict d;
    d["verb_blocks"] = s.verb_blocks;
    d["verb_forms"] = s.verb_forms;
    d["verb_patterns"] = s.verb_patterns;
    d["synsets"] = s.synsets;
    d["actor_entries"] = s.actor_entries;
    d["actor_phrases"] = s.actor_phrases;
    d["agent_phrases"] = s.agent_phrases;
    d["discard_phrases"] = s.discard_phrases;
    d["issue_phrases"] = s.issue_phrases;
    d["vocabulary"] = s.vocabulary;
    d["warnings"] = StrList(s.warnings);
    return d;
  }

 private:
  // Codes `docs` in order into r (called without the GIL).
  void CodeInto(const std::vector<dyad::Document>& docs, size_t threads, JsonlResult* r) const {
    std::vector<std::string> lines(docs.size());
    std::vector<size_t> counts(docs.size());
    ParallelFor(docs.size(), threads, [&](size_t i) {
      for (const auto& e : coder_->CodeDocument(docs[i])) {
        lines[i] += dyad::EventToJson(e);
        lines[i] += '\n';
        ++counts[i];
      }
    });
    r->documents += docs.size();
    for (size_t i = 0; i < docs.size(); ++i) {
      r->jsonl += lines[i];
      r->events += counts[i];
    }
  }

  std::optional<std::string> dict_dir_arg_;
  std::string dict_dir_;
  std::unique_ptr<dyad::Coder> coder_;
};

py::object CameoEntry(const std::string& code) {
  const dyad::CameoCode* c = dyad::CameoTable::Builtin().Find(code);
  if (c == nullptr) return py::none();
  py::dict d;
  d["code"] = Str(c->code);
  d["name"] = Str(c->name);
  d["goldstein"] = c->goldstein;
  d["quad_class"] = c->quad_class;
  d["plover"] = StrOrNone(c->plover);
  return d;
}

}  // namespace

PYBIND11_MODULE(_dyad, m) {
  m.doc() = "dyad: political event coding (CAMEO events with evidence) from English news text.";
  m.attr("__version__") = DYAD_VERSION;

  py::class_<PyCoder>(m, "Coder", R"doc(
An event coder over one dictionary directory.

Coder(dict_dir=None): dict_dir is a directory of PETRARCH-format dictionaries;
None means the bundled data/dict, found as the CLI finds it ($DYAD_DICT_DIR,
else the source tree's data/dict). A missing directory raises
FileNotFoundError, a malformed dictionary line ValueError("file:line: ...").
Coders are immutable, thread-safe and picklable (a pickled coder is its
dictionary path; None stays None and means the loading machine's default).
)doc")
      .def(py::init<py::object>(), py::arg("dict_dir") = py::none())
      .def("code", &PyCoder::Code, py::arg("text"), py::arg("date") = py::none(), py::arg("doc_id") = py::none(),
           R"doc(
Codes one document; returns its events as dicts with the keys of `dyad code`'s
JSON output (doc_id, date, source, target, code, root, quad_class, goldstein,
plover, sentence, sentence_index, source_text, target_text, verb_text, offsets,
pattern, pattern_origin, entries; modality and issues when set). Offsets are
UTF-8 byte offsets into `text`. date: None, 'YYYY-MM-DD' or a datetime.date;
a bad date raises ValueError.
)doc")
      .def("code_many", &PyCoder::CodeMany, py::arg("docs"), py::arg("threads") = py::none(),
           R"doc(
Codes many documents on `threads` threads (None or 0: one per core) with the
GIL released. docs: an iterable of dicts with "text" and optional "id", "date",
"url", "title", "source", or of (id, date, text) tuples. Returns one flat list
of events, documents in input order and each document's events in the order
code() gives them. A bad document raises before anything is coded, naming its
position ("document 3 (id 'x'): bad date ...").
)doc")
      .def("explain", &PyCoder::Explain, py::arg("sentence"), py::arg("date") = py::none(),
           R"doc(
How a text is coded, as `dyad explain` shows it: a dict with "sentence", "date",
"trace" (the step-by-step lines: tokens, actors, verbs, patterns) and "events".
)doc")
      .def("code_jsonl_file", &PyCoder::CodeJsonlFile, py::arg("path"), py::arg("date") = py::none(),
           py::arg("threads") = 1,
           R"doc(
Reads a JSON Lines file exactly as `dyad code --input-format jsonl FILE` does and
codes it. Returns {"jsonl": bytes (the events as `dyad code` prints them),
"errors": [(where, message)] for bad records ("FILE:LINE"), "documents": int,
"events": int}. A file that cannot be opened raises FileNotFoundError.
)doc")
      .def("code_jsonl_bytes", &PyCoder::CodeJsonlBytes, py::arg("data"), py::arg("name"),
           py::arg("date") = py::none(), py::arg("threads") = 1,
           R"doc(
As code_jsonl_file for JSON Lines held in memory (e.g. a decompressed .gz
shard); `name` stands for the file in error locations and default ids.
)doc")
      .def_property_readonly("dict_dir", &PyCoder::dict_dir, "The dictionary directory in use.")
      .def_property_readonly("dictionary_stats", &PyCoder::Stats,
                             "Sizes of the loaded dictionaries and their warnings.")
      .def("__repr__",
           [](const PyCoder& c) {
             return "dyad.Coder(" + std::string(py::repr(py::str(c.dict_dir()))) + ")";
           })
      .def(py::pickle(
          [](const PyCoder& c) {
            return py::make_tuple(c.dict_dir_arg() ? py::object(py::str(*c.dict_dir_arg())) : py::object(py::none()));
          },
          [](const py::tuple& t) {
            if (t.size() != 1) throw std::runtime_error("bad pickled dyad.Coder state");
            return PyCoder(t[0]);
          }));

  m.def("default_dict_dir", &DefaultDictDir,
        "The dictionary directory Coder() uses: $DYAD_DICT_DIR, else the bundled data/dict.");
  m.def("country_of", &dyad::CountryOf, py::arg("actor_code"),
        "Country part of an actor code: 'RUSCOP' -> 'RUS', 'IGOUNOHCR' -> 'IGOUNO'.");
  m.def("cameo", &CameoEntry, py::arg("code"),
        "The CAMEO table's entry for a code (name, goldstein, quad_class, plover), or None.");
}

// WatchConfig from TOML (docs/watch.md, "Configuration").
//
// toml11 parses the file into values that remember their source line, and
// throws on syntax errors. Everything here is caught and turned into an
// InvalidArgument whose `where` is "file:line" and whose message starts with
// the key ("source[2].url: ..."). Validation is strict: unknown keys are
// errors too, since a misspelt key would otherwise be silently ignored for
// months in a long-running watch.
#include <toml.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <exception>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/watch.h"

namespace dyad::watch {
namespace {

// An error while reading one value: the key path and what is wrong. Thrown
// inside this file only; ParseWatchConfig catches it.
struct ConfigError {
  std::uint32_t line;
  std::string key;
  std::string message;
};

[[noreturn]] void Fail(const toml::value& at, const std::string& key, const std::string& msg) {
  throw ConfigError{at.location().line(), key, msg};
}

const char* TypeName(const toml::value& v) {
  if (v.is_string()) return "a string";
  if (v.is_integer()) return "an integer";
  if (v.is_floating()) return "a number";
  if (v.is_boolean()) return "a boolean";
  if (v.is_array()) return "an array";
  if (v.is_table()) return "a table";
  return "a date/time";
}

std::string Str(const toml::value& v, const std::string& key) {
  if (!v.is_string()) Fail(v, key, std::string("expected a string, got ") + TypeName(v));
  return v.as_string().str;
}

double Number(const toml::value& v, const std::string& key) {
  if (v.is_integer()) return static_cast<double>(v.as_integer());
  if (v.is_floating()) return v.as_floating();
  Fail(v, key, std::string("expected a number, got ") + TypeName(v));
}

std::int64_t Integer(const toml::value& v, const std::string& key) {
  if (!v.is_integer()) Fail(v, key, std::string("expected an integer, got ") + TypeName(v));
  return v.as_integer();
}

bool Bool(const toml::value& v, const std::string& key) {
  if (!v.is_boolean()) Fail(v, key, std::string("expected true or false, got ") + TypeName(v));
  return v.as_boolean();
}

std::vector<std::string> Strings(const toml::value& v, const std::string& key) {
  if (!v.is_array()) Fail(v, key, std::string("expected an array of strings, got ") + TypeName(v));
  std::vector<std::string> out;
  std::size_t i = 0;
  for (const toml::value& x : v.as_array()) {
    std::string k = key;
    k.append("[").append(std::to_string(i++)).append("]");
    out.push_back(Str(x, k));
  }
  return out;
}

const toml::value& Table(const toml::value& v, const std::string& key) {
  if (!v.is_table()) Fail(v, key, std::string("expected a table, got ") + TypeName(v));
  return v;
}

// Array of tables ([[source]]); a single table is not accepted.
const toml::array& Tables(const toml::value& v, const std::string& key) {
  if (!v.is_array()) {
    Fail(v, key, std::string("expected an array of tables ([[") + key + "]]), got " + TypeName(v));
  }
  std::size_t i = 0;
  for (const toml::value& x : v.as_array()) {
    std::string k = key;
    k.append("[").append(std::to_string(i++)).append("]");
    Table(x, k);
  }
  return v.as_array();
}

std::string Join(const std::string& prefix, const std::string& key) {
  if (prefix.empty()) return key;
  std::string out = prefix;
  out.append(".").append(key);
  return out;
}

void RejectUnknown(const toml::value& table, const std::string& prefix,
                   std::initializer_list<std::string_view> known) {
  for (const auto& [k, v] : table.as_table()) {
    bool ok = false;
    for (std::string_view n : known) ok = ok || n == k;
    if (!ok) Fail(v, Join(prefix, k), "unknown key");
  }
}

bool IsHttpUrl(const std::string& url) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (url.size() > scheme.size() && url.compare(0, scheme.size(), scheme) == 0) {
      return url.find_first_of(" \t\r\n") == std::string::npos && url[scheme.size()] != '/';
    }
  }
  return false;
}

bool IsCountry(std::string_view code) {
  if (code.size() != 3) return false;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

// "15m", "1h", "30s", "2d", "90" (seconds) or a number of seconds.
double Interval(const toml::value& v, const std::string& key) {
  double seconds = 0;
  if (v.is_integer() || v.is_floating()) {
    seconds = Number(v, key);
  } else {
    std::string s = Str(v, key);
    double unit = 1;
    std::string digits = s;
    if (!s.empty()) {
      switch (s.back()) {
        case 's': unit = 1; digits.pop_back(); break;
        case 'm': unit = 60; digits.pop_back(); break;
        case 'h': unit = 3600; digits.pop_back(); break;
        case 'd': unit = 86400; digits.pop_back(); break;
        default: break;
      }
    }
    bool ok = !digits.empty();
    bool dot = false;
    for (char c : digits) {
      if (c == '.' && !dot) {
        dot = true;
      } else if (c < '0' || c > '9') {
        ok = false;
      }
    }
    if (!ok) Fail(v, key, "expected a duration like \"30s\", \"15m\", \"1h\", \"1d\" or seconds");
    seconds = std::stod(digits) * unit;
  }
  if (!(seconds > 0) || !std::isfinite(seconds)) Fail(v, key, "must be greater than 0");
  return seconds;
}

// "UZB-RUS".
DyadWatch ParseDyad(const toml::value& v, const std::string& key) {
  std::string s = Str(v, key);
  if (s.size() != 7 || s[3] != '-' || !IsCountry(s.substr(0, 3)) || !IsCountry(s.substr(4))) {
    Fail(v, key, "expected two 3-letter capital country codes like \"UZB-RUS\", got \"" + s + "\"");
  }
  if (s.substr(0, 3) == s.substr(4)) Fail(v, key, "a dyad needs two different countries");
  return {s.substr(0, 3), s.substr(4)};
}

// "UZB in RUS".
PopulationWatch ParsePopulation(const toml::value& v, const std::string& key) {
  std::string s = Str(v, key);
  if (s.size() != 10 || s.compare(3, 4, " in ") != 0 || !IsCountry(s.substr(0, 3)) ||
      !IsCountry(s.substr(7))) {
    Fail(v, key, "expected \"AAA in BBB\" with 3-letter capital country codes, got \"" + s + "\"");
  }
  if (s.substr(0, 3) == s.substr(7)) Fail(v, key, "a population lives in another country");
  return {s.substr(0, 3), s.substr(7)};
}

template <typename F>
void ForKey(const toml::value& table, const char* key, F&& f) {
  const toml::table& t = table.as_table();
  auto it = t.find(key);
  if (it != t.end()) f(it->second);
}

void ParseFetch(const toml::value& v, FetchPolicy* fetch) {
  const std::string p = "fetch";
  Table(v, p);
  RejectUnknown(v, p,
                {"user_agent", "timeout_seconds", "max_redirects", "max_bytes", "retries",
                 "backoff_seconds", "per_host_interval_seconds", "per_host_concurrency",
                 "max_concurrency", "respect_robots"});
  auto positive = [&](const toml::value& x, const std::string& k, double n, bool allow_zero) {
    if (!std::isfinite(n) || n < 0 || (!allow_zero && n == 0)) {
      Fail(x, k, allow_zero ? "must be 0 or more" : "must be greater than 0");
    }
  };
  ForKey(v, "user_agent", [&](const toml::value& x) {
    fetch->user_agent = Str(x, Join(p, "user_agent"));
    if (fetch->user_agent.empty() || fetch->user_agent.find_first_of("\r\n") != std::string::npos) {
      Fail(x, Join(p, "user_agent"), "must be one non-empty line");
    }
  });
  ForKey(v, "timeout_seconds", [&](const toml::value& x) {
    fetch->timeout_seconds = Number(x, Join(p, "timeout_seconds"));
    positive(x, Join(p, "timeout_seconds"), fetch->timeout_seconds, false);
  });
  ForKey(v, "max_redirects", [&](const toml::value& x) {
    std::int64_t n = Integer(x, Join(p, "max_redirects"));
    if (n < 0 || n > 50) Fail(x, Join(p, "max_redirects"), "must be 0-50");
    fetch->max_redirects = static_cast<int>(n);
  });
  ForKey(v, "max_bytes", [&](const toml::value& x) {
    fetch->max_bytes = Integer(x, Join(p, "max_bytes"));
    if (fetch->max_bytes <= 0) Fail(x, Join(p, "max_bytes"), "must be greater than 0");
  });
  ForKey(v, "retries", [&](const toml::value& x) {
    std::int64_t n = Integer(x, Join(p, "retries"));
    if (n < 0 || n > 20) Fail(x, Join(p, "retries"), "must be 0-20");
    fetch->retries = static_cast<int>(n);
  });
  ForKey(v, "backoff_seconds", [&](const toml::value& x) {
    fetch->backoff_seconds = Number(x, Join(p, "backoff_seconds"));
    positive(x, Join(p, "backoff_seconds"), fetch->backoff_seconds, true);
  });
  ForKey(v, "per_host_interval_seconds", [&](const toml::value& x) {
    fetch->per_host_interval_seconds = Number(x, Join(p, "per_host_interval_seconds"));
    positive(x, Join(p, "per_host_interval_seconds"), fetch->per_host_interval_seconds, true);
  });
  ForKey(v, "per_host_concurrency", [&](const toml::value& x) {
    std::int64_t n = Integer(x, Join(p, "per_host_concurrency"));
    if (n < 1 || n > 64) Fail(x, Join(p, "per_host_concurrency"), "must be 1-64");
    fetch->per_host_concurrency = static_cast<int>(n);
  });
  ForKey(v, "max_concurrency", [&](const toml::value& x) {
    std::int64_t n = Integer(x, Join(p, "max_concurrency"));
    if (n < 1 || n > 256) Fail(x, Join(p, "max_concurrency"), "must be 1-256");
    fetch->max_concurrency = static_cast<int>(n);
  });
  ForKey(v, "respect_robots", [&](const toml::value& x) {
    fetch->respect_robots = Bool(x, Join(p, "respect_robots"));
  });
}

// A required key of an array-of-tables entry; missing = error at the entry.
const toml::value& Required(const toml::value& table, const std::string& prefix, const char* key) {
  const toml::table& t = table.as_table();
  auto it = t.find(key);
  if (it == t.end()) Fail(table, Join(prefix, key), "missing");
  return it->second;
}

std::string Indexed(const char* name, std::size_t i) {
  std::string s = name;
  s.append("[").append(std::to_string(i)).append("]");
  return s;
}

void CheckName(const toml::value& v, const std::string& key, const std::string& name,
               std::set<std::string>* seen) {
  if (name.empty()) Fail(v, key, "must not be empty");
  if (name.find_first_of("\r\n\t") != std::string::npos) Fail(v, key, "must be one line");
  if (!seen->insert(name).second) Fail(v, key, "duplicate name \"" + name + "\"");
}

SourceConfig ParseSource(const toml::value& v, const std::string& p, std::set<std::string>* names) {
  RejectUnknown(v, p, {"name", "kind", "url", "link_pattern", "interval", "lang", "tags"});
  SourceConfig s;
  const toml::value& name = Required(v, p, "name");
  s.name = Str(name, Join(p, "name"));
  CheckName(name, Join(p, "name"), s.name, names);
  const toml::value& kind = Required(v, p, "kind");
  s.kind = Str(kind, Join(p, "kind"));
  if (s.kind != "feed" && s.kind != "page" && s.kind != "telegram" && s.kind != "folder") {
    Fail(kind, Join(p, "kind"),
         "unknown kind \"" + s.kind + "\" (expected feed, page, telegram or folder)");
  }
  const toml::value& url = Required(v, p, "url");
  s.url = Str(url, Join(p, "url"));
  if (s.kind == "folder") {
    if (s.url.empty()) Fail(url, Join(p, "url"), "a folder source needs a directory path");
  } else if (!IsHttpUrl(s.url)) {
    Fail(url, Join(p, "url"), "expected an http:// or https:// URL, got \"" + s.url + "\"");
  }
  ForKey(v, "link_pattern", [&](const toml::value& x) {
    s.link_pattern = Str(x, Join(p, "link_pattern"));
    try {
      std::regex re(s.link_pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      Fail(x, Join(p, "link_pattern"), std::string("not a valid regular expression: ") + e.what());
    }
  });
  if (s.kind == "page" && s.link_pattern.empty()) {
    Fail(v, Join(p, "link_pattern"), "a page source needs a link_pattern for its article links");
  }
  if (s.kind != "page" && !s.link_pattern.empty()) {
    Fail(v.as_table().at("link_pattern"), Join(p, "link_pattern"),
         "only page sources have a link_pattern");
  }
  ForKey(v, "interval",
         [&](const toml::value& x) { s.interval_seconds = Interval(x, Join(p, "interval")); });
  ForKey(v, "lang", [&](const toml::value& x) {
    s.lang = Str(x, Join(p, "lang"));
    bool ok = s.lang.size() >= 2 && s.lang.size() <= 3;
    for (char c : s.lang) ok = ok && c >= 'a' && c <= 'z';
    if (!s.lang.empty() && !ok) {
      Fail(x, Join(p, "lang"), "expected a 2- or 3-letter lower-case language code like \"ru\"");
    }
  });
  ForKey(v, "tags", [&](const toml::value& x) { s.tags = Strings(x, Join(p, "tags")); });
  return s;
}

AlertRule ParseRule(const toml::value& v, const std::string& p, std::set<std::string>* names) {
  RejectUnknown(v, p, {"name", "kind", "dyad", "population", "codes", "days", "ratio", "notify"});
  AlertRule r;
  const toml::value& name = Required(v, p, "name");
  r.name = Str(name, Join(p, "name"));
  CheckName(name, Join(p, "name"), r.name, names);
  const toml::value& kind = Required(v, p, "kind");
  r.kind = Str(kind, Join(p, "kind"));
  if (r.kind != "spike" && r.kind != "codes" && r.kind != "unanswered") {
    Fail(kind, Join(p, "kind"),
         "unknown kind \"" + r.kind + "\" (expected spike, codes or unanswered)");
  }
  ForKey(v, "dyad", [&](const toml::value& x) {
    DyadWatch d = ParseDyad(x, Join(p, "dyad"));
    r.dyad = d.a + "-" + d.b;
  });
  ForKey(v, "population", [&](const toml::value& x) {
    PopulationWatch w = ParsePopulation(x, Join(p, "population"));
    r.population = w.of + " in " + w.in;
  });
  if (!r.dyad.empty() && !r.population.empty()) {
    Fail(v, Join(p, "population"), "a rule watches a dyad or a population, not both");
  }
  if (r.kind == "unanswered" && !r.population.empty()) {
    Fail(v.as_table().at("population"), Join(p, "population"),
         "an unanswered rule is about a dyad");
  }
  ForKey(v, "codes", [&](const toml::value& x) {
    r.codes = Strings(x, Join(p, "codes"));
    for (std::size_t i = 0; i < r.codes.size(); ++i) {
      const std::string& c = r.codes[i];
      bool ok = !c.empty() && c.size() <= 4;
      for (char ch : c) ok = ok && ch >= '0' && ch <= '9';
      if (!ok) {
        Fail(x.as_array()[i], Join(p, "codes") + "[" + std::to_string(i) + "]",
             "expected a CAMEO code prefix of 1-4 digits like \"173\" or \"18\", got \"" + c +
                 "\"");
      }
    }
  });
  if (r.kind == "codes" && r.codes.empty()) Fail(v, Join(p, "codes"), "a codes rule needs codes");
  if (r.kind != "codes" && !r.codes.empty()) {
    Fail(v.as_table().at("codes"), Join(p, "codes"), "only codes rules have codes");
  }
  ForKey(v, "days", [&](const toml::value& x) {
    std::int64_t d = Integer(x, Join(p, "days"));
    if (d < 1 || d > 3650) Fail(x, Join(p, "days"), "must be 1-3650");
    r.days = static_cast<int>(d);
  });
  ForKey(v, "ratio", [&](const toml::value& x) {
    r.ratio = Number(x, Join(p, "ratio"));
    if (!(r.ratio >= 1 && r.ratio <= 100)) Fail(x, Join(p, "ratio"), "must be 1-100");
  });
  ForKey(v, "notify", [&](const toml::value& x) { r.notify = Strings(x, Join(p, "notify")); });
  return r;
}

NotifierConfig ParseNotifier(const toml::value& v, const std::string& p,
                             std::set<std::string>* names) {
  RejectUnknown(v, p, {"name", "kind", "url", "from", "to", "username", "password_env", "path"});
  NotifierConfig n;
  const toml::value& name = Required(v, p, "name");
  n.name = Str(name, Join(p, "name"));
  CheckName(name, Join(p, "name"), n.name, names);
  const toml::value& kind = Required(v, p, "kind");
  n.kind = Str(kind, Join(p, "kind"));
  if (n.kind != "webhook" && n.kind != "smtp" && n.kind != "atom") {
    Fail(kind, Join(p, "kind"), "unknown kind \"" + n.kind + "\" (expected webhook, smtp or atom)");
  }
  auto opt = [&](const char* key, std::string* out) {
    ForKey(v, key, [&](const toml::value& x) {
      *out = Str(x, Join(p, key));
      if (out->find_first_of("\r\n") != std::string::npos) Fail(x, Join(p, key), "must be one line");
    });
  };
  opt("url", &n.url);
  opt("from", &n.from);
  opt("to", &n.to);
  opt("username", &n.username);
  opt("password_env", &n.password_env);
  opt("path", &n.path);
  auto only = [&](const char* key, const char* kind_name) {
    const toml::table& t = v.as_table();
    auto it = t.find(key);
    if (it != t.end()) {
      Fail(it->second, Join(p, key), std::string("not a key of ") + kind_name + " notifiers");
    }
  };
  auto need = [&](const char* key, const std::string& value) {
    if (value.empty()) {
      const toml::table& t = v.as_table();
      auto it = t.find(key);
      Fail(it == t.end() ? v : it->second, Join(p, key),
           "missing (" + n.kind + " notifiers need it)");
    }
  };
  auto email = [&](const char* key, const std::string& value) {
    need(key, value);
    std::size_t at = value.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == value.size() ||
        value.find_first_of(" <>,") != std::string::npos) {
      Fail(v.as_table().at(key), Join(p, key), "expected one address like \"a@example.org\"");
    }
  };
  if (n.kind == "webhook") {
    need("url", n.url);
    if (!IsHttpUrl(n.url)) {
      Fail(v.as_table().at("url"), Join(p, "url"),
           "expected an http:// or https:// URL, got \"" + n.url + "\"");
    }
    for (const char* k : {"from", "to", "username", "password_env", "path"}) only(k, "smtp/atom");
  } else if (n.kind == "smtp") {
    need("url", n.url);
    bool ok = false;
    for (std::string_view scheme : {"smtp://", "smtps://"}) {
      ok = ok || (n.url.size() > scheme.size() && n.url.compare(0, scheme.size(), scheme) == 0 &&
                  n.url.find(' ') == std::string::npos);
    }
    if (!ok) {
      Fail(v.as_table().at("url"), Join(p, "url"),
           "expected smtp://host:port or smtps://host:port, got \"" + n.url + "\"");
    }
    email("from", n.from);
    email("to", n.to);
    if (!n.password_env.empty() && n.username.empty()) {
      Fail(v.as_table().at("password_env"), Join(p, "password_env"), "needs a username");
    }
    only("path", "atom");
  } else {
    need("path", n.path);
    for (const char* k : {"url", "from", "to", "username", "password_env"}) only(k, "webhook/smtp");
  }
  return n;
}

WatchConfig ParseRoot(const toml::value& root, const std::string& origin) {
  WatchConfig c;
  c.path = origin;
  RejectUnknown(root, "",
                {"fetch", "source", "dyads", "populations", "rule", "notifier", "dashboard_url"});
  ForKey(root, "fetch", [&](const toml::value& x) { ParseFetch(x, &c.fetch); });
  ForKey(root, "dashboard_url", [&](const toml::value& x) {
    c.dashboard_url = Str(x, "dashboard_url");
    if (!IsHttpUrl(c.dashboard_url)) {
      Fail(x, "dashboard_url", "expected an http:// or https:// URL, got \"" + c.dashboard_url + "\"");
    }
  });
  std::set<std::string> source_names, rule_names, notifier_names;
  ForKey(root, "source", [&](const toml::value& x) {
    std::size_t i = 0;
    for (const toml::value& s : Tables(x, "source")) {
      c.sources.push_back(ParseSource(s, Indexed("source", i++), &source_names));
    }
  });
  ForKey(root, "dyads", [&](const toml::value& x) {
    if (!x.is_array()) Fail(x, "dyads", "expected an array of \"AAA-BBB\" strings");
    std::set<std::string> seen;
    std::size_t i = 0;
    for (const toml::value& d : x.as_array()) {
      std::string key = Indexed("dyads", i++);
      DyadWatch w = ParseDyad(d, key);
      std::string norm = std::min(w.a, w.b) + "-" + std::max(w.a, w.b);
      if (!seen.insert(norm).second) Fail(d, key, "duplicate dyad");
      c.dyads.push_back(w);
    }
  });
  ForKey(root, "populations", [&](const toml::value& x) {
    if (!x.is_array()) Fail(x, "populations", "expected an array of \"AAA in BBB\" strings");
    std::set<std::string> seen;
    std::size_t i = 0;
    for (const toml::value& d : x.as_array()) {
      std::string key = Indexed("populations", i++);
      PopulationWatch w = ParsePopulation(d, key);
      if (!seen.insert(w.of + w.in).second) Fail(d, key, "duplicate population");
      c.populations.push_back(w);
    }
  });
  // Notifiers before rules, so a rule's notify list can be checked.
  ForKey(root, "notifier", [&](const toml::value& x) {
    std::size_t i = 0;
    std::set<std::string> atom_paths;
    for (const toml::value& n : Tables(x, "notifier")) {
      std::string p = Indexed("notifier", i++);
      c.notifiers.push_back(ParseNotifier(n, p, &notifier_names));
      const NotifierConfig& nc = c.notifiers.back();
      if (nc.kind == "atom" && !atom_paths.insert(nc.path).second) {
        Fail(n.as_table().at("path"), Join(p, "path"), "another atom notifier writes this file");
      }
    }
  });
  ForKey(root, "rule", [&](const toml::value& x) {
    std::size_t i = 0;
    for (const toml::value& r : Tables(x, "rule")) {
      std::string p = Indexed("rule", i++);
      c.rules.push_back(ParseRule(r, p, &rule_names));
      const AlertRule& rule = c.rules.back();
      for (std::size_t j = 0; j < rule.notify.size(); ++j) {
        if (notifier_names.count(rule.notify[j]) == 0) {
          Fail(r.as_table().at("notify").as_array()[j], Join(p, "notify") + "[" + std::to_string(j) + "]",
               "no notifier named \"" + rule.notify[j] + "\"");
        }
      }
      if (rule.dyad.empty() && rule.population.empty() && c.dyads.empty() &&
          (rule.kind == "unanswered" || c.populations.empty())) {
        Fail(r, Join(p, "dyad"),
             "the rule names no dyad or population and none are watched (dyads, populations)");
      }
    }
  });
  return c;
}

}  // namespace

Result<WatchConfig> ParseWatchConfig(const std::string& toml_text, const std::string& origin) {
  try {
    std::istringstream in(toml_text);
    toml::value root = toml::parse(in, origin);
    return ParseRoot(root, origin);
  } catch (const ConfigError& e) {
    return InvalidArgument(e.key + ": " + e.message, origin + ":" + std::to_string(e.line));
  } catch (const toml::exception& e) {
    // toml11's message: "[error] what\n --> file\n   | ..."; keep its first line.
    std::string msg = e.what();
    if (msg.rfind("[error] ", 0) == 0) msg.erase(0, 8);
    std::size_t nl = msg.find('\n');
    if (nl != std::string::npos) msg.resize(nl);
    msg.insert(0, "TOML syntax: ");
    return InvalidArgument(msg, origin + ":" + std::to_string(e.location().line()));
  } catch (const std::exception& e) {
    return InvalidArgument(std::string("TOML: ") + e.what(), origin);
  }
}

Result<WatchConfig> LoadWatchConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open the watch configuration", path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return IoError("cannot read the watch configuration", path);
  return ParseWatchConfig(text.str(), path);
}

std::string AlertRuleToJson(const AlertRule& r) {
  nlohmann::json j = {{"name", r.name}, {"kind", r.kind}, {"days", r.days}};
  if (!r.dyad.empty()) j["dyad"] = r.dyad;
  if (!r.population.empty()) j["population"] = r.population;
  if (!r.codes.empty()) j["codes"] = r.codes;
  if (r.kind == "spike") j["ratio"] = r.ratio;
  if (!r.notify.empty()) j["notify"] = r.notify;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The JSON object becomes the TOML table a [[rule]] would be, so a saved
// rule passes exactly the checks of one in the configuration file.
Result<AlertRule> AlertRuleFromJson(std::string_view json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return InvalidArgument("rule: expected a JSON object");
  toml::table t;
  for (const auto& [key, v] : j.items()) {
    if (v.is_string()) {
      t[key] = v.get<std::string>();
    } else if (v.is_number_integer()) {
      t[key] = v.get<std::int64_t>();
    } else if (v.is_number()) {
      t[key] = v.get<double>();
    } else if (v.is_array()) {
      toml::array a;
      for (const nlohmann::json& x : v) {
        if (!x.is_string()) return InvalidArgument("rule." + key + ": expected an array of strings");
        a.push_back(x.get<std::string>());
      }
      t[key] = std::move(a);
    } else {
      return InvalidArgument("rule." + key + ": expected a string, a number or an array of strings");
    }
  }
  std::set<std::string> names;
  try {
    return ParseRule(toml::value(std::move(t)), "rule", &names);
  } catch (const ConfigError& e) {
    return InvalidArgument(e.key + ": " + e.message);
  } catch (const std::exception& e) {
    return InvalidArgument(std::string("rule: ") + e.what());
  }
}

}  // namespace dyad::watch

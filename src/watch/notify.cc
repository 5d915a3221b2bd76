// Alert rules over the monitor's index, and their delivery (docs/watch.md,
// "Alerts and notifications").
//
// Evaluation is a pure function of (config, index, today): every rule looks
// at a window ending today and names what it found by a key built from the
// rule, the subject and the thing itself (a week's Monday, a story id, an
// opening event id). Running it again the next poll gives the same keys for
// the same findings, so TakeNewAlerts + an AlertLog that remembers keys is
// all the dedupe needed, across restarts too when the log is persistent.
//
// Delivery: libcurl for the webhook (HTTP POST) and SMTP (smtp:// with
// STARTTLS when offered, required when credentials are sent); pugixml for
// the Atom feed, rewritten whole through a temporary file and rename(2), so
// a reader never sees half a feed.
#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/cameo.h"
#include "dyad/watch.h"

namespace dyad::watch {
namespace {

using monitor::Day;
using monitor::FormatDay;
using monitor::MonitorIndex;
using Clock = std::chrono::system_clock;

// --- Rule evaluation ---

struct Subject {
  bool population = false;
  std::string a, b;               // dyad A-B, or population of A in B
  std::string name;               // "UZB-RUS" or "UZB in RUS"
};

std::vector<Subject> SubjectsOf(const WatchConfig& config, const AlertRule& rule) {
  std::vector<Subject> out;
  if (!rule.dyad.empty()) {
    out.push_back({false, rule.dyad.substr(0, 3), rule.dyad.substr(4), rule.dyad});
  } else if (!rule.population.empty()) {
    out.push_back({true, rule.population.substr(0, 3), rule.population.substr(7), rule.population});
  } else {
    for (const DyadWatch& d : config.dyads) out.push_back({false, d.a, d.b, d.a + "-" + d.b});
    if (rule.kind != "unanswered") {
      for (const PopulationWatch& p : config.populations) {
        out.push_back({true, p.of, p.in, p.of + " in " + p.in});
      }
    }
  }
  return out;
}

std::string Key(const AlertRule& rule, const Subject& s, const std::string& what) {
  std::string k = rule.name;
  k.append("|").append(s.name).append("|").append(what);
  return k;
}

std::string SubjectLink(const Subject& s) {
  if (s.population) return "#/citizens/" + s.a + "/" + s.b;
  return "#/dyad/" + s.name;
}

std::string CodeName(const std::string& code) {
  const CameoCode* c = CameoTable::Builtin().FindOrParent(code);
  return c != nullptr ? c->name : std::string();
}

std::string Describe(const EventFact& f) {
  std::string s = f.date.empty() ? std::string("undated") : f.date;
  s.append(" ").append(f.source).append(" -> ").append(f.target).append(" ").append(f.code);
  std::string name = CodeName(f.code);
  if (!name.empty()) s.append(" (").append(name).append(")");
  return s;
}

// Evidence for these events: oldest first, at most kMaxEvidence (the newest
// are kept when there are more). Unknown ids are skipped.
std::vector<Evidence> EvidenceFor(const MonitorIndex& index, std::vector<std::int64_t> ids) {
  std::vector<EventFact> facts;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (std::int64_t id : ids) {
    std::optional<EventFact> f = index.GetEvent(id);
    if (f) facts.push_back(std::move(*f));
  }
  std::sort(facts.begin(), facts.end(), [](const EventFact& x, const EventFact& y) {
    return x.date != y.date ? x.date < y.date : x.event_id < y.event_id;
  });
  if (facts.size() > kMaxEvidence) facts.erase(facts.begin(), facts.end() - kMaxEvidence);
  std::vector<Evidence> out;
  for (const EventFact& f : facts) {
    out.push_back({f.event_id, f.story_id, f.date, f.source, f.target, f.code, ""});
  }
  return out;
}

void AppendEvidenceLines(const std::vector<Evidence>& ev, std::string* text) {
  for (const Evidence& e : ev) {
    EventFact f;
    f.date = e.date;
    f.source = e.source;
    f.target = e.target;
    f.code = e.code;
    text->append("\n- ").append(Describe(f));
  }
}

std::string Fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

// Every event of the population `s` (B's actors on A's population) within
// `dates`, newest first.
std::vector<std::int64_t> PopulationEvents(const MonitorIndex& index, const Subject& s,
                                           const monitor::DateRange& dates) {
  std::vector<std::int64_t> ids;
  monitor::CitizensQuery q;
  q.of = s.a;
  q.in = s.b;
  q.dates = dates;
  q.limit = 1000;
  for (int guard = 0; guard < 100000; ++guard) {
    Result<monitor::CitizensResult> r = index.CitizensAbroad(q);
    if (!r.ok()) break;
    ids.insert(ids.end(), r->events_page.ids.begin(), r->events_page.ids.end());
    if (r->events_page.next_cursor.empty()) break;
    q.cursor = r->events_page.next_cursor;
  }
  return ids;
}

std::vector<std::int64_t> DyadEvents(const MonitorIndex& index, const Subject& s,
                                     const monitor::DateRange& dates, const std::string& code) {
  std::vector<std::int64_t> ids;
  monitor::EventFilter filter;
  filter.dates = dates;
  filter.actor_a = s.a;
  filter.actor_b = s.b;
  filter.code_prefix = code;
  std::string cursor;
  for (int guard = 0; guard < 100000; ++guard) {
    Result<monitor::EventPage> page = index.SelectEvents(filter, cursor, 1000);
    if (!page.ok()) break;
    ids.insert(ids.end(), page->ids.begin(), page->ids.end());
    if (page->next_cursor.empty()) break;
    cursor = page->next_cursor;
  }
  return ids;
}

// The Mondays of the weeks that overlap the last `days` days up to today.
monitor::DateRange RuleWindow(const AlertRule& rule, Day today) {
  return {today - (rule.days - 1), today};
}

void SpikeDyad(const AlertRule& rule, const Subject& s, const MonitorIndex& index, Day today,
               std::vector<Alert>* out) {
  monitor::AlertConfig cfg;
  cfg.month_ratio = rule.ratio;
  cfg.report_weeks = std::min(rule.days / 7 + 2, 520);
  monitor::AlertQuery q;
  q.as_of = today;
  q.a = s.a;
  q.b = s.b;
  monitor::AlertsResult r = index.Alerts(cfg, q);
  monitor::DateRange window = RuleWindow(rule, today);
  std::vector<const monitor::AlertWeek*> weeks;
  for (const monitor::AlertWeek& w : r.alerts) {
    // Only the rule's own ratio: "increase" (x 1.25 of both baselines) is the
    // dashboard's second rule, not this one.
    if (w.status != monitor::AlertStatus::kFired) continue;
    if (w.rule.find("month_ratio") == std::string::npos) continue;
    if (w.week + 6 < window.from || w.week > window.to) continue;
    weeks.push_back(&w);
  }
  std::sort(weeks.begin(), weeks.end(),
            [](const monitor::AlertWeek* x, const monitor::AlertWeek* y) { return x->week < y->week; });
  for (const monitor::AlertWeek* w : weeks) {
    Alert a;
    a.rule = rule.name;
    a.kind = rule.kind;
    a.subject = s.name;
    a.date = FormatDay(w->week);
    a.key = Key(rule, s, "week:" + a.date);
    a.title = s.name + ": " + std::to_string(w->stories) + " conflict stories in the week of " +
              a.date + " (" + Fixed(w->stories / std::max(w->baseline_short, 1e-9), 1) +
              "x the 4-week mean)";
    a.summary = "Conflict stories between " + s.a + " and " + s.b + " in the week of " + a.date +
                ": " + std::to_string(w->stories) + ", against a mean of " +
                Fixed(w->baseline_short, 2) + " a week over the 4 weeks before (rule \"" +
                rule.name + "\": at least " + Fixed(rule.ratio, 2) + "x).";
    a.link = SubjectLink(s);
    a.story_ids = w->story_ids;
    std::sort(a.story_ids.begin(), a.story_ids.end());
    a.evidence = EvidenceFor(index, w->event_ids);
    out->push_back(std::move(a));
  }
}

// The population's weekly conflict stories (docs/monitor.md, /api/citizens
// timeline) against the mean of the short_weeks before, with the same floor
// as /api/alerts' month_ratio rule.
void SpikePopulation(const AlertRule& rule, const Subject& s, const MonitorIndex& index, Day today,
                     std::vector<Alert>* out) {
  const monitor::AlertConfig defaults;
  monitor::DateRange window = RuleWindow(rule, today);
  Day first_week = monitor::BucketStart(window.from, monitor::Bucket::kWeek);
  monitor::CitizensQuery q;
  q.of = s.a;
  q.in = s.b;
  q.dates = {first_week - 7 * defaults.short_weeks, today};
  q.limit = 0;
  Result<monitor::CitizensResult> r = index.CitizensAbroad(q);
  if (!r.ok()) return;
  std::map<Day, std::int64_t> weekly;
  for (const monitor::WeekCount& w : r->timeline) weekly[w.start] = w.conflict_stories;
  for (Day week = first_week; week <= today; week += 7) {
    double baseline = 0;
    for (int i = 1; i <= defaults.short_weeks; ++i) {
      auto it = weekly.find(week - 7 * i);
      if (it != weekly.end()) baseline += static_cast<double>(it->second);
    }
    baseline /= defaults.short_weeks;
    std::int64_t count = weekly.count(week) != 0 ? weekly[week] : 0;
    if (baseline < defaults.floor || count == 0 ||
        static_cast<double>(count) < rule.ratio * baseline) {
      continue;
    }
    // The evidence: that week's conflict events.
    std::vector<std::int64_t> ids;
    std::set<std::int64_t> stories;
    for (std::int64_t id : PopulationEvents(index, s, {week, std::min<Day>(week + 6, today)})) {
      std::optional<EventFact> f = index.GetEvent(id);
      if (f && f->quad_class >= 3) {
        ids.push_back(id);
        stories.insert(f->story_id);
      }
    }
    Alert a;
    a.rule = rule.name;
    a.kind = rule.kind;
    a.subject = s.name;
    a.date = FormatDay(week);
    a.key = Key(rule, s, "week:" + a.date);
    a.title = s.name + ": " + std::to_string(count) + " conflict stories in the week of " +
              a.date + " (" + Fixed(static_cast<double>(count) / baseline, 1) +
              "x the 4-week mean)";
    a.summary = "Conflict stories of " + s.b + "'s actors against " + s.a +
                " citizens, workers or refugees in the week of " + a.date + ": " +
                std::to_string(count) + ", against a mean of " + Fixed(baseline, 2) +
                " a week over the 4 weeks before (rule \"" + rule.name + "\": at least " +
                Fixed(rule.ratio, 2) + "x).";
    a.link = SubjectLink(s);
    a.story_ids.assign(stories.begin(), stories.end());
    a.evidence = EvidenceFor(index, ids);
    out->push_back(std::move(a));
  }
}

bool HasPrefix(const std::string& code, const std::vector<std::string>& prefixes) {
  for (const std::string& p : prefixes) {
    if (code.compare(0, p.size(), p) == 0) return true;
  }
  return false;
}

void Codes(const AlertRule& rule, const Subject& s, const MonitorIndex& index, Day today,
           std::vector<Alert>* out) {
  monitor::DateRange window = RuleWindow(rule, today);
  std::vector<std::int64_t> ids;
  if (s.population) {
    ids = PopulationEvents(index, s, window);
  } else {
    for (const std::string& code : rule.codes) {
      std::vector<std::int64_t> more = DyadEvents(index, s, window, code);
      ids.insert(ids.end(), more.begin(), more.end());
    }
  }
  // story -> its matching events.
  std::map<std::int64_t, std::vector<EventFact>> stories;
  std::set<std::int64_t> seen;
  for (std::int64_t id : ids) {
    if (!seen.insert(id).second) continue;
    std::optional<EventFact> f = index.GetEvent(id);
    if (f && HasPrefix(f->code, rule.codes)) stories[f->story_id].push_back(std::move(*f));
  }
  std::vector<Alert> found;
  for (auto& [story, facts] : stories) {
    std::sort(facts.begin(), facts.end(), [](const EventFact& x, const EventFact& y) {
      return x.date != y.date ? x.date < y.date : x.event_id < y.event_id;
    });
    const EventFact& first = facts.front();
    std::set<std::string> codes;
    std::vector<std::int64_t> event_ids;
    for (const EventFact& f : facts) {
      codes.insert(f.code);
      event_ids.push_back(f.event_id);
    }
    Alert a;
    a.rule = rule.name;
    a.kind = rule.kind;
    a.subject = s.name;
    a.date = first.date;
    a.key = Key(rule, s, "story:" + std::to_string(story));
    std::string name = CodeName(first.code);
    a.title = s.name + ": " + first.code + (name.empty() ? "" : " " + name) + " on " + first.date;
    std::string code_list;
    for (const std::string& c : codes) {
      if (!code_list.empty()) code_list.append(", ");
      code_list.append(c);
    }
    a.summary = std::to_string(facts.size()) + (facts.size() == 1 ? " event" : " events") +
                " with code " + code_list + " in story " + std::to_string(story) + " (" +
                s.name + ", rule \"" + rule.name + "\"):";
    AppendEvidenceLines(EvidenceFor(index, event_ids), &a.summary);
    a.link = "#/event/" + std::to_string(first.event_id);
    a.story_ids = {story};
    a.evidence = EvidenceFor(index, event_ids);
    found.push_back(std::move(a));
  }
  std::sort(found.begin(), found.end(), [](const Alert& x, const Alert& y) {
    return x.date != y.date ? x.date < y.date : x.key < y.key;
  });
  for (Alert& a : found) out->push_back(std::move(a));
}

void Unanswered(const AlertRule& rule, const Subject& s, const MonitorIndex& index, Day today,
                std::vector<Alert>* out) {
  // Openings whose reply window closed within the last `days` days: the
  // window (opening day .. opening day + days) is over once today is later.
  monitor::ExchangeQuery q;
  q.a = s.a;
  q.b = s.b;
  q.window_days = rule.days;
  q.dates = {today - 2 * rule.days, today - rule.days - 1};
  monitor::ExchangesResult r = index.Exchanges(q);
  std::vector<const monitor::Exchange*> open;
  for (const monitor::Exchange& e : r.exchanges) {
    if (e.reply_class == monitor::ReplyClass::kNone) open.push_back(&e);
  }
  std::reverse(open.begin(), open.end());   // oldest first
  for (const monitor::Exchange* e : open) {
    std::vector<std::int64_t> ids = {e->opening_id};
    ids.insert(ids.end(), e->also_opening_ids.begin(), e->also_opening_ids.end());
    Alert a;
    a.rule = rule.name;
    a.kind = rule.kind;
    a.subject = s.name;
    a.date = FormatDay(e->opening_day);
    a.key = Key(rule, s, "opening:" + std::to_string(e->opening_id));
    std::optional<EventFact> f = index.GetEvent(e->opening_id);
    std::string what = f ? f->code + " " + CodeName(f->code) : std::string("an opening");
    a.title = e->responder + " has not replied in " + std::to_string(rule.days) + " days to " +
              e->initiator + "'s " + what + " of " + a.date;
    a.summary = e->initiator + " opened an exchange with " + e->responder + " on " + a.date +
                " (" + what + ", event " + std::to_string(e->opening_id) + "); no event from " +
                e->responder + " towards " + e->initiator + " followed within " +
                std::to_string(rule.days) + " days (rule \"" + rule.name + "\").";
    a.link = "#/exchanges/" + s.name;
    a.story_ids = {e->story_id};
    a.evidence = EvidenceFor(index, ids);
    out->push_back(std::move(a));
  }
}

// --- Text helpers ---

std::string Rfc3339(Clock::time_point t) {
  std::time_t s = Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string Rfc5322Date(Clock::time_point t) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t s = Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

// Drops bytes XML 1.0 cannot carry (C0 controls other than tab, LF, CR).
std::string XmlSafe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
    out.push_back(c);
  }
  return out;
}

// RFC 3986 unreserved characters kept, everything else %XX.
std::string PercentEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

std::string Base64(std::string_view s) {
  static const char* kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < s.size(); i += 3) {
    std::uint32_t n = (static_cast<unsigned char>(s[i]) << 16) |
                      (static_cast<unsigned char>(s[i + 1]) << 8) |
                      static_cast<unsigned char>(s[i + 2]);
    for (int k = 3; k >= 0; --k) out.push_back(kAlphabet[(n >> (6 * k)) & 63]);
  }
  if (i < s.size()) {
    std::uint32_t n = static_cast<unsigned char>(s[i]) << 16;
    if (i + 1 < s.size()) n |= static_cast<unsigned char>(s[i + 1]) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < s.size() ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

// A header value: as is when printable ASCII, else an RFC 2047 encoded word.
std::string HeaderText(std::string_view s) {
  std::string clean;
  for (char c : s) clean.push_back(c == '\r' || c == '\n' ? ' ' : c);
  bool ascii = true;
  for (char c : clean) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return clean;
  return "=?UTF-8?B?" + Base64(clean) + "?=";
}

// Wraps a paragraph at spaces so lines stay near `width` bytes (RFC 5322
// caps lines at 998; a word longer than that is left whole only up to it).
void Wrap(std::string_view text, std::size_t width, std::string* out) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    while (line.size() > width) {
      std::size_t cut = line.rfind(' ', width);
      if (cut == std::string_view::npos || cut == 0) {
        cut = std::min<std::size_t>(line.find(' ', width), 990);
        if (cut == std::string_view::npos || cut >= line.size()) break;
      }
      out->append(line.substr(0, cut)).append("\r\n");
      line.remove_prefix(cut + 1);
    }
    out->append(line).append("\r\n");
  }
}

std::string EventLink(const std::string& dashboard_url, std::int64_t id) {
  return DashboardLink(dashboard_url, "#/event/" + std::to_string(id));
}

// --- libcurl ---

void CurlGlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlHandle {
  CURL* curl = curl_easy_init();
  curl_slist* list = nullptr;
  ~CurlHandle() {
    if (list != nullptr) curl_slist_free_all(list);
    if (curl != nullptr) curl_easy_cleanup(curl);
  }
};

std::size_t CollectBody(char* data, std::size_t size, std::size_t n, void* user) {
  std::string* body = static_cast<std::string*>(user);
  if (body->size() < 4096) body->append(data, std::min<std::size_t>(size * n, 4096));
  return size * n;
}

struct Upload {
  const std::string* data;
  std::size_t pos = 0;
};

std::size_t ReadUpload(char* buffer, std::size_t size, std::size_t n, void* user) {
  Upload* u = static_cast<Upload*>(user);
  std::size_t len = std::min(size * n, u->data->size() - u->pos);
  std::memcpy(buffer, u->data->data() + u->pos, len);
  u->pos += len;
  return len;
}

long TimeoutMs(double seconds) { return static_cast<long>(std::max(1.0, seconds * 1000)); }

class WebhookNotifier : public Notifier {
 public:
  WebhookNotifier(NotifierConfig config, NotifierOptions options)
      : config_(std::move(config)), options_(std::move(options)) {}
  const std::string& name() const override { return config_.name; }

  DeliveryResult Deliver(const Alert& alert) override {
    CurlGlobalInit();
    CurlHandle h;
    if (h.curl == nullptr) return {false, "libcurl: cannot create a handle"};
    std::string body = WebhookJson(alert, options_.dashboard_url);
    std::string response;
    char error[CURL_ERROR_SIZE] = {0};
    h.list = curl_slist_append(h.list, "Content-Type: application/json; charset=utf-8");
    curl_easy_setopt(h.curl, CURLOPT_URL, config_.url.c_str());
    curl_easy_setopt(h.curl, CURLOPT_HTTPHEADER, h.list);
    curl_easy_setopt(h.curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h.curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(h.curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(h.curl, CURLOPT_TIMEOUT_MS, TimeoutMs(options_.timeout_seconds));
    curl_easy_setopt(h.curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h.curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h.curl, CURLOPT_WRITEFUNCTION, CollectBody);
    curl_easy_setopt(h.curl, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(h.curl, CURLOPT_ERRORBUFFER, error);
    CURLcode rc = curl_easy_perform(h.curl);
    if (rc != CURLE_OK) {
      return {false, std::string("webhook: ") + (error[0] != 0 ? error : curl_easy_strerror(rc))};
    }
    long status = 0;
    curl_easy_getinfo(h.curl, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) {
      std::string msg = "webhook: HTTP " + std::to_string(status);
      if (!response.empty()) {
        if (response.size() > 200) response.resize(200);
        msg.append(": ").append(response);
      }
      return {false, msg};
    }
    return {true, ""};
  }

 private:
  NotifierConfig config_;
  NotifierOptions options_;
};

class SmtpNotifier : public Notifier {
 public:
  SmtpNotifier(NotifierConfig config, NotifierOptions options)
      : config_(std::move(config)), options_(std::move(options)) {}
  const std::string& name() const override { return config_.name; }

  DeliveryResult Deliver(const Alert& alert) override {
    CurlGlobalInit();
    std::string password;
    if (!config_.password_env.empty()) {
      std::optional<std::string> p = options_.getenv ? options_.getenv(config_.password_env)
                                                     : std::optional<std::string>();
      if (!options_.getenv) {
        const char* v = std::getenv(config_.password_env.c_str());
        if (v != nullptr) p = v;
      }
      if (!p) return {false, "smtp: environment variable " + config_.password_env + " is not set"};
      password = *p;
    }
    CurlHandle h;
    if (h.curl == nullptr) return {false, "libcurl: cannot create a handle"};
    Clock::time_point now = options_.now ? options_.now() : Clock::now();
    std::string message = EmailMessage(alert, config_, options_.dashboard_url, now);
    Upload upload{&message};
    std::string from = "<" + config_.from + ">";
    h.list = curl_slist_append(h.list, ("<" + config_.to + ">").c_str());
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(h.curl, CURLOPT_URL, config_.url.c_str());
    curl_easy_setopt(h.curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h.curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(h.curl, CURLOPT_MAIL_RCPT, h.list);
    curl_easy_setopt(h.curl, CURLOPT_READFUNCTION, ReadUpload);
    curl_easy_setopt(h.curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(h.curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h.curl, CURLOPT_TIMEOUT_MS, TimeoutMs(options_.timeout_seconds));
    curl_easy_setopt(h.curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h.curl, CURLOPT_ERRORBUFFER, error);
    if (!config_.username.empty()) {
      // Never send credentials in the clear: STARTTLS is required then.
      curl_easy_setopt(h.curl, CURLOPT_USERNAME, config_.username.c_str());
      curl_easy_setopt(h.curl, CURLOPT_PASSWORD, password.c_str());
      curl_easy_setopt(h.curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    } else {
      curl_easy_setopt(h.curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
    }
    CURLcode rc = curl_easy_perform(h.curl);
    if (rc != CURLE_OK) {
      std::string msg = std::string("smtp: ") + (error[0] != 0 ? error : curl_easy_strerror(rc));
      long code = 0;
      curl_easy_getinfo(h.curl, CURLINFO_RESPONSE_CODE, &code);
      if (code != 0 && msg.find(std::to_string(code)) == std::string::npos) {
        msg.append(" (server said ").append(std::to_string(code)).append(")");
      }
      return {false, msg};
    }
    return {true, ""};
  }

 private:
  NotifierConfig config_;
  NotifierOptions options_;
};

// --- Atom ---

struct AtomEntry {
  std::string id, title, updated, link, category, summary, content;
};

AtomEntry AtomEntryFor(const Alert& alert, const std::string& dashboard_url, Clock::time_point now) {
  AtomEntry e;
  e.id = "urn:dyad:alert:" + PercentEncode(alert.key);
  e.title = alert.title;
  e.updated = Rfc3339(now);
  e.link = DashboardLink(dashboard_url, alert.link);
  e.category = alert.rule;
  e.summary = alert.summary;
  e.content = alert.summary;
  for (const Evidence& ev : alert.evidence) {
    e.content.append("\n\n").append(ev.date).append(" ").append(ev.source).append(" -> ");
    e.content.append(ev.target).append(" ").append(ev.code);
    if (!ev.sentence.empty()) e.content.append(": ").append(ev.sentence);
    e.content.append("\n").append(EventLink(dashboard_url, ev.event_id));
  }
  return e;
}

std::string AtomXml(const std::string& title, const std::string& id,
                    const std::vector<AtomEntry>& entries, const std::string& dashboard_url,
                    Clock::time_point now) {
    pugi::xml_document doc;
    pugi::xml_node decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "utf-8";
    pugi::xml_node feed = doc.append_child("feed");
    feed.append_attribute("xmlns") = "http://www.w3.org/2005/Atom";
    auto text = [](pugi::xml_node parent, const char* name, const std::string& value) {
      pugi::xml_node n = parent.append_child(name);
      n.text().set(XmlSafe(value).c_str());
      return n;
    };
    text(feed, "title", title);
    text(feed, "id", id);
    text(feed, "updated", Rfc3339(now));
    pugi::xml_node link = feed.append_child("link");
    link.append_attribute("rel") = "alternate";
    link.append_attribute("href") = XmlSafe(DashboardLink(dashboard_url, "")).c_str();
    text(feed, "generator", "dyad watch");
    for (const AtomEntry& e : entries) {
      pugi::xml_node entry = feed.append_child("entry");
      text(entry, "title", e.title).append_attribute("type") = "text";
      text(entry, "id", e.id);
      text(entry, "updated", e.updated);
      pugi::xml_node author = entry.append_child("author");
      text(author, "name", "dyad watch");
      pugi::xml_node l = entry.append_child("link");
      l.append_attribute("rel") = "alternate";
      l.append_attribute("href") = XmlSafe(e.link).c_str();
      if (!e.category.empty()) {
        entry.append_child("category").append_attribute("term") = XmlSafe(e.category).c_str();
      }
      text(entry, "summary", e.summary).append_attribute("type") = "text";
      text(entry, "content", e.content).append_attribute("type") = "text";
    }
    std::ostringstream out;
    doc.save(out, "  ", pugi::format_default | pugi::format_no_declaration | 0, pugi::encoding_utf8);
    std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
    xml.append(out.str());
    return xml;
}

class AtomNotifier : public Notifier {
 public:
  AtomNotifier(NotifierConfig config, NotifierOptions options, std::vector<AtomEntry> entries)
      : config_(std::move(config)), options_(std::move(options)), entries_(std::move(entries)) {}
  const std::string& name() const override { return config_.name; }

  // Reads back the entries of an existing feed; a missing file is an empty
  // feed, an unreadable one an error (rather than silently dropping alerts).
  static Result<std::vector<AtomEntry>> ReadEntries(const std::string& path) {
    std::vector<AtomEntry> out;
    if (access(path.c_str(), F_OK) != 0) return out;
    pugi::xml_document doc;
    pugi::xml_parse_result r = doc.load_file(path.c_str());
    if (!r) return Corruption(std::string("not a readable Atom feed: ") + r.description(), path);
    for (pugi::xml_node e : doc.child("feed").children("entry")) {
      AtomEntry a;
      a.id = e.child_value("id");
      a.title = e.child_value("title");
      a.updated = e.child_value("updated");
      a.link = e.child("link").attribute("href").value();
      a.category = e.child("category").attribute("term").value();
      a.summary = e.child_value("summary");
      a.content = e.child_value("content");
      if (!a.id.empty()) out.push_back(std::move(a));
    }
    return out;
  }

  DeliveryResult Deliver(const Alert& alert) override {
    Clock::time_point now = options_.now ? options_.now() : Clock::now();
    AtomEntry e = AtomEntryFor(alert, options_.dashboard_url, now);
    std::vector<AtomEntry> next = entries_;
    next.erase(std::remove_if(next.begin(), next.end(),
                              [&](const AtomEntry& x) { return x.id == e.id; }),
               next.end());
    next.insert(next.begin(), std::move(e));
    if (next.size() > std::max<std::size_t>(1, options_.atom_entries)) {
      next.resize(std::max<std::size_t>(1, options_.atom_entries));
    }
    std::string error = Write(next, now);
    if (!error.empty()) return {false, error};
    entries_ = std::move(next);
    return {true, ""};
  }

 private:
  std::string Write(const std::vector<AtomEntry>& entries, Clock::time_point now) const {
    const std::string xml = AtomXml("dyad alerts (" + config_.name + ")",
                                    "urn:dyad:alerts:" + PercentEncode(config_.name), entries,
                                    options_.dashboard_url, now);
    // Temp file beside the target, fsync, rename: readers see the old feed
    // or the new one, never a torn write.
    std::string tmp = config_.path + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return "atom: cannot write " + tmp + ": " + std::strerror(errno);
    std::size_t done = 0;
    while (done < xml.size()) {
      ssize_t n = ::write(fd, xml.data() + done, xml.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        std::string msg = "atom: cannot write " + tmp + ": " + std::strerror(errno);
        ::close(fd);
        ::unlink(tmp.c_str());
        return msg;
      }
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
      std::string msg = "atom: cannot write " + tmp + ": " + std::strerror(errno);
      ::unlink(tmp.c_str());
      return msg;
    }
    if (std::rename(tmp.c_str(), config_.path.c_str()) != 0) {
      std::string msg = "atom: cannot replace " + config_.path + ": " + std::strerror(errno);
      ::unlink(tmp.c_str());
      return msg;
    }
    return "";
  }

  NotifierConfig config_;
  NotifierOptions options_;
  std::vector<AtomEntry> entries_;   // newest first
};

}  // namespace

// --- Public ---

std::string FormatUtc(Clock::time_point t) { return Rfc3339(t); }

std::string AlertsAtom(const std::vector<Alert>& alerts, const std::string& dashboard_url,
                       Clock::time_point now) {
  std::vector<AtomEntry> entries;
  for (const Alert& a : alerts) entries.push_back(AtomEntryFor(a, dashboard_url, now));
  return AtomXml("dyad alerts", "urn:dyad:alerts", entries, dashboard_url, now);
}

std::optional<Clock::time_point> ParseUtc(std::string_view text) {
  std::tm tm{};
  char z = 0;
  int n = 0;
  const std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z, &n) != 7 ||
      z != 'Z' || static_cast<std::size_t>(n) != s.size()) {
    return std::nullopt;
  }
  if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
      tm.tm_min > 59 || tm.tm_sec > 60) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return Clock::from_time_t(timegm(&tm));
}

std::vector<Alert> EvaluateRules(const WatchConfig& config, const MonitorIndex& index, Day today) {
  std::vector<Alert> out;
  std::set<std::string> keys;
  for (const AlertRule& rule : config.rules) {
    for (const Subject& s : SubjectsOf(config, rule)) {
      std::vector<Alert> found;
      if (rule.kind == "spike") {
        if (s.population) {
          SpikePopulation(rule, s, index, today, &found);
        } else {
          SpikeDyad(rule, s, index, today, &found);
        }
      } else if (rule.kind == "codes") {
        Codes(rule, s, index, today, &found);
      } else if (rule.kind == "unanswered" && !s.population) {
        Unanswered(rule, s, index, today, &found);
      }
      for (Alert& a : found) {
        if (keys.insert(a.key).second) out.push_back(std::move(a));
      }
    }
  }
  return out;
}

std::string DashboardLink(const std::string& dashboard_url, const std::string& fragment) {
  std::string out = dashboard_url;
  std::size_t hash = out.find('#');
  if (hash != std::string::npos) out.resize(hash);
  if (!out.empty() && out.back() != '/') out.push_back('/');
  out.append(fragment);
  return out;
}

const char* DeliveryStateName(DeliveryState s) {
  switch (s) {
    case DeliveryState::kSent: return "sent";
    case DeliveryState::kRetrying: return "retrying";
    case DeliveryState::kFailed: return "failed";
  }
  return "failed";
}

Result<bool> MemoryAlertLog::SeenKey(const std::string& key) {
  for (const Alert& a : alerts_) {
    if (a.key == key) return true;
  }
  return false;
}

Status MemoryAlertLog::Record(const Alert& alert) {
  alerts_.push_back(alert);
  return Status::Ok();
}

Status MemoryAlertLog::RecordDelivery(const DeliveryRecord& record) {
  deliveries_[{record.alert_key, record.notifier}] = record;
  return Status::Ok();
}

Result<std::vector<Alert>> TakeNewAlerts(std::vector<Alert> fired, AlertLog* log) {
  std::vector<Alert> out;
  std::set<std::string> keys;
  for (Alert& a : fired) {
    if (!keys.insert(a.key).second) continue;
    Result<bool> seen = log->SeenKey(a.key);
    if (!seen.ok()) return seen.status();
    if (*seen) continue;
    DYAD_RETURN_IF_ERROR(log->Record(a));
    out.push_back(std::move(a));
  }
  return out;
}

std::optional<Clock::time_point> NextAttempt(const RetryPolicy& policy, int attempts,
                                             Clock::time_point last) {
  if (attempts >= policy.max_attempts) return std::nullopt;
  double delay = policy.initial_seconds * std::ldexp(1.0, std::max(0, attempts - 1));
  delay = std::min(delay, policy.max_seconds);
  return last + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(delay));
}

Result<std::unique_ptr<Notifier>> MakeNotifier(const NotifierConfig& config,
                                               const NotifierOptions& options) {
  if (config.kind == "webhook") {
    return std::unique_ptr<Notifier>(std::make_unique<WebhookNotifier>(config, options));
  }
  if (config.kind == "smtp") {
    return std::unique_ptr<Notifier>(std::make_unique<SmtpNotifier>(config, options));
  }
  if (config.kind == "atom") {
    if (config.path.empty()) return InvalidArgument("notifier " + config.name + ": path missing");
    Result<std::vector<AtomEntry>> entries = AtomNotifier::ReadEntries(config.path);
    if (!entries.ok()) return entries.status();
    return std::unique_ptr<Notifier>(
        std::make_unique<AtomNotifier>(config, options, std::move(entries).value()));
  }
  return InvalidArgument("notifier " + config.name + ": unknown kind \"" + config.kind + "\"");
}

std::string WebhookJson(const Alert& alert, const std::string& dashboard_url) {
  nlohmann::json events = nlohmann::json::array();
  for (const Evidence& e : alert.evidence) {
    events.push_back({{"id", e.event_id},
                      {"story_id", e.story_id},
                      {"date", e.date},
                      {"source", e.source},
                      {"target", e.target},
                      {"code", e.code},
                      {"code_name", CodeName(e.code)},
                      {"sentence", e.sentence},
                      {"link", EventLink(dashboard_url, e.event_id)}});
  }
  std::string link = DashboardLink(dashboard_url, alert.link);
  std::string text = alert.title;
  text.append("\n").append(alert.summary).append("\n").append(link);
  nlohmann::json j = {{"text", text},
                      {"alert",
                       {{"key", alert.key},
                        {"rule", alert.rule},
                        {"kind", alert.kind},
                        {"subject", alert.subject},
                        {"date", alert.date},
                        {"title", alert.title},
                        {"summary", alert.summary},
                        {"link", link},
                        {"story_ids", alert.story_ids},
                        {"events", events}}}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string EmailMessage(const Alert& alert, const NotifierConfig& config,
                         const std::string& dashboard_url, Clock::time_point now) {
  std::string m;
  m.append("Date: ").append(Rfc5322Date(now)).append("\r\n");
  m.append("From: ").append(HeaderText(config.from)).append("\r\n");
  m.append("To: ").append(HeaderText(config.to)).append("\r\n");
  m.append("Subject: ").append(HeaderText("[dyad] " + alert.title)).append("\r\n");
  std::size_t h = std::hash<std::string>{}(alert.key);
  m.append("Message-ID: <dyad.").append(std::to_string(h)).append(".");
  m.append(std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                              now.time_since_epoch()).count()));
  m.append("@dyad.invalid>\r\n");
  m.append("MIME-Version: 1.0\r\n");
  m.append("Content-Type: text/plain; charset=utf-8\r\n");
  m.append("Content-Transfer-Encoding: 8bit\r\n");
  m.append("X-Dyad-Alert-Key: ").append(HeaderText(alert.key)).append("\r\n");
  m.append("\r\n");
  std::string body = alert.summary;
  body.append("\n\n").append(DashboardLink(dashboard_url, alert.link)).append("\n");
  if (!alert.evidence.empty()) body.append("\nEvidence:\n");
  for (const Evidence& e : alert.evidence) {
    body.append("\n").append(e.date.empty() ? "undated" : e.date).append("  ");
    body.append(e.source).append(" -> ").append(e.target).append("  ").append(e.code);
    std::string name = CodeName(e.code);
    if (!name.empty()) body.append(" ").append(name);
    body.append("\n");
    if (!e.sentence.empty()) body.append("  \"").append(e.sentence).append("\"\n");
    body.append("  ").append(EventLink(dashboard_url, e.event_id)).append("\n");
  }
  body.append("\n-- \ndyad watch, rule \"").append(alert.rule).append("\"\n");
  std::string clean;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\r') continue;   // lines end in CRLF below, whatever came in
    clean.push_back(body[i]);
  }
  if (!clean.empty() && clean.back() == '\n') clean.pop_back();
  Wrap(clean, 78, &m);
  return m;
}

Result<DeliveryRecord> Dispatch(Notifier& notifier, const Alert& alert, int attempts_before,
                                const RetryPolicy& policy, Clock::time_point now, AlertLog* log) {
  DeliveryResult r = notifier.Deliver(alert);
  DeliveryRecord d;
  d.alert_key = alert.key;
  d.notifier = notifier.name();
  d.attempts = attempts_before + 1;
  if (r.sent) {
    d.state = DeliveryState::kSent;
  } else {
    d.error = r.error.empty() ? std::string("delivery failed") : r.error;
    d.next_attempt = NextAttempt(policy, d.attempts, now);
    d.state = d.next_attempt ? DeliveryState::kRetrying : DeliveryState::kFailed;
  }
  if (log != nullptr) DYAD_RETURN_IF_ERROR(log->RecordDelivery(d));
  return d;
}

std::vector<std::string> NotifiersFor(const WatchConfig& config, const std::string& rule) {
  const AlertRule* found = nullptr;
  for (const AlertRule& r : config.rules) {
    if (r.name == rule) found = &r;
  }
  if (found == nullptr) return {};
  if (!found->notify.empty()) return found->notify;
  std::vector<std::string> all;
  for (const NotifierConfig& n : config.notifiers) all.push_back(n.name);
  return all;
}

}  // namespace dyad::watch

// The watch loop: poll what is due, spool what is new, ingest it, evaluate
// the rules, deliver notifications. The order of the steps is what makes a
// kill at any point safe; see watch.h ("The loop").
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "dyad/watch.h"
#include "ingest/internal.h"

namespace dyad::watch {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::system_clock;

std::string CharsetOf(const std::string& content_type) {
  std::string lower = ingest::AsciiLower(content_type);
  std::size_t i = lower.find("charset=");
  if (i == std::string::npos) return "";
  std::string v = lower.substr(i + 8);
  v = v.substr(0, v.find_first_of("; "));
  v.erase(std::remove(v.begin(), v.end(), '"'), v.end());
  return v;
}

Status WriteFileDurably(const std::string& dir, const std::string& name, const std::string& bytes) {
  const std::string tmp = dir + "/." + name + ".tmp";
  const std::string final_path = dir + "/" + name;
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return IoError(std::string("cannot write: ") + std::strerror(errno), tmp);
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status s = IoError(std::string("cannot write: ") + std::strerror(errno), tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return s;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return IoError(std::string("cannot write: ") + std::strerror(errno), tmp);
  }
  if (std::rename(tmp.c_str(), final_path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return IoError(std::string("cannot rename: ") + std::strerror(errno), final_path);
  }
  // The rename itself must survive a crash too.
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

std::string SpoolLine(const RawDocument& d) {
  nlohmann::json j = {{"text", d.text}};
  if (!d.external_id.empty()) j["id"] = d.external_id;
  if (!d.url.empty()) j["url"] = d.url;
  if (!d.title.empty()) j["title"] = d.title;
  if (!d.source.empty()) j["source"] = d.source;
  if (!d.lang.empty()) j["lang"] = d.lang;
  if (!d.date.empty()) j["date"] = d.date;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// What one source gave this cycle, before its articles are fetched.
struct Candidate {
  RawDocument doc;        // text empty: fetch doc.url and read the article
  bool needs_page = false;
};

struct SourceWork {
  const SourceConfig* config = nullptr;
  SourceState state;
  SourcePoll poll;
  FetchResult fetched;
  std::vector<Candidate> candidates;
  std::vector<RawDocument> documents;   // ready for the spool
};

}  // namespace

std::string DefaultSpoolDirectory(const std::string& store_url) {
  if (store_url.rfind("postgres", 0) == 0 || store_url == ":memory:") return "";
  std::string path = store_url;
  if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
  return path + ".watch-spool";
}

std::vector<std::string> SpoolFiles(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file(ec) && !name.starts_with(".") && name.ends_with(".jsonl")) {
      files.push_back(e.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

SpoolQueue CountSpool(const std::string& dir) {
  SpoolQueue q;
  for (const std::string& f : SpoolFiles(dir)) {
    ++q.files;
    std::ifstream in(f);
    std::string line;
    while (std::getline(in, line)) q.items += !line.empty();
  }
  return q;
}

const char* SourceHealth(const SourceState& state) {
  if (state.failures >= 3) return "unhealthy";
  return state.failures > 0 ? "failing" : "ok";
}

struct WatchLoop::Impl {
  WatchConfig config;
  Store* store = nullptr;
  CodingSetup setup;
  WatchOptions options;
  Fetcher fetcher;
  StoreAlertLog alert_log;
  std::map<std::string, std::unique_ptr<Notifier>> notifiers;
  monitor::MonitorIndex index;
  std::optional<monitor::StorePosition> position;
  std::uint64_t spool_seq = 0;
  std::string last_rule_problems;

  Impl(WatchConfig c, Store* s, CodingSetup cs, WatchOptions o)
      : config(std::move(c)),
        store(s),
        setup(std::move(cs)),
        options(std::move(o)),
        fetcher(config.fetch, options.fetch_clock),
        alert_log(s) {}

  Clock::time_point Now() const { return options.now ? options.now() : Clock::now(); }

  void Log(const std::string& line) const {
    if (options.log) *options.log << "watch: " << line << "\n" << std::flush;
  }

  // Ingests every spool file, then removes the ones read without a store
  // error. A file's documents are keyed by content, so reading one again
  // after a kill adds nothing twice.
  Status IngestSpool(CycleReport* report) {
    const std::vector<std::string> files = SpoolFiles(options.spool_dir);
    if (files.empty()) return Status::Ok();
    IngestOptions io;
    io.threads = options.threads;
    io.reader.format = SourceFormat::kJsonl;
    io.skip_done_files = false;
    io.command = "watch";
    IngestReport r = Ingest(*store, setup, files, io, nullptr);
    for (const ReaderError& e : r.errors) report->errors.push_back(e.where + ": " + e.message);
    DYAD_RETURN_IF_ERROR(r.status);
    report->documents_added += r.summary.documents_added;
    report->events_added += r.summary.events;
    report->duplicates += r.summary.duplicates;
    for (const std::string& f : files) {
      std::error_code ec;
      fs::remove(f, ec);
      if (ec) report->errors.push_back(f + ": cannot remove: " + ec.message());
    }
    return Status::Ok();
  }

  bool Due(const SourceState& s, Clock::time_point now) const {
    if (s.next_poll.empty()) return true;
    auto next = ParseUtc(s.next_poll);
    return !next || *next <= now;
  }

  double BackoffSeconds(const SourceConfig& c, std::int64_t failures) const {
    const double base = std::max(c.interval_seconds, 30.0);
    const double d = base * std::ldexp(1.0, static_cast<int>(std::min<std::int64_t>(failures, 20)));
    return std::min(d, std::max(options.max_backoff_seconds, c.interval_seconds));
  }

  // Lists a fetched source's items; fills work->candidates.
  void ListItems(SourceWork* w) {
    const SourceConfig& c = *w->config;
    const FetchResult& f = w->fetched;
    std::string charset = CharsetOf(f.content_type);
    std::string encoding;
    Result<std::string> utf8 = (c.kind == "feed") ? Result<std::string>(f.body)
                                                  : ConvertToUtf8(f.body, charset, &encoding);
    if (!utf8.ok()) {
      w->poll.error = "cannot read the page: " + utf8.status().message();
      return;
    }
    if (c.kind == "feed") {
      std::vector<ReaderError> errors;
      Status s = ingest::ReadFeedBytes(
          c.url, *utf8,
          [&](RawDocument d) {
            Candidate cand;
            cand.needs_page = !d.url.empty();
            cand.doc = std::move(d);
            w->candidates.push_back(std::move(cand));
          },
          &errors, /*keep_linked_without_text=*/true);
      if (!s.ok()) {
        w->poll.error = "malformed feed: " + s.message();
        return;
      }
      for (const ReaderError& e : errors) w->poll.item_errors.push_back(e.where + ": " + e.message);
    } else if (c.kind == "page") {
      std::regex pattern;
      try {
        pattern = std::regex(c.link_pattern, std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        w->poll.error = "link_pattern does not compile";
        return;
      }
      for (std::string& url : ExtractLinks(*utf8, f.url.empty() ? c.url : f.url, pattern)) {
        Candidate cand;
        cand.needs_page = true;
        cand.doc.url = std::move(url);
        cand.doc.origin = cand.doc.url;
        w->candidates.push_back(std::move(cand));
      }
    } else if (c.kind == "telegram") {
      for (RawDocument& d : ParseTelegramPreview(*utf8, c.url)) {
        Candidate cand;
        cand.doc = std::move(d);
        w->candidates.push_back(std::move(cand));
      }
      if (w->candidates.empty() && utf8->find("tgme_widget_message") == std::string::npos) {
        w->poll.error = "not a Telegram channel preview (no posts found)";
      }
    }
    w->poll.items = static_cast<std::int64_t>(w->candidates.size());
  }

  // Drops candidates already stored (by URL) or seen earlier this cycle,
  // keeps at most max_items_per_poll.
  Status DropSeen(SourceWork* w, std::set<std::string>* seen_urls) {
    std::vector<Candidate> keep;
    for (Candidate& c : w->candidates) {
      if (!c.doc.url.empty()) {
        if (seen_urls->count(c.doc.url)) {
          ++w->poll.skipped;
          continue;
        }
        auto stored = store->HasDocumentUrl(c.doc.url);
        if (!stored.ok()) return stored.status();
        if (*stored) {
          ++w->poll.skipped;
          continue;
        }
        seen_urls->insert(c.doc.url);
      }
      if (keep.size() < options.max_items_per_poll) keep.push_back(std::move(c));
    }
    w->candidates = std::move(keep);
    return Status::Ok();
  }

  // The article behind a candidate from its fetched page, or the feed's own
  // text when the page gives none.
  void TakeArticle(SourceWork* w, Candidate* c, const FetchResult* page) {
    RawDocument d = std::move(c->doc);
    std::string problem;
    if (page) {
      if (!page->ok()) {
        problem = page->error;
      } else {
        std::string encoding;
        std::string declared = CharsetOf(page->content_type);
        if (declared.empty()) declared = ingest::SniffHtmlCharset(page->body);
        Result<std::string> utf8 = ConvertToUtf8(page->body, declared, &encoding);
        if (!utf8.ok()) {
          problem = utf8.status().message();
        } else {
          HtmlArticle a = ExtractArticle(*utf8);
          if (a.text.empty()) {
            problem = "no article text in the page";
          } else {
            d.text = std::move(a.text);
            if (!a.title.empty()) d.title = std::move(a.title);
            if (!a.date.empty()) {
              d.date = std::move(a.date);
              d.date_origin = DateOrigin::kMetadata;
            }
            if (d.lang.empty()) d.lang = a.lang;
            if (!encoding.empty()) d.encoding = encoding;
          }
        }
      }
    }
    if (!problem.empty()) w->poll.item_errors.push_back(d.url + ": " + problem);
    // A failed page with no feed text is left for the next poll (its URL
    // is not stored, so it is tried again).
    if (d.text.empty()) return;
    if (d.source.empty()) d.source = w->config->name;
    if (!w->config->lang.empty()) d.lang = w->config->lang;
    w->documents.push_back(std::move(d));
  }

  Status PollSources(bool all, CycleReport* report) {
    const Clock::time_point now = Now();
    auto states = store->SourceStates();
    if (!states.ok()) return states.status();
    std::map<std::string, SourceState> by_name;
    for (SourceState& s : *states) by_name[s.name] = std::move(s);

    std::vector<SourceWork> work;
    for (const SourceConfig& c : config.sources) {
      SourceState st;
      if (auto it = by_name.find(c.name); it != by_name.end()) st = it->second;
      if (!all && !Due(st, now)) continue;
      SourceWork w;
      w.config = &c;
      w.state = std::move(st);
      w.state.name = c.name;
      if (w.state.url != c.url) {   // a changed URL starts afresh
        w.state.etag.clear();
        w.state.last_modified.clear();
      }
      w.state.url = c.url;
      w.poll.name = c.name;
      work.push_back(std::move(w));
    }
    if (work.empty()) return Status::Ok();

    // 1. The sources themselves, in parallel.
    std::vector<FetchRequest> requests;
    std::vector<SourceWork*> fetched;
    for (SourceWork& w : work) {
      if (w.config->kind == "folder") continue;
      requests.push_back({w.config->url, w.state.etag, w.state.last_modified});
      fetched.push_back(&w);
    }
    std::vector<FetchResult> results = fetcher.FetchAll(requests);
    std::set<std::string> seen_urls;
    for (std::size_t i = 0; i < fetched.size(); ++i) {
      SourceWork& w = *fetched[i];
      w.fetched = std::move(results[i]);
      w.poll.status = w.fetched.status;
      if (!w.fetched.ok()) {
        w.poll.error = w.fetched.error;
        continue;
      }
      if (w.fetched.status == 304) continue;
      ListItems(&w);
      if (w.poll.error.empty()) DYAD_RETURN_IF_ERROR(DropSeen(&w, &seen_urls));
    }

    // 2. Their new items' pages, in parallel.
    std::vector<FetchRequest> pages;
    std::vector<std::pair<SourceWork*, Candidate*>> owners;
    for (SourceWork* w : fetched) {
      if (!w->poll.error.empty()) continue;
      for (Candidate& c : w->candidates) {
        if (!c.needs_page) continue;
        pages.push_back({c.doc.url, "", ""});
        owners.push_back({w, &c});
      }
    }
    std::vector<FetchResult> page_results = fetcher.FetchAll(pages);
    std::map<const Candidate*, const FetchResult*> page_of;
    for (std::size_t i = 0; i < owners.size(); ++i) page_of[owners[i].second] = &page_results[i];
    for (SourceWork* w : fetched) {
      if (!w->poll.error.empty()) continue;
      for (Candidate& c : w->candidates) {
        auto it = page_of.find(&c);
        TakeArticle(w, &c, it == page_of.end() ? nullptr : it->second);
      }
    }

    // 3. Everything new into one spool file, durably, before any state
    //    (validators) that would stop it being fetched again is saved.
    std::string spool;
    for (SourceWork& w : work) {
      for (const RawDocument& d : w.documents) spool.append(SpoolLine(d)).append("\n");
      w.poll.fresh = static_cast<std::int64_t>(w.documents.size());
    }
    if (!spool.empty()) {
      const std::string name = FormatUtc(now) + "-" + std::to_string(::getpid()) + "-" +
                               std::to_string(++spool_seq) + ".jsonl";
      DYAD_RETURN_IF_ERROR(WriteFileDurably(options.spool_dir, name, spool));
    }

    // 4. Folders are ingested directly: the store remembers the files read.
    for (SourceWork& w : work) {
      if (w.config->kind != "folder") continue;
      IngestOptions io;
      io.threads = options.threads;
      io.command = "watch " + w.config->name;
      IngestReport r = Ingest(*store, setup, {w.config->url}, io, nullptr);
      DYAD_RETURN_IF_ERROR(r.status);
      for (const ReaderError& e : r.errors) w.poll.item_errors.push_back(e.where + ": " + e.message);
      w.poll.items = r.summary.documents_read;
      w.poll.fresh = r.summary.documents_added;
      w.poll.skipped = r.summary.duplicates;
      report->documents_added += r.summary.documents_added;
      report->events_added += r.summary.events;
      report->duplicates += r.summary.duplicates;
      if (!fs::is_directory(w.config->url)) w.poll.error = "not a directory: " + w.config->url;
    }

    // 5. The sources' state.
    const std::string now_text = FormatUtc(now);
    for (SourceWork& w : work) {
      SourceState& st = w.state;
      const SourceConfig& c = *w.config;
      st.last_poll = now_text;
      double wait = c.interval_seconds;
      if (w.poll.error.empty()) {
        st.last_success = now_text;
        st.failures = 0;
        if (w.fetched.status != 304 && c.kind != "folder") {
          st.etag = w.fetched.etag;
          st.last_modified = w.fetched.last_modified;
        }
        st.items_fetched += w.poll.fresh;
        st.errors += static_cast<std::int64_t>(w.poll.item_errors.size());
        st.last_error = w.poll.item_errors.empty() ? "" : w.poll.item_errors.back();
      } else {
        ++st.failures;
        ++st.errors;
        st.last_error = w.poll.error;
        wait = BackoffSeconds(c, st.failures);
      }
      st.next_poll = FormatUtc(now + std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double>(wait)));
      DYAD_RETURN_IF_ERROR(store->SaveSourceState(st));
      std::ostringstream line;
      line << c.name << ": ";
      if (!w.poll.error.empty()) {
        line << "FAILED (" << st.failures << " in a row, next try " << st.next_poll << "): "
             << w.poll.error;
      } else if (w.fetched.status == 304) {
        line << "not modified";
      } else {
        line << w.poll.items << " items, " << w.poll.fresh << " new, " << w.poll.skipped
             << " already stored";
        if (!w.poll.item_errors.empty()) {
          line << ", " << w.poll.item_errors.size() << " errors (last: " << st.last_error << ")";
        }
      }
      Log(line.str());
      report->polls.push_back(std::move(w.poll));
    }
    return Status::Ok();
  }

  Status RefreshIndex() {
    if (!position) {
      auto at = monitor::LoadIndex(*store, &index);
      if (!at.ok()) return at.status();
      position = *at;
      return Status::Ok();
    }
    auto delta = monitor::ReadChanges(*store, *position);
    if (!delta.ok()) return delta.status();
    monitor::Apply(*delta, &index);
    position = delta->to;
    return Status::Ok();
  }

  monitor::Day Today() const {
    if (options.today) return *options.today;
    return static_cast<monitor::Day>(
        std::chrono::floor<std::chrono::days>(Now()).time_since_epoch().count());
  }

  // The configuration's rules plus the rules saved from the dashboard (a
  // saved rule whose name a file rule has is skipped; notifier names the
  // configuration lacks are dropped, and none left means all of them).
  Result<WatchConfig> RulesConfig() {
    WatchConfig c;
    c.dyads = config.dyads;
    c.populations = config.populations;
    c.rules = config.rules;
    c.notifiers = config.notifiers;
    c.dashboard_url = config.dashboard_url;
    auto saved = store->SavedRules();
    if (!saved.ok()) return saved.status();
    std::set<std::string> names;
    for (const AlertRule& r : c.rules) names.insert(r.name);
    std::set<std::string> notifier_names;
    for (const NotifierConfig& n : c.notifiers) notifier_names.insert(n.name);
    std::string problems;
    for (const SavedRule& s : *saved) {
      auto rule = AlertRuleFromJson(s.spec);
      if (!rule.ok()) {
        problems += "saved rule " + s.name + ": " + rule.status().message() + "; ";
        continue;
      }
      rule->name = s.name;
      if (!names.insert(rule->name).second) {
        problems += "saved rule " + s.name + ": the configuration has a rule of that name; ";
        continue;
      }
      std::vector<std::string> known;
      for (const std::string& n : rule->notify) {
        if (notifier_names.count(n)) known.push_back(n);
      }
      rule->notify = std::move(known);
      c.rules.push_back(std::move(*rule));
    }
    if (problems != last_rule_problems) {
      if (!problems.empty()) Log(problems.substr(0, problems.size() - 2));
      last_rule_problems = problems;
    }
    return c;
  }

  Status QueueDeliveries(const WatchConfig& rules, const Alert& alert, std::int64_t alert_id) {
    for (const std::string& n : NotifiersFor(rules, alert.rule)) {
      DYAD_RETURN_IF_ERROR(store->SaveNotification({alert_id, n, "pending", 0, "", "", ""}));
    }
    return Status::Ok();
  }

  Status EvaluateAlerts(CycleReport* report) {
    auto rules = RulesConfig();
    if (!rules.ok()) return rules.status();
    if (rules->rules.empty()) return Status::Ok();
    DYAD_RETURN_IF_ERROR(RefreshIndex());
    std::vector<Alert> fired = EvaluateRules(*rules, index, Today());
    // Only unseen alerts get their sentences (a store read per event).
    std::vector<Alert> unseen;
    for (Alert& a : fired) {
      auto seen = alert_log.SeenKey(a.key);
      if (!seen.ok()) return seen.status();
      if (!*seen) unseen.push_back(std::move(a));
    }
    std::vector<std::int64_t> ids;
    for (const Alert& a : unseen)
      for (const Evidence& e : a.evidence) ids.push_back(e.event_id);
    if (!ids.empty()) {
      auto events = store->GetEvents(ids);
      if (!events.ok()) return events.status();
      std::map<std::int64_t, std::string> sentence;
      for (const EventRow& e : *events) sentence[e.event_id] = e.event.sentence;
      for (Alert& a : unseen)
        for (Evidence& e : a.evidence) e.sentence = sentence[e.event_id];
    }
    auto fresh = TakeNewAlerts(std::move(unseen), &alert_log);
    if (!fresh.ok()) return fresh.status();
    for (const Alert& a : *fresh) {
      auto rec = store->FindAlert(a.key);
      if (!rec.ok()) return rec.status();
      if (!rec->has_value()) continue;
      DYAD_RETURN_IF_ERROR(QueueDeliveries(*rules, a, (*rec)->id));
      ++report->alerts_new;
      Log("alert: " + a.title + " [" + a.key + "]");
    }
    return Status::Ok();
  }

  Status Deliver(CycleReport* report) {
    const Clock::time_point now = Now();
    std::vector<NotificationState> due;
    for (const char* state : {"pending", "retrying"}) {
      auto list = store->Notifications(state, 10000);
      if (!list.ok()) return list.status();
      for (NotificationState& n : *list) {
        if (n.state == "retrying") {
          auto at = ParseUtc(n.next_attempt);
          if (at && *at > now) continue;
        }
        due.push_back(std::move(n));
      }
    }
    for (const NotificationState& n : due) {
      auto rec = store->GetAlert(n.alert_id);
      if (!rec.ok()) return rec.status();
      std::string problem;
      std::optional<Alert> alert;
      if (!rec->has_value()) {
        problem = "the alert is no longer stored";
      } else if (auto a = AlertFromJson((*rec)->payload); !a.ok()) {
        problem = "stored alert unreadable: " + a.status().message();
      } else {
        alert = std::move(*a);
      }
      auto it = notifiers.find(n.notifier);
      if (problem.empty() && it == notifiers.end()) {
        problem = "notifier \"" + n.notifier + "\" is no longer in the configuration";
      }
      if (!problem.empty()) {
        NotificationState failed = n;
        failed.state = "failed";
        failed.last_error = problem;
        failed.next_attempt.clear();
        DYAD_RETURN_IF_ERROR(store->SaveNotification(failed));
        ++report->deliveries_failed;
        continue;
      }
      auto d = Dispatch(*it->second, *alert, static_cast<int>(n.attempts), options.delivery, now,
                        &alert_log);
      if (!d.ok()) return d.status();
      switch (d->state) {
        case DeliveryState::kSent: ++report->deliveries_sent; break;
        case DeliveryState::kRetrying: ++report->deliveries_retrying; break;
        case DeliveryState::kFailed: ++report->deliveries_failed; break;
      }
      if (d->state != DeliveryState::kSent) {
        Log("delivery of \"" + alert->title + "\" by " + n.notifier + " " +
            DeliveryStateName(d->state) + ": " + d->error);
      }
    }
    return Status::Ok();
  }

  // Alerts recorded without any delivery queued (killed in between).
  Status QueueOrphans() {
    auto rules = RulesConfig();
    if (!rules.ok()) return rules.status();
    auto alerts = store->ListAlerts(1000);
    if (!alerts.ok()) return alerts.status();
    auto deliveries = store->Notifications("", 1000000);
    if (!deliveries.ok()) return deliveries.status();
    std::set<std::int64_t> queued;
    for (const NotificationState& n : *deliveries) queued.insert(n.alert_id);
    for (const AlertRecord& r : *alerts) {
      if (queued.count(r.id)) continue;
      auto a = AlertFromJson(r.payload);
      if (!a.ok()) continue;   // Deliver reports unreadable ones once queued elsewhere
      DYAD_RETURN_IF_ERROR(QueueDeliveries(*rules, *a, r.id));
    }
    return Status::Ok();
  }
};

WatchLoop::WatchLoop(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WatchLoop::~WatchLoop() = default;

Result<std::unique_ptr<WatchLoop>> WatchLoop::Create(WatchConfig config, Store* store,
                                                     CodingSetup setup, WatchOptions options) {
  if (options.spool_dir.empty()) {
    return InvalidArgument("dyad watch needs a spool directory (--spool) for this store");
  }
  std::error_code ec;
  fs::create_directories(options.spool_dir, ec);
  if (ec || !fs::is_directory(options.spool_dir)) {
    return IoError("cannot create the spool directory: " + ec.message(), options.spool_dir);
  }
  auto impl = std::make_unique<Impl>(std::move(config), store, std::move(setup), std::move(options));
  NotifierOptions no;
  no.dashboard_url = impl->config.dashboard_url;
  no.user_agent = impl->config.fetch.user_agent;
  no.timeout_seconds = impl->config.fetch.timeout_seconds;
  if (impl->options.now) no.now = impl->options.now;
  for (const NotifierConfig& n : impl->config.notifiers) {
    auto made = MakeNotifier(n, no);
    if (!made.ok()) return made.status();
    impl->notifiers[n.name] = std::move(*made);
  }
  DYAD_RETURN_IF_ERROR(impl->QueueOrphans());
  return std::unique_ptr<WatchLoop>(new WatchLoop(std::move(impl)));
}

Result<CycleReport> WatchLoop::RunOnce(bool all) {
  CycleReport report;
  // What an earlier run spooled but did not store comes first.
  DYAD_RETURN_IF_ERROR(impl_->IngestSpool(&report));
  DYAD_RETURN_IF_ERROR(impl_->PollSources(all, &report));
  DYAD_RETURN_IF_ERROR(impl_->IngestSpool(&report));
  DYAD_RETURN_IF_ERROR(impl_->EvaluateAlerts(&report));
  DYAD_RETURN_IF_ERROR(impl_->Deliver(&report));
  return report;
}

double WatchLoop::SecondsUntilDue() {
  const Clock::time_point now = impl_->Now();
  double wait = 3600;
  auto states = impl_->store->SourceStates();
  std::map<std::string, std::string> next;
  if (states.ok()) {
    for (const SourceState& s : *states) next[s.name] = s.next_poll;
  }
  auto until = [&](const std::string& when) {
    auto t = ParseUtc(when);
    if (!t) return 0.0;
    return std::max(0.0, std::chrono::duration<double>(*t - now).count());
  };
  for (const SourceConfig& c : impl_->config.sources) {
    auto it = next.find(c.name);
    wait = std::min(wait, it == next.end() ? 0.0 : until(it->second));
  }
  auto retrying = impl_->store->Notifications("retrying", 10000);
  if (retrying.ok()) {
    for (const NotificationState& n : *retrying) wait = std::min(wait, until(n.next_attempt));
  }
  return wait;
}

}  // namespace dyad::watch

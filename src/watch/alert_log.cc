// Alerts and their deliveries in the store: the AlertLog `dyad watch` uses.
#include <nlohmann/json.hpp>

#include "dyad/watch.h"

namespace dyad::watch {

std::string AlertToJson(const Alert& alert) {
  nlohmann::json evidence = nlohmann::json::array();
  for (const Evidence& e : alert.evidence) {
    evidence.push_back({{"event_id", e.event_id}, {"story_id", e.story_id}, {"date", e.date},
                        {"source", e.source}, {"target", e.target}, {"code", e.code},
                        {"sentence", e.sentence}});
  }
  nlohmann::json j = {{"rule", alert.rule},       {"kind", alert.kind},
                      {"subject", alert.subject}, {"key", alert.key},
                      {"date", alert.date},       {"title", alert.title},
                      {"summary", alert.summary}, {"link", alert.link},
                      {"story_ids", alert.story_ids}, {"evidence", evidence}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<Alert> AlertFromJson(std::string_view json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return InvalidArgument("alert payload is not a JSON object");
  Alert a;
  try {
    a.rule = j.at("rule").get<std::string>();
    a.kind = j.at("kind").get<std::string>();
    a.subject = j.at("subject").get<std::string>();
    a.key = j.at("key").get<std::string>();
    a.date = j.at("date").get<std::string>();
    a.title = j.at("title").get<std::string>();
    a.summary = j.at("summary").get<std::string>();
    a.link = j.at("link").get<std::string>();
    a.story_ids = j.at("story_ids").get<std::vector<std::int64_t>>();
    for (const nlohmann::json& e : j.at("evidence")) {
      Evidence ev;
      ev.event_id = e.at("event_id").get<std::int64_t>();
      ev.story_id = e.at("story_id").get<std::int64_t>();
      ev.date = e.at("date").get<std::string>();
      ev.source = e.at("source").get<std::string>();
      ev.target = e.at("target").get<std::string>();
      ev.code = e.at("code").get<std::string>();
      ev.sentence = e.at("sentence").get<std::string>();
      a.evidence.push_back(std::move(ev));
    }
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(std::string("alert payload: ") + e.what());
  }
  if (a.key.empty()) return InvalidArgument("alert payload without a key");
  return a;
}

Result<bool> StoreAlertLog::SeenKey(const std::string& key) {
  auto found = store_->FindAlert(key);
  if (!found.ok()) return found.status();
  return found->has_value();
}

Status StoreAlertLog::Record(const Alert& alert) {
  AlertRecord r;
  r.key = alert.key;
  r.rule = alert.rule;
  r.title = alert.title;
  r.payload = AlertToJson(alert);
  auto added = store_->AddAlert(&r);
  return added.ok() ? Status::Ok() : added.status();
}

Status StoreAlertLog::RecordDelivery(const DeliveryRecord& record) {
  auto alert = store_->FindAlert(record.alert_key);
  if (!alert.ok()) return alert.status();
  if (!alert->has_value()) {
    return Status(StatusCode::kInternal, "delivery of an alert the store does not hold: " + record.alert_key);
  }
  NotificationState n;
  n.alert_id = (*alert)->id;
  n.notifier = record.notifier;
  n.state = DeliveryStateName(record.state);
  n.attempts = record.attempts;
  n.last_error = record.error;
  if (record.next_attempt) n.next_attempt = FormatUtc(*record.next_attempt);
  if (record.state == DeliveryState::kSent) n.sent_at = FormatUtc(std::chrono::system_clock::now());
  return store_->SaveNotification(n);
}

}  // namespace dyad::watch

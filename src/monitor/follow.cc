// Keeping a MonitorIndex current with a store: a full load, then the net
// changes from the change feed and new documents by id.
#include <algorithm>
#include <unordered_set>

#include "dyad/monitor.h"

namespace dyad::monitor {

Result<StorePosition> LoadIndex(Store& store, MonitorIndex* index) {
  // The position first: changes made while loading are read again by the
  // next ReadChanges, and upserting an event twice is harmless.
  auto seq = store.LatestChange();
  if (!seq.ok()) return seq.status();
  MonitorIndex fresh;
  DYAD_RETURN_IF_ERROR(store.ForEachEventFact([&](const EventFact& f) { fresh.Upsert(f); }));
  StorePosition at{*seq, 0};
  DYAD_RETURN_IF_ERROR(store.ForEachDocumentFact([&](const DocumentFact& f) {
    fresh.UpsertDocument(f);
    at.last_document_id = std::max(at.last_document_id, f.document_id);
  }));
  *index = std::move(fresh);
  return at;
}

Result<StoreDelta> ReadChanges(Store& store, const StorePosition& from) {
  StoreDelta delta;
  delta.to = from;
  std::unordered_set<std::int64_t> upsert, remove;
  for (;;) {
    auto changes = store.ChangesSince(delta.to.change_seq, 10000);
    if (!changes.ok()) return changes.status();
    if (changes->empty()) break;
    for (const EventChange& c : *changes) {
      if (c.kind == "deleted") {
        upsert.erase(c.event_id);
        remove.insert(c.event_id);
      } else {
        remove.erase(c.event_id);
        upsert.insert(c.event_id);
      }
    }
    delta.to.change_seq = changes->back().seq;
  }
  DYAD_RETURN_IF_ERROR(store.ForEachDocumentFact(
      [&](const DocumentFact& f) {
        delta.to.last_document_id = std::max(delta.to.last_document_id, f.document_id);
        delta.documents.push_back(f);
      },
      from.last_document_id));
  if (!upsert.empty()) {
    auto facts = store.GetEventFacts(std::vector<std::int64_t>(upsert.begin(), upsert.end()));
    if (!facts.ok()) return facts.status();
    delta.upserted = std::move(*facts);
  }
  delta.removed.assign(remove.begin(), remove.end());
  return delta;
}

void Apply(const StoreDelta& delta, MonitorIndex* index) {
  for (std::int64_t id : delta.removed) index->Remove(id);
  for (const EventFact& f : delta.upserted) index->Upsert(f);
  for (const DocumentFact& d : delta.documents) index->UpsertDocument(d);
}

}  // namespace dyad::monitor

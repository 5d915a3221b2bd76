// MonitorIndex: storage, updates and SelectEvents. index_impl.h explains the
// layout.
#include <algorithm>
#include <charconv>
#include <queue>
#include <string>
#include <utility>

#include "dyad/export.h"
#include "dyad/monitor.h"
#include "monitor/index_impl.h"

namespace dyad::monitor {

using internal::Fact;
using internal::kNone;
using internal::Post;
using internal::PostingList;

// --- PostingList ---

namespace internal {

PostingList::Pos PostingList::Seek(Day day, std::int64_t id) const {
  // The first chunk whose last entry is at or after (day, id).
  auto chunk = std::partition_point(chunks_.begin(), chunks_.end(),
                                    [&](const std::vector<Post>& c) {
                                      const Post& last = c.back();
                                      return Before(last.day, last.id, day, id);
                                    });
  if (chunk == chunks_.end()) return {static_cast<std::uint32_t>(chunks_.size()), 0};
  auto it = std::partition_point(chunk->begin(), chunk->end(), [&](const Post& p) {
    return Before(p.day, p.id, day, id);
  });
  return {static_cast<std::uint32_t>(chunk - chunks_.begin()),
          static_cast<std::uint32_t>(it - chunk->begin())};
}

void PostingList::Insert(const Post& post) {
  ++size_;
  if (chunks_.empty()) {
    chunks_.emplace_back().push_back(post);
    return;
  }
  // The first chunk whose last entry comes after `post`; else the last chunk.
  auto chunk = std::partition_point(chunks_.begin(), chunks_.end(),
                                    [&](const std::vector<Post>& c) {
                                      const Post& last = c.back();
                                      return Before(last.day, last.id, post.day, post.id);
                                    });
  if (chunk == chunks_.end()) --chunk;
  auto it = std::partition_point(chunk->begin(), chunk->end(), [&](const Post& p) {
    return Before(p.day, p.id, post.day, post.id);
  });
  chunk->insert(it, post);
  if (chunk->size() > 2 * kChunk) {
    std::vector<Post> tail(chunk->begin() + kChunk, chunk->end());
    chunk->resize(kChunk);
    chunk->shrink_to_fit();
    chunks_.insert(chunk + 1, std::move(tail));
  }
}

bool PostingList::Erase(Day day, std::int64_t id) {
  Pos p = Seek(day, id);
  if (AtEnd(p)) return false;
  std::vector<Post>& chunk = chunks_[p.chunk];
  if (chunk[p.index].day != day || chunk[p.index].id != id) return false;
  chunk.erase(chunk.begin() + p.index);
  if (chunk.empty()) chunks_.erase(chunks_.begin() + p.chunk);
  --size_;
  return true;
}

}  // namespace internal

// --- Impl helpers ---

std::uint32_t MonitorIndex::Impl::InternPrefix(std::string_view prefix) {
  auto it = prefixes.ids.find(std::string(prefix));
  if (it != prefixes.ids.end()) return it->second;
  internal::PrefixInfo info;
  info.text = prefix;
  // CountryOfActor maps "UZB..." to Uzbekistan and gives nullptr for "---",
  // IGO, NGO, regions and short codes.
  if (prefix.size() == 3) info.country = CountryOfActor(prefix);
  auto id = static_cast<std::uint32_t>(prefixes.items.size());
  prefixes.items.push_back(std::move(info));
  prefixes.ids.emplace(std::string(prefix), id);
  return id;
}

std::uint32_t MonitorIndex::Impl::InternActor(const std::string& code) {
  auto it = actors.ids.find(code);
  if (it != actors.ids.end()) return it->second;
  internal::ActorInfo info;
  info.code = code;
  info.prefix = InternPrefix(std::string_view(code).substr(0, 3));
  auto id = static_cast<std::uint32_t>(actors.items.size());
  actors.items.push_back(std::move(info));
  actors.ids.emplace(code, id);
  return id;
}

std::uint16_t MonitorIndex::Impl::InternCode(const std::string& code) {
  auto it = codes.ids.find(code);
  if (it != codes.ids.end()) return static_cast<std::uint16_t>(it->second);
  internal::CodeInfo info;
  info.code = code;
  if (code.size() >= 2 && code[0] >= '0' && code[0] <= '9' && code[1] >= '0' && code[1] <= '9') {
    info.root = (code[0] - '0') * 10 + (code[1] - '0');
  }
  // CAMEO has ~300 codes; a store with more distinct strings than fit
  // shares the last id rather than wrapping around.
  if (codes.items.size() >= 0xFFFF) return 0xFFFF - 1;
  auto id = static_cast<std::uint32_t>(codes.items.size());
  codes.items.push_back(std::move(info));
  codes.ids.emplace(code, id);
  return static_cast<std::uint16_t>(id);
}

std::uint32_t MonitorIndex::Impl::PairId(std::uint32_t source_prefix,
                                         std::uint32_t target_prefix) {
  std::uint64_t key = (std::uint64_t{source_prefix} << 32) | target_prefix;
  auto it = pair_of_prefixes.find(key);
  if (it != pair_of_prefixes.end()) return it->second;
  auto id = static_cast<std::uint32_t>(pairs.size());
  pairs.emplace_back();
  pairs.back().source_prefix = source_prefix;
  pairs.back().target_prefix = target_prefix;
  pair_of_prefixes.emplace(key, id);
  prefixes.items[source_prefix].pairs_as_source.push_back(id);
  prefixes.items[target_prefix].pairs_as_target.push_back(id);
  return id;
}

std::uint32_t MonitorIndex::Impl::StoryIndex(std::int64_t story_id) {
  std::uint32_t idx = story_index.Find(story_id);
  if (idx != kNone) return idx;
  idx = static_cast<std::uint32_t>(story_ids.size());
  story_ids.push_back(story_id);
  story_head.push_back(kNone);
  story_events.push_back(0);
  story_index.Set(story_id, idx);
  return idx;
}

void MonitorIndex::Impl::Unlink(std::uint32_t slot) {
  Fact& f = facts[slot];
  all.Erase(f.day, f.id);
  pairs[f.pair].list.Erase(f.day, f.id);
  // Out of its story's list.
  std::uint32_t* link = &story_head[f.story];
  while (*link != kNone && *link != slot) link = &facts[*link].next_in_story;
  if (*link == slot) *link = f.next_in_story;
  f.next_in_story = kNone;
  if (--story_events[f.story] == 0) --live_stories;
  if (f.day != kUndated) {
    auto it = event_days.find(f.day);
    if (it != event_days.end() && --it->second == 0) event_days.erase(it);
  }
  f.alive = false;
}

std::vector<std::uint32_t> MonitorIndex::Impl::PrefixIdsFor(std::string_view prefix) const {
  std::vector<std::uint32_t> ids;
  if (prefix.size() >= 3) {
    auto it = prefixes.ids.find(std::string(prefix.substr(0, 3)));
    if (it != prefixes.ids.end()) ids.push_back(it->second);
    return ids;
  }
  for (std::uint32_t i = 0; i < prefixes.items.size(); ++i) {
    if (std::string_view(prefixes.items[i].text).substr(0, prefix.size()) == prefix) {
      ids.push_back(i);
    }
  }
  return ids;
}

std::vector<std::uint32_t> MonitorIndex::Impl::PairsFor(std::string_view a, std::string_view b,
                                                        bool directed) const {
  std::vector<std::uint32_t> out;
  auto add = [&](std::string_view s, std::string_view t) {
    std::vector<std::uint32_t> targets = PrefixIdsFor(t);
    std::sort(targets.begin(), targets.end());
    for (std::uint32_t sp : PrefixIdsFor(s)) {
      for (std::uint32_t pair : prefixes.items[sp].pairs_as_source) {
        if (std::binary_search(targets.begin(), targets.end(), pairs[pair].target_prefix)) {
          out.push_back(pair);
        }
      }
    }
  };
  add(a, b);
  if (!directed) add(b, a);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<MonitorIndex::Impl::CountryPair> MonitorIndex::Impl::CountryPairs() const {
  std::map<std::pair<std::string, std::string>, CountryPair> by_codes;
  for (std::uint32_t i = 0; i < pairs.size(); ++i) {
    const internal::PairList& p = pairs[i];
    if (p.list.size() == 0 || p.source_prefix == p.target_prefix) continue;
    if (Country(p.source_prefix) == nullptr || Country(p.target_prefix) == nullptr) continue;
    std::uint32_t lo = p.source_prefix, hi = p.target_prefix;
    if (prefixes.items[hi].text < prefixes.items[lo].text) std::swap(lo, hi);
    CountryPair& cp = by_codes[{prefixes.items[lo].text, prefixes.items[hi].text}];
    cp.a = lo;
    cp.b = hi;
    cp.pairs.push_back(i);
  }
  std::vector<CountryPair> out;
  out.reserve(by_codes.size());
  for (auto& [key, cp] : by_codes) out.push_back(std::move(cp));
  return out;
}

// --- MonitorIndex: updates ---

MonitorIndex::MonitorIndex() : impl_(std::make_unique<Impl>()) {}
MonitorIndex::~MonitorIndex() = default;
MonitorIndex::MonitorIndex(MonitorIndex&&) noexcept = default;
MonitorIndex& MonitorIndex::operator=(MonitorIndex&&) noexcept = default;

void MonitorIndex::Upsert(const EventFact& in) {
  Impl& m = *impl_;
  ++m.version;
  std::uint32_t slot = m.slot_of_event.Find(in.event_id);
  if (slot != kNone) {
    m.Unlink(slot);
  } else {
    if (!m.free_slots.empty()) {
      slot = m.free_slots.back();
      m.free_slots.pop_back();
    } else {
      slot = static_cast<std::uint32_t>(m.facts.size());
      m.facts.emplace_back();
    }
    m.slot_of_event.Set(in.event_id, slot);
    ++m.live_events;
  }
  Fact f;
  f.id = in.event_id;
  f.document_id = in.document_id;
  f.sentence = in.sentence_index;
  if (!ParseDay(in.date, &f.day)) f.day = kUndated;
  f.source = m.InternActor(in.source);
  f.target = m.InternActor(in.target);
  f.code = m.InternCode(in.code);
  f.quad = static_cast<std::int8_t>(in.quad_class >= 0 && in.quad_class <= 4 ? in.quad_class : 0);
  f.goldstein = in.has_goldstein ? static_cast<float>(in.goldstein) : NAN;
  f.pair = m.PairId(m.actors.items[f.source].prefix, m.actors.items[f.target].prefix);
  f.story = m.StoryIndex(in.story_id);
  f.next_in_story = m.story_head[f.story];
  f.alive = true;
  m.story_head[f.story] = slot;
  if (m.story_events[f.story]++ == 0) ++m.live_stories;
  if (f.day != kUndated) ++m.event_days[f.day];
  m.facts[slot] = f;
  Post post{f.day, slot, f.id};
  m.all.Insert(post);
  m.pairs[f.pair].list.Insert(post);
}

void MonitorIndex::Remove(std::int64_t event_id) {
  Impl& m = *impl_;
  ++m.version;
  std::uint32_t slot = m.slot_of_event.Find(event_id);
  if (slot == kNone) return;
  m.Unlink(slot);
  m.slot_of_event.Erase(event_id);
  m.free_slots.push_back(slot);
  --m.live_events;
}

void MonitorIndex::UpsertDocument(const DocumentFact& in) {
  Impl& m = *impl_;
  ++m.version;
  RemoveDocument(in.document_id);
  std::uint32_t slot;
  if (!m.free_doc_slots.empty()) {
    slot = m.free_doc_slots.back();
    m.free_doc_slots.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(m.docs.size());
    m.docs.emplace_back();
  }
  internal::DocInfo& d = m.docs[slot];
  d.id = in.document_id;
  if (!ParseDay(in.date, &d.day)) d.day = kUndated;
  auto it = m.outlets.ids.find(in.outlet);
  if (it == m.outlets.ids.end()) {
    it = m.outlets.ids.emplace(in.outlet, static_cast<std::uint32_t>(m.outlets.items.size()))
             .first;
    m.outlets.items.push_back(in.outlet);
    m.outlet_days.emplace_back();
  }
  d.outlet = it->second;
  d.alive = true;
  ++m.outlet_days[d.outlet][d.day];
  m.slot_of_doc.Set(in.document_id, slot);
  ++m.live_docs;
}

void MonitorIndex::RemoveDocument(std::int64_t document_id) {
  Impl& m = *impl_;
  ++m.version;
  std::uint32_t slot = m.slot_of_doc.Find(document_id);
  if (slot == kNone) return;
  internal::DocInfo& d = m.docs[slot];
  auto& days = m.outlet_days[d.outlet];
  auto it = days.find(d.day);
  if (it != days.end() && --it->second == 0) days.erase(it);
  d.alive = false;
  m.slot_of_doc.Erase(document_id);
  m.free_doc_slots.push_back(slot);
  --m.live_docs;
}

std::size_t MonitorIndex::event_count() const { return impl_->live_events; }
std::size_t MonitorIndex::document_count() const { return impl_->live_docs; }
std::size_t MonitorIndex::story_count() const { return impl_->live_stories; }
std::uint64_t MonitorIndex::version() const { return impl_->version; }
Day MonitorIndex::LatestDay() const { return impl_->LatestDay(); }

std::optional<EventFact> MonitorIndex::GetEvent(std::int64_t event_id) const {
  const Impl& m = *impl_;
  std::uint32_t slot = m.slot_of_event.Find(event_id);
  if (slot == kNone) return std::nullopt;
  const Fact& f = m.facts[slot];
  EventFact out;
  out.event_id = f.id;
  out.document_id = f.document_id;
  out.story_id = m.StoryId(f);
  out.date = FormatDay(f.day);
  out.source = m.ActorCode(f.source);
  out.target = m.ActorCode(f.target);
  out.code = m.Code(f).code;
  out.quad_class = f.quad;
  out.has_goldstein = f.has_goldstein();
  out.goldstein = out.has_goldstein ? f.goldstein : 0;
  return out;
}

std::size_t MonitorIndex::MemoryBytes() const {
  const Impl& m = *impl_;
  std::size_t bytes = m.facts.capacity() * sizeof(Fact) + m.free_slots.capacity() * 4 +
                      m.slot_of_event.MemoryBytes() + m.slot_of_doc.MemoryBytes() +
                      m.story_index.MemoryBytes() + m.story_ids.capacity() * 8 +
                      m.story_head.capacity() * 4 + m.story_events.capacity() * 4 +
                      m.docs.capacity() * sizeof(internal::DocInfo) +
                      m.event_days.size() * 48;
  auto list_bytes = [](const PostingList& l) {
    return l.size() * sizeof(Post) * 5 / 4 + l.chunk_count() * 32;   // chunks run ~80% full
  };
  bytes += list_bytes(m.all);
  for (const auto& p : m.pairs) bytes += list_bytes(p.list) + sizeof(p);
  bytes += m.pair_of_prefixes.size() * 32;
  for (const auto& a : m.actors.items) bytes += 2 * (a.code.capacity() + 48);
  for (const auto& days : m.outlet_days) bytes += days.size() * 48;
  return bytes;
}

// --- SelectEvents ---

namespace internal {

std::string EncodeCursor(Day day, std::int64_t id) {
  std::string s = std::to_string(day);
  s += '.';
  s += std::to_string(id);
  return s;
}

bool DecodeCursor(const std::string& s, Day* day, std::int64_t* id) {
  std::size_t dot = s.find('.');
  if (dot == std::string::npos) return false;
  const char* end = s.data() + s.size();
  auto r1 = std::from_chars(s.data(), s.data() + dot, *day);
  if (r1.ec != std::errc() || r1.ptr != s.data() + dot) return false;
  auto r2 = std::from_chars(s.data() + dot + 1, end, *id);
  return r2.ec == std::errc() && r2.ptr == end;
}

}  // namespace internal

using internal::DecodeCursor;
using internal::EncodeCursor;

Result<EventPage> MonitorIndex::SelectEvents(const EventFilter& filter, const std::string& cursor,
                                             int limit) const {
  const Impl& m = *impl_;
  EventPage page;
  if (limit <= 0) return page;
  // Start: just after the cursor, or at filter.dates.to.
  Day start_day = filter.dates.to;
  std::int64_t start_id = INT64_MAX;
  if (!cursor.empty()) {
    Day cday;
    std::int64_t cid;
    if (!DecodeCursor(cursor, &cday, &cid)) return InvalidArgument("cursor: not a cursor");
    if (internal::Before(cday, cid, start_day, start_id)) {
      // The cursor is newer than `to`: start at `to`.
    } else {
      start_day = cday;
      start_id = cid == INT64_MIN ? cid : cid - 1;
      if (cid == INT64_MIN) return page;
    }
  }
  const bool bounded = filter.dates.bounded();
  unsigned quad_mask = 0;
  for (int q : filter.quad_classes) {
    if (q >= 0 && q <= 4) quad_mask |= 1u << q;
  }
  const bool any_dyad = !filter.actor_a.empty() || !filter.actor_b.empty();
  auto accept = [&](const Fact& f) {
    if (bounded && !filter.dates.Contains(f.day)) return false;
    if (any_dyad && !m.DyadMatches(f, filter.actor_a, filter.actor_b, filter.directed)) {
      return false;
    }
    if (!filter.code_prefix.empty() &&
        std::string_view(m.Code(f).code).substr(0, filter.code_prefix.size()) !=
            filter.code_prefix) {
      return false;
    }
    if (quad_mask != 0 && (quad_mask & (1u << f.quad)) == 0) return false;
    if (filter.story_id && m.StoryId(f) != *filter.story_id) return false;
    return true;
  };
  auto finish = [&](std::vector<std::uint32_t>& slots) {
    if (slots.size() > static_cast<std::size_t>(limit)) {
      slots.resize(limit);
      const Fact& last = m.facts[slots.back()];
      page.next_cursor = EncodeCursor(last.day, last.id);
    }
    for (std::uint32_t s : slots) page.ids.push_back(m.facts[s].id);
  };

  // Small candidate sets (ids, a story): filter, sort, cut.
  if (filter.ids || filter.story_id) {
    std::vector<std::uint32_t> slots;
    if (filter.ids) {
      for (std::int64_t id : *filter.ids) {
        std::uint32_t s = m.slot_of_event.Find(id);
        if (s != kNone) slots.push_back(s);
      }
      std::sort(slots.begin(), slots.end());
      slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
    } else {
      std::uint32_t story = m.story_index.Find(*filter.story_id);
      if (story != kNone) {
        for (std::uint32_t s = m.story_head[story]; s != kNone; s = m.facts[s].next_in_story) {
          slots.push_back(s);
        }
      }
    }
    std::erase_if(slots, [&](std::uint32_t s) {
      const Fact& f = m.facts[s];
      return !accept(f) || internal::Before(f.day, f.id, start_day, start_id);
    });
    std::sort(slots.begin(), slots.end(), [&](std::uint32_t x, std::uint32_t y) {
      return internal::Before(m.facts[x].day, m.facts[x].id, m.facts[y].day, m.facts[y].id);
    });
    if (slots.size() > static_cast<std::size_t>(limit) + 1) slots.resize(limit + 1);
    finish(slots);
    return page;
  }

  // Otherwise merge the posting lists that can hold matches, newest first.
  std::vector<const PostingList*> lists;
  if (any_dyad) {
    for (std::uint32_t p : m.PairsFor(filter.actor_a, filter.actor_b, filter.directed)) {
      lists.push_back(&m.pairs[p].list);
    }
  } else {
    lists.push_back(&m.all);
  }
  struct Head {
    const PostingList* list;
    PostingList::Pos pos;
  };
  auto newer_last = [](const Head& x, const Head& y) {
    const Post& a = x.list->At(x.pos);
    const Post& b = y.list->At(y.pos);
    return internal::Before(b.day, b.id, a.day, a.id);
  };
  std::priority_queue<Head, std::vector<Head>, decltype(newer_last)> heap(newer_last);
  for (const PostingList* l : lists) {
    PostingList::Pos p = l->Seek(start_day, start_id);
    if (!l->AtEnd(p)) heap.push({l, p});
  }
  std::vector<std::uint32_t> slots;
  while (!heap.empty() && slots.size() <= static_cast<std::size_t>(limit)) {
    Head h = heap.top();
    heap.pop();
    const Post& post = h.list->At(h.pos);
    if (bounded && (post.day < filter.dates.from || post.day == kUndated)) continue;  // list done
    if (accept(m.facts[post.slot])) slots.push_back(post.slot);
    h.list->Next(&h.pos);
    if (!h.list->AtEnd(h.pos)) heap.push(h);
  }
  finish(slots);
  return page;
}

}  // namespace dyad::monitor

// Internal to src/monitor: MonitorIndex's data layout and the helpers the
// analyses share.
//
// Layout. Every event is one `Fact` (48 bytes) in a slot vector; actor codes,
// event codes and outlets are interned. Each event sits in two posting
// lists sorted newest first (day desc, id desc): the global one and that of
// its directed "prefix pair" (first three letters of source and target, so
// "UZBGOV" -> "RUSCOP" lives in UZB->RUS). A posting list is a vector of
// sorted chunks of at most 2 x kChunk entries, so inserting in any order
// costs a binary search plus a short move, and reading a date range is a
// binary search plus a sequential walk. Stories are threaded through the
// facts as singly linked lists (story -> first slot -> next slot).
//
// Story-level counts ("distinct stories per bucket", "distinct (story,
// source, target, code)") are computed per query with FlatSet, an
// open-addressing set of 64-bit hashes: one probe per event, no sorting.
#ifndef DYAD_SRC_MONITOR_INDEX_IMPL_H_
#define DYAD_SRC_MONITOR_INDEX_IMPL_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dyad/export.h"
#include "dyad/monitor.h"

namespace dyad::monitor {
namespace internal {

inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// One entry of a posting list.
struct Post {
  Day day = 0;
  std::uint32_t slot = 0;
  std::int64_t id = 0;
};
// List order: newest first, then higher id first; undated (kUndated) last.
inline bool Before(Day ad, std::int64_t aid, Day bd, std::int64_t bid) {
  return ad != bd ? ad > bd : aid > bid;
}

class PostingList {
 public:
  struct Pos {
    std::uint32_t chunk = 0, index = 0;
  };
  void Insert(const Post& post);
  bool Erase(Day day, std::int64_t id);
  std::size_t size() const { return size_; }
  std::size_t chunk_count() const { return chunks_.size(); }
  // The first entry at (day, id) or after it in list order.
  Pos Seek(Day day, std::int64_t id) const;
  // The first entry dated `to` or earlier (undated entries come last).
  Pos SeekDay(Day to) const { return Seek(to, INT64_MAX); }
  bool AtEnd(const Pos& p) const { return p.chunk >= chunks_.size(); }
  const Post& At(const Pos& p) const { return chunks_[p.chunk][p.index]; }
  void Next(Pos* p) const {
    if (++p->index >= chunks_[p->chunk].size()) {
      ++p->chunk;
      p->index = 0;
    }
  }
  // Calls fn(post) for entries with from <= day <= to (never undated ones),
  // newest first.
  template <typename Fn>
  void ForRange(const DateRange& range, Fn&& fn) const {
    for (Pos p = SeekDay(range.to); !AtEnd(p); Next(&p)) {
      const Post& post = At(p);
      if (post.day < range.from || post.day == kUndated) break;
      fn(post);
    }
  }

 private:
  static constexpr std::size_t kChunk = 256;
  std::vector<std::vector<Post>> chunks_;
  std::size_t size_ = 0;
};

// An id -> slot map: a plain vector for the small non-negative ids stores
// hand out, a hash map for anything else.
class IdMap {
 public:
  std::uint32_t Find(std::int64_t id) const {
    if (id >= 0 && id < kDenseLimit) {
      return static_cast<std::size_t>(id) < dense_.size() ? dense_[id] : kNone;
    }
    auto it = sparse_.find(id);
    return it == sparse_.end() ? kNone : it->second;
  }
  void Set(std::int64_t id, std::uint32_t value) {
    if (id >= 0 && id < kDenseLimit) {
      if (static_cast<std::size_t>(id) >= dense_.size()) dense_.resize(id + 1, kNone);
      dense_[id] = value;
    } else {
      sparse_[id] = value;
    }
  }
  void Erase(std::int64_t id) {
    if (id >= 0 && id < kDenseLimit) {
      if (static_cast<std::size_t>(id) < dense_.size()) dense_[id] = kNone;
    } else {
      sparse_.erase(id);
    }
  }
  std::size_t MemoryBytes() const { return dense_.capacity() * 4 + sparse_.size() * 40; }

 private:
  static constexpr std::int64_t kDenseLimit = std::int64_t{1} << 23;
  std::vector<std::uint32_t> dense_;
  std::unordered_map<std::int64_t, std::uint32_t> sparse_;
};

inline std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
inline std::uint64_t Hash(std::uint64_t a, std::uint64_t b, std::uint64_t c = 0,
                          std::uint64_t d = 0, std::uint64_t e = 0) {
  return Mix(a ^ Mix(b ^ Mix(c ^ Mix(d ^ Mix(e)))));
}

// A set of 64-bit hashes (open addressing, linear probing). Distinct tuples
// hash alike with probability ~n^2 / 2^64: negligible at any size we hold.
class FlatSet {
 public:
  // True when `key` was not in the set yet.
  bool Insert(std::uint64_t key) {
    if (key == 0) key = 1;
    if ((size_ + 1) * 2 > keys_.size()) Grow();
    std::size_t mask = keys_.size() - 1;
    for (std::size_t i = key & mask;; i = (i + 1) & mask) {
      if (keys_[i] == key) return false;
      if (keys_[i] == 0) {
        keys_[i] = key;
        ++size_;
        return true;
      }
    }
  }
  // Empties the set; the table shrinks to fit what it last held, so a set
  // reused for many small groups after a big one stays cheap to clear.
  void Clear() {
    if (size_ == 0) return;
    std::size_t cap = 64;
    while (cap < size_ * 4) cap *= 2;
    keys_.assign(std::min(keys_.size(), cap), 0);
    size_ = 0;
  }
  std::size_t size() const { return size_; }

 private:
  void Grow() {
    std::vector<std::uint64_t> old = std::move(keys_);
    keys_.assign(old.empty() ? 64 : old.size() * 2, 0);
    size_ = 0;
    for (std::uint64_t k : old) {
      if (k != 0) Insert(k);
    }
  }
  std::vector<std::uint64_t> keys_;
  std::size_t size_ = 0;
};

// 48 bytes: the story id lives in Impl::story_ids[story].
// Per-query marks on stories: Mark(story, m) is true the first time a story
// is marked with m. Marks only grow, so one array serves many groups (m =
// group number) with no clearing; stories are numbered in ingest order, so
// walking a date-ordered list touches it almost sequentially.
class StoryMarks {
 public:
  explicit StoryMarks(std::size_t stories) : marks_(stories, 0) {}
  bool Mark(std::uint32_t story, std::uint32_t mark) {
    if (marks_[story] == mark) return false;
    marks_[story] = mark;
    return true;
  }

 private:
  std::vector<std::uint32_t> marks_;
};

// Cursors of event pages: the last (day, id) returned, as "day.id".
std::string EncodeCursor(Day day, std::int64_t id);
bool DecodeCursor(const std::string& s, Day* day, std::int64_t* id);

struct Fact {
  std::int64_t id = 0;
  std::int64_t document_id = 0;
  Day day = kUndated;
  std::uint32_t source = 0, target = 0;   // actor ids
  std::uint32_t story = 0;                // dense story index
  std::uint32_t next_in_story = kNone;    // slot
  std::uint32_t pair = 0;                 // directed prefix pair
  std::uint32_t sentence = 0;             // index in its document
  std::uint16_t code = 0;                 // code id
  std::int8_t quad = 0;
  bool alive = false;
  float goldstein = NAN;                  // NaN = none
  bool has_goldstein() const { return !std::isnan(goldstein); }
};

static_assert(sizeof(Fact) == 56, "keep Fact small: a million of them are held");

struct ActorInfo {
  std::string code;
  std::uint32_t prefix = 0;               // id of its first three letters
};

struct PrefixInfo {
  std::string text;                       // up to three letters
  const CountryInfo* country = nullptr;   // when the prefix is a country
  std::vector<std::uint32_t> pairs_as_source, pairs_as_target;
};

struct CodeInfo {
  std::string code;
  int root = -1;                          // two leading digits, -1 if not digits
};

struct PairList {
  std::uint32_t source_prefix = 0, target_prefix = 0;
  PostingList list;
};

struct DocInfo {
  std::int64_t id = 0;
  Day day = kUndated;
  std::uint32_t outlet = 0;
  bool alive = false;
};

template <typename Info>
struct Interner {
  std::vector<Info> items;
  std::unordered_map<std::string, std::uint32_t> ids;
};

}  // namespace internal

struct MonitorIndex::Impl {
  // Facts and ids.
  std::vector<internal::Fact> facts;
  std::vector<std::uint32_t> free_slots;
  internal::IdMap slot_of_event;
  std::size_t live_events = 0;
  std::uint64_t version = 0;   // bumped by every update

  // Interned strings.
  internal::Interner<internal::ActorInfo> actors;
  internal::Interner<internal::PrefixInfo> prefixes;
  internal::Interner<internal::CodeInfo> codes;
  internal::Interner<std::string> outlets;

  // Posting lists.
  internal::PostingList all;
  std::vector<internal::PairList> pairs;
  std::unordered_map<std::uint64_t, std::uint32_t> pair_of_prefixes;

  // Stories: dense index -> id, first slot, live events.
  internal::IdMap story_index;
  std::vector<std::int64_t> story_ids;
  std::vector<std::uint32_t> story_head;
  std::vector<std::uint32_t> story_events;
  std::size_t live_stories = 0;

  // Documents.
  std::vector<internal::DocInfo> docs;
  std::vector<std::uint32_t> free_doc_slots;
  internal::IdMap slot_of_doc;
  std::size_t live_docs = 0;
  std::vector<std::map<Day, std::int64_t>> outlet_days;   // per outlet: day -> documents

  // Latest dated event: kept as a multiset-free count per day.
  std::map<Day, std::int64_t> event_days;

  // --- helpers (index.cc) ---
  std::uint32_t InternActor(const std::string& code);
  std::uint32_t InternPrefix(std::string_view prefix);
  std::uint16_t InternCode(const std::string& code);
  std::uint32_t PairId(std::uint32_t source_prefix, std::uint32_t target_prefix);
  std::uint32_t StoryIndex(std::int64_t story_id);
  void Unlink(std::uint32_t slot);

  const std::string& ActorCode(std::uint32_t actor) const { return actors.items[actor].code; }
  const internal::CodeInfo& Code(const internal::Fact& f) const { return codes.items[f.code]; }
  std::int64_t StoryId(const internal::Fact& f) const { return story_ids[f.story]; }
  bool ActorMatches(std::uint32_t actor, std::string_view prefix) const {
    return std::string_view(actors.items[actor].code).substr(0, prefix.size()) == prefix;
  }
  // Prefix ids a code prefix can start with: the one of its first three
  // letters, or (shorter prefixes, "" included) every one it begins.
  std::vector<std::uint32_t> PrefixIdsFor(std::string_view prefix) const;
  // Directed pair ids whose events may have source ~ a and target ~ b, plus
  // the reverse when !directed; sorted, unique.
  std::vector<std::uint32_t> PairsFor(std::string_view a, std::string_view b,
                                      bool directed) const;
  // Does the fact's direction match (a -> b), or (b -> a) when undirected?
  bool DyadMatches(const internal::Fact& f, std::string_view a, std::string_view b,
                   bool directed) const {
    if (ActorMatches(f.source, a) && ActorMatches(f.target, b)) return true;
    return !directed && ActorMatches(f.source, b) && ActorMatches(f.target, a);
  }
  // Country of a prefix id, nullptr when not a country.
  const CountryInfo* Country(std::uint32_t prefix) const {
    return prefixes.items[prefix].country;
  }
  // Unordered country pairs: (lower prefix id by code, higher) -> directed pair ids.
  struct CountryPair {
    std::uint32_t a = 0, b = 0;           // prefix ids, code(a) < code(b)
    std::vector<std::uint32_t> pairs;
  };
  std::vector<CountryPair> CountryPairs() const;
  Day LatestDay() const { return event_days.empty() ? kUndated : event_days.rbegin()->first; }
};

}  // namespace dyad::monitor

#endif  // DYAD_SRC_MONITOR_INDEX_IMPL_H_

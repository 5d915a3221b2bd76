// Story grouping: MinHash signatures and an LSH index over them.
#include <array>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "dyad/ingest.h"

namespace dyad {
namespace {

constexpr int kRows = kMinHashes / kMinHashBands;
static_assert(kRows * kMinHashBands == kMinHashes);

std::uint64_t Mix(std::uint64_t x) {  // splitmix64 finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

std::uint64_t WordHash(std::string_view w) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a, folded through Mix
  for (unsigned char c : w) h = (h ^ c) * 0x100000001b3ULL;
  return Mix(h);
}

// The kMinHashes hash functions h_i(x) = top 32 bits of a_i * x + b_i
// (multiply-shift over already mixed shingle hashes, one multiply each):
// fixed constants, so signatures are comparable across runs and machines.
struct HashFamily {
  std::array<std::uint64_t, kMinHashes> a, b;
};
const HashFamily& Family() {
  static const HashFamily family = [] {
    HashFamily f{};
    std::uint64_t x = 0x6479616473746f72ULL;  // "dyadstor"
    for (int i = 0; i < kMinHashes; ++i) {
      f.a[i] = Mix(x += 0x9e3779b97f4a7c15ULL) | 1;
      f.b[i] = Mix(x += 0x9e3779b97f4a7c15ULL);
    }
    return f;
  }();
  return family;
}

std::uint16_t SigValue(std::string_view sig, int i) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(sig[2 * i]) |
                                    (static_cast<unsigned char>(sig[2 * i + 1]) << 8));
}

std::uint64_t BandKey(std::string_view sig, int band) {
  std::uint64_t key = static_cast<std::uint64_t>(band + 1) << 48;
  for (int r = 0; r < kRows; ++r)
    key ^= static_cast<std::uint64_t>(SigValue(sig, band * kRows + r)) << (16 * r);
  return Mix(key) | 1;  // never 0: 0 marks an empty slot
}

}  // namespace

std::string StorySignature(std::string_view text) {
  std::vector<std::uint64_t> words;
  words.reserve(text.size() / 6);
  std::string word;
  for (size_t i = 0; i <= text.size(); ++i) {
    const unsigned char c = i < text.size() ? static_cast<unsigned char>(text[i]) : ' ';
    if (std::isalnum(c) || c >= 0x80) {
      word.push_back(static_cast<char>(std::tolower(c)));
    } else if (!word.empty()) {
      words.push_back(WordHash(word));
      word.clear();
    }
  }
  if (words.size() < 3 || words.size() - 2 < static_cast<size_t>(kMinShingles)) return {};
  std::array<std::uint32_t, kMinHashes> minima;
  minima.fill(UINT32_MAX);
  const HashFamily& family = Family();
  for (size_t i = 0; i + 2 < words.size(); ++i) {
    const std::uint64_t shingle = Mix(words[i] ^ (words[i + 1] * 0x9e3779b97f4a7c15ULL) ^
                                      ((words[i + 2] << 21) | (words[i + 2] >> 43)));
    for (int k = 0; k < kMinHashes; ++k) {
      const auto v = static_cast<std::uint32_t>((family.a[k] * shingle + family.b[k]) >> 32);
      if (v < minima[k]) minima[k] = v;
    }
  }
  std::string sig(2 * kMinHashes, '\0');
  for (int k = 0; k < kMinHashes; ++k) {
    // The low 16 bits of each minimum: enough to tell equal minima apart
    // (a chance match is 1 in 65,536) at half the storage.
    sig[2 * k] = static_cast<char>(minima[k] & 0xff);
    sig[2 * k + 1] = static_cast<char>((minima[k] >> 8) & 0xff);
  }
  return sig;
}

double SignatureSimilarity(std::string_view a, std::string_view b) {
  if (a.size() != 2 * kMinHashes || b.size() != 2 * kMinHashes) return 0;
  int equal = 0;
  for (int k = 0; k < kMinHashes; ++k) equal += SigValue(a, k) == SigValue(b, k);
  return static_cast<double>(equal) / kMinHashes;
}

// Open addressing from band key to the latest document holding it: one
// table for all bands keeps memory to ~12 bytes a slot.
struct StoryIndex::Impl {
  double min_similarity;
  std::string signatures;                 // kMinHashes*2 bytes per indexed document
  std::vector<std::uint32_t> story_of;    // per document: index into story_names
  std::vector<std::string> story_names;
  std::unordered_map<std::string, std::uint32_t> story_ids;
  std::vector<std::uint64_t> keys;        // 0 = empty
  std::vector<std::uint32_t> docs;
  std::size_t used = 0;

  size_t Slot(std::uint64_t key) const {
    size_t mask = keys.size() - 1, i = static_cast<size_t>(key) & mask;
    while (keys[i] != 0 && keys[i] != key) i = (i + 1) & mask;
    return i;
  }
  void Grow() {
    std::vector<std::uint64_t> old_keys = std::move(keys);
    std::vector<std::uint32_t> old_docs = std::move(docs);
    const size_t n = old_keys.empty() ? 1024 : old_keys.size() * 2;
    keys.assign(n, 0);
    docs.assign(n, 0);
    for (size_t i = 0; i < old_keys.size(); ++i)
      if (old_keys[i] != 0) {
        size_t s = Slot(old_keys[i]);
        keys[s] = old_keys[i];
        docs[s] = old_docs[i];
      }
  }
  std::string_view Signature(std::uint32_t doc) const {
    return std::string_view(signatures).substr(size_t{doc} * 2 * kMinHashes, 2 * kMinHashes);
  }
};

StoryIndex::StoryIndex(double min_similarity) : impl_(std::make_unique<Impl>()) {
  impl_->min_similarity = min_similarity;
}
StoryIndex::~StoryIndex() = default;
StoryIndex::StoryIndex(StoryIndex&&) noexcept = default;
StoryIndex& StoryIndex::operator=(StoryIndex&&) noexcept = default;

std::size_t StoryIndex::size() const { return impl_->story_of.size(); }

std::string StoryIndex::Assign(std::string_view signature, const std::string& own_key) const {
  const Impl& m = *impl_;
  if (signature.size() != 2 * kMinHashes || m.keys.empty()) return own_key;
  double best = -1;
  std::int64_t best_doc = -1;
  for (int band = 0; band < kMinHashBands; ++band) {
    const size_t slot = m.Slot(BandKey(signature, band));
    if (m.keys[slot] == 0) continue;
    const std::uint32_t doc = m.docs[slot];
    const double sim = SignatureSimilarity(signature, m.Signature(doc));
    if (sim >= m.min_similarity && sim > best) {
      best = sim;
      best_doc = doc;
    }
  }
  return best_doc < 0 ? own_key : m.story_names[m.story_of[best_doc]];
}

void StoryIndex::Add(std::string_view signature, const std::string& story_key) {
  Impl& m = *impl_;
  if (signature.size() != 2 * kMinHashes) return;
  auto [it, inserted] = m.story_ids.try_emplace(story_key, m.story_names.size());
  if (inserted) m.story_names.push_back(story_key);
  const auto doc = static_cast<std::uint32_t>(m.story_of.size());
  m.story_of.push_back(it->second);
  m.signatures.append(signature);
  for (int band = 0; band < kMinHashBands; ++band) {
    if ((m.used + 1) * 10 > m.keys.size() * 7) m.Grow();
    const std::uint64_t key = BandKey(signature, band);
    const size_t slot = m.Slot(key);
    if (m.keys[slot] == 0) {
      m.keys[slot] = key;
      ++m.used;
    }
    m.docs[slot] = doc;  // the latest holder: stories grow from their newest copy
  }
}

}  // namespace dyad

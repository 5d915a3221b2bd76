#include "synthetic_corpus.h"

#include <array>
#include <random>

namespace dyad::bench {
namespace {

constexpr std::array kSubjects = {
    "Russian police", "The Uzbek Foreign Ministry", "Russia", "Uzbekistan", "Tajik authorities",
    "Kyrgyz President Sadyr Japarov", "Russian Foreign Ministry spokeswoman Maria Zakharova",
    "The Kremlin", "Kazakh officials", "China", "The United States", "Ukrainian forces",
    "The European Union", "Uzbek diplomats", "Russian law-enforcement authorities",
    "Security forces in Moscow", "Turkmenistan", "The Tajik embassy in Moscow", "Iran", "India"};
constexpr std::array kObjects = {
    "Uzbek labour migrants", "Russian officials", "Tajik and Kyrgyz workers", "Moscow", "Tashkent",
    "the Russian ambassador", "Kazakhstan", "Beijing", "Washington", "Ukrainian positions",
    "Uzbek citizens", "Central Asian migrants", "the Kremlin", "Kyrgyzstan", "Pakistan"};
constexpr std::array kVerbs = {
    "detained", "criticized", "condemned", "met", "visited", "accused", "deported", "praised",
    "urged", "summoned", "warned", "thanked", "attacked", "rebuked", "called on", "hosted",
    "welcomed", "threatened", "signed an agreement with", "raided markets used by",
    "expelled", "rejected demands from", "apologized to", "plans to visit", "did not condemn"};
constexpr std::array kTails = {
    " on Tuesday", " in Moscow", " after a raid on a market", " over the treatment of migrants",
    " last week", ", officials said", ", the ministry said in a statement", "",
    " during talks in Tashkent", " for the second time this year", ", according to the embassy"};
constexpr std::array kBackground = {
    "More than a million Uzbek citizens work in Russia, according to official figures.",
    "The remittances account for about a fifth of the economy.",
    "Prices for wheat rose by 11.8 percent in the first quarter.",
    "The bridge across the river was completed in 2019.",
    "Temperatures in the capital reached 35 degrees on Saturday.",
    "Analysts expect the figures to be revised next month.",
    "\"We keep this issue under constant control,\" the statement said.",
    "The talks were the first since the summit in Samarkand."};

}  // namespace

SyntheticCorpus MakeSyntheticCorpus(size_t sentences, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&](const auto& arr) { return arr[rng() % arr.size()]; };
  SyntheticCorpus c;
  static constexpr int kMonthDays = 28;
  while (c.sentences < sentences) {
    Document d;
    d.id = "synthetic-" + std::to_string(c.documents.size());
    const int day = 1 + static_cast<int>(c.documents.size() % kMonthDays);
    d.date = std::string("2025-06-") + (day < 10 ? "0" : "") + std::to_string(day);
    for (int s = 0; s < 20 && c.sentences < sentences; ++s, ++c.sentences) {
      if (rng() % 10 < 4) {
        d.text += pick(kBackground);
      } else {
        d.text += pick(kSubjects);
        d.text += " ";
        d.text += pick(kVerbs);
        d.text += " ";
        d.text += pick(kObjects);
        d.text += pick(kTails);
        d.text += ".";
      }
      d.text += (s % 4 == 3) ? "\n\n" : " ";
    }
    c.bytes += d.text.size();
    c.documents.push_back(std::move(d));
  }
  return c;
}

}  // namespace dyad::bench

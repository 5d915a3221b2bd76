// Ingest benchmarks that need a corpus on disk or a large one in memory.
//
//   ingest_perf corpus DIR --documents N --format html|jsonl [--seed S]
//       writes a synthetic news corpus (HTML pages with navigation, share
//       widgets and comment sections around the article, or JSON Lines); one
//       document in ten is a lightly edited repost of an earlier one.
//   ingest_perf stories N...
//       story-clustering cost as the corpus grows: signs and clusters N
//       synthetic documents in memory and prints µs per document.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dyad/ingest.h"

namespace {

// Names made of syllables give the open vocabulary of real news (people,
// places, numbers), so that unrelated articles share few word triples.
std::string Name(std::mt19937_64& rng) {
  static const char* kSyl[] = {"ka", "ro", "mi", "zan", "tur", "bek", "ov", "sha", "lin", "dor",
                               "va", "nur", "ali", "gul", "ser", "tem", "yu", "kho", "par", "ess"};
  std::string s;
  const int n = 2 + static_cast<int>(rng() % 3);
  for (int i = 0; i < n; ++i) s += kSyl[rng() % 20];
  s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::vector<std::string> Article(std::mt19937_64& rng) {
  static const char* kSubjects[] = {"Russian police", "The Uzbek Foreign Ministry", "Russia", "Uzbekistan",
                                    "Tajik authorities", "The Kremlin", "Kazakh officials", "Kyrgyzstan",
                                    "Uzbek diplomats", "Security forces"};
  static const char* kVerbs[] = {"detained", "criticized", "condemned", "met", "visited", "accused",
                                 "deported", "praised", "urged", "summoned", "warned", "thanked"};
  static const char* kObjects[] = {"Uzbek labour migrants", "Russian officials", "Tajik workers",
                                   "the Russian ambassador", "Uzbek citizens", "Kyrgyz traders"};
  std::vector<std::string> paragraphs;
  const int n = 4 + static_cast<int>(rng() % 5);
  for (int p = 0; p < n; ++p) {
    std::string para;
    for (int s = 0; s < 3; ++s) {
      para += std::string(kSubjects[rng() % 10]) + " " + kVerbs[rng() % 12] + " " + kObjects[rng() % 6] +
              " in " + Name(rng) + " on " + std::to_string(1 + rng() % 28) + " " +
              (rng() % 2 ? "March" : "October") + ", " + Name(rng) + " " + Name(rng) + " told the " +
              Name(rng) + " agency, citing " + std::to_string(rng() % 900 + 10) + " cases. ";
    }
    para.pop_back();
    paragraphs.push_back(para);
  }
  return paragraphs;
}

std::vector<std::string> Edited(std::vector<std::string> article, std::mt19937_64& rng) {
  article[rng() % article.size()] += " The report could not be independently verified.";
  if (article.size() > 3) article.pop_back();
  return article;
}

// The corpus's next article: one in ten a lightly edited repost of one of
// the last 64 originals, the rest new.
std::vector<std::string> NextArticle(std::mt19937_64& rng, std::vector<std::vector<std::string>>* recent) {
  if (!recent->empty() && rng() % 10 == 0) return Edited((*recent)[rng() % recent->size()], rng);
  std::vector<std::string> article = Article(rng);
  if (recent->size() < 64) recent->push_back(article);
  else (*recent)[rng() % 64] = article;
  return article;
}

// A page shaped like a news site's: about 40 KB of markup (inline scripts
// and styles, a large navigation menu, teasers, share widgets, a comment
// form, a footer of links) around 2-4 KB of article.
std::string Html(const std::vector<std::string>& article, int id, const std::string& date) {
  static const std::string chrome_head = [] {
    std::string h = "<style>";
    for (int i = 0; i < 300; ++i)
      h += ".c" + std::to_string(i) + "{margin:0 " + std::to_string(i % 9) + "px;color:#3" + std::to_string(i % 10) + "a}";
    h += "</style><script>window.__STATE__={\"menu\":[";
    for (int i = 0; i < 250; ++i) h += "{\"id\":" + std::to_string(i) + ",\"label\":\"Section " + std::to_string(i) + "\"},";
    h += "{}]};</script><script async src=\"/static/app.js\"></script>";
    return h;
  }();
  static const std::string chrome_nav = [] {
    std::string h = "<header class=\"site-header\"><nav class=\"main-menu\"><ul>";
    for (int i = 0; i < 150; ++i)
      h += "<li class=\"menu-item\"><a href=\"/section/" + std::to_string(i) + "\">Section " + std::to_string(i) + "</a></li>";
    h += "</ul></nav></header>";
    return h;
  }();
  static const std::string chrome_tail = [] {
    std::string h = "<div class=\"share-buttons\"><a href=\"#\">Share on Facebook</a><a href=\"#\">Tweet</a>"
                    "<a href=\"#\">Telegram</a></div><aside class=\"related sidebar\"><h3>Related</h3><ul>";
    for (int i = 0; i < 20; ++i)
      h += "<li><a href=\"/a/" + std::to_string(i) + "\"><img src=\"/img/" + std::to_string(i) +
           ".jpg\" alt=\"\">Earlier report number " + std::to_string(i) + " on the region</a></li>";
    h += "</ul></aside><section id=\"comments\"><h4>Post a Comment</h4><form><textarea></textarea>"
         "<button>Send</button></form></section></main><footer><ul>";
    for (int i = 0; i < 100; ++i)
      h += "<li><a href=\"/about/" + std::to_string(i) + "\">Footer link " + std::to_string(i) + "</a></li>";
    h += "</ul><p>Copyright Regional Desk</p></footer><script>track(\"pageview\");</script></body></html>\n";
    return h;
  }();
  std::string h = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Report " +
                  std::to_string(id) + " | Regional Desk</title><meta property=\"article:published_time\" content=\"" +
                  date + "T09:00:00Z\"><link rel=\"canonical\" href=\"https://news.example/a/" + std::to_string(id) +
                  "\">" + chrome_head + "</head><body>" + chrome_nav +
                  "<main><article><h1>Report " + std::to_string(id) + "</h1><p class=\"byline\">By the regional desk</p>";
  for (const auto& p : article) h += "<p>" + p + "</p>";
  h += "</article>" + chrome_tail;
  return h;
}

int MakeCorpus(const std::string& dir, long documents, const std::string& format, unsigned seed) {
  std::filesystem::create_directories(dir);
  std::mt19937_64 rng(seed);
  std::vector<std::vector<std::string>> recent;
  std::ofstream jsonl;
  if (format == "jsonl") jsonl.open(dir + "/corpus.jsonl");
  for (long i = 0; i < documents; ++i) {
    std::vector<std::string> article = NextArticle(rng, &recent);
    char date[16];
    std::snprintf(date, sizeof date, "2025-%02d-%02d", static_cast<int>(1 + i % 12), static_cast<int>(1 + i % 28));
    if (format == "html") {
      char name[32];
      std::snprintf(name, sizeof name, "/%03ld", i / 1000);
      std::filesystem::create_directories(dir + name);
      std::ofstream(dir + name + "/" + std::to_string(i) + ".html") << Html(article, static_cast<int>(i), date);
    } else {
      std::string text;
      for (const auto& p : article) text += (text.empty() ? "" : "\n\n") + p;
      jsonl << nlohmann::json{{"id", "doc-" + std::to_string(i)}, {"date", date}, {"source", "Regional Desk"},
                              {"text", text}}.dump() << "\n";
    }
  }
  return 0;
}

long PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

int Stories(const std::vector<long>& sizes) {
  std::printf("%-10s %12s %12s %10s %10s\n", "documents", "sign_us/doc", "index_us/doc", "stories", "rss_mb");
  for (long n : sizes) {
    std::mt19937_64 rng(7);
    std::vector<std::vector<std::string>> recent;
    dyad::StoryIndex index(0.5);
    double sign_s = 0, index_s = 0;
    long stories = 0;
    for (long i = 0; i < n; ++i) {
      std::vector<std::string> article = NextArticle(rng, &recent);
      std::string text;
      for (const auto& p : article) text += p + "\n\n";
      const auto t0 = std::chrono::steady_clock::now();
      const std::string sig = dyad::StorySignature(text);
      const auto t1 = std::chrono::steady_clock::now();
      const std::string own = std::to_string(i);
      const std::string story = index.Assign(sig, own);
      index.Add(sig, story);
      const auto t2 = std::chrono::steady_clock::now();
      stories += story == own;
      sign_s += std::chrono::duration<double>(t1 - t0).count();
      index_s += std::chrono::duration<double>(t2 - t1).count();
    }
    std::printf("%-10ld %12.2f %12.2f %10ld %10ld\n", n, sign_s / n * 1e6, index_s / n * 1e6, stories, PeakRssMb());
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() >= 2 && args[0] == "corpus") {
    long documents = 10000;
    std::string format = "html";
    unsigned seed = 42;
    for (size_t i = 2; i + 1 < args.size(); i += 2) {
      if (args[i] == "--documents") documents = std::atol(args[i + 1].c_str());
      else if (args[i] == "--format") format = args[i + 1];
      else if (args[i] == "--seed") seed = static_cast<unsigned>(std::atol(args[i + 1].c_str()));
    }
    if (format != "html" && format != "jsonl") {
      std::fprintf(stderr, "ingest_perf: --format is html or jsonl\n");
      return 2;
    }
    return MakeCorpus(args[1], documents, format, seed);
  }
  if (args.size() >= 2 && args[0] == "stories") {
    std::vector<long> sizes;
    for (size_t i = 1; i < args.size(); ++i) sizes.push_back(std::atol(args[i].c_str()));
    return Stories(sizes);
  }
  std::fprintf(stderr,
               "usage: ingest_perf corpus DIR --documents N --format html|jsonl [--seed S]\n"
               "       ingest_perf stories N...\n");
  return 2;
}

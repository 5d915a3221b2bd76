// A synthetic news site for the watch soak (bench/watch-soak): FEEDS RSS
// feeds spread over HOSTS loopback addresses (127.0.0.1, .2, ...), each
// publishing ARTICLES article pages at an even pace over PUBLISH seconds.
// Article text comes from the synthetic corpus, seeded per article, so no
// two articles are alike and nothing is held in memory.
//   watch_site PORT HOSTS FEEDS ARTICLES PUBLISH_SECONDS
// Prints "ready" once every host listens; runs until killed.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "synthetic_corpus.h"

namespace {

struct Site {
  int feeds = 1000, articles = 100;
  double publish_seconds = 600;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();

  int Published() const {
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (publish_seconds <= 0 || t >= publish_seconds) return articles;
    return std::max(1, static_cast<int>(articles * t / publish_seconds));
  }
};

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::cerr << "usage: watch_site PORT HOSTS FEEDS ARTICLES PUBLISH_SECONDS\n";
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const int hosts = std::atoi(argv[2]);
  Site site;
  site.feeds = std::atoi(argv[3]);
  site.articles = std::atoi(argv[4]);
  site.publish_seconds = std::atof(argv[5]);

  auto feed = [&](const httplib::Request& req, httplib::Response& res) {
    const int f = std::atoi(req.matches[1].str().c_str());
    const std::string host = req.get_header_value("Host");
    std::string rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed " +
                      std::to_string(f) + "</title>";
    for (int k = site.Published() - 1; k >= 0; --k) {
      const std::string url = "http://" + host + "/a/" + std::to_string(f) + "/" + std::to_string(k) + ".html";
      rss += "<item><title>Article " + std::to_string(k) + "</title><link>" + url + "</link><guid>" +
             url + "</guid></item>";
    }
    rss += "</channel></rss>";
    res.set_content(rss, "application/rss+xml");
  };
  auto article = [&](const httplib::Request& req, httplib::Response& res) {
    const std::uint64_t f = std::strtoull(req.matches[1].str().c_str(), nullptr, 10);
    const std::uint64_t k = std::strtoull(req.matches[2].str().c_str(), nullptr, 10);
    dyad::bench::SyntheticCorpus c = dyad::bench::MakeSyntheticCorpus(12, f * 100003 + k + 1);
    std::string html = "<!doctype html><html lang=\"en\"><head><title>Article</title>";
    if (!c.documents.empty() && !c.documents[0].date.empty()) {
      html += "<meta property=\"article:published_time\" content=\"" + c.documents[0].date + "\">";
    }
    html += "</head><body><nav><a href=\"/\">Home</a></nav><article><h1>Article</h1>";
    for (const dyad::Document& d : c.documents) html += "<p>" + Escape(d.text) + "</p>";
    html += "</article><footer>synthetic</footer></body></html>";
    res.set_content(html, "text/html; charset=utf-8");
  };

  std::vector<std::unique_ptr<httplib::Server>> servers;
  std::vector<std::thread> threads;
  for (int h = 1; h <= hosts; ++h) {
    auto s = std::make_unique<httplib::Server>();
    // Enough threads for the idle keep-alive connections curl keeps per handle
    // (a real server such as nginx holds those without a thread each).
    s->new_task_queue = [] { return new httplib::ThreadPool(128); };
    s->set_keep_alive_timeout(2);
    s->Get(R"(/feed/(\d+)\.xml)", feed);
    s->Get(R"(/a/(\d+)/(\d+)\.html)", article);
    s->Get("/robots.txt", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("User-agent: *\nDisallow: /private/\n", "text/plain");
    });
    const std::string addr = "127.0.0." + std::to_string(h);
    if (!s->bind_to_port(addr.c_str(), port)) {
      std::cerr << "watch_site: cannot listen on " << addr << ":" << port << "\n";
      return 1;
    }
    httplib::Server* raw = s.get();
    threads.emplace_back([raw] { raw->listen_after_bind(); });
    servers.push_back(std::move(s));
  }
  for (auto& s : servers) {
    while (!s->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::cout << "ready" << std::endl;
  for (auto& t : threads) t.join();
  return 0;
}

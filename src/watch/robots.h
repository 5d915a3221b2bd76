// robots.txt rules for one crawler (RFC 9309), used by the Fetcher.
//
//   RobotsRules r = RobotsRules::Parse(text, "dyad-watch");
//   if (!r.Allows("/news/1?x=2")) ...   // path and query of the URL
//
// Groups naming our product token (case-insensitive) apply; only when none
// does, the "*" groups apply. Several groups for the same agent are merged.
// Among the Allow/Disallow patterns matching a path the longest wins; on a
// tie Allow wins; no match allows. Patterns may use '*' (any run of
// characters) and a final '$' (end of the path). Immutable once built, so
// safe to share between threads.
#ifndef DYAD_WATCH_ROBOTS_H_
#define DYAD_WATCH_ROBOTS_H_

#include <string>
#include <string_view>
#include <vector>

namespace dyad::watch {

class RobotsRules {
 public:
  RobotsRules() = default;  // allows everything (no robots.txt, or a 4xx)
  static RobotsRules DisallowAll();
  static RobotsRules Parse(std::string_view text, std::string_view product_token);

  // `path` is the URL's path with its query ("/a/b?c=d"); "" means "/".
  bool Allows(std::string_view path) const;

 private:
  struct Rule {
    std::string pattern;
    bool allow = false;
  };
  std::vector<Rule> rules_;
};

// Whether a robots.txt pattern ('*' wildcards, optional final '$') matches
// the start of `path` (the whole of it when anchored by '$').
bool RobotsPatternMatches(std::string_view pattern, std::string_view path);

// The product token of a User-Agent string: "dyad-watch/0.1 (+...)" ->
// "dyad-watch", lower case.
std::string RobotsProductToken(std::string_view user_agent);

}  // namespace dyad::watch

#endif  // DYAD_WATCH_ROBOTS_H_

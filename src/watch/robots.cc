// robots.txt parsing and matching (RFC 9309). Parsing keeps only the rules
// of the groups that apply to our product token, so Allows() is a scan of a
// short list; matching a pattern tracks the set of path positions reachable
// after each pattern character (O(pattern x path), no backtracking blow-up).
#include "watch/robots.h"

#include <algorithm>
#include <cctype>

namespace dyad::watch {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// The agent token of a User-agent line's value: letters, '_' and '-'.
std::string AgentToken(std::string_view value) {
  std::string token;
  for (char c : value) {
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '*') {
      token += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      break;
    }
  }
  return token;
}

}  // namespace

RobotsRules RobotsRules::DisallowAll() {
  RobotsRules r;
  r.rules_.push_back({"/", false});
  return r;
}

RobotsRules RobotsRules::Parse(std::string_view text, std::string_view product_token) {
  struct Group {
    std::vector<std::string> agents;
    std::vector<Rule> rules;
  };
  std::vector<Group> groups;
  bool in_agents = false;  // the previous directive was a User-agent line
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string key = Lower(Trim(line.substr(0, colon)));
    std::string_view value = Trim(line.substr(colon + 1));
    if (key == "user-agent") {
      if (!in_agents) groups.emplace_back();
      groups.back().agents.push_back(AgentToken(value));
      in_agents = true;
    } else if (key == "allow" || key == "disallow") {
      in_agents = false;
      // An empty pattern matches nothing ("Disallow:" allows all).
      if (groups.empty() || value.empty()) continue;
      groups.back().rules.push_back({std::string(value), key == "allow"});
    } else {
      in_agents = false;  // sitemap, crawl-delay, ...: not ours to honour here
    }
  }
  std::string token = Lower(product_token);
  RobotsRules out;
  for (const std::string& want : {token, std::string("*")}) {
    for (const Group& g : groups) {
      if (std::find(g.agents.begin(), g.agents.end(), want) == g.agents.end()) continue;
      out.rules_.insert(out.rules_.end(), g.rules.begin(), g.rules.end());
    }
    // A group naming us (even with no rules) replaces the "*" groups.
    bool named = std::any_of(groups.begin(), groups.end(), [&](const Group& g) {
      return std::find(g.agents.begin(), g.agents.end(), want) != g.agents.end();
    });
    if (named) break;
  }
  return out;
}

bool RobotsRules::Allows(std::string_view path) const {
  if (path.empty()) path = "/";
  if (path == "/robots.txt") return true;
  int best = -1;
  bool allowed = true;
  for (const Rule& r : rules_) {
    int len = static_cast<int>(r.pattern.size());
    if (len < best || (len == best && !r.allow)) continue;
    if (!RobotsPatternMatches(r.pattern, path)) continue;
    best = len;
    allowed = r.allow;
  }
  return allowed;
}

bool RobotsPatternMatches(std::string_view pattern, std::string_view path) {
  bool anchored = !pattern.empty() && pattern.back() == '$';
  if (anchored) pattern.remove_suffix(1);
  // reachable[i]: the pattern read so far can end at path position i.
  std::vector<char> reachable(path.size() + 1, 0), next(path.size() + 1, 0);
  reachable[0] = 1;
  for (char c : pattern) {
    std::fill(next.begin(), next.end(), 0);
    bool any = false;
    if (c == '*') {
      size_t first = 0;
      while (first <= path.size() && !reachable[first]) ++first;
      for (size_t i = first; i <= path.size(); ++i) next[i] = 1;
      any = first <= path.size();
    } else {
      for (size_t i = 0; i < path.size(); ++i) {
        if (reachable[i] && path[i] == c) {
          next[i + 1] = 1;
          any = true;
        }
      }
    }
    if (!any) return false;
    reachable.swap(next);
  }
  if (anchored) return reachable[path.size()] != 0;
  return true;
}

std::string RobotsProductToken(std::string_view user_agent) {
  std::string token = AgentToken(Trim(user_agent));
  if (token.empty() || token == "*") return "dyad-watch";
  return token;
}

}  // namespace dyad::watch

// Readers for `dyad ingest`: every format on fixtures under
// testdata/ingest/ (written by testdata/ingest/make_fixtures.py), plus the
// failure cases -- truncated, corrupt, binary, empty, oversized, missing.
#include "dyad/readers.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.h"

namespace dyad {
namespace {

std::string Fixture(const std::string& rel) { return testing::TestdataDir() + "/ingest/" + rel; }

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Read {
  Status status;
  std::vector<RawDocument> docs;
  std::vector<ReaderError> errors;
};

Read ReadPath(const std::string& path, const ReaderOptions& options = {}) {
  Read r;
  r.status = ReadSource(path, options, [&](RawDocument d) { r.docs.push_back(std::move(d)); }, &r.errors);
  return r;
}

bool Contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// True when some error is at exactly `where` and its message contains `part`.
bool HasError(const std::vector<ReaderError>& errors, const std::string& where, const std::string& part) {
  return std::any_of(errors.begin(), errors.end(), [&](const ReaderError& e) {
    return e.where == where && Contains(e.message, part);
  });
}

std::string Dump(const std::vector<ReaderError>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.where + ": " + e.message + "\n";
  return out;
}

// --- Format detection. ---

TEST(ReadersFormatTest, DetectsByNameThenContent) {
  struct Case {
    const char* path;
    const char* head;
    SourceFormat want;
  };
  const Case cases[] = {
      {"a.txt", "", SourceFormat::kText},
      {"dir/A.TEXT", "<html>", SourceFormat::kText},
      {"a.html", "", SourceFormat::kHtml},
      {"a.htm.gz", "", SourceFormat::kHtml},
      {"a.xhtml", "", SourceFormat::kHtml},
      {"a.jsonl", "", SourceFormat::kJsonl},
      {"shard-01.ndjson.gz", "", SourceFormat::kJsonl},
      {"a.rss", "", SourceFormat::kFeed},
      {"a.atom", "", SourceFormat::kFeed},
      {"feed.xml", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">", SourceFormat::kFeed},
      {"feed.xml.gz", "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">", SourceFormat::kFeed},
      {"gold.xml", "<?xml version=\"1.0\"?>\n<Sentences>\n<Sentence date=\"20150101\">", SourceFormat::kPetrarchXml},
      {"export/result.json", "", SourceFormat::kTelegram},
      {"channel.json", "{\n \"name\": \"X\",\n \"type\": \"public_channel\",\n \"messages\": [", SourceFormat::kTelegram},
      {"records.json", "{\"id\": 1, \"text\": \"Hello\"}\n", SourceFormat::kJsonl},
      {"noext", "<!DOCTYPE html><html><body>", SourceFormat::kHtml},
      {"noext", "\xEF\xBB\xBF  <?xml version=\"1.0\"?><rss>", SourceFormat::kFeed},
      {"noext", "<?xml version=\"1.0\"?><feed>", SourceFormat::kFeed},
      {"noext", "<Sentences><Sentence>", SourceFormat::kPetrarchXml},
      {"noext", "{\"id\":\"a\",\"text\":\"b\"}\n{\"id\":\"c\"", SourceFormat::kJsonl},
      {"noext", "Russian police detained 40 Uzbek migrants.", SourceFormat::kText},
      {"noext.gz", "", SourceFormat::kText},
  };
  for (const Case& c : cases)
    EXPECT_EQ(SourceFormatName(DetectFormat(c.path, c.head)), std::string(SourceFormatName(c.want)))
        << c.path << " / " << c.head;
}

TEST(ReadersFormatTest, ParsesFormatNames) {
  SourceFormat f = SourceFormat::kAuto;
  EXPECT_TRUE(ParseSourceFormat("rss", &f));
  EXPECT_EQ(f, SourceFormat::kFeed);
  EXPECT_TRUE(ParseSourceFormat("atom", &f));
  EXPECT_EQ(f, SourceFormat::kFeed);
  EXPECT_TRUE(ParseSourceFormat("petrarch", &f));
  EXPECT_EQ(f, SourceFormat::kPetrarchXml);
  EXPECT_TRUE(ParseSourceFormat("telegram", &f));
  EXPECT_EQ(f, SourceFormat::kTelegram);
  EXPECT_FALSE(ParseSourceFormat("docx", &f));
  for (SourceFormat g : {SourceFormat::kText, SourceFormat::kHtml, SourceFormat::kJsonl, SourceFormat::kFeed,
                         SourceFormat::kTelegram, SourceFormat::kPetrarchXml}) {
    SourceFormat back = SourceFormat::kAuto;
    ASSERT_TRUE(ParseSourceFormat(SourceFormatName(g), &back)) << SourceFormatName(g);
    EXPECT_EQ(back, g);
  }
  EXPECT_STREQ(DateOriginName(DateOrigin::kMetadata), "metadata");
  EXPECT_STREQ(DateOriginName(DateOrigin::kText), "text");
  EXPECT_STREQ(DateOriginName(DateOrigin::kUnknown), "unknown");
}

// --- Dates. ---

TEST(ReadersDateTest, FindsDatesInText) {
  struct Case {
    const char* text;
    const char* want;
  };
  const Case cases[] = {
      {"RUSSIFICATION CREATES MIGRATION\nJun 12, 2025\nEUROASIAN NEWS", "2025-06-12"},
      {"MOSCOW, 12 June 2025 (Wire) - Police said", "2025-06-12"},
      {"June 12, 2025 -- Police said", "2025-06-12"},
      {"Published June 3rd, 2025 at noon", "2025-06-03"},
      {"Sept. 3, 2024: talks resumed", "2024-09-03"},
      {"12-Jun-2025 Tashkent", "2025-06-12"},
      {"Updated 2025-06-12T10:15:00Z", "2025-06-12"},
      {"Дата: 12.06.2025", "2025-06-12"},
      {"posted 12/06/2025 by admin", "2025-06-12"},
      {"Ташкент, 12 июня 2025 г. Министерство сообщило", "2025-06-12"},
      {"12 ИЮНЯ 2025 ГОДА", "2025-06-12"},
      {"1 марта 2024 года", "2024-03-01"},
      {"31.02.2025", ""},
      {"On 31.02.2025 and then on 01.03.2025", "2025-03-01"},
      {"February 30, 2025", ""},
      {"29.02.2024", "2024-02-29"},
      {"29.02.2025", ""},
      {"Police detained 40 migrants on Tuesday.", ""},
      {"In 2025 about 12 000 people left.", ""},
      {"Version 1.2.2025 released", "2025-02-01"},
  };
  for (const Case& c : cases) EXPECT_EQ(DateFromText(c.text), c.want) << c.text;
}

TEST(ReadersDateTest, PrefersTheDatelineAtTheTop) {
  std::string text = "Tashkent, 10 June 2025. " + std::string(2000, 'x') + " In talks on 1 May 2024 ...";
  EXPECT_EQ(DateFromText(text), "2025-06-10");
  std::string late = std::string(2000, 'y') + " Signed on 1 May 2024.";
  EXPECT_EQ(DateFromText(late), "2024-05-01");
}

TEST(ReadersDateTest, SeedArticleDate) {
  const std::string shared = testing::SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared is absent";
  const std::string seed = shared + "/seed/000_cc8cc8d188fd249c.txt";
  if (!std::filesystem::exists(seed)) GTEST_SKIP() << "seed article absent";
  EXPECT_EQ(DateFromText(Slurp(seed)), "2025-06-12");
  Read r = ReadPath(seed);
  ASSERT_EQ(r.docs.size(), 1u) << Dump(r.errors);
  EXPECT_EQ(r.docs[0].date, "2025-06-12");
  EXPECT_EQ(r.docs[0].date_origin, DateOrigin::kText);
  EXPECT_EQ(r.docs[0].lang, "en");
}

TEST(ReadersDateTest, NormalizesMetadataDates) {
  struct Case {
    const char* value;
    const char* want;
  };
  const Case cases[] = {
      {"Wed, 11 Jun 2025 07:45:00 +0000", "2025-06-11"},
      {"Thu, 12 Jun 25 09:00:00 GMT", "2025-06-12"},
      {"2025-06-12", "2025-06-12"},
      {"2025-06-12T14:05:00+05:00", "2025-06-12"},
      {" 20250612 ", "2025-06-12"},
      {"June 12, 2025", "2025-06-12"},
      {"2025-13-01", ""},
      {"20251399", ""},
      {"yesterday", ""},
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(NormalizeDate(c.value), c.want) << c.value;
}

// --- Encodings and languages. ---

TEST(ReadersEncodingTest, Utf8PassesThroughWithoutBom) {
  std::string enc = "stale";
  Result<std::string> r = ConvertToUtf8("\xEF\xBB\xBFМосква and Tashkent", "", &enc);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "Москва and Tashkent");
  EXPECT_EQ(enc, "");
}

TEST(ReadersEncodingTest, DetectsLegacyCyrillicAndLatin) {
  struct Case {
    const char* file;
    std::vector<std::string> encodings;
    const char* word;
  };
  const Case cases[] = {
      {"encoding/russian_cp1251.txt", {"windows-1251"}, "Министерство иностранных дел"},
      {"encoding/russian_koi8r.txt", {"koi8-r"}, "Узбекские дипломаты"},
      {"encoding/french_latin1.txt", {"iso-8859-1", "windows-1252"}, "ministère des Affaires étrangères"},
  };
  for (const Case& c : cases) {
    std::string enc;
    Result<std::string> r = ConvertToUtf8(Slurp(Fixture(c.file)), "", &enc);
    ASSERT_TRUE(r.ok()) << c.file;
    EXPECT_TRUE(Contains(*r, c.word)) << c.file << ": " << *r;
    EXPECT_NE(std::find(c.encodings.begin(), c.encodings.end(), enc), c.encodings.end()) << c.file << ": " << enc;
  }
}

TEST(ReadersEncodingTest, DeclaredCharsetWins) {
  std::string enc;
  // Two Cyrillic words are too little to detect; the declaration decides.
  Result<std::string> r = ConvertToUtf8("\xcc\xee\xf1\xea\xe2\xe0 \xd2\xe0\xf8\xea\xe5\xed\xf2", "cp1251", &enc);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "Москва Ташкент");
  EXPECT_EQ(enc, "windows-1251");
}

TEST(ReadersEncodingTest, PlainTextReaderConvertsAndRecordsEncoding) {
  Read r = ReadPath(Fixture("encoding/russian_koi8r.txt"));
  ASSERT_EQ(r.docs.size(), 1u) << Dump(r.errors);
  EXPECT_EQ(r.docs[0].encoding, "koi8-r");
  EXPECT_EQ(r.docs[0].lang, "ru");
  EXPECT_TRUE(Contains(r.docs[0].text, "Российская полиция задержала"));
}

TEST(ReadersLanguageTest, DetectsOrAbstains) {
  EXPECT_EQ(DetectLanguage("Russian police detained 40 Uzbek migrants in Moscow on Tuesday, the Interior "
                           "Ministry said in a statement."),
            "en");
  EXPECT_EQ(DetectLanguage("Российская полиция задержала сорок мигрантов из Узбекистана на стройке в Москве "
                           "во вторник, сообщило министерство."),
            "ru");
  EXPECT_EQ(DetectLanguage("Moscow"), "");
  EXPECT_EQ(DetectLanguage("12345 67890 !!!"), "");
  EXPECT_EQ(DetectLanguage("\xff\xfe not utf-8 at all, just bytes in some unknown encoding"), "");
}

// --- Plain text. ---

TEST(ReadersTextTest, ReadsOneDocumentWithHeadlineAndDateline) {
  const std::string path = Fixture("text/dateline.txt");
  Read r = ReadPath(path);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 1u);
  const RawDocument& d = r.docs[0];
  EXPECT_EQ(d.origin, path);
  EXPECT_EQ(d.format, "text");
  EXPECT_EQ(d.title, "MIGRANT RAID IN MOSCOW");
  EXPECT_EQ(d.date, "2025-06-12");
  EXPECT_EQ(d.date_origin, DateOrigin::kText);
  EXPECT_EQ(d.lang, "en");
  EXPECT_EQ(d.encoding, "");
  EXPECT_TRUE(Contains(d.text, "on Tuesday during a raid on a construction site in the Kapotnya district.\n\n"
                               "The Interior Ministry said"));
  EXPECT_TRUE(r.errors.empty()) << Dump(r.errors);
}

TEST(ReadersTextTest, NoDateMeansUnknownNotToday) {
  testing::TempDir dir;
  Read r = ReadPath(dir.Write("nodate.txt", "Russian police detained 40 Uzbek migrants in Moscow.\r\n"));
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].date, "");
  EXPECT_EQ(r.docs[0].date_origin, DateOrigin::kUnknown);
  EXPECT_EQ(r.docs[0].text, "Russian police detained 40 Uzbek migrants in Moscow.");
  EXPECT_EQ(r.docs[0].title, "");  // one line that ends with a period: no headline
}

// --- HTML. ---

TEST(ReadersHtmlTest, NewsArticleBodyAndMetadata) {
  const std::string path = Fixture("html/news_article.html");
  Read r = ReadPath(path);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 1u);
  const RawDocument& d = r.docs[0];
  EXPECT_EQ(d.format, "html");
  EXPECT_EQ(d.title, "Moscow police detain 40 Uzbek migrants");
  EXPECT_EQ(d.url, "https://steppewire.example/news/moscow-raid");
  EXPECT_EQ(d.source, "Steppe Wire");
  EXPECT_EQ(d.date, "2025-06-10");
  EXPECT_EQ(d.date_origin, DateOrigin::kMetadata);
  EXPECT_EQ(d.lang, "en");
  EXPECT_TRUE(Contains(d.text, "Russian police detained 40 Uzbek migrants in Moscow on Tuesday"));
  EXPECT_TRUE(Contains(d.text, "deportation.\n\nUzbekistan's Foreign Ministry summoned the Russian ambassador"));
  EXPECT_TRUE(Contains(d.text, "Tashkent\u2019s reaction was unusually sharp & public, analysts said."));
  for (const char* junk : {"Share on Facebook", "Kazakhstan raises fuel", "Copyright", "cookies", "Politics",
                           "tracking", "Kyrgyzstan protests new Russian rules", "font-family", "Most read"})
    EXPECT_FALSE(Contains(d.text, junk)) << junk << "\n" << d.text;
}

TEST(ReadersHtmlTest, GzipPageReadsTheSame) {
  Read plain = ReadPath(Fixture("html/news_article.html"));
  Read gz = ReadPath(Fixture("html/news_article.html.gz"));
  ASSERT_EQ(gz.docs.size(), 1u) << Dump(gz.errors);
  ASSERT_EQ(plain.docs.size(), 1u);
  EXPECT_EQ(gz.docs[0].text, plain.docs[0].text);
  EXPECT_EQ(gz.docs[0].date, plain.docs[0].date);
}

TEST(ReadersHtmlTest, BloggerPostKeepsOnlyTheArticle) {
  Read r = ReadPath(Fixture("html/blogger_post.html"));
  ASSERT_EQ(r.docs.size(), 1u) << Dump(r.errors);
  const RawDocument& d = r.docs[0];
  EXPECT_EQ(d.text,
            "Hundreds of Uzbek migrants protested outside the Uzbek embassy in Moscow on Friday.\n\n"
            "The protesters demanded help from Tashkent after Russian employers refused to pay their wages.\n\n"
            "Uzbekistan's ambassador met the protesters and promised to raise the issue with the Russian "
            "government.\n\n"
            "Russian riot police dispersed the crowd after two hours.");
  EXPECT_EQ(d.title, "Central Asia Migration Watch: Uzbek migrants protest outside embassy in Moscow");
  // The post date is in a heading above the body.
  EXPECT_EQ(d.date, "2025-06-13");
  EXPECT_EQ(d.date_origin, DateOrigin::kText);
  EXPECT_EQ(d.lang, "en");
}

TEST(ReadersHtmlTest, UnmarkedCommentSectionEndsTheArticle) {
  Read r = ReadPath(Fixture("html/unmarked_comments.html"));
  ASSERT_EQ(r.docs.size(), 1u) << Dump(r.errors);
  EXPECT_TRUE(Contains(r.docs[0].text, "protect the rights of Kyrgyz migrant workers."));
  EXPECT_TRUE(Contains(r.docs[0].text, "ban migrant children from schools."));
  EXPECT_FALSE(Contains(r.docs[0].text, "Post a Comment"));
  EXPECT_FALSE(Contains(r.docs[0].text, "left by a reader"));
}

TEST(ReadersHtmlTest, Windows1251RussianPage) {
  Read r = ReadPath(Fixture("html/russian_cp1251.html"));
  ASSERT_EQ(r.docs.size(), 1u) << Dump(r.errors);
  const RawDocument& d = r.docs[0];
  EXPECT_EQ(d.encoding, "windows-1251");
  EXPECT_EQ(d.lang, "ru");
  EXPECT_EQ(d.title, "Мигранты задержаны в Москве");
  EXPECT_TRUE(Contains(d.text, "Министерство иностранных дел Узбекистана вызвало российского посла"));
  EXPECT_TRUE(Contains(d.text, "обычной миграционной проверкой."));
  EXPECT_FALSE(Contains(d.text, "Главная"));
  EXPECT_FALSE(Contains(d.text, "Все права защищены"));
  EXPECT_EQ(d.date, "2025-06-12");
  EXPECT_EQ(d.date_origin, DateOrigin::kText);
}

TEST(ReadersHtmlTest, BrokenHtmlStillGivesItsText) {
  Read r = ReadPath(Fixture("html/broken.html"));
  ASSERT_EQ(r.docs.size(), 1u) << Dump(r.errors);
  const RawDocument& d = r.docs[0];
  EXPECT_TRUE(Contains(d.text, "Kyrgyzstan's President called on Russia to protect the rights"));
  EXPECT_TRUE(Contains(d.text, "criticized new Russian rules that ban migrant children from schools."));
  EXPECT_TRUE(Contains(d.text, "The Russian Foreign Ministry rejected the criticism"));
  EXPECT_EQ(d.date, "2025-06-19");
}

TEST(ReadersHtmlTest, PageWithoutTextIsAnError) {
  const std::string path = Fixture("html/no_text.html");
  Read r = ReadPath(path);
  EXPECT_FALSE(r.status.ok());
  EXPECT_TRUE(r.docs.empty());
  EXPECT_TRUE(HasError(r.errors, path, "no article text found")) << Dump(r.errors);
}

TEST(ReadersHtmlTest, ExtractArticleMetadataSources) {
  struct Case {
    const char* html;
    const char* date;
    const char* title;
  };
  const std::string body = "<p>Uzbekistan's Foreign Ministry summoned the Russian ambassador on Monday.</p>";
  const Case cases[] = {
      {"<html><head><script type=\"application/ld+json\">{\"@graph\":[{\"@type\":\"WebPage\"},"
       "{\"@type\":\"NewsArticle\",\"datePublished\":\"2025-05-04T10:00:00Z\",\"headline\":\"X\"}]}</script>"
       "<title>T1</title></head><body>",
       "2025-05-04", "T1"},
      {"<html><body><header><h1>Heading one</h1><time datetime=\"2025-04-03T08:00\">3 April</time></header>",
       "2025-04-03",
       "Heading one"},
      {"<html><head><meta name=\"date\" content=\"2025-03-02\"></head><body>", "2025-03-02", ""},
      {"<html><head><meta property=\"og:title\" content=\"OG\"><title>T</title></head><body>", "", "OG"},
      {"<html><body><div class=\"comments\"><time datetime=\"2025-01-01\"></time></div>", "", ""},
  };
  for (const Case& c : cases) {
    HtmlArticle a = ExtractArticle(std::string(c.html) + body + "</body></html>");
    EXPECT_EQ(a.date, c.date) << c.html;
    EXPECT_EQ(a.title, c.title) << c.html;
    EXPECT_EQ(a.text, "Uzbekistan's Foreign Ministry summoned the Russian ambassador on Monday.") << c.html;
  }
  HtmlArticle a = ExtractArticle(
      "<html lang=ru><head><meta charset=\"koi8-r\"><meta property=\"og:site_name\" content=\"Site\">"
      "<meta property=\"og:url\" content=\"https://x.example/a\"></head><body><div itemprop=\"articleBody\">"
      "<p>One.</p><ul><li>Two</li></ul><blockquote>Three</blockquote></div>"
      "<div class=\"main\"><p>" + std::string(500, 'z') + "</p></div></body></html>");
  EXPECT_EQ(a.text, "One.\n\nTwo\n\nThree");  // articleBody beats a longer block
  EXPECT_EQ(a.lang, "ru");
  EXPECT_EQ(a.charset, "koi8-r");
  EXPECT_EQ(a.site, "Site");
  EXPECT_EQ(a.url, "https://x.example/a");
}

TEST(ReadersHtmlTest, ScriptsStylesAndCommentsNeverReachTheText) {
  // Script and style bodies are cut before parsing; markup inside them, in
  // comments or in an SVG must not turn into article text, while JSON-LD
  // metadata in a script still gives the date.
  HtmlArticle a = ExtractArticle(
      "<html><head><STYLE>p{color:red}</STYLE><script type=\"application/ld+json\">"
      "{\"@type\":\"NewsArticle\",\"datePublished\":\"2025-06-12\"}</script>"
      "<script>document.write('<p>Injected paragraph from a script.</p>'); var s = '</scr' + 'ipt>';</script>"
      "</head><body><article><!-- <p>Commented-out paragraph.</p> -->"
      "<p>Russian police detained 40 Uzbek migrants in Moscow.</p>"
      "<svg><text>Chart label</text></svg><Script type=\"text/javascript\">var p = \"<p>Also injected.</p>\";</Script>"
      "<p>The Uzbek embassy asked for consular access.</p></article></body></html>");
  EXPECT_EQ(a.date, "2025-06-12");
  EXPECT_EQ(a.text,
            "Russian police detained 40 Uzbek migrants in Moscow.\n\nThe Uzbek embassy asked for consular access.");
  // An unterminated script is left to the parser, which swallows the rest
  // as script: no text rather than script source as text.
  HtmlArticle b = ExtractArticle("<html><body><p>Kept.</p><script>var x = '<p>never closed</p>';");
  EXPECT_EQ(b.text.find("never closed"), std::string::npos);
}

TEST(ReadersHtmlTest, MenusAndSidebarsAreCutButTheirMetadataIsKept) {
  const std::string story =
      "<p>Russian police detained 40 Uzbek migrants in Moscow.</p>"
      "<p>The Uzbek embassy asked for consular access.</p>";
  const std::string want =
      "Russian police detained 40 Uzbek migrants in Moscow.\n\nThe Uzbek embassy asked for consular access.";
  // Nested menus, a sidebar and a <select> go, whole.
  HtmlArticle a = ExtractArticle(
      "<html><body><nav><ul><li>World<nav><a href=/asia>Asia news and more</a></nav></li></ul></nav>"
      "<aside><p>Most read: a long teaser paragraph that is not the story at all.</p></aside>"
      "<article>" + story + "<select><option>Edition</option></select></article></body></html>");
  EXPECT_EQ(a.text, want);
  // A date printed only inside a navigation bar still dates the page.
  HtmlArticle b = ExtractArticle(
      "<html><body><nav><time datetime=\"2025-06-12\">12 June 2025</time></nav><article>" + story +
      "</article></body></html>");
  EXPECT_EQ(b.date, "2025-06-12");
  EXPECT_EQ(b.text, want);
  // ASP.NET pages wrap everything in one <form>: the story survives.
  HtmlArticle c = ExtractArticle("<html><body><form id=\"form1\"><div class=\"content\">" + story +
                                 "</div></form></body></html>");
  EXPECT_EQ(c.text, want);
  // An unclosed <nav> is left to the parser.
  HtmlArticle d = ExtractArticle("<html><body><article>" + story + "</article><nav><a>Home</a></body></html>");
  EXPECT_EQ(d.text, want);
}

// Pages built to make a parser or the pre-parse pass quadratic must be
// answered (refused or read) in linear time: a hang here times the test out.
TEST(ReadersHtmlTest, HostilePagesAreAnsweredNotHung) {
  auto repeat = [](const std::string& piece, int n) {
    std::string out;
    out.reserve(piece.size() * n);
    for (int i = 0; i < n; ++i) out += piece;
    return out;
  };
  // Stray close tags do not fool the depth check: gumbo ignores them.
  HtmlArticle a = ExtractArticle("<html><body>" + repeat("<div></span>", 200000) + "<p>Text.</p>");
  EXPECT_EQ(a.text, "");
  EXPECT_EQ(ExtractArticle("<html><body>" + repeat("<div/>", 200000) + "<p>Text.</p>").text, "");
  EXPECT_EQ(ExtractArticle(repeat("<svg><style>", 3) + repeat("<div>", 200000)).text, "");
  // Unclosed menus by the hundred thousand: "<nav/>" opens a nav in HTML5,
  // so these nest 300,000 deep and are refused, not parsed for hours.
  const std::string story = "<p>Russian police detained 40 Uzbek migrants in Moscow.</p>";
  EXPECT_EQ(ExtractArticle("<html><body><article>" + story + "</article>" + repeat("<nav/>", 300000)).text, "");
  EXPECT_EQ(ExtractArticle("<html><body><article>" + story + "</article>" + repeat("<aside></div>", 200000)).text, "");
  // A thousand of them, closed, are cut and the story read.
  EXPECT_EQ(ExtractArticle("<html><body><article>" + story + "</article>" + repeat("<nav><a>x</a></nav>", 1000)).text,
            "Russian police detained 40 Uzbek migrants in Moscow.");
  (void)ExtractArticle("<html><body><article>" + story + "</article>" + repeat("<script>", 300000));
  (void)ExtractArticle("<html><body>" + story + repeat("<!-->", 300000) + repeat("<nav><time datetime=2025-01-01>", 3000));
}

TEST(ReadersTelegramTest, MessageWithAStrangeTypeIsAnErrorNotACrash) {
  testing::TempDir dir;
  const std::string path = dir.Write(
      "result.json",
      R"({"name":"Channel","messages":[{"id":1,"type":null,"text":"Russian police detained 40 Uzbek migrants."},)"
      R"({"id":2,"type":"message","date":"2025-06-12T10:00:00","text":"Uzbekistan summoned the Russian ambassador."},)"
      R"({"id":3,"type":"message","date_unixtime":"99999999999999","text":"Tajikistan protested to Russia over the raids."}]})");
  std::vector<RawDocument> docs;
  std::vector<ReaderError> errors;
  (void)ReadSource(path, {}, [&](RawDocument d) { docs.push_back(std::move(d)); }, &errors);
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].external_id, "2");
  EXPECT_EQ(docs[1].date, "") << "a timestamp out of range is an unknown date";
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].where.find("#message 1"), std::string::npos) << errors[0].where;
}

TEST(ReadersHtmlTest, DeepNestingIsRefusedNotParsed) {
  testing::TempDir dir;
  std::string html = "<html><body>";
  for (int i = 0; i < 200000; ++i) html += "<div>";
  html += "deep text";
  const std::string path = dir.Write("deep.html", html);
  Read r = ReadPath(path);  // gumbo would take minutes and recurse 200000 deep
  EXPECT_TRUE(r.docs.empty());
  EXPECT_TRUE(HasError(r.errors, path, "HTML nested too deeply")) << Dump(r.errors);
  EXPECT_EQ(ExtractArticle(html).text, "");

  // Many unclosed paragraphs and line breaks are not nesting.
  std::string sloppy = "<html><body><div>";
  for (int i = 0; i < 5000; ++i) sloppy += "<p>Russian police detained Uzbek migrants.<br>";
  EXPECT_FALSE(ExtractArticle(sloppy).text.empty());
  // Moderately deep pages are parsed; content beyond the walk depth is cut.
  std::string nested = "<html><body>";
  for (int i = 0; i < 1000; ++i) nested += "<div>";
  EXPECT_EQ(ExtractArticle(nested + "<p>Deep paragraph.</p>").text, "");
  EXPECT_EQ(ExtractArticle(std::string("<html><body>") + std::string(100 * 5, ' ') +
                           "<div><div><p>Shallow paragraph.</p></div></div>")
                .text,
            "Shallow paragraph.");
}

// --- JSON Lines. ---

TEST(ReadersJsonlTest, ReadsRecordsAndSkipsBlankLines) {
  const std::string path = Fixture("jsonl/good.jsonl");
  Read r = ReadPath(path);
  ASSERT_TRUE(r.status.ok());
  EXPECT_TRUE(r.errors.empty()) << Dump(r.errors);
  ASSERT_EQ(r.docs.size(), 3u);
  EXPECT_EQ(r.docs[0].origin, path + ":1");
  EXPECT_EQ(r.docs[1].origin, path + ":3");
  EXPECT_EQ(r.docs[2].origin, path + ":4");
  EXPECT_EQ(r.docs[0].external_id, "sw-001");
  EXPECT_EQ(r.docs[0].title, "Moscow police detain 40 Uzbek migrants");
  EXPECT_EQ(r.docs[0].url, "https://steppewire.example/news/moscow-raid");
  EXPECT_EQ(r.docs[0].source, "Steppe Wire");
  EXPECT_EQ(r.docs[0].format, "jsonl");
  EXPECT_EQ(r.docs[0].date, "2025-06-10");
  EXPECT_EQ(r.docs[1].date, "2025-06-11");  // YYYYMMDD
  EXPECT_EQ(r.docs[2].date, "2025-06-12");  // ISO timestamp
  EXPECT_EQ(r.docs[2].external_id, "3");    // numeric id
  for (const auto& d : r.docs) {
    EXPECT_EQ(d.date_origin, DateOrigin::kMetadata);
    EXPECT_EQ(d.lang, "en");
  }
}

TEST(ReadersJsonlTest, GzipShard) {
  Read r = ReadPath(Fixture("jsonl/good.jsonl.gz"));
  EXPECT_TRUE(r.errors.empty()) << Dump(r.errors);
  ASSERT_EQ(r.docs.size(), 3u);
  EXPECT_EQ(r.docs[1].external_id, "sw-002");
  EXPECT_TRUE(Contains(r.docs[1].text, "Tajikistan's Foreign Minister met his Russian counterpart"));
}

TEST(ReadersJsonlTest, TruncatedLastLineKeepsGoodLines) {
  const std::string path = Fixture("jsonl/truncated.jsonl");
  Read r = ReadPath(path);
  EXPECT_TRUE(r.status.ok());
  EXPECT_EQ(r.docs.size(), 3u);
  ASSERT_EQ(r.errors.size(), 1u) << Dump(r.errors);
  EXPECT_TRUE(HasError(r.errors, path + ":4", "not valid JSON (")) << Dump(r.errors);
}

TEST(ReadersJsonlTest, InvalidDateRejectsOnlyThatLine) {
  const std::string path = Fixture("jsonl/bad_date.jsonl");
  Read r = ReadPath(path);
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].external_id, "sw-001");
  EXPECT_EQ(r.docs[1].external_id, "3");
  ASSERT_EQ(r.errors.size(), 1u) << Dump(r.errors);
  EXPECT_TRUE(HasError(r.errors, path + ":2", "invalid date \"2025-02-31\"")) << Dump(r.errors);
}

TEST(ReadersJsonlTest, BadRecordsAreReportedPerLine) {
  testing::TempDir dir;
  const std::string path = dir.Write(
      "mixed.jsonl",
      "{\"id\":\"a\",\"text\":\"Russian police detained 40 Uzbek migrants.\"}\n"
      "[1,2,3]\n"
      "{\"id\":\"b\"}\n"
      "{\"id\":\"c\",\"text\":\"   \"}\n"
      "   \n"
      "{\"id\":\"d\",\"text\":\"Le minist\xe8re a convoqu\xe9 l'ambassadeur.\",\"lang\":\"fr-FR\"}\n"
      "{\"id\":\"e\",\"text\":\"No date here.\"}");
  Read r = ReadPath(path);
  EXPECT_TRUE(r.status.ok());
  ASSERT_EQ(r.docs.size(), 3u) << Dump(r.errors);
  EXPECT_EQ(r.docs[0].date_origin, DateOrigin::kUnknown);
  EXPECT_EQ(r.docs[1].external_id, "d");
  EXPECT_EQ(r.docs[1].text, "Le ministère a convoqué l'ambassadeur.");
  EXPECT_FALSE(r.docs[1].encoding.empty());
  EXPECT_EQ(r.docs[1].lang, "fr");
  EXPECT_EQ(r.docs[2].origin, path + ":7");
  EXPECT_TRUE(HasError(r.errors, path + ":2", "not a JSON object"));
  EXPECT_TRUE(HasError(r.errors, path + ":3", "no \"text\""));
  EXPECT_TRUE(HasError(r.errors, path + ":4", "empty \"text\""));
  EXPECT_EQ(r.errors.size(), 3u) << Dump(r.errors);
}

TEST(ReadersJsonlTest, OverlongLineIsSkippedAlone) {
  testing::TempDir dir;
  std::string content = "{\"id\":\"1\",\"text\":\"Short record one.\"}\n";
  content += "{\"id\":\"2\",\"text\":\"" + std::string(300000, 'a') + "\"}\n";
  content += "{\"id\":\"3\",\"text\":\"Short record three.\"}\n";
  const std::string path = dir.Write("long.jsonl", content);
  ReaderOptions options;
  options.max_document_bytes = 100000;
  Read r = ReadPath(path, options);
  ASSERT_EQ(r.docs.size(), 2u) << Dump(r.errors);
  EXPECT_EQ(r.docs[1].external_id, "3");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(HasError(r.errors, path + ":2", "300020 bytes, over the limit of 100000")) << Dump(r.errors);
}

TEST(ReadersJsonlTest, StreamsManyLinesAcrossChunks) {
  testing::TempDir dir;
  std::string content;
  for (int i = 0; i < 3000; ++i)
    content += "{\"id\":\"" + std::to_string(i) + "\",\"date\":\"2025-06-01\",\"text\":\"Record " +
               std::to_string(i) + ": Russian police detained Uzbek migrants in Moscow.\"}\n";
  ASSERT_GT(content.size(), 3u * 65536);
  Read r = ReadPath(dir.Write("many.jsonl", content));
  EXPECT_TRUE(r.errors.empty()) << Dump(r.errors);
  ASSERT_EQ(r.docs.size(), 3000u);
  for (int i = 0; i < 3000; ++i) ASSERT_EQ(r.docs[i].external_id, std::to_string(i));
}

TEST(ReadersJsonlTest, CorruptGzipKeepsRecordsBeforeTheCut) {
  const std::string path = Fixture("jsonl/cut.jsonl.gz");
  Read r = ReadPath(path);
  EXPECT_GT(r.docs.size(), 10u);
  EXPECT_LT(r.docs.size(), 400u);
  for (std::size_t i = 0; i < r.docs.size(); ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "arc-%03zu", i);
    ASSERT_EQ(r.docs[i].external_id, id);
  }
  EXPECT_TRUE(HasError(r.errors, path, "gzip: ")) << Dump(r.errors);
}

// --- Feeds. ---

TEST(ReadersFeedTest, Rss) {
  const std::string path = Fixture("feed/rss.xml");
  Read r = ReadPath(path);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 2u);
  const RawDocument& a = r.docs[0];
  EXPECT_EQ(a.origin, path + "#item 1");
  EXPECT_EQ(a.format, "feed");
  EXPECT_EQ(a.title, "Tajik and Russian ministers meet in Dushanbe");
  EXPECT_EQ(a.url, "https://steppewire.example/news/dushanbe-talks");
  EXPECT_EQ(a.external_id, "sw-tj-0612");
  EXPECT_EQ(a.source, "Steppe Wire: Migration");
  EXPECT_EQ(a.date, "2025-06-11");
  EXPECT_EQ(a.date_origin, DateOrigin::kMetadata);
  EXPECT_EQ(a.lang, "en");
  EXPECT_EQ(a.text,
            "Tajikistan's Foreign Minister met his Russian counterpart in Dushanbe on Wednesday.\n\n"
            "The two ministers discussed the treatment of Tajik labour migrants in Russia.\n\n"
            "Russia promised to simplify work permits for citizens of Tajikistan.");
  const RawDocument& b = r.docs[1];
  EXPECT_EQ(b.date, "2025-06-12");  // dc:date
  EXPECT_EQ(b.url, "https://steppewire.example/news/kyrgyz-appeal");
  EXPECT_TRUE(Contains(b.text, "Kyrgyz lawmakers criticized"));  // content:encoded, not the teaser
  EXPECT_FALSE(Contains(b.text, "Short teaser"));
  EXPECT_FALSE(Contains(b.text, "Share this"));
  ASSERT_EQ(r.errors.size(), 1u) << Dump(r.errors);
  EXPECT_TRUE(HasError(r.errors, path + "#item 3", "no text"));
}

TEST(ReadersFeedTest, RssGzip) {
  Read r = ReadPath(Fixture("feed/rss.xml.gz"));
  EXPECT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.errors.size(), 1u);
}

TEST(ReadersFeedTest, Atom) {
  const std::string path = Fixture("feed/atom.xml");
  Read r = ReadPath(path);
  EXPECT_TRUE(r.errors.empty()) << Dump(r.errors);
  ASSERT_EQ(r.docs.size(), 3u);
  EXPECT_EQ(r.docs[0].title, "Uzbek migrants protest outside embassy & demand wages");
  EXPECT_EQ(r.docs[0].url, "https://desk.example/2025/06/13/embassy-protest");
  EXPECT_EQ(r.docs[0].external_id, "urn:example:entry:17");
  EXPECT_EQ(r.docs[0].source, "Central Asia Desk");
  EXPECT_EQ(r.docs[0].date, "2025-06-13");
  EXPECT_EQ(r.docs[0].text,
            "Hundreds of Uzbek migrants protested outside the Uzbek embassy in Moscow on Friday.\n\n"
            "The protesters demanded help from Tashkent after Russian employers refused to pay their wages.");
  EXPECT_EQ(r.docs[1].url, "https://desk.example/2025/06/14/russia-rejects");
  EXPECT_EQ(r.docs[1].date, "2025-06-14");  // updated
  EXPECT_EQ(r.docs[1].text,
            "Kyrgyz lawmakers criticized new Russian rules that ban migrant children from schools.\n\n"
            "The Russian Foreign Ministry rejected the criticism.");
  EXPECT_EQ(r.docs[2].text, "Russia promised to simplify work permits for citizens of Tajikistan.");
  EXPECT_EQ(r.docs[2].lang, "en");  // xml:lang on the feed
}

TEST(ReadersFeedTest, MalformedFeedIsAnErrorWithLine) {
  const std::string path = Fixture("feed/malformed.rss");
  Read r = ReadPath(path);
  EXPECT_FALSE(r.status.ok());
  EXPECT_TRUE(r.docs.empty());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].where, path);
  EXPECT_TRUE(Contains(r.errors[0].message, "malformed XML at line ")) << r.errors[0].message;
}

TEST(ReadersFeedTest, NotAFeed) {
  testing::TempDir dir;
  const std::string path = dir.Write("x.xml", "<?xml version=\"1.0\"?><catalog><book/></catalog>");
  Read r = ReadPath(path);
  EXPECT_FALSE(r.status.ok());
  EXPECT_TRUE(HasError(r.errors, path, "not an RSS or Atom feed")) << Dump(r.errors);
}

// --- Telegram. ---

TEST(ReadersTelegramTest, ChannelExport) {
  const std::string path = Fixture("telegram/result.json");
  Read r = ReadPath(path);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(r.errors.empty()) << Dump(r.errors);  // service and photo-only posts skipped silently
  ASSERT_EQ(r.docs.size(), 3u);
  const RawDocument& a = r.docs[0];
  EXPECT_EQ(a.origin, path + "#message 11");
  EXPECT_EQ(a.format, "telegram");
  EXPECT_EQ(a.external_id, "11");
  EXPECT_EQ(a.source, "Migrant Rights Monitor");
  EXPECT_EQ(a.url, "");
  EXPECT_EQ(a.date, "2025-06-12");
  EXPECT_EQ(a.date_origin, DateOrigin::kMetadata);
  EXPECT_EQ(a.lang, "en");
  EXPECT_TRUE(Contains(a.text, "Moscow raid.\n\nRussian police detained 40 Uzbek migrants in Moscow"));
  EXPECT_TRUE(Contains(a.text, "Details: https://steppewire.example/news/moscow-raid\n\n#migrants"));
  EXPECT_EQ(r.docs[1].external_id, "13");
  EXPECT_EQ(r.docs[1].text,
            "Hundreds of Uzbek migrants protested outside the Uzbek embassy in Moscow on Friday.\n\n"
            "Russian riot police dispersed the crowd after two hours.");
  EXPECT_EQ(r.docs[2].date, "2025-06-14");  // from date_unixtime
}

TEST(ReadersTelegramTest, UsernameGivesUrls) {
  testing::TempDir dir;
  const std::string path = dir.Write(
      "result.json",
      "{\"name\":\"Chan\",\"username\":\"@chan_news\",\"type\":\"public_channel\",\"messages\":["
      "{\"id\":7,\"type\":\"message\",\"date\":\"2025-06-12T10:15:00\",\"text\":\"Uzbekistan's Foreign "
      "Ministry summoned the Russian ambassador.\"},\"junk\"]}");
  Read r = ReadPath(path);
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].url, "https://t.me/chan_news/7");
  EXPECT_TRUE(HasError(r.errors, path + "#message [2]", "not a JSON object")) << Dump(r.errors);
}

TEST(ReadersTelegramTest, TruncatedExportIsAnError) {
  const std::string path = Fixture("telegram/truncated/result.json");
  Read r = ReadPath(path);
  EXPECT_FALSE(r.status.ok());
  EXPECT_TRUE(r.docs.empty());
  EXPECT_TRUE(HasError(r.errors, path, "not valid JSON (line ")) << Dump(r.errors);
}

// --- PETRARCH XML. ---

TEST(ReadersPetrarchTest, OneDocumentPerSentence) {
  const std::string path = Fixture("petrarch/sentences.xml");
  Read r = ReadPath(path);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 2u) << Dump(r.errors);
  EXPECT_EQ(r.docs[0].format, "petrarch");
  EXPECT_EQ(r.docs[0].origin, path + "#sentence 1");
  EXPECT_EQ(r.docs[0].external_id, "DEMO-001");
  EXPECT_EQ(r.docs[0].source, "AFP");
  EXPECT_EQ(r.docs[0].date, "2015-01-01");
  EXPECT_EQ(r.docs[0].date_origin, DateOrigin::kMetadata);
  EXPECT_EQ(r.docs[0].text, "Russian police detained 40 Uzbek migrants in Moscow on Tuesday.");
  EXPECT_EQ(r.docs[1].text, "Uzbekistan's Foreign Ministry summoned the Russian ambassador.");
  EXPECT_EQ(r.errors.size(), 2u) << Dump(r.errors);
  EXPECT_TRUE(HasError(r.errors, path + "#sentence 3", "invalid date \"20151399\""));
  EXPECT_TRUE(HasError(r.errors, path + "#sentence 4", "no text"));
}

// --- Whole-file failures. ---

TEST(ReadersFileTest, EmptyFile) {
  const std::string path = Fixture("misc/empty.txt");
  Read r = ReadPath(path);
  EXPECT_FALSE(r.status.ok());
  EXPECT_TRUE(r.docs.empty());
  EXPECT_TRUE(HasError(r.errors, path, "empty file")) << Dump(r.errors);
}

TEST(ReadersFileTest, BinaryFiles) {
  testing::TempDir dir;
  std::mt19937 rng(7);
  std::string bytes;
  for (int i = 0; i < 5000; ++i) bytes.push_back(static_cast<char>(rng() & 0xFF));
  bytes[10] = '\0';
  for (const char* name : {"scan.txt", "scan.jsonl", "scan.html", "scan"}) {
    const std::string path = dir.Write(name, bytes);
    Read r = ReadPath(path);
    EXPECT_FALSE(r.status.ok()) << name;
    EXPECT_TRUE(r.docs.empty()) << name;
    EXPECT_TRUE(HasError(r.errors, path, "binary file (not text)")) << name << "\n" << Dump(r.errors);
  }
  const std::string fixture = Fixture("misc/random.dat");
  EXPECT_TRUE(HasError(ReadPath(fixture).errors, fixture, "binary file"));
}

TEST(ReadersFileTest, OversizedFileRefusedWithoutReading) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/huge.html";
  { std::ofstream(path) << "<html><body><p>Start of a huge page.</p>"; }
  std::filesystem::resize_file(path, 200u << 20);  // sparse: no disk, no time
  Read r = ReadPath(path);
  EXPECT_FALSE(r.status.ok());
  EXPECT_TRUE(r.docs.empty());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message,
            "file is 209715200 bytes, over the limit of 67108864 bytes (max_file_bytes)");
}

TEST(ReadersFileTest, OversizedAfterDecompression) {
  const std::string path = Fixture("html/news_article.html.gz");
  ReaderOptions options;
  options.max_file_bytes = std::filesystem::file_size(path) + 10;  // compressed fits, page does not
  Read r = ReadPath(path, options);
  EXPECT_FALSE(r.status.ok());
  EXPECT_TRUE(r.docs.empty());
  EXPECT_TRUE(HasError(r.errors, path, "decompressed size is over the limit of")) << Dump(r.errors);
}

TEST(ReadersFileTest, MissingDirectoryAndUnreadable) {
  testing::TempDir dir;
  Read missing = ReadPath(dir.path() + "/nope.txt");
  EXPECT_EQ(missing.status.code(), StatusCode::kNotFound);
  EXPECT_TRUE(HasError(missing.errors, dir.path() + "/nope.txt", "no such file"));

  Read directory = ReadPath(dir.path());
  EXPECT_FALSE(directory.status.ok());
  EXPECT_TRUE(HasError(directory.errors, dir.path(), "is a directory"));

  const std::string locked = dir.Write("locked.txt", "Uzbek migrants protested in Moscow.");
  ASSERT_EQ(::chmod(locked.c_str(), 0), 0);
  if (::access(locked.c_str(), R_OK) == 0) GTEST_SKIP() << "running as root: permissions are not enforced";
  Read r = ReadPath(locked);
  EXPECT_EQ(r.status.code(), StatusCode::kIoError);
  EXPECT_TRUE(HasError(r.errors, locked, "cannot open")) << Dump(r.errors);
  std::vector<ReaderError> errors;
  EXPECT_TRUE(ListInputFiles({locked}, &errors).empty());
  EXPECT_TRUE(HasError(errors, locked, "cannot read")) << Dump(errors);
}

TEST(ReadersFileTest, ExplicitFormatOverridesDetection) {
  testing::TempDir dir;
  const std::string path = dir.Write("page.txt", "<p>Russian police detained 40 Uzbek migrants.</p><p>Second.</p>");
  ReaderOptions options;
  options.format = SourceFormat::kHtml;
  Read r = ReadPath(path, options);
  ASSERT_EQ(r.docs.size(), 1u) << Dump(r.errors);
  EXPECT_EQ(r.docs[0].format, "html");
  EXPECT_EQ(r.docs[0].text, "Russian police detained 40 Uzbek migrants.\n\nSecond.");
}

// --- Listing and the mixed folder. ---

TEST(ReadersListTest, RecursiveSortedWithoutHiddenFiles) {
  const std::string root = Fixture("mixed");
  std::vector<ReaderError> errors;
  std::vector<std::string> files = ListInputFiles({root, root + "/does-not-exist", "-"}, &errors);
  ASSERT_EQ(errors.size(), 1u) << Dump(errors);
  EXPECT_EQ(errors[0].where, root + "/does-not-exist");
  EXPECT_TRUE(Contains(errors[0].message, "no such file"));
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(files.back(), "-");
  files.pop_back();
  EXPECT_TRUE(std::is_sorted(files.begin(), files.end()));
  const std::vector<std::string> want = {
      "archive.jsonl.gz",      "broken/empty.txt",     "broken/scan.bin",
      "broken/truncated.jsonl", "feeds/central-asia.atom", "feeds/migration.rss",
      "news/embassy-protest.html", "news/moscow-raid.html", "telegram/result.json", "wire.jsonl"};
  std::vector<std::string> got;
  for (const std::string& f : files) got.push_back(f.substr(root.size() + 1));
  EXPECT_EQ(got, want);
}

TEST(ReadersListTest, MixedFolderReadsEveryFormatAndReportsBrokenFiles) {
  const std::string root = Fixture("mixed");
  std::vector<ReaderError> errors;
  std::vector<RawDocument> docs;
  for (const std::string& f : ListInputFiles({root}, &errors))
    (void)ReadSource(f, {}, [&](RawDocument d) { docs.push_back(std::move(d)); }, &errors);
  std::vector<std::string> formats;
  for (const auto& d : docs) {
    formats.push_back(d.format);
    EXPECT_FALSE(d.text.empty()) << d.origin;
    EXPECT_EQ(d.lang, "en") << d.origin;
    EXPECT_FALSE(d.date.empty()) << d.origin;
  }
  for (const char* f : {"html", "jsonl", "feed", "telegram"})
    EXPECT_NE(std::find(formats.begin(), formats.end(), f), formats.end()) << f;
  // 2 HTML + 3 JSONL + 2 archive + 2 RSS + 3 Atom + 3 Telegram + 3 from the truncated file.
  EXPECT_EQ(docs.size(), 18u);
  EXPECT_TRUE(HasError(errors, root + "/broken/empty.txt", "empty file")) << Dump(errors);
  EXPECT_TRUE(HasError(errors, root + "/broken/scan.bin", "binary file")) << Dump(errors);
  EXPECT_TRUE(HasError(errors, root + "/broken/truncated.jsonl:4", "not valid JSON")) << Dump(errors);
  EXPECT_TRUE(HasError(errors, root + "/feeds/migration.rss#item 3", "no text")) << Dump(errors);
  EXPECT_EQ(errors.size(), 4u) << Dump(errors);
}

}  // namespace
}  // namespace dyad

#!/usr/bin/python3
"""Writes the reader fixtures under testdata/ingest/ (run from anywhere).

The text is invented wire-style news. Files that cannot be typed by hand
(Windows-1251, gzip, random bytes, truncated archives) come from here so they
can be regenerated; the output is deterministic (fixed seed, gzip mtime 0).
"""
import gzip
import io
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


def write(rel, data):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)


def gz(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as g:
        g.write(data)
    return buf.getvalue()


def jsonl(records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


# ---------------------------------------------------------------- stories
RAID = [
    "Russian police detained 40 Uzbek migrants in Moscow on Tuesday during a raid on a construction site in the Kapotnya district.",
    "The Interior Ministry said the men had no valid work permits and would face deportation.",
    "Uzbekistan's Foreign Ministry summoned the Russian ambassador in Tashkent to demand an explanation.",
    "Uzbek officials accused Moscow police of using excessive force against the workers.",
    "The Russian embassy said the detentions were a routine migration check.",
]
RAID_REPOST = [
    "Russian police on Tuesday detained 40 Uzbek migrants in Moscow during a raid on a building site in the Kapotnya district.",
    "According to the Interior Ministry, the men lacked valid work permits and will face deportation.",
    "Uzbekistan's Foreign Ministry summoned the Russian ambassador in Tashkent and demanded an explanation.",
    "Uzbek officials accused the Moscow police of using excessive force against the workers.",
    "The Russian embassy described the detentions as a routine migration check.",
]
TAJIK = [
    "Tajikistan's Foreign Minister met his Russian counterpart in Dushanbe on Wednesday.",
    "The two ministers discussed the treatment of Tajik labour migrants in Russia.",
    "Russia promised to simplify work permits for citizens of Tajikistan.",
]
KYRGYZ = [
    "Kyrgyzstan's President called on Russia to protect the rights of Kyrgyz migrant workers.",
    "Kyrgyz lawmakers criticized new Russian rules that ban migrant children from schools.",
    "The Russian Foreign Ministry rejected the criticism.",
]
EMBASSY = [
    "Hundreds of Uzbek migrants protested outside the Uzbek embassy in Moscow on Friday.",
    "The protesters demanded help from Tashkent after Russian employers refused to pay their wages.",
    "Uzbekistan's ambassador met the protesters and promised to raise the issue with the Russian government.",
    "Russian riot police dispersed the crowd after two hours.",
]


def paras_html(paras):
    return "\n".join("    <p>%s</p>" % p for p in paras)


# ---------------------------------------------------------------- text
write("text/dateline.txt",
      "MIGRANT RAID IN MOSCOW\n"
      "Uzbek officials demand answers\n"
      "Jun 12, 2025\n"
      "EUROASIAN NEWS\n\n"
      + "\n\n".join(RAID) + "\n")

# ---------------------------------------------------------------- HTML
NEWS_ARTICLE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Moscow police detain 40 Uzbek migrants - Steppe Wire</title>
  <meta property="og:title" content="Moscow police detain 40 Uzbek migrants">
  <meta property="og:site_name" content="Steppe Wire">
  <meta property="og:url" content="https://steppewire.example/2025/06/10/moscow-raid">
  <link rel="canonical" href="https://steppewire.example/news/moscow-raid">
  <meta property="article:published_time" content="2025-06-10T09:30:00+03:00">
  <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","datePublished":"2025-06-11T08:00:00Z"}</script>
  <style>body { font-family: serif; }</style>
</head>
<body class="single-post has-sidebar comments-open">
  <header class="site-header"><a href="/">Steppe Wire</a>
    <nav><ul><li><a href="/politics">Politics</a></li><li><a href="/economy">Economy</a></li><li><a href="/migration">Migration</a></li></ul></nav>
  </header>
  <div id="cookie-banner">We use cookies to improve your experience. Accept all cookies to continue reading.</div>
  <main>
  <article>
    <h1>Moscow police detain 40 Uzbek migrants</h1>
    <div class="byline">By Staff Reporter &middot; <time datetime="2025-06-10">10 June 2025</time></div>
    <div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
%s
    <h2>Diplomatic response</h2>
    <p>Tashkent&rsquo;s reaction was unusually sharp &amp; public, analysts said.</p>
    <div class="related-articles"><h3>Related</h3><ul><li><a href="/a">Kyrgyzstan protests new Russian rules for migrant children in schools</a></li></ul></div>
  </article>
  </main>
  <aside class="sidebar"><h3>Most read</h3><p>Kazakhstan raises fuel prices for the third time this year, the energy ministry said.</p></aside>
  <footer class="site-footer"><p>Copyright 2025 Steppe Wire. All rights reserved. Contact the newsroom.</p></footer>
  <script>var tracking = "Russian police detained everyone";</script>
</body>
</html>
""" % paras_html(RAID)
write("html/news_article.html", NEWS_ARTICLE)

BLOGGER = """<!DOCTYPE html>
<html>
<head>
<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>
<title>Central Asia Migration Watch: Uzbek migrants protest outside embassy in Moscow</title>
</head>
<body>
<div class='navbar section' id='navbar'><div class='widget Navbar'>Blog | Next Blog | Create Blog | Sign In</div></div>
<div id='header-wrapper'><h1 class='title'>Central Asia Migration Watch</h1><p class='description'>Notes on labour migration</p></div>
<div id='main-wrapper'>
<div class='date-outer'><h2 class='date-header'><span>Friday, June 13, 2025</span></h2>
<div class='post-outer'>
<div class='post hentry'>
<h3 class='post-title entry-title'>Uzbek migrants protest outside embassy in Moscow</h3>
<div class='post-header'><div class='post-header-line-1'></div></div>
<div class='post-body entry-content' id='post-body-123'>
%s<br /><br />
%s<br /><br />
<b>%s</b><br /><br />
%s
<div style='clear: both;'></div>
</div>
<div class='post-footer'>
<div class='post-footer-line post-footer-line-1'><span class='post-author vcard'>Posted by Migration Watch at 10:15 AM</span>
<span class='post-comment-link'><a class='comment-link' href='#comments'>3 comments:</a></span></div>
<div class='post-share-buttons goog-inline-block'><a class='goog-inline-block share-button sb-email' href='#'><span class='share-button-link-text'>Email This</span></a><a class='share-button sb-blog' href='#'>BlogThis!</a><a class='share-button sb-twitter' href='#'>Share to Twitter</a><a class='share-button sb-facebook' href='#'>Share to Facebook</a></div>
<div class='post-footer-line post-footer-line-2'><span class='post-labels'>Labels: <a href='#'>Moscow</a>, <a href='#'>Uzbekistan</a></span></div>
</div>
</div>
<div class='comments' id='comments'>
<a name='comments'></a>
<h4>3 comments:</h4>
<div id='Blog1_comments-block-wrapper'><dl class='avatar-comment-indent' id='comments-block'>
<dt class='comment-author'>Anonymous said...</dt>
<dd class='comment-body'><p>Russia should deport all of them, the police did the right thing.</p></dd>
<dt class='comment-author'>Farrukh said...</dt>
<dd class='comment-body'><p>The Uzbek government never helps its own citizens abroad.</p></dd>
</dl></div>
<p class='comment-footer'><a href='#'>Post a Comment</a></p>
</div>
</div>
</div>
<div class='blog-pager' id='blog-pager'><a href='#'>Newer Post</a> <a href='#'>Older Post</a> <a href='/'>Home</a></div>
<div class='blog-feeds'>Subscribe to: Post Comments (Atom)</div>
</div>
<div id='sidebar-wrapper'><div class='sidebar section'><h2>Blog Archive</h2><ul><li>June (4)</li><li>May (7)</li></ul>
<h2>About Me</h2><p>I write about migrants from Central Asia who work in Russia and Kazakhstan.</p></div></div>
<div class='footer-outer'>Simple theme. Powered by Blogger.</div>
</body>
</html>
""" % tuple(EMBASSY)
write("html/blogger_post.html", BLOGGER)

# Plain Blogger-like page where the comment section is NOT marked by class
# names: only its heading tells where the article ends.
UNMARKED_COMMENTS = """<html><head><title>Migrant notes</title></head><body>
<div class="content">
<p>%s</p>
<p>%s</p>
<h4>Post a Comment</h4>
<p>This comment was left by a reader and is not part of the article at all.</p>
</div></body></html>
""" % (KYRGYZ[0], KYRGYZ[1])
write("html/unmarked_comments.html", UNMARKED_COMMENTS)

RUSSIAN_PARAS = [
    "Российская полиция задержала сорок мигрантов из Узбекистана на стройке в Москве во вторник.",
    "Министерство иностранных дел Узбекистана вызвало российского посла и потребовало объяснений.",
    "Узбекские дипломаты заявили, что обращение с гражданами Узбекистана в России остаётся грубым.",
    "Посольство России сообщило, что задержания были обычной миграционной проверкой.",
]
RUSSIAN_HTML = """<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
<title>Мигранты задержаны в Москве</title>
</head>
<body>
<div class="menu"><a href="/">Главная</a> | <a href="/news">Новости</a> | <a href="/about">О нас</a></div>
<div class="article">
<h1>Мигранты задержаны в Москве</h1>
<p class="date">12 июня 2025 г.</p>
%s
</div>
<div class="footer">Все права защищены.</div>
</body>
</html>
""" % paras_html(RUSSIAN_PARAS)
write("html/russian_cp1251.html", RUSSIAN_HTML.encode("cp1251"))

BROKEN = """<html><head><title>Broken page</title>
<body><div class="story"><p>Kyrgyzstan's President called on Russia to protect the rights of Kyrgyz migrant workers.
<p>Kyrgyz lawmakers <b>criticized new Russian rules that ban migrant children from schools.
<div><table><tr><td><p>The Russian Foreign Ministry rejected the criticism on Thursday, 19 June 2025.</i></span>
<p>A spokeswoman said the rules protect Russian schools <a href="https://example.org/rules?id="""
write("html/broken.html", BROKEN)

NO_TEXT = """<!DOCTYPE html><html><head><title>Loading</title>
<script>window.location = "/app";</script></head>
<body><nav><a href="/">Home</a><a href="/news">News</a></nav><div id="app"></div>
<footer class="footer">Copyright</footer></body></html>
"""
write("html/no_text.html", NO_TEXT)
write("html/news_article.html.gz", gz(NEWS_ARTICLE))

# ---------------------------------------------------------------- JSON Lines
GOOD = [
    {"id": "sw-001", "date": "2025-06-10", "title": "Moscow police detain 40 Uzbek migrants",
     "source": "Steppe Wire", "url": "https://steppewire.example/news/moscow-raid", "text": " ".join(RAID)},
    {"id": "sw-002", "date": "20250611", "source": "Steppe Wire", "text": " ".join(TAJIK)},
    {"id": 3, "date": "2025-06-12T14:05:00+05:00", "lang": "en", "text": " ".join(KYRGYZ)},
]
write("jsonl/good.jsonl", jsonl(GOOD[:1]) + "\n" + jsonl(GOOD[1:]))
write("jsonl/good.jsonl.gz", gz(jsonl(GOOD)))
truncated = jsonl(GOOD)
truncated += json.dumps({"id": "sw-004", "date": "2025-06-13", "text": " ".join(EMBASSY)})[:70]
write("jsonl/truncated.jsonl", truncated)
BAD_DATE = [GOOD[0], {"id": "bad", "date": "2025-02-31", "text": " ".join(TAJIK)}, GOOD[2]]
write("jsonl/bad_date.jsonl", jsonl(BAD_DATE))
# A gzip archive cut in the middle: the first records survive.
many = [{"id": "arc-%03d" % i, "date": "2025-06-%02d" % (1 + i % 28),
         "text": RAID[i % len(RAID)] + " Record %d of the archive." % i}
        for i in range(400)]
rng = random.Random(42)
for r in many:  # incompressible padding so the cut lands after some records
    r["note"] = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(200))
full = gz(jsonl(many))
write("jsonl/cut.jsonl.gz", full[: len(full) // 2])

# ---------------------------------------------------------------- feeds
RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Steppe Wire: Migration</title>
  <link>https://steppewire.example/migration</link>
  <language>en-us</language>
  <item>
    <title>Tajik and Russian ministers meet in Dushanbe</title>
    <link>https://steppewire.example/news/dushanbe-talks</link>
    <guid isPermaLink="false">sw-tj-0612</guid>
    <pubDate>Wed, 11 Jun 2025 07:45:00 +0000</pubDate>
    <description>&lt;p&gt;%s&lt;/p&gt;&lt;p&gt;%s&lt;/p&gt;&lt;p&gt;%s&lt;/p&gt;</description>
  </item>
  <item>
    <title>Kyrgyz president urges Russia to protect migrants</title>
    <link>https://steppewire.example/news/kyrgyz-appeal</link>
    <guid>https://steppewire.example/news/kyrgyz-appeal</guid>
    <dc:date>2025-06-12T10:00:00Z</dc:date>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[<p>%s</p><p>%s</p><div class="share">Share this</div><p>%s</p>]]></content:encoded>
  </item>
  <item>
    <title>Photo gallery: Moscow markets</title>
    <link>https://steppewire.example/gallery/markets</link>
    <pubDate>Thu, 12 Jun 2025 09:00:00 +0000</pubDate>
    <description></description>
  </item>
</channel>
</rss>
""" % tuple(TAJIK + KYRGYZ)
write("feed/rss.xml", RSS)
write("feed/rss.xml.gz", gz(RSS))

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Central Asia Desk</title>
  <id>urn:example:central-asia-desk</id>
  <updated>2025-06-13T12:00:00Z</updated>
  <entry>
    <title type="html">Uzbek migrants protest outside embassy &amp;amp; demand wages</title>
    <link rel="alternate" href="https://desk.example/2025/06/13/embassy-protest"/>
    <link rel="edit" href="https://desk.example/api/entries/17"/>
    <id>urn:example:entry:17</id>
    <published>2025-06-13T11:20:00+03:00</published>
    <updated>2025-06-13T12:00:00Z</updated>
    <content type="html">&lt;p&gt;%s&lt;/p&gt;&lt;p&gt;%s&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Russia rejects Kyrgyz criticism</title>
    <link href="https://desk.example/2025/06/14/russia-rejects"/>
    <id>urn:example:entry:18</id>
    <updated>2025-06-14T08:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>%s</p><p>%s</p></div></content>
  </entry>
  <entry>
    <title>Summary only</title>
    <id>urn:example:entry:19</id>
    <updated>2025-06-15T08:00:00Z</updated>
    <summary type="text">%s</summary>
  </entry>
</feed>
""" % (EMBASSY[0], EMBASSY[1], KYRGYZ[1], KYRGYZ[2], TAJIK[2])
write("feed/atom.xml", ATOM)

MALFORMED_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
  <title>Broken feed</title>
  <item>
    <title>Unclosed item</title>
    <description>%s</description>
  </item>
  <item>
    <title>Cut here
""" % RAID[0]
write("feed/malformed.rss", MALFORMED_RSS)

# ---------------------------------------------------------------- Telegram
TELEGRAM = {
    "name": "Migrant Rights Monitor",
    "type": "public_channel",
    "id": 1987654321,
    "messages": [
        {"id": 1, "type": "service", "date": "2025-06-01T09:00:00", "date_unixtime": "1748768400",
         "actor": "Migrant Rights Monitor", "action": "create_channel", "title": "Migrant Rights Monitor",
         "text": "", "text_entities": []},
        {"id": 11, "type": "message", "date": "2025-06-12T10:15:00", "date_unixtime": "1749712500",
         "from": "Migrant Rights Monitor",
         "text": [
             {"type": "bold", "text": "Moscow raid."},
             "\n" + RAID[0] + " ",
             RAID[2] + " Details: ",
             {"type": "link", "text": "https://steppewire.example/news/moscow-raid"},
             "\n",
             {"type": "hashtag", "text": "#migrants"},
         ],
         "text_entities": [{"type": "bold", "text": "Moscow raid."}]},
        {"id": 12, "type": "message", "date": "2025-06-12T11:00:00", "date_unixtime": "1749715200",
         "photo": "photos/photo_1.jpg", "width": 800, "height": 600, "text": "", "text_entities": []},
        {"id": 13, "type": "message", "date": "2025-06-13T18:30:00", "date_unixtime": "1749839400",
         "text": EMBASSY[0] + "\n\n" + EMBASSY[3],
         "text_entities": [{"type": "plain", "text": EMBASSY[0] + "\n\n" + EMBASSY[3]}]},
        {"id": 14, "type": "message", "date_unixtime": "1749902400",
         "text": TAJIK[0], "text_entities": [{"type": "plain", "text": TAJIK[0]}]},
    ],
}
write("telegram/result.json", json.dumps(TELEGRAM, ensure_ascii=False, indent=1))
write("telegram/truncated/result.json", json.dumps(TELEGRAM, ensure_ascii=False, indent=1)[:600])

# ---------------------------------------------------------------- PETRARCH
PETRARCH = """<?xml version="1.0" encoding="UTF-8"?>
<Sentences>
<Sentence date="20150101" id="DEMO-001" source="AFP" sentence="True">
<Text>
Russian police detained 40 Uzbek migrants
in Moscow on Tuesday.
</Text>
<Parse>(ROOT (S (NP (JJ Russian) (NNS police)) (VP (VBD detained) (NP (CD 40) (JJ Uzbek) (NNS migrants))) (. .)))</Parse>
</Sentence>
<Sentence date="20150102" id="DEMO-002" source="AFP" sentence="True">
<Text>Uzbekistan's Foreign Ministry summoned the Russian ambassador.</Text>
</Sentence>
<Sentence date="20151399" id="DEMO-003" source="AFP" sentence="True">
<Text>Kyrgyz lawmakers criticized new Russian rules.</Text>
</Sentence>
<Sentence date="20150104" id="DEMO-004" source="AFP" sentence="True">
</Sentence>
</Sentences>
"""
write("petrarch/sentences.xml", PETRARCH)

# ---------------------------------------------------------------- mixed
# A folder for the end-to-end ingest test: every format, a repost of the
# same story with light edits (news/moscow-raid.html and wire.jsonl's
# mx-001), and broken files that must be reported, not swallowed.
write("mixed/news/moscow-raid.html", NEWS_ARTICLE)
write("mixed/news/embassy-protest.html", BLOGGER)
MIXED_JSONL = [
    {"id": "mx-001", "date": "2025-06-10", "source": "Caravan News",
     "title": "Uzbek migrants detained in Moscow raid", "text": " ".join(RAID_REPOST)},
    {"id": "mx-002", "date": "2025-06-11", "source": "Caravan News", "text": " ".join(TAJIK)},
    {"id": "mx-003", "date": "2025-06-12", "source": "Caravan News", "text": " ".join(KYRGYZ)},
]
write("mixed/wire.jsonl", jsonl(MIXED_JSONL))
ARCHIVE = [
    {"id": "ar-001", "date": "2025-05-20", "source": "Caravan News",
     "text": "Uzbekistan and Russia signed an agreement on organised recruitment of labour migrants. "
             "The Uzbek Labour Minister praised the deal as a step to protect workers in Russia."},
    {"id": "ar-002", "date": "2025-05-28", "source": "Caravan News",
     "text": "Russian authorities expelled 120 Tajik migrants from Saint Petersburg. "
             "Tajikistan's embassy protested the expulsions."},
]
write("mixed/archive.jsonl.gz", gz(jsonl(ARCHIVE)))
write("mixed/feeds/migration.rss", RSS)
write("mixed/feeds/central-asia.atom", ATOM)
write("mixed/telegram/result.json", json.dumps(TELEGRAM, ensure_ascii=False, indent=1))
write("mixed/broken/truncated.jsonl", truncated)
write("mixed/broken/empty.txt", b"")
write("mixed/broken/scan.bin", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(random.Random(7).randrange(256) for _ in range(2048)))
write("mixed/.hidden/notes.txt", "Hidden: must be skipped by ListInputFiles.\n")
write("mixed/.draft.txt", "Hidden draft: must be skipped.\n")

# ---------------------------------------------------------------- misc
write("misc/empty.txt", b"")
rnd = random.Random(1)
write("misc/random.dat", bytes(0 if i % 97 == 0 else rnd.randrange(256) for i in range(4096)))

# ---------------------------------------------------------------- encodings
RU_TEXT = ("Министерство иностранных дел Узбекистана вызвало российского посла в Ташкенте. "
           "Узбекские дипломаты заявили, что обращение с гражданами Узбекистана в России остаётся грубым, "
           "и потребовали от Москвы объяснений. Российская полиция задержала сорок мигрантов на стройке "
           "в Москве, сообщили в посольстве.\n")
write("encoding/russian_cp1251.txt", RU_TEXT.encode("cp1251"))
write("encoding/russian_koi8r.txt", RU_TEXT.encode("koi8_r"))
LATIN_TEXT = ("Le ministère des Affaires étrangères de l'Ouzbékistan a convoqué l'ambassadeur de Russie. "
              "Les diplomates ouzbeks ont déclaré que les travailleurs émigrés étaient traités de façon "
              "inacceptable à Moscou, où la police a arrêté quarante ouvriers près d'un chantier.\n")
write("encoding/french_latin1.txt", LATIN_TEXT.encode("latin-1"))

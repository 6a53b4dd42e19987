#!/usr/bin/env python3
"""Generate deterministic Twitter API v1.1 streaming files (JSON lines).

Usage:
  gen_tweets.py --out DIR --files N --tweets M --format zip|gz|plain
                [--seed S] [--prefix NAME] [--zip-members K] [--gz-members K]
                [--start-date YYYY-MM-DD]

Each file gets M tweet lines (duplicates included) plus about 1% non-tweet
lines (blank lines, limit/delete/withheld stream messages).  File i is named
<prefix>-NN.jsonl[.zip|.gz] (NN from 01) and holds tweets of the day
start-date + i (spilling a little into the next day).  --format may be a comma
list (zip,gz,plain): file i then uses the i-th format, cycling.

The same arguments give byte-identical files: every random choice comes from
a seeded random.Random, zip entries carry a fixed timestamp and gzip members
mtime 0 and no file name.

What the files exercise: replies, retweets (embedded retweeted_status),
quotes, extended_tweet with its own entities, photos/videos/GIFs, places with
open bounding boxes (US "City, ST", admin "State, USA", other countries, an
empty country_code), geo points, hashtags in many cases and scripts
('#coronavirus' and its variants on about 30% of tweets), cashtags,
mentions skewed to a few popular users, URLs from a shared pool, emoji with
joiners, CJK, Arabic, RTL marks, escaped slashes, quotes, backslashes,
U+0000 escapes (also inside hashtags), a literal backslash-u0000, withheld
fields, lines repeated within a file and across files.
"""

import argparse
import datetime
import gzip
import json
import os
import random
import sys
import zipfile
import zlib

TWEPOCH_MS = 1288834974657  # snowflake epoch
INT16_MAX = 32767
INT32_MAX = 2**31 - 1
ZIP_TIME = (2021, 1, 1, 0, 0, 0)
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# ---------------------------------------------------------------- word pools

WORDS = {
    "en": ("the a and to of in is it you that for on with this my be have "
           "not are just so like was at me all your but we can do what "
           "get about out today people time new year good love day know "
           "think going really one more now need still want health cases "
           "vaccine mask wear stay home safe hospital family friends work "
           "school news update report deaths test positive numbers week "
           "happy thank everyone please help support watch live game season "
           "music video photo morning night tonight weekend city government "
           "president state county data trump biden election vote senate "
           "georgia runoff stock market crypto bitcoin moon rocket").split(),
    "es": ("el la de que y en los se del las un por con no una su para es "
           "al lo como más pero sus le ya o este sí porque esta entre cuando "
           "muy sin sobre también me hasta hay donde quien desde todo nos "
           "durante todos uno les ni contra otros ese eso ante ellos salud "
           "casos vacuna mascarilla quédate en casa feliz año nuevo gracias "
           "niño pandemia hospital noticias España México").split(),
    "pt": ("o a de que e do da em um para é com não uma os no se na por "
           "mais as dos como mas foi ao ele das tem à seu sua ou ser quando "
           "muito há nos já está eu também só pelo pela até isso ela entre "
           "feliz ano novo saúde vacina casos máscara fique em casa obrigado "
           "coração São Paulo Brasil").split(),
    "fr": ("le de un à être et en avoir que pour dans ce il qui ne sur se "
           "pas plus pouvoir par je avec tout faire son mettre autre on mais "
           "nous comme ou si leur y dire elle bonne année santé vaccin "
           "masque confinement français été élève garçon Noël").split(),
    "ja": ("今日 は とても 寒い です 新年 あけまして おめでとう ございます "
           "コロナ 感染者 東京 大阪 ワクチン マスク 外出 自粛 ありがとう "
           "今年も よろしく お願いします 猫 ラーメン 仕事 学校 ニュース "
           "緊急事態宣言 初詣 お正月 😊").split(),
    "ar": ("في من على إلى عن مع هذا هذه كان الله اللهم كورونا فيروس لقاح "
           "كمامة البيت المستشفى الصحة سنة جديدة سعيدة شكرا الرياض دبي "
           "القاهرة الخبر اليوم الناس").split(),
    "ko": "오늘 새해 복 많이 받으세요 코로나 백신 마스크 서울 감사합니다".split(),
    "tr": "bugün yeni yıl kutlu olsun korona aşı maske İstanbul teşekkürler".split(),
    "hi": "आज नया साल मुबारक कोरोना टीका मास्क दिल्ली धन्यवाद".split(),
}
EMOJI = ["😂", "❤️", "😷", "🙏", "🙏🏾", "😭", "🔥", "✨", "💉", "🦠", "🎉",
         "🥳", "👍🏻", "🇺🇸", "🇯🇵", "🇧🇷", "🇬🇧", "👨‍👩‍👧‍👦",
         "🏳️‍🌈", "👩🏽‍⚕️", "🧑‍💻", "❤️‍🔥", "🤷‍♀️", "😀", "💯", "🚀"]
ODD_BITS = ["\"quoted\"", "C:\\Users\\me", "and/or", "1/2", "a\\b",
            "&amp;", "&lt;3", "&gt;", "'single'", "«guillemets»",
            "\u200fمرحبا\u200f", "tab\there", "line\nbreak", "\u2066iso\u2069",
            "ﬁne", "Ǆ", "ΣΟΦΙΑ"]

CORONA_TAGS = [("coronavirus", 34), ("Coronavirus", 18), ("CoronaVirus", 10),
               ("CORONAVIRUS", 5), ("coronaVirus", 2), ("COVID19", 14),
               ("covid19", 5), ("Covid19", 4), ("COVID", 3), ("covid", 2),
               ("COVID_19", 2), ("Covid_19", 1)]
OTHER_TAGS = [("NewYear", 8), ("HappyNewYear", 8), ("2021", 6), ("pandemic", 6),
              ("Pandemic", 2), ("StayHome", 5), ("stayhome", 2), ("vaccine", 5),
              ("Vaccine", 2), ("lockdown", 4), ("Lockdown", 2), ("MaskUp", 3),
              ("GeorgiaRunoffs", 3), ("BLM", 2), ("NBA", 3), ("NFL", 3),
              ("BTS", 4), ("KPOP", 2), ("Bitcoin", 3), ("bitcoin", 1),
              ("WandaVision", 2), ("東京", 2), ("コロナ", 3), ("新年", 2),
              ("كورونا", 3), ("فيروس_كورونا", 1), ("Straße", 1),
              ("ΚΟΡΩΝΟΪΟΣ", 1), ("Ελλάδα", 1), ("КОРОНАВИРУС", 1),
              ("Москва", 1), ("İstanbul", 1), ("QuédateEnCasa", 2),
              ("FiqueEmCasa", 1), ("😷", 1), ("Covid19Vaccine", 2),
              ("Corona", 2), ("coronavirusupdate", 1), ("CoronaVirusUpdates", 1),
              ("Trump", 2), ("Biden", 2), ("Tokyo2020", 1)]
SYMBOLS = [("TSLA", 5), ("AAPL", 3), ("GME", 3), ("BTC", 4), ("AMC", 2),
           ("SPY", 2), ("PFE", 2), ("MRNA", 2), ("ETH", 1), ("DOGE", 1)]
URL_POOL = [
    "https://www.cdc.gov/coronavirus/2019-ncov/index.html",
    "https://www.who.int/emergencies/diseases/novel-coronavirus-2019",
    "https://www.nytimes.com/interactive/2021/us/covid-cases.html",
    "https://www.bbc.co.uk/news/world-51235105",
    "https://coronavirus.jhu.edu/map.html",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.instagram.com/p/CJcX1abcdEF/",
    "https://open.spotify.com/track/4cOdK2wGLETKBW3PvgPWqT",
    "https://www.washingtonpost.com/politics/2021/01/01/georgia-runoff/",
    "https://twitter.com/i/web/status/1344798726598438913",
]
DOMAINS = ["www.nytimes.com", "www.bbc.com", "www.cnn.com", "elpais.com",
           "www.lemonde.fr", "www3.nhk.or.jp", "www.aljazeera.net",
           "g1.globo.com", "medium.com", "www.reddit.com", "bit.ly",
           "www.example.org", "news.yahoo.co.jp", "www.theguardian.com"]
SOURCES = [
    ("http://twitter.com/download/iphone", "Twitter for iPhone", 35),
    ("http://twitter.com/download/android", "Twitter for Android", 30),
    ("https://mobile.twitter.com", "Twitter Web App", 18),
    ("http://twitter.com/#!/download/ipad", "Twitter for iPad", 4),
    ("https://about.twitter.com/products/tweetdeck", "TweetDeck", 3),
    ("http://instagram.com", "Instagram", 3),
    ("https://www.hootsuite.com", "Hootsuite Inc.", 2),
    ("https://ifttt.com", "IFTTT", 2),
    ("http://www.foursquare.com", "Foursquare Swarm", 1),
    ("https://dlvr.it/", "dlvr.it", 1),
    ("https://example.com/bot?a=1&b=2", "News Bot & \"Co\"", 1),
]
FIRST = ["Maria", "John", "Ana", "James", "Sofia", "Mohammed", "Yuki", "Chen",
         "Fatima", "Lucas", "Emma", "Noah", "Olivia", "Liam", "Aisha", "Kenji",
         "Carlos", "Léa", "Zoë", "Ahmed", "Priya", "Jürgen", "Hana", "Omar",
         "さくら", "太郎", "محمد", "فاطمة", "Σοφία", "Иван", "민준", "Ngozi"]
LAST = ["Smith", "García", "Silva", "Johnson", "Tanaka", "Wang", "Khan",
        "Müller", "Brown", "López", "Rossi", "Kim", "Nguyen", "O'Brien",
        "Dubois", "Okafor", "Ivanova", "佐藤", "العتيبي", "Öztürk", "Patel"]
NAME_DECOR = ["", "", "", "", " 🌸", " 🇺🇸", " ✨", " 😷", " (she/her)",
              " | BLM", " 🏳️‍🌈", " \"The Real\"", " 🇧🇷", " ⚽"]
LOCATIONS = [None, None, "", "Los Angeles, CA", "New York, USA", "London",
             "Texas", "🌎", "Earth", "São Paulo, Brasil", "東京都", "Madrid",
             "الرياض", "Lagos, Nigeria", "she/her", "Toronto, Ontario",
             "Mumbai", "in my head", "Paris, France", "Seoul"]
BIO_BITS = ["Lover of coffee ☕", "Opinions are my own.", "RT ≠ endorsement",
            "Nurse 👩🏽‍⚕️", "Dad, husband, runner", "IG: @somebody",
            "she/her", "Journalist at a paper", "K-pop stan 💜", "Gamer 🎮",
            "Proud Texan", "Tweets in English/Español", "エンジニア",
            "مهندس", "\"Be kind\"", "C:\\path\\to\\me", "https://t.co/abc",
            "Follow for updates on #COVID19", "🏳️‍🌈 ally", "Live. Laugh. Love."]
COLORS = ["C0DEED", "1DA1F2", "000000", "FFFFFF", "F5F8FA", "ABB8C2",
          "DDEEF6", "333333", "FAB81E", "E81C4F", "19CF86", "9266CC"]
POPULAR = [("WHO", "World Health Organization (WHO)"),
           ("CDCgov", "CDC"), ("JoeBiden", "Joe Biden"),
           ("realDonaldTrump", "Donald J. Trump"), ("BTS_twt", "방탄소년단"),
           ("elonmusk", "Elon Musk"), ("nytimes", "The New York Times"),
           ("YouTube", "YouTube")]

# (place_type, name, full_name, country_code, country, lon, lat, weight)
PLACES = [
    ("city", "Los Angeles", "Los Angeles, CA", "US", "United States", -118.24, 34.05, 6),
    ("city", "Manhattan", "Manhattan, NY", "US", "United States", -73.97, 40.78, 6),
    ("city", "Brooklyn", "Brooklyn, NY", "US", "United States", -73.95, 40.65, 3),
    ("city", "Chicago", "Chicago, IL", "US", "United States", -87.68, 41.84, 4),
    ("city", "Houston", "Houston, TX", "US", "United States", -95.37, 29.76, 4),
    ("city", "Dallas", "Dallas, TX", "US", "United States", -96.80, 32.78, 3),
    ("city", "Phoenix", "Phoenix, AZ", "US", "United States", -112.07, 33.45, 2),
    ("city", "Philadelphia", "Philadelphia, PA", "US", "United States", -75.16, 39.95, 2),
    ("city", "San Diego", "San Diego, CA", "US", "United States", -117.16, 32.72, 2),
    ("city", "Seattle", "Seattle, WA", "US", "United States", -122.33, 47.61, 2),
    ("city", "Miami", "Miami, FL", "US", "United States", -80.19, 25.76, 3),
    ("city", "Atlanta", "Atlanta, GA", "US", "United States", -84.39, 33.75, 3),
    ("city", "Boston", "Boston, MA", "US", "United States", -71.06, 42.36, 2),
    ("city", "Washington", "Washington, DC", "US", "United States", -77.04, 38.91, 3),
    ("city", "New Orleans", "New Orleans, LA", "US", "United States", -90.07, 29.95, 1),
    ("admin", "California", "California, USA", "US", "United States", -119.4, 36.8, 3),
    ("admin", "Texas", "Texas, USA", "US", "United States", -99.9, 31.97, 2),
    ("admin", "Florida", "Florida, USA", "US", "United States", -81.5, 27.7, 2),
    ("country", "United States", "United States", "US", "United States", -98.6, 39.8, 1),
    ("poi", "Madison Square Garden", "Madison Square Garden", "US", "United States", -73.99, 40.75, 1),
    ("city", "London", "London, England", "GB", "United Kingdom", -0.13, 51.51, 4),
    ("city", "Manchester", "Manchester, England", "GB", "United Kingdom", -2.24, 53.48, 1),
    ("city", "Dundee", "Dundee, Scotland", "GB", "United Kingdom", -2.97, 56.46, 1),
    ("city", "Toronto", "Toronto, Ontario", "CA", "Canada", -79.38, 43.65, 2),
    ("city", "Madrid", "Madrid, España", "ES", "España", -3.70, 40.42, 2),
    ("city", "Ciudad de México", "Ciudad de México, Distrito Federal", "MX", "México", -99.13, 19.43, 2),
    ("city", "Rio de Janeiro", "Rio de Janeiro, Brasil", "BR", "Brasil", -43.17, -22.91, 3),
    ("city", "São Paulo", "São Paulo, Brasil", "BR", "Brasil", -46.63, -23.55, 3),
    ("city", "Quilmes", "Quilmes, Argentina", "AR", "Argentina", -58.25, -34.72, 1),
    ("city", "Paris", "Paris, France", "FR", "France", 2.35, 48.86, 2),
    ("city", "Berlin", "Berlin, Deutschland", "DE", "Deutschland", 13.40, 52.52, 1),
    ("city", "大阪市", "大阪 大阪市 中央区", "JP", "日本", 135.50, 34.69, 2),
    ("city", "Shinjuku-ku", "Shinjuku-ku, Tokyo", "JP", "Japan", 139.70, 35.69, 2),
    ("city", "Riyadh", "Riyadh, Kingdom of Saudi Arabia", "SA", "المملكة العربية السعودية", 46.68, 24.71, 2),
    ("city", "Dubai", "Dubai, United Arab Emirates", "AE", "United Arab Emirates", 55.27, 25.20, 1),
    ("city", "Lagos", "Lagos, Nigeria", "NG", "Nigeria", 3.38, 6.52, 2),
    ("city", "New Delhi", "New Delhi, India", "IN", "India", 77.21, 28.61, 2),
    ("city", "Seoul", "Seoul, Republic of Korea", "KR", "대한민국", 126.98, 37.57, 1),
    ("city", "İstanbul", "İstanbul, Türkiye", "TR", "Türkiye", 28.98, 41.01, 1),
    ("admin", "New South Wales", "New South Wales, Australia", "AU", "Australia", 147.0, -32.0, 1),
    ("poi", "Atlantic Ocean", "Atlantic Ocean", "", "", -40.0, 30.0, 2),
]
LANGS = [("en", 58), ("es", 12), ("ja", 8), ("pt", 5), ("ar", 5), ("fr", 3),
         ("und", 4), ("ko", 2), ("tr", 1), ("hi", 1), ("in", 1)]
WITHHELD = ["DE", "FR", "TR", "RU", "IN", "AT", "GB", "BR"]
B62 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def cumulative(pairs):
    """Values and cumulative weights for random.choices."""
    vals, cum, total = [], [], 0
    for v, w in pairs:
        total += w
        vals.append(v)
        cum.append(total)
    return vals, cum


CORONA = cumulative(CORONA_TAGS)
OTHER = cumulative(OTHER_TAGS)
SYMS = cumulative(SYMBOLS)
LANG = cumulative(LANGS)
SRC = cumulative([((u, n), w) for u, n, w in SOURCES])
PLACE = cumulative([(p, p[7]) for p in PLACES])


def pick(rng, table):
    """One weighted choice from a cumulative() table."""
    return rng.choices(table[0], cum_weights=table[1])[0]


def twitter_time(ms):
    """Milliseconds since the Unix epoch -> 'Fri Jan 01 00:00:01 +0000 2021'."""
    t = datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc)
    return "%s %s %02d %02d:%02d:%02d +0000 %d" % (
        DAYS[t.weekday()], MONTHS[t.month - 1], t.day, t.hour, t.minute,
        t.second, t.year)


def snowflake(ms, worker, seq):
    """A tweet id as Twitter builds them from a timestamp."""
    return ((ms - TWEPOCH_MS) << 22) | ((worker & 1023) << 12) | (seq & 4095)


def token(rng, n):
    return "".join(rng.choices(B62, k=n))


# ---------------------------------------------------------------- users


def make_user(rng, popular=None):
    """A full v1.1 user object."""
    kind = rng.random()
    if popular:
        screen_name, name = popular
        uid = rng.randint(10_000, 900_000_000)
        followers = rng.randint(5_000_000, 130_000_000)
    else:
        if kind < 0.45:
            uid = rng.randint(10_000, 2_000_000_000)
        elif kind < 0.6:
            uid = rng.randint(2_000_000_000, 4_500_000_000)
        else:  # snowflake ids of accounts made 2015-2021
            uid = rng.randint(600_000_000_000_000_000, 1_400_000_000_000_000_000)
        name = rng.choice(FIRST) + " " + rng.choice(LAST) + rng.choice(NAME_DECOR)
        screen_name = (name.split()[0].encode("ascii", "ignore").decode()
                       or "user") + "_" + token(rng, rng.randint(2, 6))
        screen_name = screen_name[:15]
        followers = min(INT32_MAX, int(rng.paretovariate(1.1) * 40))
    created_ms = rng.randint(1_170_000_000_000, 1_600_000_000_000)
    bio = " ".join(rng.sample(BIO_BITS, rng.randint(0, 3)))
    r = rng.random()
    if r < 0.004:
        bio = bio + " null\u0000byte"
    elif r < 0.006:
        bio = bio + "\u2028next"
    if rng.random() < 0.1:
        bio += " " + rng.choice(EMOJI)
    color = rng.choice(COLORS)
    img = "%d/%s_normal.jpg" % (rng.randint(10**17, 14 * 10**17), token(rng, 8))
    u = {
        "id": uid,
        "id_str": str(uid),
        "name": name,
        "screen_name": screen_name,
        "location": rng.choice(LOCATIONS),
        "url": ("https://" + rng.choice(DOMAINS) + "/" + token(rng, 6))
        if rng.random() < 0.3 else None,
        "description": bio if bio or rng.random() < 0.5 else None,
        "translator_type": "none",
        "protected": rng.random() < 0.02,
        "verified": bool(popular) or rng.random() < 0.02,
        "followers_count": followers,
        "friends_count": min(INT32_MAX, int(rng.paretovariate(1.5) * 80)),
        "listed_count": min(INT32_MAX, followers // rng.randint(50, 2000)),
        "favourites_count": rng.randint(0, 2_500_000 if rng.random() < 0.05 else 60_000),
        "statuses_count": rng.randint(1, 3_000_000 if rng.random() < 0.05 else 90_000),
        "created_at": twitter_time(created_ms),
        "utc_offset": None,
        "time_zone": None,
        "geo_enabled": rng.random() < 0.4,
        "lang": None,
        "contributors_enabled": False,
        "is_translator": False,
        "profile_background_color": color,
        "profile_background_image_url": "http://abs.twimg.com/images/themes/theme1/bg.png",
        "profile_background_image_url_https": "https://abs.twimg.com/images/themes/theme1/bg.png",
        "profile_background_tile": False,
        "profile_link_color": rng.choice(COLORS),
        "profile_sidebar_border_color": color,
        "profile_sidebar_fill_color": rng.choice(COLORS),
        "profile_text_color": "333333",
        "profile_use_background_image": rng.random() < 0.8,
        "profile_image_url": "http://pbs.twimg.com/profile_images/" + img,
        "profile_image_url_https": "https://pbs.twimg.com/profile_images/" + img,
    }
    if rng.random() < 0.6:
        u["profile_banner_url"] = "https://pbs.twimg.com/profile_banners/%d/%d" % (
            uid, created_ms // 1000 + rng.randint(0, 10**8))
    u["default_profile"] = color == "C0DEED"
    u["default_profile_image"] = rng.random() < 0.03
    u["following"] = None
    u["follow_request_sent"] = None
    u["notifications"] = None
    if rng.random() < 0.01:
        u["withheld_in_countries"] = rng.sample(WITHHELD, rng.randint(1, 3))
    return u


class Users:
    """A fixed pool of users; a few popular ones are mentioned very often."""

    def __init__(self, rng, size):
        self.popular = [make_user(rng, p) for p in POPULAR]
        self.plain = [make_user(rng) for _ in range(size)]

    def author(self, rng):
        if rng.random() < 0.01:
            u = rng.choice(self.popular)
        else:
            u = rng.choice(self.plain)
        u = dict(u)  # counts move a little between tweets, like real data
        u["followers_count"] = min(INT32_MAX, u["followers_count"] + rng.randint(0, 5))
        u["statuses_count"] = min(INT32_MAX, u["statuses_count"] + rng.randint(0, 40))
        return u

    def mentioned(self, rng):
        if rng.random() < 0.45:
            return self.popular[min(int(rng.expovariate(0.7)), len(self.popular) - 1)]
        return rng.choice(self.plain)


# ---------------------------------------------------------------- tweet text


class TextBuilder:
    """Builds a tweet text and the entities whose indices point into it."""

    def __init__(self):
        self.parts = []
        self.n = 0  # length in code points
        self.hashtags, self.symbols, self.mentions, self.urls = [], [], [], []

    def add(self, s):
        if self.parts:
            self.parts.append(" ")
            self.n += 1
        self.parts.append(s)
        start = self.n
        self.n += len(s)
        return [start, self.n]

    def text(self):
        return "".join(self.parts)


def url_entity(rng, expanded, ind):
    disp = expanded.split("://", 1)[-1]
    if len(disp) > 26:
        disp = disp[:26] + "…"
    return {"url": "https://t.co/" + token(rng, 10), "expanded_url": expanded,
            "display_url": disp, "indices": ind}


def fill_text(rng, tb, users, lang, target):
    """Appends words, tags, mentions, symbols and urls up to ~target chars."""
    words = WORDS.get(lang, WORDS["en"]) if lang != "und" else EMOJI
    while tb.n < target:
        r = rng.random()
        if r < 0.62:
            tb.add(" ".join(rng.choice(words) for _ in range(rng.randint(1, 4))))
        elif r < 0.72:
            tb.add(rng.choice(EMOJI))
        elif r < 0.79:
            tag = pick(rng, OTHER)
            tb.hashtags.append({"text": tag, "indices": tb.add("#" + tag)})
        elif r < 0.82:
            sym = pick(rng, SYMS)
            tb.symbols.append({"text": sym, "indices": tb.add("$" + sym)})
        elif r < 0.88:
            u = users.mentioned(rng)
            tb.mentions.append({"screen_name": u["screen_name"], "name": u["name"],
                                "id": u["id"], "id_str": u["id_str"],
                                "indices": tb.add("@" + u["screen_name"])})
        elif r < 0.92:
            if rng.random() < 0.5:
                exp = rng.choice(URL_POOL)
            else:
                exp = "https://%s/%d/%s" % (rng.choice(DOMAINS), 2021, token(rng, 12))
            e = url_entity(rng, exp, None)
            e["indices"] = tb.add(e["url"])
            tb.urls.append(e)
        else:
            tb.add(rng.choice(ODD_BITS))


def make_media(rng, tweet_id, screen_name, ind):
    """1-4 photos, or one video or GIF, as extended_entities.media items."""
    r = rng.random()
    kind, count = ("photo", rng.choice((1, 1, 1, 2, 3, 4))) if r < 0.8 else \
        (("video", 1) if r < 0.93 else ("animated_gif", 1))
    short = "https://t.co/" + token(rng, 10)
    items = []
    for k in range(count):
        mid = tweet_id - rng.randint(1, 10**6) * 4096
        key = token(rng, 15)
        if kind == "photo":
            murl = "http://pbs.twimg.com/media/%s.jpg" % key
        elif kind == "video":
            murl = "http://pbs.twimg.com/ext_tw_video_thumb/%d/pu/img/%s.jpg" % (mid, key[:16])
        else:
            murl = "http://pbs.twimg.com/tweet_video_thumb/%s.jpg" % key
        w, h = rng.choice(((1200, 675), (1080, 1350), (750, 1334), (640, 640)))
        m = {"id": mid, "id_str": str(mid), "indices": ind,
             "media_url": murl, "media_url_https": "https" + murl[4:],
             "url": short, "display_url": "pic.twitter.com/" + short[13:],
             "expanded_url": "https://twitter.com/%s/status/%d/%s/1" % (
                 screen_name, tweet_id, "photo" if kind == "photo" else "video"),
             "type": kind,
             "sizes": {"thumb": {"w": 150, "h": 150, "resize": "crop"},
                       "medium": {"w": min(w, 1200), "h": h * min(w, 1200) // w, "resize": "fit"},
                       "small": {"w": 680, "h": h * 680 // w, "resize": "fit"},
                       "large": {"w": w, "h": h, "resize": "fit"}}}
        if kind != "photo":
            mp4 = "https://video.twimg.com/%s/%s.mp4" % (
                "tweet_video" if kind == "animated_gif" else "ext_tw_video/%d/pu/vid" % mid, key)
            m["video_info"] = {
                "aspect_ratio": [16, 9] if w > h else [4, 5],
                "variants": [{"bitrate": 832000 if kind == "video" else 0,
                              "content_type": "video/mp4", "url": mp4}]}
            if kind == "video":
                m["video_info"]["duration_millis"] = rng.randint(2000, 140000)
        items.append(m)
    return items


# ---------------------------------------------------------------- tweets


class Generator:
    def __init__(self, seed, file_index, start_ms, users):
        self.rng = random.Random("%s/file/%d" % (seed, file_index))
        self.worker = file_index % 1000
        self.ms = start_ms
        self.users = users

    def tweet(self, ms, tid, embedded=0):
        """One tweet object created at ms with id tid; embedded = nesting depth."""
        rng = self.rng
        user = self.users.author(rng)
        lang = pick(rng, LANG)
        tb = TextBuilder()
        reply = None
        if not embedded and rng.random() < 0.15:
            reply = self.users.mentioned(rng) if rng.random() < 0.3 else self.users.author(rng)
            tb.mentions.append({"screen_name": reply["screen_name"], "name": reply["name"],
                                "id": reply["id"], "id_str": reply["id_str"],
                                "indices": tb.add("@" + reply["screen_name"])})
        body_start = tb.n + 1 if tb.parts else 0
        extended = rng.random() < 0.36
        if rng.random() < 0.30:  # coronavirus-related tags (sometimes twice)
            for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
                tag = pick(rng, CORONA)
                if rng.random() < 0.02:  # U+0000 inside a hashtag
                    cut = rng.randint(1, len(tag) - 1)
                    tag = tag[:cut] + "\u0000" + tag[cut:]
                if rng.random() < 0.5:
                    fill_text(rng, tb, self.users, lang, tb.n + rng.randint(5, 40))
                tb.hashtags.append({"text": tag, "indices": tb.add("#" + tag)})
        fill_text(rng, tb, self.users, lang,
                  rng.randint(150, 270) if extended else rng.randint(20, 110))
        r = rng.random()
        if r < 0.006:
            tb.add("nul\u0000here")
        elif r < 0.010 and LITERAL_BACKSLASH_U0000:
            tb.add("literal \\u0000 escape")
        media = None
        if rng.random() < 0.18:
            media = make_media(rng, tid, user["screen_name"], None)
            ind = tb.add(media[0]["url"])
            for m in media:
                m["indices"] = ind
        full_text = tb.text()
        entities = {"hashtags": tb.hashtags, "urls": tb.urls,
                    "user_mentions": tb.mentions, "symbols": tb.symbols}
        if media:
            entities["media"] = [media[0]]
        ext = None
        if extended and len(full_text) > 140:
            cut = rng.randint(100, 117)
            link = "https://t.co/" + token(rng, 10)
            text = full_text[:cut].rstrip() + "… " + link
            top = {k: [e for e in v if e["indices"][1] <= cut]
                   for k, v in entities.items() if k != "media"}
            top["urls"].append({"url": link,
                                "expanded_url": "https://twitter.com/i/web/status/%d" % tid,
                                "display_url": "twitter.com/i/web/status/1…",
                                "indices": [len(text) - len(link), len(text)]})
            ext = {"full_text": full_text, "display_text_range": [body_start, len(full_text)],
                   "entities": entities}
            if media:
                ext["extended_entities"] = {"media": media}
            entities, truncated = top, True
        else:
            text, truncated = full_text, False

        src = pick(rng, SRC)
        t = {"created_at": twitter_time(ms), "id": tid, "id_str": str(tid), "text": text}
        if reply or media:
            t["display_text_range"] = [body_start, len(text)]
        t["source"] = '<a href="%s" rel="nofollow">%s</a>' % src
        t["truncated"] = truncated
        rid = snowflake(ms - rng.randint(60_000, 86_400_000), rng.randint(0, 1023),
                        rng.randint(0, 4095)) if reply else None
        t["in_reply_to_status_id"] = rid
        t["in_reply_to_status_id_str"] = str(rid) if reply else None
        t["in_reply_to_user_id"] = reply["id"] if reply else None
        t["in_reply_to_user_id_str"] = reply["id_str"] if reply else None
        t["in_reply_to_screen_name"] = reply["screen_name"] if reply else None
        t["user"] = user
        t["geo"] = t["coordinates"] = t["place"] = None
        if rng.random() < 0.6:
            t["place"], point = self.place()
            if rng.random() < 0.085:
                t["geo"] = {"type": "Point", "coordinates": [point[1], point[0]]}
                t["coordinates"] = {"type": "Point", "coordinates": point}
        t["contributors"] = None
        if not embedded and rng.random() < 0.10:
            qms = ms - rng.randint(60_000, 3 * 86_400_000)
            qid = snowflake(qms, 1000 + rng.randint(0, 23), rng.randint(0, 4095))
            q = self.tweet(qms, qid, embedded + 1)
            t["quoted_status_id"] = qid
            t["quoted_status_id_str"] = str(qid)
            t["quoted_status"] = q
            t["is_quote_status"] = True
            link = "https://twitter.com/%s/status/%d" % (q["user"]["screen_name"], qid)
            t["quoted_status_permalink"] = {"url": "https://t.co/" + token(rng, 10),
                                            "expanded": link,
                                            "display": link[8:34] + "…"}
        else:
            t["is_quote_status"] = False
        if ext:
            t["extended_tweet"] = ext
        small = embedded and rng.random() < 0.8
        t["quote_count"] = rng.randint(0, 400 if small else 3)
        t["reply_count"] = rng.randint(0, 900 if small else 5)
        t["retweet_count"] = min(INT16_MAX, int(rng.paretovariate(1.3)) - 1 if not small
                                 else rng.randint(0, INT16_MAX))
        t["favorite_count"] = min(INT16_MAX, int(rng.paretovariate(1.2)) - 1 if not small
                                  else rng.randint(0, INT16_MAX))
        t["entities"] = entities
        if media and not ext:
            t["extended_entities"] = {"media": media}
        t["favorited"] = False
        t["retweeted"] = False
        if media or tb.urls:
            t["possibly_sensitive"] = rng.random() < 0.03
        t["filter_level"] = "low"
        t["lang"] = lang
        r = rng.random()
        if r < 0.003:
            t["withheld_copyright"] = True
            t["withheld_in_countries"] = ["DE", "FR"]
            t["withheld_scope"] = "status"
        elif r < 0.008:
            t["withheld_in_countries"] = rng.sample(WITHHELD, rng.randint(1, 4))
        return t

    def retweet(self, ms, tid):
        """A retweet: 'RT @x: ...' with the original embedded."""
        rng = self.rng
        oms = ms - rng.randint(30_000, 2 * 86_400_000)
        oid = snowflake(oms, 1000 + rng.randint(0, 23), rng.randint(0, 4095))
        orig = self.tweet(oms, oid, 1)
        ou = orig["user"]
        src_text = orig.get("extended_tweet", {}).get("full_text", orig["text"])
        src_ent = orig.get("extended_tweet", {}).get("entities", orig["entities"])
        head = "RT @%s: " % ou["screen_name"]
        text = head + src_text
        if len(text) > 140:
            text = text[:139] + "…"
        shift = len(head)
        ents = {"hashtags": [], "urls": [], "user_mentions": [], "symbols": []}
        ents["user_mentions"].append({"screen_name": ou["screen_name"], "name": ou["name"],
                                      "id": ou["id"], "id_str": ou["id_str"],
                                      "indices": [3, 4 + len(ou["screen_name"])]})
        for k in ents:
            for e in src_ent.get(k, []):
                a, b = e["indices"]
                if b + shift <= 139:
                    e2 = dict(e)
                    e2["indices"] = [a + shift, b + shift]
                    ents[k].append(e2)
        t = self.tweet(ms, tid, 2)  # the retweeter's envelope
        t["text"] = text
        t.pop("display_text_range", None)
        t.pop("extended_tweet", None)
        t.pop("extended_entities", None)
        t.pop("possibly_sensitive", None)
        t["truncated"] = False
        t["lang"] = orig["lang"]
        t["retweeted_status"] = orig
        for k in ("quote_count", "reply_count", "retweet_count", "favorite_count"):
            t[k] = 0
        t["entities"] = ents
        src_media = orig.get("extended_tweet", orig).get("extended_entities", {}).get("media")
        if src_media and src_media[0]["indices"][1] + shift <= 139:
            ind = [i + shift for i in src_media[0]["indices"]]
            media = [dict(m, indices=ind) for m in src_media]
            ents["media"] = [media[0]]
            t["extended_entities"] = {"media": media}
        # keep the v1.1 field order: retweeted_status before is_quote_status
        order = list(t)
        order.remove("retweeted_status")
        order.insert(order.index("is_quote_status"), "retweeted_status")
        return {k: t[k] for k in order}

    def next_tweet(self):
        rng = self.rng
        self.ms += rng.randint(1, 2 * self.step_ms)
        tid = snowflake(self.ms, self.worker, rng.randint(0, 4095))
        if rng.random() < 0.30:
            t = self.retweet(self.ms, tid)
        else:
            t = self.tweet(self.ms, tid)
        t["timestamp_ms"] = str(self.ms)
        return t

    def place(self):
        rng = self.rng
        ptype, name, full, cc, country, lon, lat, _ = pick(rng, PLACE)
        dx = {"poi": 0.0005, "city": 0.3, "admin": 5.0, "country": 25.0}[ptype]
        x0, y0 = round(lon - dx * rng.uniform(0.5, 1), 6), round(lat - dx * rng.uniform(0.5, 1), 6)
        x1, y1 = round(lon + dx * rng.uniform(0.5, 1), 6), round(lat + dx * rng.uniform(0.5, 1), 6)
        pid = "%08x%08x" % (zlib.crc32(full.encode()), zlib.crc32(name.encode()))
        place = {"id": pid, "url": "https://api.twitter.com/1.1/geo/id/%s.json" % pid,
                 "place_type": ptype, "name": name, "full_name": full,
                 "country_code": cc, "country": country,
                 "bounding_box": {"type": "Polygon", "coordinates": [
                     [[x0, y0], [x0, y1], [x1, y1], [x1, y0]]]},
                 "attributes": {}}
        point = [round(rng.uniform(x0, x1), 8), round(rng.uniform(y0, y1), 8)]
        return place, point

    def stream_message(self):
        """A non-tweet line: blank, limit, delete or withheld notice."""
        rng = self.rng
        r = rng.random()
        ts = str(self.ms)
        if r < 0.3:
            return ""
        if r < 0.65:
            return json.dumps({"limit": {"track": rng.randint(1, 500), "timestamp_ms": ts}},
                              separators=(",", ":"))
        if r < 0.95:
            sid = snowflake(self.ms - rng.randint(10**6, 10**9), rng.randint(0, 1023), 7)
            uid = rng.randint(10**6, 10**12)
            return json.dumps({"delete": {"status": {"id": sid, "id_str": str(sid),
                                                     "user_id": uid, "user_id_str": str(uid)},
                                          "timestamp_ms": ts}}, separators=(",", ":"))
        sid = snowflake(self.ms - rng.randint(10**6, 10**9), rng.randint(0, 1023), 9)
        return json.dumps({"status_withheld": {"id": sid, "user_id": rng.randint(10**6, 10**9),
                                               "withheld_in_countries": ["DE"],
                                               "timestamp_ms": ts}}, separators=(",", ":"))


def encode(rng, obj):
    """Serializes like the streaming API: no spaces, mostly escaped slashes,
    some lines with non-ASCII as \\u escapes (surrogate pairs for emoji)."""
    s = json.dumps(obj, ensure_ascii=rng.random() < 0.25, separators=(",", ":"))
    if rng.random() < 0.9:
        s = s.replace("/", "\\/")  # '/' only ever occurs inside strings
    return s


def file_lines(gen, tweets, prev_pool, pool_out):
    """Yields (line, is_tweet) for one file; fills pool_out with lines that a
    later file may repeat."""
    rng = gen.rng
    recent = []
    made = 0
    while made < tweets:
        if rng.random() < 0.01:
            yield gen.stream_message(), False
            continue
        r = rng.random()
        if r < 0.02 and recent:
            line = rng.choice(recent)  # repeated within this file
        elif r < 0.04 and prev_pool:
            line = rng.choice(prev_pool)  # repeated from an earlier file
        else:
            line = encode(rng, gen.next_tweet())
            recent.append(line)
            if len(recent) > 300:
                del recent[rng.randrange(len(recent))]
            if rng.random() < 0.05:
                if len(pool_out) < 500:
                    pool_out.append(line)
                else:
                    pool_out[rng.randrange(500)] = line
        made += 1
        yield line, True


# ---------------------------------------------------------------- writers


class Chunked:
    """Splits the line stream into members of about equal tweet counts."""

    def __init__(self, lines, tweets, members):
        self.lines, self.per = lines, max(1, -(-tweets // members))
        self.members = members

    def __iter__(self):
        buf, count, member = [], 0, 0
        for line, is_tweet in self.lines:
            if is_tweet and count == self.per and member < self.members - 1:
                yield member, buf
                buf, count, member = [], 0, member + 1
            buf.append(line)
            count += is_tweet
        yield member, buf


def write_blocks(out, lines, block=2000):
    for i in range(0, len(lines), block):
        out.write(("\n".join(lines[i:i + block]) + "\n").encode("utf-8"))


def write_file(path, fmt, lines, tweets, zip_members, gz_members):
    base = os.path.basename(path)
    with open(path, "wb") as raw:
        if fmt == "plain":
            for _, buf in Chunked(lines, tweets, 1):
                write_blocks(raw, buf)
        elif fmt == "gz":
            for _, buf in Chunked(lines, tweets, gz_members):
                with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
                    write_blocks(gz, buf)
        else:
            stem = base[:-len(".zip")]
            with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
                for k, buf in Chunked(lines, tweets, zip_members):
                    name = stem if zip_members == 1 else "%s.part%d.jsonl" % (
                        stem[:-len(".jsonl")], k + 1)
                    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o644 << 16
                    with zf.open(info, "w", force_zip64=False) as m:
                        write_blocks(m, buf)


# Texts with a literal backslash followed by "u0000" (JSON "\\u0000"). The
# assignment's `sed 's/\\u0000//g'` pipeline breaks on them, so the benchmark
# leaves them out (--no-literal-backslash) to give that baseline valid input.
LITERAL_BACKSLASH_U0000 = True


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--files", type=int, required=True)
    ap.add_argument("--tweets", type=int, required=True, help="tweet lines per file")
    ap.add_argument("--format", required=True,
                    help="zip, gz or plain; a comma list cycles over the files")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--prefix", default="geoTwitter21")
    ap.add_argument("--zip-members", type=int, default=1)
    ap.add_argument("--gz-members", type=int, default=1)
    ap.add_argument("--start-date", default="2021-01-01")
    ap.add_argument("--no-literal-backslash", action="store_true",
                    help="no texts with a literal backslash-u0000 (for the sed baseline)")
    a = ap.parse_args(argv)
    global LITERAL_BACKSLASH_U0000
    LITERAL_BACKSLASH_U0000 = not a.no_literal_backslash
    formats = a.format.split(",")
    for f in formats:
        if f not in ("zip", "gz", "plain"):
            ap.error("unknown format %r" % f)
    if a.files < 1 or a.tweets < 0 or a.zip_members < 1 or a.gz_members < 1:
        ap.error("--files, --zip-members and --gz-members must be >= 1")
    start = datetime.datetime.strptime(a.start_date, "%Y-%m-%d").replace(
        tzinfo=datetime.timezone.utc)
    os.makedirs(a.out, exist_ok=True)
    users = Users(random.Random("%s/users" % a.seed), 3000)
    prev_pool = []
    for i in range(a.files):
        fmt = formats[i % len(formats)]
        name = "%s-%02d.jsonl%s" % (a.prefix, i + 1, {"zip": ".zip", "gz": ".gz", "plain": ""}[fmt])
        day_ms = int((start + datetime.timedelta(days=i)).timestamp() * 1000)
        gen = Generator(a.seed, i, day_ms, users)
        gen.step_ms = max(1, 26 * 3600 * 1000 // max(1, a.tweets))  # ~26 hours per file
        pool = []
        write_file(os.path.join(a.out, name), fmt, file_lines(gen, a.tweets, prev_pool, pool),
                   a.tweets, a.zip_members, a.gz_members)
        prev_pool = pool
        print(os.path.join(a.out, name), file=sys.stderr)


if __name__ == "__main__":
    main()

"""Word pools, weighted tables and small helpers of the tweet generator."""

import datetime

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

"""Users, tweet texts with their entities, and media of the tweet generator."""

from tweetgen.pools import (BIO_BITS, COLORS, DOMAINS, EMOJI, FIRST,
    INT32_MAX, LAST, LOCATIONS, NAME_DECOR, ODD_BITS, OTHER, POPULAR, SYMS,
    URL_POOL, WITHHELD, WORDS, pick, token, twitter_time)

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

"""English and Chinese words the planner reads prompts with. Data only, no logic beyond lookups.

Telling Chinese text and reading numbers live in :mod:`promptreel.language` (their one home);
the names are re-exported here for the prompt reader."""

from __future__ import annotations

from promptreel.language import (
    COUNT_WORDS,
    EN_NUMBERS,
    HAN,
    ZH_DIGITS,
    count_cjk,
    has_cjk,
    word_number,
    zh_number,
)
from promptreel.stopwords import ENGLISH_STOPWORDS

__all__ = [
    "EN_NUMBERS",
    "ZH_DIGITS",
    "zh_number",
    "word_number",
    "VERTICAL_WORDS",
    "SQUARE_WORDS",
    "LANDSCAPE_WORDS",
    "MOOD_WORDS",
    "MUSIC_WORDS",
    "GENRE_WORDS",
    "STYLE_WORDS",
    "STOPWORDS",
    "ZH_GLOSS",
    "MEDIA_WORDS",
    "RELATIONS",
    "OCCASIONS",
    "TONE_WORDS",
    "BUSINESS_NOUNS",
    "COUNT_WORDS",
    "HAN",
    "has_cjk",
    "count_cjk",
]

VERTICAL_WORDS = (
    "vertical", "portrait", "tiktok", "tik tok", "reels", "reel", "shorts", "youtube short", "9:16",
    "stories", "instagram story", "douyin", "竖屏", "竖版", "竖向", "抖音", "快手", "视频号", "小红书",
)  # fmt: skip
SQUARE_WORDS = ("square", "1:1", "instagram post", "insta post", "feed post", "方形", "正方形", "方屏")
LANDSCAPE_WORDS = ("16:9", "landscape", "horizontal", "widescreen", "youtube video", "横屏", "横版", "宽屏")

#: mood → words that ask for it (longest phrases are tried first by the planner)
MOOD_WORDS: dict[str, tuple[str, ...]] = {
    "energetic": (
        "energetic", "fast", "fast-paced", "high energy", "high-energy", "punchy", "dynamic", "hype",
        "exciting", "bold", "节奏快", "节奏要快", "快节奏", "动感", "激情", "热血", "燃",
    ),
    "upbeat": ("upbeat", "lively", "fun", "bright", "cheerful", "轻快", "活泼", "明快", "愉快"),
    "happy": (
        "happy", "birthday", "festive", "celebration", "celebrate", "party", "confetti", "joyful",
        "欢快", "快乐", "喜庆", "生日", "节日", "庆祝", "开心",
    ),
    "warm": ("warm", "cozy", "cosy", "heartfelt", "homely", "inviting", "温暖", "温馨", "暖色", "治愈"),
    "calm": (
        "calm", "soothing", "relaxing", "peaceful", "gentle", "serene", "quiet", "soft", "slow",
        "平静", "舒缓", "安静", "宁静", "放松", "柔和",
    ),
    "corporate": (
        "corporate", "professional", "team update", "weekly update", "report",
        "quarterly", "investor", "商务", "企业", "专业", "汇报", "周报",
    ),
    "cinematic": ("cinematic", "epic", "dramatic", "film", "movie-like", "trailer", "elegant", "luxury", "luxurious",
                  "premium", "sophisticated", "电影感", "大片", "史诗", "高级感", "奢华"),
    "playful": ("playful", "quirky", "silly", "cute", "whimsical", "kids", "俏皮", "可爱", "童趣"),
}  # fmt: skip

#: music style → words that ask for it explicitly
MUSIC_WORDS: dict[str, tuple[str, ...]] = {
    "lofi": ("lo-fi", "lofi", "lo fi", "chillhop", "chill beats", "低保真"),
    "upbeat": ("upbeat music", "upbeat song", "pop music", "upbeat track", "轻快的音乐", "轻快音乐"),
    "happy": ("happy song", "happy music", "cheerful music", "birthday song", "欢快的音乐", "欢快音乐"),
    "calm": ("calm music", "piano", "ambient", "soft music", "relaxing music", "舒缓的音乐", "钢琴"),
    "cinematic": ("cinematic music", "epic music", "orchestral", "trailer music", "史诗音乐", "电影配乐"),
    "corporate": ("corporate music", "business music"),
    "energetic": ("energetic music", "edm", "electronic", "rock", "hip hop", "hip-hop", "动感音乐", "电音"),
    "warm": ("acoustic", "guitar", "folk", "warm music", "吉他", "民谣"),
}  # fmt: skip

#: genre → words that name it
GENRE_WORDS: dict[str, tuple[str, ...]] = {
    "greeting": (
        "birthday", "anniversary", "wedding", "greeting", "congratulations", "congrats", "thank you",
        "thank-you", "get well", "graduation", "holiday card", "new year", "christmas", "mother's day",
        "father's day", "valentine", "生日", "祝福", "贺卡", "纪念日", "婚礼", "感谢", "毕业", "新年",
    ),
    "update": (
        "team update", "weekly update", "monthly update", "status update", "update:", "weekly",
        "quarterly", "report", "recap", "all-hands", "all hands", "kpi", "周报", "月报", "汇报", "复盘",
        "季度",
    ),
    "explainer": (
        "explainer", "explain", "explains", "how does", "how do", "how to", "how ", "what is",
        "what are", "why ", "tutorial", "guide", "lesson", "introduction to", "科普", "讲解", "解释",
        "原理", "如何", "怎么", "为什么", "教程",
    ),
    "teaser": (
        "teaser", "launch", "launching", "coming soon", "announcement", "announce", "reveal",
        "pre-order", "preorder", "trailer", "预告", "发布", "上市", "新品", "首发",
    ),
    "promo": (
        "promo", "promotional", "ad ", "advert", "advertisement", "commercial", "marketing", "brand",
        "product", "introduce", "introducing", "showcase", "宣传", "广告", "推广", "品牌", "介绍", "产品",
    ),
}  # fmt: skip

#: words that describe the video itself, never its subject
STYLE_WORDS = (
    "music", "song", "soundtrack", "narration", "voiceover", "voice-over", "voice", "tone", "tones",
    "captions", "subtitles", "vertical", "portrait", "square", "landscape", "16:9", "9:16", "1:1",
    "tiktok", "reels", "shorts", "instagram", "youtube", "style", "vibe", "vibes", "mood", "feel",
    "look", "colors", "colours", "palette", "transitions", "video", "clip", "旁白", "字幕", "音乐",
    "配乐", "色调", "风格", "竖屏", "横屏", "节奏", "画面", "背景音乐",
)  # fmt: skip

STOPWORDS = ENGLISH_STOPWORDS | frozenset({  # and words of a request's wording
    "don", "gets", "long", "now", "onto", "sec", "secs", "still", "ways", "well", "while",
})  # fmt: skip

#: Chinese words → English keywords, so illustrations can be matched for Chinese scenes too
ZH_GLOSS: dict[str, str] = {
    "咖啡": "coffee", "拿铁": "coffee latte", "咖啡豆": "coffee beans", "面包": "bread", "蛋糕": "cake",
    "茶": "tea", "奶茶": "bubble tea", "早餐": "breakfast", "早晨": "morning sunrise", "清晨": "morning sunrise",
    "阳光": "sun", "太阳": "sun", "太阳能": "solar sun", "背包": "backpack", "运动鞋": "running shoe sneaker",
    "鞋": "shoe", "跑步": "running", "运动": "sport running", "城市": "city", "速度": "lightning fast",
    "轻": "feather light", "轻盈": "feather light", "缓震": "cloud soft", "脚步": "footprints",
    "朋友": "friends people", "家人": "family", "团队": "team people", "生日": "birthday cake",
    "礼物": "gift", "音乐": "music", "旅行": "travel airplane", "山": "mountain", "海": "ocean wave",
    "手机": "mobile phone", "电脑": "laptop computer", "数据": "chart", "增长": "chart increasing",
    "收入": "money", "营收": "money chart", "疫苗": "syringe vaccine", "免疫": "shield", "健康": "heart health",
    "爱": "heart love", "温暖": "sun warm", "香气": "steam aroma", "烘焙": "bread bakery",
    "品质": "gem quality", "新款": "sparkles new", "设计": "art palette design", "科技": "gear technology",
    "环保": "leaf recycling", "自然": "leaf nature", "星": "star", "时间": "clock", "学习": "books",
    "学校": "school", "书": "book", "花": "flower", "猫": "cat", "狗": "dog", "汽车": "car", "食物": "food",
    "餐厅": "restaurant", "健身": "dumbbell fitness", "水": "water drop", "火": "fire", "心": "heart",
    "杯": "cup", "豆": "beans", "手工": "hands craft", "匠心": "hands craft", "店": "shop store",
}  # fmt: skip

#: phrases that point at the user's own uploads ("use my photo", "我的视频")
MEDIA_WORDS = (
    "my photo", "my photos", "my picture", "my pictures", "my image", "my images", "my video",
    "my videos", "my clip", "my clips", "my footage", "my logo", "our photo", "our photos",
    "our video", "our logo", "uploaded", "the photo", "the video i", "我的照片", "我的图片",
    "我的视频", "我上传", "上传的", "我的素材", "我的logo",
)  # fmt: skip

RELATIONS = (
    "sister", "brother", "mom", "mum", "mother", "dad", "father", "grandma", "grandmother",
    "grandpa", "grandfather", "wife", "husband", "partner", "girlfriend", "boyfriend", "friend",
    "best friend", "son", "daughter", "aunt", "uncle", "cousin", "niece", "nephew", "colleague",
    "boss", "team", "teacher", "coach", "neighbour", "neighbor",
)  # fmt: skip

OCCASIONS: dict[str, tuple[str, ...]] = {
    "birthday": ("birthday", "bday", "生日"),
    "anniversary": ("anniversary", "纪念日"),
    "wedding": ("wedding", "婚礼"),
    "graduation": ("graduation", "毕业"),
    "thanks": ("thank you", "thank-you", "thanks", "感谢", "谢谢"),
    "new year": ("new year", "新年", "春节"),
    "christmas": ("christmas", "xmas", "圣诞"),
    "congratulations": ("congratulations", "congrats", "恭喜", "祝贺"),
}

#: adjectives that describe a video's feel ("warm and romantic"), never a listed detail
TONE_WORDS = frozenset(
    [
        "romantic",
        "elegant",
        "minimal",
        "minimalist",
        "modern",
        "luxurious",
        "luxury",
        "retro",
        "vintage",
        "moody",
        "dark",
        "bright",
        "clean",
        "simple",
        "bold",
        "soft",
        "sleek",
        "fun",
        "stylish",
        "heartfelt",
        "emotional",
        "inspiring",
        "inspirational",
        "funny",
        "serious",
        "friendly",
        "dreamy",
        "nostalgic",
        "sweet",
        "cute",
        "classy",
        "chic",
        "lively",
        "gentle",
        "dramatic",
        "epic",
        "warm",
        "calm",
        "upbeat",
        "happy",
        "playful",
        "cinematic",
        "energetic",
        "cozy",
        "cosy",
        "punchy",
        "and",
        "or",
        "a",
        "bit",
        "little",
        "very",
        "more",
        "slightly",
        "tone",
        "feel",
        "vibe",
        "look",
    ]
)

#: nouns for places and outfits a promo is made for ("our yoga studio", "a ramen shop")
BUSINESS_NOUNS = (
    "shop", "store", "café", "cafe", "bakery", "studio", "salon", "gym", "restaurant", "bar", "hotel",
    "clinic", "agency", "company", "startup", "brand", "app", "boutique", "spa", "garage", "firm",
    "practice", "school", "academy", "club", "farm", "winery", "brewery", "roastery", "business",
    "店", "馆", "工作室", "餐厅", "公司", "品牌",
)  # fmt: skip

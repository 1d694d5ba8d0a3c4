"""Demo catalog: organisations, genres, people and titles from across the SCO region.

The titles are invented. Each name is stored in its original script, with translations
marked as human or, for a few, machine-made (with the engine named), so the catalog
shows the fallback and the "machine translation" note. Loading twice changes nothing.
"""

from __future__ import annotations

from typing import TextIO

from django.utils.translation import gettext

from dastan.catalog import services
from dastan.catalog.models import Organisation, Title, TitleText

GENRES: dict[str, dict[str, str]] = {
    "drama": {"en": "Drama", "ru": "Драма", "zh-Hans": "剧情", "hi": "नाटक", "ur": "ڈراما", "fa": "درام",
              "kk": "Драма", "uz": "Drama", "ky": "Драма", "tg": "Драма", "be": "Драма"},
    "comedy": {"en": "Comedy", "ru": "Комедия", "zh-Hans": "喜剧", "hi": "कॉमेडी", "ur": "کامیڈی",
               "fa": "کمدی", "kk": "Комедия", "uz": "Komediya", "ky": "Комедия", "tg": "Мазҳака",
               "be": "Камедыя"},
    "action": {"en": "Action", "ru": "Боевик", "zh-Hans": "动作", "hi": "एक्शन", "ur": "ایکشن", "fa": "اکشن",
               "kk": "Экшн", "uz": "Jangari", "ky": "Экшн", "tg": "Экшн", "be": "Баявік"},
    "history": {"en": "History", "ru": "История", "zh-Hans": "历史", "hi": "इतिहास", "ur": "تاریخی",
                "fa": "تاریخی", "kk": "Тарих", "uz": "Tarix", "ky": "Тарых", "tg": "Таърихӣ", "be": "Гісторыя"},
    "family": {"en": "Family", "ru": "Семейный", "zh-Hans": "家庭", "hi": "पारिवारिक", "ur": "خاندانی",
               "fa": "خانوادگی", "kk": "Отбасылық", "uz": "Oilaviy", "ky": "Үй-бүлөлүк", "tg": "Оилавӣ",
               "be": "Сямейны"},
    "romance": {"en": "Romance", "ru": "Мелодрама", "zh-Hans": "爱情", "hi": "रोमांस", "ur": "رومانوی",
                "fa": "عاشقانه", "kk": "Мелодрама", "uz": "Romantika", "ky": "Мелодрама", "tg": "Ишқӣ",
                "be": "Меладрама"},
}

ORGANISATIONS = [
    ("Lahore Lights Studio", "lahore-lights", "studio", "PK"),
    ("Steppe Pictures", "steppe-pictures", "studio", "KZ"),
    ("Sever Film", "sever-film", "studio", "RU"),
    ("Kaveh Film House", "kaveh-film", "studio", "IR"),
    ("Monsoon Motion Pictures", "monsoon-pictures", "studio", "IN"),
    ("Changhe Film Group", "changhe-film", "studio", "CN"),
    ("Toshkent Kulgi Studiyasi", "toshkent-kulgi", "studio", "UZ"),
    ("Dushanbe Film", "dushanbe-film", "studio", "TJ"),
    ("Silk Screen Distribution", "silk-screen", "distributor", "KG"),
    ("Minsk Telecast", "minsk-telecast", "broadcaster", "BY"),
    ("Central Film Board", "central-film-board", "regulator", "KZ"),
    ("Almaty Film School", "almaty-film-school", "school", "KZ"),
]

MT = {"engine": "apertium", "model": "hin-urd", "version": "demo"}

# slug, owner, kind, language, country, year, minutes, genres, {language: (name, synopsis, origin)}
TITLES = [
    ("noori-jatt", "lahore-lights", "film", "ur", "PK", 2022, 153, ["action", "drama"], {
        "ur": ("نوری جٹ", "پنجاب کے ایک گاؤں میں نوری جٹ اپنے خاندان کی عزت کے لیے ایک طاقتور سردار سے ٹکراتا ہے۔", "original"),
        "en": ("Noori Jatt", "In a Punjabi village, Noori Jatt stands up to a powerful chieftain for his family's honour.", "human"),
        "ru": ("Нури Джатт", "В пенджабской деревне Нури Джатт бросает вызов могущественному вождю ради чести семьи.", "human"),
        "zh-Hans": ("努里·贾特", "在旁遮普的一个村庄，努里·贾特为了家族的荣誉挑战一位强大的首领。", "human"),
    }),
    ("song-of-the-steppe", "steppe-pictures", "film", "kk", "KZ", 2021, 112, ["drama", "family"], {
        "kk": ("Дала әні", "Қарт домбырашы немересіне ұмытылған әндерді үйретіп, ауылға қайта оралады.", "original"),
        "en": ("Song of the Steppe", "An old dombra player returns to his village to teach his granddaughter forgotten songs.", "human"),
        "ru": ("Песня степи", "Старый домбрист возвращается в аул, чтобы научить внучку забытым песням.", "human"),
    }),
    ("north-wind", "sever-film", "series", "ru", "RU", 2023, None, ["drama", "history"], {
        "ru": ("Северный ветер", "Семья поморов переживает три поколения перемен на берегу Белого моря.", "original"),
        "en": ("North Wind", "A Pomor family lives through three generations of change on the White Sea coast.", "human"),
        "zh-Hans": ("北风", "一个波莫尔家族在白海岸边经历了三代人的变迁。", "human"),
        "kk": ("Солтүстік жел", "Помор отбасы Ақ теңіз жағасында үш ұрпақтың өзгерістерін бастан кешіреді.", "machine"),
    }),
    ("fathers-house", "kaveh-film", "film", "fa", "IR", 2020, 104, ["drama", "family"], {
        "fa": ("خانه‌ی پدری", "سه خواهر پس از مرگ پدرشان برای تصمیم درباره‌ی خانه‌ی قدیمی در کاشان گرد هم می‌آیند.", "original"),
        "en": ("Father's House", "Three sisters gather in Kashan after their father's death to decide the fate of the old house.", "human"),
        "ru": ("Отчий дом", "Три сестры собираются в Кашане после смерти отца, чтобы решить судьбу старого дома.", "human"),
        "ur": ("آبائی گھر", "تین بہنیں اپنے والد کی وفات کے بعد کاشان میں پرانے گھر کے بارے میں فیصلہ کرنے کے لیے اکٹھی ہوتی ہیں۔", "machine"),
    }),
    ("after-the-rain", "monsoon-pictures", "film", "hi", "IN", 2019, 131, ["romance", "drama"], {
        "hi": ("बारिश के बाद", "मानसून की पहली बारिश के बाद मुंबई में दो अजनबी एक ही छतरी के नीचे मिलते हैं।", "original"),
        "en": ("After the Rain", "After the first monsoon rain in Mumbai, two strangers meet under the same umbrella.", "human"),
        "ur": ("بارش کے بعد", "ممبئی میں مون سون کی پہلی بارش کے بعد دو اجنبی ایک ہی چھتری کے نیچے ملتے ہیں۔", "human"),
        "ru": ("После дождя", "После первого муссонного дождя в Мумбаи двое незнакомцев встречаются под одним зонтом.", "human"),
    }),
    ("long-river-sunset", "changhe-film", "film", "zh-Hans", "CN", 2022, 118, ["drama", "history"], {
        "zh-Hans": ("长河落日", "一位老船夫在长江上度过最后一个夏天，把渡口交给了从城市归来的孙子。", "original"),
        "en": ("Sunset over the Long River", "An old ferryman spends his last summer on the Yangtze and hands the crossing to his grandson.", "human"),
        "ru": ("Закат над долгой рекой", "Старый паромщик проводит последнее лето на Янцзы и передаёт переправу внуку.", "human"),
    }),
    ("any-excuse-for-a-wedding", "toshkent-kulgi", "film", "uz", "UZ", 2023, 97, ["comedy", "family"], {
        "uz": ("Toʻy bahona", "Ikki qoʻshni oila bitta toʻyni kim oʻtkazishi ustida bahslashadi.", "original"),
        "en": ("Any Excuse for a Wedding", "Two neighbouring families argue over who will host the same wedding.", "human"),
        "ru": ("Свадьба как повод", "Две соседские семьи спорят о том, кто будет устраивать одну и ту же свадьбу.", "human"),
    }),
    ("grandfathers-garden", "dushanbe-film", "film", "tg", "TJ", 2018, 89, ["family"], {
        "tg": ("Боғи бобо", "Писарбачае дар Хуҷанд боғи бобояшро аз хушксолӣ наҷот медиҳад.", "original"),
        "en": ("Grandfather's Garden", "A boy in Khujand saves his grandfather's garden from the drought.", "human"),
        "fa": ("باغ پدربزرگ", "پسری در خجند باغ پدربزرگش را از خشکسالی نجات می‌دهد.", "human"),
    }),
]

SEASON = {"ru": ("Сезон 1", "", "original"), "en": ("Season 1", "", "human")}
EPISODES = [
    {"ru": ("Лёд тронулся", "Весна приходит в деревню.", "original"), "en": ("The Ice Breaks", "Spring comes to the village.", "human")},
    {"ru": ("Чужой корабль", "В бухту заходит неизвестное судно.", "original"), "en": ("A Stranger's Ship", "An unknown vessel enters the bay.", "human")},
    {"ru": ("Долгая ночь", "Шторм отрезает деревню от мира.", "original"), "en": ("The Long Night", "A storm cuts the village off.", "human")},
]

# slug: [(name, latin name, country, role, character)]
CREDITS = {
    "noori-jatt": [("بلال احمد", "Bilal Ahmad", "PK", "director", ""), ("فواد خان", "Fawad Khan", "PK", "cast", "نوری")],
    "song-of-the-steppe": [("Ержан Сәрсенбаев", "Yerzhan Sarsenbayev", "KZ", "director", "")],
    "north-wind": [("Анна Белова", "Anna Belova", "RU", "director", ""), ("Илья Громов", "Ilya Gromov", "RU", "cast", "Степан")],
    "fathers-house": [("مریم رضایی", "Maryam Rezaei", "IR", "director", "")],
    "after-the-rain": [("अनुराधा मेहता", "Anuradha Mehta", "IN", "director", "")],
    "long-river-sunset": [("王建国", "Wang Jianguo", "CN", "director", "")],
    "any-excuse-for-a-wedding": [("Jasur Karimov", "Jasur Karimov", "UZ", "director", "")],
    "grandfathers-garden": [("Фарзона Раҳимова", "Farzona Rahimova", "TJ", "director", "")],
}


def _texts(title: Title, texts: dict[str, tuple[str, str, str]]) -> None:
    for language, (name, synopsis, origin) in texts.items():
        services.set_title_text(by=None, title=title, language=language, name=name, synopsis=synopsis,
                                origin=origin, provenance=MT if origin == TitleText.Origin.MACHINE else None)


def _title(slug: str, owner: Organisation, kind: str, language: str, country: str,
           texts: dict[str, tuple[str, str, str]], **fields: object) -> Title:
    title = Title.objects.filter(slug=slug).first()
    if title is None:
        name, synopsis, _ = texts[language]
        title = services.create_title(by=None, owner=owner, slug=slug, kind=kind, original_language=language,
                                      country_of_origin=country, name=name, synopsis=synopsis,
                                      is_published=True, **fields)  # type: ignore[arg-type]
    _texts(title, texts)
    return title


def load_demo(out: TextIO) -> None:
    """Create (or complete) the demo catalog; safe to run again."""
    genres = {slug: services.ensure_genre(slug=slug, names=names) for slug, names in GENRES.items()}
    orgs: dict[str, Organisation] = {}
    for name, slug, kind, country in ORGANISATIONS:
        orgs[slug] = Organisation.objects.filter(slug=slug).first() or services.create_organisation(
            name=name, slug=slug, kind=kind, country=country)
    for slug, owner, kind, language, country, year, minutes, genre_slugs, texts in TITLES:
        title = _title(slug, orgs[owner], kind, language, country, texts, year=year, runtime_min=minutes,
                       genres=[genres[g] for g in genre_slugs])
        for order, (name, latin, pcountry, role, character) in enumerate(CREDITS.get(slug, [])):
            services.add_credit(title=title, name=name, latin_name=latin, country=pcountry, role=role,
                                character=character, order=order)
    series = Title.objects.get(slug="north-wind")
    season = _title("north-wind-s1", orgs["sever-film"], "season", "ru", "RU", SEASON, parent=series, number=1)
    for number, texts in enumerate(EPISODES, start=1):
        _title(f"north-wind-s1e{number}", orgs["sever-film"], "episode", "ru", "RU", texts, parent=season,
               number=number, runtime_min=52)
    out.write(gettext("Catalog: %(titles)s films and series, %(organisations)s organisations, %(genres)s genres.")
              % {"titles": Title.objects.filter(kind__in=["film", "series"]).count(), "organisations": len(orgs),
                 "genres": len(genres)} + "\n")

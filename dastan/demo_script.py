"""The demo film's script, below the apps that use it (the media demo speaks it, the
localization demo subtitles it): a scene of "Noori Jatt" in Urdu, with its translations into
the ten other languages as human translators wrote them. The demo film speaks the Urdu
lines at these times; the translations are entered as people's work and labelled so."""

from __future__ import annotations

# (start_ms, end_ms, speaker, {language: line})
SCRIPT: list[tuple[int, int, str, dict[str, str]]] = [
    (500, 3500, "Noori", {
        "ur": "ابا جی، گاؤں میں سردار کے آدمی آئے ہیں۔",
        "en": "Father, the chieftain's men have come to the village.",
        "ru": "Отец, в деревню пришли люди вождя.",
        "zh-Hans": "父亲，首领的人来村里了。",
        "hi": "पिताजी, गाँव में सरदार के आदमी आए हैं।",
        "fa": "پدر، آدم‌های خان به روستا آمده‌اند.",
        "kk": "Әке, ауылға бектің адамдары келді.",
        "uz": "Ota, qishloqqa boshliqning odamlari kelishdi.",
        "ky": "Ата, айылга бектин адамдары келди.",
        "tg": "Падар, одамони хон ба деҳа омаданд.",
        "be": "Бацька, у вёску прыйшлі людзі правадыра.",
    }),
    (4000, 7000, "Father", {
        "ur": "ڈرو مت، بیٹا۔ یہ زمین ہماری ہے۔",
        "en": "Don't be afraid, son. This land is ours.",
        "ru": "Не бойся, сынок. Эта земля наша.",
        "zh-Hans": "别怕，孩子。这片土地是我们的。",
        "hi": "डरो मत, बेटा। यह ज़मीन हमारी है।",
        "fa": "نترس، پسرم. این زمین مال ماست.",
        "kk": "Қорықпа, балам. Бұл жер біздікі.",
        "uz": "Qoʻrqma, oʻgʻlim. Bu yer bizniki.",
        "ky": "Коркпо, балам. Бул жер биздики.",
        "tg": "Натарс, писарам. Ин замин аз они мост.",
        "be": "Не бойся, сынок. Гэтая зямля наша.",
    }),
    (7500, 11000, "Noori", {
        "ur": "وہ کہتے ہیں کہ کل تک چالیس ایکڑ خالی کر دو۔",
        "en": "They say we must clear forty acres by tomorrow.",
        "ru": "Они говорят, что к завтрашнему дню мы должны освободить сорок акров.",
        "zh-Hans": "他们说明天之前要我们腾出四十英亩地。",
        "hi": "वे कहते हैं कि कल तक चालीस एकड़ खाली कर दो।",
        "fa": "می‌گویند تا فردا باید چهل جریب زمین را خالی کنیم.",
        "kk": "Олар ертеңге дейін қырық акрды босатуымыз керек дейді.",
        "uz": "Ular ertagacha qirq akrni boʻshatishimiz kerak deyishyapti.",
        "ky": "Алар эртеңге чейин кырк акрды бошотушубуз керек дешет.",
        "tg": "Онҳо мегӯянд, ки то пагоҳ бояд чил акрро холӣ кунем.",
        "be": "Яны кажуць, што да заўтра мы павінны вызваліць сорак акраў.",
    }),
    (11500, 14500, "Father", {
        "ur": "ہمارے دادا نے یہ کھیت اپنے ہاتھوں سے بنائے تھے۔",
        "en": "Our grandfather made these fields with his own hands.",
        "ru": "Наш дед создал эти поля своими руками.",
        "zh-Hans": "我们的祖父亲手开垦了这些田地。",
        "hi": "हमारे दादा ने ये खेत अपने हाथों से बनाए थे।",
        "fa": "پدربزرگمان این مزرعه‌ها را با دست‌های خودش ساخت.",
        "kk": "Атамыз бұл егістіктерді өз қолымен жасаған.",
        "uz": "Bobomiz bu dalalarni oʻz qoʻllari bilan yaratgan.",
        "ky": "Чоң атабыз бул талааларды өз колу менен жасаган.",
        "tg": "Бобоямон ин киштзорҳоро бо дасти худ сохтааст.",
        "be": "Наш дзед зрабіў гэтыя палі сваімі рукамі.",
    }),
    (15000, 18000, "Noori", {
        "ur": "تو پھر میں ان سے بات کروں گا۔",
        "en": "Then I will talk to them.",
        "ru": "Тогда я поговорю с ними.",
        "zh-Hans": "那我去和他们谈。",
        "hi": "तो फिर मैं उनसे बात करूँगा।",
        "fa": "پس من با آن‌ها حرف می‌زنم.",
        "kk": "Онда мен олармен сөйлесемін.",
        "uz": "Unda men ular bilan gaplashaman.",
        "ky": "Анда мен алар менен сүйлөшөм.",
        "tg": "Пас ман бо онҳо гап мезанам.",
        "be": "Тады я пагавару з імі.",
    }),
    (18500, 21500, "Father", {
        "ur": "عزت سے بات کرنا، مگر سر مت جھکانا۔",
        "en": "Speak with respect, but do not bow your head.",
        "ru": "Говори с уважением, но не склоняй головы.",
        "zh-Hans": "说话要有礼貌，但不要低头。",
        "hi": "इज़्ज़त से बात करना, मगर सिर मत झुकाना।",
        "fa": "با احترام حرف بزن، اما سرت را خم نکن.",
        "kk": "Құрметпен сөйле, бірақ басыңды име.",
        "uz": "Hurmat bilan gapir, lekin boshingni egma.",
        "ky": "Урмат менен сүйлө, бирок башыңды ийбе.",
        "tg": "Бо эҳтиром гап зан, аммо сар хам накун.",
        "be": "Гавары з павагай, але не схіляй галавы.",
    }),
]
SOURCE_LANGUAGE = "ur"
FILM_DURATION_MS = 23000


def lines_in(language: str) -> list[str]:
    return [texts[language] for _start, _end, _speaker, texts in SCRIPT]

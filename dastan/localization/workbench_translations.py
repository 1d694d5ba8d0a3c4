"""The translator's workbench's interface strings (the editor, the queue, routes on the
review desk) in the ten other languages, in dastan.translations.LANGS order:
ru, zh_Hans, hi, ur, fa, kk, uz, ky, tg, be. Merged into the desk's table
(interface_translations.DESK), so one catalog build covers them."""

from __future__ import annotations

WORKBENCH: dict[str, tuple[str, ...]] = {
    "Route": ("Маршрут", "路线", "मार्ग", "راستہ", "مسیر", "Бағыт", "Yoʻnalish", "Маршрут", "Масир", "Маршрут"),
    "Original": ("Оригинал", "原文", "मूल", "اصل", "اصل", "Түпнұсқа", "Asl", "Түпнуска", "Асл", "Арыгінал"),
    "pivot": ("язык-посредник", "中转语言", "मध्यवर्ती भाषा", "درمیانی زبان", "زبان میانجی", "делдал тіл", "vositachi til", "ортомчу тил", "забони миёнарав", "мова-пасярэдніца"),
}

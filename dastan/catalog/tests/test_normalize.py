from dastan.catalog.normalize import consonant_key, latin_words, script_words, search_terms


def test_maula_jatt_in_latin_cyrillic_urdu_and_devanagari_share_consonant_keys() -> None:
    keys = {text: search_terms(text).keys for text in ("Maula Jatt", "Маула Джатт", "مولا جٹ", "मौला जट्ट")}
    assert set(keys.values()) == {("ml", "jt")}, keys


def test_chinese_syllables_run_together_give_the_same_whole_key_as_latin() -> None:
    assert search_terms("毛拉·贾特").whole == search_terms("Maula Jatt").whole == "mljt"


def test_cyrillic_dzh_folds_to_j_and_tajik_che_with_descender_reads_as_j() -> None:
    assert consonant_key(latin_words("Джамал")[0]) == consonant_key("jamal") == "jml"
    assert latin_words("Ҷаҳон") == ("jahon",)


def test_chinese_is_split_into_one_word_per_character() -> None:
    assert script_words("毛拉·贾特") == ("毛", "拉", "贾", "特")


def test_arabic_and_persian_letter_variants_and_short_vowels_are_made_one() -> None:
    # Arabic yeh/kaf with a fatha versus Persian yeh/kaf without vowel marks.
    assert script_words("كَريم") == script_words("کریم")


def test_devanagari_vowel_signs_stay_inside_their_word() -> None:
    assert script_words("बारिश के बाद") == ("बारिश", "के", "बाद")


def test_persian_zero_width_non_joiner_does_not_split_a_word() -> None:
    assert script_words("خانه‌ی پدری") == ("خانہی", "پدری")

"""Titles (film, series, season, episode), people, credits, organisations, genres, and
each title's name and synopsis per language with who wrote it."""

from __future__ import annotations

from django.db import models

from dastan.catalog.languages import LANGUAGE_CHOICES


class Organisation(models.Model):
    class Kind(models.TextChoices):
        STUDIO = "studio", "Studio"
        DISTRIBUTOR = "distributor", "Distributor"
        BROADCASTER = "broadcaster", "Broadcaster"
        REGULATOR = "regulator", "Regulator"
        SCHOOL = "school", "Film school"
        LOCALIZATION = "localization", "Localization house"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    website = models.URLField(blank=True, default="")
    # Localization policy: how many people must approve a machine-made track before
    # viewers can see it, and whether synthesized voice tracks need approval too.
    machine_track_approvals = models.PositiveSmallIntegerField(default=1)
    voice_tracks_need_approval = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Genre(models.Model):
    slug = models.SlugField(max_length=40, unique=True)
    # {"en": "Drama", "ru": "Драма", ...}: genre names are data, not interface strings.
    names = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.slug

    def name_in(self, language: str) -> str:
        return self.names.get(language) or self.names.get("en") or self.slug


class Person(models.Model):
    name = models.CharField(max_length=200, help_text="as written in the person's own script")
    latin_name = models.CharField(max_length=200, blank=True, default="")
    country = models.CharField(max_length=2, blank=True, default="")

    def __str__(self) -> str:
        return self.name


class Title(models.Model):
    class Kind(models.TextChoices):
        FILM = "film", "Film"
        SERIES = "series", "Series"
        SEASON = "season", "Season"
        EPISODE = "episode", "Episode"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FILM)
    slug = models.SlugField(max_length=120, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children", help_text="a season's series, an episode's season")
    number = models.PositiveSmallIntegerField(null=True, blank=True, help_text="season or episode number")
    original_language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES)
    country_of_origin = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    runtime_min = models.PositiveSmallIntegerField(null=True, blank=True)
    owner = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="titles", help_text="the studio or rights holder")
    genres = models.ManyToManyField(Genre, blank=True, related_name="titles")
    is_published = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # A page of the catalogue (newest first) walks this index and stops after a page,
        # instead of sorting every published title (100,000 of them in bench/edge.py).
        indexes = [models.Index(fields=["-created_at", "-id"], name="catalog_title_newest")]

    def __str__(self) -> str:
        return self.slug


class TitleText(models.Model):
    """A title's name and synopsis in one language, and who wrote them."""

    class Origin(models.TextChoices):
        ORIGINAL = "original", "Original"
        HUMAN = "human", "Human translation"
        MACHINE = "machine", "Machine translation"

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES)
    name = models.CharField(max_length=300)
    synopsis = models.TextField(blank=True, default="")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.HUMAN)
    # For machine text: {"engine": ..., "model": ..., "version": ...}
    provenance = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["title", "language"], name="one_text_per_language")]

    def __str__(self) -> str:
        return f"{self.name} [{self.language}]"


class Credit(models.Model):
    class Role(models.TextChoices):
        DIRECTOR = "director", "Director"
        WRITER = "writer", "Writer"
        PRODUCER = "producer", "Producer"
        CAST = "cast", "Cast"
        COMPOSER = "composer", "Composer"
        CINEMATOGRAPHER = "cinematographer", "Cinematographer"
        EDITOR = "editor", "Editor"

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credits")
    role = models.CharField(max_length=20, choices=Role.choices)
    character = models.CharField(max_length=200, blank=True, default="")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]


class SearchEntry(models.Model):
    """One indexed text of a title in the three forms of :mod:`dastan.catalog.normalize`.

    The full-text index over these rows is the database's own: an FTS5 table on SQLite
    (kept in step by :mod:`dastan.catalog.search.index`, never by signals) or a GIN index
    on PostgreSQL. Rows are rebuilt whole whenever a title's texts change.
    """

    class Field(models.TextChoices):
        NAME = "name", "Name"
        SYNOPSIS = "synopsis", "Synopsis"

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="search_entries")
    language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES)
    field = models.CharField(max_length=10, choices=Field.choices)
    words = models.TextField(help_text="the text in its own script, folded, CJK split per character")
    latin = models.TextField(help_text="the text transliterated to ASCII")
    keys = models.TextField(help_text="consonant key per word")
    whole = models.CharField(max_length=300, help_text="consonant keys run together")
    # Space-separated lexemes with a column prefix (w:, l:, k:, K:), read by PostgreSQL's
    # GIN index as array_to_tsvector(string_to_array(terms, ' ')).
    terms = models.TextField(default="")

    class Meta:
        indexes = [models.Index(fields=["title"], name="catalog_search_title")]

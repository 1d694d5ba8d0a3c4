"""render_voice_track end to end, on generated media, with the results measured."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest

from dastan.ffmpeg import base_args, probe_duration_ms
from dastan.localization.engines.vad import speech_spans
from dastan.localization.errors import EngineUnavailable
from dastan.localization.voice.cues import VoiceCue
from dastan.localization.voice.dub import DubMode, DubReport, render_voice_track

from .conftest import BED_TONE_HZ, ENGLISH_LINES, cue_list
from .helpers import mono_of, speech_onset_ms, tone_level_db, voiced_frames

pytestmark = pytest.mark.slow

LINES = {
    "ru": ("Где ты был вчера вечером?", "Я был на реке, смотрел на лодки.",
           "Рыбаки вернулись до рассвета.", "Тогда завтра мы уезжаем в город."),
    "en": ENGLISH_LINES,
    "kk": ("Кеше кешке қайда болдың?", "Мен өзенде қайықтарды қарап отырдым.",
           "Балықшылар таң атпай оралды.", "Онда ертең қалаға кетеміз."),
    "hi": ("कल रात तुम कहाँ थे?", "मैं नदी पर नावें देख रहा था।",
           "मछुआरे सुबह से पहले लौट आए।", "तो हम कल शहर के लिए निकलेंगे।"),
    "zh-Hans": ("你昨晚去哪儿了？", "我在河边看船。", "渔民们天亮前就回来了。", "那我们明天去城里。"),
}
OUTPUT_DIR = Path(__file__).resolve().parents[4] / "test-output" / "voice"


def render(tmp_path: Path, original: Path, language: str) -> DubReport:
    return render_voice_track(cues=cue_list(LINES[language]), language=language,
                              original_audio=original, mode="voice-over",
                              cache_dir=tmp_path / "cache", out_path=tmp_path / f"{language}.wav")


@pytest.fixture(scope="module")
def ru_report(tmp_path_factory: pytest.TempPathFactory, original_audio: Path) -> DubReport:
    return render(tmp_path_factory.mktemp("ru"), original_audio, "ru")


def test_voice_over_is_normalized_to_ebu_r128_as_measured_after_the_mix(
        ru_report: DubReport) -> None:
    assert ru_report.loudness.integrated_lufs == pytest.approx(-23.0, abs=1.0)
    assert ru_report.loudness.true_peak_dbtp <= -1.0
    assert ru_report.loudness.within_target()
    # A second, independent meter agrees with ffmpeg's ebur128.
    samples, rate = mono_of(ru_report.out_path)
    stereo = _stereo(ru_report.out_path)
    assert pyloudnorm.Meter(48000).integrated_loudness(stereo) == pytest.approx(-23.0, abs=1.0)
    assert rate == 48000 and len(samples) > 0


def _stereo(path: Path) -> np.ndarray:
    raw = subprocess.run([*base_args(), "-i", str(path), "-f", "f32le",
                          "-ac", "2", "-ar", "48000", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype="<f4").reshape(-1, 2)


def test_every_voice_starts_within_250_ms_of_its_cue_by_voice_activity(
        ru_report: DubReport) -> None:
    spans = speech_spans(audio=ru_report.voice_stem)  # the engines' webrtcvad detector
    assert len(spans) == len(ru_report.cues)
    for cue in ru_report.cues:
        onset = next(s.start_ms for s in spans
                     if s.end_ms > cue.cue_start_ms - 500 and s.start_ms < cue.cue_end_ms)
        assert 0 <= onset - cue.cue_start_ms <= 250, (cue.index, onset, cue.cue_start_ms)
    # The same with a frame-level check of our own, three voiced frames in a row.
    flags, frame_ms = voiced_frames(ru_report.voice_stem)
    for cue in ru_report.cues:
        onset = speech_onset_ms(flags, frame_ms, after_ms=max(0, cue.cue_start_ms - 500),
                                before_ms=cue.cue_end_ms)
        assert 0 <= onset - cue.cue_start_ms <= 250, (cue.index, onset, cue.cue_start_ms)


def test_original_is_ducked_by_the_configured_depth_under_the_voice_and_stays_audible(
        ru_report: DubReport) -> None:
    samples, rate = mono_of(ru_report.out_path)
    clear = tone_level_db(samples, rate, tone_hz=BED_TONE_HZ, start_ms=200, end_ms=900)
    under = [tone_level_db(samples, rate, tone_hz=BED_TONE_HZ, start_ms=c.voice_start_ms + 200,
                           end_ms=c.voice_end_ms - 100) for c in ru_report.cues]
    for level in under:
        assert level - clear == pytest.approx(-12.0, abs=1.0)


def test_each_speaker_gets_a_distinct_voice_and_provenance_names_every_model(
        ru_report: DubReport) -> None:
    roles = {(r.voice_id, r.pitch) for r in ru_report.casting.roles}
    assert len(roles) == 2
    engines = {p.engine for p in ru_report.provenance}
    assert engines == {"festival", "ffmpeg"}
    assert all(c.wav.exists() for c in ru_report.cues)


def test_full_dub_mixes_the_voice_over_the_me_stem_at_the_target(
        tmp_path: Path, me_stem: Path) -> None:
    report = render_voice_track(cues=cue_list(ENGLISH_LINES), language="en", original_audio=None,
                                me_stem=me_stem, mode=DubMode.FULL_DUB, cache_dir=tmp_path / "c",
                                out_path=tmp_path / "en-full.m4a", target_lufs=-24.0)
    assert report.loudness.integrated_lufs == pytest.approx(-24.0, abs=1.0)
    assert report.loudness.true_peak_dbtp <= -1.0
    assert report.cues[0].voice_start_ms == report.cues[0].cue_start_ms  # no VO delay
    samples, rate = mono_of(report.out_path)
    # The M&E stem is not ducked: its tone keeps one level with and without the voice.
    clear = tone_level_db(samples, rate, tone_hz=BED_TONE_HZ, start_ms=200, end_ms=900)
    under = tone_level_db(samples, rate, tone_hz=BED_TONE_HZ, start_ms=4500, end_ms=6000)
    assert under == pytest.approx(clear, abs=0.5)


def test_a_cue_too_long_to_dub_is_flagged_with_its_overrun_and_spoken_whole(
        tmp_path: Path, original_audio: Path) -> None:
    lines = list(ENGLISH_LINES)
    lines[1] = ("I was at the river all night long, watching the boats come in one after "
                "another, and counting the lanterns of the fishermen as they passed.")
    report = render_voice_track(cues=cue_list(tuple(lines)), language="en",
                                original_audio=original_audio, mode="voice-over",
                                cache_dir=tmp_path / "c", out_path=tmp_path / "en.wav")
    (flagged,) = report.flagged
    assert flagged.index == 2 and report.counts.flagged == 1
    assert flagged.overrun_ms > 500
    assert "too long to dub — shorten the translation" in flagged.message
    # Never truncated: the fitted speech lasts the spoken length divided by 1.25.
    assert flagged.voice_end_ms - flagged.voice_start_ms == pytest.approx(
        flagged.speech_ms / 1.25, abs=40)
    flags, frame_ms = voiced_frames(report.voice_stem)
    tail = flags[(flagged.voice_end_ms - 300) // frame_ms: flagged.voice_end_ms // frame_ms]
    assert tail.any()  # still speaking long after the cue's own end
    assert flagged.voice_end_ms > flagged.cue_end_ms + 1000


@pytest.mark.parametrize(("language", "engine"), [
    ("ru", "festival"), ("en", "piper"), ("kk", "espeak-ng"), ("hi", "espeak-ng"),
    ("zh-Hans", "espeak-ng")])
def test_five_languages_render_a_normalized_voice_track(
        tmp_path: Path, original_audio: Path, language: str, engine: str) -> None:
    report = render(tmp_path, original_audio, language)
    assert report.loudness.within_target()
    assert report.provenance[0].engine == engine
    assert report.counts.flagged == 0
    flags, _ = voiced_frames(report.voice_stem)
    assert flags.mean() > 0.3  # the stem really speaks


def test_tajik_is_refused_as_subtitles_only_naming_the_fix(
        tmp_path: Path, original_audio: Path) -> None:
    with pytest.raises(EngineUnavailable, match="subtitles only") as caught:
        render_voice_track(cues=cue_list(("Салом", "Ман дар дарё будам.", "Моҳигирон омаданд.",
                                          "Пагоҳ меравем.")), language="tg",
                           original_audio=original_audio, mode="voice-over",
                           cache_dir=tmp_path / "c", out_path=tmp_path / "tg.wav")
    assert "no Tajik voice is installed" in caught.value.hint
    assert "DASTAN_MODELS_DIR/voices/" in caught.value.hint
    assert not (tmp_path / "tg.wav").exists()


def test_listening_copy_of_one_mix_is_written_with_stat_and_spectrogram(
        ru_report: DubReport) -> None:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    stat = subprocess.run(["sox", str(ru_report.out_path), "-n", "stat"], capture_output=True,
                          text=True, check=True).stderr
    (OUTPUT_DIR / "ru-voice-over.stat.txt").write_text(stat, encoding="utf-8")
    png = OUTPUT_DIR / "ru-voice-over.spectrogram.png"
    subprocess.run(["sox", str(ru_report.out_path), "-n", "remix", "1", "spectrogram", "-x",
                    "1200", "-y", "400", "-t", "ru voice-over (festival) over ducked original",
                    "-o", str(png)], check=True)
    subprocess.run(["cp", str(ru_report.out_path), str(OUTPUT_DIR / "ru-voice-over.wav")],
                   check=True)
    assert "RMS     amplitude" in stat and png.stat().st_size > 10_000


def test_a_last_cue_running_past_the_end_of_the_film_is_flagged_and_not_cut(
        tmp_path: Path, original_audio: Path) -> None:
    cue = VoiceCue(index=1, start_ms=12000, end_ms=13500, speaker="A",
                   text="And so the boats went out again, one after another, into the dark.")
    report = render_voice_track(cues=[cue], language="kk", original_audio=original_audio,
                                mode="voice-over", cache_dir=tmp_path / "c",
                                out_path=tmp_path / "kk.wav")
    (flagged,) = report.flagged
    assert flagged.voice_end_ms > 14000  # the original lasts 14 s
    assert probe_duration_ms(report.out_path) == pytest.approx(flagged.voice_end_ms, abs=50)
    assert report.duration_ms == flagged.voice_end_ms

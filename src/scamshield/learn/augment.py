"""Training calls in the forms real transcripts take: what a speech recogniser makes of a call.

The training calls are tidy, punctuated dialogues with speaker labels. Real calls reach the engine
through a recogniser: lower case, no punctuation, no or wrong speaker labels, "um"s, turns split and run
together, recordings that start and end mid-call, and the very names that matter mis-heard ("h m r c",
"any desk", "mack a fee"). Each training call gets ``COPIES`` such forms, each a different mix, chosen
by a random generator seeded with the call's id, so a training run is repeatable.
"""

from __future__ import annotations

import random
import re
import zlib

from ..models import Message, Turn

COPIES = 3
FILLERS = ("um", "uh", "er", "erm", "like", "you know", "yeah", "okay", "so", "right")
# Names and words a recogniser is known to mangle on phone audio, and what it writes instead.
MISHEARD: dict[str, tuple[str, ...]] = {
    "hmrc": ("h m r c", "hmrs", "age m r c", "hm rc"),
    "itunes": ("i tunes", "eye tunes"),
    "anydesk": ("any desk", "annie desk", "any disk"),
    "teamviewer": ("team viewer", "teem viewer"),
    "ultraviewer": ("ultra viewer",),
    "mcafee": ("mack a fee", "mcafee", "mac fee"),
    "norton": ("norton", "naughton"),
    "paypal": ("pay pal", "pay pell"),
    "windows defender": ("windows the fender", "windows defend her"),
    "geek squad": ("geek squat", "geek squad"),
    "voucher": ("voucher", "vouch her"),
    "vouchers": ("vouchers", "vouch us"),
    "google play": ("google play", "google plate"),
    "gift card": ("gift card", "gif card"),
    "gift cards": ("gift cards", "gift guards"),
    "bitcoin": ("bit coin", "bitcoin"),
    "barclays": ("barclay's", "barkleys"),
    "santander": ("santa ander", "santander"),
    "evri": ("every", "evry"),
    "dvla": ("d v l a", "dee vee la"),
    "nhs": ("n h s", "and h s"),
}
_MISHEARD_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, MISHEARD), key=len, reverse=True)) + r")\b")
_PUNCT = re.compile(r"[^\w\s'£$€%]+")


def asr_text(text: str) -> str:
    """Lower case, no punctuation: a recogniser's plain output."""
    return " ".join(_PUNCT.sub(" ", text.lower()).split())


def _mishear(text: str, rng: random.Random) -> str:
    return _MISHEARD_RE.sub(lambda m: rng.choice(MISHEARD[m.group(1)]), text)


def _fill(words: list[str], rng: random.Random, rate: float) -> list[str]:
    out: list[str] = []
    for w in words:
        if rng.random() < rate:
            out.append(rng.choice(FILLERS))
        out.append(w)
    return out


def _regroup(turns: list[tuple[str, str]], rng: random.Random) -> list[tuple[str, str]]:
    """Run some neighbouring turns together (the recogniser missed the change of voice) and split some
    long ones (it heard a pause)."""
    out: list[tuple[str, str]] = []
    for speaker, text in turns:
        if out and rng.random() < 0.2:
            out[-1] = (out[-1][0], out[-1][1] + " " + text)
            continue
        words = text.split()
        if len(words) > 16 and rng.random() < 0.3:
            cut = rng.randint(6, len(words) - 6)
            out += [(speaker, " ".join(words[:cut])), (speaker, " ".join(words[cut:]))]
        else:
            out.append((speaker, text))
    return out


def recogniser_forms(message: Message, copies: int = COPIES) -> list[Message]:
    """``copies`` recogniser-style versions of a call (none for a text message)."""
    if message.channel != "call" or not message.turns:
        return []
    rng = random.Random(zlib.crc32((message.id or " ".join(t.text for t in message.turns)[:200]).encode()))
    base = [(t.speaker, asr_text(t.text)) for t in message.turns]
    base = [(s, t) for s, t in base if t]
    if not base:
        return []
    out: list[Message] = []
    for k in range(copies):
        turns = [(s, _mishear(t, rng)) for s, t in base]
        turns = [(s, " ".join(_fill(t.split(), rng, rate=rng.choice((0.0, 0.03, 0.08))))) for s, t in turns]
        turns = _regroup(turns, rng)
        words = " ".join(t for _, t in turns).split()
        if k % 3 != 1 and len(words) > 30:  # a recording that starts and/or ends mid-call
            start = rng.randint(0, len(words) // 6)
            end = len(words) - rng.randint(0, len(words) // 8)
            words = words[start:end]
        if k % 3 == 1:  # speaker labels kept (a stereo recording), some of them wrong
            kept = [Turn(s if rng.random() > 0.1 else ("callee" if s == "caller" else "caller"), t) for s, t in turns]
            out.append(Message(channel="call", turns=tuple(kept), direction=message.direction,
                               dialled=message.dialled, id=f"{message.id}-asr{k}"))
        else:  # one unlabelled stream of words
            out.append(Message(channel="call", turns=(Turn("unknown", " ".join(words)),),
                               direction=message.direction, dialled=message.dialled, id=f"{message.id}-asr{k}"))
    return out

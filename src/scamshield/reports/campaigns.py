"""Grouping reports into campaigns.

Two reports belong to one campaign when any of these holds:

* their wording is a near-duplicate (MinHash estimate of word-3-gram Jaccard >= ``THRESHOLD``,
  found through LSH) and the engine gave them the same scam type (or no type for one of them);
* they share a phone number - as caller ID or written in the text as a call-back number, which is
  how a scam text gets linked to later calls from the number it gave;
* they share a link domain that is not a shortener or a well-known genuine site.

Campaigns are the connected components of that graph (union-find), so the result does not depend
on the order reports arrive in: ingesting one at a time and merging as evidence arrives gives the
same grouping as clustering everything at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash, MinHashLSH

from .extract import PROTECTED_NUMBERS, SHARED_DOMAINS, shingles

NUM_PERM = 64
THRESHOLD = 0.5
DUPLICATE = 0.8  # wording this close to an indexed report adds nothing to the index
_SEED = 1
_SCHEME = "affine32"
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)  # the permutations all signatures share
_EMPTY = _TEMPLATE.hashvalues.copy()  # the signature of a text with no words


def signature(text: str) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` uint64 values) of a message's wording."""
    mh = MinHash(num_perm=NUM_PERM, seed=_SEED, permutations=_TEMPLATE.permutations, scheme=_SCHEME)
    words = shingles(text)
    if words:
        mh.update_batch(list(words))
    return mh.hashvalues


def to_bytes(sig: np.ndarray) -> bytes:
    return np.asarray(sig, dtype=np.uint32).tobytes()


def from_bytes(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype=np.uint32)


def types_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def linkable_numbers(numbers: Iterable[str]) -> set[str]:
    return {n for n in numbers if n not in PROTECTED_NUMBERS}


def linkable_domains(domains: Iterable[str]) -> set[str]:
    return {d for d in domains if d not in SHARED_DOMAINS}


class WordingIndex:
    """LSH over report signatures: which earlier reports read like this one.

    A report whose wording is a near-copy (``DUPLICATE``) of one already indexed is not indexed
    itself: its twin stands for it. Big campaigns are thousands of near-copies, and indexing them all
    would make every lookup return (and verify) the whole campaign.
    """

    def __init__(self) -> None:
        self.lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        self.sigs: dict[int, np.ndarray] = {}
        self.types: dict[int, str | None] = {}
        self.last_id = 0

    def __len__(self) -> int:
        return len(self.sigs)

    def add(self, report_id: int, sig: np.ndarray, scam_type: str | None) -> None:
        self.last_id = max(self.last_id, report_id)
        if report_id in self.sigs or is_empty(sig):
            return  # already there, or an empty text (nothing to compare)
        self.lsh.insert(report_id, _lean(sig), check_duplication=False)
        self.sigs[report_id] = sig
        self.types[report_id] = scam_type

    def remove(self, report_id: int) -> None:
        if report_id in self.sigs:
            self.lsh.remove(report_id)
            del self.sigs[report_id]
            del self.types[report_id]

    def match(self, sig: np.ndarray, scam_type: str | None) -> tuple[list[int], bool]:
        """(indexed reports that read like this one, whether one of them is a near-copy of it)."""
        if is_empty(sig):
            return [], True
        cands = [rid for rid in self.lsh.query(_lean(sig)) if types_agree(self.types[rid], scam_type)]
        if not cands:
            return [], False
        sims = (np.stack([self.sigs[r] for r in cands]) == sig).mean(axis=1)
        return [r for r, x in zip(cands, sims, strict=True) if x >= THRESHOLD], bool(sims.max() >= DUPLICATE)

    def similar(self, sig: np.ndarray, scam_type: str | None) -> list[int]:
        return self.match(sig, scam_type)[0]

    def offer(self, report_id: int, sig: np.ndarray, scam_type: str | None) -> list[int]:
        """Look a report up, then index it unless a near-copy already stands for it."""
        hits, duplicate = self.match(sig, scam_type)
        if duplicate:
            self.last_id = max(self.last_id, report_id)
        else:
            self.add(report_id, sig, scam_type)
        return hits


class _Lean:
    """All MinHashLSH reads of a MinHash: its length and hash values (building a full MinHash per
    lookup costs more than the lookup)."""

    __slots__ = ("hashvalues",)

    def __init__(self, sig: np.ndarray) -> None:
        self.hashvalues = sig

    def __len__(self) -> int:
        return len(self.hashvalues)


def _lean(sig: np.ndarray) -> _Lean:
    return _Lean(sig)


def is_empty(sig: np.ndarray) -> bool:
    return bool(np.array_equal(sig, _EMPTY))


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the older report stays the root, so a campaign keeps the id of its first report
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


@dataclass(slots=True)
class Item:
    """What clustering needs to know about one report."""

    id: int
    sig: np.ndarray
    scam_type: str | None
    numbers: set[str] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)


def cluster(items: Iterable[Item], index: WordingIndex | None = None) -> dict[int, int]:
    """Map each report id to the smallest report id of its campaign (``index`` is filled as it goes)."""
    uf = UnionFind()
    index = WordingIndex() if index is None else index
    by_number: dict[str, int] = {}
    by_domain: dict[str, int] = {}
    for item in sorted(items, key=lambda it: it.id):
        uf.find(item.id)
        for other in index.offer(item.id, item.sig, item.scam_type):
            uf.union(item.id, other)
        for key, table in _keys(item, by_number, by_domain):
            first = table.setdefault(key, item.id)
            if first != item.id:
                uf.union(item.id, first)
    return {rid: uf.find(rid) for rid in uf.parent}


def _keys(item: Item, by_number: dict, by_domain: dict) -> Iterator[tuple[str, dict]]:
    for n in linkable_numbers(item.numbers):
        yield n, by_number
    for d in linkable_domains(item.domains):
        yield d, by_domain


def typical_index(sigs: list[np.ndarray]) -> int:
    """Index of the medoid: the member whose wording is closest, on average, to all the others."""
    if len(sigs) <= 2:
        return 0
    mat = np.stack(sigs)
    sim = (mat[:, None, :] == mat[None, :, :]).mean(axis=2)
    return int(np.argmax(sim.sum(axis=1)))

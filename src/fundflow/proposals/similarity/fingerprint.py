"""A proposal's text reduced to a MinHash signature and its LSH band keys.

The words compared are the distinctive ones of the title, summary and logframe: accents
folded, lower case, French/English/Spanish function words and numbers dropped, a final
plural ``s``/``x`` cut so that "puits" and "femmes" match their singular. A MinHash
signature (datasketch) estimates the Jaccard similarity of two such word sets; cutting it
into bands of a few values gives keys under which near-duplicates collide, so candidates
come from an index lookup instead of a scan of every proposal.
"""

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

# datasketch is imported when a text is fingerprinted (a proposal written): its package
# loads scipy.integrate, about 50 MB a process that a reading worker never needs.

NUM_PERM = 128
# 42 bands of 3 values: a pair of texts sharing 30 % of their words becomes a candidate
# with probability 0.68, at 50 % with 0.996 (1 - (1 - j**3) ** 42).
BAND_ROWS = 3
BANDS = NUM_PERM // BAND_ROWS
# Below this many distinctive words a text says too little to be compared.
MIN_WORDS = 8
# Stored signatures are only comparable with ones made the same way: after changing the
# seed, the scheme or the word rules, bump METHOD and run `fundflow db reindex`.
SEED = 20_26
SCHEME = "affine32"
# Part of every digest, so that `fundflow db reindex` finds what another method made.
METHOD = f"minhash:{SCHEME}:{NUM_PERM}:{SEED}:{BAND_ROWS}:words-v1"

STOPWORDS = frozenset(
    """
    les des une aux par pour dans sur avec sans sous entre vers chez leur leurs nos notre
    vos votre ses son sont est etre ont avoir fait faire plus moins tres tout tous toute
    toutes cette ces cet qui que quoi dont ainsi afin comme mais donc car depuis lors
    pendant apres avant aussi deja encore elle elles ils nous vous lui eux meme autre
    autres chaque projet projets
    the and for with without from into onto over under their our your its are was were
    been being has have had this that these those which who whom what when where while
    also than then there here such each other more most very all any some project projects
    los las del por para con sin sobre entre sus nuestro nuestra como pero tambien
    """.split()
)
_WORD = re.compile(r"[a-z]{3,}")


@dataclass(frozen=True)
class Fingerprint:
    digest: str
    words: int
    signature: np.ndarray | None

    def band_keys(self) -> list[tuple[int, int]]:
        return band_keys(self.signature) if self.signature is not None else []

    def signature_bytes(self) -> bytes | None:
        """The signature as stored: NUM_PERM little-endian uint32 values."""
        return self.signature.astype("<u4").tobytes() if self.signature is not None else None


def fold(text: str) -> str:
    """Lower case without accents: "Été à Kédougou" -> "ete a kedougou"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def distinctive_words(text: str) -> set[str]:
    words = set()
    for word in _WORD.findall(fold(text)):
        if len(word) > 4 and word[-1] in "sx":
            word = word[:-1]
        if word not in STOPWORDS:
            words.add(word)
    return words


def fingerprint(parts: Iterable[str | None]) -> Fingerprint:
    text = "\n".join(part for part in parts if part)
    words = distinctive_words(text)
    digest = hashlib.sha256("\n".join([METHOD, *sorted(words)]).encode()).hexdigest()
    if len(words) < MIN_WORDS:
        return Fingerprint(digest, len(words), None)
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch([w.encode() for w in sorted(words)])
    return Fingerprint(digest, len(words), minhash.hashvalues.astype(np.uint32))


def band_keys(signature: np.ndarray) -> list[tuple[int, int]]:
    """(band, bucket) pairs: the bucket is a signed 64-bit hash of the band's values."""
    keys = []
    for band in range(BANDS):
        chunk = signature[band * BAND_ROWS : (band + 1) * BAND_ROWS].tobytes()
        bucket = int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "big", signed=True)
        keys.append((band, bucket))
    return keys


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4")


def jaccard(signature: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of one signature with each row of ``others``."""
    return np.asarray((others == signature).mean(axis=1), dtype=float)

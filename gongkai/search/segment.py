"""jieba word segmentation, loaded lazily once per process.

Loading the dictionary takes about a second the first time and half a second from jieba's cache
afterwards, so it happens on the first call, not at import, behind a lock (a threaded server may
search from several threads at once). The cache file goes to ``<data folder>/cache``, or to the
system temporary folder when the data folder is not writable (a read-only install).

Documents and queries are segmented with the same tokenizer, the same normalisation (NFKC:
full-width digits and letters become ASCII; Latin lower-cased) and the same notion of a word
(letters and digits only), so that a query word and a document word compare as equal strings.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_lock = threading.Lock()
_tokenizer = None

# A token is a run of letters and digits: punctuation and spaces are dropped, and what jieba keeps
# together but FTS5 and PostgreSQL would split ("3.5", "e-mail", "a_b") is split here already.
_WORD = re.compile(r"[^\W_]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Longer "words" are identifiers or garbage (PostgreSQL also ignores lexemes over 2 KiB).
MAX_TOKEN_LENGTH = 64
# Function words dropped from a query that has other words (kept in the index, which stays a
# faithful segmentation of the text).
QUERY_STOP_WORDS = frozenset(
    "的 了 和 与 及 或 在 是 对 于 等 之 把 被 并 将 其 为 也 就 都 而".split()
)


def _cache_dir() -> str | None:
    candidates = []
    try:
        from django.conf import settings

        data = getattr(settings, "DATA_DIR", None)
        if data:
            candidates.append(Path(data) / "cache")
    except Exception:  # noqa: S110 - no Django settings (plain script): temp folder only
        pass
    candidates.append(Path(tempfile.gettempdir()))
    for folder in candidates:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK | os.X_OK):
            return str(folder)
    return None


def tokenizer():
    """The process's jieba tokenizer, its dictionary loaded."""
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            folder = _cache_dir()
            # jieba logs its progress at DEBUG on stderr; a failed cache write would be an ERROR
            # with a traceback, which without a writable folder is expected: say nothing.
            jieba.setLogLevel(logging.WARNING if folder else logging.CRITICAL)
            instance = jieba.Tokenizer()
            instance.tmp_dir = folder
            instance.cache_file = "jieba.cache"
            instance.initialize()
            _tokenizer = instance
    return _tokenizer


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _words(pieces) -> list[str]:
    out = []
    for piece in pieces:
        for word in _WORD.findall(piece):
            if len(word) <= MAX_TOKEN_LENGTH:
                out.append(word.lower())
    return out


def tokenize(text: str) -> list[str]:
    """The index tokens of ``text``: jieba ``cut_for_search``, so that a long word is indexed
    together with the dictionary words inside it (中华人民共和国 → 中华, 人民, 共和国, …)."""
    if not text:
        return []
    return _words(tokenizer().cut_for_search(_normalise(text)))


@dataclass(frozen=True)
class QueryWord:
    """One word of a query and the ways a document may contain it.

    ``alternatives`` is a tuple of token tuples: the document matches the word if it has every
    token of at least one alternative. The first alternative is the word itself.
    """

    word: str
    alternatives: tuple[tuple[str, ...], ...]

    @property
    def highlight(self) -> tuple[str, ...]:
        seen = dict.fromkeys(token for alternative in self.alternatives for token in alternative)
        return tuple(seen)


def _dictionary_pieces(word: str, freq) -> tuple[str, ...] | None:
    """``word`` cut into as few dictionary words of two or three characters as possible, or
    None. These are what ``cut_for_search`` indexes of a longer word containing ``word``
    (中华人民共和国 inside 中华人民共和国政府 → 中华 人民 共和国), and what a document that cut
    ``word`` into parts has as words."""
    n = len(word)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for i in range(n):
        if best[i] is None:
            continue
        for size in (2, 3):
            j = i + size
            if j <= n and size < n and freq.get(word[i:j]):
                candidate = (*best[i], word[i:j])
                if best[j] is None or len(candidate) < len(best[j]):
                    best[j] = candidate
    return best[n]


def query_words(query: str) -> list[QueryWord]:
    """The words of a search query, each with the token sets that count as containing it.

    The query is cut with jieba ``cut`` (the coarse segmentation). A word that a document's
    segmentation may have cut differently gets alternatives: for a word of four or more Chinese
    characters, its cut into two- and three-character dictionary words (中华人民共和国 is then
    found in 中华人民共和国政府, indexed as 中华 华人 人民 共和 共和国 …); for a word jieba
    guessed (not in its dictionary), its dictionary-only segmentation.
    """
    if not query:
        return []
    instance = tokenizer()
    words = list(dict.fromkeys(_words(instance.cut(_normalise(query)))))
    content = [word for word in words if word not in QUERY_STOP_WORDS]
    if content:
        words = content
    result = []
    for word in words:
        alternatives: list[tuple[str, ...]] = [(word,)]
        if _HAN.search(word) and len(word) >= 2:
            if len(word) >= 4:
                pieces = _dictionary_pieces(word, instance.FREQ)
                if pieces:
                    alternatives.append(pieces)
            if not instance.FREQ.get(word):
                pieces = tuple(dict.fromkeys(_words(instance.cut(word, HMM=False))))
                if pieces:
                    alternatives.append(pieces)
        unique = tuple(dict.fromkeys(a for a in alternatives if a))
        result.append(QueryWord(word, unique))
    return result

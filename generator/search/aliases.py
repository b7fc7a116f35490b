"""The plain phrases a lexicon pattern stands for: ``'x-?rays?'`` -> x-ray, xray, x-rays, xrays.

The treatment lexicon and the body parts are regular expressions (``data/treatments.yaml``). Search
needs the words a reader types for each entry, so the simple patterns are spelled out: literal
text, optional characters and groups (``?``), alternatives (``(?:a|b)``), small character classes
(``[BRL]``), ``\\s``, ``\\s*``, ``\\s+`` (a space), escapes of punctuation, and a word's open ending
(``\\w*``, dropped: ``'chiro\\w*'`` -> chiro). Lookarounds are left out. A pattern with anything else
(``.``, ``\\d``, counted repeats) or with more than MAX_ALIASES spellings gives none: the entry is
still found through its name and its other patterns.
"""

from __future__ import annotations

import functools
import itertools

MAX_ALIASES = 32
_CLASS_LIMIT = 6
_SPACE = " "
_SEPARATORS = frozenset(" -/.")


class _UnsupportedError(Exception):
    """The pattern uses something ``aliases`` does not spell out."""


@functools.cache
def aliases(pattern: str) -> tuple[str, ...]:
    """Every spelling of ``pattern``, or () when it is not a simple pattern."""
    try:
        found, at = _alternatives(pattern, 0)
    except _UnsupportedError:
        return ()
    if at != len(pattern):
        return ()
    return tuple(dict.fromkeys(" ".join(text.split()) for text in found if text.strip()))


def _alternatives(pattern: str, at: int) -> tuple[list[str], int]:
    """Alternatives separated by ``|`` until a ``)`` or the end."""
    options: list[str] = []
    while True:
        sequence, at = _sequence(pattern, at)
        options += sequence
        if at < len(pattern) and pattern[at] == "|":
            at += 1
            continue
        return options, at


def _sequence(pattern: str, at: int) -> tuple[list[str], int]:
    result = [""]
    while at < len(pattern) and pattern[at] not in "|)":
        atom, at = _atom(pattern, at)
        if at < len(pattern) and pattern[at] in "?*+{":
            if pattern[at] != "?":
                if atom == ["\\w"]:
                    atom = [""]
                elif all(option in _SEPARATORS for option in atom):
                    atom = [_SPACE]
                else:
                    raise _UnsupportedError
            else:
                atom = ["", *atom]
            at += 1
            if at < len(pattern) and pattern[at] == "?":  # lazy
                at += 1
        if atom == ["\\w"]:
            raise _UnsupportedError
        result = [a + b for a, b in itertools.product(result, atom)]
        if len(result) > MAX_ALIASES:
            raise _UnsupportedError
    return result, at


def _atom(pattern: str, at: int) -> tuple[list[str], int]:
    char = pattern[at]
    if char == "(":
        return _group(pattern, at)
    if char == "[":
        return _character_class(pattern, at)
    if char == "\\":
        escaped = pattern[at + 1 : at + 2]
        if escaped == "s":
            return [_SPACE], at + 2
        if escaped == "w":
            return ["\\w"], at + 2
        if escaped.isalnum() or not escaped:
            raise _UnsupportedError
        return [escaped], at + 2
    if char in ".^$*+?{}":
        raise _UnsupportedError
    return [char], at + 1


def _group(pattern: str, at: int) -> tuple[list[str], int]:
    if pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), at):
        depth, at = 1, at + 1
        while depth and at < len(pattern):  # skip the lookaround whole
            depth += {"(": 1, ")": -1}.get(pattern[at], 0)
            at += 2 if pattern[at] == "\\" else 1
        return [""], at
    start = at + 3 if pattern.startswith("(?:", at) else at + 1
    if pattern.startswith("(?", at) and start == at + 1:
        raise _UnsupportedError
    options, at = _alternatives(pattern, start)
    if at >= len(pattern) or pattern[at] != ")":
        raise _UnsupportedError
    return options, at + 1


def _character_class(pattern: str, at: int) -> tuple[list[str], int]:
    end = pattern.find("]", at + 1)
    if end < 0:
        raise _UnsupportedError
    body = pattern[at + 1 : end].replace("\\s", _SPACE).replace("\\-", "-")
    if (
        body.startswith("^")
        or "\\" in body
        or any(body[i] == "-" and 0 < i < len(body) - 1 for i in range(len(body)))
    ):
        raise _UnsupportedError
    chars = list(dict.fromkeys(body))
    if len(chars) > _CLASS_LIMIT:
        raise _UnsupportedError
    return chars, end + 1

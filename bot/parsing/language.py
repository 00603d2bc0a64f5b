"""Which language an entry is written in when neither its feed's config nor the feed says.

The bot reads the languages config/classifier.yaml has terms for; an entry in another one is
stored, never understood, and counted as such in `aiwatch feeds`. A feed that mixes languages
(a news aggregator) names none, so its entries are identified from their text by py3langid
(a well-kept fork of langid.py: 97 languages, no network). The model takes about a second to
load, once per process and only when such an entry comes, off the event loop with the parse.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# Below these an identification is a guess: "Meta ends EU pause" reads as Occitan.
MIN_LETTERS = 20
MIN_CONFIDENCE = 0.8
# langid's codes where ISO 639-1 as the config uses it differs: Norwegian is Bokmål here.
_CODES = {"no": "nb"}
# ISO 639-2's "no linguistic content", langid's answer for base64 and other non-text: no
# language, not one more the classifier does not read.
_NO_LANGUAGE = "zxx"


def detect(text: str) -> str | None:
    """The language of `text` as an ISO 639-1 code (639-3 for the few langid knows only
    so: yue), or None when too short, unsure or no language."""
    if sum(c.isalpha() for c in text) < MIN_LETTERS:
        return None
    code, confidence = _identifier().classify(text)
    if confidence < MIN_CONFIDENCE or code == _NO_LANGUAGE:
        return None
    return _CODES.get(str(code), str(code))


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

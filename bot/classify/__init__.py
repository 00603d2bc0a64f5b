"""Classification: config terms -> relevance, platforms, regions, event, reasons. Pure."""

from bot.classify.classifier import Classifier, ItemText

__all__ = ["Classifier", "ItemText"]

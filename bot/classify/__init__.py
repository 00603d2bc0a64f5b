"""Classification: config terms -> relevance, platforms, regions, event, reasons. Pure."""

from bot.classify.classifier import Classifier, ItemText
from bot.classify.rules import ClassifierRules, load_rules

__all__ = ["Classifier", "ClassifierRules", "ItemText", "load_rules"]

"""AI Data Watch: polls regulators' and platforms' feeds and alerts on AI use of people's data."""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/ai-data-watch/aiwatch"
USER_AGENT = f"AIDataWatch/{__version__} (+{PROJECT_URL})"

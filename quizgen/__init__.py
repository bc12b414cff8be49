"""quizgen: quizzes, answer keys, Anki decks and practice pages from curated question banks."""

__version__ = "0.1.0"

"""The desk's permissions: questions and answers, funding calls."""

from sinergia.desk.rules import calls, questions

__all__ = ["calls", "questions"]

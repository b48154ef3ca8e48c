"""The desk's pages: questions (questions.py), funding calls (calls.py)."""

"""The desk's forms: questions (questions.py), funding calls (calls.py)."""

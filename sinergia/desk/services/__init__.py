"""Writes of the desk: questions and answers (questions.py), funding calls (calls.py)."""

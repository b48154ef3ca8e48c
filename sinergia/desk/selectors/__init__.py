"""Reads of the desk: questions and the knowledge base (questions.py), funding calls (calls.py)."""

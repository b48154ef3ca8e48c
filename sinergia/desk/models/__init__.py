"""The consultancy desk: questions, answers and experts; funding calls with their deadlines."""

from sinergia.desk.models.calls import CallDocument, CallFollow, CallPublisher, CallReminder, FundingCall
from sinergia.desk.models.questions import Answer, Category, Expert, Question

__all__ = ["Answer", "CallDocument", "CallFollow", "CallPublisher", "CallReminder", "Category", "Expert", "FundingCall",
           "Question"]

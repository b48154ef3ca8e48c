"""Questions and answers of the consultancy desk, and its knowledge base."""

from ninja import Router

router = Router()

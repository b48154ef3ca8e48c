"""Funding calls, their eligibility and deadlines."""

from ninja import Router

router = Router()

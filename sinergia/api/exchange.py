"""Offers and needs of the exchange, with their matches."""

from ninja import Router

router = Router()

"""The signed-in user's notifications and notification preferences."""

from ninja import Router

router = Router()

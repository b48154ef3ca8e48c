"""The shared calendar's endpoints: events and occurrences, their writes, the clash check and the free dates."""

from ninja import Router

from sinergia.api.calendar import events, planning

router = Router()
router.add_router("", events.router)
router.add_router("", planning.router)

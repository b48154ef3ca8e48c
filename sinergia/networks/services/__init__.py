"""Writes of the networks domain: founding, charters and the membership lifecycle."""

from sinergia.networks.services.memberships import (
    membership_admit,
    membership_apply,
    membership_decline,
    membership_leave,
    membership_reinstate,
    membership_set_role,
    membership_suspend,
)
from sinergia.networks.services.networks import charter_publish, charter_sign, network_found, network_update

__all__ = [
    "charter_publish",
    "charter_sign",
    "membership_admit",
    "membership_apply",
    "membership_decline",
    "membership_leave",
    "membership_reinstate",
    "membership_set_role",
    "membership_suspend",
    "network_found",
    "network_update",
]

"""Views of the networks: thin callers of the selectors and services."""

from sinergia.networks.views.charters import charter_detail, charter_publish, charter_sign
from sinergia.networks.views.memberships import (
    application_list,
    member_manage,
    membership_admit,
    membership_apply,
    membership_decline,
    membership_leave,
    membership_reinstate,
    membership_set_role,
    membership_suspend,
)
from sinergia.networks.views.networks import (
    network_create,
    network_detail,
    network_edit,
    network_geojson,
    network_list_view,
)

__all__ = [
    "application_list",
    "charter_detail",
    "charter_publish",
    "charter_sign",
    "member_manage",
    "membership_admit",
    "membership_apply",
    "membership_decline",
    "membership_leave",
    "membership_reinstate",
    "membership_set_role",
    "membership_suspend",
    "network_create",
    "network_detail",
    "network_edit",
    "network_geojson",
    "network_list_view",
]

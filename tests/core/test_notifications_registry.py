"""The registry of kinds: labels, groups by prefix, defaults, and every kind the code sends is registered."""

import re
from pathlib import Path

from sinergia.core.models import EmailMode
from sinergia.core.notifications import REGISTRY, Group, default_mode, kind_info, kinds_by_group

SOURCE = Path(__file__).resolve().parents[2] / "sinergia"
KIND_IN_CODE = re.compile(r"""kind=["']((?:directory|networks|calendar|library|exchange|desk)\.[a-z_]+)["']""")


def test_kind_info_of_a_registered_kind_is_its_entry():
    kind = kind_info("networks.application")

    assert (kind.label, kind.group, kind.default) == (
        "An organisation applied to join your network", Group.NETWORKS, EmailMode.IMMEDIATE)


def test_kind_info_of_an_unknown_kind_falls_back_to_its_group_by_prefix():
    kind = kind_info("exchange.something_new")

    assert (str(kind.label), kind.group, kind.default) == ("Exchange", Group.EXCHANGE, EmailMode.IMMEDIATE)


def test_kind_info_of_an_unknown_prefix_is_other():
    assert kind_info("training.seat").group == Group.OTHER


def test_defaults_send_invitations_and_decisions_at_once_and_matches_in_the_digest():
    kinds = ["directory.invitation", "library.moderated", "directory.claim_approved", "exchange.match",
             "calendar.feed_failed"]

    assert [default_mode(kind) for kind in kinds] == ["immediate", "immediate", "immediate", "digest", "digest"]


def test_kinds_by_group_follow_the_groups_order_without_empty_groups():
    groups = [group for group, _kinds in kinds_by_group()]

    assert groups == [Group.DIRECTORY, Group.NETWORKS, Group.CALENDAR, Group.LIBRARY, Group.EXCHANGE, Group.DESK]


def test_every_kind_the_code_sends_is_registered():
    sent = {kind for path in SOURCE.rglob("*.py") for kind in KIND_IN_CODE.findall(path.read_text())}

    assert sorted(sent - REGISTRY.keys()) == []

"""Founding and editing networks, publishing and signing their charters."""

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from sinergia.accounts.models import User
from sinergia.core.models import Concept
from sinergia.core.services import audit_record
from sinergia.directory.models import Organisation
from sinergia.networks.models import CharterSignature, CharterVersion, Membership, Network
from sinergia.networks.rules import forget_cached_networks
from sinergia.networks.selectors import charter_signatory_users, network_current_charter
from sinergia.networks.services._common import (
    Actor,
    require_perm,
    require_status,
    save_unique,
    send,
    text_length_errors,
)

EDITABLE_FIELDS = frozenset({
    "name", "kind", "scale", "governance", "description", "objectives", "legal_notes", "management_notes",
    "language", "region", "country", "website", "email", "themes",
})
# Paths under /networks/ that a slug must not shadow.
RESERVED_SLUGS = frozenset({"new", "memberships"})
CHARTER_MAX_LENGTH = 100_000
CHANGES_MAX_LENGTH = 5000
MAX_THEMES = 20
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


@transaction.atomic
def network_found(
    *, founder: Organisation, by: Actor, name: str, kind: str, scale: str, governance: str, charter_text: str,
    objectives: str = "", description: str = "", legal_notes: str = "", management_notes: str = "",
    language: str = "", themes: Iterable[Any] = (), region: str = "", country: str = "", website: str = "",
    email: str = "",
) -> Network:
    """Found a network: the founder becomes its admitted coordinator and the charter's version 1 is published."""
    by = require_perm(by, "networks.found_network", founder)
    charter_text = _clean_charter_text(charter_text, field="charter_text")
    network = Network(
        name=(name or "").strip(), kind=kind, scale=scale, governance=governance, objectives=objectives,
        description=description, legal_notes=legal_notes, management_notes=management_notes,
        language=language or (translation.get_language() or "")[:16], region=region.strip(),
        country=country.strip().upper(), website=website, email=email, founded_by=founder, created_by=by,
    )
    network.slug = _unique_slug(network.name)
    concepts = _theme_concepts(themes)
    _validate_network(network)
    network.save()
    network.themes.set(concepts)
    _found_coordinator(network=network, founder=founder, by=by)
    _charter_create(network=network, by=by, text=charter_text, changes="")
    audit_record(actor=by, action="network.found", target=network, data={"founder": founder.pk})
    forget_cached_networks(by)
    return network


def _found_coordinator(*, network: Network, founder: Organisation, by: User) -> Membership:
    """The founder's admitted coordinator membership."""
    return Membership.objects.create(
        network=network, organisation=founder, role=Membership.Role.COORDINATOR, status=Membership.Status.ADMITTED,
        applied_by=by, decided_by=by, decided_at=timezone.now(),
    )


@transaction.atomic
def network_update(*, network: Network, by: Actor, **fields: Any) -> Network:
    """Change the network's description, governance and contacts (its slug stays, so links keep working)."""
    by = require_perm(by, "networks.change_network", network)
    unknown = sorted(set(fields) - EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(unknown)})
    concepts = _theme_concepts(fields.pop("themes")) if "themes" in fields else None
    for field, value in fields.items():
        setattr(network, field, value.strip() if isinstance(value, str) else value)
    network.country = network.country.upper()
    _validate_network(network)
    network.save()
    if concepts is not None:
        network.themes.set(concepts)
    audit_record(actor=by, action="network.update", target=network, data={"fields": sorted(fields)})
    return network


@transaction.atomic
def charter_publish(*, network: Network, by: Actor, text: str, changes: str = "") -> CharterVersion:
    """Publish a new version of the charter and ask every admitted member to sign it."""
    by = require_perm(by, "networks.publish_charter", network)
    text = _clean_charter_text(text, field="text")
    Network.objects.select_for_update().filter(pk=network.pk).first()
    current = network_current_charter(network=network)
    if current is not None and current.text.strip() == text:
        raise ValidationError({"text": _("The text is the same as the current version %(number)d.")
                               % {"number": current.number}})
    version = _charter_create(network=network, by=by, text=text, changes=changes)
    audit_record(actor=by, action="charter.publish", target=network, data={"version": version.number})
    send(charter_signatory_users(network=network), kind="networks.charter_published",
         title=_("%(network)s published version %(number)d of its charter: please sign it"),
         body=_("Your membership stays valid; the member list shows that you have not signed the new version yet."),
         params={"network": network.name, "number": version.number},
         url_name="networks:charter", url_kwargs={"slug": network.slug}, exclude=by)
    return version


@transaction.atomic
def charter_sign(*, membership: Membership, by: Actor, charter: CharterVersion | None = None) -> CharterSignature:
    """Sign the current charter version on behalf of an admitted member (who, when and which version recorded)."""
    by = require_perm(by, "networks.sign_charter", membership)
    require_status(membership, [Membership.Status.ADMITTED],
                   _("Only admitted members sign the charter; this membership is %(status)s."))
    charter = _charter_to_sign(membership, charter)
    if CharterSignature.objects.filter(membership=membership, charter=charter).exists():
        raise ValidationError(_("%(member)s has already signed version %(number)d of the charter.")
                              % {"member": membership.member, "number": charter.number})
    signature = CharterSignature(membership=membership, charter=charter, signed_by=by,
                                 signatory_name=by.display_name[:150])
    save_unique(signature, _("This version of the charter has already been signed."))
    audit_record(actor=by, action="charter.sign", target=membership,
                 data={"version": charter.number, "charter": charter.pk})
    return signature


def _charter_to_sign(membership: Membership, charter: CharterVersion | None) -> CharterVersion:
    """The version to sign: it must be the network's latest one."""
    latest = network_current_charter(network=membership.network)
    if latest is None:
        raise ValidationError(_("%(network)s has no charter to sign yet.") % {"network": membership.network})
    if charter is None:
        return latest
    if charter.network_id != membership.network_id:
        raise ValidationError(_("This charter belongs to another network."))
    if charter.pk != latest.pk:
        raise ValidationError(_("Version %(old)d of the charter has been replaced: please read and sign version "
                                "%(current)d.") % {"old": charter.number, "current": latest.number})
    return charter


def _charter_create(*, network: Network, by: User, text: str, changes: str) -> CharterVersion:
    """Store the next version of the network's charter."""
    changes = (changes or "").strip()
    if len(changes) > CHANGES_MAX_LENGTH:
        raise ValidationError({"changes": _("The summary of changes is too long (at most %(limit)d characters).")
                               % {"limit": CHANGES_MAX_LENGTH}})
    current = network.charter_versions.order_by("-number").values_list("number", flat=True).first() or 0
    return CharterVersion.objects.create(network=network, number=current + 1, text=text, changes=changes,
                                         language=network.language, published_by=by)


def _clean_charter_text(text: str, *, field: str) -> str:
    """The charter's Markdown: required and bounded."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: _("The charter cannot be empty.")})
    if len(text) > CHARTER_MAX_LENGTH:
        raise ValidationError({field: _("The charter is too long (at most %(limit)d characters, it has %(count)d).")
                               % {"limit": CHARTER_MAX_LENGTH, "count": len(text)}})
    return text


def _validate_network(network: Network) -> None:
    """Field rules, a case-insensitively unique name and an ISO country code."""
    errors = text_length_errors(network)
    if Network.objects.filter(name__iexact=network.name).exclude(pk=network.pk).exists():
        errors["name"] = [_("A network named “%(name)s” already exists.") % {"name": network.name}]
    if network.country and not COUNTRY_CODE.match(network.country):
        errors["country"] = [_("Use the two-letter ISO 3166 code of the country, for example IT.")]
    try:
        network.full_clean(exclude=["themes", *errors])
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


def _unique_slug(name: str) -> str:
    """A slug from the name that no other network and no page of the site uses."""
    base = slugify(name)[:100].strip("-") or "network"
    taken = set(Network.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _theme_concepts(themes: Iterable[Any]) -> list[Concept]:
    """Theme concepts from instances or notations; anything else is an error."""
    items = list(themes or ())
    if len(items) > MAX_THEMES:
        raise ValidationError({"themes": _("Choose at most %(limit)d themes.") % {"limit": MAX_THEMES}})
    notations = {item.notation if isinstance(item, Concept) else str(item) for item in items}
    concepts = list(Concept.objects.filter(scheme=Concept.Scheme.THEME, notation__in=notations))
    missing = notations - {concept.notation for concept in concepts}
    if missing:
        raise ValidationError({"themes": _("Unknown themes: %(themes)s.") % {"themes": ", ".join(sorted(missing))}})
    return concepts

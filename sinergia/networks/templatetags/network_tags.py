"""Template helpers of the networks' pages, fast enough for long member lists."""

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from sinergia.networks.models import Membership

register = template.Library()

_SLUG_MARKER = "member-slug-marker"
_url_patterns: dict[tuple[str, str, str], str] = {}


def _url_for(name: str, slug: str) -> str:
    """reverse(name, slug) through a per-language pattern, so a list of members costs one reverse per kind."""
    key = (name, translation.get_language() or "", get_script_prefix())
    if key not in _url_patterns:
        _url_patterns[key] = reverse(name, kwargs={"slug": _SLUG_MARKER})
    return _url_patterns[key].replace(_SLUG_MARKER, slug)


@register.filter
def member_url(membership: Membership) -> str:
    """The page of the member: its organisation in the directory, or its network."""
    if membership.organisation is not None:
        return _url_for("directory:detail", membership.organisation.slug)
    if membership.member_network is not None:
        return _url_for("networks:detail", membership.member_network.slug)
    return ""


@register.simple_tag
def signature_badge(signed: int | None, current: int | None) -> SafeString:
    """A badge saying which charter version the member signed, and whether it must sign the current one."""
    if not current:
        return SafeString("")
    if signed == current:
        return format_html('<span class="badge bg-success">{}</span>', _("Signed v%(number)s") % {"number": signed})
    if signed:
        text = _("Signed v%(number)s · must sign v%(new)s") % {"number": signed, "new": current}
        return format_html('<span class="badge bg-warning text-dark">{}</span>', text)
    return format_html('<span class="badge bg-secondary">{}</span>', _("Charter not signed"))

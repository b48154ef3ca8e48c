"""Small geographic helpers shared by the domains."""

import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EARTH_RADIUS_KM = 6371.0088


def validate_latitude(value: float | None) -> None:
    """Reject latitudes outside [-90, 90]."""
    if value is not None and not -90 <= value <= 90:
        raise ValidationError(_("Latitude must be between -90 and 90 (got %(value)s).") % {"value": value})


def validate_longitude(value: float | None) -> None:
    """Reject longitudes outside [-180, 180]."""
    if value is not None and not -180 <= value <= 180:
        raise ValidationError(_("Longitude must be between -180 and 180 (got %(value)s).") % {"value": value})


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in kilometres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a square around a point, for an index pre-filter."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    dlon = math.degrees(radius_km / (EARTH_RADIUS_KM * max(math.cos(math.radians(lat)), 1e-6)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon

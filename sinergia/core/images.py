"""Uploaded pictures (logos, event images): checked to be real images of a usable format within a size limit."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}


def validate_image(upload: UploadedFile, *, field: str, max_bytes: int, too_large: str) -> str:
    """Check that the upload is a PNG, JPEG, GIF or WebP image of at most `max_bytes`; return its extension.

    `too_large` is the (translated) message for an oversize file, with `%(size)s` and `%(limit)s`; errors are
    keyed by `field`.
    """
    if upload.size is None or upload.size > max_bytes:
        raise ValidationError({field: too_large % {"size": filesizeformat(upload.size or 0),
                                                   "limit": filesizeformat(max_bytes)}})
    not_an_image = ValidationError({field: _("This file is not an image we can use: upload a PNG, JPEG, GIF or "
                                             "WebP picture.")})
    try:
        upload.seek(0)
        with Image.open(upload) as picture:
            image_format = picture.format
            picture.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise not_an_image from error
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise not_an_image
    return IMAGE_FORMATS[image_format]

"""What an upload really is, read from its content, never from its name or the browser's word.

- A scan (合同扫描件) is a PDF, JPEG or PNG by its first bytes (magic numbers): an HTML page named
  `.pdf` is refused, so nothing the app serves can run as a page.
- A photo is decoded by Pillow and written again: at most PHOTO_MAX_PIXELS before decoding (a
  12 000 × 12 000 PNG is a decompression bomb, refused from its header), downscaled to
  PHOTO_MAX_SIDE on its long side, turned upright, and saved without its EXIF (GPS position, camera,
  time) or any other metadata.
"""

from __future__ import annotations

import io
import warnings
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

PDF, JPEG, PNG = "pdf", "jpeg", "png"
MAGIC = ((b"%PDF", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG", PNG))
CONTENT_TYPES = {PDF: "application/pdf", JPEG: "image/jpeg", PNG: "image/png"}
SUFFIXES = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}

PHOTO_MAX_PIXELS = 40_000_000
PHOTO_MAX_SIDE = 2560
JPEG_QUALITY = 85


def kind_of(handle) -> str | None:
    """PDF, JPEG or PNG by the file's first bytes (None for anything else); the position is kept."""
    position = handle.tell()
    handle.seek(0)
    head = handle.read(8)
    handle.seek(position)
    return next((kind for magic, kind in MAGIC if head.startswith(magic)), None)


def _size_limit() -> int:
    return settings.UPLOAD_MAX_MB * 1024 * 1024


# Read when the form is shown, so that it follows settings.UPLOAD_MAX_MB and the active language.
def _scan_help() -> str:
    return gettext("PDF、JPG或PNG，不超过%(mb)sMB。") % {"mb": settings.UPLOAD_MAX_MB}


_scan_help_text = lazy(_scan_help, str)


class ScanFormField(forms.FileField):
    """A contract scan: PDF, JPEG or PNG by content, no larger than settings.UPLOAD_MAX_MB."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.help_text = _scan_help_text()

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        if upload.size > _size_limit():
            raise forms.ValidationError(
                _("文件太大：扫描件不能超过%(mb)sMB，请压缩后再上传。") % {"mb": settings.UPLOAD_MAX_MB},
                code="scan_size",
            )
        if kind_of(upload) is None:
            raise forms.ValidationError(
                _("只能上传PDF、JPG或PNG文件（按文件内容判断，不看扩展名）。"), code="scan_type"
            )
        return upload


def photo_reencoded(upload) -> SimpleUploadedFile:
    """The photo decoded and written again (see the module's docstring); ValidationError in Chinese
    for anything that is not a JPEG or PNG photo within the caps."""
    if upload.size > _size_limit():
        raise forms.ValidationError(
            _("照片不能超过%(mb)d MB，请压缩后再上传。") % {"mb": settings.UPLOAD_MAX_MB}, code="photo_size"
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in ("JPEG", "PNG"):
                raise forms.ValidationError(_("只能上传 JPG 或 PNG 格式的照片。"), code="photo_type")
            width, height = image.size
            if width * height > PHOTO_MAX_PIXELS:
                raise Image.DecompressionBombError
            fmt = image.format
            image.draft("RGB", (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))  # JPEG: decode at a reduced scale
            image = ImageOps.exif_transpose(image)
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise forms.ValidationError(
            _("照片像素太多（不能超过%(mp)d百万像素），请缩小后再上传。")
            % {"mp": PHOTO_MAX_PIXELS // 1_000_000},
            code="photo_pixels",
        ) from exc
    except forms.ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise forms.ValidationError(_("照片文件已损坏或不是图片，请重新选择。"), code="photo_broken") from exc

    out = io.BytesIO()
    if fmt == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        image.save(out, "PNG", optimize=True)
        kind = PNG
    else:
        if image.mode != "RGB":
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        kind = JPEG
    name = PurePath(upload.name or "photo").stem[:200] + SUFFIXES[kind]
    return SimpleUploadedFile(name, out.getvalue(), content_type=CONTENT_TYPES[kind])


class PhotoFormField(forms.ImageField):
    """An activity photo, re-encoded by photo_reencoded()."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        return photo_reencoded(upload)


# More photos than this in one upload is a mistake (a whole folder chosen), and too long a request.
PHOTOS_AT_ONCE = 30


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosFormField(forms.FileField):
    """Several activity photos chosen at once, each re-encoded by photo_reencoded(): a list of them,
    or — when one is not a photo — every refusal, each naming its file."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if not uploads:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > PHOTOS_AT_ONCE:
            raise forms.ValidationError(
                _("一次最多上传%(n)d张照片，请分批上传。") % {"n": PHOTOS_AT_ONCE}, code="photo_count"
            )
        photos, refused = [], []
        for upload in uploads:
            try:
                photos.append(photo_reencoded(super().clean(upload, initial)))
            except forms.ValidationError as exc:
                name = PurePath(getattr(upload, "name", "") or "").name
                refused += [f"{name}：{message}" if name else message for message in exc.messages]
        if refused:
            raise forms.ValidationError(refused)
        return photos

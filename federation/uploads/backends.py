"""Which storage keeps the uploaded and generated files: the STORAGES["default"] entry, from settings.

The local file system (MEDIA_ROOT) unless a bucket is named; then S3-compatible object storage through
django-storages (AWS S3, MinIO, Ceph, a cloud's OSS with an S3 endpoint), so that every app server and
worker sees the same files. Nothing here imports Django: federation/settings.py calls it, and so does the
tests' local S3 server (tests/support/s3.py), so both configure the backend the same way.
"""

from __future__ import annotations

FILE_SYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"
# botocore's: "path" for most S3-compatible servers (MinIO) reached by an address, not a host name.
ADDRESSING_STYLES = ("", "auto", "path", "virtual")


def default_storage_entry(
    *,
    bucket: str = "",
    endpoint_url: str = "",
    access_key_id: str = "",
    secret_access_key: str = "",
    region: str = "",
    prefix: str = "",
    addressing_style: str = "",
) -> dict:
    """The file system with no bucket; with one, S3 storage on that bucket. Empty values are left to
    boto3 (its own variables, ~/.aws, an instance role) rather than passed as empty strings."""
    if not bucket:
        return {"BACKEND": FILE_SYSTEM}
    if addressing_style not in ADDRESSING_STYLES:
        raise ValueError(
            f"S3_ADDRESSING_STYLE must be one of {', '.join(ADDRESSING_STYLES[1:])}, not {addressing_style!r}"
        )
    if bool(access_key_id) != bool(secret_access_key):
        raise ValueError("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both or neither")
    options: dict = {
        "bucket_name": bucket,
        # The files are people's ID numbers and scans: private objects, served only through the
        # scoped views (never a public or pre-signed URL handed to the browser).
        "default_acl": "private",
        "querystring_auth": True,
        # Stored names are random; never silently replace an object that happens to exist.
        "file_overwrite": False,
        # A file read from the bucket is buffered in memory up to this size, beyond it in a temporary
        # file (the default keeps a whole 100 MB export in memory while it is downloaded).
        "max_memory_size": 8 * 1024 * 1024,
    }
    optional = {
        "endpoint_url": endpoint_url,
        "access_key": access_key_id,
        "secret_key": secret_access_key,
        "region_name": region,
        "location": prefix.strip("/"),
        "addressing_style": addressing_style,
    }
    options.update({key: value for key, value in optional.items() if value})
    return {"BACKEND": S3, "OPTIONS": options}

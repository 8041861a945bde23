"""Uploaded and generated files (contract scans, activity photos, import files, export files).

Every file lives in one storage (Django's default_storage: under MEDIA_ROOT, or in an S3 bucket when
S3_BUCKET is set — `backends`) under a random name, and is served only by a view that asks
federation.scoping first — there is no /media/ route in development or production. `fields` declares
such a file on a model (random name, original name kept, link to its view, removal after commit),
`content` checks what an upload really is, `serving` answers a download, `storage` is what works on
either backend (walking folders, a local copy for a library that needs a path), `orphans` removes
files no record names.
"""

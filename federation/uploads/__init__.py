"""Uploaded and generated files (contract scans, activity photos, import files, export files).

Every file lives in one storage (Django's default_storage, under MEDIA_ROOT with the default
settings) under a random name, and is served only by a view that asks federation.scoping first —
there is no /media/ route in development or production. `fields` declares such a file on a model
(random name, original name kept, link to its view, removal after commit), `content` checks what an
upload really is, `serving` answers a download.
"""

"""Where media files live: local files by default, an S3-compatible store when configured."""

import os


def s3_storage(environ=os.environ) -> dict | None:
    """The media store on an S3-compatible server (MinIO, Ceph RGW, a cloud), or None.

    With OPENCITY_S3_BUCKET set every web node and worker reads and writes photos there, so
    any node serves any photo; the pages still stream them through the app (the originals
    stay private, and the CSP keeps images on the site's own origin).
    """
    bucket = environ.get("OPENCITY_S3_BUCKET", "")
    if not bucket:
        return None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("OPENCITY_S3_ENDPOINT") or None,
            "access_key": environ.get("OPENCITY_S3_ACCESS_KEY") or None,
            "secret_key": environ.get("OPENCITY_S3_SECRET_KEY") or None,
            "region_name": environ.get("OPENCITY_S3_REGION") or None,
            "location": environ.get("OPENCITY_S3_PREFIX", ""),
            # Private objects, signed URLs; a name already taken gets a suffix, as on disk.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": environ.get("OPENCITY_S3_ADDRESSING", "path"),
        },
    }

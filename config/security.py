"""The security headers' policies: what pages may load, which browser features they may use."""

from urllib.parse import urlsplit


def map_tile_origin(url: str) -> str:
    """Return the scheme and host of a tile URL template (Leaflet's {s} as a wildcard)."""
    parts = urlsplit(url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def permissions_policy() -> dict:
    """Return the Permissions-Policy (django-permissions-policy)."""
    # The filing form may ask for the location;
    # every other powerful feature is off (photos are taken through the file input's camera
    # picker, which needs no camera permission).
    return {
        "geolocation": ["self"],
        **{
            feature: []
            for feature in (
                "accelerometer",
                "autoplay",
                "browsing-topics",
                "camera",
                "display-capture",
                "encrypted-media",
                "gyroscope",
                "hid",
                "idle-detection",
                "local-fonts",
                "magnetometer",
                "microphone",
                "midi",
                "otp-credentials",
                "payment",
                "picture-in-picture",
                "publickey-credentials-get",
                "screen-wake-lock",
                "serial",
                "usb",
                "window-management",
                "xr-spatial-tracking",
            )
        },
    }

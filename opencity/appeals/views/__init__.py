"""Appeals web pages: resident (views.resident), public (views.public), staff (views.staff)."""

from opencity.appeals.views.public import public_detail

__all__ = ["public_detail"]

"""The API's shapes that several apps answer with (one class each: the OpenAPI document names
its components by class name, so two classes of one name would show as one)."""

from ninja import Schema


class Named(Schema):
    id: int
    name: str

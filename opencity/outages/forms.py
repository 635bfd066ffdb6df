"""Forms of the outages pages: announce, change, restore, cancel, and the report's month."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opencity.core.models import District
from opencity.organisations.models import Resource
from opencity.outages.models import AreaKind, OutageKind
from opencity.outages.selectors import AreaChoice

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def _attrs(testid: str, **extra) -> dict:
    return {"data-testid": testid, **extra}


class LocalDateTimeField(forms.DateTimeField):
    """A datetime typed in the municipality's local time (datetime-local input)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)

    def __init__(self, *args, tz: ZoneInfo | None = None, **kwargs):
        kwargs.setdefault("input_formats", [LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"])
        super().__init__(*args, **kwargs)
        self.tz = tz

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value
        for fmt in self.input_formats:
            try:
                naive = dt.datetime.strptime(str(value).strip(), fmt)
            except ValueError:
                continue
            return naive.replace(tzinfo=self.tz)
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value):
        if isinstance(value, dt.datetime) and self.tz is not None and timezone.is_aware(value):
            return value.astimezone(self.tz).strftime(LOCAL_FORMAT)
        return value


class AreaFields(forms.Form):
    """How the announcer gives the buildings: chosen, a street, a district, or a drawn area."""

    area_kind = forms.ChoiceField(
        label=_("Which buildings"),
        choices=AreaKind.choices,
        widget=forms.RadioSelect(attrs={"data-area-kind": ""}),
    )
    buildings = forms.TypedMultipleChoiceField(
        label=_("Buildings"), coerce=int, required=False, widget=forms.MultipleHiddenInput
    )
    street = forms.CharField(
        label=_("Street"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=_attrs("outage-street", list="outage-streets")),
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        widget=forms.Select(attrs=_attrs("outage-district")),
    )
    polygon = forms.CharField(
        label=_("Area on the map"),
        required=False,
        widget=forms.HiddenInput(attrs=_attrs("outage-polygon")),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["district"].queryset = District.objects.filter(municipality=municipality).defer(
            "boundary"
        )
        # Any building id may come back: the service checks it belongs here.
        self.fields["buildings"].valid_value = lambda value: True

    def clean_polygon(self):
        text = self.cleaned_data.get("polygon") or ""
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("Draw the area again.")) from None

    def clean(self):
        data = super().clean()
        kind = data.get("area_kind")
        required = {
            AreaKind.BUILDINGS: ("buildings", _("Choose at least one building.")),
            AreaKind.STREET: ("street", _("Type the street.")),
            AreaKind.DISTRICT: ("district", _("Choose a district.")),
            AreaKind.POLYGON: ("polygon", _("Draw the area on the map.")),
        }.get(kind)
        if required and not data.get(required[0]):
            self.add_error(required[0], required[1])
        return data

    def area(self) -> AreaChoice | None:
        data = self.cleaned_data
        if not data.get("area_kind"):
            return None
        district = data.get("district")
        return AreaChoice(
            kind=data["area_kind"],
            building_ids=list(data.get("buildings") or []),
            street=data.get("street") or "",
            district_id=district.pk if district else None,
            polygon=data.get("polygon"),
        )


class OutageForm(AreaFields):
    organisation = forms.ModelChoiceField(
        label=_("Responsible organisation"),
        queryset=None,
        widget=forms.Select(attrs=_attrs("outage-organisation")),
    )
    resource = forms.ChoiceField(
        label=_("Resource"),
        choices=Resource.choices,
        widget=forms.Select(attrs=_attrs("outage-resource")),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=OutageKind.choices,
        widget=forms.RadioSelect(attrs=_attrs("outage-kind")),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.TextInput(attrs=_attrs("outage-reason")),
        help_text=_("e.g. Replacement of a valve on the main"),
    )
    description = forms.CharField(
        label=_("Details for residents"),
        required=False,
        widget=forms.Textarea(attrs=_attrs("outage-description", rows=3)),
    )
    start_at = LocalDateTimeField(
        label=_("Start"),
        widget=forms.DateTimeInput(
            attrs=_attrs("outage-start", type="datetime-local"), format=LOCAL_FORMAT
        ),
    )
    planned_end_at = LocalDateTimeField(
        label=_("Planned end"),
        widget=forms.DateTimeInput(
            attrs=_attrs("outage-end", type="datetime-local"), format=LOCAL_FORMAT
        ),
    )

    field_order = [
        "organisation",
        "resource",
        "kind",
        "reason",
        "description",
        "start_at",
        "planned_end_at",
        "area_kind",
        "buildings",
        "street",
        "district",
        "polygon",
    ]

    def __init__(self, *args, municipality, organisations, **kwargs):
        super().__init__(*args, municipality=municipality, **kwargs)
        tz = ZoneInfo(municipality.time_zone)
        self.fields["start_at"].tz = tz
        self.fields["planned_end_at"].tz = tz
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "organisation": data["organisation"],
            "resource": data["resource"],
            "kind": data["kind"],
            "reason": data["reason"],
            "description": data["description"],
            "start_at": data["start_at"],
            "planned_end_at": data["planned_end_at"],
            "area": self.area(),
        }


class OutageEditForm(AreaFields):
    kind = OutageForm.base_fields["kind"]
    reason = OutageForm.base_fields["reason"]
    description = OutageForm.base_fields["description"]
    start_at = LocalDateTimeField(
        label=_("Start"),
        widget=forms.DateTimeInput(
            attrs=_attrs("outage-edit-start", type="datetime-local"), format=LOCAL_FORMAT
        ),
    )
    planned_end_at = LocalDateTimeField(
        label=_("Planned end"),
        widget=forms.DateTimeInput(
            attrs=_attrs("outage-edit-end", type="datetime-local"), format=LOCAL_FORMAT
        ),
    )
    comment = forms.CharField(
        label=_("What changed, for residents"),
        required=False,
        widget=forms.Textarea(attrs=_attrs("outage-edit-comment", rows=2)),
    )

    field_order = [
        "kind",
        "reason",
        "description",
        "start_at",
        "planned_end_at",
        "comment",
        "area_kind",
        "buildings",
        "street",
        "district",
        "polygon",
    ]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, municipality=municipality, **kwargs)
        tz = ZoneInfo(municipality.time_zone)
        self.fields["start_at"].tz = tz
        self.fields["planned_end_at"].tz = tz
        self.fields["area_kind"].required = False
        self.fields["area_kind"].choices = [("", _("Keep the buildings")), *AreaKind.choices]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in ("kind", "reason", "description", "start_at", "planned_end_at")
        }
        return {**fields, "area": self.area(), "comment": data["comment"]}


class RestoreForm(forms.Form):
    actual_end_at = LocalDateTimeField(
        label=_("Restored at"),
        required=False,
        help_text=_("Leave empty for now."),
        widget=forms.DateTimeInput(
            attrs=_attrs("outage-restored-at", type="datetime-local"), format=LOCAL_FORMAT
        ),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.TextInput(attrs=_attrs("outage-restore-comment")),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actual_end_at"].tz = ZoneInfo(municipality.time_zone)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is cancelled"),
        max_length=500,
        widget=forms.TextInput(attrs=_attrs("outage-cancel-reason")),
    )


class ReportForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs=_attrs("report-month", type="month"), format="%Y-%m"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Provider"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs=_attrs("report-organisation")),
    )
    resource = forms.ChoiceField(
        label=_("Resource"),
        choices=[("", _("All")), *Resource.choices],
        required=False,
        widget=forms.Select(attrs=_attrs("report-resource")),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

"""Forms of the meters pages: a resident's readings, and the staff's import, export, meters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opencity.core.tables import TABLE_FORMATS


def _attrs(testid: str, **extra) -> dict:
    return {"data-testid": testid, **extra}


class ApartmentReadingsForm(forms.Form):
    """The readings of one apartment's meters: a field per tariff zone, rollover, confirmation."""

    def __init__(self, *args, cards, **kwargs):
        super().__init__(*args, **kwargs)
        self.cards = cards
        for card in cards:
            meter = card.meter
            for zone, label in enumerate(meter.zone_labels, start=1):
                self.fields[self.name(meter, f"t{zone}")] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=20,
                    widget=forms.TextInput(
                        attrs=_attrs(
                            f"reading-{meter.serial_number}-t{zone}",
                            inputmode="decimal",
                            autocomplete="off",
                        )
                    ),
                )
            self.fields[self.name(meter, "rollover")] = forms.BooleanField(
                label=_("The counter rolled over to zero"),
                required=False,
                widget=forms.CheckboxInput(attrs=_attrs(f"reading-{meter.serial_number}-rollover")),
            )
            self.fields[self.name(meter, "confirm")] = forms.BooleanField(
                label=_("I checked: the reading is right"),
                required=False,
                widget=forms.CheckboxInput(attrs=_attrs(f"reading-{meter.serial_number}-confirm")),
            )

    @staticmethod
    def name(meter, part: str) -> str:
        return f"m{meter.pk}_{part}"

    def meter_fields(self, meter) -> dict:
        return {
            "zones": [self[self.name(meter, f"t{z}")] for z in range(1, meter.zones + 1)],
            "rollover": self[self.name(meter, "rollover")],
            "confirm": self[self.name(meter, "confirm")],
        }

    def submitted(self):
        """Yield (card, values, rollover, confirmed) for each meter something was typed for."""
        data = self.cleaned_data
        for card in self.cards:
            meter = card.meter
            values = tuple(data.get(self.name(meter, f"t{z}"), "") for z in (1, 2, 3))
            if any(v.strip() for v in values if v):
                yield (
                    card,
                    values,
                    data.get(self.name(meter, "rollover"), False),
                    data.get(self.name(meter, "confirm"), False),
                )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File of readings (CSV or XLSX)"),
        help_text=_(
            "Columns: serial_number, period (2025-03 or 03.2025), value (or value_t1, value_t2, "
            "value_t3), and rollover (yes/no) if a counter passed its last digits."
        ),
        widget=forms.ClearableFileInput(attrs=_attrs("import-file", accept=".csv,.xlsx")),
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"),
        queryset=None,
        required=False,
        help_text=_("Only this provider's meters are accepted."),
        widget=forms.Select(attrs=_attrs("import-provider")),
    )

    def __init__(self, *args, providers, require_provider: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.fields["provider"].required = require_provider
        if providers.count() == 1:
            self.fields["provider"].initial = providers.first()


class ExportForm(forms.Form):
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=None, widget=forms.Select(attrs=_attrs("export-provider"))
    )
    period = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs=_attrs("export-period", type="month"), format="%Y-%m"),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[(f, f.upper()) for f in TABLE_FORMATS],
        widget=forms.Select(attrs=_attrs("export-format")),
    )

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        if providers.count() == 1:
            self.fields["provider"].initial = providers.first()


class ReplaceForm(forms.Form):
    serial_number = forms.CharField(
        label=_("New meter's serial number"),
        max_length=40,
        widget=forms.TextInput(attrs=_attrs("replace-serial")),
    )
    model = forms.CharField(label=_("Model"), max_length=120, required=False)
    install_date = forms.DateField(
        label=_("Installed on"), widget=forms.DateInput(attrs=_attrs("replace-date", type="date"))
    )
    initial_t1 = forms.DecimalField(
        label=_("Starting reading"), min_value=0, max_digits=14, decimal_places=3, initial=0
    )
    initial_t2 = forms.DecimalField(
        label=_("Starting reading, T2"),
        min_value=0,
        max_digits=14,
        decimal_places=3,
        required=False,
    )
    initial_t3 = forms.DecimalField(
        label=_("Starting reading, T3"),
        min_value=0,
        max_digits=14,
        decimal_places=3,
        required=False,
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "serial_number": data["serial_number"],
            "model": data["model"],
            "install_date": data["install_date"],
            "initial_values": tuple(data[f"initial_t{z}"] or 0 for z in (1, 2, 3)),
        }


class VerificationForm(forms.Form):
    verified_on = forms.DateField(
        label=_("Verified on"),
        widget=forms.DateInput(attrs=_attrs("verified-on", type="date")),
    )

"""The forms of the staff lists: the queues' filters and bulk actions, and the phone intake;
they only parse input, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opencity.appeals.forms_staff import active_organisations, testid_attrs
from opencity.appeals.models import (
    OPEN_STATUSES,
    Category,
    ContactPreference,
    Priority,
    Status,
)
from opencity.buildings.models import Building
from opencity.core.models import District
from opencity.core.widgets import FastSelect
from opencity.organisations.models import Organisation


def leaf_categories(municipality):
    """Active categories without active children, the ones an appeal can be filed in."""
    return (
        Category.objects.filter(municipality=municipality, is_active=True)
        .exclude(children__is_active=True)
        .select_related("parent")
        .order_by("parent__order", "parent__name", "order", "name")
    )


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} › {obj.name}" if obj.parent_id else obj.name


OPEN_STATUS_CHOICES = [(s.value, s.label) for s in Status if s in OPEN_STATUSES]
OVERDUE_CHOICES = [("", _("Any")), ("yes", _("Overdue only")), ("no", _("Not overdue"))]


class QueueFilterForm(forms.Form):
    """The filters of the dispatcher console and the organisation workspace (a GET form)."""

    q = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs=testid_attrs("filter-text", type="search", placeholder=_("Number, address, text"))
        ),
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("All districts"),
        widget=FastSelect(attrs=testid_attrs("filter-district")),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All organisations"),
        widget=FastSelect(attrs=testid_attrs("filter-organisation")),
    )
    unrouted = forms.BooleanField(
        label=_("Only the dispatchers' queue (no organisation)"),
        required=False,
        widget=forms.CheckboxInput(attrs=testid_attrs("filter-unrouted")),
    )
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("All categories"),
        widget=FastSelect(attrs=testid_attrs("filter-category")),
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("Any priority")), *Priority.choices],
        required=False,
        widget=FastSelect(attrs=testid_attrs("filter-priority")),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All open")), *OPEN_STATUS_CHOICES],
        required=False,
        widget=FastSelect(attrs=testid_attrs("filter-status")),
    )
    overdue = forms.ChoiceField(
        label=_("Deadline"),
        choices=OVERDUE_CHOICES,
        required=False,
        widget=FastSelect(attrs=testid_attrs("filter-overdue")),
    )

    def __init__(self, *args, municipality, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = (
            District.objects.filter(municipality=municipality).defer("boundary").order_by("name")
        )
        if organisations is None:
            self.fields["organisation"].queryset = active_organisations(municipality)
        else:
            # The organisation workspace: the user's own organisations only.
            self.fields["organisation"].queryset = organisations
            del self.fields["unrouted"]
        self.fields["category"].queryset = leaf_categories(municipality)
        # The same lists for every dispatcher of the city (refcache forgets them on a change).
        for name in ("district", "category", "organisation", "priority", "status", "overdue"):
            if name != "organisation" or organisations is None:
                self.fields[name].widget.cache_scope = ("queue-filter", municipality.pk)

    def active_filters(self) -> int:
        """Count the filters set besides the text (shown on the folded filters of a phone)."""
        if not self.is_bound:
            return 0
        return sum(1 for name in self.fields if name != "q" and self.data.get(name))

    def filter_values(self) -> dict:
        """Return the cleaned filters as keyword arguments for AppealFilters."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        overdue = {"yes": True, "no": False}.get(data.get("overdue") or "")
        return {
            "district": data.get("district"),
            "organisation": data.get("organisation"),
            "unrouted": bool(data.get("unrouted")),
            "category": data.get("category"),
            "priority": data.get("priority") or None,
            "status": data.get("status") or None,
            "overdue": overdue,
            "text": (data.get("q") or "").strip() or None,
        }


BULK_REROUTE = "reroute"
BULK_PRIORITY = "priority"
BULK_MERGE = "merge"


class BulkForm(forms.Form):
    """One action applied to the rows ticked in the queue."""

    numbers = forms.MultipleChoiceField(label=_("Appeals"), choices=())
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            (BULK_REROUTE, _("Send to an organisation")),
            (BULK_PRIORITY, _("Set priority")),
            (BULK_MERGE, _("Merge into one")),
        ],
        widget=FastSelect(attrs=testid_attrs("bulk-action")),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=FastSelect(attrs=testid_attrs("bulk-organisation")),
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", "—"), *Priority.choices],
        required=False,
        widget=FastSelect(attrs=testid_attrs("bulk-priority")),
    )
    into = forms.CharField(
        label=_("Keep appeal number (merge)"),
        max_length=24,
        required=False,
        help_text=_("Empty: the oldest selected appeal is kept."),
        widget=forms.TextInput(attrs=testid_attrs("bulk-into")),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        required=False,
        widget=forms.TextInput(attrs=testid_attrs("bulk-reason")),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = active_organisations(municipality)
        for name in ("action", "organisation", "priority"):
            self.fields[name].widget.cache_scope = ("queue-bulk", municipality.pk)
        data = args[0] if args else kwargs.get("data")
        picked = data.getlist("numbers") if data is not None and hasattr(data, "getlist") else []
        self.fields["numbers"].choices = [(n, n) for n in picked[:200]]

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == BULK_REROUTE:
            if not data.get("organisation"):
                self.add_error("organisation", _("Choose the organisation."))
            if not data.get("reason"):
                self.add_error("reason", _("Give a reason."))
        elif action == BULK_PRIORITY:
            if not data.get("priority"):
                self.add_error("priority", _("Choose the priority."))
            if not data.get("reason"):
                self.add_error("reason", _("Give a reason."))
        elif action == BULK_MERGE:
            numbers = data.get("numbers") or []
            if len(numbers) < 2:
                self.add_error("numbers", _("Tick at least two appeals to merge."))
            into = (data.get("into") or "").strip().upper()
            if into and into not in numbers:
                self.add_error("into", _("The appeal to keep must be one of those ticked."))
            data["into"] = into
        return data


class PhoneIntakeForm(forms.Form):
    """A call taken by a dispatcher: who, where, what. Keyboard order matches the call."""

    phone = forms.CharField(
        label=_("Caller's phone"),
        max_length=32,
        widget=forms.TextInput(
            attrs=testid_attrs("intake-phone", autofocus=True, inputmode="tel", autocomplete="off")
        ),
    )
    name = forms.CharField(
        label=_("Caller's name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=testid_attrs("intake-name", autocomplete="off")),
    )
    building = forms.ModelChoiceField(
        label=_("Building"),
        queryset=Building.objects.none(),
        required=False,
        widget=forms.HiddenInput(attrs=testid_attrs("intake-building")),
    )
    apartment_number = forms.CharField(
        label=_("Apartment"),
        max_length=16,
        required=False,
        widget=forms.TextInput(attrs=testid_attrs("intake-apartment", autocomplete="off")),
    )
    entrance_number = forms.IntegerField(
        label=_("Entrance"),
        min_value=1,
        max_value=99,
        required=False,
        widget=forms.NumberInput(attrs=testid_attrs("intake-entrance")),
    )
    address = forms.CharField(
        label=_("Place (if not a building)"),
        max_length=400,
        required=False,
        widget=forms.TextInput(attrs=testid_attrs("intake-address", autocomplete="off")),
    )
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        widget=FastSelect(attrs=testid_attrs("intake-category")),
    )
    description = forms.CharField(
        label=_("What happened"),
        max_length=4000,
        widget=forms.Textarea(attrs=testid_attrs("intake-description", rows=4)),
    )
    contact_preference = forms.ChoiceField(
        label=_("How to contact"),
        choices=ContactPreference.choices,
        initial=ContactPreference.PHONE,
        widget=FastSelect(attrs=testid_attrs("intake-contact-preference")),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.filter(municipality=municipality)
        self.fields["category"].queryset = leaf_categories(municipality)

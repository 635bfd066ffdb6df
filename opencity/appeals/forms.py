"""Resident-facing forms: filing an appeal, and answering, confirming, rejecting or cancelling it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from opencity.appeals.models import Category, ContactPreference, QuestionType, Status
from opencity.appeals.selectors import category_list_grouped
from opencity.appeals.services.photos import photo_validate
from opencity.buildings.models import Building
from opencity.buildings.selectors import building_get_brief
from opencity.core.errors import Invalid
from opencity.core.models import District
from opencity.core.widgets import FastSelect
from opencity.organisations.models import Organisation

MAX_PHOTOS = 5
QUESTION_PREFIX = "q_"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos under one name; each is checked on its own so a bad one is named."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = list(data) if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_PHOTOS:
            raise ValidationError(
                _("Attach at most %(count)d photos.") % {"count": MAX_PHOTOS}, code="too_many"
            )
        problems = []
        for upload in files:
            try:
                photo_validate(upload=upload)
            except Invalid as exc:
                reasons = [m for msgs in exc.errors.values() for m in msgs] or [exc.message]
                for reason in reasons:
                    # Name the file, so the resident knows which one to replace.
                    if upload.name and upload.name not in reason:
                        reason = f"{upload.name}: {reason}"
                    problems.append(reason)
        if problems:
            raise ValidationError(problems, code="bad_photo")
        return files


def question_field(question) -> forms.Field:
    """Build the form field that asks one of the category's typed questions."""
    common = {
        "label": question.label,
        "required": question.required,
        "help_text": question.help_text,
    }
    choices = [(v.get("key"), v.get("name") or v.get("key")) for v in (question.values or [])]
    kind = question.datatype
    if kind == QuestionType.NUMBER:
        return forms.DecimalField(
            **common,
            min_value=question.min_value,
            max_value=question.max_value,
            widget=forms.NumberInput(attrs={"step": "any"}),
        )
    if kind == QuestionType.DATETIME:
        return forms.DateTimeField(
            **common, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
        )
    if kind == QuestionType.TEXT:
        return forms.CharField(**common, widget=forms.Textarea(attrs={"rows": 3}))
    if kind == QuestionType.SINGLE:
        return forms.ChoiceField(
            **common,
            choices=([("", "—")] if not question.required else []) + choices,
            widget=forms.RadioSelect if len(choices) <= 5 else forms.Select,
        )
    if kind == QuestionType.MULTI:
        return forms.MultipleChoiceField(
            **common, choices=choices, widget=forms.CheckboxSelectMultiple
        )
    return forms.CharField(**common, max_length=500)


class AppealForm(forms.Form):
    """File an appeal in a chosen category; the category's questions are added as fields."""

    building = forms.IntegerField(required=False, widget=forms.HiddenInput)
    address_query = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=200,
        help_text=_("Type the street and house number, then pick your building."),
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    address = forms.CharField(
        label=_("Where exactly"),
        required=False,
        max_length=400,
        help_text=_("A landmark helps: “by the bus stop”, “behind house 12”."),
    )
    apartment_number = forms.CharField(label=_("Apartment"), required=False, max_length=16)
    entrance_number = forms.IntegerField(
        label=_("Entrance"), required=False, min_value=1, max_value=99
    )
    description = forms.CharField(
        label=_("What is the problem?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    photos = MultiplePhotoField(
        label=_("Photos"),
        required=False,
        help_text=_("Up to 5 photos: JPEG, PNG, WebP or HEIC."),
    )
    contact_preference = forms.ChoiceField(
        label=_("How should we contact you?"),
        choices=ContactPreference.choices,
        initial=ContactPreference.EMAIL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, category: Category, municipality, kept_photos: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        self.municipality = municipality
        self.kept_photos = kept_photos  # photos kept from a failed submit, attached again
        self.selected_building: Building | None = None
        if category.photo_required and not kept_photos:
            self.fields["photos"].required = True
        if not category.needs_building:
            self.fields["apartment_number"].widget = forms.HiddenInput()
            self.fields["entrance_number"].widget = forms.HiddenInput()
        self.question_codes: list[str] = []
        for question in category.questions.all():
            name = QUESTION_PREFIX + question.code
            self.fields[name] = question_field(question)
            self.question_codes.append(question.code)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("data-testid", f"appeal-{name.replace('_', '-')}")

    @property
    def question_fields(self):
        return [self[QUESTION_PREFIX + code] for code in self.question_codes]

    def clean_building(self):
        pk = self.cleaned_data.get("building")
        if pk is None:
            return None
        building = building_get_brief(municipality=self.municipality, pk=pk)
        if building is None:
            raise ValidationError(_("Choose a building from the list."), code="unknown")
        self.selected_building = building
        return building

    def clean(self):
        data = super().clean()
        if len(data.get("photos") or []) + self.kept_photos > MAX_PHOTOS:
            self.add_error("photos", _("Attach at most %(count)d photos.") % {"count": MAX_PHOTOS})
        if self.category.needs_building:
            if not data.get("building") and "building" not in self.errors:
                self.add_error(
                    "address_query",
                    _("Find your building by its address and choose it from the list."),
                )
        elif data.get("lat") is None or data.get("lon") is None:
            self.add_error("address", _("Put a pin on the map where the problem is."))
        return data

    def answers(self) -> dict:
        """Return the typed answers keyed by question code, as the service expects them."""
        answers = {}
        for code in self.question_codes:
            value = self.cleaned_data.get(QUESTION_PREFIX + code)
            if value in (None, "", []):
                continue
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif hasattr(value, "is_finite"):
                value = float(value) if value != int(value) else int(value)
            answers[code] = value
        return answers

    def service_kwargs(self) -> dict:
        """Return the cleaned data as keyword arguments of services.appeal_create."""
        data = self.cleaned_data
        needs_building = self.category.needs_building
        return {
            "category": self.category,
            "description": data["description"],
            "building": data.get("building") if needs_building else None,
            "apartment_number": (data.get("apartment_number") or "") if needs_building else "",
            "entrance_number": data.get("entrance_number") if needs_building else None,
            "lat": None if needs_building else data.get("lat"),
            "lon": None if needs_building else data.get("lon"),
            "address": data.get("address") or "",
            "answers": self.answers(),
            "contact_preference": data["contact_preference"],
            "photos": data.get("photos") or [],
        }

    def add_service_errors(self, exc: Invalid) -> None:
        """Put the service's errors on the matching fields (the rest above the form)."""
        aliases = {
            "category": None,
            "building": "address_query",
            "lat": "address",
            "lon": "address",
            "location": "address",
        }
        for key, messages in (exc.errors or {}).items():
            name = key
            if key.startswith("answers."):
                name = QUESTION_PREFIX + key.split(".", 1)[1]
            elif key in self.question_codes:
                name = QUESTION_PREFIX + key
            elif key in aliases:
                name = aliases[key]
            if name not in self.fields:
                name = None
            for message in messages:
                self.add_error(name, message)
        if not exc.errors:
            self.add_error(None, exc.message)


class ActionForm(forms.Form):
    """A form of an action on the appeal's page; its inputs carry test ids."""

    action = ""
    # Fields that only make the person confirm; they are not the service's inputs.
    confirm_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("data-testid", f"action-{self.action}-{name}")

    def service_data(self) -> dict:
        """Return the cleaned inputs named as the action's service takes them."""
        return {k: v for k, v in self.cleaned_data.items() if k not in self.confirm_fields}


class AnswerForm(ActionForm):
    action = "answer"
    answer = forms.CharField(
        label=_("Your answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


RATING_CHOICES = [(i, str(i)) for i in range(5, 0, -1)]


class ConfirmForm(ActionForm):
    action = "confirm"
    rating = forms.TypedChoiceField(
        label=_("Rate the work (5 is best)"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(ActionForm):
    action = "reject"
    reason = forms.CharField(
        label=_("What is still wrong?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    rating = forms.TypedChoiceField(
        label=_("Rate the work (optional)"),
        choices=[("", "—")] + RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )


class CancelForm(ActionForm):
    action = "cancel"
    confirm_fields = ("confirm",)
    reason = forms.CharField(
        label=_("Why do you cancel it? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("Yes, cancel this appeal: the organisation stops working on it"),
        error_messages={"required": _("Tick the box to confirm that you want to cancel.")},
    )


def category_choices_grouped(municipality) -> list:
    """Return the categories as grouped choices: per branch, "all of it" and then its leaves."""
    choices = []
    for group in category_list_grouped(municipality=municipality):
        leaves = [(c.pk, c.name) for c in group["categories"]]
        if group["parent"] is None:
            choices.append((_("Other"), leaves))
        else:
            everything = _("All: %(group)s") % {"group": group["title"]}
            choices.append((group["title"], [(group["parent"].pk, everything), *leaves]))
    return choices


class PublicFilterForm(forms.Form):
    """The public list's filters; invalid values are ignored, not errors."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Number, address or words")}
        ),
    )
    building = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # Grouped as the filing form's chooser: each branch, then its leaves (a branch takes all).
    # FastSelect: the same markup as Django's, kept per process for the city (see __init__).
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label=_("Any"),
        widget=FastSelect,
    )
    status = forms.ChoiceField(label=_("Status"), required=False, widget=FastSelect)
    # Set by a link (a company's row of the rating), not chosen from a list of hundreds.
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Any")), *category_choices_grouped(municipality)]
        # The districts' polygons are never shown here.
        self.fields["district"].queryset = District.objects.filter(municipality=municipality).defer(
            "boundary"
        )
        self.fields["organisation"].queryset = Organisation.objects.filter(
            municipality=municipality
        )
        self.fields["status"].choices = [("", _("Any"))] + [
            c for c in Status.choices if c[0] != Status.MERGED
        ]
        for name, field in self.fields.items():
            field.widget.attrs["data-testid"] = f"filter-{name}"
        # Every visitor of the city sees the same lists (refcache forgets them on a change).
        for name in ("category", "district", "status"):
            self.fields[name].widget.cache_scope = ("public-filter", municipality.pk)

    def active_filters(self) -> int:
        """Count the chosen filters besides the text (shown on the folded filters of a phone)."""
        if not self.is_bound:
            return 0
        return sum(
            1 for field in self.visible_fields() if field.name != "q" and self.data.get(field.name)
        )

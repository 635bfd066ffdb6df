from django import forms
from django.utils.translation import gettext_lazy as _

from opencity.organisations.models import MembershipRole


class ApiKeyForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        widget=forms.Select(attrs={"data-testid": "key-organisation"}),
    )
    name = forms.CharField(
        label=_("System that will use the key"),
        max_length=100,
        widget=forms.TextInput(attrs={"data-testid": "key-name"}),
    )
    role = forms.ChoiceField(
        label=_("The key acts as"),
        choices=MembershipRole.choices,
        initial=MembershipRole.EXECUTOR,
        help_text=_(
            "An executor's key works on the organisation's appeals; a manager's key may also "
            "assign, decline and return them."
        ),
        widget=forms.Select(attrs={"data-testid": "key-role"}),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:  # a manager of one company: nothing to choose
            self.fields["organisation"].empty_label = None

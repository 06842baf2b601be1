from django import forms
from django.utils.translation import gettext_lazy as _

from network.models import Organisation

from .models import Commission

SEARCH_LIMIT = 10


class OrganisationChoiceForm(forms.Form):
    """An organisation picked by id (from the search results)."""

    organisation = forms.IntegerField(
        label=_("Organisation"),
        min_value=1,
        error_messages={"invalid": _("Choose an organisation from the list.")},
    )

    def clean_organisation(self):
        pk = self.cleaned_data["organisation"]
        organisation = Organisation.objects.filter(pk=pk).first()
        if organisation is None:
            raise forms.ValidationError(_("This organisation does not exist."), code="unknown")
        return organisation


class CommissionForm(forms.ModelForm):
    """Names and mandate in the three languages, and the commission's e-mail address."""

    class Meta:
        model = Commission
        fields = [
            "name_en",
            "name_fr",
            "name_es",
            "mandate_en",
            "mandate_fr",
            "mandate_es",
            "email",
        ]
        widgets = {
            "mandate_en": forms.Textarea(attrs={"rows": 5}),
            "mandate_fr": forms.Textarea(attrs={"rows": 5}),
            "mandate_es": forms.Textarea(attrs={"rows": 5}),
        }

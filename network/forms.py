from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from commissions.models import Commission, CommissionMembership

from .models import (
    Country,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    Person,
    Region,
    SizeClass,
    Visibility,
    normalise_for_search,
)

PER_PAGE_CHOICES = [(25, "25"), (50, "50"), (100, "100")]


class DirectoryFilterForm(forms.Form):
    """The directory's filters; the page, the CSV export and the API share them.

    Field names are the directory's URL parameters, a contract other pages link to.
    """

    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("Region"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrganisationKind.choices]
    )
    size_class = forms.ChoiceField(
        label=_("Size"), required=False, choices=[("", _("All sizes")), *SizeClass.choices]
    )
    commission = forms.ChoiceField(label=_("Commission"), required=False)
    per_page = forms.TypedChoiceField(
        label=_("Per page"), required=False, choices=PER_PAGE_CHOICES, coerce=int, empty_value=25
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        # Three small lookups (7 regions, 249 countries, a few dozen commissions); the
        # ids they give let the results query use the indexed foreign keys directly.
        self.region_ids = {}
        region_choices = [("", _("All regions"))]
        for region in Region.objects.all():
            self.region_ids[region.code] = region.pk
            region_choices.append((region.code, region.name))
        self.fields["region"].choices = region_choices
        self.country_ids = {}
        countries = []
        for pk, code, name in _country_names():
            self.country_ids[code] = pk
            countries.append((code, name))
        self.fields["country"].choices = [("", _("All countries")), *countries]
        self.fields["commission"].choices = [
            ("", _("All commissions")),
            *Commission.objects.active().values_list("slug", "name"),
        ]

    def clean_q(self) -> str:
        return normalise_for_search(self.cleaned_data["q"])

    def is_filtered(self) -> bool:
        data = self.cleaned_data
        return any(
            data.get(name)
            for name in ("q", "region", "country", "kind", "size_class", "commission")
        )

    def filter(self, organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
        """The organisations these (valid) filters select, sorted by name."""
        data = self.cleaned_data
        if data.get("q"):
            # A "contains" match on the indexed, accent-free column of every language's
            # names. Measured on SQLite at 250,000 organisations: the page itself stays
            # fast because rows are read in index order and the scan stops after one
            # page; only counting the matches scans every row (see views.directory_page).
            organisations = organisations.filter(search_name__contains=data["q"])
        if data.get("region"):
            organisations = organisations.filter(region_id=self.region_ids[data["region"]])
        if data.get("country"):
            organisations = organisations.filter(country_id=self.country_ids[data["country"]])
        if data.get("kind"):
            organisations = organisations.filter(kind=data["kind"])
        if data.get("size_class"):
            organisations = organisations.filter(size_class=data["size_class"])
        if data.get("commission"):
            organisations = organisations.filter(
                pk__in=CommissionMembership.objects.filter(
                    commission__slug=data["commission"]
                ).values("organisation_id")
            )
        return organisations.order_by("search_name", "pk")


def _country_names() -> list[tuple[int, str, str]]:
    """(id, code, name in the reader's language) of every country, sorted by that name."""
    rows = [(country.pk, country.code, country.name) for country in Country.objects.all()]
    return sorted(rows, key=lambda row: normalise_for_search(row[2]))


class OrganisationForm(forms.Form):
    """Editing an organisation; membership status only for those who manage it."""

    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    name_fr = forms.CharField(label=_("Name in French"), max_length=200, required=False)
    name_es = forms.CharField(label=_("Name in Spanish"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    country = forms.ChoiceField(label=_("Country"))
    population = forms.IntegerField(
        label=_("Population"),
        required=False,
        min_value=0,
        error_messages={"min_value": _("The population cannot be negative.")},
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )
    working_languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        required=False,
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    membership_status = forms.ChoiceField(
        label=_("Membership status"), choices=MembershipStatus.choices
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    email = forms.EmailField(label=_("E-mail address"), required=False)

    def __init__(self, *args, can_manage_membership: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.countries = {}
        choices = []
        for pk, code, name in _country_names():
            self.countries[code] = pk
            choices.append((code, name))
        self.fields["country"].choices = choices
        if not can_manage_membership:
            del self.fields["membership_status"]

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict:
        return {
            "name_en": organisation.name_en,
            "name_fr": organisation.name_fr,
            "name_es": organisation.name_es,
            "kind": organisation.kind,
            "country": organisation.country.code,
            "population": organisation.population,
            "latitude": organisation.latitude,
            "longitude": organisation.longitude,
            "working_languages": organisation.working_languages,
            "membership_status": organisation.membership_status,
            "website": organisation.website,
            "email": organisation.email,
        }

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in ("name_en", "name_fr", "name_es")):
            raise forms.ValidationError(_("Give the organisation's name in at least one language."))
        return data

    def changes(self) -> dict:
        """The cleaned values as arguments for services.update_organisation."""
        changes = dict(self.cleaned_data)
        changes["country_id"] = self.countries[changes.pop("country")]
        changes["email"] = changes["email"] or ""
        changes["website"] = changes["website"] or ""
        return changes


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "position",
            "email",
            "phone",
            "preferred_language",
            "contact_visibility",
        ]
        widgets = {"contact_visibility": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_visibility"].choices = Visibility.choices


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, comma-separated, with a header row naming the columns."),
    )

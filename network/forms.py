from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from commissions.models import CommissionMembership

from . import name_search
from .choices import filter_choices
from .models import (
    MembershipStatus,
    Organisation,
    OrganisationKind,
    Person,
    SizeClass,
    Visibility,
    normalise_for_search,
    sort_name_column,
)

PER_PAGE_CHOICES = [(25, "25"), (50, "50"), (100, "100")]


class QuickSelect(forms.Select):
    """A <select> rendered in Python: the template-per-option rendering of Django's widget
    took longer than the whole directory query for the 249 countries. `escaped_options`,
    when given, holds the options after the first one, escaped once (value, HTML before
    and after the selected mark)."""

    escaped_options: list[tuple[str, str, str]] | None = None

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        selected = "" if value is None else str(value)
        choices = self.choices if self.escaped_options is None else self.choices[:1]
        # Each label and value is escaped here, so the joined options are safe.
        options = "".join(
            f'<option value="{escape(choice)}"{" selected" if str(choice) == selected else ""}>'
            f"{escape(label)}</option>"
            for choice, label in choices
        )
        if self.escaped_options is not None:
            options += "".join(
                f"{start}{' selected' if choice == selected else ''}{end}"
                for choice, start, end in self.escaped_options
            )
        extra = format_html_join("", ' {}="{}"', ((key, val) for key, val in attrs.items()))
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            extra,
            mark_safe(options),  # noqa: S308 - built from escaped parts
        )


class DirectoryFilterForm(forms.Form):
    """The directory's filters; the page, the CSV export and the API share them.

    Field names are the directory's URL parameters, a contract other pages link to.
    """

    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("Region"), required=False, widget=QuickSelect)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=QuickSelect)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *OrganisationKind.choices],
        widget=QuickSelect,
    )
    size_class = forms.ChoiceField(
        label=_("Size"),
        required=False,
        choices=[("", _("All sizes")), *SizeClass.choices],
        widget=QuickSelect,
    )
    commission = forms.ChoiceField(label=_("Commission"), required=False, widget=QuickSelect)
    per_page = forms.TypedChoiceField(
        label=_("Per page"),
        required=False,
        choices=PER_PAGE_CHOICES,
        coerce=int,
        empty_value=25,
        widget=QuickSelect,
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        # Built once per language and kept until a region, country or commission changes
        # (network.choices); the ids let the results query use the foreign keys directly.
        choices = filter_choices()
        self.region_ids = {code: pk for pk, code, _name in choices.regions}
        self.region_names = {pk: name for pk, _code, name in choices.regions}
        self.country_ids = {code: pk for pk, code, _name in choices.countries}
        self.country_names = {pk: name for pk, _code, name in choices.countries}
        for name, everything, values in (
            ("region", _("All regions"), [(code, label) for _pk, code, label in choices.regions]),
            (
                "country",
                _("All countries"),
                [(code, label) for _pk, code, label in choices.countries],
            ),
            ("commission", _("All commissions"), choices.commissions),
        ):
            field = self.fields[name]
            field.choices = [("", everything), *values]
            field.widget.escaped_options = choices.options[name]

    def clean_q(self) -> str:
        return normalise_for_search(self.cleaned_data["q"])

    def filter(self, organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
        """The organisations these (valid) filters select, sorted by the name the reader
        sees (accents and case ignored), through that language's sort key index."""
        data = self.cleaned_data
        if data.get("q"):
            organisations = self._search(organisations, data["q"])
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
        column = sort_name_column(get_language())
        return organisations.order_by(column, "pk")

    def country_names_by_id(self) -> dict[int, str]:
        return self.country_names

    def region_names_by_id(self) -> dict[int, str]:
        return self.region_names

    def search_words(self) -> list[str]:
        return name_search.words_of(self.cleaned_data.get("q") or "")

    def _search(self, organisations, query: str):
        """Names (in any language, accents and case ignored) with words starting so."""
        return name_search.named(organisations, self.search_words())

    def count_fast(self) -> int | None:
        """The number of matches of a name search alone, straight from its index."""
        data = self.cleaned_data
        if any(
            data.get(name) for name in ("region", "country", "kind", "size_class", "commission")
        ):
            return None
        return name_search.count_named(self.search_words())


class OrganisationForm(forms.Form):
    """Editing an organisation; kind and membership status only for those who manage it."""

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
        for pk, code, name in filter_choices().countries:
            self.countries[code] = pk
            choices.append((code, name))
        self.fields["country"].choices = choices
        if not can_manage_membership:
            # What kind of organisation it is (a city, a partner, the network's own
            # secretariat...) is the administrators' record, like its membership.
            del self.fields["membership_status"]
            del self.fields["kind"]

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

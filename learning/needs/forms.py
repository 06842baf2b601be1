"""Forms of the needs and agenda pages: short, plain HTML, usable without JavaScript."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from learning.models import LearningMode, NeedStatus, NeedVisibility, Urgency
from learning.models.needs import MAX_TEXT_LENGTH, MAX_TITLE_LENGTH
from library.models import SDG, Theme
from network.models import Person, Region, SizeClass

LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


class NeedTextForm(forms.Form):
    """The three texts of a need, in one language."""

    title = forms.CharField(
        label=_("In one line, what does your city want to learn?"),
        max_length=MAX_TITLE_LENGTH,
        help_text=_("For example: “Planning the growth of an intermediary city with few staff”."),
    )
    problem = forms.CharField(
        label=_("The problem"),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is not working, for whom, and what you have already tried."),
    )
    context = forms.CharField(
        label=_("Context (optional)"),
        max_length=MAX_TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Population, institutions, budget, partners: what a peer city should know."),
    )

    def texts(self) -> dict[str, str]:
        return {
            field: self.cleaned_data.get(field, "") for field in ("title", "problem", "context")
        }


class NeedForm(NeedTextForm):
    """Stating a need: one short page; the city is chosen only when there is a choice."""

    field_order = [
        "city",
        "original_language",
        "title",
        "problem",
        "context",
        "themes",
        "sdgs",
        "learning_modes",
        "working_languages",
        "urgency",
        "visibility",
        "contact",
    ]

    city = forms.ModelChoiceField(label=_("City"), queryset=None, empty_label=None)
    original_language = forms.ChoiceField(
        label=_("Language you write in"), choices=LANGUAGE_CHOICES, widget=forms.RadioSelect
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sdgs = forms.ModelMultipleChoiceField(
        label=_("Sustainable Development Goals (optional)"),
        queryset=SDG.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    learning_modes = forms.MultipleChoiceField(
        label=_("How would your team like to learn?"),
        choices=LearningMode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    working_languages = forms.MultipleChoiceField(
        label=_("Languages your team works in"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.MEDIUM,
        widget=forms.RadioSelect,
    )
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=NeedVisibility.choices,
        initial=NeedVisibility.PUBLISHED,
        widget=forms.RadioSelect,
    )

    contact = forms.ModelChoiceField(
        label=_("Contact person (optional)"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Someone of the city's team whom a peer city may write to."),
    )

    def __init__(self, *args, cities=None, by_number: bool = False, city=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sdgs"].label_from_instance = lambda sdg: f"{sdg.number}. {sdg.title}"
        if cities is None:
            # Editing: the city does not change; its people are offered as contacts.
            del self.fields["city"]
            self.fields["contact"].queryset = Person.objects.filter(organisation=city).order_by(
                "last_name", "first_name"
            )
            return
        self.fields["city"].queryset = cities
        if by_number:
            # Any of 60,000 people: the secretariat gives the person's number.
            self.fields["contact"].queryset = Person.objects.all()
            self.fields["contact"].widget = forms.NumberInput()
            self.fields["contact"].label = _(
                "Number of the contact person in the directory (optional)"
            )
            self.fields["contact"].error_messages["invalid_choice"] = _(
                "No person has this number in the directory."
            )
        else:
            self.fields["contact"].queryset = Person.objects.filter(
                organisation__in=cities
            ).order_by("last_name", "first_name")
        if by_number:
            # The secretariat may state a need for any of 250,000 organisations: it gives
            # the organisation's number (prefilled from the organisation's page).
            self.fields["city"].widget = forms.NumberInput()
            self.fields["city"].label = _("Number of the city in the directory")
            self.fields["city"].error_messages["invalid_choice"] = _(
                "No city has this number in the directory."
            )

    def clean(self):
        cleaned = super().clean()
        contact, city = cleaned.get("contact"), cleaned.get("city")
        if contact is not None and city is not None and contact.organisation_id != city.pk:
            self.add_error("contact", _("Choose someone who works for this city."))
        return cleaned


class NeedStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=NeedStatus.choices)
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


class NeedTranslationForm(NeedTextForm):
    """A translation: the title and the problem at least."""

    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE_LENGTH)
    problem = forms.CharField(
        label=_("The problem"), max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )


class NeedFilterForm(forms.Form):
    """The list's filters; unknown values are refused with a message, not ignored."""

    q = forms.CharField(label=_("Words"), max_length=200, required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    size_class = forms.ChoiceField(
        label=_("Size class"), required=False, choices=[("", _("All sizes")), *SizeClass.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *NeedStatus.choices]
    )
    language = forms.ChoiceField(
        label=_("Written in"),
        required=False,
        choices=[("", _("Any language")), *LANGUAGE_CHOICES],
    )
    mine = forms.BooleanField(label=_("My city's needs only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [
            ("", _("All themes")),
            *Theme.objects.values_list("key", "label"),
        ]
        self.fields["region"].choices = [
            ("", _("All regions")),
            *Region.objects.values_list("code", "name"),
        ]


class AgendaFilterForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    size_class = forms.ChoiceField(
        label=_("Size class"), required=False, choices=[("", _("All sizes")), *SizeClass.choices]
    )
    period = forms.ChoiceField(
        label=_("Over time, by"),
        required=False,
        choices=[("year", _("Year")), ("quarter", _("Quarter"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [
            ("", _("All themes")),
            *Theme.objects.values_list("key", "label"),
        ]
        self.fields["region"].choices = [
            ("", _("All regions")),
            *Region.objects.values_list("code", "name"),
        ]


class AgendaPriorityForm(forms.Form):
    original_language = forms.ChoiceField(
        label=_("Language you write in"), choices=LANGUAGE_CHOICES, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Priority"), max_length=MAX_TITLE_LENGTH)
    description = forms.CharField(
        label=_("Description (optional)"),
        max_length=MAX_TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs = forms.CharField(
        label=_("Numbers of the needs that justify it"),
        help_text=_("Separated by commas or spaces, e.g. 12, 48, 133."),
        max_length=2000,
    )
    meeting = forms.ModelChoiceField(
        label=_("Adopted at the meeting (optional)"), queryset=None, required=False
    )
    adopted_on = forms.DateField(
        label=_("Adopted on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, meetings=None, visible_needs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.visible_needs = visible_needs

    def clean_needs(self):
        numbers = [int(part) for part in re.findall(r"\d+", self.cleaned_data["needs"])]
        if not numbers or re.search(r"[^\d,;\s#]", self.cleaned_data["needs"]):
            raise forms.ValidationError(_("Give the numbers of the needs, separated by commas."))
        numbers = list(dict.fromkeys(numbers))
        if len(numbers) > 200:
            raise forms.ValidationError(_("Cite at most 200 needs."))
        found = list(self.visible_needs.filter(pk__in=numbers).select_related("city"))
        missing = sorted(set(numbers) - {need.pk for need in found})
        if missing:
            raise forms.ValidationError(
                _("No need you may read has the number(s) %(numbers)s.")
                % {"numbers": ", ".join(map(str, missing))}
            )
        return found


class AgendaPriorityEditForm(AgendaPriorityForm):
    """Changing a priority: its text in one language (a translation too), themes and needs.

    The meeting and the date of adoption are history and stay as they were.
    """

    original_language = forms.ChoiceField(
        label=_("Language of the text you edit"), choices=LANGUAGE_CHOICES, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Priority"), max_length=MAX_TITLE_LENGTH, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, meetings=None, **kwargs)
        del self.fields["meeting"]
        del self.fields["adopted_on"]

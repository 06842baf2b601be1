from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from actions.models import Action, Workstream
from entrevilles.integers import parse_ids
from meetings.models import Meeting
from network.models import Organisation
from uploads.formats import EXPERIENCE_ATTACHMENT, LIBRARY_DOCUMENT, accepted

from .models import (
    SDG,
    DocumentKind,
    DocumentVisibility,
    ItemKind,
    PlanningPrinciple,
    Theme,
)


class ExperienceTextForm(forms.Form):
    """The text of an experience in one language, and its details."""

    title = forms.CharField(label=_("Title"), max_length=250, required=False)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    problem = forms.CharField(
        label=_("Problem"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    approach = forms.CharField(
        label=_("Approach"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    results = forms.CharField(
        label=_("Results"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    lessons = forms.CharField(
        label=_("Lessons learned"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    start_year = forms.IntegerField(
        label=_("From (year)"), min_value=1900, max_value=2100, required=False
    )
    end_year = forms.IntegerField(
        label=_("To (year)"), min_value=1900, max_value=2100, required=False
    )
    contact = forms.ModelChoiceField(
        label=_("Contact person"),
        queryset=None,
        required=False,
        empty_label=_("No contact person"),
    )
    offers_peer_learning = forms.BooleanField(
        label=_("Our city offers to host peer learning on this experience"), required=False
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sdgs = forms.ModelMultipleChoiceField(
        label=_("SDGs"),
        queryset=SDG.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    principles = forms.ModelMultipleChoiceField(
        label=_("Planning principles"),
        queryset=PlanningPrinciple.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    TEXT_FIELDS = ("title", "summary", "problem", "approach", "results", "lessons")

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is None:
            del self.fields["contact"]
        else:
            self.fields["contact"].queryset = people

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The end year cannot be before the start year."))
        return data

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.TEXT_FIELDS}


class ExperienceCreateForm(ExperienceTextForm):
    city = forms.ModelChoiceField(label=_("City"), queryset=None, empty_label=_("Choose the city"))
    original_language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)

    field_order = ["city", "original_language"]

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("contact", None)
        self.fields["city"].queryset = cities
        self.fields["title"].required = True


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the city"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class LookupCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes for the chosen objects only, and a search box that adds more.

    For choices among many rows (250,000 organisations, every action): the page never
    lists them all; `library:lookup` answers the search box with up to 20 checkboxes.
    """

    def __init__(self, lookup: str, attrs=None):
        super().__init__(attrs)
        self.lookup = lookup
        # Objects already read by the page ({pk: object}): not read again to be shown.
        self.known = {}

    def optgroups(self, name, value, attrs=None):
        ids = parse_ids(str(v) for v in value)
        missing = [i for i in ids if i not in self.known]
        read = (
            {obj.pk: obj for obj in self.choices.queryset.filter(pk__in=missing)} if missing else {}
        )
        chosen = [obj for i in ids if (obj := self.known.get(i) or read.get(i)) is not None]
        return [
            (None, [self.create_option(name, obj.pk, str(obj), True, index, attrs=attrs)], index)
            for index, obj in enumerate(chosen)
        ]

    def render(self, name, value, attrs=None, renderer=None):
        chosen = super().render(name, value, attrs, renderer)
        target = f"lookup-{(attrs or {}).get('id') or name}"
        return format_html(
            '<div>{}</div><input type="search" name="lookup-q" aria-label="{}" placeholder="{}" '
            'hx-get="{}" hx-trigger="input changed delay:400ms, search" hx-target="#{}" '
            'hx-vals=\'{{"field": "{}"}}\' autocomplete="off"><div id="{}" aria-live="polite"></div>',
            chosen,
            _("Search to add"),
            _("Type a few letters of the name"),
            reverse("library:lookup", args=[self.lookup]),
            target,
            name,
            target,
        )


class DocumentLinksForm(forms.Form):
    authors = forms.ModelMultipleChoiceField(
        label=_("Authors (organisations)"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=LookupCheckboxes("organisations"),
    )
    meetings = forms.ModelMultipleChoiceField(
        label=_("Meetings"),
        queryset=Meeting.objects.all(),
        required=False,
        widget=LookupCheckboxes("meetings"),
    )
    workstreams = forms.ModelMultipleChoiceField(
        label=_("Workstreams"),
        queryset=Workstream.objects.all(),
        required=False,
        widget=LookupCheckboxes("workstreams"),
    )
    actions = forms.ModelMultipleChoiceField(
        label=_("Actions"),
        queryset=Action.objects.all(),
        required=False,
        widget=LookupCheckboxes("actions"),
    )


class DocumentForm(DocumentLinksForm):
    field_order = [
        "kind",
        "original_language",
        "title",
        "abstract",
        "date",
        "visibility",
        "themes",
        "tags",
        "commissions",
        "authors",
        "meetings",
        "workstreams",
        "actions",
    ]

    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    original_language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=300)
    abstract = forms.CharField(
        label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    visibility = forms.ChoiceField(label=_("Visible to"), choices=DocumentVisibility.choices)
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(label=_("Tags (separated by commas)"), required=False)
    commissions = forms.ModelMultipleChoiceField(
        label=_("Commissions"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, commissions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commissions"].queryset = commissions


class DocumentEditForm(DocumentLinksForm):
    """The title and abstract of a document in one language, and its details and links."""

    field_order = [
        "title",
        "abstract",
        "kind",
        "date",
        "visibility",
        "themes",
        "sdgs",
        "principles",
        "tags",
        "commissions",
        "authors",
        "meetings",
        "workstreams",
        "actions",
    ]

    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    abstract = forms.CharField(
        label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    visibility = forms.ChoiceField(label=_("Visible to"), choices=DocumentVisibility.choices)
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sdgs = forms.ModelMultipleChoiceField(
        label=_("SDGs"),
        queryset=SDG.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    principles = forms.ModelMultipleChoiceField(
        label=_("UN Guidelines principles"),
        queryset=PlanningPrinciple.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(label=_("Tags (separated by commas)"), required=False)
    commissions = forms.ModelMultipleChoiceField(
        label=_("Commissions"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, commissions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commissions"].queryset = commissions


class ItemActionsForm(forms.Form):
    actions = forms.ModelMultipleChoiceField(
        label=_("Actions that follow it up"),
        queryset=Action.objects.all(),
        required=False,
        widget=LookupCheckboxes("actions"),
    )

    def __init__(self, *args, chosen=(), **kwargs):
        """`chosen`: the item's actions, already read by the page."""
        super().__init__(*args, **kwargs)
        self.fields["actions"].widget.known = {action.pk: action for action in chosen}


class DocumentFileForm(forms.Form):
    version_number = forms.IntegerField(
        label=_("Version number"), min_value=1, max_value=99, initial=1
    )
    version_label = forms.CharField(label=_("Version label"), max_length=100, required=False)
    is_final = forms.BooleanField(label=_("This is the final version"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    file = forms.FileField(label=_("File"), help_text=accepted(LIBRARY_DOCUMENT))


class DocumentItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))
    principles = forms.ModelMultipleChoiceField(
        label=_("UN Guidelines principles"),
        queryset=PlanningPrinciple.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    actions = forms.ModelMultipleChoiceField(
        label=_("Actions that follow it up"),
        queryset=Action.objects.all(),
        required=False,
        widget=LookupCheckboxes("actions"),
    )


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    file = forms.FileField(label=_("File"), help_text=accepted(EXPERIENCE_ATTACHMENT))

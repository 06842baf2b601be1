"""Forms of the partnership pages; they check the input, the services check the rules."""

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from actions.models import Workstream
from commissions.models import Commission
from entrevilles.integers import parse_ids
from learning.models import ActivityKind, AssessmentCriterion, Indicator, LearningNeed
from library.models import Experience, Theme
from network.models import Organisation, Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganisationLookup(forms.CheckboxSelectMultiple):
    """Checkboxes for the chosen organisations and a search box that adds more (htmx):
    the page never lists the 250,000 organisations of the directory."""

    def optgroups(self, name, value, attrs=None):
        ids = parse_ids(str(v) for v in value)
        chosen = self.choices.queryset.filter(pk__in=ids) if ids else []
        return [
            (None, [self.create_option(name, obj.pk, str(obj), True, index, attrs=attrs)], index)
            for index, obj in enumerate(chosen)
        ]

    def render(self, name, value, attrs=None, renderer=None):
        chosen = super().render(name, value, attrs, renderer)
        target = f"lookup-{name}"
        return format_html(
            '<div>{}</div><input type="search" name="lookup-q" aria-label="{}" placeholder="{}" '
            'hx-get="{}" hx-trigger="input changed delay:400ms, search" hx-target="#{}" '
            'hx-vals=\'{{"field": "{}"}}\' autocomplete="off"><div id="{}" aria-live="polite"></div>',
            chosen,
            _("Search to add an organisation"),
            _("Type a few letters of the name"),
            reverse("learning:partnership_lookup"),
            target,
            name,
            target,
        )


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    original_language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)
    objectives = forms.CharField(
        label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    learners = forms.ModelMultipleChoiceField(
        label=_("Learner organisations"),
        queryset=Organisation.objects.all(),
        widget=OrganisationLookup,
        required=False,
    )
    mentors = forms.ModelMultipleChoiceField(
        label=_("Mentor organisations"),
        queryset=Organisation.objects.all(),
        widget=OrganisationLookup,
        required=False,
    )
    commission = forms.ModelChoiceField(
        label=_("Facilitating commission"), queryset=Commission.objects.all(), required=False
    )
    needs = forms.ModelMultipleChoiceField(
        label=_("Learning needs behind it"),
        queryset=LearningNeed.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    experiences = forms.ModelMultipleChoiceField(
        label=_("Experiences behind it"),
        queryset=Experience.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)
    reporting_every_months = forms.IntegerField(
        label=_("Reports every (months)"), min_value=1, max_value=12, initial=3
    )

    def __init__(self, *args, needs=None, experiences=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the needs and experiences this proposal comes from (or that the form posts)
        # are offered: the lists are too long for a page.
        self.fields["needs"].queryset = needs if needs is not None else LearningNeed.objects.none()
        self.fields["experiences"].queryset = (
            experiences if experiences is not None else Experience.objects.none()
        )


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=250)
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To"), widget=DATE, required=False)
    place = forms.CharField(label=_("Place"), max_length=250, required=False)
    milestone = forms.ModelChoiceField(label=_("Milestone"), queryset=None, required=False)
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = partnership.milestones.all()
        # The people of the parties' organisations.
        self.fields["participants"].queryset = Person.objects.filter(
            organisation__partnership_parties__partnership=partnership
        ).order_by("last_name", "first_name")


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=250)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))


class StatusForm(forms.Form):
    to = forms.ChoiceField(choices=())
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(value, value) for value in allowed]


class ReportForm(forms.Form):
    """A monitoring report: one score field per criterion and one per indicator."""

    period = forms.ChoiceField(label=_("Period"))
    organisation = forms.ModelChoiceField(label=_("Reporting for"), queryset=None)
    progress = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 4}))
    difficulties = forms.CharField(
        label=_("Difficulties"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    next_steps = forms.CharField(
        label=_("Next steps"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, periods=(), organisations=None, revising=False, **kwargs):
        super().__init__(*args, **kwargs)
        if revising:
            del self.fields["period"]
            del self.fields["organisation"]
        else:
            self.fields["period"].choices = [
                (start.isoformat(), f"{start:%Y-%m-%d} – {end:%Y-%m-%d}") for start, end in periods
            ]
            self.fields["organisation"].queryset = organisations
        self.criteria = list(AssessmentCriterion.objects.filter(is_active=True))
        self.indicators = list(Indicator.objects.filter(is_active=True))
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=criterion.name,
                min_value=1,
                max_value=5,
                help_text=criterion.description,
                error_messages={
                    "min_value": _("A score is a whole number from 1 to 5."),
                    "max_value": _("A score is a whole number from 1 to 5."),
                },
            )
        for indicator in self.indicators:
            label = f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=label, required=False, max_digits=14, decimal_places=2
            )

    def score_fields(self):
        return [self[f"score_{c.pk}"] for c in self.criteria]

    def indicator_fields(self):
        return [self[f"indicator_{i.pk}"] for i in self.indicators]

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}

    def indicator_values(self) -> dict:
        return {i.pk: self.cleaned_data.get(f"indicator_{i.pk}") for i in self.indicators}


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    ask_for_more = forms.BooleanField(label=_("Send it back to ask for more"), required=False)


class EvaluationForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Evaluating for"), queryset=None)
    rating = forms.TypedChoiceField(
        label=_("Overall rating (1 to 5)"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
    )
    what_worked = forms.CharField(label=_("What worked"), widget=forms.Textarea(attrs={"rows": 3}))
    what_to_improve = forms.CharField(
        label=_("What could be improved"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class OutcomesForm(forms.Form):
    outcomes = forms.CharField(label=_("Outcomes"), widget=forms.Textarea(attrs={"rows": 4}))


class NoteForm(forms.Form):
    """The note in one language; translations are the same fields with a language prefix."""

    title = forms.CharField(label=_("Title"), max_length=250, required=False)
    context = forms.CharField(
        label=_("Context"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    challenges = forms.CharField(
        label=_("Challenges"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    reflections = forms.CharField(
        label=_("Shared reflections"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    lessons = forms.CharField(
        label=_("Lessons learned"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class NoteMetaForm(forms.Form):
    original_language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)
    roadmap = forms.CharField(
        label=_("Roadmap of actions (one a line, in the note's language)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class RoadmapActionForm(forms.Form):
    workstream = forms.ModelChoiceField(label=_("Workstream"), queryset=Workstream.objects.all())
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE)

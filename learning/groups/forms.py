"""Forms of learning groups: the group, a member, a session, a conclusion and its action."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from learning.models import GroupVisibility
from library.models import Theme
from meetings.models import Meeting
from network.models import Organisation

LANGUAGES = [(code, name) for code, name in settings.LANGUAGES]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _translated_fields(form, field: str, label, *, widget=None, required_message=None):
    """One field per language: `<field>_en`, `<field>_fr`, `<field>_es`."""
    for code, name in LANGUAGES:
        form.fields[f"{field}_{code}"] = forms.CharField(
            label=f"{label} ({name})",
            required=False,
            widget=widget,
            max_length=None if widget is not None else 250,
        )


def _values(cleaned_data, field: str) -> dict[str, str]:
    return {code: cleaned_data.get(f"{field}_{code}", "") for code, _name in LANGUAGES}


class GroupForm(forms.Form):
    slug = forms.SlugField(
        label=_("Short name (in the address)"),
        max_length=80,
        help_text=_("Lower-case letters, digits and hyphens, e.g. intermediary-cities-planning."),
    )
    facilitating_commission = forms.ModelChoiceField(
        label=_("Facilitating commission"),
        queryset=None,
        error_messages={"invalid_choice": _("Choose one of the commissions you run.")},
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visibility = forms.ChoiceField(label=_("Visible to"), choices=GroupVisibility.choices)
    started_on = forms.DateField(label=_("Started on"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, commissions, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitating_commission"].queryset = commissions
        _translated_fields(self, "name", _("Name"))
        _translated_fields(self, "purpose", _("Purpose"), widget=forms.Textarea(attrs={"rows": 3}))
        if editing:
            del self.fields["slug"]
        # The names first, as people read the form.
        order = ["slug", "name_en", "name_fr", "name_es", "purpose_en", "purpose_fr", "purpose_es"]
        self.order_fields([name for name in order if name in self.fields])

    def clean(self):
        cleaned = super().clean()
        if not any(_values(cleaned, "name").values()):
            raise forms.ValidationError(_("Give the group a name in at least one language."))
        return cleaned

    def names(self):
        return _values(self.cleaned_data, "name")

    def purposes(self):
        return _values(self.cleaned_data, "purpose")


class OrganisationChoiceField(forms.IntegerField):
    """An organisation picked by id from the search results (250,000 do not fit a list)."""

    default_error_messages = {
        "invalid": _("Choose an organisation from the list."),
        "unknown": _("This organisation does not exist."),
    }

    def clean(self, value):
        pk = super().clean(value)
        if pk is None:
            return None
        organisation = Organisation.objects.filter(pk=pk).first()
        if organisation is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        return organisation


class MemberForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("Organisation"), min_value=1)
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=DATE_INPUT)


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), required=False, widget=DATE_INPUT)


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    place = forms.CharField(label=_("Place"), max_length=250, required=False)
    meeting = forms.IntegerField(
        label=_("Network meeting (number, optional)"),
        required=False,
        min_value=1,
        help_text=_("When the session was held during a meeting of the network."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _translated_fields(self, "summary", _("Summary"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean_meeting(self):
        pk = self.cleaned_data.get("meeting")
        if pk is None:
            return None
        meeting = Meeting.objects.filter(pk=pk).first()
        if meeting is None:
            raise forms.ValidationError(_("There is no meeting with this number."))
        return meeting

    def summaries(self):
        return _values(self.cleaned_data, "summary")


class ConclusionForm(forms.Form):
    concluded_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    session = forms.ModelChoiceField(label=_("Session"), queryset=None, required=False)

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = group.sessions.all()
        _translated_fields(self, "text", _("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        if not any(_values(cleaned, "text").values()):
            raise forms.ValidationError(_("Write the conclusion in at least one language."))
        return cleaned

    def texts(self):
        return _values(self.cleaned_data, "text")


class ConclusionActionForm(forms.Form):
    """The workstreams are read once: the form is shown under every open conclusion."""

    workstream = forms.TypedChoiceField(
        label=_("Workstream"),
        coerce=int,
        error_messages={"invalid_choice": _("Choose one of the workstreams you manage.")},
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, workstreams, **kwargs):
        super().__init__(*args, **kwargs)
        self.workstreams = {workstream.pk: workstream for workstream in workstreams}
        self.fields["workstream"].choices = [
            (pk, workstream.title) for pk, workstream in self.workstreams.items()
        ]

    def clean_workstream(self):
        return self.workstreams[self.cleaned_data["workstream"]]

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from commissions.models import Commission
from entrevilles.languages import language_name
from network.models import Organisation
from uploads.formats import MEETING_REPORT, accepted

from .models import Meeting, MeetingStatus, MeetingVisibility, time_zone_names


def _language_name(code: str) -> str:
    return language_name(code, in_sentence=True)


class MeetingForm(forms.Form):
    """Create or edit a meeting; times are entered in the venue's time zone."""

    commissions = forms.ModelMultipleChoiceField(
        label=_("Commissions"),
        queryset=Commission.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose several commissions for a joint meeting."),
    )
    host = forms.ModelChoiceField(
        label=_("Host city"), queryset=Organisation.objects.none(), required=False
    )
    venue = forms.CharField(label=_("Venue"), max_length=250, required=False)
    time_zone = forms.CharField(
        label=_("Time zone of the venue"),
        max_length=64,
        initial="UTC",
        help_text=_("An IANA time zone, e.g. Africa/Casablanca or America/Sao_Paulo."),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts at (venue time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at (venue time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    online_url = forms.URLField(label=_("Online link"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=MeetingStatus.choices, initial=MeetingStatus.PLANNED
    )
    visibility = forms.ChoiceField(label=_("Visible to"), choices=MeetingVisibility.choices)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, required=False)

    def __init__(self, *args, commissions, hosts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commissions"].queryset = commissions
        self.fields["host"].queryset = hosts
        for code in settings.LANGUAGE_CODES:
            name = _language_name(code)
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name},
                max_length=250,
                required=False,
            )
            self.fields[f"purpose_{code}"] = forms.CharField(
                label=_("Purpose (%(language)s)") % {"language": name},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )

    def clean_time_zone(self):
        value = self.cleaned_data["time_zone"].strip()
        if value not in time_zone_names():
            raise forms.ValidationError(
                _("%(zone)s is not a known time zone (e.g. Africa/Casablanca)."),
                params={"zone": value},
            )
        return value

    def clean(self):
        data = super().clean()
        if not any(data.get(f"title_{code}") for code in settings.LANGUAGE_CODES):
            self.add_error(f"title_{settings.LANGUAGE_CODE}", _("Give the meeting a title."))
        zone = data.get("time_zone")
        start, end = data.get("starts_at"), data.get("ends_at")
        if zone and start and end:
            start = _in_zone(start, zone)
            end = _in_zone(end, zone)
            data["starts_at"], data["ends_at"] = start, end
            if end < start:
                self.add_error("ends_at", _("The meeting cannot end before it starts."))
        return data

    @classmethod
    def initial_from(cls, meeting: Meeting) -> dict:
        initial = {
            "commissions": list(meeting.commissions.all()),
            "host": meeting.host_id,
            "venue": meeting.venue,
            "time_zone": meeting.time_zone,
            "starts_at": meeting.local_start.replace(tzinfo=None),
            "ends_at": meeting.local_end.replace(tzinfo=None),
            "online_url": meeting.online_url,
            "status": meeting.status,
            "visibility": meeting.visibility,
            "capacity": meeting.capacity,
        }
        for code in settings.LANGUAGE_CODES:
            initial[f"title_{code}"] = getattr(meeting, f"title_{code}")
            initial[f"purpose_{code}"] = getattr(meeting, f"purpose_{code}")
        return initial


def _in_zone(value: datetime, zone: str) -> datetime:
    """The form gives a wall-clock time: read it in the venue's zone."""
    return value.replace(tzinfo=ZoneInfo(zone))


class TranslatedTextForm(forms.Form):
    """One text in each language (agenda items, decisions); one language is enough."""

    field_label = _("Text")
    widget_rows = 2

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in settings.LANGUAGE_CODES:
            self.fields[f"text_{code}"] = forms.CharField(
                label=f"{self.field_label} ({_language_name(code)})",
                widget=forms.Textarea(attrs={"rows": self.widget_rows}),
                required=False,
            )

    def clean(self):
        data = super().clean()
        if not any((data.get(f"text_{code}") or "").strip() for code in settings.LANGUAGE_CODES):
            raise forms.ValidationError(_("Write the text in at least one language."))
        return data

    def texts(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"text_{code}"] for code in settings.LANGUAGE_CODES}


class AgendaItemForm(TranslatedTextForm):
    field_label = _("Agenda item")
    widget_rows = 1
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=1440, required=False
    )


class DecisionForm(TranslatedTextForm):
    field_label = _("Decision")


class MinutesForm(forms.Form):
    text = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 14}))


class ReportForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=250)
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    file = forms.FileField(label=_("File"), required=False, help_text=accepted(MEETING_REPORT))

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file"):
            raise forms.ValidationError(_("Give the report a text or a file."))
        return data


class ExternalEventForm(forms.Form):
    organiser = forms.CharField(label=_("Organiser"), max_length=250)
    place = forms.CharField(label=_("Place"), max_length=250, required=False)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    url = forms.URLField(label=_("Website"), required=False)
    commissions = forms.ModelMultipleChoiceField(
        label=_("Commissions"),
        queryset=Commission.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, commissions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commissions"].queryset = commissions
        for code in settings.LANGUAGE_CODES:
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": _language_name(code)},
                max_length=250,
                required=False,
            )

    def clean(self):
        data = super().clean()
        if not any(data.get(f"title_{code}") for code in settings.LANGUAGE_CODES):
            self.add_error(f"title_{settings.LANGUAGE_CODE}", _("Give the event a title."))
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The event cannot end before it starts."))
        return data


class RepresentationForm(TranslatedTextForm):
    field_label = _("Mandate")
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ReportBackForm(forms.Form):
    report_back = forms.CharField(label=_("Report back"), widget=forms.Textarea(attrs={"rows": 5}))

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from commissions.models import Commission
from entrevilles.languages import language_name
from meetings.models import Meeting
from network.models import OrganisationKind, Person, Region

from .models import CircularKind

# Meetings offered in pickers: the most recent ones (the circular's own are always added).
RECENT_MEETINGS = 100


def _ids(value: str) -> list[int]:
    try:
        return [int(part) for part in value.replace(";", ",").replace(" ", ",").split(",") if part]
    except ValueError:
        raise forms.ValidationError(_("Enter numbers separated by commas.")) from None


def _meeting_choices(extra_ids=()):
    recent = list(
        Meeting.objects.order_by("-starts_at").values_list("pk", flat=True)[:RECENT_MEETINGS]
    )
    return Meeting.objects.filter(pk__in=set(recent) | set(extra_ids)).order_by("-starts_at")


class CircularForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CircularKind.choices)
    commissions = forms.ModelMultipleChoiceField(
        label=_("On behalf of the commissions"),
        queryset=Commission.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None: the circular is sent in the network's own name."),
    )
    original_language = forms.ChoiceField(
        label=_("Original language"),
        choices=settings.LANGUAGES,
        help_text=_(
            "Required. A recipient whose language is missing receives this version, and is told so."
        ),
    )
    meetings = forms.ModelMultipleChoiceField(
        label=_("Meetings"), queryset=Meeting.objects.none(), required=False
    )
    documents = forms.CharField(
        label=_("Documents"),
        required=False,
        help_text=_("Numbers of library documents, separated by commas."),
    )
    actions = forms.CharField(
        label=_("Actions"),
        required=False,
        help_text=_("Numbers of actions, separated by commas."),
    )

    def __init__(self, *args, meeting_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meetings"].queryset = _meeting_choices(meeting_ids)
        for code in settings.LANGUAGE_CODES:
            self.fields[f"subject_{code}"] = forms.CharField(
                label=_("Subject (%(language)s)")
                % {"language": language_name(code, in_sentence=True)},
                max_length=250,
                required=False,
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Body (%(language)s)")
                % {"language": language_name(code, in_sentence=True)},
                required=False,
                widget=forms.Textarea(attrs={"rows": 16}),
                help_text=_(
                    "Markdown: **bold**, *italics*, lists with -, links as [text](https://…). "
                    "Placeholders: {{name}}, {{organisation}}."
                ),
            )

    def clean_documents(self):
        return _ids(self.cleaned_data["documents"])

    def clean_actions(self):
        return _ids(self.cleaned_data["actions"])

    def language_fields(self):
        return [
            (code, name, self[f"subject_{code}"], self[f"body_{code}"])
            for code, name in settings.LANGUAGES
        ]


class SegmentsForm(forms.Form):
    """One side (include or exclude) of an audience."""

    commissions = forms.ModelMultipleChoiceField(
        label=_("Members of the commissions"),
        queryset=Commission.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.BooleanField(label=_("Partner organisations"), required=False)
    kinds = forms.MultipleChoiceField(
        label=_("Organisations of the kinds"),
        choices=OrganisationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Organisations of the regions"),
        queryset=Region.objects.order_by("position", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    meetings = forms.ModelMultipleChoiceField(
        label=_("Participants of the meetings"), queryset=Meeting.objects.none(), required=False
    )
    people = forms.CharField(
        label=_("These people"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "E-mail addresses of people in the directory, one per line or separated by commas."
        ),
    )

    def __init__(self, *args, meeting_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meetings"].queryset = _meeting_choices(meeting_ids)

    def clean_people(self):
        text = self.cleaned_data["people"]
        addresses = {
            part.strip().lower()
            for part in text.replace(";", "\n").replace(",", "\n").splitlines()
            if part.strip()
        }
        if not addresses:
            return []
        from django.db.models.functions import Lower

        found = list(Person.objects.annotate(address=Lower("email")).filter(address__in=addresses))
        missing = sorted(addresses - {p.email.lower() for p in found})
        if missing:
            raise forms.ValidationError(
                _("Nobody in the directory has these addresses: %(addresses)s")
                % {"addresses": ", ".join(missing[:10])}
            )
        return found

    def segments(self, *, exclude: bool) -> list[dict]:
        data = self.cleaned_data
        found = []
        for commission in data["commissions"]:
            found.append({"kind": "commission", "commission": commission})
        if data["partners"]:
            found.append({"kind": "partners"})
        for kind in data["kinds"]:
            found.append({"kind": "kind", "organisation_kind": kind})
        for region in data["regions"]:
            found.append({"kind": "region", "region": region})
        for meeting in data["meetings"]:
            found.append({"kind": "meeting", "meeting": meeting})
        if data["people"]:
            found.append({"kind": "people", "people": data["people"]})
        for segment in found:
            segment["exclude"] = exclude
        return found

    @staticmethod
    def initial_for(segments, *, exclude: bool) -> dict:
        initial = {
            "commissions": [],
            "partners": False,
            "kinds": [],
            "regions": [],
            "meetings": [],
            "people": "",
        }
        emails = []
        for segment in segments:
            if segment.exclude != exclude:
                continue
            if segment.kind == "commission":
                initial["commissions"].append(segment.commission_id)
            elif segment.kind == "partners":
                initial["partners"] = True
            elif segment.kind == "kind":
                initial["kinds"].append(segment.organisation_kind)
            elif segment.kind == "region":
                initial["regions"].append(segment.region_id)
            elif segment.kind == "meeting":
                initial["meetings"].append(segment.meeting_id)
            elif segment.kind == "people":
                emails += [p.email for p in segment.people.all()]
        initial["people"] = "\n".join(emails)
        return initial


class TestSendForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class ScheduleForm(forms.Form):
    scheduled_for = forms.DateTimeField(
        label=_("Send at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class BounceForm(forms.Form):
    emails = forms.CharField(
        label=_("Bounced addresses"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line. Later circulars will not be sent to them."),
    )
    detail = forms.CharField(
        label=_("Reason given by the mail server"), required=False, max_length=500
    )

    def clean_emails(self):
        from django.core.validators import validate_email

        addresses = []
        for line in self.cleaned_data["emails"].replace(",", "\n").splitlines():
            line = line.strip().lower()
            if not line:
                continue
            try:
                validate_email(line)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("Not an e-mail address: %(address)s") % {"address": line}
                ) from None
            addresses.append(line)
        if not addresses:
            raise forms.ValidationError(_("Enter at least one address."))
        return addresses

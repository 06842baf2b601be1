from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from commissions.models import Commission
from entrevilles.importing import FileRefused, decode
from entrevilles.languages import language_name
from network.models import Organisation, Person
from uploads.formats import ACTION_IMPORT, ACTION_UPDATE_ATTACHMENT, accepted, check_upload

from .models import ActionStatus, Priority, Workstream


class ActionForm(forms.Form):
    workstream = forms.ModelChoiceField(label=_("Workstream"), queryset=Workstream.objects.none())
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, initial=0)
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.NORMAL
    )
    owner_organisations = forms.ModelMultipleChoiceField(
        label=_("Owner organisations"), queryset=Organisation.objects.none(), required=False
    )
    owner_commissions = forms.ModelMultipleChoiceField(
        label=_("Owner commissions"), queryset=Commission.objects.all(), required=False
    )
    owner_people = forms.ModelMultipleChoiceField(
        label=_("Owner people"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args, workstreams, organisations, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workstream"].queryset = workstreams
        self.fields["owner_organisations"].queryset = organisations
        self.fields["owner_people"].queryset = people
        for code in settings.LANGUAGE_CODES:
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)")
                % {"language": language_name(code, in_sentence=True)},
                max_length=300,
                required=False,
            )
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description (%(language)s)")
                % {"language": language_name(code, in_sentence=True)},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )

    def clean(self):
        data = super().clean()
        if not any((data.get(f"title_{code}") or "").strip() for code in settings.LANGUAGE_CODES):
            self.add_error(f"title_{settings.LANGUAGE_CODE}", _("Give the action a title."))
        return data

    def translated(self, name: str) -> dict[str, str]:
        return {code: self.cleaned_data[f"{name}_{code}"] for code in settings.LANGUAGE_CODES}


class UpdateForm(forms.Form):
    text = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}))
    progress = forms.IntegerField(
        label=_("Progress (%)"), min_value=0, max_value=100, required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("(unchanged)")), *ActionStatus.choices], required=False
    )
    attachment = forms.FileField(
        label=_("Attachment"), required=False, help_text=accepted(ACTION_UPDATE_ATTACHMENT)
    )


class BulkForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[("", _("(unchanged)")), *ActionStatus.choices],
        required=False,
    )
    priority = forms.TypedChoiceField(
        label=_("New priority"),
        choices=[("", _("(unchanged)")), *Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    due_date = forms.DateField(
        label=_("New due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, ACTION_IMPORT)
        try:
            return decode(upload.read())
        except FileRefused as error:
            raise forms.ValidationError(_("The file must be UTF-8 encoded CSV.")) from error


class WorkstreamForm(forms.Form):
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
                label=_("Title (%(language)s)")
                % {"language": language_name(code, in_sentence=True)},
                max_length=250,
                required=False,
            )

    def clean(self):
        data = super().clean()
        if not any((data.get(f"title_{code}") or "").strip() for code in settings.LANGUAGE_CODES):
            self.add_error(f"title_{settings.LANGUAGE_CODE}", _("Give the workstream a title."))
        return data

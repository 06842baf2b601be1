"""Back office for meetings: reading and light corrections; every change goes through
the services, so the admin is read-only for the record (minutes, decisions, attendance)."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from entrevilles.admin import ReadOnlyAdmin

from .models import Decision, ExternalEvent, Meeting, Participation, Representation


@admin.register(Meeting)
class MeetingAdmin(TranslationAdmin, ReadOnlyAdmin):
    list_display = ["title", "starts_at", "time_zone", "status", "visibility"]
    list_filter = ["status", "visibility", "commissions"]
    search_fields = ["title_en", "title_fr", "title_es"]
    date_hierarchy = "starts_at"


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = ["person", "meeting", "organisation", "status", "registered_at"]
    list_filter = ["status"]
    list_select_related = ["person", "meeting", "organisation"]
    raw_id_fields = ["meeting", "person", "organisation"]


@admin.register(Decision)
class DecisionAdmin(TranslationAdmin, ReadOnlyAdmin):
    list_display = ["number", "meeting", "text"]
    list_select_related = ["meeting"]


@admin.register(ExternalEvent)
class ExternalEventAdmin(TranslationAdmin, ReadOnlyAdmin):
    list_display = ["title", "organiser", "starts_on", "place"]


@admin.register(Representation)
class RepresentationAdmin(ReadOnlyAdmin):
    list_display = ["event", "organisation", "person", "reported_at"]
    list_select_related = ["event", "organisation", "person"]

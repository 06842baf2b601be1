from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entrevilles.integers import parse_id

from . import authentication, forms, permissions, profile_sections, services
from .invitations import directory
from .models import Invitation, InvitationStatus, User


@require_POST
def set_language(request):
    """Switches the interface language; remembered in a cookie and in the person's profile."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in settings.LANGUAGE_CODES:
        if request.user.is_authenticated:
            services.set_preferred_language(request.user, language, actor=request.user)
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@login_required
def profile(request):
    """The signed-in person's language, what other apps keep about them (their contact
    details in the directory), and their roles."""
    user = request.user
    sections = profile_sections.sections(user)
    initial = {"preferred_language": user.preferred_language}
    for section in sections:
        initial.update(section.initial())
    form = forms.ProfileForm(
        request.POST if request.method == "POST" else None, initial=initial, sections=sections
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            with transaction.atomic():
                services.set_preferred_language(user, data["preferred_language"], actor=user)
                for section in sections:
                    section.save(data, actor=user)
            # The page after the redirect speaks the language just chosen.
            translation.activate(user.preferred_language)
            messages.success(request, _("Your profile is saved."))
            response = redirect("accounts:profile")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.preferred_language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return response
        status = 400
    roles = user.role_assignments.select_related("commission", "organisation").order_by(
        "role", "id"
    )
    context = {
        "profile_user": user,
        "form": form,
        "sections": [section.render(form) for section in sections],
        "roles": roles,
        "can_invite": permissions.can_invite_anyone(user),
        "has_second_factor": authentication.has_second_factor(user),
        "can_remove_second_factor": permissions.can_remove_own_second_factor(user),
        "tokens": list(user.personal_tokens.active()),
        "token_form": forms.PersonalTokenForm(),
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
@authentication.recent_check_required
def invite(request):
    """Invite someone by e-mail to a role the signed-in person may hand out."""
    if not permissions.can_invite_anyone(request.user):
        raise PermissionDenied
    initial = {"language": translation.get_language()}
    for name in ("role", "commission", "organisation", "email", "person"):
        if name in request.GET:
            initial[name] = request.GET[name]
    person_id = parse_id(request.GET.get("person"))
    if request.method == "GET" and person_id is not None:
        # Inviting someone from their directory entry: their address and language.
        person = directory().person(person_id)
        if person is not None:
            prefilled = directory().invitation_initial(person)
            initial = {**prefilled, **initial, "language": prefilled["language"]}
    form = forms.InvitationForm(
        request.POST if request.method == "POST" else None, initial=initial, user=request.user
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            # The form offers only permitted scopes; this refuses a forged post.
            if not permissions.can_invite(
                request.user, data["role"], data["commission"], data["organisation"]
            ):
                raise PermissionDenied
            invitation = services.invite(
                data["email"],
                role=data["role"],
                commission=data["commission"],
                organisation=data["organisation"],
                person=data["person"],
                language=data["language"],
                actor=request.user,
            )
            messages.success(
                request,
                _("The invitation is on its way to %(email)s.") % {"email": invitation.email},
            )
            return redirect("accounts:invitations")
        status = 400
    return render(request, "accounts/invite.html", {"form": form}, status=status)


INVITATIONS_SHOWN = 200


@login_required
def invitations(request):
    """Pending and recent invitations in the scopes the signed-in person manages."""
    if not permissions.can_invite_anyone(request.user):
        raise PermissionDenied
    rows = list(
        permissions.visible_invitations(request.user)
        .select_related("commission", "organisation", "invited_by")
        .order_by("-created_at", "-id")[:INVITATIONS_SHOWN]
    )
    pending = [row for row in rows if row.status == InvitationStatus.PENDING]
    closed = [row for row in rows if row.status != InvitationStatus.PENDING]
    return render(request, "accounts/invitations.html", {"pending": pending, "closed": closed})


def _managed_invitation(request, pk) -> Invitation:
    """An invitation the signed-in person may resend or revoke; 404 for the rest, so
    that nothing tells an outsider which invitations exist."""
    invitation = get_object_or_404(
        permissions.visible_invitations(request.user).select_related("commission", "organisation"),
        pk=pk,
    )
    if not permissions.can_manage_invitation(request.user, invitation):
        raise PermissionDenied
    return invitation


@login_required
@require_POST
def resend_invitation(request, pk):
    invitation = _managed_invitation(request, pk)
    try:
        services.resend_invitation(invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:invitations")
    messages.success(
        request, _("The invitation to %(email)s was sent again.") % {"email": invitation.email}
    )
    return redirect("accounts:invitations")


@login_required
@require_POST
def revoke_invitation(request, pk):
    invitation = _managed_invitation(request, pk)
    try:
        services.revoke_invitation(invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:invitations")
    messages.success(
        request,
        _("The invitation to %(email)s no longer works.") % {"email": invitation.email},
    )
    return redirect("accounts:invitations")


def accept_invitation(request, token):
    """The page an invitation's link opens.

    A new address sets a name and password here and is signed in. An address that
    already has an account signs in first, then confirms. A closed invitation gets a
    page saying why, with status 410 Gone; an unknown token gets 404.
    """
    invitation = (
        Invitation.objects.select_related("commission", "organisation", "person", "invited_by")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        return render(request, "accounts/invitation_unknown.html", status=404)
    if invitation.status != InvitationStatus.PENDING:
        return render(
            request, "accounts/invitation_closed.html", {"invitation": invitation}, status=410
        )
    # Until a person chooses otherwise, the pages speak the invitation's language.
    if not request.user.is_authenticated and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(invitation.language)
    context = {"invitation": invitation}
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if request.user.is_authenticated:
        if request.user.email.lower() != invitation.email.lower():
            return render(request, "accounts/invitation_other_account.html", context, status=403)
        if request.method == "POST":
            try:
                services.accept_invitation_as_existing_user(invitation, user=request.user)
            except services.InvitationClosed:
                invitation.refresh_from_db()
                return render(request, "accounts/invitation_closed.html", context, status=410)
            messages.success(request, _("Welcome! Your new role is active."))
            return redirect("accounts:profile")
        return render(request, "accounts/invitation_confirm.html", context)
    if existing is not None:
        login_url = reverse("accounts:login") + "?next=" + request.path
        return render(
            request,
            "accounts/invitation_login_first.html",
            {**context, "login_url": login_url},
        )
    initial = {}
    if invitation.person is not None:
        initial = {
            "first_name": invitation.person.first_name,
            "last_name": invitation.person.last_name,
        }
    form = forms.AcceptInvitationForm(
        request.POST if request.method == "POST" else None, initial=initial, invitation=invitation
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.accept_invitation_as_new_user(
                    invitation,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    password=data["password1"],
                )
            except services.InvitationClosed:
                # Accepted or revoked in another tab meanwhile.
                invitation.refresh_from_db()
                return render(request, "accounts/invitation_closed.html", context, status=410)
            login(request, user, backend="accounts.backends.KeptUserBackend")
            translation.activate(user.preferred_language)
            messages.success(request, _("Welcome to Entrevilles! Your account is ready."))
            return redirect("accounts:profile")
        status = 400
    return render(
        request, "accounts/invitation_accept.html", {**context, "form": form}, status=status
    )

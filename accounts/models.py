from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    """People log in with their e-mail address; there is no separate username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=settings.LANGUAGES,
        default="en",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.email


class Role(models.TextChoices):
    NETWORK_ADMIN = "network_admin", _("Network administrator")
    SECRETARIAT = "secretariat", _("Commission secretariat")
    PRESIDENCY = "presidency", _("Commission presidency")
    REPRESENTATIVE = "representative", _("Organisation representative")


class RoleAssignment(models.Model):
    """A role a user holds within a scope.

    Network administrators have no scope; secretariat and presidency roles are scoped
    to one commission; a representative acts for one organisation.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    commission = models.ForeignKey(
        "commissions.Commission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("commission"),
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(role="network_admin"),
                name="unique_network_admin_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "commission"],
                condition=models.Q(commission__isnull=False),
                name="unique_commission_role",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="unique_representative_role",
            ),
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    models.Q(role="network_admin", commission=None, organisation=None)
                    | models.Q(
                        role__in=["secretariat", "presidency"],
                        commission__isnull=False,
                        organisation=None,
                    )
                    | models.Q(role="representative", commission=None, organisation__isnull=False)
                ),
            ),
        ]

    def __str__(self):
        scope = self.commission or self.organisation or ""
        return f"{self.get_role_display()} {scope}".strip()

    def clean(self):
        """Explain, field by field, a scope that does not fit the role."""
        errors = {}
        if self.role == Role.NETWORK_ADMIN:
            if self.commission_id:
                errors["commission"] = _("A network administrator has no commission.")
            if self.organisation_id:
                errors["organisation"] = _("A network administrator has no organisation.")
        elif self.role in (Role.SECRETARIAT, Role.PRESIDENCY):
            if not self.commission_id:
                errors["commission"] = _("This role needs a commission.")
            if self.organisation_id:
                errors["organisation"] = _("This role has no organisation.")
        elif self.role == Role.REPRESENTATIVE:
            if not self.organisation_id:
                errors["organisation"] = _("This role needs an organisation.")
            if self.commission_id:
                errors["commission"] = _("This role has no commission.")
        if errors:
            raise ValidationError(errors)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Neither accepted, revoked nor expired."""
        return self.filter(accepted_at=None, revoked_at=None, expires_at__gt=timezone.now())


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class Invitation(models.Model):
    """An invitation by e-mail to join the platform with a role.

    The token in the link is the only secret: it is random, unique, and stops working
    once the invitation is accepted, revoked or expired.
    """

    email = models.EmailField(_("e-mail address"))
    person = models.ForeignKey(
        "network.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    commission = models.ForeignKey(
        "commissions.Commission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("commission"),
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=settings.LANGUAGES, default="en"
    )
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["email"], name="invitation_email")]

    def __str__(self):
        return self.email

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if self.revoked_at is not None:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    def get_status_display(self) -> str:
        return InvitationStatus(self.status).label

    @property
    def scope(self):
        """The commission or organisation the role applies to, if any."""
        return self.commission or self.organisation


class PersonalTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at=None)


class PersonalToken(models.Model):
    """A key a person created for a script to use the API on their behalf.

    Only a SHA-256 digest of the key is kept: the key itself is shown once, when made.
    A key acts with all of its owner's rights until it is revoked.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="personal_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    # The first characters of the key, so that its owner can tell keys apart.
    prefix = models.CharField(_("begins with"), max_length=12)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = PersonalTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("personal API token")
        verbose_name_plural = _("personal API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

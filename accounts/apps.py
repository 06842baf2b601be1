from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save

        from . import authentication  # noqa: F401 - connects the login receiver
        from .models import RoleAssignment
        from .permissions import forget_kept_assignments

        # Each page reads the roles kept between requests: any write of one forgets them.
        for name, signal in (
            ("pre-save", pre_save),
            ("save", post_save),
            ("delete", post_delete),
        ):
            signal.connect(
                forget_kept_assignments,
                sender=RoleAssignment,
                dispatch_uid=f"accounts:kept-roles:{name}",
            )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save
        from django_otp import device_classes

        from . import authentication  # noqa: F401 - connects the login receiver
        from .kept_users import forget_device_holder, forget_user
        from .models import RoleAssignment, User
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

        # Each signed-in request reads its person's row and devices kept between requests:
        # any write of one forgets them (bulk deletes of devices send these signals too).
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(forget_user, sender=User, dispatch_uid=f"accounts:kept-user:{name}")
            for model in device_classes():
                signal.connect(
                    forget_device_holder,
                    sender=model,
                    dispatch_uid=f"accounts:kept-devices:{model._meta.label}:{name}",
                )

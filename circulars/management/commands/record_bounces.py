import mailbox
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from circulars import services
from circulars.bounces import read_mailbox
from circulars.models import SuppressionReason


class Command(BaseCommand):
    help = (
        "Records bounces: the delivery status notifications (RFC 3464) of a maildir or mbox "
        "given with --mailbox, or addresses given as arguments or one per line on standard "
        "input. Later circulars skip them; the deliveries they were about are marked bounced."
    )

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="*")
        parser.add_argument("--detail", default="")
        parser.add_argument(
            "--mailbox",
            dest="mailbox_path",
            help="A maildir (folder with cur/ and new/) or an mbox file holding bounce reports.",
        )

    def handle(self, *args, emails, detail, mailbox_path, **options):
        if mailbox_path:
            return self._mailbox(mailbox_path)
        addresses = emails or [line.strip() for line in sys.stdin if line.strip()]
        recorded = 0
        for address in addresses:
            try:
                services.suppress(
                    address, reason=SuppressionReason.BOUNCED, detail=detail, actor=None
                )
            except ValidationError as error:
                self.stderr.write(f"{address}: {' '.join(error.messages)}")
                continue
            recorded += 1
        self.stdout.write(f"{recorded} bounced addresses recorded")

    def _mailbox(self, path):
        try:
            report = read_mailbox(path)
        except (OSError, mailbox.Error) as error:
            raise CommandError(f"Cannot read the mailbox {path}: {error}") from error
        marked = 0
        addresses = set()
        for bounce in report.bounces:
            try:
                _suppression, count = services.record_bounce(
                    bounce.email, detail=bounce.detail, message_id=bounce.message_id, actor=None
                )
            except ValidationError as error:
                self.stderr.write(f"{bounce.email}: {' '.join(error.messages)}")
                continue
            addresses.add(bounce.email)
            marked += count
        self.stdout.write(
            f"{report.read} messages read, {report.reports} bounce reports; "
            f"{len(addresses)} bounced addresses recorded, {marked} deliveries marked bounced"
        )

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from circulars import services
from circulars.models import SuppressionReason


class Command(BaseCommand):
    help = "Records bounced addresses (arguments, or one per line on standard input)."

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="*")
        parser.add_argument("--detail", default="")

    def handle(self, *args, emails, detail, **options):
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

"""The local SMTP mail sink of the embedded default: every message lands in a folder."""

import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller


class FolderHandler:
    """Writes each message it receives to `folder` as an .eml file."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
        target = self.folder / name
        partial = target.with_suffix(".part")
        partial.write_bytes(envelope.original_content or envelope.content)
        partial.rename(target)  # readers never see half a message
        return "250 Message accepted for delivery"


def start_sink(folder: Path, host: str = "127.0.0.1", port: int = 1025) -> Controller:
    controller = Controller(FolderHandler(folder), hostname=host, port=port)
    controller.start()
    return controller

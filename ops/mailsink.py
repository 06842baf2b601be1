"""The local SMTP mail sink of the embedded default: every message lands in a folder."""

import socket
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


def bind_port(host: str, port: int) -> socket.socket:
    """A listening socket on `port`, or on a free port when that one is taken.

    The socket is bound once and handed to the SMTP server as it is: probing a port and
    binding it later lets a second instance started at the same moment take it between.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind((host, port))
    except OSError:
        listener.bind((host, 0))
    listener.listen(100)
    return listener


class BoundController(Controller):
    """aiosmtpd's threaded server, on a socket bound beforehand (see bind_port)."""

    def __init__(self, handler, listener: socket.socket, **kwargs):
        host, port = listener.getsockname()[:2]
        super().__init__(handler, hostname=host, port=port, **kwargs)
        self.listener = listener

    def _create_server(self):
        return self.loop.create_server(
            self._factory_invoker, sock=self.listener, ssl=self.ssl_context
        )

    def is_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()


def start_sink(
    folder: Path, host: str = "127.0.0.1", port: int = 1025, *, ident: str | None = None
) -> BoundController:
    """The sink on `port`, or on a free port when it is taken (see `.port`).

    `ident` is written in the server's greeting, so that a health check can tell this
    sink from another one listening on the same address.
    """
    controller = BoundController(FolderHandler(folder), bind_port(host, port), ident=ident)
    controller.start()
    return controller


def sink_answers(host: str, port: int, ident: str, timeout: float = 2.0) -> bool:
    """True when the SMTP server at host:port greets with `ident` (our own sink)."""
    try:
        with socket.create_connection((host, port), timeout) as connection:
            connection.settimeout(timeout)
            greeting = connection.recv(512).decode("ascii", "replace")
            connection.sendall(b"QUIT\r\n")
    except OSError:
        return False
    return greeting.startswith("220") and ident in greeting

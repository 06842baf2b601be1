"""A counting SMTP sink in a process of its own (for benchmark_circulars).

Like a real relay, it does not share the sender's interpreter: in-process, the sink and the
sender would take turns on one interpreter lock, and every database call of the sender
would hand the sink a turn. It keeps each received message's Message-ID, and tells them
over a pipe. No Django here: the child process imports only this module.
"""

import multiprocessing


class _Counting:
    def __init__(self):
        self.ids: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        head = envelope.content.split(b"\r\n\r\n", 1)[0]
        message_id = ""
        for line in head.split(b"\r\n"):
            if line[:11].lower() == b"message-id:":
                message_id = line[11:].strip().decode()
                break
        self.ids.append(message_id)
        return "250 OK"


def _serve(port: int, pipe) -> None:
    from aiosmtpd.controller import Controller

    handler = _Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    pipe.send("ready")
    try:
        while True:
            command = pipe.recv()
            if command == "ids":
                pipe.send(list(handler.ids))
            elif command == "clear":
                handler.ids.clear()
                pipe.send("ok")
            else:
                break
    finally:
        controller.stop()


class SinkProcess:
    """The sink on 127.0.0.1:`port` in a child process; `ids` are the Message-IDs received."""

    def __init__(self, port: int):
        context = multiprocessing.get_context("spawn")
        self._pipe, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(port, child), daemon=True)
        self.process.start()
        if not self._pipe.poll(60) or self._pipe.recv() != "ready":
            self.process.kill()
            raise RuntimeError("the SMTP sink did not start")

    @property
    def ids(self) -> list[str]:
        self._pipe.send("ids")
        return self._pipe.recv()

    def clear(self) -> None:
        self._pipe.send("clear")
        self._pipe.recv()

    def stop(self) -> None:
        self._pipe.send("stop")
        self.process.join(30)
        if self.process.is_alive():
            self.process.kill()

"""A circular's body rendered by several of the pool's threads at the same moment."""

import sys
import threading

import mdurl._encode

from circulars import markup

BODY = "Dear {{ name }}, the [minutes](https://example.org/meetings/12/) are online."


def test_the_pool_threads_first_renders_at_the_same_moment_all_give_the_body():
    # A fresh worker process: the link encoder has not yet built its lookup tables, and
    # each member of the pool renders its first message at once. Threads switch as often
    # as the interpreter allows, as on a loaded machine.
    expected = markup.render_html(BODY)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)
    try:
        for _trial in range(200):
            mdurl._encode.encode_cache.clear()
            start = threading.Barrier(8)
            rendered, errors = [], []

            def member(start=start, rendered=rendered, errors=errors):
                start.wait()
                try:
                    rendered.append(markup.render_html(BODY))
                except Exception as error:  # noqa: BLE001 - reported by the assertion
                    errors.append(error)

            threads = [threading.Thread(target=member) for _n in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert errors == []
            assert rendered == [expected] * 8
    finally:
        sys.setswitchinterval(interval)

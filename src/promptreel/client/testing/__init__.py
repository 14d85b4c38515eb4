"""A small in-process server speaking the wire protocol, for testing clients of it.

``FakeServer`` is not promptreel's backend: it keeps everything in memory, runs a scripted
agent, and lets a test inject any protocol error, slow or silent turns, heartbeats, and a
stream dropped mid-turn — the cases a client must survive but a real backend rarely shows on
demand. It speaks the same paths, fields and codes as ``PROTOCOL.md``.

    with FakeServer() as fake:
        fake.script(Turn([Say("hello"), Done()]))
        client = Client(fake.url)
"""

from promptreel.client.testing.script import Done, DraftEdit, Quiet, Say, Tool, Turn, generated_draft
from promptreel.client.testing.serve import serve_in_thread
from promptreel.client.testing.server import FakeServer

__all__ = [
    "Done",
    "DraftEdit",
    "FakeServer",
    "Quiet",
    "Say",
    "Tool",
    "Turn",
    "generated_draft",
    "serve_in_thread",
]

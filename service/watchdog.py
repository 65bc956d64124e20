"""A deadline for a whole exchange with a server, not for each wait on its socket."""
from __future__ import annotations

import socket
import threading


class Watchdog:
    """Shuts the watched socket when its time is up, wherever the exchange waits. A socket's own timeout bounds
    each wait, not the exchange: a server that sends a byte now and then, or answers each step just inside the
    timeout, never trips it, and the worker, with duty alerts behind it and a lease on what it holds, must not
    wait on it for ever. Used by the LibreTranslate client and the SMTP sender."""

    def __init__(self, seconds: float) -> None:
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self.fired = False

    def __enter__(self) -> "Watchdog":
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        """Watch `sock` (in place of the one watched before: a TLS socket that took a plain one's place)."""
        with self._lock:
            self._sock = sock
            if self.fired:
                self._shut()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            self._shut()

    def _shut(self) -> None:
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass   # closed already

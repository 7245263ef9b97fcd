"""Loaded by Python subprocesses of the harness when `unshare -n` is unavailable: no network."""

import socket

_LOOPBACK = {"localhost", "127.0.0.1", "::1"}
_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo


def _connect(self, address):
    if isinstance(address, tuple) and str(address[0]) not in _LOOPBACK:
        raise RuntimeError(
            f"network access to {address[0]}:{address[1]} refused: examples run offline"
        )
    return _real_connect(self, address)


def _getaddrinfo(host, port, *args, **kwargs):
    if host is not None and str(host) not in _LOOPBACK:
        raise RuntimeError(f"network access to {host}:{port} refused: examples run offline")
    return _real_getaddrinfo(host, port, *args, **kwargs)


socket.socket.connect = _connect
socket.getaddrinfo = _getaddrinfo

#!/usr/bin/env python3
"""freeze-proxy.py LISTEN_PORT TARGET_PORT: a TCP proxy on 127.0.0.1 that
forwards both ways until it gets SIGUSR1, then keeps every connection open
but forwards nothing more: a console that stalls without closing.
Prints "ready" when listening."""
import selectors
import signal
import socket
import sys

frozen = False


def freeze(_sig, _frame):
    global frozen
    frozen = True


def main():
    listen_port, target_port = int(sys.argv[1]), int(sys.argv[2])
    signal.signal(signal.SIGUSR1, freeze)
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", listen_port))
    srv.listen(8)
    sel = selectors.DefaultSelector()
    sel.register(srv, selectors.EVENT_READ, None)
    print("ready", flush=True)
    while True:
        for key, _ in sel.select(timeout=0.1):
            if key.data is None:
                client, _ = srv.accept()
                upstream = socket.create_connection(("127.0.0.1", target_port))
                sel.register(client, selectors.EVENT_READ, upstream)
                sel.register(upstream, selectors.EVENT_READ, client)
                continue
            if frozen:
                continue
            try:
                data = key.fileobj.recv(65536)
            except OSError:
                data = b""
            if not data:
                sel.unregister(key.fileobj)
                key.fileobj.close()
                continue
            key.data.sendall(data)


if __name__ == "__main__":
    main()

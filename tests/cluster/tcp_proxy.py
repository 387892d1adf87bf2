"""A TCP proxy: `python tcp_proxy.py LISTEN_HOST:PORT TARGET_HOST:PORT`.

The web nodes of the multi-node harness reach PostgreSQL through it. Killing it cuts every
connection at once and refuses new ones, as a database failover or a network cut would;
starting it again on the same port brings the database back, without touching the server.
"""

import selectors
import socket
import sys
import threading


def pipe(source: socket.socket, target: socket.socket) -> None:
    selector = selectors.DefaultSelector()
    selector.register(source, selectors.EVENT_READ, target)
    selector.register(target, selectors.EVENT_READ, source)
    try:
        while True:
            for key, _ in selector.select():
                data = key.fileobj.recv(65536)
                if not data:
                    return
                key.data.sendall(data)
    except OSError:
        return
    finally:
        source.close()
        target.close()


def main(listen: str, target: str) -> None:
    host, port = listen.rsplit(":", 1)
    target_host, target_port = target.rsplit(":", 1)
    server = socket.create_server((host, int(port)))
    while True:
        client, _ = server.accept()
        try:
            upstream = socket.create_connection((target_host, int(target_port)), timeout=5)
        except OSError:
            client.close()
            continue
        upstream.settimeout(None)
        threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

#!/usr/bin/python3
"""A libtorrent 2.0 peer for interop tests and the bench, confined to 127.0.0.1 (and [::1] with --ipv6).

Run with Debian's /usr/bin/python3 (python3-libtorrent). Modes:
  seed   --torrent F --dir D [--seed-mode] [--lie]   seeds the data in D
  leech  --torrent F | --magnet URI, --dir D           downloads into D
  dht                                                  a bare DHT node (implies --dht)
Common options: --port N (0: any), --ipv6 {also,only} (listen on [::1] too, or only there: BEP 32's
IPv6 DHT runs on that socket), --dht-max-peers-reply N (a DHT node that gives out no peers: 0), --utp-only, --tcp-only, --peer HOST:PORT (dial it; repeatable),
--dht [--dht-bootstrap HOST:PORT], --status-interval-ms N, --out-enc {disabled,enabled,forced}.

stdout: one JSON object per line —
  {"event":"ready","port":N,"info_hash":"..."}   listening, torrent added (metadata may be pending)
  {"event":"status",...}                          every --status-interval-ms
  {"event":"checked"} {"event":"finished"} {"event":"metadata"}
  {"event":"hash_failed","piece":N} {"event":"error","message":"..."}
stdin: one JSON command a line —
  {"id":N,"upload_limit":BYTES_PER_S,"download_limit":BYTES_PER_S}   changes the rate limits (either
      may be left out; 0 = none) and answers {"event":"limits","id":N,"upload_limit":..,"download_limit":..}
Exits when stdin reaches EOF (the parent went away) or on SIGTERM/SIGINT.
"""
import argparse
import json
import os
import queue
import signal
import sys
import threading
import time

import libtorrent as lt

ENC_POLICY = {"forced": 0, "enabled": 1, "disabled": 2}
ENC_LEVEL = {"plaintext": 1, "rc4": 2, "both": 3}
stop_event = threading.Event()
commands = queue.Queue()


def emit(event, **fields):
    fields["event"] = event
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["seed", "leech", "dht"])
    p.add_argument("--torrent")
    p.add_argument("--magnet")
    p.add_argument("--dir", default=".")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--ipv6", choices=["also", "only"],
                   help="listen on [::1] as well as 127.0.0.1, or on [::1] only (libtorrent runs a DHT node per socket)")
    p.add_argument("--dht-max-peers-reply", type=int, default=100,
                   help="peers a DHT node gives per get_peers answer: 0 makes it a router that only names nodes")
    p.add_argument("--seed-mode", action="store_true", help="seed without checking the data first")
    p.add_argument("--lie", action="store_true",
                   help="disable hash checks, so altered bytes in --dir are served as they are")
    p.add_argument("--utp-only", action="store_true")
    p.add_argument("--tcp-only", action="store_true")
    p.add_argument("--no-outgoing", action="store_true", help="dial nobody: only peers that reach it")
    p.add_argument("--peer", action="append", default=[], help="HOST:PORT to connect to")
    p.add_argument("--dht", action="store_true")
    p.add_argument("--dht-bootstrap", action="append", default=[], help="HOST:PORT of a DHT node")
    p.add_argument("--status-interval-ms", type=int, default=1000)
    p.add_argument("--out-enc", choices=list(ENC_POLICY), default="disabled",
                   help="outgoing encryption (MSE); incoming accepts both unless --in-enc")
    p.add_argument("--in-enc", choices=list(ENC_POLICY), default="enabled",
                   help="incoming encryption (MSE): forced refuses plaintext peers")
    p.add_argument("--enc-level", choices=list(ENC_LEVEL), default="both",
                   help="payload encryption allowed: rc4 makes a forced peer insist on RC4")
    p.add_argument("--upload-limit", type=int, default=0, help="bytes/s, 0 = none")
    p.add_argument("--download-limit", type=int, default=0, help="bytes/s, 0 = none")
    return p.parse_args()


def session_settings(args):
    """Every setting that keeps libtorrent on loopback, plus what makes it fast there."""
    settings = lt.high_performance_seed() if args.mode == "seed" else {}
    dht = args.dht or args.mode == "dht"
    settings.update({
        "listen_interfaces": listen_interfaces(args, args.port),
        "outgoing_interfaces": "",
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_ip_notifier": False,
        "enable_dht": dht,
        "dht_bootstrap_nodes": ",".join(args.dht_bootstrap),
        "dht_restrict_routing_ips": False,
        "dht_restrict_search_ips": False,
        "dht_extended_routing_table": False,
        "dht_max_peers_reply": args.dht_max_peers_reply,
        "allow_multiple_connections_per_ip": True,
        "ssrf_mitigation": False,          # web seeds and trackers on 127.0.0.1 with any path
        "announce_to_all_trackers": True,
        "announce_to_all_tiers": True,
        "min_reconnect_time": 1,           # default 60 s: a refused dial would stall a test
        "peer_connect_timeout": 5,
        "smooth_connects": False,
        "upload_rate_limit": args.upload_limit,
        "download_rate_limit": args.download_limit,
        "unchoke_slots_limit": -1,          # no choking among the few test peers
        "in_enc_policy": ENC_POLICY[args.in_enc],
        "allowed_enc_level": ENC_LEVEL[args.enc_level],
        "prefer_rc4": args.enc_level == "rc4",
        "out_enc_policy": ENC_POLICY[args.out_enc],
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification
                      | lt.alert.category_t.storage_notification,
        "disable_hash_checks": args.lie,
        "user_agent": "libtorrent-test-peer",
    })
    if args.utp_only:
        settings.update({"enable_outgoing_tcp": False, "enable_incoming_tcp": False,
                         "enable_outgoing_utp": True, "enable_incoming_utp": True})
    if args.tcp_only:
        settings.update({"enable_outgoing_utp": False, "enable_incoming_utp": False,
                         "enable_outgoing_tcp": True, "enable_incoming_tcp": True})
    if args.no_outgoing:
        settings.update({"enable_outgoing_tcp": False, "enable_outgoing_utp": False})
    return settings


def listen_interfaces(args, port):
    if args.ipv6 == "only":
        return "[::1]:%d" % port
    if args.ipv6 == "also":
        return "127.0.0.1:%d,[::1]:%d" % (port, port)
    return "127.0.0.1:%d" % port


def same_port_on_ipv6(ses, args):
    """With --ipv6 also and --port 0 each address gets its own port: move [::1] to the IPv4 one."""
    if args.ipv6 == "also" and args.port == 0:
        ses.apply_settings({"listen_interfaces": listen_interfaces(args, ses.listen_port())})


def add_torrent(ses, args):
    if args.torrent:
        params = lt.add_torrent_params()
        params.ti = lt.torrent_info(args.torrent)
    elif args.magnet:
        params = lt.parse_magnet_uri(args.magnet)
    else:
        sys.exit("seed and leech need --torrent or --magnet")
    params.save_path = args.dir
    flags = params.flags
    flags &= ~lt.torrent_flags.auto_managed
    flags &= ~lt.torrent_flags.paused
    if args.seed_mode:
        flags |= lt.torrent_flags.seed_mode
    params.flags = flags
    handle = ses.add_torrent(params)
    for peer in args.peer:
        host, port = peer.rsplit(":", 1)
        handle.connect_peer((host, int(port)))
    handle.force_reannounce(0, -1)
    if args.dht or args.mode == "dht":
        handle.force_dht_announce()
    return handle


def status_fields(ses, handle):
    if handle is None:
        return {"dht_nodes": ses.status().dht_nodes}
    st = handle.status()
    return {
        "state": str(st.state),
        "progress": st.progress,
        "peers": st.num_peers,
        "seeds": st.num_seeds,
        "upload_rate": st.upload_rate,
        "download_rate": st.download_rate,
        "total_upload": st.total_upload,
        "total_download": st.total_download,
        "total_done": st.total_done,
        "is_seeding": st.is_seeding,
    }


def handle_alert(alert, ses, handle, args):
    if isinstance(alert, lt.torrent_finished_alert):
        emit("finished", **status_fields(ses, handle))
    elif isinstance(alert, lt.torrent_checked_alert):
        emit("checked")
    elif isinstance(alert, lt.metadata_received_alert):
        emit("metadata")
    elif isinstance(alert, lt.hash_failed_alert):
        emit("hash_failed", piece=alert.piece_index)
    elif isinstance(alert, lt.listen_failed_alert):
        emit("error", message="listen failed: " + alert.message())
    elif isinstance(alert, (lt.torrent_error_alert, lt.file_error_alert)):
        emit("error", message=alert.message())
    elif isinstance(alert, lt.tracker_error_alert):
        emit("tracker_error", message=alert.message())


def read_stdin_commands():
    """Queues each line for the main loop (libtorrent is driven from one thread); EOF stops."""
    try:
        for line in iter(sys.stdin.buffer.readline, b""):
            if line.strip():
                commands.put(line.decode("utf-8", "replace").strip())
    except Exception:
        pass
    stop_event.set()


def limit_loopback_too(ses):
    """libtorrent exempts local peers (127.0.0.1 included) from rate limits; put every address in
    the global peer class so the limits apply on loopback too."""
    peer_filter = lt.ip_filter()
    peer_filter.add_rule("0.0.0.0", "255.255.255.255", 1 << lt.session.global_peer_class_id)
    ses.set_peer_class_filter(peer_filter)


def run_command(ses, line):
    try:
        command = json.loads(line)
    except ValueError:
        emit("error", message="not a JSON command: " + line)
        return
    changes = {}
    if "upload_limit" in command:
        changes["upload_rate_limit"] = int(command["upload_limit"])
    if "download_limit" in command:
        changes["download_rate_limit"] = int(command["download_limit"])
    if any(changes.values()):
        limit_loopback_too(ses)
    ses.apply_settings(changes)
    settings = ses.get_settings()
    emit("limits", id=command.get("id"), upload_limit=settings["upload_rate_limit"],
         download_limit=settings["download_rate_limit"])


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: stop_event.set())
    signal.signal(signal.SIGINT, lambda *_: stop_event.set())
    threading.Thread(target=read_stdin_commands, daemon=True).start()

    ses = lt.session(session_settings(args))
    if args.upload_limit or args.download_limit:
        limit_loopback_too(ses)
    deadline = time.monotonic() + 5
    port = ses.listen_port()
    while port == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
        port = ses.listen_port()
    if port == 0:
        emit("error", message="not listening")
        return 1
    same_port_on_ipv6(ses, args)
    handle = add_torrent(ses, args) if args.mode != "dht" else None
    info_hash = str(handle.info_hash()) if handle is not None else None
    emit("ready", port=port, info_hash=info_hash, pid=os.getpid())

    interval = args.status_interval_ms / 1000.0
    next_status = time.monotonic()
    while not stop_event.is_set():
        ses.wait_for_alert(100)
        for alert in ses.pop_alerts():
            handle_alert(alert, ses, handle, args)
        while not commands.empty():
            run_command(ses, commands.get())
        if args.status_interval_ms > 0 and time.monotonic() >= next_status:
            emit("status", **status_fields(ses, handle))
            next_status = time.monotonic() + interval
    emit("stopping", **status_fields(ses, handle))
    return 0


if __name__ == "__main__":
    sys.exit(main())

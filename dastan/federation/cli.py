"""`dastan federation …`: who this node is, peering (follow, accept, decline, end), what
is shared with each peer, syncing and resyncing, and key rotation. Runs on the server, as
the node's operator."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from typing import Any

from django.utils.translation import gettext


def register(sub: Any) -> None:
    fed = sub.add_parser("federation", help=gettext("peer with other Dastan nodes and exchange titles with them"),
                         description=gettext("Peering is approved by people on both nodes; nothing flows before."))
    verbs = fed.add_subparsers(dest="federation_command", metavar="VERB")
    p = verbs.add_parser("identity", help=gettext("print this node's discovery document"))
    p.set_defaults(func=cmd_identity)
    p = verbs.add_parser("follow", help=gettext("ask another node to peer with this one"))
    p.add_argument("url", help=gettext("the other node's public address (https://…)"))
    p.set_defaults(func=cmd_follow)
    p = verbs.add_parser("accept", help=gettext("accept a pending request to peer"))
    p.add_argument("peer", help=gettext("peer id, address or name"))
    p.set_defaults(func=cmd_accept)
    p = verbs.add_parser("decline", help=gettext("decline a pending request, with a reason the other node sees"))
    p.add_argument("peer")
    p.add_argument("--reason", required=True)
    p.set_defaults(func=cmd_decline)
    p = verbs.add_parser("end", help=gettext("end peering with a node"))
    p.add_argument("peer")
    p.add_argument("--reason", default="")
    p.set_defaults(func=cmd_end)
    p = verbs.add_parser("peers", help=gettext("list peers with their sync ledger"))
    p.set_defaults(func=cmd_peers)
    p = verbs.add_parser("share", help=gettext("share all published titles with a peer, or named organisations' only"))
    p.add_argument("peer")
    p.add_argument("--organisation", action="append", default=[], help=gettext("owner slug; repeat; none: all"))
    p.set_defaults(func=cmd_share)
    p = verbs.add_parser("mirror", help=gettext("keep cache copies of a peer's films where its licences allow, or not"))
    p.add_argument("peer")
    p.add_argument("state", choices=["on", "off"])
    p.set_defaults(func=cmd_mirror)
    p = verbs.add_parser("sync", help=gettext("push changes to every accepted peer and pull theirs"))
    p.add_argument("--every", type=float, default=0, help=gettext("keep syncing, every this many seconds"))
    p.add_argument("--force", action="store_true", help=gettext("also peers waiting for their retry time"))
    p.add_argument("--page-size", type=int, default=200, help=gettext("documents per feed page read (default 200)"))
    p.set_defaults(func=cmd_sync)
    p = verbs.add_parser("resync", help=gettext("read a peer's feed again from a position (0: from scratch)"))
    p.add_argument("peer")
    p.add_argument("--since", type=int, default=0)
    p.set_defaults(func=cmd_resync)
    p = verbs.add_parser("offer", help=gettext("offer a subtitle track of a peer's title to its home node for review"))
    # Translators: the title is a film or series; its slug is the short name in its address, such as maula-jatt.
    p.add_argument("title", help=gettext("the title's slug here"))
    p.add_argument("language")
    p.set_defaults(func=cmd_offer)
    p = verbs.add_parser("rotate-key", help=gettext("make a new signing key; the old one stays valid for the overlap"))
    p.add_argument("--overlap-hours", type=float, default=24.0)
    p.add_argument("--algorithm", choices=["ed25519", "rsa-pss-sha512"], default="ed25519")
    p.set_defaults(func=cmd_rotate)
    fed.set_defaults(func=lambda args: fed.print_help() or 0)


def cmd_identity(args: argparse.Namespace) -> int:
    from dastan.federation.identity import discovery_document

    print(json.dumps(discovery_document(), indent=2, ensure_ascii=False))
    return 0


def cmd_follow(args: argparse.Namespace) -> int:
    from dastan.federation.peering import follow

    peer = follow(by=None, url=args.url)
    # Translators: %(state)s is the peer's state, such as requested.
    print(gettext("Asked %(peer)s (%(url)s) to peer; it is '%(state)s' until its operator answers.")
          % {"peer": peer, "url": peer.url, "state": peer.state})
    return 0


def cmd_accept(args: argparse.Namespace) -> int:
    from dastan.federation.peering import accept

    peer = accept(by=None, ref=args.peer)
    print(gettext("Accepted %(peer)s: titles now flow both ways (see `dastan federation share`).") % {"peer": peer})
    return 0


def cmd_decline(args: argparse.Namespace) -> int:
    from dastan.federation.peering import decline

    peer = decline(by=None, ref=args.peer, reason=args.reason)
    print(gettext("Declined %(peer)s: %(reason)s") % {"peer": peer, "reason": peer.reason})
    return 0


def cmd_end(args: argparse.Namespace) -> int:
    from dastan.federation.peering import end

    peer = end(by=None, ref=args.peer, reason=args.reason)
    print(gettext("Ended peering with %(peer)s.") % {"peer": peer})
    return 0


def cmd_peers(args: argparse.Namespace) -> int:
    from dastan.federation.selectors import peers_ledger

    ledger = peers_ledger(by=None)
    for row in ledger.peers:
        p = row.peer
        print(f"#{p.pk} {p.name or '?'} ({p.country or '--'}) {p.url} [{p.state}]"
              f"{' ' + p.reason if p.reason else ''}")
        counts = {"shared": row.shared, "cursor": p.cursor, "sent": p.sent, "acknowledged": p.acknowledged,
                  "refused": p.refused, "in_sync": row.titles_in_sync, "out_of_sync": row.titles_out_of_sync,
                  "received": row.titles_received, "mirrored": row.mirrored, "retries": p.retries}
        # Translators: one peer's counters in `dastan federation peers`; "label number" pairs.
        line = gettext("shares %(shared)s; cursor %(cursor)s; sent %(sent)s, acknowledged %(acknowledged)s, "
                       "refused %(refused)s; titles in/out of sync %(in_sync)s/%(out_of_sync)s; "
                       "received %(received)s; cache copies %(mirrored)s") % counts
        if p.mirror:
            line += " " + gettext("(mirroring on)")
        line += "; " + gettext("retries %(retries)s") % counts
        if p.retry_at:
            line += ", " + gettext("next at %(time)s") % {"time": f"{p.retry_at:%H:%M:%S}"}
        if p.last_error:
            line += "; " + gettext("last error: %(error)s") % {"error": p.last_error}
        print("    " + line)
        for answer in row.answers:
            print(f"    {answer.title_slug} {answer.ref}: {answer.verdict} — {answer.reason}")
    if not ledger.peers:
        print(gettext("No peers yet; `dastan federation follow https://…` asks another node."))
    for refused in ledger.refused[:10]:
        # Translators: a refused request in the peers list; %(reason)s is recorded in English.
        print(gettext("refused %(time)s %(code)s: %(reason)s")
              % {"time": f"{refused.at:%Y-%m-%d %H:%M:%S}", "code": refused.code, "reason": refused.said()})
    return 0


def cmd_share(args: argparse.Namespace) -> int:
    from dastan.federation.peering import set_sharing

    peer = set_sharing(by=None, ref=args.peer, organisations=args.organisation)
    if peer.share_all:
        print(gettext("%(peer)s gets every published title.") % {"peer": peer})
    else:
        print(gettext("%(peer)s gets the titles of %(organisations)s.")
              % {"peer": peer, "organisations": ", ".join(args.organisation)})
    return 0


def cmd_mirror(args: argparse.Namespace) -> int:
    from dastan.federation.peering import set_mirroring

    peer, changed = set_mirroring(by=None, ref=args.peer, on=args.state == "on")
    if peer.mirror:
        print(gettext("Keeping cache copies of %(peer)s's films where its licences allow downloads in this "
                      "node's country (%(count)s titles considered; copies are made by the job worker).")
              % {"peer": peer, "count": changed})
    else:
        print(gettext("No cache copies of %(peer)s's films any more (%(count)s withdrawn).")
              % {"peer": peer, "count": changed})
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from dastan.federation.sync import sync_all

    while True:
        failed = False
        for report in sync_all(force=args.force, page_size=args.page_size):
            failed |= bool(report.error)
            if args.every and not (report.pushed or report.pulled or report.error):
                continue  # a loop (`dastan serve`'s) says only what happened
            print(_report_line(report), flush=True)
        if not args.every:
            return 1 if failed else 0
        time.sleep(args.every)


def cmd_resync(args: argparse.Namespace) -> int:
    from dastan.federation.peering import access_peer
    from dastan.federation.sync import resync

    report = resync(peer=access_peer(by=None, ref=args.peer), since=args.since)
    print(_report_line(report))
    return 1 if report.error else 0


def _report_line(report: Any) -> str:
    words = {"peer": report.peer, "pushed": report.pushed, "pulled": report.pulled, "error": report.error}
    # Translators: one peer's sync in `dastan federation sync`: documents sent and received.
    if report.error:
        return gettext("%(peer)s: pushed %(pushed)s, pulled %(pulled)s; failed: %(error)s") % words
    return gettext("%(peer)s: pushed %(pushed)s, pulled %(pulled)s") % words


def cmd_rotate(args: argparse.Namespace) -> int:
    from dastan.federation.identity import rotate_key

    key = rotate_key(overlap=dt.timedelta(hours=args.overlap_hours), algorithm=args.algorithm)
    print(gettext("New signing key %(key)s (%(algorithm)s); earlier keys stay valid for %(hours)s hours.")
          % {"key": key.key_id, "algorithm": key.algorithm, "hours": f"{args.overlap_hours:g}"})
    return 0


def cmd_offer(args: argparse.Namespace) -> int:
    from dastan.federation.contributions import offer_track
    from dastan.federation.errors import PeerNotFound
    from dastan.localization.models import SubtitleTrack

    track = SubtitleTrack.objects.select_related("title").filter(title__slug=args.title,
                                                                  language=args.language).first()
    if track is None:
        raise PeerNotFound(gettext("No %(language)s subtitles of '%(title)s' here.")
                           % {"language": args.language, "title": args.title},
                           gettext("`dastan search` finds the title's slug; make the track first."))
    answer = offer_track(by=None, track=track)
    print(gettext("Offered: the home node put it in its review desk as track #%(track)s (%(state)s).")
          % {"track": answer["track"], "state": answer["state"]})
    return 0

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
    fed = sub.add_parser("federation", help="peer with other Dastan nodes and exchange titles with them",
                         description="Peering is approved by people on both nodes; nothing flows before.")
    verbs = fed.add_subparsers(dest="federation_command", metavar="VERB")
    p = verbs.add_parser("identity", help="print this node's discovery document")
    p.set_defaults(func=cmd_identity)
    p = verbs.add_parser("follow", help="ask another node to peer with this one")
    p.add_argument("url", help="the other node's public address (https://…)")
    p.set_defaults(func=cmd_follow)
    p = verbs.add_parser("accept", help="accept a pending request to peer")
    p.add_argument("peer", help="peer id, address or name")
    p.set_defaults(func=cmd_accept)
    p = verbs.add_parser("decline", help="decline a pending request, with a reason the other node sees")
    p.add_argument("peer")
    p.add_argument("--reason", required=True)
    p.set_defaults(func=cmd_decline)
    p = verbs.add_parser("end", help="end peering with a node")
    p.add_argument("peer")
    p.add_argument("--reason", default="")
    p.set_defaults(func=cmd_end)
    p = verbs.add_parser("peers", help="list peers with their sync ledger")
    p.set_defaults(func=cmd_peers)
    p = verbs.add_parser("share", help="share all published titles with a peer, or named organisations' only")
    p.add_argument("peer")
    p.add_argument("--organisation", action="append", default=[], help="owner slug; repeat; none: all")
    p.set_defaults(func=cmd_share)
    p = verbs.add_parser("mirror", help="keep cache copies of a peer's films where its licences allow, or not")
    p.add_argument("peer")
    p.add_argument("state", choices=["on", "off"])
    p.set_defaults(func=cmd_mirror)
    p = verbs.add_parser("sync", help="push changes to every accepted peer and pull theirs")
    p.add_argument("--every", type=float, default=0, help="keep syncing, every this many seconds")
    p.add_argument("--force", action="store_true", help="also peers waiting for their retry time")
    p.add_argument("--page-size", type=int, default=200, help="documents per feed page read (default 200)")
    p.set_defaults(func=cmd_sync)
    p = verbs.add_parser("resync", help="read a peer's feed again from a position (0: from scratch)")
    p.add_argument("peer")
    p.add_argument("--since", type=int, default=0)
    p.set_defaults(func=cmd_resync)
    p = verbs.add_parser("offer", help="offer a subtitle track of a peer's title to its home node for review")
    p.add_argument("title", help="the title's slug here")
    p.add_argument("language")
    p.set_defaults(func=cmd_offer)
    p = verbs.add_parser("rotate-key", help="make a new signing key; the old one stays valid for the overlap")
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
    print(f"Asked {peer} ({peer.url}) to peer; it is '{peer.state}' until its operator answers.")
    return 0


def cmd_accept(args: argparse.Namespace) -> int:
    from dastan.federation.peering import accept

    peer = accept(by=None, ref=args.peer)
    print(f"Accepted {peer}: titles now flow both ways (see `dastan federation share`).")
    return 0


def cmd_decline(args: argparse.Namespace) -> int:
    from dastan.federation.peering import decline

    peer = decline(by=None, ref=args.peer, reason=args.reason)
    print(f"Declined {peer}: {peer.reason}")
    return 0


def cmd_end(args: argparse.Namespace) -> int:
    from dastan.federation.peering import end

    peer = end(by=None, ref=args.peer, reason=args.reason)
    print(f"Ended peering with {peer}.")
    return 0


def cmd_peers(args: argparse.Namespace) -> int:
    from dastan.federation.selectors import peers_ledger

    ledger = peers_ledger(by=None)
    for row in ledger.peers:
        p = row.peer
        print(f"#{p.pk} {p.name or '?'} ({p.country or '--'}) {p.url} [{p.state}]{' ' + p.reason if p.reason else ''}")
        print(f"    shares {row.shared}; cursor {p.cursor}; sent {p.sent}, acknowledged {p.acknowledged}, "
              f"refused {p.refused}; titles in/out of sync {row.titles_in_sync}/{row.titles_out_of_sync}; "
              f"received {row.titles_received}; cache copies {row.mirrored}"
              f"{' (mirroring on)' if p.mirror else ''}; retries {p.retries}"
              + (f", next at {p.retry_at:%H:%M:%S}" if p.retry_at else "")
              + (f"; last error: {p.last_error}" if p.last_error else ""))
        for answer in row.answers:
            print(f"    {answer.title_slug} {answer.ref}: {answer.verdict} — {answer.reason}")
    if not ledger.peers:
        print("No peers yet; `dastan federation follow https://…` asks another node.")
    for refused in ledger.refused[:10]:
        print(f"refused {refused.at:%Y-%m-%d %H:%M:%S} {refused.code}: {refused.reason}")
    return 0


def cmd_share(args: argparse.Namespace) -> int:
    from dastan.federation.peering import set_sharing

    peer = set_sharing(by=None, ref=args.peer, organisations=args.organisation)
    print(f"{peer} gets " + ("every published title." if peer.share_all else
                             "the titles of " + ", ".join(args.organisation) + "."))
    return 0


def cmd_mirror(args: argparse.Namespace) -> int:
    from dastan.federation.peering import set_mirroring

    peer, changed = set_mirroring(by=None, ref=args.peer, on=args.state == "on")
    if peer.mirror:
        print(f"Keeping cache copies of {peer}'s films where its licences allow downloads in this node's "
              f"country ({changed} titles considered; copies are made by the job worker).")
    else:
        print(f"No cache copies of {peer}'s films any more ({changed} withdrawn).")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from dastan.federation.sync import sync_all

    while True:
        failed = False
        for report in sync_all(force=args.force, page_size=args.page_size):
            failed |= bool(report.error)
            if args.every and not (report.pushed or report.pulled or report.error):
                continue  # a loop (`dastan serve`'s) says only what happened
            print(f"{report.peer}: pushed {report.pushed}, pulled {report.pulled}"
                  + (f"; failed: {report.error}" if report.error else ""), flush=True)
        if not args.every:
            return 1 if failed else 0
        time.sleep(args.every)


def cmd_resync(args: argparse.Namespace) -> int:
    from dastan.federation.peering import access_peer
    from dastan.federation.sync import resync

    report = resync(peer=access_peer(by=None, ref=args.peer), since=args.since)
    print(f"{report.peer}: pushed {report.pushed}, pulled {report.pulled}"
          + (f"; failed: {report.error}" if report.error else ""))
    return 1 if report.error else 0


def cmd_rotate(args: argparse.Namespace) -> int:
    from dastan.federation.identity import rotate_key

    key = rotate_key(overlap=dt.timedelta(hours=args.overlap_hours), algorithm=args.algorithm)
    print(f"New signing key {key.key_id} ({key.algorithm}); earlier keys stay valid for "
          f"{args.overlap_hours:g} hours.")
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
    print(f"Offered: the home node put it in its review desk as track #{answer['track']} ({answer['state']}).")
    return 0

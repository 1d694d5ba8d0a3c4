"""Federation: signed messages verified per second, the initial sync of a catalogue to a
new peer (and how it grows from 1k to 10k titles), and the time from publishing on A to
visible in B's search.

Node A is this process (its own SQLite in a temporary DASTAN_HOME, served on loopback by
a wsgiref thread so that B can read A's discovery document); node B is a real
`dastan serve` process with its own database. Side by side in the same run:

* verification with the peer's keys kept (ours) against re-reading the peer's discovery
  document for every message (the naive path of a node that keeps no keys);
* initial sync by pushing full-state documents 200 a message (ours) against one title per
  message (the naive path), at the smaller size;
* publish → visible: A publishes a title and pushes; we poll B's search page.

Usage: python bench/federation.py [--sizes 1000,10000] [--verify 2000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

HOME = Path(tempfile.mkdtemp(prefix="dastan-bench-federation-"))
PORT_A = 0
os.environ["DASTAN_HOME"] = str(HOME / "a")
os.environ.pop("DASTAN_DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dastan.settings")
os.environ["DASTAN_LOG_LEVEL"] = "ERROR"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _reserve_port() -> int:
    from dastan_testing.nodes import free_port

    return free_port()


PORT_A = _reserve_port()
os.environ["DASTAN_PUBLIC_URL"] = f"http://127.0.0.1:{PORT_A}"
os.environ["DASTAN_NODE_NAME"] = "Lahore"
os.environ["DASTAN_NODE_COUNTRY"] = "PK"
os.environ["DASTAN_FEDERATION_ALLOW_PRIVATE"] = "true"  # both nodes are on loopback, plain HTTP
(HOME / "a").mkdir(parents=True)

import django

django.setup()

from datetime import date
from urllib.parse import quote

from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import transaction

from dastan.catalog.models import Organisation, Title, TitleText
from dastan.catalog.search.index import index_title
from dastan.federation import peering, sync
from dastan.federation.feed import feed_page
from dastan.federation.identity import document_lookup, fetch_document, signing_key
from dastan.federation.models import Peer
from dastan.federation.tests.nodes import make_node, start, stop
from dastan.rights.index import rebuild_availability
from dastan.rights.models import Licence
from dastan.signing.keys import Algorithm, generate
from dastan.signing.messages import send, sign, verify


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve_a() -> WSGIServer:
    server = make_server("127.0.0.1", PORT_A, WSGIHandler(), handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def make_titles(n: int, *, start_at: int = 0) -> None:
    owner, _ = Organisation.objects.get_or_create(slug="lahore-films", defaults={
        "name": "Lahore Films", "kind": "studio", "country": "PK"})
    with transaction.atomic():
        titles = Title.objects.bulk_create([
            Title(slug=f"drama-{i:06d}", original_language="ur", country_of_origin="PK", year=2000 + i % 25,
                  owner=owner, is_published=True) for i in range(start_at, start_at + n)])
        TitleText.objects.bulk_create(
            [TitleText(title=t, language="ur", name=f"ڈرامہ {t.pk}", origin="original") for t in titles]
            + [TitleText(title=t, language="en", name=f"Drama {t.pk}", synopsis="A family in Lahore.")
               for t in titles])
        licences = Licence.objects.bulk_create([
            Licence(ref=f"PK-{t.slug}", title=t, licensor=owner, licence_type="SVOD",
                    territories_included=["KZ", "UZ"], start_date=date(2020, 1, 1)) for t in titles])
        for licence in licences:
            rebuild_availability(licence=licence)


def bench_verify(count: int) -> None:
    url = "https://a.example/federation/inbox"
    body = b'{"documents":[]}'
    print("Signed messages verified per second (one key lookup, nonce stored for replay):")
    for algorithm in (Algorithm.ED25519, Algorithm.RSA_PSS_SHA512):
        key = generate(f"https://b.example#{algorithm}", algorithm)
        table = {key.key_id: key.public()}
        # Signing with RSA re-reads (and re-checks) the private key per message: slow, so fewer.
        n = count if algorithm == Algorithm.ED25519 else max(count // 10, 50)
        signed = [sign("POST", url, key=key, body=body) for _ in range(n)]
        began = time.perf_counter()
        for headers in signed:
            verify("POST", url, headers, body, lookup=table.get)
        rate = n / (time.perf_counter() - began)
        print(f"  {algorithm.value:16} {rate:9.0f} messages/s")
    # The naive path: no kept keys, the sender's document read for each message.
    doc_url = os.environ["DASTAN_PUBLIC_URL"]
    mine = signing_key()
    few = max(count // 10, 50)
    signed = [sign("POST", url, key=mine, body=body) for _ in range(few)]
    began = time.perf_counter()
    for headers in signed:
        verify("POST", url, headers, body, lookup=document_lookup(fetch_document(doc_url)))
    rate = few / (time.perf_counter() - began)
    print(f"  {'naive (re-read)':16} {rate:9.0f} messages/s  (ed25519, discovery document read per message)")


def bench_sync(b_url: str, peer: Peer, sizes: list[int]) -> None:
    print("\nInitial sync, A → B (push of full-state documents; B applies, indexes, answers each licence):")
    made = 0
    results = []
    for n in sizes:
        make_titles(n - made, start_at=made)
        made = n
        Peer.objects.filter(pk=peer.pk).update(pushed_through=0)
        peer.refresh_from_db()
        began = time.perf_counter()
        sync.refresh_feed()
        feed_s = time.perf_counter() - began
        pushed = sync.push(peer)
        took = time.perf_counter() - began
        results.append((n, took))
        print(f"  {n:6} titles: {took:7.1f} s  ({n / took:6.0f} titles/s; building the feed {feed_s:5.1f} s); "
              f"pushed {pushed}")
    if len(results) > 1:
        (n1, t1), (n2, t2) = results[0], results[-1]
        print(f"  growth: {n2 / n1:.0f}× the titles took {t2 / t1:.1f}× the time")
    # The naive path: one title per message, at the smaller size.
    n = sizes[0]
    Peer.objects.filter(pk=peer.pk).update(pushed_through=0)
    peer.refresh_from_db()
    began = time.perf_counter()
    last = 0
    while last < n:
        documents, position, _ = feed_page(peer=peer, since=peer.pushed_through, limit=1, refresh=False)
        if not documents:
            break
        send("POST", f"{b_url}/federation/inbox", key=signing_key(), json_body={"documents": documents})
        peer.pushed_through = position
        last += 1
    took = time.perf_counter() - began
    print(f"  naive, one title a message: {last} titles in {took:7.1f} s ({last / took:6.0f} titles/s; "
          "B answers 'older' for each, so this is the transport alone)")


def bench_latency(b_url: str, peer: Peer, rounds: int) -> None:
    print("\nPublish on A → visible in B's search (push, then B's page shows it):")
    owner = Organisation.objects.get(slug="lahore-films")
    times = []
    for i in range(rounds):
        began = time.perf_counter()
        with transaction.atomic():
            title = Title.objects.create(slug=f"fresh-{i}", original_language="ur", country_of_origin="PK",
                                         owner=owner, is_published=True)
            TitleText.objects.create(title=title, language="en", name=f"Qissa{i}x", origin="human")
            TitleText.objects.create(title=title, language="ur", name=f"قصہ {i}", origin="original")
            index_title(title=title)
            Licence.objects.create(ref=f"PK-fresh-{i}", title=title, licensor=owner, licence_type="SVOD",
                                   territories_included=["KZ"], start_date=date(2020, 1, 1))
        sync.push(peer)
        while True:
            request = urllib.request.Request(f"{b_url}/search/?q={quote(f'Qissa{i}x')}",
                                             headers={"X-Country-Code": "KZ"})
            with urllib.request.urlopen(request, timeout=30) as response:
                if f"Qissa{i}x" in response.read().decode():
                    break
            time.sleep(0.01)
        times.append(time.perf_counter() - began)
    print(f"  median {statistics.median(times) * 1000:7.0f} ms, worst {max(times) * 1000:7.0f} ms "
          f"over {rounds} titles (B's catalogue cache off)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--verify", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    call_command("migrate", verbosity=0)
    server = serve_a()
    bench_verify(args.verify)
    b = make_node(HOME, "Almaty", "KZ")
    start(b)
    try:
        b.dastan("federation", "follow", os.environ["DASTAN_PUBLIC_URL"])
        peer = peering.accept(by=None, ref=b.url)
        bench_sync(b.url, peer, sizes)
        bench_latency(b.url, peer, args.rounds)
    finally:
        stop(b)
        server.shutdown()
    print("\nReproduce: python bench/federation.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()

"""Three national nodes as separate `dastan serve` processes with separate databases (B's
on PostgreSQL): A and B peer through their operators; what A publishes and licenses
reaches B's catalogue and search for B's viewers' country; C, never accepted, receives
nothing, and nothing it sends is stored."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from dastan.federation.tests.nodes import PUBLISH, make_node, running
from dastan_testing.nodes import postgres_database

pytestmark = [pytest.mark.services, pytest.mark.slow]

ZINDAGI = {"slug": "zindagi-gulzar-hai", "ur": "زندگی گلزار ہے", "en": "Zindagi Gulzar Hai",
           "zh": "人生如花园", "synopsis": "Two students in Karachi.", "licences": {"PK-KZ-SVOD-1": ["KZ", "UZ"]}}
HUMSAFAR = {"slug": "humsafar", "ur": "ہمسفر", "en": "Humsafar", "licences": {"PK-CN-SVOD-1": ["CN"]}}

SEND_AS_C = """
from dastan.federation.identity import signing_key
from dastan.signing.messages import send
target = sys.argv[1]
doc = json.loads(sys.argv[2])
inbox = send("POST", target + "/federation/inbox", key=signing_key(), json_body={"documents": [doc]})
feed = send("GET", target + "/federation/feed?since=0", key=signing_key())
print(json.dumps([inbox.status_code, inbox.json(), feed.status_code, feed.json()]))
"""

AMEND = """
from datetime import date
from dastan.rights.actions import amend_licence
from dastan.rights.models import Licence
from dastan.rights.selectors import terms_of
from dastan.rights.tests.factories import terms
licence = Licence.objects.get(ref=sys.argv[1])
amend_licence.execute(licence=licence, terms=terms(licence.ref, title_id=licence.title_id,
                      territories=tuple(sys.argv[2].split(",")), start=date(2020, 1, 1), end=None))
print(json.dumps(licence.ref))
"""


def test_three_nodes_a_and_b_peer_c_gets_and_stores_nothing(tmp_path: Path, postgres_url: str) -> None:
    with postgres_database(postgres_url, prefix="dastan_fed") as b_database:
        a = make_node(tmp_path, "Lahore", "PK")
        b = make_node(tmp_path, "Almaty", "KZ", database_url=b_database)
        c = make_node(tmp_path, "Stranger", "CN")
        with running(a, b, c):
            a.run(PUBLISH, json.dumps({"titles": [ZINDAGI, HUMSAFAR]}))

            # B asks, A's operator accepts; C asks and is never answered.
            assert "requested" in b.dastan("federation", "follow", a.url)
            c.dastan("federation", "follow", a.url)
            peers = a.dastan("federation", "peers")
            assert "[pending]" in peers and b.url in peers and c.url in peers
            a.dastan("federation", "accept", b.url)
            assert a.query("SELECT state FROM federation_peer WHERE url = ?", (b.url,)) == [("accepted",)]
            assert b.query("SELECT state FROM federation_peer WHERE url = %s".replace("%s", "?"), (a.url,)) \
                == [("accepted",)]

            # A pushes to its one accepted peer; B's catalogue and search show A's titles.
            out = a.dastan("federation", "sync")
            assert "Almaty: pushed 2" in out, out
            assert b.query("SELECT remote_slug, sequence FROM federation_remotetitle ORDER BY remote_slug") == [
                ("humsafar", 1), ("zindagi-gulzar-hai", 1)]
            status, page = b.get("/search/?q=zindagi", country="KZ")
            assert status == 200 and "Zindagi Gulzar Hai" in page and "Lahore" in page, page[-3000:]
            status, page = b.get("/search/?q=" + quote("زندگی"), country="KZ")
            assert "Zindagi Gulzar Hai" in page or "زندگی گلزار ہے" in page
            _, page = b.get("/", country="KZ")
            assert "Zindagi Gulzar Hai" in page and "Humsafar" not in page  # Humsafar is licensed for CN only
            _, page = b.get("/", country="CN")
            assert "Humsafar" in page and "Zindagi Gulzar Hai" not in page

            # A licence change on A changes what B lists for Kazakhstan.
            a.run(AMEND, "PK-KZ-SVOD-1", "UZ")
            out = a.dastan("federation", "sync")
            assert "pushed 1" in out, out
            _, page = b.get("/", country="KZ")
            assert "Zindagi Gulzar Hai" not in page
            _, page = b.get("/", country="UZ")
            assert "Zindagi Gulzar Hai" in page
            assert b.query("SELECT sequence FROM federation_remotetitle WHERE remote_slug = 'zindagi-gulzar-hai'") \
                == [(2,)]
            # B reading A's feed finds what the pushes brought already (answered 'older', nothing
            # changes); its cursor then stands at the end, so the next read finds nothing.
            b.dastan("federation", "sync")
            assert "pulled 0" in b.dastan("federation", "sync")
            b.dastan("federation", "resync", a.url, "--since", "0")
            assert b.query("SELECT count(*) FROM federation_remotetitle") == [(2,)]
            assert b.query("SELECT count(*) FROM catalog_title") == [(2,)]

            # C: A never sent it anything, and what C sends is refused and not stored.
            assert c.query("SELECT count(*) FROM federation_remotetitle") == [(0,)]
            assert a.query("SELECT sent FROM federation_peer WHERE url = ?", (c.url,)) == [(0,)]
            doc = b.query("SELECT document FROM federation_remotetitle WHERE remote_slug = 'humsafar'")[0][0]
            doc = doc if isinstance(doc, dict) else json.loads(doc)
            doc["slug"], doc["sequence"] = "planted-by-c", 1
            titles_before = a.query("SELECT count(*) FROM catalog_title")
            inbox_status, inbox, feed_status, feed = c.run(SEND_AS_C, a.url, json.dumps(doc))
            assert (inbox_status, inbox["code"]) == (403, "not_peer"), inbox
            assert (feed_status, feed["code"]) == (403, "not_peer"), feed
            assert a.query("SELECT count(*) FROM catalog_title") == titles_before
            assert a.query("SELECT count(*) FROM federation_remotetitle") == [(0,)]
            refused = a.query("SELECT code, reason FROM signing_refusedrequest WHERE channel = 'federation'")
            assert [code for code, _ in refused].count("not_peer") == 2
            assert all("Stranger" in reason for _, reason in refused), refused
            # Its operator sees it all on the peers page too.
            assert "not_peer" in a.dastan("federation", "peers")


def test_b_stopped_in_the_middle_of_a_sync_converges_when_restarted_with_no_duplicates(tmp_path: Path) -> None:
    a = make_node(tmp_path, "Lahore", "PK")
    b = make_node(tmp_path, "Almaty", "KZ")
    with running(a, b):
        assert len(a.run(PUBLISH, json.dumps({"many": 120}))) == 120
        b.dastan("federation", "follow", a.url)
        a.dastan("federation", "accept", b.url)
        # B reads A's feed five titles a page; it is killed (SIGKILL, no goodbye) mid-way.
        sync = subprocess.Popen([sys.executable, "-m", "dastan.cli", "federation", "sync", "--page-size", "5"],
                                env=b.node.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        deadline = time.monotonic() + 120
        while b.query("SELECT count(*) FROM federation_remotetitle")[0][0] < 20:
            assert sync.poll() is None and time.monotonic() < deadline, "the sync ended before it could be stopped"
            time.sleep(0.05)
        os.killpg(sync.pid, signal.SIGKILL)
        sync.wait()
        [(got,)] = b.query("SELECT count(*) FROM federation_remotetitle")
        assert 20 <= got < 120, got
        # Restarted: it picks up at its cursor and ends with every title once.
        b.dastan("federation", "sync")
        assert b.query("SELECT count(*), count(DISTINCT remote_slug) FROM federation_remotetitle") == [(120, 120)]
        assert b.query("SELECT count(*) FROM catalog_title") == [(120,)]
        assert b.query("SELECT count(*) FROM federation_remotelicence") == [(120,)]
        [(cursor,)] = b.query("SELECT cursor FROM federation_peer")
        assert cursor == a.query("SELECT max(position) FROM federation_titlestate")[0][0]
        # And a full resync from scratch adds nothing.
        b.dastan("federation", "resync", a.url, "--since", "0")
        assert b.query("SELECT count(*) FROM catalog_title") == [(120,)]

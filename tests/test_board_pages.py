"""The board in pages, over HTTP on a store of thousands: each column's count and newest cards, "Show more"
reaching every card exactly once, and a page that stays small whatever the store holds."""
import random
import re
import urllib.parse
from datetime import datetime, timedelta
from html import unescape

import pytest

from conftest import Companion, free_port

from companion import pipeline
from companion.store import Store

OPEN = ("saved", "applied", "screening", "interviewing", "offer")
CLOSED = ("accepted", "rejected", "withdrawn", "ghosted", "archived")
SIZE = 3000
START = datetime(2026, 1, 1, 9)


def _seed(data_dir):
    """SIZE applications over every status, changed at random moments (many share one: ties by id)."""
    rng = random.Random(20)
    docs = []
    for n in range(SIZE):
        status = rng.choice(pipeline.STATUSES)
        updated = (START + timedelta(minutes=rng.randint(0, 400) * 30)).isoformat()
        docs.append({"url": f"https://jobs.example.com/board/{n}", "title": f"Role {n}", "company": "Acme",
                     "status": status, "applied_at": "2026-01-01", "updated_at": updated, "created_at": updated,
                     "locations": [], "notes": "", "history": [{"kind": "status", "date": "2026-01-01",
                                                                "at": updated, "from": None, "to": status}]})
    with Store(data_dir) as store:
        ids = store.insert_many("applications", docs)
    return dict(zip(ids, docs))


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("board-pages")
    stored = _seed(data_dir)
    server = Companion(data_dir, port=free_port()).start(timeout=60)
    status, headers, _ = _get(server, "/login", form={"token": server.token})
    assert status == 303
    server.cookie = headers["Set-Cookie"].split(";")[0]
    yield server, stored
    server.stop()


def _get(server, path, form=None):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    headers = {"Host": server.web_netloc}  # the web view's own address: its session lives there
    if form is not None:
        connection.request("POST", path, urllib.parse.urlencode(form), {
            **headers, "Content-Type": "application/x-www-form-urlencoded"})
    else:
        connection.request("GET", path, headers={**headers, "Cookie": server.cookie})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.headers, body


def _columns(html):
    """{status: (count shown, [card ids], the Show more address or None, folded)} read from a board page."""
    found = {}
    for match in re.finditer(r'<section class="board-column( folded)?" data-column="(\w+)"(.*?)</section>', html, re.S):
        folded, status, body = bool(match[1]), match[2], match[3]
        count = int(re.search(r'<span class="column-count">(\d+)</span>', body)[1])
        more = re.search(r'data-show-more="\w+"\s+href="([^"]+)"', body)
        found[status] = (count, [int(i) for i in re.findall(r'class="board-card"[^>]*data-id="(\d+)"', body)],
                         unescape(more[1]) if more else None, folded)
    return found


def _newest(stored, status, n=50):
    ids = [i for i, doc in stored.items() if doc["status"] == status]
    ids.sort()  # ties by id, ascending, as the board reads them
    ids.sort(key=lambda i: stored[i]["updated_at"], reverse=True)
    return ids[:n]


def test_the_first_page_shows_the_newest_cards_of_each_column_with_the_right_counts(board):
    server, stored = board
    status, _, body = _get(server, "/board")
    assert status == 200
    assert len(body) < 500_000
    columns = _columns(body.decode())
    assert list(columns) == [*CLOSED, *OPEN]  # the closed ones folded in a row above the board
    for name, (count, ids, more, folded) in columns.items():
        assert count == sum(1 for doc in stored.values() if doc["status"] == name)
        assert folded == (name in CLOSED)
        assert ids == ([] if folded else _newest(stored, name))
        assert (more is not None) == (not folded and count > 50)


def test_show_more_reaches_every_card_of_a_column_exactly_once(board):
    server, stored = board
    for name in ("applied", "rejected"):
        _, _, body = _get(server, "/board" if name in OPEN else f"/board?status={name}")
        count, seen, more, _ = _columns(body.decode())[name]
        pages = 1
        while more:
            status, _, body = _get(server, more)
            assert status == 200 and len(body) < 500_000
            _, ids, more, _ = _columns(body.decode())[name]
            seen += ids
            pages += 1
        assert len(seen) == len(set(seen)) == count
        assert seen == _newest(stored, name, n=None)
        assert pages == -(-count // 50)


def test_the_closed_columns_load_when_opened_and_stay_small(board):
    server, stored = board
    status, _, body = _get(server, "/board?closed=1")
    assert status == 200 and len(body) < 500_000
    columns = _columns(body.decode())
    assert list(columns) == [*OPEN, *CLOSED]
    assert all(not folded and ids == _newest(stored, name) for name, (_, ids, _, folded) in columns.items())


def test_a_search_narrows_every_column_and_its_count(board):
    server, stored = board
    _, _, body = _get(server, "/board?q=role+12")
    for name, (count, ids, _, _) in _columns(body.decode()).items():
        wanted = [i for i, doc in stored.items() if doc["status"] == name and re.search(r"\bRole 12", doc["title"])]
        assert count == len(wanted)
        if name in OPEN:
            assert sorted(ids) == sorted(wanted)[:50] or len(wanted) > 50

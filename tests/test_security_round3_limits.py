"""What one account may open, attacked over HTTP: projects per hour and projects kept are bounded
(429 with Retry-After, nothing made for the refused request), for every token of the account,
under parallel requests too; and credits raced by parallel generations are spent once."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from conftest import LiveServer
from securitykit import ledger_problems, rows, user_of
from serverkit import Api

CREATE = "/api/tasks/me/with-session/nemo_agent"


def _create(api: Api) -> httpx.Response:
    return api.post(CREATE, json={"task_name": "p", "language": "en"})


def _projects(data_dir: object, user_id: str) -> int:
    return int(rows(data_dir, "SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?", user_id)[0]["n"])


def test_projects_per_hour_are_bounded_for_every_token(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(projects_per_hour=5)
    name = f"maker_{uuid.uuid4().hex[:8]}"
    r = httpx.post(
        f"{srv.url}/api/auth/register", json={"username": name, "password": "correct horse battery"}
    )
    first = Api(srv.url, token=r.json()["data"]["token"])
    r = httpx.post(f"{srv.url}/api/auth/login", json={"username": name, "password": "correct horse battery"})
    second = Api(srv.url, token=r.json()["data"]["token"])  # another token of the same account
    user = user_of(srv.data_dir, first.token or "")
    made = [_create(first if i % 2 else second) for i in range(5)]
    assert all(m.status_code == 200 for m in made), [m.text for m in made]
    for api in (first, second):
        refused = _create(api)
        body = refused.json()
        assert refused.status_code == 429 and body["code"] == 429, refused.text
        assert 3500 <= int(refused.headers["Retry-After"]) <= 3600 and body["data"]["retry_after"] > 0
        assert "at most 5 per hour" in body["message"]
        sid = made[0].json()["data"]["session_id"]
        dup = api.post(f"/api/projects/me/{sid}/duplicate", json={})
        assert dup.status_code == 429 and dup.json()["code"] == 429, dup.text
    assert _projects(srv.data_dir, user) == 5  # nothing made for the refused ones
    # deleting does not give the hour's budget back; another account is not held by this one
    first.http.delete(f"/api/projects/me/{made[0].json()['data']['session_id']}", headers=first.headers())
    assert _create(first).status_code == 429
    other = Api(srv.url)
    other.anonymous()
    assert _create(other).status_code == 200


def test_parallel_creates_stop_at_the_limit(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(projects_per_hour=6)
    api = Api(srv.url)
    api.anonymous()
    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(lambda _: _create(api), range(20)))
    codes = sorted(a.status_code for a in answers)
    assert codes == [200] * 6 + [429] * 14, codes
    assert all(a.json()["code"] in (0, 429) for a in answers)
    assert _projects(srv.data_dir, user_of(srv.data_dir, api.token or "")) == 6


def test_projects_kept_are_bounded_and_deleting_makes_room(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(max_projects=3)
    api = Api(srv.url)
    api.anonymous()
    sids = [_create(api).json()["data"]["session_id"] for _ in range(3)]
    refused = _create(api)
    assert refused.status_code == 429 and "Delete projects" in refused.json()["message"], refused.text
    assert int(refused.headers["Retry-After"]) > 0
    dup = api.post(f"/api/projects/me/{sids[0]}/duplicate", json={})
    assert dup.status_code == 429, dup.text
    api.http.delete(f"/api/projects/me/{sids[0]}", headers=api.headers())
    assert _create(api).status_code == 200
    assert _create(api).status_code == 429


def test_parallel_generations_spend_credits_for_one_once(server_factory: Callable[..., LiveServer]) -> None:
    # 100 credits, a generation costs 100: of 20 generations sent at once, in 20 projects, one runs
    srv = server_factory(cost_generate=100, anonymous_credits=100)
    api = Api(srv.url)
    api.anonymous()
    sids = [api.session()["session_id"] for _ in range(20)]
    with ThreadPoolExecutor(20) as pool:
        streams = list(pool.map(lambda sid: api.run(sid, "a 5 second video about tea", timeout=180), sids))
    ran = [s for s in streams if s.status == 200 and s.events]
    refused = [s for s in streams if s.status != 200 or not s.events]
    assert len(ran) == 1, [(s.status, s.body) for s in streams]
    assert all(s.body and s.body["code"] == 2001 for s in refused), [s.body for s in refused]
    assert api.balance() == {"available": 0, "frozen": 0, "total": 0}
    user = user_of(srv.data_dir, api.token or "")
    assert ledger_problems(srv.data_dir, user) == []
    spent = rows(srv.data_dir, "SELECT COUNT(*) AS n FROM reservations WHERE user_id = ?", user)
    assert spent[0]["n"] == 1

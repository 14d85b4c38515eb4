"""Chinese subjects read from the grammar of the prompt: the event one is invited to (not who is
invited), the company that hires (never the role), the product a launch line names (not the
launch), the thing news is about."""

from __future__ import annotations

import pytest

from promptreel.agent.board import scenes_for
from promptreel.agent.brief import Brief, read_brief


def narration(b: Brief) -> list[str]:
    return [s.text for s in scenes_for(b) if s.text]


# ── invitations: 大家/各位/你们 + 参加/出席 is who is asked, the event is the subject ─────────────


@pytest.mark.parametrize(
    ("prompt", "subject"),
    [
        ("邀请大家参加公司年会，12月20日晚上6点，地点在希尔顿酒店", "公司年会"),
        ("邀请各位参加我们的新品发布会，3月5日下午2点，地点在国际会展中心", "新品发布会"),
        ("诚邀你们出席张明和李华的婚礼，10月1日中午12点，地点在香格里拉酒店", "张明和李华的婚礼"),
    ],
)  # fmt: skip
def test_the_invitee_is_not_part_of_the_event(prompt: str, subject: str) -> None:
    b = read_brief(prompt)
    assert b.purpose == "invitation" and b.subject == subject
    assert narration(b)[0] == f"诚挚邀请你参加{subject}。"


# ── job ads: the role is said as a role, the company only when one is named ──────────────────


@pytest.mark.parametrize(
    ("prompt", "says"),
    [
        ("招聘前端工程师：本科以上学历，3年经验，坐标杭州", "我们在招前端工程师。"),
        ("蓝海科技招聘前端工程师，薪资面议", "我们在招前端工程师。"),
        ("做一个招聘视频：招聘前端工程师和UI设计师，地点上海", "我们在招前端工程师和UI设计师。"),
        ("为我们公司做一个招聘视频，我们正在招聘前端工程师，五险一金，双休", "我们正在招聘前端工程师。"),
    ],
)  # fmt: skip
def test_a_job_ad_says_its_role_as_a_role(prompt: str, says: str) -> None:
    b = read_brief(prompt)
    lines = narration(b)
    assert says in lines
    assert not any("加入前端工程师" in x or "前端工程师正在招聘" in x for x in lines)
    assert lines[-1].startswith("加入") or any(x.startswith("加入我们") for x in lines) or b.actions


def test_a_named_company_is_the_one_to_join() -> None:
    b = read_brief("蓝海科技招聘前端工程师，薪资面议")
    assert b.subject == "蓝海科技"
    assert narration(b)[-1] == "加入蓝海科技，一起做点了不起的事。"


def test_a_company_left_unnamed_closes_on_join_us() -> None:
    lines = narration(read_brief("招聘前端工程师：本科以上学历，3年经验，坐标杭州"))
    assert lines[-1] == "加入我们，一起做点了不起的事。"


@pytest.mark.parametrize(
    ("prompt", "line"),
    [
        ("我们正在招聘前端工程师，要求3年以上React经验，薪资20-30K", "要求3年以上React经验"),
        ("招聘会计：大专以上学历，以及两年经验", "大专以上学历"),
    ],
)  # fmt: skip
def test_yi_stays_in_its_words(prompt: str, line: str) -> None:
    assert line in read_brief(prompt).points


def test_a_requirement_with_and_is_one_line_not_a_list() -> None:
    b = read_brief("我们正在招聘前端工程师，要求熟悉Vue和React，月薪15-25K")
    assert "要求熟悉Vue和React" in b.points and not b.items


# ── a launch or notice line before a colon names the purpose; what follows is the subject ────


@pytest.mark.parametrize(
    ("prompt", "subject"),
    [
        ("新品发布：智能手表X3，续航14天，支持血氧监测，售价1299元", "智能手表X3"),
        ("重磅上市：无线耳机Air5，降噪，续航30小时", "无线耳机Air5"),
    ],
)  # fmt: skip
def test_a_launch_label_is_not_the_subject(prompt: str, subject: str) -> None:
    b = read_brief(prompt)
    assert b.subject == subject
    assert narration(b)[0].startswith(subject)


@pytest.mark.parametrize(
    "prompt", ["发布通知：图书馆将于5月1日至5月15日闭馆装修", "图书馆将于5月1日至5月15日闭馆装修"]
)
def test_news_is_said_and_names_what_it_is_about(prompt: str) -> None:
    b = read_brief(prompt)
    assert b.subject == "图书馆"
    assert "图书馆将于5月1日至5月15日闭馆装修" in b.points
    assert b.when == ("5月1日至5月15日",)

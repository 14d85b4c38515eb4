"""Prompts of kinds the planner met rarely, read as a viewer hears them: a label naming the kind of
video ("School notice:", "Event recap:", "道歉声明："), a listing, a comparison, a notice's news, a
class opening its sign-up, an invitation to an activity, a card signed at its end, and each fact
said once, where the user said it."""

from __future__ import annotations

import pytest

from promptreel.agent.board import scenes_for
from promptreel.agent.brief import read_brief


def narration(prompt: str) -> list[str]:
    return [s.text for s in scenes_for(read_brief(prompt)) if s.text]


def spoken(prompt: str) -> str:
    return " ".join(narration(prompt))


# ── a label names the kind of video, never its subject ────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "purpose", "subject", "line"),
    [
        ("School notice: Greenfield Primary will close early at 1pm on Friday March 14 for staff training",
         "announcement", "Greenfield Primary",
         "Greenfield Primary will close early at 1pm on Friday March 14 for staff training."),
        ("Safety notice: the Riverside pool will be closed on Monday for repairs", "announcement", "Riverside pool",
         "The Riverside pool will be closed on Monday for repairs."),
        ("Service notice: our website will be down for maintenance on Saturday 10pm to 2am, sorry for the trouble",
         "announcement", "website", "Our website will be down for maintenance on Saturday 10pm to 2am."),
    ],
)  # fmt: skip
def test_a_notice_says_its_news_whole(prompt: str, purpose: str, subject: str, line: str) -> None:
    b = read_brief(prompt)
    assert (b.purpose, b.subject) == (purpose, subject)
    said = narration(prompt)
    assert line in said
    assert not any(
        s.lower().startswith(("school.", "safety.", "service.", "maintenance", "repairs")) for s in said
    )


@pytest.mark.parametrize(
    ("prompt", "first", "facts"),
    [
        ("Workshop recap: 30 makers, 12 tables built, \"best Saturday ever\" said one guest", "Workshop recap.",
         ["30 makers", "12 tables built", "best Saturday ever"]),
        ("Weekend recap: 12 volunteers, 300 meals served", "Weekend recap.", ["12 volunteers", "300 meals served"]),
        ("Event recap: our charity 10K last Sunday, 450 runners, £12,000 raised for Oxfam", "Our charity 10K.",
         ["450 runners", "£12,000 raised for Oxfam", "last Sunday"]),
    ],
)  # fmt: skip
def test_a_recap_opens_on_what_it_recaps(prompt: str, first: str, facts: list[str]) -> None:
    said = narration(prompt)
    assert said[0] == first
    assert all(sum(f in s for s in said) == 1 for f in facts), said
    assert "Oxfam." not in said[0] and "Best wishes" not in spoken(prompt)


@pytest.mark.parametrize(
    ("prompt", "subject"),
    [
        ("Real estate listing: 3-bed house at 14 Elm Street, Oxford, £450,000, garden, garage, open house Sunday 2-4pm",
         "3-bed house"),
        ("Property listing: 1-bed flat at 22 Mill Road, £950 a month, open viewing Saturday 10-12am", "1-bed flat"),
    ],
)  # fmt: skip
def test_a_listing_is_a_home_looked_round(prompt: str, subject: str) -> None:
    b = read_brief(prompt)
    assert b.purpose == "ad" and b.subject == subject
    said = narration(prompt)
    assert said[0].startswith(f"Take a look at {subject}")
    assert "listing" not in spoken(prompt).lower() and "meet you" not in spoken(prompt)


@pytest.mark.parametrize(
    ("prompt", "when"),
    [
        ("open house Sunday 2-4pm at 14 Elm Street", "Sunday 2-4pm"),
        ("parents' evening on Thursday 6-8pm", "Thursday 6-8pm"),
    ],
)
def test_a_weekday_with_a_clock_range_is_one_time(prompt: str, when: str) -> None:
    assert any(when in w for w in read_brief(prompt).when)


@pytest.mark.parametrize(
    ("prompt", "first"),
    [
        ("We're sorry: yesterday's orders were delayed by a warehouse fault. All orders ship by Friday and delivery "
         "is free this week", "We're sorry."),
        ("We are sorry: our app was down this morning. Everything works again and your data is safe", "We are sorry."),
    ],
)  # fmt: skip
def test_an_apology_opens_on_it_and_says_each_line_once(prompt: str, first: str) -> None:
    said = narration(prompt)
    assert said[0] == first and sum(s == first for s in said) == 1
    assert not any(s.startswith("'s") for s in said)
    assert len(said) == len(set(said))
    if "Friday" in prompt:
        assert "Yesterday's orders were delayed by a warehouse fault." in said
        assert sum("ship by Friday" in s for s in said) == 1


# ── words of the content are never read as asks to the maker ─────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "kept"),
    [
        ("Yoga retreat in Bali, 7 nights, from $1,290, includes meals and daily classes", "includes meals"),
        ("School notice: the gym is closed on Monday for staff training", "for staff training"),
        ("Reminder: staff parking is closed on Friday for staff meetings", "for staff meetings"),
    ],
)
def test_a_word_that_starts_like_an_ask_is_content(prompt: str, kept: str) -> None:
    assert kept in spoken(prompt)


# ── a comparison ──────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "subject", "line"),
    [
        ("Compare the Pixel 9 and the iPhone 16: Pixel has a better camera, iPhone has longer battery life",
         "Pixel 9 vs iPhone 16", "Pixel 9: a better camera. iPhone 16: longer battery life."),
        ("Compare the Kindle and the Kobo: Kindle has more books, Kobo has a warmer screen", "Kindle vs Kobo",
         "Kindle: more books. Kobo: a warmer screen."),
        ("对比一下两款扫地机器人：A款吸力4000Pa，续航150分钟；B款吸力3000Pa，续航200分钟", "两款扫地机器人",
         "A款吸力4000Pa，续航150分钟；B款吸力3000Pa，续航200分钟。"),
    ],
)  # fmt: skip
def test_a_comparison_says_each_side_once(prompt: str, subject: str, line: str) -> None:
    b = read_brief(prompt)
    assert b.subject == subject and len(b.compare) == 2
    said = narration(prompt)
    assert line in said
    assert sum("4000Pa" in s or "better camera" in s or "more books" in s for s in said) == 1
    assert "代码" not in spoken(prompt)  # a robot vacuum is about cleaning, not coding


def test_two_things_compared_by_name_name_the_video() -> None:
    b = read_brief("iPhone 16和华为Mate 70对比：拍照、续航、价格")
    assert b.subject == "iPhone 16和华为Mate 70"
    said = narration(b.prompt)
    assert not any(s.startswith("我们") for s in said)
    assert "拍照" in spoken(b.prompt)


# ── Chinese: notices, job ads, classes, invitations, cards ────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "first", "second"),
    [
        ("停水通知：本小区将于6月5日上午8点至下午6点停水，请提前储水", "停水通知。", "本小区将于6月5日上午8点至下午6点停水。"),
        ("停电通知：本周三上午9点至12点小区停电，电梯暂停使用", "停电通知。", "本周三上午9点至12点小区停电。"),
        ("道歉声明：由于系统故障，昨天部分订单未能发货，我们会在48小时内补发，并赠送10元优惠券", "道歉声明。",
         "由于系统故障，昨天部分订单未能发货。"),
    ],
)  # fmt: skip
def test_a_chinese_notice_is_named_by_its_title_and_told_in_order(
    prompt: str, first: str, second: str
) -> None:
    said = narration(prompt)
    assert said[:2] == [first, second]
    assert not any("有新消息" in s or "欢迎了解" in s for s in said)
    assert not any(s.startswith(("道歉声明，", "会在")) for s in said)


@pytest.mark.parametrize(
    ("prompt", "first", "role"),
    [
        ("招聘：星光咖啡招咖啡师2名，月薪6000元，包午餐，地点杭州西湖区", "星光咖啡正在招聘。", "咖啡师2名"),
        ("诚聘：蓝天物流招司机3名，月薪8000元", "蓝天物流正在招聘。", "司机3名"),
        ("我们的健身房招聘私教教练，底薪5000加提成，有证书优先", "我们的健身房正在招聘。", "私教教练"),
    ],
)  # fmt: skip
def test_a_chinese_job_ad_names_its_company_and_roles_apart(prompt: str, first: str, role: str) -> None:
    said = narration(prompt)
    assert said[0] == first
    assert sum(role in s for s in said) == 1
    assert not any(f"加入{first[:-5]}招" in s or " " in s for s in said)


@pytest.mark.parametrize(
    ("prompt", "first"),
    [
        (
            "暑期编程课开始报名啦！适合8-12岁，每周六上午10点，学费1200元/期，名额20人",
            "暑期编程课开始报名啦！",
        ),
        ("少儿书法班开始招生啦，每周日上午9点，学费800元", "少儿书法班开始招生啦！"),
    ],
)
def test_a_class_opening_its_sign_up_is_an_ad_for_it(prompt: str, first: str) -> None:
    b = read_brief(prompt)
    assert b.purpose == "ad"
    said = narration(prompt)
    assert said[0] == first
    assert not any("正在招聘" in s or "认识你" in s for s in said)


@pytest.mark.parametrize(
    ("prompt", "subject", "time"),
    [
        ("请大家参加周六的植树活动，早上9点在人民公园东门集合，工具我们准备", "植树活动", "周六"),
        ("欢迎大家参加下周五的读书分享会，晚上7点在图书馆二楼", "读书分享会", "下周五晚上7点"),
    ],
)
def test_asking_everyone_to_come_is_an_invitation(prompt: str, subject: str, time: str) -> None:
    b = read_brief(prompt)
    assert (b.purpose, b.subject) == ("invitation", subject)
    said = narration(prompt)
    assert said[0] == f"诚挚邀请你参加{subject}。"
    assert any(time in s for s in said)


@pytest.mark.parametrize(
    ("prompt", "sender", "recipient"),
    [
        ("祝老师们教师节快乐，感谢三年的陪伴，初三二班全体同学敬上", "初三二班全体同学", "老师们"),
        ("祝爸爸生日快乐，身体健康，全家敬上", "全家", "爸爸"),
        ("中秋节快乐，祝全体员工阖家团圆，公司为大家准备了月饼礼盒", "", "全体员工"),
    ],
)
def test_a_chinese_card_is_signed_at_its_end(prompt: str, sender: str, recipient: str) -> None:
    b = read_brief(prompt)
    assert (b.sender, b.recipient) == (sender, recipient)
    said = narration(prompt)
    assert said[0].startswith(f"{recipient}，")
    if sender:
        assert said[-1] == f"{sender}敬上。"


@pytest.mark.parametrize(
    ("prompt", "first"),
    [
        ("新店开张，全场饮品第二杯半价，地址：南京路88号", "新店开张啦！"),
        ("我们的书店新馆开馆啦", "我们的书店新馆开馆啦！"),
    ],
)
def test_an_opening_named_with_its_place_opens_on_it(prompt: str, first: str) -> None:
    assert narration(prompt)[0] == first


# ── a sale the subject names, at the shop the prompt names ────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "first"),
    [
        ("Back to school sale at Pencil Pot: 25% off backpacks, notebooks from $2, ends Sunday",
         "Back to school sale at Pencil Pot!"),
        ("Summer clearance sale at Oak & Ash: 50% off sofas, ends Monday", "Summer clearance sale at Oak & Ash!"),
    ],
)  # fmt: skip
def test_a_named_sale_opens_on_the_sale_at_the_shop(prompt: str, first: str) -> None:
    said = narration(prompt)
    assert said[0] == first
    assert not any(" in Pencil Pot" in s or "Join us for" in s for s in said)


# ── a how-to named by its question, a series named before its colon, before and after ─────────


@pytest.mark.parametrize(
    ("prompt", "subject"),
    [
        ("用三步讲清楚个税App怎么退税：登录、填报收入、提交申请，不要配音，15秒", "个税App怎么退税"),
        ("讲清楚手机怎么设置指纹解锁：打开设置、点击指纹、录入手指", "手机怎么设置指纹解锁"),
    ],
)
def test_a_chinese_how_to_is_named_by_its_question(prompt: str, subject: str) -> None:
    b = read_brief(prompt)
    assert b.subject == subject and len(b.items) == 3


@pytest.mark.parametrize(
    ("prompt", "name"),
    [
        ("用图表展示一下我们App的月活：1月5万，2月8万，3月12万，半分钟，竖屏", "月活"),
        ("做个图表，我们店的营业额：1月20万，2月25万，3月31万", "营业额"),
    ],
)
def test_what_the_figures_measure_names_the_chart(prompt: str, name: str) -> None:
    b = read_brief(prompt)
    assert b.series_name == name
    chart = next(s for s in scenes_for(b) if s.layout == "chart")
    assert chart.headline == name and chart.text.startswith(f"{name}：")


@pytest.mark.parametrize(
    ("prompt", "before", "after"),
    [
        ("before/after video for ClearView window cleaning: before - streaky, grimy glass; after - spotless and "
         "sparkling. finish with: call 555-0142", "streaky, grimy glass", "spotless and sparkling"),
        ("Before and after for Bright Smile dental: before - yellow, stained teeth; after - white and bright",
         "yellow, stained teeth", "white and bright"),
    ],
)  # fmt: skip
def test_before_and_after_with_dashes_is_a_comparison(prompt: str, before: str, after: str) -> None:
    b = read_brief(prompt)
    assert [(i.text, i.value) for i in b.compare] == [("Before", before), ("After", after)]
    said = narration(prompt)
    assert sum(before in s for s in said) == 1 and sum(after in s for s in said) == 1


# ── a recipe's steps, an appeal, a link asked for, a how-to, what a product is ────────────────


@pytest.mark.parametrize(
    ("prompt", "line"),
    [
        ("Quick recipe for guacamole: mash avocados, add lime juice, stir in onion and coriander, season with salt",
         "Mash avocados, then add lime juice, then stir in onion and coriander, then season with salt."),
        ("Recipe video: banana bread in 5 steps - mash 3 bananas, mix in butter and sugar, add flour, pour into a "
         "tin, bake 50 minutes at 180C",
         "Mash 3 bananas, then mix in butter and sugar, then add flour, then pour into a tin, then bake 50 minutes "
         "at 180C."),
    ],
)  # fmt: skip
def test_a_recipe_says_its_steps_whole(prompt: str, line: str) -> None:
    said = narration(prompt)
    assert line in said
    assert not said[0].lower().startswith(("recipe", "quick recipe"))


@pytest.mark.parametrize(
    ("prompt", "first", "last"),
    [
        ("Charity appeal for Shelter Now: £10 buys a warm meal, donate at shelternow.org",
         "Shelter Now needs your help.", "Donate at shelternow.org."),
        ("公益倡议：光盘行动，从我做起，每人每天少浪费一粒米", "光盘行动，一起来参与。", "光盘行动，期待你的参与。"),
    ],
)  # fmt: skip
def test_an_appeal_asks_for_help_and_never_to_meet(prompt: str, first: str, last: str) -> None:
    said = narration(prompt)
    assert said[0] == first and said[-1] == last
    assert not any("meet you" in s or "认识你" in s or "欢迎了解" in s for s in said)


@pytest.mark.parametrize(
    ("prompt", "ask"),
    [
        ("Join us for the Riverside Jazz Night on July 8 at 7pm, tickets £15 at riversidejazz.co.uk",
         "Tickets £15 at riversidejazz.co.uk."),
        ("Reminder: parents' evening on Thursday 6-8pm in the school hall, book a slot at greenfield.sch.uk",
         "Book a slot at greenfield.sch.uk."),
    ],
)  # fmt: skip
def test_an_ask_with_its_link_is_said_whole_once(prompt: str, ask: str) -> None:
    said = narration(prompt)
    assert said[-1] == ask
    assert sum(ask[:-1].split(" at ")[-1] in s for s in said) == 1


@pytest.mark.parametrize(
    ("prompt", "subject"),
    [
        ("How to use the new Budget tab in the Pennywise app: tap Budget, set a monthly limit, get alerts when "
         "you're close", "how to use the new Budget tab in the Pennywise app"),
        ("How to reset your password in the Acme Portal app: open settings, tap security, choose reset",
         "how to reset your password in the Acme Portal app"),
    ],
)  # fmt: skip
def test_a_how_to_teaches_its_whole_task(prompt: str, subject: str) -> None:
    b = read_brief(prompt)
    assert b.purpose == "explainer" and b.subject == subject
    assert narration(prompt)[0] == f"H{subject[1:]}, explained."


@pytest.mark.parametrize(
    "prompt",
    [
        "Introducing FlowDesk, a standing desk with 3 memory presets and a 5-year warranty, $499",
        "Introducing Nimbus, a travel umbrella that fits in your pocket, $29",
    ],
)
def test_a_product_said_to_be_a_thing_is_tried(prompt: str) -> None:
    said = spoken(prompt)
    assert "meet you" not in said and "Come and see" not in said and "See it for yourself" in said


@pytest.mark.parametrize(
    ("prompt", "first"),
    [
        ("关于国庆节放假的通知：10月1日至7日放假，共7天，10月8日正常上班", "关于国庆节放假的通知。"),
        ("关于春节值班安排的通知：2月10日至12日由行政部值班，电话8888", "关于春节值班安排的通知。"),
    ],
)
def test_a_chinese_notice_opens_as_a_notice(prompt: str, first: str) -> None:
    said = narration(prompt)
    assert said[0] == first and not any("有新消息" in s for s in said)


def test_a_vlog_opens_on_its_trip() -> None:
    said = narration(
        "Travel vlog intro: 5 days in Kyoto - Fushimi Inari at sunrise, tea ceremony, Arashiyama bamboo forest"
    )
    assert said[0] == "5 days in Kyoto."
    assert "Fushimi Inari at sunrise" in " ".join(said) and "vlog" not in " ".join(said).lower()


@pytest.mark.parametrize(
    ("prompt", "first"),
    [
        ("中秋节快乐，祝全体员工阖家团圆，公司为大家准备了月饼礼盒", "全体员工，中秋快乐！"),
        ("祝各位同事新年快乐", "各位同事，新年快乐！"),
    ],
)
def test_a_card_to_the_whole_team_greets_it_as_the_prompt_does(prompt: str, first: str) -> None:
    assert narration(prompt)[0] == first


@pytest.mark.parametrize(
    ("prompt", "first"),
    [
        ("30 second listing video for a 2-bedroom apartment in Lisbon, €1,200 a month, balcony, near the metro",
         "Take a look at a 2-bedroom apartment in Lisbon."),
        ("an ad for a 3-day yoga retreat in Bali, from $890", "Join us for a 3-day yoga retreat in Bali!"),
    ],
)  # fmt: skip
def test_a_name_starting_with_a_figure_keeps_its_article(prompt: str, first: str) -> None:
    assert narration(prompt)[0] == first


@pytest.mark.parametrize(
    ("prompt", "first"),
    [
        ("母亲节快乐！妈妈，谢谢你这些年的付出", "妈妈，母亲节快乐！"),
        ("父亲节快乐！爸爸，你辛苦了", "爸爸，父亲节快乐！"),
    ],
)
def test_a_relation_said_alone_is_who_the_card_is_for(prompt: str, first: str) -> None:
    said = narration(prompt)
    assert said[0] == first and first[:2] + "。" not in said


@pytest.mark.parametrize(
    ("prompt", "offer"),
    [
        ("周年庆：本店开业三周年，全场饮品买一送一，活动时间10月1日至10月7日", "全场饮品买一送一"),
        ("三周年店庆：全场满100减20，10月1日起", "全场满100减20"),
    ],
)
def test_an_anniversary_with_an_offer_is_an_ad_not_a_greeting(prompt: str, offer: str) -> None:
    b = read_brief(prompt)
    assert b.purpose == "ad"
    said = narration(prompt)
    assert sum(offer in s for s in said) == 1 and not any("快乐" in s for s in said)


@pytest.mark.parametrize(
    ("prompt", "line"),
    [
        ("New app feature: you can now split bills with friends in three taps",
         "You can now split bills with friends in three taps."),
        ("New feature: dark mode is here for every Pennywise user", "Dark mode is here for every Pennywise user."),
    ],
)  # fmt: skip
def test_a_new_feature_is_news_never_met(prompt: str, line: str) -> None:
    said = narration(prompt)
    assert line in said and not any("Meet " in s or "meet you" in s for s in said)

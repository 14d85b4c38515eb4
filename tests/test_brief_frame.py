"""The frame of a request read from the grammar of the prompt, on the real planner: who a video
is for is its audience and never its subject; a name after its description ("our new app Tidy")
is the subject; a maker's own description ("我们是一家…") names it; relative clauses about a person
are woven into whole sentences; a sale is an ad; a recurring schedule is one date; offers close.
"""

from __future__ import annotations

from promptreel.agent.board import scenes_for, title_for
from promptreel.agent.brief import Brief, read_brief


def narration(b: Brief) -> list[str]:
    return [s.text for s in scenes_for(b) if s.text]


def shown(b: Brief) -> list[str]:
    out = []
    for s in scenes_for(b):
        out += [s.headline, *(t for t, _ in s.items)]
    return out


# ── audience: "for <people>" is who it is for ─────────────────────────────────────────────


def test_an_age_group_is_the_audience_not_the_subject() -> None:
    b = read_brief("Explain how solar panels turn sunlight into electricity, 45 seconds, for 10-year-olds")
    assert b.audience == "10-year-olds"
    assert b.subject == "how solar panels turn sunlight into electricity"
    assert title_for(b)[0].lower() == "how solar panels turn sunlight into electricity"
    assert not any("10-year-olds" in t for t in narration(b) + shown(b))


def test_a_described_audience_is_taken_out_of_the_subject() -> None:
    b = read_brief("Make a 30s explainer about compound interest for first-time investors")
    assert (b.audience, b.subject) == ("first-time investors", "compound interest")
    b = read_brief("A lesson for kids aged 8-10 on how volcanoes erupt")
    assert b.audience == "kids aged 8-10" and "kids" not in b.subject


def test_an_audience_of_a_place_leaves_the_place_as_the_subject() -> None:
    b = read_brief("Welcome video for new members of our climbing gym: lockers are free, open 7am to 10pm")
    assert (b.audience, b.subject) == ("new members", "climbing gym")


def test_for_people_who_is_not_an_audience_phrase() -> None:
    b = read_brief("A promo for our staff canteen: soup of the day, fresh salads")
    assert b.audience == "" and "canteen" in b.subject


def test_a_chinese_audience_with_kan_de_leaves_the_subject_whole() -> None:
    b = read_brief("给新员工看的入职介绍：公司成立于2015年，总部在深圳")
    assert b.audience == "新员工" and b.subject == "入职介绍"


# ── appositive names ─────────────────────────────────────────────────────────────────────────


def test_a_name_after_its_description_is_the_subject() -> None:
    b = read_brief(
        "Launch video for our new app Tidy: scan receipts, split bills with friends, free for the first 3 months. Vertical, 15s"
    )
    assert (b.subject, b.kind) == ("Tidy", "our new app")
    assert title_for(b)[0] == "Tidy"
    lines = narration(b)
    assert lines[0] == "Tidy, our new app."


def test_a_possessive_name_is_not_split() -> None:
    b = read_brief("A 30-second ad for Rosa's Bakery: sourdough and cinnamon buns")
    assert b.subject == "Rosa's Bakery" and b.kind == ""


def test_a_quoted_chinese_product_name_is_the_subject() -> None:
    b = read_brief('新品上市：我们的新款保温杯"暖暖"，24小时保温，三种颜色，限时八折')
    assert b.subject == "暖暖" and b.kind == "我们的新款保温杯"
    assert narration(b)[0] == "暖暖，我们的新款保温杯。"


# ── self-descriptions ────────────────────────────────────────────────────────────────────────


def test_a_chinese_self_description_names_the_maker() -> None:
    b = read_brief("招聘视频：我们是一家杭州的创业公司，招前端工程师和设计师，周末双休，30秒")
    assert b.subject == "杭州的创业公司" and b.owner == "我们这家"
    lines = narration(b)
    assert lines[0] == "我们这家杭州的创业公司正在招聘。"
    assert lines[-1].startswith("加入我们这家杭州的创业公司")
    assert not any("我们是一家" in line for line in lines[1:])  # said once, by the opening
    assert title_for(b)[0] == "杭州的创业公司"


def test_an_english_self_description_names_the_maker_not_its_city() -> None:
    b = read_brief(
        "Hiring video: we're a small design studio in Lisbon, looking for a junior illustrator, 30s"
    )
    assert (b.subject, b.place, b.owner) == ("small design studio", "Lisbon", "our")
    lines = narration(b)
    assert lines[0] == "Our small design studio in Lisbon is hiring."
    assert lines[-1] == "Join our small design studio in Lisbon."


# ── relative clauses about a person ─────────────────────────────────────────────────────────


def test_a_relative_clause_in_a_greeting_is_woven_into_whole_sentences() -> None:
    b = read_brief(
        "Happy 60th birthday to my dad Robert, who loves fishing and jazz. Make it warm, 20 seconds"
    )
    assert b.traits == ("loves fishing and jazz",) and b.loves == ("fishing and jazz",)
    lines = narration(b)
    assert "To a dad who loves fishing and jazz." in lines
    assert "Here's to more fishing and jazz." in lines
    assert not any(line.lower().startswith("who ") for line in lines)
    assert lines[0] == "Happy 60th Birthday, Robert!"


def test_turning_an_age_names_the_birthday() -> None:
    b = read_brief("Birthday video for my grandma Lucy, who loves gardening and baking, turning 90")
    assert b.age == 90 and b.traits == ("loves gardening and baking",)
    assert narration(b)[0] == "Happy 90th Birthday, Lucy!"


def test_a_relative_clause_after_a_group_is_said_of_them() -> None:
    b = read_brief("Thank-you video for our volunteers who cleaned up Kelso Beach last weekend")
    assert "To our volunteers, who cleaned up Kelso Beach last weekend." in narration(b)


def test_a_chinese_clause_about_the_recipient_is_no_list() -> None:
    b = read_brief("祝我妈妈生日快乐，她喜欢养花和旅行，温馨一点，20秒")
    assert b.items == () and b.traits == ("喜欢养花和旅行",)
    lines = narration(b)
    assert "致喜欢养花和旅行的妈妈。" in lines and "愿你有更多时间养花和旅行。" in lines


def test_a_farewell_is_a_greeting_for_the_named_colleague() -> None:
    b = read_brief(
        "Farewell video for our colleague Priya, who is moving to Singapore after 8 years with the team"
    )
    assert b.purpose == "greeting" and b.occasion == "farewell"
    lines = narration(b)
    assert lines[0] == "All the best, Priya!"
    assert "To a colleague who is moving to Singapore after 8 years with the team." in lines


def test_outside_a_greeting_a_relative_clause_is_said_of_the_subject() -> None:
    b = read_brief("A story about our founder Maria, who started the company in her garage")
    assert "Maria started the company in her garage" in b.points


# ── sales are ads ────────────────────────────────────────────────────────────────────────────


def test_a_sale_named_for_a_holiday_is_an_ad_not_a_greeting() -> None:
    b = read_brief("Christmas sale video for our toy shop: 2 for 1 on board games, open late until 9pm")
    assert b.purpose == "ad" and b.sale == "Christmas sale" and b.subject == "toy shop"
    lines = narration(b)
    assert lines[0] == "Christmas sale at our toy shop!" and "Merry Christmas!" not in lines
    assert "2-for-1 on board games" in [i.text for i in b.items]


def test_a_sale_at_a_shop_names_the_shop_and_closes_on_the_sale() -> None:
    b = read_brief("Summer sale at Pine & Co: 30% off all linen shirts, this weekend only, 20 seconds")
    assert (b.purpose, b.subject, b.sale) == ("ad", "Pine & Co", "Summer sale")
    lines = narration(b)
    assert lines[0] == "Summer sale at Pine & Co!"
    assert lines[-1] == "Summer sale at Pine & Co. Don't miss it."
    assert "Thanks for watching" not in " ".join(lines)


def test_a_chinese_promotion_is_an_ad() -> None:
    b = read_brief("中秋节促销：月饼买二送一，全场包邮，活动到9月30日")
    assert b.purpose == "ad" and b.sale == "中秋节促销"
    lines = narration(b)
    assert lines[0] == "中秋节促销来啦！" and "感谢观看" not in "".join(lines)


# ── schedules, founding years, offers, news ──────────────────────────────────────────────────


def test_a_weekly_schedule_is_one_date_not_a_list() -> None:
    b = read_brief(
        "A 20-second reel for our yoga studio's new sunrise class: Mondays and Thursdays at 6:30am, "
        "first class free, 12 Harbour Street"
    )
    assert b.when == ("Mondays and Thursdays at 6:30am",) and b.items == ()
    assert b.address == "12 Harbour Street"


def test_since_a_year_describes_the_subject_and_is_no_product() -> None:
    b = read_brief("A 30-second ad for Rosa's Bakery, family-run since 1987, sourdough and cinnamon buns")
    assert [i.text for i in b.items] == ["sourdough", "cinnamon buns"]
    assert "family-run since 1987" in b.points


def test_a_launch_keeps_the_features_in_order_and_closes_on_the_offer() -> None:
    b = read_brief(
        "Launch video for our new app Tidy: scan receipts, split bills with friends, free for the first 3 months"
    )
    assert b.actions == ()
    assert b.points == ("scan receipts", "split bills with friends", "free for the first 3 months")
    scenes = scenes_for(b)
    said = [s.text for s in scenes]
    assert said.index("Scan receipts.") < said.index("Split bills with friends.")
    assert scenes[-1].layout == "cta" and scenes[-1].text == "Tidy: free for the first 3 months."


def test_a_team_update_names_the_update_and_keeps_its_first_news() -> None:
    b = read_brief(
        "A 60-second team update: we hit 2,000 customers, hired three engineers, and opened a new office in Austin"
    )
    assert b.subject == "team update"
    assert b.points[0] == "we hit 2,000 customers"
    assert "opened a new office in Austin" in b.points
    assert narration(b)[0] == "Here's the team update."


def test_an_update_for_investors_is_an_update_not_about_a_name_in_it() -> None:
    b = read_brief(
        "A 45-second update for investors: revenue up 40%, churn down to 2%, new CEO joins in March"
    )
    assert (b.purpose, b.subject, b.audience) == ("update", "update", "investors")


def test_a_class_with_a_street_address_is_an_ad_for_it() -> None:
    b = read_brief("周末瑜伽课：每周六早上8点，第一节免费，地址在朝阳路12号")
    assert b.purpose == "ad"
    assert not any("学会" in line for line in narration(b))


def test_an_offer_with_a_threshold_is_said_as_written_not_as_a_price_list() -> None:
    b = read_brief("A 15-second spring sale ad for our garden centre: roses from $9, free delivery over $50")
    assert b.items == () and b.points == ("roses from $9", "free delivery over $50")


# ── more wordings of the same mechanisms ─────────────────────────────────────────────────────


def test_teaching_something_to_an_age_group_is_a_lesson_on_it() -> None:
    b = read_brief("Make a short video teaching photosynthesis to 7-year-olds")
    assert (b.purpose, b.subject, b.audience) == ("lesson", "photosynthesis", "7-year-olds")


def test_members_of_a_place_as_audience_do_not_make_a_lesson() -> None:
    b = read_brief(
        "Welcome video for new students of our music school: lessons start Monday, bring your instrument"
    )
    assert b.purpose != "lesson" and b.subject == "music school"


def test_an_ad_named_as_such_stays_an_ad_when_it_mentions_an_occasion() -> None:
    b = read_brief(
        "A 30 second ad for Bloom Florist, family-run since 1995, roses, tulips and wedding bouquets"
    )
    assert b.purpose == "ad" and b.recipient == ""
    assert narration(b)[0] == "Meet Bloom Florist."


def test_sales_as_a_trade_is_no_sale_and_a_retirement_is_a_farewell() -> None:
    b = read_brief("Happy retirement to my boss Alan, who taught me everything about sales")
    assert (b.purpose, b.occasion, b.sale) == ("greeting", "farewell", "")
    lines = narration(b)
    assert lines[0] == "All the best, Alan!"
    assert "To Alan, who taught me everything about sales." in lines
    assert not any(line.startswith("Happy retirement to") for line in lines)


def test_a_sale_at_a_named_shop_names_the_shop() -> None:
    b = read_brief("Boxing Day sale at Harper Books: 40% off all hardbacks, today only")
    assert (b.purpose, b.sale, b.subject) == ("ad", "Boxing Day sale", "Harper Books")
    assert narration(b)[0] == "Boxing Day sale at Harper Books!"


def test_an_update_for_the_team_is_named_by_its_kind() -> None:
    b = read_brief("Quarterly update for the team: sales up 18%, two new clients, office move in May")
    assert b.subject == "quarterly update"
    assert narration(b)[0] == "Here's the quarterly update."


def test_a_chinese_birthday_with_an_age_names_the_recipient_alone() -> None:
    b = read_brief("祝爷爷八十大寿快乐，他喜欢下棋和钓鱼，20秒")
    assert b.recipient == "爷爷" and b.traits == ("喜欢下棋和钓鱼",)
    assert narration(b)[0] == "爷爷，生日快乐！"


def test_hiring_a_role_in_chinese_is_recruiting() -> None:
    b = read_brief("我们是一家上海的设计工作室，招UI设计师，双休，30秒")
    assert b.purpose == "recruiting" and b.subject == "上海的设计工作室"
    assert narration(b)[0] == "我们这家上海的设计工作室正在招聘。"


def test_an_occasion_word_before_a_product_is_no_occasion() -> None:
    b = read_brief("A 30 second ad for Bloom Florist: roses, tulips and wedding bouquets")
    assert b.occasion == "" and b.purpose == "ad"
    assert read_brief("birthday wishes for my sister Anna").occasion == "birthday"


def test_a_perk_in_a_recruiting_list_is_no_role() -> None:
    b = read_brief(
        "Hiring video: we're a family-owned restaurant in Porto, hiring line cooks and servers, flexible hours"
    )
    assert [i.text for i in b.items] == ["line cooks", "servers"]
    said = " ".join(narration(b))
    assert said.count("flexible hours") == 1


def test_a_chinese_clause_about_what_we_do_is_no_subject() -> None:
    b = read_brief("我们正在招聘产品经理，坐标北京")
    assert b.subject == "" and "我们正在招聘产品经理" in b.points
    assert not any("我们正在招聘产品经理正在招聘" in line for line in narration(b))


def test_a_sale_fills_with_its_own_lines_not_the_sale_as_a_name() -> None:
    b = read_brief("双十一大促：全场五折，满299包邮")
    lines = narration(b)
    assert not any("把双十一大促推荐" in line for line in lines)
    assert lines[-1] == "双十一大促，不要错过！"


def test_a_short_chinese_subject_keeps_the_kind_of_notice_it_names() -> None:
    b = read_brief("给家长看的开学通知：9月1日开学，早上8点到校，带好作业")
    assert (b.subject, b.audience) == ("开学通知", "家长")


def test_a_named_chinese_festival_ends_the_recipient() -> None:
    b = read_brief("祝爸爸父亲节快乐，他喜欢钓鱼和喝茶")
    assert b.recipient == "爸爸" and narration(b)[0] == "爸爸，父亲节快乐！"


def test_a_chinese_holiday_promotion_is_an_ad_not_a_greeting() -> None:
    b = read_brief("国庆大促：全场满减，买三送一，10月1日到7日")
    assert (b.purpose, b.sale) == ("ad", "国庆大促")
    assert narration(b)[0] == "国庆大促来啦！"


def test_a_word_of_the_sale_is_not_the_shop() -> None:
    b = read_brief("Spring clearance sale at Oak & Iron: 50% off outdoor furniture, ends Sunday")
    assert (b.subject, b.sale) == ("Oak & Iron", "Spring clearance sale")


def test_a_self_description_names_a_welcome_video() -> None:
    b = read_brief("A welcome video for new hires: we're a fintech startup in Berlin, 40 people, hybrid work")
    assert (b.subject, b.place, b.audience) == ("fintech startup", "Berlin", "new hires")
    assert narration(b)[0] == "Meet our fintech startup in Berlin."


def test_a_quoted_product_name_is_not_also_a_slogan_card() -> None:
    b = read_brief('一个30秒的视频，介绍我们的新APP"记账喵"：拍照记账，自动分类，永久免费')
    assert b.subject == "记账喵" and b.slogan == ""
    assert [s.layout for s in scenes_for(b)].count("quote") == 0

import pytest

from assistant.text import canonical_quantities, find_quantities, fold, int_to_cn, normalize, parse_cn_int


@pytest.mark.parametrize("text,value", [
    ("十七", 17), ("三十一", 31), ("一百零五", 105), ("五十七", 57), ("十", 10), ("二十", 20),
    ("17", 17), ("两", 2),
])
def test_parse_cn_int(text, value):
    assert parse_cn_int(text) == value


@pytest.mark.parametrize("n", [1, 9, 10, 11, 19, 20, 21, 31, 57, 99, 100, 105, 110, 999])
def test_int_to_cn_round_trips(n):
    assert parse_cn_int(int_to_cn(n)) == n


def test_int_to_cn_labels():
    assert int_to_cn(10) == "十" and int_to_cn(17) == "十七" and int_to_cn(31) == "三十一"


@pytest.mark.parametrize("text", ["500万元", "五百万", "5,000,000元", "500万", "五百万元", "5000000元"])
def test_money_forms_share_one_canonical_spelling(text):
    assert canonical_quantities(text) == ["500万元"]


@pytest.mark.parametrize("text,canon", [
    ("三个月", ["3个月"]), ("3 个月", ["3个月"]), ("30天", ["30天"]), ("15%", ["15%"]),
    ("百分之十五", ["15%"]), ("两年", ["2年"]), ("5个工作日", ["5个工作日"]), ("八十万", ["80万元"]),
    ("1,200,000元", ["120万元"]), ("一千万元", ["1000万元"]), ("半年内", ["6个月"]),
])
def test_quantity_canonical_forms(text, canon):
    assert canonical_quantities(text) == canon


def test_range_shares_its_unit():
    assert [q.canonical for q in find_quantities("项目投入运行后 12 至 24 个月内")] == ["12个月", "24个月"]


def test_ordinals_and_year_of_plan_are_not_quantities():
    assert find_quantities("依照第三十一条的规定") == []
    assert find_quantities("提前做好下一年度电子政务项目谋划") == []


def test_dates_are_dates():
    kinds = {q.canonical: q.kind for q in find_quantities("于每年7月底前，每月20日前，2021年8月6日")}
    assert kinds["7月底"] == "date" and kinds["20日"] == "date" and kinds["2021年"] == "date"


def test_normalize_folds_width_and_space():
    assert normalize("（含 投资概算,下同）") == normalize("(含投资概算，下同)".replace("，", ","))
    assert fold(" a \n b\tc　d ") == "abcd"


@pytest.mark.parametrize("text, value, unit", [("上线一年半", 1.5, "年"), ("3个半月", 3.5, "个月"), ("两年半", 2.5, "年")])
def test_a_half_after_a_count_of_years_or_months_is_added(text, value, unit):
    [q] = find_quantities(text)
    assert (q.kind, q.value, q.unit, q.text) == ("duration", value, unit, text.removeprefix("上线"))


@pytest.mark.parametrize("text, canon", [("预算200来万", ["200万元"]), ("两百多万", ["200万元"]),
                                         ("1000余万元", ["1000万元"]), ("20多人", []), ("很多万", [])])
def test_an_approximate_amount_is_at_least_the_number_said(text, canon):
    # 多/来/余 before 万 or 亿: the rest is under the last digit's place, so no round threshold is
    # crossed by reading the number said. Other units are not read this way.
    assert canonical_quantities(text) == canon


def test_weeks_are_a_duration():
    assert [q.canonical for q in find_quantities("试运行两个星期")] == ["2周"]
    assert [q.canonical for q in find_quantities("3周后")] == ["3周"]
    assert find_quantities("成立十周年") == [] and [q.unit for q in find_quantities("每周报一次")] == ["次"]


def test_hui_counts_times_as_ci_does():
    # "走两回" is spoken for 两次; 一回事, 回复, 回来 are words, not counts.
    assert [(q.kind, q.value, q.canonical) for q in find_quantities("一年里走两回应该也行吧")][-1] == ("count", 2.0, "2次")
    assert find_quantities("这是一回事") == [] and find_quantities("一回来就报") == []

"""The question as a request: what is asked (who / when / how long / how much / whether …), about
what, and which words only describe the asker's situation.

A user writes "我们市教体局今年新开发一套教育资源管理系统（六安），上线前要不要做等保测评？". The unit
(教体局) and the project's name (教育资源管理系统) are the situation; "上线前要不要做等保测评" is the ask.
Only the ask decides whether the 办法 speak to the question, and a quantitative ask (多少钱, 几个,
多久一次) is answered only by a sentence that states such a quantity for the thing asked about.
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from assistant.text import HALF_YEAR, Quantity, find_quantities, with_half_years


class Asked(str, Enum):
    """The attribute a question asks for."""

    WHO = "who"                # 谁组织 / 哪个部门
    PAYER = "payer"            # 谁出钱 / 钱从哪出
    FEE = "fee"                # 多少钱 / 收费标准: a price or rate
    RATE = "rate"              # 百分之几 / 比例是多少
    THRESHOLD = "threshold"    # 多少万以上 / 门槛
    COUNT = "count"            # 几个专家 / 多少人
    FREQUENCY = "frequency"    # 多久一次 / 每年几次
    DURATION = "duration"      # 多久 / 几个月
    DATE = "date"              # 什么时候 / 几月份
    STANDARD = "standard"      # 按什么标准 / 建设标准是什么: a named standard or specification
    MATERIALS = "materials"    # 交哪些材料
    STEPS = "steps"            # 怎么办 / 走什么程序
    CONSEQUENCE = "consequence"  # 会怎么样 / 有什么后果
    APPLIES = "applies"        # 适用吗 / 归这个办法管吗
    CHOICE = "choice"          # 甲级还是乙级
    GRADE = "grade"            # 资质要什么等级 / 是不是必须甲级资质: a grade of a qualification
    PROVIDER = "provider"      # 找哪家 / 哪个厂商 / 推荐一家: a named firm, which no 办法 names
    CONTACT = "contact"        # 电话多少 / 在哪办公 / 网址: how to reach a body, which no 办法 gives
    WHETHER = "whether"        # 要不要 / 能不能 / 是不是
    WHAT = "what"              # anything else


# What a firm is called in speech: the kinds a user asks "哪家" of.
FIRM_NOUNS = "公司|厂商|厂家|供应商|服务商|事务所"
GRADE_ASKED = re.compile(r"资质等级|(?:[甲乙丙几]|什么|哪一?)级别?[^，。？?]{0,2}资[质格]|(资质|资格)[^，。？?]{0,6}(等级|[甲乙丙]级|几级|什么级|哪一?级)|"
                         # a protection level ("等保应该定几级"), a grade of the same kind
                         r"(等保|等级保护|保护等级)[^，。？?]{0,6}(几级|什么级|哪一?级)|"
                         r"CMMI|CMA|CNAS")

# "A还是B" offers alternatives; "还是得做" ("still has to") and "还是不行" do not.
OFFERS_ALTERNATIVES = re.compile(r"还是(?!得|要|需要|应该?|会|不)")


# The first pattern that matches a segment names what it asks; the order puts the specific
# before the general (钱从哪出 is PAYER before 哪 makes it anything else).
_ASKED: tuple[tuple[Asked, re.Pattern], ...] = tuple((a, re.compile(p)) for a, p in (
    (Asked.CONTACT, r"电话|联系方式|(?<!项目)地址(?!栏)|网址|邮箱|办公地点|在哪(里|儿)?办公"),
    # "谁出意见" asks who issues an opinion, not who pays.
    (Asked.PAYER, r"谁(来)?(出|掏|承担|负担|付|买单)(?!意见|具|台|面|题|报告|方案|证明|结果)|(从|在)哪(里|儿)?(出|列支|开支|支出)|哪(里|儿)?出|(钱|费用?|经费|资金)(从|由)(哪|谁|什么)"),
    # "不管多少钱都得请监理" says "whatever the amount": it asks no price.
    (Asked.FEE, r"(?<!不管)(?<!不论)(?<!无论)(多少|几)(块)?钱(?!以上|以下|以内|起|[才就]?算)|(收费|费用|付费|取费|计费|报酬|劳务费|评审费|费)的?(各地|各自|分别)?(的)?标准(是)?(多少|是什么|怎么定)?(?=[？?，。]|$|各|分别)|"
                # the amount before the fee: "一次给多少评审费", "多少劳务费"
                r"(花|收|付|给)?(多少|几)(块钱?)?(?![万元个次])[\u4e00-\u9fa5]{0,4}?(费|费用|报酬)(?!用于|用来)|"
                r"(费|费用|价|价格|报价|单价|费率)(一般|大概|大约)?(是|要|为|收)?(多少|几)|(花|收|付|给)(多少|几)|"
                # "专家费怎么算", "评审费咋给": how a fee is worked out is its standard
                # ... as is what standard it is charged by ("监理费按什么标准收")
                r"(费|费用|报酬)(一般|大概)?(怎么|如何|咋|按照?(什么|啥|哪个)(标准)?)(算|收|定|给|发|计算|计|核定|支付)"),
    # "付到合同金额的多少": a part of an amount is a share of it.
    (Asked.RATE, r"百分之(几|多少)|(金额|投资|预算|资金|价款|概算)的多少(?![万元钱比%])|占[^，。？?]{0,8}(多少|几成)(?!钱|万|元|人|个|天|年)|(比例|比率|费率|税率)[^，。？?]{0,4}(是)?(多少|几)|几成|多少%|(什么|哪个|啥|多少)的?(比例|费率|比率|税率)|"
                r"(占|打|扣|得|给)?(多少|几)分(?![钟之开批期类别项])|分值|权重"),
    # How big a project must be to count as a kind ("多小算规模较小", "多少钱算大项目"), and whether an
    # amount draws the line ("有没有金额标准"): the line is the answer.
    (Asked.THRESHOLD, r"多少万|(总?投资|投资额|预算|概算|金额)?(多少|多大|什么)(金额|钱|投资|规模)?(以上|以下|起)|(门槛|限额|数额标准|金额标准|额度)[^，。？?]{0,4}(多少|多大|几)|"
                      r"(多小|多大|多少钱)(的项目)?(才)?算|(有没有|有无|是否有)(明确|具体)?的?(金额|数额|投资额|额度)的?(标准|界限|门槛|上限|下限|限制)"),
    # "几个时间节点" asks for the times, not how many there are; so does "几个关键时间点分别是干嘛的"
    # (what each one is).
    (Asked.COUNT, r"(?<!哪)(几|多少)(个|名|位|家|人)(?!地方|城市|市|区|县|办法|月|工作日|星期|小时|时间|节点)"
                  r"(?![^，。？?]{0,10}(分别|各自|各是|都是|是(什么|哪|啥)|干(嘛|啥|什么)))"),
    (Asked.FREQUENCY, r"(多久|多长时间|几年|几个月|每年|每季度)[^，。？?]{0,6}(一次|几次)|多少次|频次|频率"),
    # How many times, with no period around it ("还能再整改几次"): a count.
    (Asked.COUNT, r"(?<!分)(几|多少)次"),  # "分几次付" asks how it is split, not a count
    # How many of a unit of time ("保存多少年", "几个星期", "多少个工作日"); 几月 (no 个) is a month of the year.
    (Asked.DURATION, r"多久|多长(?:时间)?|多少时间|(几|多少)个?(工作日|小时|星期|周|天|年)(?![度级底初])|(几|多少)个月|期限|时限"),
    # A procedure's 节点 are its dates ("申报程序有哪些节点").
    (Asked.DATE, r"(什么|啥)时候|何时|几月份?|几号|哪天|截止|时间节点|(哪些|哪几个?|几个)节点"),
    (Asked.STANDARD, r"(什么|哪些|哪个|啥)(技术)?标准|标准是(什么|啥)|按(什么|哪个)标准|(执行|符合)(什么|哪些|啥)(标准|规范)"),
    # "报哪些部门" asks to whom: the noun after 哪些 decides.
    (Asked.MATERIALS, r"(哪些|什么|啥)(特别的|其他的?|别的)?(材料|资料|文件|东西|内容)|(交|报|提交|准备|报送)(哪些|什么|啥)(?!部门|单位|机构|地方)"),
    # What to get ready ("之前有啥特别要准备的", "之前要注意什么"): the steps, not a date.
    (Asked.STEPS, r"(什么|啥|哪些)[^，。？?]{0,4}(准备|注意)|(准备|注意)(些|点)?(什么|啥|哪些)"),
    # "…之前" asks by when, unless the segment asks for something more specific ("申报之前要准备啥材料").
    (Asked.DATE, r"之前"),
    (Asked.CONSEQUENCE, r"(会|有)(怎么样|咋样|怎样)|会被?(怎么|如何|咋)(处理|处罚|追责|问责)|(受到|有|会有)?(什么|啥)(后果|影响|处罚)|后果|(怎么|如何)(处理|处罚|追责)|"
                        r"(受|受到|挨|会有)(什么|啥|哪些)(处理|处分|追责|问责)"),
    # Which firm ("找哪家机构比较好", "哪家云厂商在运营", "推荐一家"): a provider, not the body that
    # decides (哪个部门).
    (Asked.PROVIDER, rf"哪一?家|哪个({FIRM_NOUNS})|推荐(一下|一家|个|几家)?"),
    # Where to hand something in is to whom: "报到哪", "交给哪儿", "找哪里批".
    (Asked.WHO, r"谁|哪(个|些|家)(部门|单位|机构)|(什么|啥)(部门|单位|机构)|"
                r"(报|交|送|递|提交|申报|报送|找)(到|给|去)?(哪里|哪儿|哪(?=[？?，。！!\s]|$))"),
    # "归市机关事务局管" names who manages it, not whether the 办法 govern it.
    (Asked.APPLIES, r"适用|管不管|归(?![^，。？?]{0,6}(谁|哪))(?![^，。？?]{0,10}(局|委|办|单位|部门|中心)管)[^，。？?]{0,12}管|按(?![^，。？?]{0,4}(什么|啥|哪))[^，。？?]{0,16}管(?![局委])|纳入[^，。？?]{0,8}(吗|么)|"
                    r"按[^，。？?]{0,12}办法[^，。？?]{0,4}(来|走|执行|办|申报|报|管)|(走|用|适用)[^，。？?]{0,4}(这个|该|本)办法|算不算|属不属于|受[^，。？?]{0,10}约束|"
                    # a level the scope names: "街道的项目算区本级的吗"
                    r"算[^，。？?]{0,6}(本级|市级|区级|县级)[^，。？?]{0,4}(吗|么|不)|"
                    r"属于[^，。？?]{0,12}(吗|么)|(是不是|算)[^，。？?]{0,8}(电子政务|政务信息化|信息化)项目|"
                    r"按[^，。？?]{0,12}项目[^，。？?]{0,4}(报|申报|走|管)(吗|么)|"
                    # the 办法 itself as what a project falls under: "照…这个办法执行吗", "算在这个办法里吗"
                    r"(照|套|参照|算在|在)[^，。？?]{0,12}办法[^，。？?]{0,6}(吗|么|不)|"
                    # "能不能直接套…那个办法", "可不可以参照…办法"
                    r"(能不能|可不可以|能否|可否|要不要|是否)[^，。？?]{0,4}(照|套|参照|按|用)[^，。？?]{0,12}办法"),
    (Asked.STEPS, r"怎么|如何|怎样|咋|干嘛|干啥|干什么|做什么|流程|程序|步骤|手续|第一步|几步|哪些环节|几个环节"),
    # "还是得做" is "still has to": 还是 before a modal offers no alternative
    (Asked.CHOICE, OFFERS_ALTERNATIVES.pattern),
    # A grade of a qualification or certification ("是不是必须甲级资质", "资质要几级", "CMMI三级以上"):
    # having 信息工程监理资质 at all is not a grade.
    (Asked.GRADE, GRADE_ASKED.pattern),
    (Asked.WHETHER, r"吗|(?<![什怎这那])么|是否|能否|可否|要不要|需不需要|能不能|可不可以|是不是|对吧|是吧|对不对|对吗|真的假的|有没有|(?<![费作使功信])用不用|行不行|吧[？?]?$"),
))
# A question mark or an interrogative word makes a segment an ask (这么/那么 do not: "这么大的项目").
_INTERROGATIVE = re.compile(r"[？?]|吗|呢|(?<![这那多])么|什么|啥|咋|干嘛|哪|怎|如何|多少|多久|多长|几|谁|是否|能否|可否|"
                            r"([\u4e00-\u9fa5])不\1|可不可以|对吧|是吧|吧$|有没有|还是(?!得|要|需要|应该?|会)")
# 几 that counts loosely in a statement, not a question: "用了好几年了", "好几家公司都能做",
# "十几个", "几十万", "有几个指标没达到".
_INDEFINITE = re.compile(r"(好|十|这|那|前|近|没|过)几|几(十|百|千|万)|有几(个|项|处|条|家)[^，。？?]{1,12}(没|未|不)")
# Users who type without punctuation separate with spaces ("乐山医保局 一期系统还没验收 能立项吗").
# Users who type without punctuation separate with spaces ("乐山医保局 一期系统还没验收 能立项吗");
# a space inside a name ("GB/T 39786") does not separate.
_PIECE = re.compile(r"(?P<text>(?:[^，,。；;！!？?\s]|\u2002|(?<![\u4e00-\u9fa5\s])[^\S\u2002]+|[^\S\u2002]+(?![\u4e00-\u9fa5\s]))+)"
                    r"(?P<mark>[，,。；;！!？?]|[^\S\u2002]+|$)")
# The asker: a unit named at the start of a segment ("我们市教体局…", "乐山市住建局有个系统…").
# (A unit's name has no 是 in it: "责任人是项目单位的一把手" says who the 责任人 is.)
_ASKER = re.compile(r"^(?:我们|我|咱们)?(?:是)?(?:市|区|县|镇|乡)?(?:(?!是)[\u4e00-\u9fa5]){1,8}?"
                    r"(?:局|委员会|委|办公室|厅|中心|科室|街道|乡镇|单位|部门)(?=[的有想要准备打算在这今去]|$)")
# Words of a bound, which belong to the number asked for ("多少万以上必须公开招标": 公开招标).
# "除了正文", "除了可研之外": the thing set aside, up to what follows it (还/也, 之外).
_EXCEPT = re.compile(r"除了?(?P<thing>[^，,。？?还也]{1,12}?)(?:之外|以外|外)?(?=[还也])")
_COMPARATORS = re.compile(r"及以上|及以下|以上|以下|以内|不超过|超过|不低于|低于|不少于|少于|达到|最高|最低|至少|最多")
_PREPOSITIONS = tuple("对向由给跟和与把被让请从及")
# The project's name: what is built ("开发一套教育资源管理系统", "上一个应急指挥的小系统").
_PROJECT = re.compile(r"(?P<verb>新建|建设|建|自建|上|开发|做|搞|采购|购买|升级|改造|部署|搭建)"
                      r"(?:了)?(?:一个|一套|一批|一款|个|套)(?P<name>[^，,。？?！!；;、]{1,16}?"
                      r"(?:系统|平台|应用|APP|app|App|工程|网站|小程序|大屏|软件))")
_NAMED_SYSTEM = re.compile(r"(?P<name>[\u4e00-\u9fa5]{2,12}(?:系统|平台))(?=升级|改造|扩容|建设|项目)")
# When the asker is: the question's moment, not its topic ("今年3月上面突然下了个任务"). 年底 and
# 年初 are not among them: they are what the texts set deadlines by ("每年年底前提交").
_WHEN = re.compile(r"接下来|今年|明年|去年|前年|上个月|下个月|这个月|年中|上半年|下半年|最近|目前|上周|下周")
_ATTRIBUTE_WORDS = re.compile(r"要不要|需不需要|能不能|可不可以|是不是|有没有|(?<![费作使功信])用不用|行不行|"
                              r"多少钱|多少|多久|多长时间|多长|几个|几名|几月份?|什么时候|怎么样|怎么办|怎么|如何|"
                              r"是这样|这样|对不对|对的|没错|听说|请问|一般|大概|大约|通常|差不多|"
                              r"哪些|哪个|什么|啥|谁|吗|呢|吧|么|还是|现在|还能|我们|需要|应该|可以|要(?!求|点|素|件)|走|弄|办(?!法|公|理)|做(?!法)|搞")
# Words of any procedure or comparison: "要走什么手续", "各自怎么处理" ask about what the context
# names, not about 手续 or 处理.
# "现在要提前做什么准备", "得注意些啥" ask what to do about what the context names.
_PROCEDURE_WORDS = re.compile(r"手续|流程|程序|步骤|具体|第一步|分?(哪|几)+步走?|环节|怎么弄|怎么搞|怎么办|咋办|咋弄|咋整|(怎么|如何)处理|"
                              r"(提前|事先|预先|先)?(做|干|准备|注意|弄|搞)(些|点|好)?(什么|啥|哪些)(准备|工作|事情?)?|"
                              # "要过哪几关", "过几道关": the steps, in the spoken idiom
                              r"过?(哪|几|多少)+(道|个)?关(卡)?|"
                              r"分别|各自")


@dataclass(frozen=True)
class Request:
    question: str
    asked: tuple[Asked, ...]       # in the order the asks come (one per ask segment)
    asks: tuple[str, ...]          # the ask segments, situation removed
    context: tuple[str, ...]       # the other segments, situation removed


# Attributes whose answer is a quantity (or, for PAYER, a source of funds): a clause that states
# none for the thing asked about does not answer them, however many words it shares.
QUANTITATIVE = frozenset({Asked.FEE, Asked.RATE, Asked.THRESHOLD, Asked.COUNT, Asked.FREQUENCY, Asked.DURATION,
                          Asked.PAYER, Asked.STANDARD, Asked.GRADE, Asked.PROVIDER, Asked.CONTACT})


@lru_cache(maxsize=1024)  # pure: the same text is parsed once however many steps ask (lead, verdict, …)
def understand(question: str) -> Request:
    """Split a question into its asks and its context, the asker's situation left out. `question`
    has its place names blanked (QueryAnalysis.topic): "乐山市住建局" leaves the 住建局 at the start."""

    def drop_project(m: re.Match) -> str:
        if _INTERROGATIVE.search(m.group("name")) or re.search(r"[要时后前]", m.group("name")):
            return m.group(0)  # "建设时要接入什么平台": the ask, not a name
        verb = m.groupdict().get("verb") or ""
        return f"{verb}项目"  # "新做一套执法检查系统" → "新做项目": what is built, not its name

    q = _WHEN.sub("", question)
    q = _PROJECT.sub(drop_project, q)
    q = _NAMED_SYSTEM.sub(drop_project, q)
    asks: list[str] = []
    context: list[str] = []
    asked: list[Asked] = []
    for piece in _PIECE.finditer(q):
        raw, mark = piece.group("text"), piece.group("mark")
        seg = raw.strip("（）() 　\u2002")
        m = _ASKER.match(seg)
        if (m and len(seg) > len(m.group(0)) and not _INTERROGATIVE.search(m.group(0)) and "办法" not in m.group(0)
                and not m.group(0).startswith(_PREPOSITIONS)):  # "对监理单位有啥要求": the topic, not the asker
            seg = seg[m.end():]
        if not seg:
            continue
        if mark in ("？", "?") or _INTERROGATIVE.search(_INDEFINITE.sub("", seg)):
            # What the ask sets aside ("除了正文还得附哪些图和表") is what the asker has, not
            # what is asked: the story's, not the ask's.
            excepted = _EXCEPT.search(seg)
            if excepted and _INTERROGATIVE.search(_INDEFINITE.sub("", seg[excepted.end():])):
                context.append(excepted.group("thing"))
                seg = seg[:excepted.start()] + seg[excepted.end():]
            # Asks listed with 、 ("最晚啥时候报、要填哪些表") are asks of their own.
            parts = [p for p in seg.split("、") if p]
            listed = len(parts) > 1 and all(_INTERROGATIVE.search(_INDEFINITE.sub("", p)) for p in parts)
            for part in parts if listed else [seg]:
                asks.append(part)
                asked.append(_asked_of(part, q))
        else:
            context.append(seg)
    if not asks:  # a bare topic ("六安验收"): the whole question is the ask
        asks, context = context, []
        asked = [_asked_of(s, q) for s in asks]
    return Request(question=question, asked=tuple(asked), asks=tuple(asks), context=tuple(context))


def _asked_of(segment: str, question: str) -> Asked:
    """What a segment asks. "怎么处理" asks for a consequence only after a breach ("挪用资金会怎么
    处理"); of anything else ("涉密的系统怎么处理") it asks how it is handled."""
    asked = next((a for a, p in _ASKED if p.search(segment)), Asked.WHAT)
    if asked in QUANTITATIVE and _CLAIM_TAG.search(segment):
        # Under a tag asking for agreement 几/多少 is indefinite: "请几个专家搞定就行了吧" claims
        # a few will do; it asks whether, not how many.
        return Asked.WHETHER
    if (asked is Asked.CONSEQUENCE and _HANDLED.search(segment) and not _BREACH.search(question)
            and not dict(_ASKED)[asked].search(_HANDLED.sub("", segment))):
        return Asked.STEPS
    return asked


_CLAIM_TAG = re.compile(r"吧[？?]?$")
_HANDLED = re.compile(r"(?<![会被])(怎么|如何)处理")  # "会怎么处理我们" asks what follows
# What a consequence follows: a breach of a rule, something not done, a failure, a refusal.
_BREACH = re.compile(r"违规|违反|违法|违约|没|未|不按|擅自|私自|挪用|挤占|截留|虚报|瞒报|谎报|弄虚作假|"
                     r"拒不|拒绝|不配合|不共享|不整改|逾期|超概算|超预算|超标|不合格|不达标|结余|剩|"
                     r"出(了)?问题|事故|泄露|造成|损失|不报")


def strip_procedure(ask: str) -> str:
    """An ask without the words of any procedure: "中间要经过哪些步骤" asks about what comes
    between, not about the word 步骤."""
    return _PROCEDURE_WORDS.sub(" ", ask)


# Words that ask how cities' rules compare, or ask for rules at all (有什么要求, 办法里怎么规定):
# no topic of their own.
COMPARE_WORDS = re.compile(r"对比|比较|区别|不同|差别|一样|办法|规定|要求")

# Attributes a clause can show it answers by stating a value of their kind.
VALUED = QUANTITATIVE | {Asked.DATE, Asked.PAYER, Asked.WHO, Asked.CONSEQUENCE}
# What follows a breach: "不予审批", "不安排运行维护经费", "暂停项目建设", "予以下架", "通报批评".
_SANCTION = re.compile(r"不予|不安排|不再安排|不批准|不得[^，。；]{0,4}(投入|使用|运行)|暂停|暂缓|终止|中止|通报|追究|处分|取消|下架|淘汰|撤销|收回|扣减|核减|"
                       r"限期整改|责令|约谈|问责|查处")
# Who does it: "由项目建设单位联合市数管局组织", "市财政局负责…".
# Who acts, or to whom something goes: "由…组织", "负责", "向市数管局提出…申请", "报市发改委审批".
_ACTOR = re.compile(r"由[^，。；;]{1,36}(组织|负责|审批|审核|编制|实施|承担|开展|出具|下达|批复|核准|受理|办理|确认)|负责|牵头|"
                    # 由 and a body, whatever it then does ("项目初验由项目建设单位在项目建设完成后，邀请…")
                    r"由[^，。；;由]{0,14}?(单位|局|委|办公室|小组|部门|中心|机构|政府)|"
                    r"向[^，。；;]{2,20}(申请|报送|提交|提出|报告|备案|递交)|报(送)?[^，。；;]{2,16}(审批|审核|审查|备案|批准|同意)")
# A firm by its name: "…有限公司", "…股份", "…集团".
_FIRM = re.compile(r"有限(责任)?公司|股份|集团")
# A standard or specification named: "按照国家技术标准", "GB/T 22239", "相关标准、规范".
# How to reach a body: a phone number, an e-mail or web address, a street address.
_CONTACT = re.compile(r"\d{5,}|@|https?://|www\.|[路街]\d+号")
_STANDARD = re.compile(r"标准|规范|GB|《[^》]*(标准|规范|指南)》")
# Where money comes from: "费用纳入该项目预算", "由项目单位承担", "列入年度预算".
# Also who guarantees the money ("负责…资金保障"), whose money a project uses ("使用市级财政性资金"),
# and how it is shared ("资金分级承担").
_FUNDING = re.compile(r"(纳入|列入)[^。；;]{0,12}预算|列支|自筹|出资|资金来源|(资金|经费)保障|使用[^。；;]{0,8}财政性?资金|"
                      r"(费用|经费|资金)[^。；;]{0,10}(由|从)[^。；;]{0,14}(承担|负担|支出|安排|解决|保障)|"
                      r"(费用|经费|资金)[^。；;，]{0,6}(承担|负担)")
# A year's own name (下一年度, 次年度), not the 年度 of a plan or budget ("根据年度投资计划"); 前 after
# an event or a time, or 提前 (in advance of a date), not 目前 (now).
_DATE = re.compile(r"月底|\d+月|[一二三四五六七八九十]+月|\d+日|(下一?|次|本|上一?|前一?|每)年度?|(?<![目当])前")
_WITHIN = re.compile(r"(半年|[\d一二两三四五六七八九十]+\s*(个月|个工作日|工作日|日|天|年))内")
_VALUE_KINDS = {
    Asked.FEE: ("money",),
    Asked.RATE: ("percent",),
    Asked.THRESHOLD: ("money",),
    Asked.COUNT: ("count",),
    Asked.DURATION: ("duration",),
    Asked.FREQUENCY: ("duration",),
}
COUNTED = re.compile(r"[一二两三四五六七八九十\d]+(个(?!月|工作日|小时|季度)|名|位|家|人|张|项|份|类)")  # 2个月 is a duration
_FEE_WORD = re.compile(r"费|价|报酬|酬金|补贴|补助|收取")
_PERIODIC = re.compile(r"每(个)?(年|季度|月|半年|周)|按(年度|季度|月)|一年一次")


def states_value(asked: Asked, sentence: str) -> bool:
    """Whether a sentence states a value of the kind the attribute asks for."""
    if asked is Asked.FREQUENCY and _PERIODIC.search(sentence):
        return True
    if asked is Asked.FREQUENCY:
        return False  # how often is answered by a period (每年, 定期), not by a duration
    if asked is Asked.DURATION and HALF_YEAR.search(sentence):
        return True
    if asked is Asked.PAYER:
        return bool(_FUNDING.search(sentence))
    if asked is Asked.WHO:
        return bool(_ACTOR.search(sentence))
    if asked is Asked.CONSEQUENCE:
        return bool(_SANCTION.search(sentence))
    if asked is Asked.STANDARD:
        return bool(_STANDARD.search(sentence))
    if asked is Asked.GRADE:
        # (A rule on systems of a level, "第三级（含）以上的项目系统应…", does not say which level one takes.)
        return bool(GRADE_ASKED.search(sentence))
    if asked is Asked.PROVIDER:
        return bool(_FIRM.search(sentence))
    if asked is Asked.CONTACT:
        return bool(_CONTACT.search(sentence))
    if asked is Asked.DATE:
        # A date, or a time limit counted from an event ("完成建设任务后的半年内").
        return bool(_DATE.search(sentence) or _WITHIN.search(sentence))
    if asked is Asked.FEE and not _FEE_WORD.search(sentence):
        return False  # "投资预算达到100万元" is an amount, not what anything costs
    if asked is Asked.COUNT and COUNTED.search(sentence):
        return True  # "一张表格只能填写一个项目": a count in words, which quantities leave out
    kinds = _VALUE_KINDS.get(asked, ())
    return any(q.kind in kinds for q in find_quantities(sentence))


_DEADLINE_WORDS = ("截止", "之前")


def focus(asked: Asked, ask: str) -> str:
    """An ask without the words that ask for the attribute: what it is asked of ("评审费每人按多少钱
    标准发" → "评审费每人按 发")."""
    # Every way the attribute is asked (什么时候 and …之前 both ask for a date); a deadline's own
    # word stays: "截止到几月" asks for the date by which something is due.
    text = ask
    for a, pattern in _ASKED:
        if a is asked:
            text = pattern.sub(lambda m: m.group(0) if m.group(0) in _DEADLINE_WORDS else " ", text)
    return _COMPARATORS.sub(" ", _ATTRIBUTE_WORDS.sub(" ", text))


# Another document by name: a law (政府采购法, 个人信息保护法), a regulation (…条例), or a 办法 of
# another level (国家/省…办法). What it says is not in the corpus, which holds four cities' 办法.
_LAW = re.compile(r"《([^》]{2,40})》|"
                  r"((?:国家|国务院|中央|全国|省级|省里|[\u4e00-\u9fa5]{2,3}省)[\u4e00-\u9fa5]{0,16}?(?:办法|细则|条例))|"
                  r"([\u4e00-\u9fa5]{2,12}?(?:(?<!办)法|条例))(?!律|规(?!定)|院|人|定|官|学|子|则|治|务)|"
                  # a 办法 by its title: one of the corpus's, or another ("政务信息资源共享管理办法")
                  r"([\u4e00-\u9fa5]{2,16}?(?:管理办法|暂行办法|实施办法|实施细则|管理规定))|"
                  # a standard, by its version (等保2.0) or its code (GB/T 22239): no 办法 carries one
                  r"((?:[\u4e00-\u9fa5]{2,8}|[A-Za-z]{2,8})\s?\d+\.\d+(?![\d.]*\s?(?:万|亿|元|%|个|年|天|月))|"
                  r"(?:GB|ISO|IEC)(?:\s?/\s?[TZ])?\s?\d{3,6}(?:[-—]\d{4})?)")
def in_order(name: str, title: str) -> bool:
    """Whether the characters of `name` occur in `title` in the same order (an abbreviation:
    "电子政务管理办法" of a title, "发改委" of "市发展改革委")."""
    rest = iter(title)
    return all(ch in rest for ch in name)


_NOT_A_LAW = ("办法", "方法", "做法", "依法", "合法", "违法", "算法", "说法", "看法", "想法", "写法", "用法", "无法",
              "设法", "执法", "司法", "立法", "手法", "章法", "非法")
_LEADING = re.compile(r"^(?:按照|按|依照|依据|根据|照|的|和|与|对|跟|是|那|这个|这|符合|合|遵守|要)+")
# Asking what it says: "…对验收是怎么规定的", "…里有什么要求", "…最高能罚多少".
_ITS_CONTENT = re.compile(r"^[^，。？?]{0,24}(规定|要求|怎么|什么|哪些|哪几|多少|多久|多长|几|第[一二三四五六七八九十百\d]+条)")
# A document set before the ask: "…法，", "…办法里，".
_FRAMED = re.compile(r"^(?:这个|这份|那个)?(?:国家标准|行业标准|地方标准|标准|规范|文件|通知|意见)?(里|中|里面|当中|上面)?[，,]")
# ... or asked after, by pointing back to it: "按《…共享管理办法》管，那个办法里目录要多久更新一次".
_BACK_TO_IT = re.compile(r"^[^。？?]{0,12}[，,](?:那个|那份|那|该)(?:办法|文件|规定|条例|标准|细则)(?:里|中|里面|上)?"
                         r"[^，。？?]{0,20}(规定|要求|怎么|什么|哪些|哪几|多少|多久|多长|几)")
# Whether the 办法 send the reader to it ("要按招标投标法执行吗"), not what it says.
# (The 么 of 怎么, 什么 asks what it says.)
_REFERENCE = re.compile(r"^[^，。？?]{0,6}(执行|办理|走|适用|来)?(吗|(?<![怎什这那多])么|吧)")


def other_documents(question: str, titles: Sequence[str] = ()) -> list[str]:
    """Documents other than the 办法 that a question asks about by name, as written. `titles`:
    the corpus's documents, whose titles (or their characters in order: "电子政务管理办法") name
    one of them, not another document."""
    out = []
    for m in _LAW.finditer(question):
        group = next(i for i, g in enumerate(m.groups()) if g)
        name = _LEADING.sub("", m.group(group + 1))
        if group == 3 and (not titles or any(in_order(name, t) for t in titles)):
            continue
        if group == 2:  # a law's name holds no function word: "乐山采购要按招标投标法" → 招标投标法
            name = re.split(r"依据|根据|[按依照的要对和与在把将是]", name)[-1]
        if len(name) < 3 or (group == 2 and name.endswith(_NOT_A_LAW)):
            continue
        if re.search(r"这个|本办法|该办法|此办法|这份", question[max(0, m.start() - 4):m.end()]):
            continue
        after = question[m.end():]
        # "按政府采购法，服务类项目达到多少金额…", "国家…办法里，中央部门的…怎么划分": the document is
        # the topic the next clause asks about.
        framed = _FRAMED.match(after)
        # ... also a document the 办法 mention ("办法里提到的《…条例》，对…有什么处罚").
        if framed and (m.start() == 0 or re.search(r"(按|依|据|照|在|(提到|提及|引用|说)的)$", question[:m.start()])
                       or framed.group(1)):
            after = after[framed.end():]
        if not (_ITS_CONTENT.search(after) or _BACK_TO_IT.search(after)):
            continue
        at = question.find(name, m.start())
        before = question[max(0, at - 3):at]
        if re.search(r"按|依|据|适用", before) and _REFERENCE.search(question[m.end():]):
            continue
        out.append(name)
    return out


def as_written(name: str, question: str) -> str:
    """A name found in the question's topic (its places blanked: "   大数据发展条例")
    as the question writes it ("安徽省大数据发展条例")."""
    pieces = [re.escape(p) for p in re.split(r"[\s\u2002]+", name) if p]
    if not pieces:
        return name
    m = re.search(r"[\u4e00-\u9fa5]{0,8}?".join(pieces) if len(pieces) > 1 else pieces[0], question)
    lead = len(name) - len(name.lstrip("\u2002 "))
    if m is None:
        return name.strip()
    return question[max(0, m.start() - lead):m.end()]


# A question tag alone: the claim is what was said before it.
TAG_ASKED = re.compile(r"^(对吗|对吧|对不对|是吧|是吗|是不是|是这样吗|没错吧|没记错吧|对么|"
                       r"(就)?是(这么|这样)(规定|要求|写|说|定)的?(吧|吗|么|嘛)?)[？?]?$")


def claim_of(request: Request, ask: str) -> str:
    """What an ask puts to the test: a bare tag ("…归建设单位所有 是吧") asks of what was said just
    before it; any other ask, of itself."""
    return f"{request.context[-1]}，{ask}" if TAG_ASKED.match(ask) and request.context else ask


_ONLY_TIMES = re.compile(r"(只能|只可以|最多|至多|仅限|只)[^，。？?]{0,6}$")
_BOUND_BEFORE = re.compile(r"至少|最少|最多|最长|最短|不少于|不超过|不低于|不高于|超过|低于|满|前|提前|之前|只要|只能|只有")
_BOUND_AFTER = re.compile(r"(（含）)?(就?(以上|以下|以内|之内|内|之前|前|够|为止|截止|起)|就(行|可以))")


# A count's bound after what it counts: "5个人以上", "3家以下".
_COUNTED_BOUND = re.compile(r"[\u4e00-\u9fa5]{1,2}(?:（含）|\(含\))?(?:以上|以下|以内)")
# A price or a fee named before an amount claimed for it ("最高预算价格是…5万元", "评审费每人1000元",
# "论证的费用每个项目不超过2万"); not what the project costs (总投资, 预算, 经费, 项目费用: the project's
# facts, which the rules weigh).
_PRICED = re.compile(r"(价格|限价|单价|报价|收费|价位|封顶|[\u4e00-\u9fa5]{1,3}(?<!经)费(?![用])(标准)?|"
                     r"[\u4e00-\u9fa5]{2}(?<!项目)(?<!建设)(?<!工程)(?<!投资)(?<!项目的)(?<!建设的)(?<!工程的)费用)[^，。？?]{0,10}$")
# A kind said to be something ("是指", "指的是", "就是"), up to the amount that follows.
_DEFINED_AS = re.compile(r"(?:是指|指的是|就是|算是)[^，。？?]{0,6}$")
# What follows an amount that bounds a kind of project: "（含）以上的信息化项目".
_OF_PROJECTS = re.compile(r"(?:（含）|\(含\))?(?:以上|以下|以内|及以上|及以下)?的[\u4e00-\u9fa5]{0,8}项目")
# Points on a score sheet, which quantities leave out ("扣5分", "加两分"; not 分之, 分钟, 分批…).
POINTS = re.compile(r"[\d一二两三四五六七八九十]+\s*分(?![之钟批期类别项开])")
# Points claimed as a bound: "60分以上", "不低于80分", "扣5分".
_POINTS_CLAIMED = re.compile(rf"(?:至少|不低于|低于|不少于|超过|满|达到|扣|加|得)\s*(?:{POINTS.pattern})|"
                             rf"(?:{POINTS.pattern})\s*(?:以上|以下|及以上|才)")
# A period claimed as the rhythm of an act: "一年一签", "一季一报", "每月一报".
_PERIOD_CLAIMED = re.compile(r"(?:每|一)个?(?:年|季度|季|月|周)一(?![月日号])[\u4e00-\u9fa5]")


# What a share is of, named right before it with a bound or a rate (the text before the share):
# "不能低于总投资的5%", "不超过合同金额30%", "按项目总投资的1%来收" → 总投资, 合同金额, 项目总投资.
SHARE_OF = re.compile(r"(?:不低于|低于|不少于|不超过|不得超过|超过|超出|超|不足|不高于|高于|达到|至少|最多|按|占|为)"
                      r"(?:[付交拨]?到|占)?([\u4e00-\u9fa5]{2,6}?)的?$")


def share_base(text: str, q: Quantity) -> str:
    """What a share is of, named right before it: "不超过预算金额15%" → 预算金额; "" when unnamed."""
    m = SHARE_OF.search(text, 0, q.start)
    return m.group(1) if m else ""


def claimed_base(ask: str) -> str:
    """What a share is claimed out of, in the ask's words ("不能低于总投资的5%" → 总投资); "" when
    it names none."""
    return next((b for q in find_quantities(ask) if q.kind == "percent" and (b := share_base(ask, q))), "")


def _bounded(ask: str, q: Quantity) -> bool:
    """Whether a number is claimed as a bound: a bound word just before it or right after it."""
    return bool(_BOUND_BEFORE.search(ask[max(0, q.start - 4):q.start]) or _BOUND_AFTER.match(ask, q.end))


# A length or a count said last, right after what it is of ("一届任期3年，是不是"), or given as a
# time allowed ("给2个月时间整改"): the value of a named attribute, put to the test as much as a
# bound is. (A number the story tells — "试运行两个月了", "上线才一年多" — comes with 了 or a verb
# of its own; one after 是 is as often the project's as the rule's.)
_VALUE_BEFORE = re.compile(r"给\s*$")
_VALUE_ENDS = re.compile(r"\s*(?:时间)?\s*[，,]?\s*(?:是不是|对不对|对吧|是吧|对吗|是吗|吧|吗)[？?]?\s*$")


# ... or as the length of a period it names ("有2个月整改期", "3个月的试运行期").
_PERIOD_NAMED = re.compile(r"的?[\u4e00-\u9fa5]{0,4}?(?:期限|时限|期)(?!间)")


def _stated_value(ask: str, q: Quantity) -> bool:
    """Whether a number with no bound word is still claimed as a value: a length or count said last
    or given, a length of a named period, or the end of a month (a deadline)."""
    before = ask[max(0, q.start - 2):q.start]
    if q.kind == "date" and q.unit == "月底" and not re.match(r"\s*[了过]", ask[q.end:]):
        return True  # "也是卡7月底这个时间吧": the end of a month is a deadline, not when a story happened
    return q.kind in ("duration", "count") and bool(
        _VALUE_BEFORE.search(before) or _VALUE_ENDS.match(ask, q.end) and not re.search(r"[是为]\s*$", before)
        or q.kind == "duration" and _PERIOD_NAMED.match(ask, q.end))


def claimed_value(ask: str) -> Asked | None:
    """The value a yes/no claim puts to the test, asked as its question would ask for it: a date
    ("9月底就截止了吧": 什么时候), a duration ("试运行两个月够吗": 多久), a count ("专家组至少得有5个人吧":
    几个), a share ("要占10%以上吧": 百分之几) or a rhythm ("一年一签": 多久一次). (An amount of money
    is what the project is, settled by the rules, not asked; how many times in a period — "一年能启动
    两次", "每两年一次", "走两回" — the texts give as a rule on the act. "每年6月底前" is a date.)"""
    found = find_quantities(ask)
    if any(q.unit == "次" and _ONLY_TIMES.search(ask[:q.start]) for q in found) and not re.search(r"每|[年月]内|一年", ask):
        return Asked.COUNT  # "延期验收是不是只能申请一次": how many times at all, as 几次 asks
    if _PERIOD_CLAIMED.search(ask):
        return Asked.FREQUENCY  # "运维合同是不是一年一签": how often, which a text must state of the act
    # ... or "一年…一次", which says 每年 ("一年要开展一次自评价").
    every = re.search(r"每[^，。？?]{0,3}?(?:[年月周]|季度?)|(?<![\d一二三四五六七八九十两几半])一个?(?:年|季度|季|月|周)(?=[^，。？?]{0,6}?[一两二三四五\d]次)", ask)
    if every and any(q.kind == "date" and q.start == every.end() for q in found):
        every = None  # "每年6月底前": a day of the calendar, each year — a date, not how often
    if every and any(q.unit == "次" for q in found):
        return Asked.FREQUENCY  # "每个月都要报一次运行情况": a rhythm, which a text must state
    if re.search(rf"指定的?[\u4e00-\u9fa5]{{0,6}}?(?:{FIRM_NOUNS}|机构)", ask):
        return Asked.PROVIDER  # "必须找区里指定的测评机构吧": a named firm claimed, which a text must name
    if any(q.kind == "money" and _PRICED.search(ask[:q.start]) for q in found):
        return Asked.FEE  # "最高预算价格是每条线路每年5万元吗": a price claimed, which a text must state
    if _POINTS_CLAIMED.search(ask):
        return Asked.RATE  # "初审要60分以上才算通过吧": a score, which a text must set, as 几分 asks
    if any(q.kind == "money" and _bounded(ask, q) and (_OF_PROJECTS.match(ask, q.end) or _DEFINED_AS.search(ask[:q.start]))
           for q in found):
        # "超过1000万的项目都要报市政府审定吧": an amount bounding a kind of project; "规模较小的项目是指
        # 投资50万以下吗": an amount said to be what a kind of project is.
        return Asked.THRESHOLD
    if any(a.kind == "duration" and (a.start, a.end) == (b.start, b.end) for a, b in zip(found, found[1:])):
        # "运行12到24个月之间做的吧", "12到24个月内做一次": a span of time claimed, as 多久 asks,
        # however often the act comes in it.
        return Asked.DURATION
    # A day claimed as a deadline ("每个月20号前报一次进度") is a date however often the act comes.
    dated = any(q.kind == "date" and q.unit != "年" and _BOUND_AFTER.match(ask, q.end) for q in found)
    if not dated and every:
        return None
    # How many times in a period: the period and the times are the act's rhythm, not claimed —
    # but a number of something else beside them is ("先请3个以上专家搞一次初验").
    times = not dated and (any(q.unit == "次" for q in found) or re.search(r"[多几两二三四五六七八九十\d][次回]", ask))
    # Only a number claimed as a bound ("至少5个人", "5个以上", "前30天", "两个月够吗") is put to the
    # test; one that tells the project's situation ("我们就3个人维护") is not.
    for q in with_half_years(ask):
        if times and (q.unit == "次" or q.kind in ("date", "duration")):
            continue
        if not (_bounded(ask, q) or q.kind == "count" and _COUNTED_BOUND.match(ask, q.end)
                or q.kind == "percent" and share_base(ask, q) or _stated_value(ask, q)):
            continue
        if q.kind == "date" and q.unit != "年":
            return Asked.DATE
        if q.kind == "duration":
            return Asked.DURATION
        if q.kind == "count":
            return Asked.COUNT
        if q.kind == "percent":
            return Asked.RATE
    return None

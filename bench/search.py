"""Chinese full-text search over many documents: ``python bench/search.py [N] [REPEATS]``.

Builds a throw-away database (SQLite in a temporary folder, or the server in ``DATABASE_URL``,
whose test database is created and dropped), fills it with N generated documents (default
100,000) from one agency, runs ANALYZE, then times 40 queries in three bands — twenty common
two- and four-character topic words, ten specific names (each in about 0.1% of the documents)
and ten rare names (about 0.01%) — through ``gongkai.search.query.search`` (count, first page of 20,
highlighted snippets), each REPEATS times (default 3) after one warm-up run. The baseline in the
same run is what a site without the index would do: an unindexed ``LIKE '%word%'`` scan of title
and body, as a COUNT plus the first page of 20 newest, once per query.

The documents are made of sentences drawn with a seeded random generator from a vocabulary of
about 450 government words and phrases, grouped by topic (民政, 财政, 教育 …) so that a word is
frequent in some documents and rare in others, with Zipf-like weights. To keep generation fast
the body's tokens are not produced by running jieba on each document: every vocabulary word is
segmented once with ``gongkai.search.index.tokenize`` and a body's tokens are the tokens of the
words it was built from (titles, short and often repeated, are segmented for real). jieba would
cut a few word boundaries differently in running text, which changes which documents match
slightly, not how fast the index answers; the match counts of the index and of LIKE are
printed side by side.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import random
import shutil
import statistics
import tempfile
import time
import warnings
from itertools import accumulate

TOPICS = {
    "民政": (
        "低保 最低生活 保障标准 临时救助 特困人员 供养 养老服务 养老机构 社区养老 儿童福利 "
        "留守儿童 残疾人 两项补贴 婚姻登记 殡葬管理 社会组织 慈善捐赠 救助对象 困难群众 "
        "低保对象 城乡低保 高龄津贴 区划地名 社会救助"
    ),
    "财政": (
        "预算 决算 财政预算 预算执行 一般公共预算 政府性基金 国有资本 专项资金 转移支付 "
        "财政收入 财政支出 绩效评价 政府债务 专项债券 三公经费 资金拨付 国库集中 会计核算 "
        "政府采购 采购意向 非税收入 预算公开 资产管理 财政监督"
    ),
    "教育": (
        "义务教育 学前教育 招生入学 校舍安全 教师招聘 学生资助 营养改善 课后服务 职业教育 "
        "校园安全 双减 教育经费 学位 划片招生 民办学校 教育督导 乡村教师 控辍保学 "
        "寄宿制 教材 考试招生 特殊教育 教师培训 学校食堂"
    ),
    "卫生": (
        "医疗保障 基本医疗 公共卫生 疾病预防 疫苗接种 家庭医生 医疗救助 分级诊疗 "
        "卫生院 村卫生室 健康档案 传染病 食品安全 妇幼保健 医保基金 药品采购 医疗机构 "
        "卫生健康 健康扶贫 急救 爱国卫生 慢性病 签约服务 计划免疫"
    ),
    "农业": (
        "乡村振兴 高标准农田 耕地保护 粮食生产 种粮补贴 农机购置 动物防疫 农业保险 "
        "产业帮扶 农村人居 人居环境 土地流转 家庭农场 合作社 防返贫 监测帮扶 农产品 "
        "农田水利 种业 秸秆综合 化肥减量 宅基地 集体经济 驻村工作"
    ),
    "交通": (
        "公路建设 农村公路 道路运输 交通安全 客运班线 公交线路 桥梁养护 路政管理 "
        "超限超载 危险货物 出租汽车 交通运输 通村公路 养护工程 施工许可 水路运输 "
        "物流体系 停车管理 城乡公交 道路改造 交通执法 安全检查 路网 站场"
    ),
    "环保": (
        "环境保护 生态环境 大气污染 水污染 土壤污染 排污许可 环境影响 环评审批 "
        "河长制 饮用水 水源地 固体废物 危险废物 噪声污染 污水处理 垃圾分类 生态修复 "
        "碳排放 节能减排 秸秆禁烧 扬尘治理 环境监测 突出问题 督察整改"
    ),
    "人社": (
        "就业创业 稳就业 公益性岗位 职业技能 技能培训 社会保险 养老保险 失业保险 "
        "工伤保险 劳动合同 劳动仲裁 欠薪 农民工 工资支付 人才引进 高校毕业生 "
        "公务员招考 事业单位 公开招聘 职称评审 就业见习 创业担保 劳动监察 社保卡"
    ),
    "住建": (
        "保障性住房 公租房 棚户区 老旧小区 小区改造 住房公积金 物业管理 建筑施工 "
        "安全生产 工程质量 施工许可证 房地产 商品房 预售许可 城市管理 市政设施 "
        "燃气安全 供水 排水防涝 历史建筑 农村危房 危房改造 装配式 建筑市场"
    ),
    "市场": (
        "营商环境 市场主体 个体工商户 食品经营 特种设备 价格监管 反垄断 消费者权益 "
        "投诉举报 质量监督 计量 标准化 知识产权 商标 广告监管 网络交易 企业年报 "
        "信用监管 双随机 一公开 行政许可 登记注册 药品监管 产品质量"
    ),
    "应急": (
        "应急管理 应急预案 防汛抗旱 森林防火 地质灾害 自然灾害 灾害救助 应急演练 "
        "安全隐患 隐患排查 危险化学品 烟花爆竹 消防安全 避难场所 预警信息 气象灾害 "
        "应急物资 救援队伍 事故调查 安全培训 值班值守 风险评估 防灾减灾 转移安置"
    ),
    "政务": (
        "政府信息公开 依申请公开 主动公开 政务公开 政务服务 一网通办 办事指南 "
        "行政审批 规范性文件 行政复议 行政诉讼 政府会议 人大代表 建议提案 政协委员 "
        "督查督办 重点工作 年度报告 权责清单 政策解读 回应关切 便民服务 热线 档案"
    ),
}

GENERAL = (
    "关于 进一步 加强 推进 落实 做好 开展 实施 完善 健全 规范 提高 提升 深化 强化 "
    "全面 切实 有效 扎实 积极 稳步 持续 统筹 协调 组织 领导 责任 制度 机制 体系 "
    "工作 情况 通知 方案 办法 意见 报告 公告 公示 决定 批复 函 要求 目标 任务 措施 "
    "全县 各乡镇 街道办事处 县直各部门 有关单位 人民政府 县委 县政府 部门 单位 "
    "群众 居民 企业 社会 基层 乡镇 村 社区 城乡 农村 城市 地区 重点 领域 项目 资金 "
    "标准 政策 规定 程序 条件 范围 对象 名单 结果 时间 地点 联系方式 监督 检查 考核 "
    "评估 审核 审批 公开 宣传 培训 服务 管理 保障 发展 建设 改革 安全 稳定 质量 "
    "效率 水平 能力 作风 纪律 年度 季度 月份 上半年 下半年 全年 同比 增长 下降 完成 "
    "确保 按时 依法 依规 及时 主动 认真 严格 坚决 不断 着力 聚焦 围绕 立足 结合"
)
LINKS = ["的", "和", "及", "与", "对", "在", "按照", "根据", "为"]
ENDINGS = ["，", "，", "，", "；", "。", "。"]
TITLE_FORMS = [
    "关于{a}{b}的通知",
    "{year}年{a}工作情况",
    "关于做好{a}{b}工作的通知",
    "{a}{b}实施方案",
    "{year}年度{a}{b}公示",
    "关于印发{a}{b}办法的通知",
]


# Proper names make the long tail of real documents: villages, schools, reservoirs, roads.
# Each document names a few, drawn from a pool of 2,000 (each in ~0.1% of documents) and a
# pool of 20,000 (each in ~0.01%): what people search for when they look for one matter.
SYLLABLES = (
    "青山 石门 桃源 白沙 金坪 龙潭 凤凰 柳塘 马鞍 梅岭 松林 新田 长岭 大坪 高桥 黄泥 "
    "红岩 双江 三合 永安 太平 清水 响水 杨柳 竹园 枫树 荷花 铁炉 罗家 陈家 李家 王家 "
    "张家 刘家 周家 吴家 赵家 孙家 朱家 胡家"
).split()
SUFFIXES = ["村", "社区", "小学", "水库", "大桥", "卫生院", "敬老院", "中学", "路", "工业园"]


def _local_names(count: int, seed: int, syllables: int) -> list[str]:
    if count > len(SYLLABLES) ** syllables * len(SUFFIXES) // 2:
        raise ValueError("not enough distinct names")
    rng = random.Random(seed)
    names: set[str] = set()
    while len(names) < count:
        stem = "".join(rng.choice(SYLLABLES) for _ in range(syllables))
        names.add(stem + rng.choice(SUFFIXES))
    return sorted(names)


def _weights(n: int, exponent: float = 1.0) -> list[float]:
    return list(accumulate(1 / (rank + 1) ** exponent for rank in range(n)))


class Generator:
    """Documents from the vocabulary; tokens from the words they were built from."""

    def __init__(self, seed: int = 2026):
        from gongkai.search.index import tokenize

        self.rng = random.Random(seed)
        self.topics = {name: words.split() for name, words in TOPICS.items()}
        for words in self.topics.values():
            self.rng.shuffle(words)  # which words of a topic are frequent: by chance
        self.general = GENERAL.split()
        self.rng.shuffle(self.general)
        every = {w for words in self.topics.values() for w in words} | set(self.general)
        every |= set(LINKS)
        self.tokens = {word: " ".join(tokenize(word)) for word in every}
        self.topic_weights = {name: _weights(len(w), 0.9) for name, w in self.topics.items()}
        self.specific = _local_names(2_000, 1, syllables=2)  # 青山石门村
        self.rare = _local_names(20_000, 2, syllables=3)  # 青山石门白沙小学
        self.general_weights = _weights(len(self.general), 1.0)

    @functools.lru_cache(maxsize=200_000)  # noqa: B019 - one generator per run
    def _title_tokens(self, title: str) -> str:
        from gongkai.search.index import tokenize

        return " ".join(tokenize(title))

    def document(self) -> tuple[str, str, str, int]:
        rng = self.rng
        topic = rng.choice(list(self.topics))
        own, own_weights = self.topics[topic], self.topic_weights[topic]
        # A few words from other topics, as real documents mention neighbouring matters.
        other = self.topics[rng.choice(list(self.topics))]
        year = rng.choice((2021, 2022, 2023, 2024, 2025))
        a, b = rng.choices(own, cum_weights=own_weights, k=2)
        title = rng.choice(TITLE_FORMS).format(a=a, b=b, year=year)
        title_tokens = [self._title_tokens(title)]
        target = rng.randint(300, 800)
        parts: list[str] = []
        used: list[str] = []
        length = 0
        while length < target:
            count = rng.randint(4, 8)
            words = []
            for _ in range(count):
                roll = rng.random()
                if roll < 0.45:
                    word = rng.choices(own, cum_weights=own_weights, k=1)[0]
                elif roll < 0.5:
                    word = rng.choice(other)
                elif roll < 0.85:
                    word = rng.choices(self.general, cum_weights=self.general_weights, k=1)[0]
                else:
                    word = rng.choice(LINKS)
                words.append(word)
            sentence = "".join(words) + rng.choice(ENDINGS)
            parts.append(sentence)
            used.extend(words)
            length += len(sentence)
        specific = rng.choice(self.specific)
        rare = rng.choices(self.rare, k=2)
        parts.append(f"涉及{specific}、{rare[0]}和{rare[1]}。")
        body = "".join(parts)
        body_tokens = [self.tokens[w] for w in used]
        body_tokens += [self._title_tokens(name) for name in (specific, *rare)]
        tokens = " ".join(t for t in [*title_tokens, *body_tokens] if t)
        return title, body, tokens, year

    def queries(self) -> dict[str, list[str]]:
        """By how many documents a word is in: common topic words (five to fifty per cent of
        the documents: two- and four-character), specific names (~0.1%) and rare names
        (~0.01%)."""
        rng = random.Random(7)
        words = sorted({w for ws in self.topics.values() for w in ws} | set(self.general))
        two = [w for w in words if len(w) == 2]
        four = [w for w in words if len(w) == 4]
        return {
            "common": rng.sample(two, 10) + rng.sample(four, 10),
            "specific": rng.sample(self.specific, 10),
            "rare": rng.sample(self.rare, 10),
        }


def _populate(n: int, agency) -> float:
    from gongkai.search.models import Entry

    generator = Generator()
    started = time.perf_counter()
    batch: list[Entry] = []
    for i in range(n):
        title, body, tokens, year = generator.document()
        published = dt.date(year, 1, 1) + dt.timedelta(days=generator.rng.randrange(365))
        batch.append(
            Entry(
                key=f"bench:{i}",
                agency=agency,
                category=f"a20-{generator.rng.randint(1, 15):02d}",
                year=year,
                validity="in_force",
                kind="通知",
                title=title,
                url=f"/bench/{i}/",
                published_on=published,
                body=body,
                tokens=tokens,
            )
        )
        if len(batch) == 2000:
            Entry.objects.bulk_create(batch)
            batch = []
        if (i + 1) % 10_000 == 0 or i + 1 == n:
            elapsed = time.perf_counter() - started
            print(
                f"  generated and inserted {i + 1:,} / {n:,} ({(i + 1) / elapsed:,.0f} rows/s)",
                flush=True,
            )
    if batch:
        Entry.objects.bulk_create(batch)
    return time.perf_counter() - started


def _like_page(word: str) -> int:
    """What a site without the index does: an unindexed scan, COUNT and the first page."""
    from django.db import connection

    from gongkai.search.models import Entry

    pattern = "%" + word + "%"
    where = "(title LIKE %s OR body LIKE %s)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM search_entry WHERE {where}",  # noqa: S608
            [pattern, pattern],
        )
        total = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT id FROM search_entry WHERE {where} "  # noqa: S608
            "ORDER BY published_on DESC, id DESC LIMIT 20",
            [pattern, pattern],
        )
        ids = [row[0] for row in cursor.fetchall()]
    list(Entry.objects.select_related("agency").in_bulk(ids).values())
    return total


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _run(n: int, repeats: int) -> None:
    from django.db import connection

    from gongkai.agencies import services as agencies
    from gongkai.agencies.codes import make_uscc
    from gongkai.search import query

    agency = agencies.create_agency(
        None,
        slug="bench",
        kind="department",
        reconsideration_body="基准县人民政府",
        name="基准测试局",
        code=make_uscc("11", "990121", "BENCH002"),
        office_name="办公室",
        address="地址",
        phone="0771-0000000",
    )
    print(f"database:            {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"documents:           {n:,}")
    elapsed = _populate(n, agency)
    print(f"inserted in:         {elapsed:.1f} s ({n / elapsed:,.0f} rows/s, with the index)")
    started = time.perf_counter()
    with connection.cursor() as cursor:  # what autovacuum (PostgreSQL) would have done by now
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE search_entry")
        else:
            cursor.execute("INSERT INTO search_entry_fts(search_entry_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    print(f"analyze/optimize:    {time.perf_counter() - started:.1f} s")

    bands = Generator().queries()
    print(f"{'word':<12}{'band':<10}{'index hits':>12}{'LIKE hits':>12}")
    summary = []
    for band, words in bands.items():
        search_times: list[float] = []
        like_times: list[float] = []
        for word in words:
            results = query.search(word)  # warm-up
            for _ in range(repeats):
                began = time.perf_counter()
                results = query.search(word)
                search_times.append(time.perf_counter() - began)
            began = time.perf_counter()
            like_total = _like_page(word)
            like_times.append(time.perf_counter() - began)
            print(f"{word:<12}{band:<10}{results.total:>12,}{like_total:>12,}", flush=True)
        summary.append((band, search_times, like_times))
    for band, search_times, like_times in summary:
        s_median, s_p95 = statistics.median(search_times), _percentile(search_times, 0.95)
        l_median, l_p95 = statistics.median(like_times), _percentile(like_times, 0.95)
        print(
            f"{band:<9} search median {s_median * 1000:8.1f} ms  p95 {s_p95 * 1000:8.1f} ms | "
            f"LIKE median {l_median * 1000:8.1f} ms  p95 {l_p95 * 1000:8.1f} ms | "
            f"ratio median {l_median / s_median:7.1f}×  p95 {l_p95 / s_p95:7.1f}×"
        )


def main(n: int | None = None, repeats: int = 3) -> None:
    folder = tempfile.mkdtemp(prefix="gongkai-bench-")
    try:
        _main(folder, n, repeats)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _main(folder: str, n: int | None, repeats: int) -> None:
    os.environ.setdefault("GONGKAI_DATA_DIR", folder)
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.settings"
    warnings.filterwarnings("ignore", "No directory at")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite":
        # A file, as a deployment has, rather than Django's default in-memory test database.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = os.path.join(
            folder, "bench.sqlite3"
        )
    if n is None:
        n = 100_000
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False, serialize=False)
    try:
        _run(n, repeats)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    from _args import counts

    main(
        *counts(
            "中文全文检索的基准测试",
            ("n", 100_000, 500, "文档数"),
            ("repeats", 3, 1, "每个词重复次数"),
        )
    )

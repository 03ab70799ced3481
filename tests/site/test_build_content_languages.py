"""A fresh site holds articles in languages its configuration never names: each gets its own
part of the site (listing, feed, date archive, entity pages), every page says which language
it is in, and nothing is filed under a language it is not written in."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.dates import format_skeleton
from sitekit import redirected

from newsforge.build import build_site
from newsforge.config import load_config
from newsforge.scaffold import init_site

# Short news articles written for this test, two per language, none saying its language.
ARTICLES = {
    "en": [
        ("Port authority opens a second container terminal",
         "The port authority opened a second container terminal on Monday, doubling the "
         "number of ships that can unload at the same time. Officials said the new berths "
         "would cut waiting times for freight from the upper river provinces.\n\n"
         "Shipping companies welcomed the decision but warned that the access road is still "
         "too narrow for the lorries that will carry the extra cargo inland."),
        ("Teachers agree new pay scale after month of talks",
         "Teachers' unions and the education ministry agreed a new pay scale on Thursday "
         "after a month of negotiations. Starting salaries will rise by a tenth from the "
         "beginning of the next school year.\n\n"
         "The minister said the agreement would help rural schools keep their staff, many "
         "of whom have left for better paid jobs in the cities."),
    ],
    "zh": [
        ("港务局启用第二座集装箱码头",
         "港务局周一启用了第二座集装箱码头，可同时卸货的船舶数量因此增加一倍。官员表示，新泊位"
         "将缩短来自上游各省货物的等待时间。\n\n"
         "航运公司对这一决定表示欢迎，但提醒说通往内陆的道路仍然过于狭窄，难以承载额外的货运卡车。"),
        ("教师工会与教育部就新薪酬标准达成一致",
         "经过一个月的谈判，教师工会与教育部周四就新的薪酬标准达成协议。从下一学年开始，"
         "教师起薪将提高一成。\n\n"
         "部长说，这项协议将帮助农村学校留住教师，许多教师此前已前往城市寻找收入更高的工作。"),
    ],
    "th": [
        ("การท่าเรือเปิดท่าเทียบเรือตู้สินค้าแห่งที่สอง",
         "การท่าเรือเปิดท่าเทียบเรือตู้สินค้าแห่งที่สองเมื่อวันจันทร์ ทำให้จำนวนเรือที่สามารถขนถ่าย"
         "สินค้าได้พร้อมกันเพิ่มขึ้นเป็นสองเท่า เจ้าหน้าที่กล่าวว่าท่าเทียบเรือใหม่จะช่วยลดเวลา"
         "รอคอยของสินค้าจากจังหวัดทางตอนบนของแม่น้ำ\n\n"
         "บริษัทเดินเรือต่างยินดีกับการตัดสินใจครั้งนี้ แต่เตือนว่าถนนที่เข้าสู่ท่าเรือยังแคบเกินไป"
         "สำหรับรถบรรทุกที่จะขนสินค้าเพิ่มเติม"),
        ("ครูและกระทรวงศึกษาธิการตกลงอัตราเงินเดือนใหม่",
         "สหภาพครูและกระทรวงศึกษาธิการตกลงอัตราเงินเดือนใหม่เมื่อวันพฤหัสบดี หลังการเจรจานาน"
         "หนึ่งเดือน เงินเดือนเริ่มต้นของครูจะเพิ่มขึ้นร้อยละสิบตั้งแต่ปีการศึกษาหน้า\n\n"
         "รัฐมนตรีกล่าวว่าข้อตกลงนี้จะช่วยให้โรงเรียนในชนบทรักษาครูไว้ได้ เพราะครูจำนวนมาก"
         "ย้ายไปทำงานในเมืองที่มีรายได้สูงกว่า"),
    ],
    "fr": [
        ("Le port ouvre un second terminal à conteneurs",
         "L'autorité portuaire a ouvert lundi un second terminal à conteneurs, ce qui double "
         "le nombre de navires pouvant décharger en même temps. Selon les responsables, les "
         "nouveaux quais réduiront l'attente des marchandises venues des provinces du haut "
         "fleuve.\n\n"
         "Les armateurs saluent la décision mais rappellent que la route d'accès reste trop "
         "étroite pour les camions qui emporteront ce fret supplémentaire."),
        ("Les enseignants obtiennent une nouvelle grille salariale",
         "Les syndicats d'enseignants et le ministère de l'Éducation se sont entendus jeudi "
         "sur une nouvelle grille salariale, après un mois de négociations. Les salaires de "
         "début de carrière augmenteront d'un dixième dès la prochaine rentrée.\n\n"
         "Le ministre estime que l'accord aidera les écoles rurales à garder leurs "
         "enseignants, dont beaucoup sont partis vers des emplois mieux payés en ville."),
    ],
    "ru": [
        ("Порт открыл второй контейнерный терминал",
         "Администрация порта в понедельник открыла второй контейнерный терминал, что вдвое "
         "увеличило число судов, которые могут разгружаться одновременно. По словам "
         "чиновников, новые причалы сократят время ожидания грузов из верхних провинций.\n\n"
         "Судоходные компании приветствовали это решение, но предупредили, что подъездная "
         "дорога всё ещё слишком узка для грузовиков с дополнительным грузом."),
        ("Учителя и министерство согласовали новую шкалу зарплат",
         "Профсоюзы учителей и министерство образования в четверг согласовали новую шкалу "
         "заработной платы после месяца переговоров. Начальные оклады вырастут на десятую "
         "часть с начала следующего учебного года.\n\n"
         "Министр заявил, что соглашение поможет сельским школам удержать учителей, многие "
         "из которых уехали в города на более высокооплачиваемую работу."),
    ],
}
# Each language's own name, as CLDR writes it, capitalised for a menu.
OWN_NAMES = {"en": "English", "zh": "中文", "th": "ไทย", "fr": "Français", "ru": "Русский"}
DAY = dt.date(2025, 3, 11)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = init_site(tmp_path_factory.mktemp("five") / "site")
    content = root / "content"
    for path in content.iterdir():  # the example article: this site has only ours
        path.unlink()
    for lang, articles in ARTICLES.items():
        for n, (title, body) in enumerate(articles):
            day = DAY + dt.timedelta(days=n)
            # No 'language:' key: the loader identifies it.
            (content / f"{lang}-{n}.md").write_text(
                f"---\ntitle: {title}\ndate: {day.isoformat()}\n---\n\n{body}\n",
                encoding="utf-8")
    config = load_config(root=root)
    assert config.languages == ("en",)  # the configuration names English only
    result = build_site(config)
    assert result.ok, result
    return config.output


def _read(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def test_every_article_is_filed_and_labelled_in_its_own_language(built: Path) -> None:
    for lang, articles in ARTICLES.items():
        for n, (title, _) in enumerate(articles):
            old = f"{lang}/articles/{lang}-{n}/index.html"
            page = _read(built, redirected(old, _read(built, old)))
            assert f'<html lang="{lang}">' in page
            assert f">{title}</h1>" in page
    filed = sorted(p.parent.name for p in built.glob("*/articles/*/index.html"))
    assert filed == sorted(f"{lang}-{n}" for lang in ARTICLES for n in range(2))


def test_each_language_listing_holds_exactly_its_articles(built: Path) -> None:
    for lang in ARTICLES:
        listing = _read(built, f"{lang}/index.html")
        assert f'<html lang="{lang}">' in listing
        linked = set(re.findall(r'href="((?:\d{4}/\d\d/\d\d|undated)/[^/"]+)/index\.html"',
                                listing))
        assert len(linked) == 2
        feed = _read(built, f"{lang}/feed.xml")
        in_feed = re.findall(rf"/{lang}/((?:\d{{4}}/\d\d/\d\d|undated)/[^/<\"]+)/", feed)
        assert set(in_feed) == linked
        # Entry ids keep the earlier URLs, so feed readers see no entry twice.
        assert set(re.findall(rf"<id>[^<]*{lang}-(\d)/?</id>", feed)) == {"0", "1"}


def test_the_language_switcher_names_each_language_in_itself(built: Path) -> None:
    listing = _read(built, "th/index.html")
    switcher = re.search(r'<nav class="langs".*?</nav>', listing, re.S)
    assert switcher is not None
    names = dict(re.findall(r'lang="([a-z]+)"[^>]*>([^<]+)</', switcher.group(0)))
    assert names == OWN_NAMES


def test_interface_strings_fall_back_to_the_default_language_marked_as_such(
        built: Path) -> None:
    # No Thai or Russian interface file: the English strings say they are English.
    thai = _read(built, "th/index.html")
    assert '<span lang="en">Home</span>' in thai
    assert '<span lang="en">2 articles</span>' in thai
    # The listing's title is the language's own name, never 'Articles in English'.
    assert "<h1>ไทย</h1>" in thai and "Articles in English" not in thai
    # A language with its own interface file keeps its own words, unmarked.
    english = _read(built, "en/index.html")
    assert "<span lang=" not in english and ">Home</a>" in english


def test_date_archives_use_each_language_s_month_names(built: Path) -> None:
    for lang in ("ru", "th", "zh", "fr"):
        month = _read(built, f"{lang}/archive/2025/03/index.html")
        assert f'<html lang="{lang}">' in month
        title = format_skeleton("yMMMM", DAY, locale=lang)
        assert f"<h1>{title}</h1>" in month
        # Every language's archive lists every article of the month.
        assert len(re.findall(r'class="card"', month)) == 2 * len(ARTICLES)

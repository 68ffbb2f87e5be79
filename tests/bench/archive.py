"""The synthetic archive: N articles that look like a year of a small daily's output, reproducibly.

Every configured section is used (the busier desks get more stories), bylines come from a pool of the
paper's real authors plus invented ones (all listed in authors.yml, so the check stays quiet), tags from a
pool drawn with a long tail (a few topics on hundreds of stories, most on a handful). Bodies run from about
250 to 850 words with subheadings, quotes, the odd list, link and inline picture. About 40 % have a lead
image, 15 % a Modified date, 2 % a correction, a few are hidden or in Arabic. The same seed gives the same
bytes, so two runs build the same site.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pelican.settings import read_settings

from newsroom_content.settings import build_desks, make_slug

REPO = Path(__file__).resolve().parents[2]
NEWEST = dt.datetime(2026, 11, 25, 8, 0)  # before the bench's SOURCE_DATE_EPOCH (2026-11-25 09:46 UTC)
ADDED_DATE = dt.datetime(2026, 11, 25, 9, 15)
DESK_WEIGHTS = {"World": 3.0, "Britain": 3.0, "Comment": 1.0, "Culture": 1.2, "Sport": 1.5}

FIRST = ("Aisha Ben Carmen Dai Elif Femi Grace Hamid Ines Jonah Kofi Lena Mateo Nadia Owen Pilar Ravi "
         "Saoirse Tariq Uma Viktor Wanjiru Xavier Yara Zeynep").split()
LAST = ("Abbott Bakare Castillo Doyle Eriksen Farouk Gallagher Hussain Iqbal Jovanovic Kaur Lindqvist "
        "Mensah Novak O'Brien Petrov Quinn Rahman Sato Tembo Ueda Vasquez Whitfield Yilmaz Zielinski").split()
ROLES = ("Reporter", "Correspondent", "Sub-editor", "Columnist", "Data reporter", "Critic", "Sports writer")
TOPICS = ("Rent, Wages, Strikes, Trade unions, Nurses, Teachers, Rail, Buses, Water, Floods, Drought, Energy "
          "prices, Climate, Farming, Fishing, Ports, Housing, Planning, Councils, Budget, Elections, Courts, "
          "Policing, Prisons, Schools, Universities, Hospitals, Care homes, Migration, Borders, Aid, Ceasefire, "
          "Diplomacy, Trade, Tariffs, Inflation, Pensions, Benefits, Food banks, Co-operatives, Football, "
          "Cricket, Athletics, Novels, Poetry, Cinema, Festivals, Albums, Theatre, Broadcasting").split(", ")
PLACES = ("Gaza, Beirut, Cairo, Brussels, Athens, Lisbon, Bogotá, Lima, Accra, Nairobi, Lagos, Dhaka, Manila, "
          "Jakarta, Glasgow, Cardiff, Belfast, Leeds, Bristol, Hull, Norwich, Plymouth, Sheffield").split(", ")
SUBJECTS = ("The council", "Ministers", "Residents", "The union", "Nurses", "Tenants", "Farmers", "The committee",
            "Campaigners", "The company", "Negotiators", "Teachers", "Local families", "The regulator",
            "Opposition members", "Volunteers", "Dock workers", "The inquiry")
VERBS = ("said", "warned", "confirmed", "denied", "argued", "voted", "agreed", "promised", "called for",
         "rejected", "welcomed", "questioned", "published", "delayed", "announced")
OBJECTS = ("a rise in rents", "the new budget", "the closure of the ward", "a pay offer", "the flood defences",
           "the ceasefire terms", "cuts to bus routes", "a report on damp homes", "the water contract",
           "talks with the employer", "a review of the scheme", "the harvest figures", "emergency funding",
           "the plan for the port", "new targets", "the findings")
TAILS = ("on Tuesday", "after months of delay", "despite objections", "at a packed meeting", "in a statement",
         "for the third time this year", "before the deadline", "in front of the town hall", "late on Friday",
         "without a vote", "as costs kept rising", "to the surprise of many", "in the face of protests")
ARABIC = ("تستأنف محادثات وقف إطلاق النار في القاهرة بعد أسبوع من الغارات.",
          "قال السكان إن المياه لم تصل إلى الأحياء الشمالية منذ أيام.",
          "يطالب الممرضون بزيادة عدد الموظفين في المستشفيات العامة.")
EDIT_SENTENCE = "This article was updated with a response from the council."


@dataclass
class Archive:
    """The generated content folder and what is in it."""

    content: Path
    articles: int
    sections: list[tuple[str, str]]  # (name, slug) of every configured section
    authors: list[str]
    files: list[Path] = field(default_factory=list)  # one per article, in generation order (newest first)
    stats: dict = field(default_factory=dict)
    _edited: tuple[Path, str] | None = None
    _fund: str | None = None
    _breaking: str | None = None
    lead_url: str = "/"  # the newest story's address, which the breaking banner links to

    @property
    def edit_target(self) -> Path:
        """The article the one-edit rebuild changes: the one in the middle of the archive."""
        return self.files[len(self.files) // 2]

    def edit_one(self) -> Path:
        """Append a sentence to one article's last paragraph, as a reporter adding a line would."""
        path = self.edit_target
        text = path.read_text(encoding="utf-8")
        self._edited = (path, text)
        path.write_text(text.rstrip("\n") + " " + EDIT_SENTENCE + "\n", encoding="utf-8")
        return path

    def add_one(self) -> Path:
        """A new story, the newest in the archive, in the busiest section."""
        rng = random.Random(f"added-{self.articles}")
        name, slug = next((s for s in self.sections if s[0] == "Workplace"), self.sections[0])
        path = self.content / "articles" / slug / f"{ADDED_DATE:%Y-%m-%d}-breaking-port-workers-walk-out.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {"Title": "Breaking: port workers walk out over new shift rota", "Date": f"{ADDED_DATE:%Y-%m-%d %H:%M}",
                "Category": name, "Summary": "Hundreds of dock workers stopped work at dawn.",
                "Authors": self.authors[0], "Tags": "Strikes, Ports"}
        path.write_text(render(meta, body(rng, 400)), encoding="utf-8")
        return path

    def change_fund(self) -> Path:
        """Donations came in: the fighting fund's "raised" figure goes up, as the fundraisers update it
        during the day. The appeal is on every page, so every page changes; what search reads does not."""
        path = self.content / "data" / "fighting-fund.yml"
        self._fund = text = path.read_text(encoding="utf-8")
        raised = re.search(r"^raised: (\d+)$", text, re.M)
        path.write_text(text.replace(raised.group(0), f"raised: {int(raised.group(1)) + 250}"), encoding="utf-8")
        return path

    def add_banner(self) -> Path:
        """A breaking-news banner goes up (data/breaking.yml), linking to the newest story: it is on every
        page, so every page changes; what search reads does not."""
        path = self.content / "data" / "breaking.yml"
        self._breaking = path.read_text(encoding="utf-8") if path.exists() else ""
        path.write_text(f"headline: Port workers walk out at dawn across the north\nlink: {self.lead_url}\n"
                        f"expires: {ADDED_DATE + dt.timedelta(hours=8):%Y-%m-%d %H:%M}\n", encoding="utf-8")
        return path

    def undo(self, added: Path | None) -> None:
        """Put the archive back as generated: the edited article's text, no added article, no banner, the
        fund's figure."""
        if self._breaking is not None:
            (self.content / "data" / "breaking.yml").write_text(self._breaking, encoding="utf-8")
            self._breaking = None
        if self._fund is not None:
            (self.content / "data" / "fighting-fund.yml").write_text(self._fund, encoding="utf-8")
            self._fund = None
        if self._edited:
            self._edited[0].write_text(self._edited[1], encoding="utf-8")
            self._edited = None
        if added and added.exists():
            added.unlink()


def sentence(rng: random.Random) -> str:
    text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"
    if rng.random() < 0.3:
        text += f", according to figures seen by The Common Ledger in {rng.choice(PLACES)}"
    return text + "."


def paragraph(rng: random.Random, sentences: int | None = None) -> str:
    return " ".join(sentence(rng) for _ in range(sentences or rng.randint(2, 4)))


def body(rng: random.Random, words: int, images: list[str] = ()) -> str:
    """Markdown of about `words` words, with the furniture a news story has."""
    blocks, count = [], 0
    while count < words:
        roll = rng.random()
        if blocks and roll < 0.08:
            blocks.append(f"## {rng.choice(TOPICS)} in {rng.choice(PLACES)}")
        elif blocks and roll < 0.16:
            blocks.append(f'> "{paragraph(rng, 2)}"')
        elif blocks and roll < 0.19:
            blocks.append("\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(3, 5))))
        elif roll < 0.30:
            quote = paragraph(rng, 1).rstrip(".")
            blocks.append(f'"{quote}," said {rng.choice(FIRST)} {rng.choice(LAST)} -- and the room fell quiet... '
                          + paragraph(rng, 2))
        elif roll < 0.33:
            blocks.append(f"{paragraph(rng, 2)} The [full report](https://example.org/reports/{rng.randint(1, 999)}) "
                          "is published online.")
        elif images and roll < 0.335:
            blocks.append(f"![A scene from {rng.choice(PLACES)}]({{static}}/images/{rng.choice(images)})")
        else:
            blocks.append(paragraph(rng))
        count += len(blocks[-1].split())
    return "\n\n".join(blocks)


def render(meta: dict, text: str) -> str:
    return "\n".join(f"{k}: {v}" for k, v in meta.items()) + "\n\n" + text + "\n"


def author_pool(rng: random.Random, real: list[str], extra: int = 40) -> list[tuple[str, str]]:
    names = {f"{first} {last}" for first in FIRST for last in LAST}
    invented = rng.sample(sorted(names - set(real)), extra)
    return [(name, rng.choice(ROLES)) for name in invented]


def tag_pool(rng: random.Random, size: int = 400) -> list[str]:
    tags = list(TOPICS) + [f"{t} in {p}" for t in TOPICS for p in PLACES]
    rng.shuffle(tags)
    return tags[:size]


def slug_of(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def generate(content: Path, n: int, seed: int = 7) -> Archive:
    """Write N articles, the repository's pages, pictures, extra files and data files into `content`."""
    rng = random.Random(seed)
    settings = read_settings(str(REPO / "pelicanconf.py"))
    sections = [s for d in build_desks(settings) for s in d.sections]
    weights = [DESK_WEIGHTS.get(s.desk.name, 1.0) for s in sections]
    for name in ("data", "images", "pages", "extra"):
        shutil.copytree(REPO / "content" / name, content / name)
    images = sorted(p.name for p in (content / "images").glob("*.jpg"))

    authors_yml = (content / "data" / "authors.yml").read_text(encoding="utf-8")
    real = re.findall(r"^- name: (.+)$", authors_yml, re.M)
    invented = author_pool(rng, real)
    with open(content / "data" / "authors.yml", "a", encoding="utf-8") as f:
        f.write("# Invented by the benchmark's synthetic archive.\n")
        for name, role in invented:
            f.write(f'- name: "{name}"\n  role: {role}\n  bio: "{name} writes for The Common Ledger. {sentence(rng)}"\n')
    authors = [a for a in real if not a.startswith("Staff")] + [name for name, _ in invented]
    author_weights = [3.0 if i < len(real) else 1.0 for i in range(len(authors))]
    tags = tag_pool(rng)
    tag_weights = [1 / (rank + 1) for rank in range(len(tags))]  # a long tail: Zipf's law

    archive = Archive(content, n, [(s.name, s.slug) for s in sections], authors)
    counts = dict.fromkeys(("hidden", "with_image", "modified", "corrections", "arabic", "inline_images", "no_byline"), 0)
    when, slugs, words_total = NEWEST, set(), 0
    for i in range(n):
        section = sections[i] if i < len(sections) else rng.choices(sections, weights)[0]
        title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} in {rng.choice(PLACES)}"
        title = title[0].upper() + title[1:]
        if slug_of(title) in slugs:
            title += f" ({i})"
        slugs.add(slug_of(title))
        meta = {"Title": title, "Date": f"{when:%Y-%m-%d %H:%M}", "Category": section.name}
        if rng.random() < 0.8:
            meta["Summary"] = sentence(rng)
        if rng.random() < 0.97:
            meta["Authors"] = ", ".join(dict.fromkeys(rng.choices(authors, author_weights, k=rng.choice((1, 1, 1, 2, 2, 3)))))
        else:
            counts["no_byline"] += 1
        meta["Tags"] = ", ".join(dict.fromkeys(rng.choices(tags, tag_weights, k=rng.randint(1, 4))))
        if rng.random() < 0.4:
            meta.update({"Image": f"images/{rng.choice(images)}", "Image_alt": f"A photograph taken in {rng.choice(PLACES)}",
                         "Image_caption": sentence(rng), "Image_credit": f"Photograph: {rng.choice(authors)}/The Common Ledger"})
            counts["with_image"] += 1
        if rng.random() < 0.15 or i % 50 == 7:
            meta["Modified"] = f"{min(when + dt.timedelta(hours=rng.randint(1, 30)), NEWEST):%Y-%m-%d %H:%M}"
            counts["modified"] += 1
            if i % 50 == 7:
                meta["Correction"] = f"An earlier version of this article gave the wrong figure: {sentence(rng).lower()}"
                counts["corrections"] += 1
        if i % 250 == 13:
            meta["Status"] = "hidden"
            counts["hidden"] += 1
        if i == 0:
            meta["Priority"] = "lead"
            archive.lead_url = f"/{section.slug}/{make_slug(title, settings)}/"
        elif i < 5:
            meta["Priority"] = "top"
        text = body(rng, rng.randint(250, 850), images)
        counts["inline_images"] += text.count("![")
        if i % 200 == 51:
            meta.update({"Lang": "ar", "Slug": f"arabic-report-{i}"})
            text = " ".join(ARABIC) + "\n\n" + text
            counts["arabic"] += 1
        words_total += len(text.split())
        path = content / "articles" / section.slug / f"{when:%Y-%m-%d}-{slug_of(title)}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(meta, text), encoding="utf-8")
        archive.files.append(path)
        when -= dt.timedelta(minutes=max(2, round(rng.expovariate(1 / 37))))  # about 39 stories a day

    archive.stats.update(counts, articles=n, sections=len(sections), authors=len(authors), tag_pool=len(tags),
                         words=words_total, oldest=f"{when:%Y-%m-%d}", newest=f"{NEWEST:%Y-%m-%d}",
                         bytes=sum(p.stat().st_size for p in archive.files))
    return archive

#!/usr/bin/env python3
"""Writes a synthetic site of N brand stories, in QualityPress's layout and, with --hugo,
the same corpus in Hugo's layout with equivalent templates.

Mostly Chinese text with some English; front matter with tags; headings, tables, footnotes,
lists and cross-links between pages. Deterministic: the same N gives the same bytes.

    generate_site.py N QPRESS_DIR [--hugo HUGO_DIR] [--shape SHAPE]
"""
import argparse
import os
import random

PHRASES = [
    "质量是企业的生命", "全面质量管理", "可靠性增长试验", "持续改进", "顾客满意度", "过程能力指数",
    "卓越绩效模式", "质量管理小组活动", "精益生产", "六西格玛", "故障模式及影响分析", "统计过程控制",
    "供应链协同", "数字化质量平台", "工匠精神", "标准化作业", "首件检验", "关键工序控制",
    "质量成本", "计量检测能力", "产品一次交检合格率", "售后服务体系", "品牌建设", "用户满意",
]
ENGLISH = ["ISO 9001", "PDCA cycle", "FMEA", "SPC", "MTBF", "Cpk", "lean production", "root cause analysis"]
TAGS = ["工匠精神", "质量改进", "可靠性", "质量管理小组", "卓越绩效", "品牌建设", "数字化", "用户满意",
        "标准化", "供应链", "精益生产", "六西格玛"]
HEADINGS = ["背景与问题", "改进方案", "实施过程", "数据分析", "取得成效", "经验与体会"]
INDUSTRIES = ["通用机械", "机床工具", "液压气动", "农业机械", "电工电器", "轴承"]


LATIN = [
    "Quality is the life of the enterprise", "total quality management", "reliability growth testing",
    "continuous improvement", "customer satisfaction", "process capability index", "lean production",
    "failure mode and effects analysis", "statistical process control", "supplier quality audit",
]


class Shape:
    """One shape of content. The benchmark reports the worst ratio over all of them, since a
    generator tuned on one shape flatters the tool it was tuned for."""

    def __init__(self, kind="stories", sections=6, paragraphs=(4, 7), tables=1, footnotes=1,
                 links=1, tag_pool=12, tags=(3, 3), latin=False, all_fields=False):
        self.kind, self.sections, self.paragraphs = kind, sections, paragraphs
        self.tables, self.footnotes, self.links = tables, footnotes, links
        self.tag_pool, self.tags, self.latin, self.all_fields = tag_pool, tags, latin, all_fields


SHAPES = {
    "stories": Shape(),
    "long-papers": Shape(kind="papers", sections=14, paragraphs=(5, 8), tables=6, footnotes=30, links=2),
    "short-pages": Shape(sections=1, paragraphs=(1, 2), tables=0, footnotes=0, links=0),
    "tags-20": Shape(tag_pool=20, tags=(2, 4)),
    "tags-2000": Shape(tag_pool=2000, tags=(3, 6)),
    "all-fields": Shape(all_fields=True),
    "cross-links": Shape(links=24),
    "latin": Shape(latin=True),
}


def sentence(rng, latin=False):
    if latin:
        words = [rng.choice(LATIN) for _ in range(rng.randint(2, 4))]
        return ", ".join(words).capitalize() + f" improved {rng.choice(ENGLISH)} results by {rng.randint(3, 40)}%. "
    parts = [rng.choice(PHRASES) for _ in range(rng.randint(2, 4))]
    if rng.random() < 0.3:
        parts.insert(rng.randint(0, len(parts)), rng.choice(ENGLISH))
    return "，".join(parts) + "，企业通过" + rng.choice(PHRASES) + "取得了明显成效。"


def paragraph(rng, shape):
    return "".join(sentence(rng, shape.latin) for _ in range(rng.randint(*shape.paragraphs)))


def heading(number):
    """Section headings; the first six are the ones cross-links point at."""
    return HEADINGS[number] if number < len(HEADINGS) else f"{HEADINGS[number % len(HEADINGS)]}（{number + 1}）"


def body(rng, index, count, link, shape):
    out, notes, links = [], 0, 0
    for number in range(shape.sections):
        out.append(f"## {heading(number)}\n")
        out.append(paragraph(rng, shape) + "\n")
        if number % 2 == 1 and number // 2 < shape.tables:
            out.append("| 指标 | 改进前 | 改进后 |\n|---|---|---|\n"
                       + "".join(f"| {rng.choice(PHRASES)} | {rng.randint(60, 90)}% | {rng.randint(91, 99)}% |\n" for _ in range(4)))
        if number == min(2, shape.sections - 1):
            out.append("".join(f"- {rng.choice(PHRASES)}：{sentence(rng, shape.latin)}\n" for _ in range(4)))
        text = paragraph(rng, shape)
        per_section = -(-shape.links // shape.sections) if shape.links else 0
        for _ in range(min(per_section, shape.links - links)):
            links += 1
            target = (index * 7 + links * 13) % count + 1
            text += f"参见{link(target, HEADINGS[links % len(HEADINGS)])}的做法。"
        per_notes = -(-shape.footnotes // shape.sections) if shape.footnotes else 0
        for _ in range(min(per_notes, shape.footnotes - notes)):
            notes += 1
            text += f"[^{notes}]"
        out.append(text + "\n")
    out += [f"[^{n}]: 张三. {rng.choice(PHRASES)}[M]. 北京: 机械工业出版社, {2000 + n % 20}.\n" for n in range(1, notes + 1)]
    return "\n".join(out)


def date(index):
    return f"2020-{(index % 12) + 1:02d}-{(index % 28) + 1:02d}"


def tag_names(shape):
    if shape.tag_pool <= len(TAGS):
        return TAGS[:shape.tag_pool]
    return [f"{PHRASES[i % len(PHRASES)]}{i}" for i in range(shape.tag_pool)]


class Document:
    """One generated document: its metadata, the same for both generators."""

    def __init__(self, index, count, shape, pool):
        rng = random.Random(index)
        self.index, self.shape = index, shape
        self.title = f"{rng.choice(PHRASES)}的实践之{index}" if not shape.latin else f"{rng.choice(LATIN).title()} in practice {index}"
        self.tags = sorted(set(rng.sample(pool, rng.randint(*shape.tags))))
        self.summary = sentence(rng, shape.latin).strip()
        self.company = f"示例机械有限公司{index % 97}"
        self.industry = rng.choice(INDUSTRIES)
        self.name = f"s{index:05d}"

    def text(self, count, link):
        return body(random.Random(self.index * 31), self.index, count, link, self.shape)

    def qpress_front_matter(self):
        tags = f"tags: [{', '.join(self.tags)}]\n"
        if self.shape.kind == "papers":
            return (f"title: {self.title}\nauthors:\n  - name: 作者{self.index}\n    affiliation: {self.company}\n"
                    f"  - name: 合作者{self.index}\n    affiliation: 示例大学\ndate: {date(self.index)}\n"
                    f"abstract: {self.summary}\nkeywords: [{', '.join(self.tags[:3])}]\n{tags}")
        extra = f"slug: {self.name}\ndraft: false\n" if self.shape.all_fields else ""
        return (f"title: {self.title}\n{extra}company: {self.company}\nauthor: 作者{self.index}\ndate: {date(self.index)}\n"
                f"industry: {self.industry}\n{tags}summary: \"{self.summary}\"\n")

    def hugo_front_matter(self):
        extra = f"slug: {self.name}\ndraft: false\n" if self.shape.all_fields else ""
        if self.shape.kind == "papers":
            params = f"params:\n  authors: [作者{self.index}, 合作者{self.index}]\n  abstract: \"{self.summary}\"\n  keywords: [{', '.join(self.tags[:3])}]\n"
        else:
            params = f"params:\n  company: {self.company}\n  author: 作者{self.index}\n  industry: {self.industry}\n"
        return (f"title: \"{self.title}\"\n{extra}date: {date(self.index)}\ntags: [{', '.join(self.tags)}]\n"
                f"summary: \"{self.summary}\"\n{params}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("qpress_dir")
    parser.add_argument("--hugo")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="stories")
    args = parser.parse_args()
    count, shape = args.count, SHAPES[args.shape]
    pool = tag_names(shape)

    content = os.path.join(args.qpress_dir, "Content")
    os.makedirs(os.path.join(content, shape.kind), exist_ok=True)
    with open(os.path.join(content, "site.yml"), "w") as f:
        f.write("title: 基准测试站点\nbase_url: https://bench.example.org/\nper_page: 20\n")
    if args.hugo:
        os.makedirs(os.path.join(args.hugo, "content", shape.kind), exist_ok=True)
        write_hugo_theme(args.hugo)

    for index in range(1, count + 1):
        document = Document(index, count, shape, pool)
        ours = document.text(count, lambda t, h: f"[第{t}篇](s{t:05d}.md#{h})")
        with open(os.path.join(content, shape.kind, f"{document.name}.md"), "w") as f:
            f.write(f"---\n{document.qpress_front_matter()}---\n\n{ours}")
        if args.hugo:
            theirs = document.text(count, lambda t, h: f"[第{t}篇](/{shape.kind}/s{t:05d}/#{h})")
            with open(os.path.join(args.hugo, "content", shape.kind, f"{document.name}.md"), "w") as f:
                f.write(f"---\n{document.hugo_front_matter()}---\n\n{theirs}")


def write_hugo_theme(root):
    """Templates equivalent to QualityPress's default theme: a page template, section lists
    paginated by 20, one page per tag, a home page, sitemap, RSS."""
    with open(os.path.join(root, "hugo.toml"), "w") as f:
        f.write('baseURL = "https://bench.example.org/"\nlanguageCode = "zh-CN"\ntitle = "基准测试站点"\n'
                'defaultContentLanguage = "zh"\nhasCJKLanguage = true\n'
                '[pagination]\n  pagerSize = 20\n[markup.goldmark.renderer]\n  unsafe = false\n'
                '[markup.goldmark.parser]\n  autoHeadingIDType = "github"\n'
                # One feed of the 20 newest pages, as qpress writes; Hugo's default adds a feed per
                # section and per tag, each listing every page.
                '[outputs]\n  home = ["html", "rss"]\n  section = ["html"]\n  taxonomy = ["html"]\n  term = ["html"]\n'
                '[services.rss]\n  limit = 20\n')
    layouts = os.path.join(root, "layouts", "_default")
    os.makedirs(layouts, exist_ok=True)
    files = {
        "baseof.html": '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
                       '<meta name="viewport" content="width=device-width, initial-scale=1">'
                       '<title>{{ .Title }} - {{ site.Title }}</title>'
                       '<meta name="description" content="{{ .Summary | plainify }}">'
                       '<meta property="og:title" content="{{ .Title }}"><meta property="og:url" content="{{ .Permalink }}">'
                       '</head><body><header><a href="/">{{ site.Title }}</a><nav><a href="/stories/">品牌故事</a></nav></header>'
                       '<main>{{ block "main" . }}{{ end }}</main><footer>© 协会</footer></body></html>\n',
        "single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Params.company }} · {{ .Params.author }} · '
                       '<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006年1月2日" }}</time> · 全文约 {{ .WordCount }} 字</p>'
                       '{{ with .TableOfContents }}<nav>{{ . }}</nav>{{ end }}<div>{{ .Content }}</div>'
                       '<ul>{{ range .Params.tags }}<li><a href="{{ "/tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a></li>{{ end }}</ul></article>{{ end }}\n',
        "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>'
                     '<p><time>{{ .Date.Format "2006年1月2日" }}</time> · {{ .Params.company }}</p><p>{{ .Params.summary }}</p></li>{{ end }}</ul>'
                     '{{ with .Paginator.Prev }}<a rel="prev" href="{{ .URL }}">上一页</a>{{ end }}'
                     '{{ with .Paginator.Next }}<a rel="next" href="{{ .URL }}">下一页</a>{{ end }}{{ end }}\n',
        "taxonomy.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n',
        "term.html": '{{ define "main" }}<h1>标签：{{ .Title }}</h1><ul>{{ range .Pages }}<li><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>'
                     '<p>{{ .Params.summary }}</p></li>{{ end }}</ul>{{ end }}\n',
    }
    for name, text in files.items():
        with open(os.path.join(layouts, name), "w") as f:
            f.write(text)
    papers = os.path.join(root, "layouts", "papers")
    os.makedirs(papers, exist_ok=True)
    with open(os.path.join(papers, "single.html"), "w") as f:
        f.write('{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ delimit .Params.authors "，" }}</p>'
                '<section><h2>摘要</h2><p>{{ .Params.abstract }}</p><p>关键词：{{ delimit .Params.keywords "；" }}</p></section>'
                '{{ with .TableOfContents }}<nav>{{ . }}</nav>{{ end }}<div>{{ .Content }}</div></article>{{ end }}\n')
    with open(os.path.join(root, "layouts", "index.html"), "w") as f:
        f.write('{{ define "main" }}<h1>{{ site.Title }}</h1><ul>{{ range first 6 (where site.RegularPages "Section" "stories") }}'
                '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n')


if __name__ == "__main__":
    main()

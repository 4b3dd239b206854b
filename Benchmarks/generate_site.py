#!/usr/bin/env python3
"""Writes a synthetic site of N brand stories, in QualityPress's layout and, with --hugo,
the same corpus in Hugo's layout with equivalent templates.

Mostly Chinese text with some English; front matter with tags; headings, tables, footnotes,
lists and cross-links between pages. Deterministic: the same N gives the same bytes.

    generate_site.py N QPRESS_DIR [--hugo HUGO_DIR]
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


def sentence(rng):
    parts = [rng.choice(PHRASES) for _ in range(rng.randint(2, 4))]
    if rng.random() < 0.3:
        parts.insert(rng.randint(0, len(parts)), rng.choice(ENGLISH))
    return "，".join(parts) + "，企业通过" + rng.choice(PHRASES) + "取得了明显成效。"


def paragraph(rng):
    return "".join(sentence(rng) for _ in range(rng.randint(4, 7)))


def body(rng, index, count, link):
    out = []
    for number, heading in enumerate(HEADINGS):
        out.append(f"## {heading}\n")
        out.append(paragraph(rng) + "\n")
        if number == 1:
            out.append("| 指标 | 改进前 | 改进后 |\n|---|---|---|\n"
                       + "".join(f"| {rng.choice(PHRASES)} | {rng.randint(60, 90)}% | {rng.randint(91, 99)}% |\n" for _ in range(4)))
        if number == 2:
            out.append("".join(f"- {rng.choice(PHRASES)}：{sentence(rng)}\n" for _ in range(4)))
        if number == 3:
            target = (index * 7 + 1) % count + 1
            out.append(paragraph(rng) + f"参见{link(target, '实施过程')}的做法[^1]。\n")
        out.append(paragraph(rng) + "\n")
    out.append(f"[^1]: 张三. {rng.choice(PHRASES)}[M]. 北京: 机械工业出版社, 2019.\n")
    return "\n".join(out)


def date(index):
    return f"2020-{(index % 12) + 1:02d}-{(index % 28) + 1:02d}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("qpress_dir")
    parser.add_argument("--hugo")
    args = parser.parse_args()
    count = args.count

    content = os.path.join(args.qpress_dir, "Content")
    os.makedirs(os.path.join(content, "stories"), exist_ok=True)
    with open(os.path.join(content, "site.yml"), "w") as f:
        f.write("title: 基准测试站点\nbase_url: https://bench.example.org/\nper_page: 20\n")
    if args.hugo:
        os.makedirs(os.path.join(args.hugo, "content", "stories"), exist_ok=True)
        write_hugo_theme(args.hugo)

    for index in range(1, count + 1):
        rng = random.Random(index)
        title = f"{rng.choice(PHRASES)}的实践之{index}"
        tags = sorted(set(rng.sample(TAGS, 3)))
        summary = sentence(rng)
        company = f"示例机械有限公司{index % 97}"
        industry = rng.choice(INDUSTRIES)
        text_rng = random.Random(index * 31)
        ours = body(text_rng, index, count, lambda t, h: f"[第{t}篇](s{t:05d}.md#{h})")
        with open(os.path.join(content, "stories", f"s{index:05d}.md"), "w") as f:
            f.write(f"---\ntitle: {title}\ncompany: {company}\nauthor: 作者{index}\ndate: {date(index)}\n"
                    f"industry: {industry}\ntags: [{', '.join(tags)}]\nsummary: {summary}\n---\n\n{ours}")
        if args.hugo:
            text_rng = random.Random(index * 31)
            theirs = body(text_rng, index, count, lambda t, h: f"[第{t}篇](/stories/s{t:05d}/#{h})")
            with open(os.path.join(args.hugo, "content", "stories", f"s{index:05d}.md"), "w") as f:
                f.write(f"---\ntitle: \"{title}\"\ndate: {date(index)}\ntags: [{', '.join(tags)}]\n"
                        f"summary: \"{summary}\"\nparams:\n  company: {company}\n  author: 作者{index}\n  industry: {industry}\n---\n\n{theirs}")


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
    with open(os.path.join(root, "layouts", "index.html"), "w") as f:
        f.write('{{ define "main" }}<h1>{{ site.Title }}</h1><ul>{{ range first 6 (where site.RegularPages "Section" "stories") }}'
                '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n')


if __name__ == "__main__":
    main()

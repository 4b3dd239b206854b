#!/usr/bin/env bash
# Builds an anthology of 100 generated stories (about 350 pages at 16开; 115 make about 400) and prints
# where the time goes: our HTML generation (Markdown, templates, web edition, EPUB) against WeasyPrint.
# Then, in the same run, plain WeasyPrint on the same print HTML (our CSS, without the print script:
# no Chinese justification, no padding to signatures): our PDF step should take at most 1.5 times as long.
# Not part of `make test`. Usage: Benchmarks/anthology.sh [STORIES]   (default 100)
# QPRESS=path/to/qpress skips the release build (the ratio does not depend on it).
set -euo pipefail
cd "$(dirname "$0")/.."
STORIES=${1:-100}
if [ -z "${QPRESS:-}" ]; then
  make release >/dev/null
  QPRESS=.build-release/release/qpress
fi
WORK=$(mktemp -d "${TMPDIR:-/dev/shm}/qpress-anthology-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

python3 - "$WORK" "$STORIES" <<'PY'
import os, sys
root, count = sys.argv[1], int(sys.argv[2])
content = os.path.join(root, "Content")
os.makedirs(os.path.join(content, "stories"), exist_ok=True)
os.makedirs(os.path.join(content, "anthologies"), exist_ok=True)
open(os.path.join(content, "site.yml"), "w").write("title: 基准测试\nbase_url: https://bench.example.org/\n")
industries = ["通用机械", "机床工具", "液压气动", "电工电器", "农业机械"]
sentences = [
    "公司坚持质量第一的方针，把每一道工序都当作最后一道工序来对待。",
    "质量管理小组围绕关键特性开展攻关，用数据说话，用事实判断。",
    "他们把用户的意见逐条归类，纳入改进清单，并在下一次走访时反馈处理结果。",
    "通过统计过程控制，关键尺寸的过程能力指数由1.0提高到1.4以上。",
    "老师傅带着年轻人在现场反复试验，终于找到了问题的症结所在。",
    "数字化平台让每一台产品都有了自己的“身份证”，质量追溯从几天缩短到几分钟。",
]
def paragraph(seed):
    return "".join(sentences[(seed + k) % len(sentences)] for k in range(5))
sections = 5
per = count // sections
manifest = ["title: 基准测试故事集", "publisher: 基准测试协会", "trim: 16开", "parts:", "  - cover", "  - half_title",
            "  - copyright", "  - contents"]
for s in range(sections):
    manifest += ["  - type: section", f"    title: 第{s + 1}篇", "    files:"]
    for i in range(s * per, (s + 1) * per if s < sections - 1 else count):
        manifest.append(f"      - stories/s{i:03d}.md")
        body = []
        for h in range(3 + i % 2):  # stories of two and of three pages: about 300 pages in all
            body.append(f"## 第{h + 1}节　实践与体会\n")
            body += [paragraph(i + h + p) + "\n" for p in range(3)]
        if i % 3 == 0:
            body.append("| 指标 | 改进前 | 改进后 |\n|---|---|---|\n| 一次合格率 | 95.1% | 99.2% |\n| 索赔次数 | 3.5 | 0.9 |\n")
        body.append(f"这一做法得到了用户的认可[^1]。\n\n[^1]: 见企业内部质量报告（{2018 + i % 3}年）。\n")
        open(os.path.join(content, "stories", f"s{i:03d}.md"), "w").write(
            f"---\ntitle: 质量故事第{i + 1}篇\ncompany: 示例企业{i + 1}号\nauthor: 作者{i + 1}\ndate: 2020-{1 + i % 12:02d}-{1 + i % 28:02d}\n"
            f"industry: {industries[i % len(industries)]}\nsummary: 第{i + 1}个示例企业的质量品牌故事。\n---\n\n" + "\n".join(body))
open(os.path.join(content, "anthologies", "bench.yml"), "w").write("\n".join(manifest) + "\n")
PY

export QPRESS_THEME="$PWD/Templates"
echo "stories: $STORIES; site in $WORK"
QPRESS_KEEP_PRINT_HTML=1 /usr/bin/time -f "qpress anthology: %e s wall, %U s user, %S s system, %M KB max" \
  "$QPRESS" anthology bench --source "$WORK" --output "$WORK/Output" 2>&1 | tee "$WORK/log"
BOOK="$WORK/Output/anthologies/bench"
pages=$(pdfinfo "$BOOK/bench.pdf" | awk '/^Pages:/ {print $2}')
# The same HTML, the same PDF variant, WeasyPrint's own command.
/usr/bin/time -f "plain WeasyPrint: %e s wall, %U s user, %S s system" -o "$WORK/plain.time" \
  python3 -m weasyprint --pdf-variant pdf/x-4 --base-url "$BOOK/" "$BOOK/bench.print.html" "$WORK/plain.pdf" 2>/dev/null
cat "$WORK/plain.time"
plain_pages=$(pdfinfo "$WORK/plain.pdf" | awk '/^Pages:/ {print $2}')
python3 - "$WORK/log" "$pages" "$WORK/plain.time" "$plain_pages" <<'PY'
import re, sys
log = open(sys.argv[1]).read()
html, pdf = map(float, re.search(r"HTML and EPUB ([0-9.]+) s, PDF ([0-9.]+) s", log).groups())
plain = float(re.search(r"plain WeasyPrint: ([0-9.]+) s wall", open(sys.argv[3]).read()).group(1))
total = html + pdf
print(f"pages: {sys.argv[2]} (plain WeasyPrint: {sys.argv[4]}, before padding to signatures)")
print(f"our HTML, web edition and EPUB: {html:.2f} s ({100 * html / total:.1f} %)")
print(f"WeasyPrint (PDF):               {pdf:.2f} s ({100 * pdf / total:.1f} %)")
print(f"plain WeasyPrint, same HTML:    {plain:.2f} s; ours/plain = {pdf / plain:.2f} (target: at most 1.5)")
PY

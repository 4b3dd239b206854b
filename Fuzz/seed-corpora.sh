#!/usr/bin/env bash
# Seeds Fuzz/Corpus/<target>/ from Content/, Templates/ and the hostile-input cases of issue #21.
# The seeds are checked in; what libFuzzer finds goes to .build-fuzz/corpus/ (see `make fuzz`).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=Fuzz/Corpus
rm -rf "$corpus"
mkdir -p "$corpus"/{FrontMatter,SiteConfig,Manifest,Markdown,Theme,Tokenizer}
name() { echo "$1" | tr '/' '-'; }
for file in $(find Content -name '*.md' | sort); do
  cp "$file" "$corpus/FrontMatter/$(name "$file")"
  cp "$file" "$corpus/Markdown/$(name "$file")"
  cp "$file" "$corpus/Tokenizer/$(name "$file")"
done
cp Content/site.yml "$corpus/SiteConfig/site.yml"
cp Content/slogans.yml "$corpus/SiteConfig/slogans.yml"
for file in Content/anthologies/*.yml; do cp "$file" "$corpus/Manifest/$(name "$file")"; done
for file in $(find Templates -name '*.mustache' | sort); do cp "$file" "$corpus/Theme/$(name "$file")"; done
# A home template and partials, split at NUL bytes as the Theme target reads them.
printf '{{> partials/p0}}\0<p>{{title}}</p>{{> partials/p1}}\0{{#items}}<li>{{name}}</li>{{/items}}' > "$corpus/Theme/split-partials"
python3 - "$corpus" <<'PY'
import sys, pathlib
corpus = pathlib.Path(sys.argv[1])
laughs = '\n'.join(['title: t', 'a0: &a0 "lol"'] + [f'a{i}: &a{i} [' + ', '.join([f'*a{i-1}'] * 9) + ']' for i in range(1, 10)] + ['? *a9', ': x', ''])
cases = {
    'FrontMatter': {'dashes': '---', 'date-overflow': '---\ntitle: p\ndate: 9999999999999999999\n---\n',
                    'laughs': '---\n' + laughs + '---\n', 'slug-script': "---\ntitle: p\nslug: 'x\"><script>alert(1)<!--'\n---\na[^1]\n\n[^1]: n\n",
                    'complex-key': '---\ntitle: p\n? [a]\n: b\n---\n', 'nul': '---\ntitle: p\n---\na\0b\n'},
    'SiteConfig': {'laughs': laughs, 'base-url': 'title: t\nbase_url: https://a b/c d/\n', 'hugo': 'title: t\nbaseURL: /\nlanguageCode: zh\n'},
    'Manifest': {'laughs': laughs},
    'Markdown': {'headings': '#\n' * 200 + '## 概述\n' * 200, 'table': '|' * 200 + '\n' + '|-' * 100 + '\n', 'nul': 'a\0b\n',
                 'html': '<script>alert(1)</script>\n\n<img src=x onerror=y>\n'},
    'Theme': {'self': '{{> partials/p0}}\0{{> partials/p0}}', 'nested': '{{#a}}' * 120 + '{{/a}}' * 120, 'opens': '{{' * 300,
              'delims': '{{=<% %>=}}<%#a%><%x%><%/a%>'},
}
for target, files in cases.items():
    for name, text in files.items():
        (corpus / target / f'issue21-{name}').write_bytes(text.encode())
PY
echo "seeded $(find "$corpus" -type f | wc -l) files in $corpus"

#!/usr/bin/env python3
"""Fails when the body of a Swift function or initializer in Sources/ is longer than 80 lines: a function that
long does more than one thing. A brace-counting scan (strings and comments skipped), not a parser:
good enough for this code base's style. Run early by `make test`.

Exceptions are listed in ALLOWED with the reason; each must still exist and still be long, so the list shrinks."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
LIMIT = 80
DECLARATION = re.compile(r"\b(?:func\s+[^\s(<]+|init[?!]?|deinit)\s*[(<{]")
# file → function name: bodies another change is splitting at the same time (issue #16's build stages).
ALLOWED: dict = {}


def code_only(text):
    """The text with string literals (also multi-line and raw) and comments blanked, newlines kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i)); i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j])); i = j
        elif text[i] == '"' or (text[i] == "#" and re.match(r'#+"', text[i:])):
            hashes = len(re.match(r"#*", text[i:]).group())
            quote = '"""' if text.startswith('"""', i + hashes) else '"'
            start = i + hashes + len(quote)
            end_mark = quote + "#" * hashes
            j = start
            while True:
                k = text.find(end_mark, j)
                if k < 0:
                    k = n
                    break
                if hashes == 0 and text[k - 1] == "\\" and not text[k - 2:k] == "\\\\":
                    j = k + 1
                    continue
                break
            j = min(n, k + len(end_mark))
            out.append(re.sub(r"[^\n]", " ", text[i:j])); i = j
        else:
            out.append(text[i]); i += 1
    return "".join(out)


CONTINUATION = re.compile(r"\s*(->|throws|rethrows|async|where|\{|-|,|\))")


def long_functions(path):
    """(name, line of the opening brace, lines between the braces) of each function with a body."""
    code = code_only(path.read_text())
    for match in DECLARATION.finditer(code):
        name = re.sub(r"^func\s+", "", match.group(0)).rstrip("(<{ ").strip()
        depth, parens, opened = 0, 0, None
        for index in range(match.end() - 1, len(code)):
            character = code[index]
            if opened is None:
                parens += {"(": 1, ")": -1, "<": 0}.get(character, 0)
                # A signature ends at a line break outside its parentheses unless the next line goes on with it:
                # then it has no body (a protocol requirement).
                if character == "\n" and parens == 0 and not CONTINUATION.match(code, index + 1):
                    break
            if character == "{":
                opened = index if opened is None else opened
                depth += 1
            elif character == "}" and opened is not None:
                depth -= 1
                if depth == 0:
                    first = code.count("\n", 0, opened) + 1
                    yield name, first, code.count("\n", 0, index) + 1 - first - 1
                    break


def main():
    problems, still_long = [], set()
    for path in sorted((ROOT / "Sources").rglob("*.swift")):
        relative = str(path.relative_to(ROOT))
        for name, line, length in long_functions(path):
            if length <= LIMIT:
                continue
            if (relative, name) in ALLOWED:
                still_long.add((relative, name))
                continue
            problems.append(f"{relative}:{line}: function '{name}' has {length} lines; split it (at most {LIMIT}, aim for 60)")
    for key, reason in ALLOWED.items():
        if key not in still_long:
            problems.append(f"{key[0]}: '{key[1]}' is no longer over {LIMIT} lines (or gone): remove it from ALLOWED in {pathlib.Path(__file__).name}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

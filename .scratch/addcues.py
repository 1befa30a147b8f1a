import re, sys
def add(lang, section, key, items, remove=()):
    p = f'/work/main/src-main/knowledge/pack/cues-{lang}.ts'
    s = open(p).read()
    cap = lang.capitalize()
    sec_start = s.index(f"export const {section}Cues{cap}")
    m = re.compile(rf"\n  {key}: \[\n    (.*?),\n  \],", re.S).search(s, sec_start)
    assert m, (lang, section, key)
    body = m.group(1)
    for r in remove:
        lit = repr(r) if "'" not in r else '"' + r + '"'
        assert (lit + ', ') in body + ', ', (lang, key, r)
        body = (body + ', ').replace(lit + ', ', '', 1)[:-2]
    existing = set(re.findall(r"'((?:[^'\\]|\\.)*)'|\"([^\"]*)\"", body))
    existing = {a or b for a, b in existing}
    new = [x for x in items if x not in existing]
    lits = [("'" + x + "'") if "'" not in x else ('"' + x + '"') for x in new]
    if lits: body = body + ', ' + ', '.join(lits)
    s = s[:m.start(1)] + body + s[m.end(1):]
    open(p, 'w').write(s)

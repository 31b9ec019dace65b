// Highlighting for the studio's editor: a small reader of TextMate grammars
// (the editors' own editors/guichet.tmLanguage.json and
// guichet-test.tmLanguage.json, served beside this file), line by line,
// with the begin/end rules that span lines carried from one line to the
// next. It knows what those grammars use: match, begin/end, name,
// contentName, captures, patterns, include, and $1 in names.
// Exposes window.StudioHighlight.
"use strict";

(function () {
  /** A grammar compiled for JavaScript's regular expressions. */
  function compile(grammar) {
    const repo = grammar.repository || {};
    const cache = new Map();
    function rule(r) {
      if (cache.has(r)) return cache.get(r);
      const c = { name: r.name || null, contentName: r.contentName || null };
      cache.set(r, c);
      if (r.include) {
        const key = r.include.replace(/^#/, "");
        c.include = key === "$self" ? { patterns: grammar.patterns } : repo[key];
        c.resolved = c.include ? rule(c.include) : null;
        return c;
      }
      if (r.match) {
        c.match = regex(r.match);
        c.captures = r.captures || {};
      } else if (r.begin) {
        c.begin = regex(r.begin);
        c.end = r.end;
        c.beginCaptures = r.beginCaptures || r.captures || {};
        c.endCaptures = r.endCaptures || r.captures || {};
      }
      c.raw = r.patterns || [];
      return c;
    }
    const compiled = new Map();
    /**
     * A pattern as two expressions: `g` to search a line, `dy` to read the
     * captures' places where the search found it (the `d` flag is slow
     * for searching).
     */
    function regex(source) {
      if (compiled.has(source)) return compiled.get(source);
      let re = null;
      for (const flags of ["u", ""]) {
        try {
          re = { search: new RegExp(source, "g" + flags), at: new RegExp(source, "dy" + flags) };
          break;
        } catch (e) {
          re = null;
        }
      }
      compiled.set(source, re);
      return re;
    }
    /** The rules a context tries, includes flattened. */
    function patterns(c, seen = new Set()) {
      if (c.flat) return c.flat;
      const out = [];
      for (const raw of c.raw) {
        const r = rule(raw);
        if (r.include !== undefined) {
          if (!r.resolved || seen.has(r.resolved)) continue;
          seen.add(r.resolved);
          if (r.resolved.match || r.resolved.begin) out.push(r.resolved);
          else out.push(...patterns(r.resolved, seen));
          seen.delete(r.resolved);
        } else if (r.match || r.begin) {
          out.push(r);
        } else if (r.raw.length) {
          out.push(...patterns(r, seen));
        }
      }
      c.flat = out;
      return out;
    }
    const root = rule({ patterns: grammar.patterns });
    const ids = new Map();
    const idOf = (r) => {
      if (!ids.has(r)) ids.set(r, ids.size);
      return ids.get(r);
    };
    return { root, patterns, regex, idOf, scope: grammar.scopeName };
  }

  /** `storage.type.$1.guichet` with the first capture. */
  function named(name, m) {
    if (!name) return null;
    return name.replace(/\$(\d+)/g, (_, n) => (m && m[Number(n)]) || "");
  }

  /**
   * Reads one line from `stack` (the open begin/end rules), returns the
   * spans [{start, end, scopes}] and the stack for the next line.
   */
  function tokenizeLine(g, line, stack) {
    stack = stack.map((f) => ({ ...f, openedAt: -1 }));
    const spans = [];
    let pos = 0;
    let guard = 0;
    // A search from `pos` finds what a search from an earlier place found
    // when that was at or after `pos` (or found nothing): each rule is
    // searched a few times per line, not at each token.
    const found = new Map();
    const search = (re) => {
      const last = found.get(re);
      if (last && (last.m === null || last.m.index >= pos)) return last.m;
      re.search.lastIndex = pos;
      const m = re.search.exec(line);
      found.set(re, { m });
      return m;
    };
    /** The match with its captures' places. */
    const detail = (re, at) => {
      re.at.lastIndex = at;
      return re.at.exec(line);
    };
    const scopesOf = () => stack.flatMap((f) => [f.name, f.contentName]).filter(Boolean);
    const emit = (start, end, scopes) => {
      if (end > start) spans.push({ start, end, scopes });
    };
    const emitCaptures = (m, caps, base) => {
      const whole = m.indices[0];
      const marks = [];
      for (const [k, v] of Object.entries(caps)) {
        const i = Number(k);
        const at = m.indices[i];
        if (!at || !v.name || at[1] <= at[0]) continue;
        marks.push({ start: at[0], end: at[1], name: named(v.name, m), order: i });
      }
      // Capture 0 first, then the groups: the innermost scope wins.
      marks.sort((a, b) => a.order - b.order);
      let cuts = new Set([whole[0], whole[1]]);
      for (const k of marks) {
        cuts.add(k.start);
        cuts.add(k.end);
      }
      cuts = [...cuts].sort((a, b) => a - b);
      for (let i = 0; i + 1 < cuts.length; i++) {
        const s = cuts[i];
        const e = cuts[i + 1];
        const scopes = base.slice();
        for (const k of marks) if (k.start <= s && e <= k.end) scopes.push(k.name);
        emit(s, e, scopes);
      }
    };
    while (pos <= line.length && guard++ < 1000) {
      const top = stack[stack.length - 1];
      const context = top ? top.rule : g.root;
      let best = null;
      let bestStart = Infinity;
      if (top && top.end) {
        const m = search(top.end);
        if (m) {
          best = { end: true, m };
          bestStart = m.index;
        }
      }
      for (const r of g.patterns(context)) {
        const re = r.match || r.begin;
        if (!re) continue;
        const m = search(re);
        if (m && m.index < bestStart) {
          // A rule that would open with nothing where one just closed
          // would loop: it is skipped.
          if (r.begin && m[0].length === 0 && top && top.openedAt === pos) continue;
          best = { rule: r, m };
          bestStart = m.index;
        }
      }
      if (!best) {
        emit(pos, line.length, scopesOf());
        break;
      }
      const m = detail(best.end ? stack[stack.length - 1].end : best.rule.match || best.rule.begin, best.m.index);
      if (!m) break;
      emit(pos, m.index, scopesOf());
      if (best.end) {
        const frame = stack.pop();
        const outer = scopesOf().concat(frame.name ? [frame.name] : []);
        emitCaptures(m, frame.rule.endCaptures, outer);
        pos = m.index + m[0].length;
        if (m[0].length === 0) {
          if (stack.length && stack[stack.length - 1]) stack[stack.length - 1].openedAt = pos;
          if (pos >= line.length) break;
        }
        continue;
      }
      const r = best.rule;
      const name = named(r.name, m);
      if (r.match) {
        emitCaptures(m, r.captures, scopesOf().concat(name ? [name] : []));
        pos = m.index + m[0].length;
        if (m[0].length === 0) {
          // Nothing read: move on by one character.
          emit(pos, pos + 1, scopesOf());
          pos += 1;
        }
        continue;
      }
      // A begin rule: its end may refer to the begin's captures.
      const endSource = r.end.replace(/\\(\d+)/g, (all, n) => {
        const v = m[Number(n)];
        return v === undefined ? all : v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      });
      const frame = {
        rule: r,
        name,
        contentName: named(r.contentName, m),
        end: g.regex(endSource),
        endSource,
        openedAt: m.index + m[0].length,
      };
      emitCaptures(m, r.beginCaptures, scopesOf().concat(name ? [name] : []));
      stack.push(frame);
      pos = m.index + m[0].length;
      if (m[0].length === 0 && pos >= line.length) break;
    }
    // A rule ending at the end of its line (`$`) closes there.
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (!top.end) break;
      top.end.search.lastIndex = line.length;
      const m = top.end.search.exec(line);
      if (m && m.index === line.length && m[0].length === 0) stack.pop();
      else break;
    }
    return { spans, stack };
  }

  /** The class a span gets: the innermost scope that has a colour. */
  const CLASSES = [
    ["invalid", "tk-invalid"],
    ["comment", "tk-comment"],
    ["constant.character.escape", "tk-escape"],
    ["punctuation.section.interpolation", "tk-interp"],
    ["string", "tk-string"],
    ["storage", "tk-storage"],
    ["keyword.operator", "tk-operator"],
    ["keyword", "tk-keyword"],
    ["entity.name.tag", "tk-lang"],
    ["entity.name", "tk-name"],
    ["support.function", "tk-builtin"],
    ["support", "tk-support"],
    ["constant", "tk-constant"],
    ["variable", "tk-variable"],
  ];

  function classOf(scopes) {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const s = scopes[i];
      if (!s) continue;
      for (const [prefix, cls] of CLASSES) {
        if (s === prefix || s.startsWith(prefix + ".")) return cls;
      }
    }
    return "";
  }

  /** What a line's reading depends on besides its text: the open rules. */
  function stackKey(g, stack) {
    return stack.map((f) => g.idOf(f.rule) + ":" + f.endSource + ":" + (f.name || "") + ":" + (f.contentName || "")).join("|");
  }

  /**
   * Each line's spans as [{start, end, cls}], for a whole text. A line read
   * before with the same open rules is not read again: a keystroke reads
   * the lines it changed (and those after, when it opened or closed a rule).
   */
  function tokenize(g, text) {
    if (!g.lines || g.lines.size > 20000) g.lines = new Map();
    let stack = [];
    let key = "";
    return text.split("\n").map((line) => {
      const id = key + "\u0000" + line;
      let r = g.lines.get(id);
      if (!r) {
        const read = tokenizeLine(g, line, stack);
        r = {
          spans: read.spans.map((s) => ({ start: s.start, end: s.end, cls: classOf(s.scopes) })),
          stack: read.stack,
          key: stackKey(g, read.stack),
        };
        g.lines.set(id, r);
      }
      stack = r.stack;
      key = r.key;
      return r.spans;
    });
  }

  const grammars = new Map();

  /** Loads a grammar by address (once). */
  async function load(url) {
    if (!grammars.has(url)) {
      grammars.set(
        url,
        fetch(url, { credentials: "same-origin" })
          .then((r) => (r.ok ? r.json() : null))
          .then((g) => (g ? compile(g) : null))
          .catch(() => null),
      );
    }
    return grammars.get(url);
  }

  /** A CSV table: the header row, separators, quoted cells. */
  function tokenizeCsv(text) {
    return text.split("\n").map((line, i) => {
      const spans = [];
      const re = /"(?:[^"]|"")*"?|[,;]/g;
      let m;
      while ((m = re.exec(line))) {
        spans.push({ start: m.index, end: m.index + m[0].length, cls: m[0].length === 1 && m[0] !== '"' ? "tk-operator" : "tk-string" });
      }
      if (i === 0 && line.length) return [{ start: 0, end: line.length, cls: "tk-storage" }];
      return spans;
    });
  }

  window.StudioHighlight = { compile, load, tokenize, tokenizeLine, tokenizeCsv, classOf };
})();

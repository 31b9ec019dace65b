// The studio's code editor: the real control is a <textarea> (typing,
// selection, undo, screen readers and the keyboard work as everywhere);
// under it a <pre> shows the same text highlighted, with the diagnostics
// underlined, and a gutter numbers the lines. Completion is a listbox
// the textarea drives (Ctrl+Space, arrows, Enter or Tab, Escape); hover
// shows the documentation under the mouse, or at the caret with Ctrl+I.
// Every text is inserted with textContent. Exposes window.StudioEditor.
"use strict";

(function () {
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };

  /** 0-based line and UTF-16 character of an offset in `text`. */
  function position(text, offset) {
    let line = 0;
    let start = 0;
    for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
      line++;
      start = i + 1;
    }
    return { line, character: offset - start };
  }

  /** The offset of a 0-based line and UTF-16 character. */
  function offset(text, pos) {
    let at = 0;
    for (let l = 0; l < pos.line; l++) {
      const i = text.indexOf("\n", at);
      if (i === -1) return text.length;
      at = i + 1;
    }
    const end = text.indexOf("\n", at);
    const lineEnd = end === -1 ? text.length : end;
    return Math.min(at + pos.character, lineEnd);
  }

  class StudioEditor {
    /**
     * `host`: an empty element. `options`: {label, onChange(text),
     * complete(pos) -> Promise<items>, hover(pos) -> Promise<hover|null>,
     * onSave(), texts: {...}}.
     */
    constructor(host, options) {
      this.options = options;
      this.texts = options.texts;
      this.grammar = null;
      this.kind = "flow";
      this.diagnostics = [];
      this.completion = null; // {items, index, start}
      this.renderQueued = false;

      host.classList.add("editor");
      this.gutter = el("div", "gutter");
      this.gutter.setAttribute("aria-hidden", "true");
      const code = el("div", "code");
      this.pre = el("pre", "layer");
      this.pre.setAttribute("aria-hidden", "true");
      this.textarea = el("textarea", "input");
      this.textarea.id = options.id || "code";
      this.textarea.spellcheck = false;
      this.textarea.wrap = "off";
      this.textarea.setAttribute("autocapitalize", "off");
      this.textarea.setAttribute("autocomplete", "off");
      this.textarea.setAttribute("aria-multiline", "true");
      if (options.describedBy) this.textarea.setAttribute("aria-describedby", options.describedBy);
      this.list = el("ul", "completions");
      this.list.id = (options.id || "code") + "-completions";
      this.list.setAttribute("role", "listbox");
      this.list.hidden = true;
      this.tip = el("div", "tip");
      this.tip.id = (options.id || "code") + "-tip";
      this.tip.setAttribute("role", "tooltip");
      this.tip.hidden = true;
      this.textarea.setAttribute("aria-autocomplete", "list");
      this.textarea.setAttribute("aria-controls", this.list.id);
      this.measure = el("span", "measure", "0000000000");
      this.measure.setAttribute("aria-hidden", "true");
      code.append(this.pre, this.textarea, this.list, this.tip, this.measure);
      host.append(this.gutter, code);
      this.code = code;

      this.textarea.addEventListener("input", () => this.changed());
      this.textarea.addEventListener("scroll", () => {
        this.syncScroll();
        this.closeCompletion();
        this.hideTip();
      });
      this.textarea.addEventListener("keydown", (e) => this.keydown(e));
      this.textarea.addEventListener("blur", () => setTimeout(() => {
        if (document.activeElement !== this.textarea) this.closeCompletion();
      }, 150));
      this.textarea.addEventListener("click", () => this.closeCompletion());
      this.textarea.addEventListener("mousemove", (e) => this.mouseMoved(e));
      this.textarea.addEventListener("mouseleave", () => this.hideTip());
      this.list.addEventListener("mousedown", (e) => e.preventDefault());
    }

    get text() {
      return this.textarea.value;
    }

    /** Shows a new document; the undo history starts over. */
    setDocument(text, kind, grammar, label) {
      this.kind = kind;
      this.grammar = grammar;
      this.textarea.value = text;
      this.textarea.setAttribute("aria-label", label);
      this.textarea.scrollTop = 0;
      this.textarea.scrollLeft = 0;
      this.textarea.setSelectionRange(0, 0);
      this.diagnostics = [];
      this.closeCompletion();
      this.hideTip();
      this.render();
    }

    /** The diagnostics of this document: [{range, severity, message}]. */
    setDiagnostics(list) {
      this.diagnostics = list;
      this.queueRender();
    }

    changed() {
      this.queueRender();
      this.hideTip();
      // The page's texts first: the completion asks about the new one.
      this.options.onChange(this.text);
      if (this.completion) this.refreshCompletion();
    }

    queueRender() {
      if (this.renderQueued) return;
      this.renderQueued = true;
      requestAnimationFrame(() => {
        this.renderQueued = false;
        this.render();
      });
    }

    /** The highlighted layer and the gutter follow the textarea. */
    syncScroll() {
      this.pre.scrollTop = this.textarea.scrollTop;
      this.pre.scrollLeft = this.textarea.scrollLeft;
      this.gutter.scrollTop = this.textarea.scrollTop;
    }

    /** Highlighting and underlines: the <pre> and the gutter. */
    render() {
      const text = this.text;
      const lines = text.split("\n");
      let tokens;
      if (this.kind === "table") tokens = window.StudioHighlight.tokenizeCsv(text);
      else if (this.grammar) tokens = window.StudioHighlight.tokenize(this.grammar, text);
      else tokens = lines.map(() => []);
      // Underlines by line: [start, end, severity].
      const marks = lines.map(() => []);
      const marked = new Map();
      for (const d of this.diagnostics) {
        if (!d.range) continue;
        const sev = d.severity === "error" ? "error" : "warning";
        const { start, end } = d.range;
        for (let l = start.line; l <= Math.min(end.line, lines.length - 1); l++) {
          const from = l === start.line ? start.character : 0;
          const to = l === end.line ? end.character : lines[l].length;
          marks[l].push([from, Math.max(to, from), sev]);
          if (marked.get(l) !== "error") marked.set(l, sev);
        }
      }
      const out = document.createDocumentFragment();
      lines.forEach((line, i) => {
        const div = el("div", "line");
        const cuts = new Set([0, line.length]);
        for (const t of tokens[i] || []) {
          cuts.add(t.start);
          cuts.add(t.end);
        }
        for (const [s, e] of marks[i]) {
          cuts.add(Math.min(s, line.length));
          cuts.add(Math.min(e, line.length));
        }
        const sorted = [...cuts].sort((a, b) => a - b);
        for (let k = 0; k + 1 < sorted.length; k++) {
          const s = sorted[k];
          const e = sorted[k + 1];
          if (e <= s) continue;
          const tok = (tokens[i] || []).find((t) => t.start <= s && e <= t.end);
          const sev = marks[i].find(([ms, me]) => ms <= s && e <= me);
          const span = el("span", [tok && tok.cls, sev && "sq-" + sev[2]].filter(Boolean).join(" "), line.slice(s, e));
          div.append(span);
        }
        // A mistake at the end of a line (a missing word) gets a mark there.
        for (const [s, e, sev] of marks[i]) {
          if (s >= line.length || e === s) {
            if (s >= line.length) div.append(el("span", "sq-" + sev + " sq-end", " "));
          }
        }
        if (!line.length) div.append("\n");
        out.append(div);
      });
      this.pre.replaceChildren(out);
      // The gutter: line numbers, the lines with a problem marked.
      const numbers = document.createDocumentFragment();
      lines.forEach((_, i) => {
        const n = el("div", marked.has(i) ? "n n-" + marked.get(i) : "n", String(i + 1));
        numbers.append(n);
      });
      // Room for the textarea's scrollbar.
      numbers.append(el("div", "n pad", " "));
      this.gutter.replaceChildren(numbers);
      this.syncScroll();
    }

    /** Puts the caret at a 0-based line and character, and the focus. */
    reveal(line, character) {
      const at = offset(this.text, { line, character });
      this.textarea.focus();
      this.textarea.setSelectionRange(at, at);
      const m = this.metrics();
      const top = line * m.line;
      const ta = this.textarea;
      if (top < ta.scrollTop || top > ta.scrollTop + ta.clientHeight - 2 * m.line) {
        ta.scrollTop = Math.max(0, top - ta.clientHeight / 3);
      }
      this.syncScroll();
    }

    caret() {
      return position(this.text, this.textarea.selectionStart);
    }

    /** Line height and character width, as the browser lays them out. */
    metrics() {
      const style = getComputedStyle(this.textarea);
      const line = parseFloat(style.lineHeight) || 20;
      const char = this.measure.getBoundingClientRect().width / 10 || 8;
      return { line, char, padTop: parseFloat(style.paddingTop) || 0, padLeft: parseFloat(style.paddingLeft) || 0 };
    }

    /** Where on screen (in the code box) a position is. */
    pointOf(pos) {
      const m = this.metrics();
      return {
        x: m.padLeft + pos.character * m.char - this.textarea.scrollLeft,
        y: m.padTop + (pos.line + 1) * m.line - this.textarea.scrollTop,
      };
    }

    keydown(e) {
      if ((e.ctrlKey || e.metaKey) && e.key === "s") {
        e.preventDefault();
        this.options.onSave();
        return;
      }
      if (e.ctrlKey && (e.key === " " || e.code === "Space")) {
        e.preventDefault();
        this.openCompletion();
        return;
      }
      if (e.ctrlKey && e.key === "i") {
        e.preventDefault();
        this.hoverAt(this.caret(), null);
        return;
      }
      if (this.completion) {
        const c = this.completion;
        if (e.key === "ArrowDown" || e.key === "ArrowUp") {
          e.preventDefault();
          const n = c.items.length;
          this.select((c.index + (e.key === "ArrowDown" ? 1 : n - 1)) % n);
          return;
        }
        if (e.key === "Enter" || e.key === "Tab") {
          e.preventDefault();
          this.accept(c.index);
          return;
        }
        if (e.key === "Escape") {
          e.preventDefault();
          this.closeCompletion();
          return;
        }
      }
      if (e.key === "Escape" && !this.tip.hidden) {
        e.preventDefault();
        this.hideTip();
        return;
      }
      if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
        // A new line keeps the indentation of the one it leaves.
        const ta = this.textarea;
        const before = ta.value.slice(0, ta.selectionStart);
        const indent = before.slice(before.lastIndexOf("\n") + 1).match(/^[ \t]*/)[0];
        if (indent) {
          e.preventDefault();
          this.insert(ta.selectionStart, ta.selectionEnd, "\n" + indent);
        }
      }
    }

    /** Replaces [from, to) with `text` the way typing would (undo keeps it). */
    insert(from, to, text) {
      const ta = this.textarea;
      ta.focus();
      ta.setSelectionRange(from, to);
      // execCommand keeps the textarea's undo history; setRangeText is the
      // fallback where it is gone.
      if (!document.execCommand || !document.execCommand("insertText", false, text)) {
        ta.setRangeText(text, from, to, "end");
        this.changed();
      }
    }

    /** The word being typed before the caret: [start, word]. */
    wordBefore() {
      const ta = this.textarea;
      const before = ta.value.slice(0, ta.selectionStart);
      const m = before.match(/[A-Za-z0-9_]*$/);
      return [ta.selectionStart - m[0].length, m[0]];
    }

    async openCompletion() {
      const seq = (this.completionSeq = (this.completionSeq || 0) + 1);
      const pos = this.caret();
      let items;
      try {
        items = await this.options.complete(pos);
      } catch (e) {
        items = [];
      }
      if (seq !== this.completionSeq) return;
      if (!items.length) {
        this.closeCompletion();
        this.options.announce(this.texts.noCompletion);
        return;
      }
      const [start] = this.wordBefore();
      this.completion = { items, index: 0, start };
      this.list.replaceChildren();
      items.forEach((item, i) => {
        const li = el("li");
        li.id = this.list.id + "-" + i;
        li.setAttribute("role", "option");
        li.append(el("span", "label", item.label));
        if (item.detail) li.append(el("span", "detail", item.detail));
        li.addEventListener("click", () => this.accept(i));
        this.list.append(li);
      });
      const p = this.pointOf(pos);
      this.list.style.left = Math.max(0, p.x) + "px";
      this.list.style.top = Math.max(0, p.y + 2) + "px";
      this.list.hidden = false;
      this.select(0);
    }

    refreshCompletion() {
      const [start, word] = this.wordBefore();
      if (!this.completion || start !== this.completion.start || !word) {
        if (!word) this.closeCompletion();
        else this.openCompletion();
        return;
      }
      this.openCompletion();
    }

    select(i) {
      const c = this.completion;
      c.index = i;
      [...this.list.children].forEach((li, k) => li.setAttribute("aria-selected", String(k === i)));
      const li = this.list.children[i];
      this.textarea.setAttribute("aria-activedescendant", li.id);
      li.scrollIntoView({ block: "nearest" });
      const item = c.items[i];
      this.options.announce(item.label + (item.detail ? ", " + item.detail : ""));
    }

    accept(i) {
      const c = this.completion;
      if (!c) return;
      const item = c.items[i];
      const [start] = this.wordBefore();
      this.closeCompletion();
      this.insert(start, this.textarea.selectionStart, item.insert || item.label);
    }

    closeCompletion() {
      this.completionSeq = (this.completionSeq || 0) + 1;
      if (!this.completion && this.list.hidden) return;
      this.completion = null;
      this.list.hidden = true;
      this.list.replaceChildren();
      this.textarea.removeAttribute("aria-activedescendant");
    }

    /** The position under the mouse, if it is on a character. */
    positionAt(e) {
      const m = this.metrics();
      const r = this.textarea.getBoundingClientRect();
      const y = e.clientY - r.top - m.padTop + this.textarea.scrollTop;
      const x = e.clientX - r.left - m.padLeft + this.textarea.scrollLeft;
      const line = Math.floor(y / m.line);
      const character = Math.floor(x / m.char);
      const lines = this.text.split("\n");
      if (line < 0 || line >= lines.length || character < 0 || character > lines[line].length) return null;
      return { line, character };
    }

    mouseMoved(e) {
      clearTimeout(this.hoverTimer);
      const pos = this.positionAt(e);
      if (!pos) {
        this.hideTip();
        return;
      }
      if (this.tipAt && this.tipAt.line === pos.line && Math.abs(this.tipAt.character - pos.character) < 1) return;
      this.hoverTimer = setTimeout(() => this.hoverAt(pos, e), 350);
    }

    /** The diagnostics and the documentation at a position, in the tip. */
    async hoverAt(pos, mouse) {
      const seq = (this.hoverSeq = (this.hoverSeq || 0) + 1);
      const inside = (d) => {
        if (!d.range) return false;
        const { start, end } = d.range;
        const after = pos.line > start.line || (pos.line === start.line && pos.character >= start.character);
        const before = pos.line < end.line || (pos.line === end.line && pos.character <= end.character);
        return after && before;
      };
      const here = this.diagnostics.filter(inside);
      let hover = null;
      try {
        hover = await this.options.hover(pos);
      } catch (e) {
        hover = null;
      }
      if (seq !== this.hoverSeq) return;
      if (!here.length && !hover) {
        this.hideTip();
        if (!mouse) this.options.announce(this.texts.noHover);
        return;
      }
      this.tip.replaceChildren();
      for (const d of here) {
        this.tip.append(el("p", "tip-" + d.severity, d.message + (d.help ? " — " + d.help : "")));
      }
      if (hover) this.tip.append(el("div", "tip-doc", hover.markdown.replace(/```[a-z]*\n?/g, "").trim()));
      const p = this.pointOf(pos);
      this.tip.style.left = Math.max(0, p.x) + "px";
      this.tip.style.top = Math.max(0, p.y + 2) + "px";
      this.tip.hidden = false;
      this.tipAt = pos;
      if (!mouse) {
        this.textarea.setAttribute("aria-describedby", [this.options.describedBy, this.tip.id].filter(Boolean).join(" "));
        this.options.announce(this.tip.textContent);
      }
    }

    hideTip() {
      clearTimeout(this.hoverTimer);
      this.hoverSeq = (this.hoverSeq || 0) + 1;
      this.tipAt = null;
      if (this.tip.hidden) return;
      this.tip.hidden = true;
      if (this.options.describedBy) this.textarea.setAttribute("aria-describedby", this.options.describedBy);
    }
  }

  window.StudioEditor = StudioEditor;
  window.StudioEditor.position = position;
  window.StudioEditor.offset = offset;
})();

/*
 * The guichet web widget: a chat with the commune's bot, for any web page.
 *
 *   <script src="https://bot.example/widget.js" data-server="https://bot.example"
 *           data-lang="fr" data-title="Commune de Bruyères" defer></script>
 *
 * or, with `data-manual` on the tag, `GuichetWidget.init({server, lang, title,
 * position, open})`. No framework, no build step, no inline script or style:
 * it works under a strict Content-Security-Policy. It lives in an open Shadow
 * DOM, so the page's CSS does not reach it. Every text from the bot or the
 * citizen is inserted with textContent, never as HTML.
 *
 * The chat API is docs/http-api.md: the conversation's id and token are kept
 * in localStorage (per server), the history is read back after a reload, live
 * events come by Server-Sent Events, and each input carries a client id so a
 * retried input is applied once.
 */
(function () {
  "use strict";

  if (window.GuichetWidget) return;

  const TEXTS = {
    fr: {
      launcher: "Ouvrir le chat de la commune",
      launcherUnread: "Ouvrir le chat de la commune (nouveau message)",
      close: "Fermer le chat",
      title: "La commune vous répond",
      bot: "Commune : ",
      you: "Vous : ",
      log: "Conversation",
      input: "Votre message",
      send: "Envoyer",
      typing: "La commune écrit…",
      reconnecting: "Connexion perdue. Reconnexion…",
      notSent: "Pas encore envoyé : nouvel essai dès que la connexion revient.",
      replies: "Réponses proposées",
      links: "Liens",
      language: "Langue",
      date: "Ou choisissez une date",
      dateSend: "Envoyer la date",
      error: "Une erreur est survenue. Réessayez un peu plus tard.",
      refused: "Ce message n'a pas pu être envoyé.",
      tooLong: "Ce message est trop long.",
      notOffered: "Ce choix n'est plus proposé.",
      expired: "La conversation précédente a expiré. Une nouvelle commence.",
      help: "Aide",
      restart: "Recommencer",
      agent: "Parler à quelqu'un",
    },
    nl: {
      launcher: "Open de chat van de gemeente",
      launcherUnread: "Open de chat van de gemeente (nieuw bericht)",
      close: "Chat sluiten",
      title: "De gemeente antwoordt",
      bot: "Gemeente: ",
      you: "U: ",
      log: "Gesprek",
      input: "Uw bericht",
      send: "Versturen",
      typing: "De gemeente typt…",
      reconnecting: "Verbinding verbroken. Opnieuw verbinden…",
      notSent: "Nog niet verstuurd: nieuwe poging zodra de verbinding terug is.",
      replies: "Voorgestelde antwoorden",
      links: "Links",
      language: "Taal",
      date: "Of kies een datum",
      dateSend: "Datum versturen",
      error: "Er ging iets mis. Probeer het later opnieuw.",
      refused: "Dit bericht kon niet worden verstuurd.",
      tooLong: "Dit bericht is te lang.",
      notOffered: "Deze keuze wordt niet meer aangeboden.",
      expired: "Het vorige gesprek is verlopen. Er begint een nieuw.",
      help: "Hulp",
      restart: "Opnieuw beginnen",
      agent: "Met iemand praten",
    },
    en: {
      launcher: "Open the commune's chat",
      launcherUnread: "Open the commune's chat (new message)",
      close: "Close the chat",
      title: "The commune answers",
      bot: "Commune: ",
      you: "You: ",
      log: "Conversation",
      input: "Your message",
      send: "Send",
      typing: "The commune is typing…",
      reconnecting: "Connection lost. Reconnecting…",
      notSent: "Not sent yet: it will be retried when the connection is back.",
      replies: "Suggested answers",
      links: "Links",
      language: "Language",
      date: "Or pick a date",
      dateSend: "Send the date",
      error: "Something went wrong. Please try again later.",
      refused: "This message could not be sent.",
      tooLong: "This message is too long.",
      notOffered: "This choice is no longer offered.",
      expired: "The previous conversation expired. A new one starts.",
      help: "Help",
      restart: "Start again",
      agent: "Talk to a person",
    },
  };

  /** Each language's name in itself, for the picker and the citizen's echo. */
  const LANGUAGE_NAMES = { fr: "Français", nl: "Nederlands", en: "English" };

  const SVG = "http://www.w3.org/2000/svg";

  /** The launcher's speech bubble, hidden from screen readers (the button has a name). */
  function icon() {
    const svg = document.createElementNS(SVG, "svg");
    const path = document.createElementNS(SVG, "path");
    for (const [k, v] of Object.entries({ viewBox: "0 0 24 24", width: "28", height: "28", "aria-hidden": "true", focusable: "false" })) {
      svg.setAttribute(k, v);
    }
    path.setAttribute("fill", "currentColor");
    path.setAttribute(
      "d",
      "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z"
    );
    svg.appendChild(path);
    return svg;
  }

  /** The first two letters of a language tag when the widget speaks it. */
  function known(lang) {
    const l = String(lang || "").slice(0, 2).toLowerCase();
    return Object.prototype.hasOwnProperty.call(TEXTS, l) ? l : null;
  }

  /** An element with a class, optionally a text (as text) and attributes. */
  function el(tag, className, text, attributes) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    for (const [k, v] of Object.entries(attributes || {})) e.setAttribute(k, v);
    return e;
  }

  /** An http(s) URL, resolved against the server; null for anything else. */
  function safeUrl(url, base) {
    try {
      const u = new URL(String(url), base);
      return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function randomId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return "w-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /** localStorage when the browser allows it, else memory for this page. */
  const memory = new Map();
  const storage = {
    get(key) {
      try {
        const v = window.localStorage.getItem(key);
        return v === null ? null : JSON.parse(v);
      } catch (e) {
        return memory.has(key) ? memory.get(key) : null;
      }
    },
    set(key, value) {
      memory.set(key, value);
      try {
        window.localStorage.setItem(key, JSON.stringify(value));
      } catch (e) {
        /* private mode or full: memory only */
      }
    },
  };

  /** An HTTP answer that is not 2xx, with the API's error code. */
  class ApiError extends Error {
    constructor(status, code, retryAfter) {
      super(code || String(status));
      this.status = status;
      this.code = code;
      this.retryAfter = retryAfter;
    }
  }

  class Widget {
    constructor(options) {
      this.server = options.server;
      this.key = "guichet-widget:" + this.server;
      this.position = options.position === "left" ? "left" : "right";
      this.fixedTitle = options.title || null;
      const saved = storage.get(this.key) || {};
      this.conv = saved.id && saved.token ? { id: saved.id, token: saved.token } : null;
      this.botName = saved.bot || null;
      this.languages = Array.isArray(saved.languages) ? saved.languages.filter(known) : [];
      if (!this.languages.length) this.languages = ["fr", "nl", "en"];
      this.lang =
        known(saved.lang) || known(options.lang) || known(document.documentElement.lang) || "fr";
      this.requestedLang = known(options.lang) || known(document.documentElement.lang);
      this.lastSeq = 0;
      this.queue = []; // inputs not yet answered, oldest first: {clientId, body, echo, node}
      this.unconfirmed = []; // inputs sent whose `user` event was not seen yet
      this.sending = false;
      this.retryDelay = 0;
      this.retryTimer = null;
      this.stream = null;
      this.streamTimer = null;
      this.streamDelay = 1000;
      this.streamDown = false;
      this.postDown = false;
      this.turnClosed = true;
      this.turnMessages = []; // bot messages of the turn in progress (their lang comes at turn_end)
      this.catchingUp = null;
      this.starting = null;
      this.build();
      this.applyTexts();
      window.addEventListener("online", () => this.reconnectNow());
      // A dropped network can leave the stream silently dead: close it, and
      // open it again when the network is back.
      window.addEventListener("offline", () => {
        if (this.stream) this.stream.close();
        this.stream = null;
        clearTimeout(this.streamTimer);
        if (this.conv) {
          this.streamDown = true;
          this.renderStatus();
        }
      });
      if (this.conv) {
        this.resume(saved.open === true || options.open === true);
      } else if (options.open) {
        this.open(true);
      }
    }

    // ---- the DOM ----------------------------------------------------------

    build() {
      const host = document.createElement("guichet-widget");
      const root = host.attachShadow({ mode: "open" });
      const link = el("link", "", null, { rel: "stylesheet", href: this.server + "/widget.css" });
      root.appendChild(link);
      // Nothing shows before the styles: an unstyled flash would be worse.
      const frame = el("div", "frame pos-" + this.position, null, { hidden: "" });
      link.addEventListener("load", () => (frame.hidden = false));
      link.addEventListener("error", () => (frame.hidden = false));
      root.appendChild(frame);

      const panel = el("section", "panel", null, {
        id: "guichet-panel",
        role: "dialog",
        "aria-modal": "false",
        "aria-labelledby": "guichet-title",
        hidden: "",
      });
      panel.addEventListener("keydown", (e) => {
        if (e.key === "Escape" && !e.isComposing) {
          e.preventDefault();
          this.close();
        } else if (e.key === "Tab" && this.phone.matches) {
          this.keepFocusInside(e, root);
        }
      });
      this.panel = panel;
      // On a phone the panel covers the page: it is then a modal dialog,
      // whose focus stays inside (the page behind can be neither seen nor reached).
      this.phone = window.matchMedia("(max-width: 480px)");
      const modal = () => panel.setAttribute("aria-modal", this.phone.matches ? "true" : "false");
      modal();
      if (this.phone.addEventListener) this.phone.addEventListener("change", modal);
      this.launcher = el("button", "launcher", null, {
        type: "button",
        "aria-expanded": "false",
        "aria-controls": panel.id,
      });
      this.launcher.appendChild(icon());
      this.unreadDot = el("span", "unread", null, { "aria-hidden": "true", hidden: "" });
      this.launcher.appendChild(this.unreadDot);
      this.launcher.addEventListener("click", () => this.open(false));
      frame.append(this.launcher, panel);

      const header = el("header", "header");
      this.titleEl = el("h2", "title", null, { id: "guichet-title" });
      this.langGroup = el("div", "langs", null, { role: "group" });
      this.closeButton = el("button", "close", null, { type: "button" });
      this.closeButton.appendChild(el("span", "", "×", { "aria-hidden": "true" }));
      this.closeButton.addEventListener("click", () => this.close());
      header.append(this.titleEl, this.langGroup, this.closeButton);

      this.log = el("div", "log", null, {
        role: "log",
        "aria-live": "polite",
        "aria-relevant": "additions",
        tabindex: "0",
      });
      // The typing indicator's text is set once per wait: heard once, not per dot.
      this.typing = el("div", "typing off", null, { role: "status" });
      this.typingText = el("span", "sr");
      const dots = el("span", "dots", null, { "aria-hidden": "true" });
      dots.append(el("i"), el("i"), el("i"));
      this.typing.append(this.typingText, dots);
      this.status = el("p", "status off", null, { role: "status" });

      const form = el("form", "composer", null, { novalidate: "" });
      this.inputLabel = el("label", "sr", null, { for: "guichet-input" });
      this.input = el("textarea", "input", null, {
        id: "guichet-input",
        rows: "1",
        maxlength: "2000",
        autocomplete: "off",
      });
      this.input.addEventListener("input", () => this.fitInput());
      this.input.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
          e.preventDefault();
          this.submitText();
        }
      });
      this.sendButton = el("button", "send", null, { type: "submit" });
      form.append(this.inputLabel, this.input, this.sendButton);
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        this.submitText();
      });

      // The date picker, beside the text, when the bot asks for a date.
      this.dateRow = el("div", "date-row", null, { hidden: "" });
      this.dateLabel = el("label", "date-label", null, { for: "guichet-date" });
      this.dateInput = el("input", "date", null, { type: "date", id: "guichet-date" });
      this.dateButton = el("button", "date-send", null, { type: "button" });
      this.dateButton.addEventListener("click", () => {
        const v = this.dateInput.value;
        if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
          this.dateInput.value = "";
          this.sendInput({ text: v }, v);
          this.input.focus();
        }
      });
      this.dateRow.append(this.dateLabel, this.dateInput, this.dateButton);

      panel.append(header, this.log, this.typing, this.status, form, this.dateRow);
      (document.body || document.documentElement).appendChild(host);
    }

    get t() {
      return TEXTS[this.lang] || TEXTS.fr;
    }

    /** Sets the widget's own words in its current language. */
    applyTexts() {
      const t = this.t;
      this.panel.lang = this.lang;
      this.launcher.lang = this.lang;
      this.updateLauncherName();
      this.titleEl.textContent = this.fixedTitle || this.botName || t.title;
      this.closeButton.setAttribute("aria-label", t.close);
      this.log.setAttribute("aria-label", t.log);
      this.inputLabel.textContent = t.input;
      this.input.placeholder = t.input;
      this.sendButton.textContent = t.send;
      this.dateLabel.textContent = t.date;
      this.dateButton.textContent = t.dateSend;
      this.langGroup.setAttribute("aria-label", t.language);
      if (this.typingText.textContent) this.typingText.textContent = t.typing;
      this.renderStatus();
      this.renderLanguages();
    }

    updateLauncherName() {
      const unread = !this.unreadDot.hidden;
      this.launcher.setAttribute("aria-label", unread ? this.t.launcherUnread : this.t.launcher);
    }

    renderLanguages() {
      this.langGroup.textContent = "";
      for (const l of this.languages) {
        const b = el("button", "lang", l.toUpperCase(), {
          type: "button",
          lang: l,
          "aria-label": l.toUpperCase() + " — " + LANGUAGE_NAMES[l],
          "aria-pressed": String(l === this.lang),
        });
        b.addEventListener("click", () => this.chooseLanguage(l));
        this.langGroup.appendChild(b);
      }
    }

    renderStatus() {
      const t = this.t;
      const text = this.postDown ? t.notSent : this.streamDown ? t.reconnecting : "";
      if (this.status.textContent !== text) this.status.textContent = text;
      this.status.classList.toggle("off", !text);
    }

    setTyping(on) {
      // The text is set once per wait: a screen reader hears it once, not per dot.
      const text = on ? this.t.typing : "";
      if (this.typingText.textContent !== text) this.typingText.textContent = text;
      this.typing.classList.toggle("off", !on);
    }

    /** The text box grows with its lines, up to its CSS max-height. */
    fitInput() {
      this.input.style.height = "auto";
      this.input.style.height = this.input.scrollHeight + 2 + "px";
    }

    scrollDown() {
      this.log.scrollTop = this.log.scrollHeight;
    }

    // ---- opening and closing -------------------------------------------------

    /** Opens the panel; the focus goes to the text box unless `quietly` (a page load). */
    open(quietly) {
      this.panel.hidden = false;
      this.launcher.hidden = true;
      this.launcher.setAttribute("aria-expanded", "true");
      this.unreadDot.hidden = true;
      this.updateLauncherName();
      this.remember({ open: true });
      this.scrollDown();
      if (!quietly) this.input.focus();
      if (!this.conv) this.start();
    }

    /** Tab and Shift+Tab go round the panel's controls instead of leaving it. */
    keepFocusInside(e, root) {
      const controls = Array.from(
        this.panel.querySelectorAll("button, input, textarea, select, a[href], [tabindex]:not([tabindex='-1'])")
      ).filter((c) => !c.disabled && !c.hidden && c.getClientRects().length > 0);
      if (controls.length === 0) return;
      const first = controls[0];
      const last = controls[controls.length - 1];
      const at = root.activeElement;
      if (e.shiftKey && (at === first || !this.panel.contains(at))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (at === last || !this.panel.contains(at))) {
        e.preventDefault();
        first.focus();
      }
    }

    close() {
      this.panel.hidden = true;
      this.launcher.hidden = false;
      this.launcher.setAttribute("aria-expanded", "false");
      this.remember({ open: false });
      this.launcher.focus();
    }

    remember(changes) {
      const saved = storage.get(this.key) || {};
      storage.set(this.key, Object.assign(saved, changes));
    }

    // ---- the conversation ---------------------------------------------------------

    api(path) {
      return this.server + "/api/conversations" + path;
    }

    async call(method, path, body) {
      const headers = {};
      if (this.conv) headers.Authorization = "Bearer " + this.conv.token;
      if (body !== undefined) headers["Content-Type"] = "application/json";
      const r = await fetch(this.api(path), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "omit",
        cache: "no-store",
      });
      let json = null;
      try {
        json = await r.json();
      } catch (e) {
        json = null;
      }
      if (!r.ok) {
        const code = json && json.error && json.error.code;
        const retry = Number(r.headers.get("Retry-After"));
        throw new ApiError(r.status, code, Number.isFinite(retry) ? retry : 0);
      }
      return json;
    }

    /** A new conversation, then its greeting. */
    start() {
      if (this.starting) return this.starting;
      this.starting = (async () => {
        try {
          const lang = known(this.requestedLang) || this.lang;
          const created = await this.call("POST", "", lang ? { lang } : {});
          this.conv = { id: created.id, token: created.token };
          this.lastSeq = 0;
          this.botName = created.bot || this.botName;
          if (Array.isArray(created.languages) && created.languages.some(known)) {
            this.languages = created.languages.filter(known);
          }
          this.lang = known(created.lang) || this.lang;
          this.remember({
            id: created.id,
            token: created.token,
            bot: this.botName,
            languages: this.languages,
            lang: this.lang,
          });
          this.applyTexts();
          this.openStream();
          // The greeting comes before anything typed while the chat opened.
          this.queue.unshift({ clientId: randomId(), body: { event: "start" }, echo: null, node: null });
          this.pump();
        } catch (e) {
          this.streamDown = true;
          this.renderStatus();
          this.scheduleRetry(() => this.start());
        } finally {
          this.starting = null;
        }
      })();
      return this.starting;
    }

    /** After a reload: the history, then the live stream. */
    async resume(open) {
      if (open) this.open(true);
      try {
        await this.catchUp(true);
        this.openStream();
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          this.forget();
          if (!this.panel.hidden) this.start();
        } else {
          this.streamDown = true;
          this.renderStatus();
          this.scheduleStream();
        }
      }
    }

    /** The conversation is gone (expired): a new one starts, cleanly. */
    forget() {
      if (this.stream) this.stream.close();
      this.stream = null;
      this.conv = null;
      this.lastSeq = 0;
      this.unconfirmed = [];
      const saved = storage.get(this.key) || {};
      storage.set(this.key, { open: saved.open === true, lang: this.lang });
    }

    renew() {
      // What the citizen typed and did not get an answer to goes back in the input.
      const unsent = this.queue.find((q) => q.body.text !== undefined);
      if (unsent && !this.input.value) this.input.value = unsent.body.text;
      for (const q of this.queue) if (q.node) q.node.remove();
      this.queue = [];
      this.forget();
      this.log.textContent = "";
      this.appendNote(this.t.expired);
      this.start();
    }

    /** Reads the events after the last one shown (the whole history at first). */
    catchUp(quiet) {
      if (this.catchingUp) return this.catchingUp;
      this.catchingUp = (async () => {
        try {
          if (quiet) this.log.setAttribute("aria-live", "off");
          for (;;) {
            const conv = this.conv;
            if (!conv) return;
            const page = await this.call("GET", "/" + encodeURIComponent(conv.id) + "/events?after=" + this.lastSeq);
            if (conv !== this.conv) return;
            const lang = known(page.lang);
            if (lang && lang !== this.lang) {
              this.lang = lang;
              this.applyTexts();
            }
            const events = Array.isArray(page.events) ? page.events : [];
            this.applyEvents(events, quiet);
            if (events.length < 500) break;
          }
        } finally {
          this.catchingUp = null;
          // The history is shown; only what comes next is announced.
          if (quiet) requestAnimationFrame(() => this.log.setAttribute("aria-live", "polite"));
        }
      })();
      return this.catchingUp;
    }

    openStream() {
      if (!this.conv || typeof EventSource === "undefined") return;
      if (this.stream) this.stream.close();
      clearTimeout(this.streamTimer);
      const conv = this.conv;
      const url =
        this.api("/" + encodeURIComponent(conv.id) + "/stream") +
        "?token=" + encodeURIComponent(conv.token) +
        "&after=" + this.lastSeq;
      const es = new EventSource(url);
      this.stream = es;
      es.addEventListener("open", () => {
        this.streamDelay = 1000;
        if (this.streamDown) {
          this.streamDown = false;
          this.renderStatus();
        }
        this.reconnectNow();
      });
      es.addEventListener("message", (m) => {
        let e;
        try {
          e = JSON.parse(m.data);
        } catch (err) {
          return;
        }
        if (conv === this.conv) this.receive([e]);
      });
      es.addEventListener("error", () => {
        if (es !== this.stream) return;
        this.streamDown = true;
        this.renderStatus();
        if (es.readyState === EventSource.CLOSED) {
          // The browser gave up (the server refused, or no network): ask
          // whether the conversation still exists, then open again.
          es.close();
          this.stream = null;
          this.scheduleStream();
        }
      });
    }

    scheduleStream() {
      clearTimeout(this.streamTimer);
      const delay = this.streamDelay;
      this.streamDelay = Math.min(this.streamDelay * 2, 30000);
      this.streamTimer = setTimeout(() => this.checkAndReopen(), delay);
    }

    async checkAndReopen() {
      if (!this.conv) return;
      try {
        await this.catchUp(false);
        this.openStream();
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          this.renew();
        } else {
          this.scheduleStream();
        }
      }
    }

    /** The network is back (or the stream opened): retry what waits. */
    reconnectNow() {
      if (this.retryTimer) {
        clearTimeout(this.retryTimer);
        this.retryTimer = null;
        const again = this.retryAction;
        this.retryAction = null;
        if (again) again();
      }
      if (this.conv && !this.stream) {
        clearTimeout(this.streamTimer);
        this.checkAndReopen();
      }
    }

    scheduleRetry(action, seconds) {
      clearTimeout(this.retryTimer);
      this.retryDelay = Math.min(Math.max(this.retryDelay * 2, 1000), 15000);
      const delay = seconds ? seconds * 1000 : this.retryDelay;
      this.retryAction = action;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.retryAction = null;
        action();
      }, delay);
    }

    // ---- sending ------------------------------------------------------------------

    submitText() {
      const text = this.input.value.trim();
      if (!text) {
        this.input.focus();
        return;
      }
      this.input.value = "";
      this.fitInput();
      this.sendInput({ text }, text);
      this.input.focus();
    }

    chooseLanguage(lang) {
      if (!this.conv) {
        this.requestedLang = lang;
        this.lang = lang;
        this.applyTexts();
        this.remember({ lang });
        if (!this.panel.hidden) this.start();
        return;
      }
      if (lang === this.lang) return;
      this.sendInput({ button: "language_" + lang }, LANGUAGE_NAMES[lang], lang);
    }

    /** Shows the citizen's message at once, then sends it (in order, one at a time). */
    sendInput(body, echo, echoLang) {
      const item = { clientId: randomId(), body, echo, node: null };
      if (echo) {
        item.node = this.citizenMessage(echo, echoLang);
        item.node.classList.add("pending");
        this.log.appendChild(item.node);
        this.scrollDown();
      }
      if (body.button) this.disableReplies();
      this.queue.push(item);
      this.pump();
    }

    async pump() {
      if (this.sending || !this.queue.length || !this.conv || this.retryTimer) return;
      const item = this.queue[0];
      const conv = this.conv;
      this.sending = true;
      this.setTyping(true);
      if (!this.unconfirmed.includes(item)) this.unconfirmed.push(item);
      let again = true;
      try {
        const answer = await this.call(
          "POST",
          "/" + encodeURIComponent(conv.id) + "/inputs",
          Object.assign({ client_id: item.clientId }, item.body)
        );
        this.queue.shift();
        this.retryDelay = 0;
        if (this.postDown) {
          this.postDown = false;
          this.renderStatus();
        }
        if (conv === this.conv) this.receive(Array.isArray(answer.events) ? answer.events : []);
        if (item.node) item.node.classList.remove("pending", "failed");
      } catch (e) {
        again = false;
        this.sending = false;
        this.setTyping(false);
        this.handleSendError(e, item);
        return;
      } finally {
        if (again) {
          this.sending = false;
          if (!this.queue.length) this.setTyping(false);
        }
      }
      this.pump();
    }

    handleSendError(e, item) {
      const t = this.t;
      if (!(e instanceof ApiError) || e.status >= 500 || e.status === 429 || e.status === 408) {
        // Not answered: the same input, with the same client id, is sent
        // again later; the server applies it at most once.
        if (!(e instanceof ApiError)) {
          this.postDown = true;
          this.renderStatus();
          if (item.node) item.node.classList.add("failed");
        }
        this.scheduleRetry(() => this.pump(), e instanceof ApiError ? e.retryAfter : 0);
        return;
      }
      if (e.status === 404) {
        this.renew();
        return;
      }
      // Refused (bad input, too long, a button no longer offered): dropped.
      this.queue.shift();
      this.unconfirmed = this.unconfirmed.filter((q) => q !== item);
      if (item.node) {
        item.node.classList.remove("pending");
        item.node.classList.add("failed");
      }
      const message =
        e.code === "text_too_long" ? t.tooLong : e.code === "button_not_offered" ? t.notOffered : t.refused;
      this.appendNote(message);
      if (item.body.text !== undefined && !this.input.value) this.input.value = item.body.text;
      this.pump();
    }

    // ---- receiving ----------------------------------------------------------------

    /** Events from an answer or the stream: in order, each once. */
    receive(events) {
      const fresh = events
        .filter((e) => e && Number.isInteger(e.seq) && e.seq > this.lastSeq)
        .sort((a, b) => a.seq - b.seq);
      if (!fresh.length) return;
      if (fresh[0].seq > this.lastSeq + 1) {
        // Something came in between (while the stream was down): read it.
        this.catchUp(false).catch(() => this.scheduleStream());
        return;
      }
      this.applyEvents(fresh, false);
    }

    applyEvents(events, quiet) {
      let shown = false;
      for (const e of events) {
        if (!e || !Number.isInteger(e.seq) || e.seq <= this.lastSeq) continue;
        if (e.seq > this.lastSeq + 1 && this.lastSeq > 0 && !quiet) {
          this.catchUp(false).catch(() => this.scheduleStream());
          return;
        }
        this.lastSeq = e.seq;
        shown = this.apply(e) || shown;
      }
      if (shown) {
        this.scrollDown();
        if (this.panel.hidden && !quiet) {
          this.unreadDot.hidden = false;
          this.updateLauncherName();
        }
      }
    }

    /** Shows one event; true when something new is shown. */
    apply(e) {
      switch (e.type) {
        case "user":
          return this.applyUser(e);
        case "say":
        case "notice":
          this.applyBot(e);
          return true;
        case "error":
          this.applyBot({ seq: e.seq, text: this.t.error });
          return true;
        case "turn_end":
          this.applyTurnEnd(e);
          return false;
        default:
          return false; // action, handoff, end: nothing to show
      }
    }

    applyUser(e) {
      this.disableReplies();
      this.turnClosed = false;
      const head = this.unconfirmed[0];
      if (head && matches(head.body, e)) {
        this.unconfirmed.shift();
        if (head.node) {
          head.node.classList.remove("pending", "failed");
          head.node.dataset.seq = String(e.seq);
        }
        return false;
      }
      if (e.event === "start") return false;
      let text = e.text;
      let lang;
      if (text === undefined) {
        const m = /^language_(\w\w)$/.exec(e.button || "");
        if (e.label) text = e.label;
        else if (m && LANGUAGE_NAMES[m[1]]) {
          text = LANGUAGE_NAMES[m[1]];
          lang = m[1];
        } else if (e.button === "talk_to_agent") text = this.t.agent;
        else if (e.button === "help") text = this.t.help;
        else if (e.button === "restart") text = this.t.restart;
        else text = e.button || "";
      }
      const node = this.citizenMessage(text, lang);
      node.dataset.seq = String(e.seq);
      this.log.appendChild(node);
      return true;
    }

    citizenMessage(text, lang) {
      const node = el("div", "msg you");
      node.appendChild(el("span", "sr who", this.t.you));
      const p = el("p", "text", text);
      if (lang) p.lang = lang;
      node.appendChild(p);
      return node;
    }

    applyBot(e) {
      if (this.turnClosed) {
        // A new turn of the bot: what it offered before no longer stands.
        this.disableReplies();
        this.turnClosed = false;
        this.turnMessages = [];
      }
      const staff = e.from === "staff" && typeof e.name === "string" && e.name;
      const kind = e.type === "notice" ? " notice" : staff ? " staff" : "";
      const node = el("div", "msg bot" + kind, null, { "data-seq": e.seq });
      // A member of staff answering is named, for everyone to see.
      node.appendChild(staff ? el("span", "who", e.name) : el("span", "sr who", this.t.bot));
      if (typeof e.text === "string" && e.text) node.appendChild(el("p", "text", e.text));
      if (e.image && typeof e.image === "object") {
        const src = safeUrl(e.image.url, this.server);
        if (src) {
          const alt = typeof e.image.alt === "string" ? e.image.alt : "";
          const img = el("img", "image", null, { src, alt, referrerpolicy: "no-referrer" });
          // Its height is known once loaded: keep the latest message in view.
          img.addEventListener("load", () => {
            if (node === this.log.lastElementChild) this.scrollDown();
          });
          node.appendChild(img);
        }
      }
      const links = Array.isArray(e.links) ? e.links : [];
      if (links.length) {
        const ul = el("ul", "links", null, { "aria-label": this.t.links });
        for (const l of links) {
          if (!l || typeof l !== "object") continue;
          const li = el("li");
          const href = safeUrl(l.url, this.server);
          const label = typeof l.label === "string" && l.label ? l.label : String(l.url || "");
          if (href) {
            li.appendChild(el("a", "link", label, { href, target: "_blank", rel: "noopener noreferrer" }));
          } else {
            li.textContent = label;
          }
          ul.appendChild(li);
        }
        node.appendChild(ul);
      }
      const buttons = Array.isArray(e.buttons) ? e.buttons : [];
      if (buttons.length) {
        const group = el("div", "replies", null, { role: "group", "aria-label": this.t.replies });
        for (const b of buttons) {
          if (!b || typeof b.payload !== "string") continue;
          const label = typeof b.label === "string" && b.label ? b.label : b.payload;
          const button = el("button", "reply", label, { type: "button" });
          button.addEventListener("click", (ev) => {
            if (button.disabled) return;
            button.classList.add("chosen");
            this.sendInput({ button: b.payload }, label);
            // The disabled button loses the focus: it goes to the text box,
            // or, after a tap on a touch screen, to the list (no keyboard pops up).
            if (ev.detail === 0 || !window.matchMedia("(pointer: coarse)").matches) this.input.focus();
            else this.log.focus({ preventScroll: true });
          });
          group.appendChild(button);
        }
        node.appendChild(group);
      }
      this.log.appendChild(node);
      this.turnMessages.push(node);
    }

    applyTurnEnd(e) {
      this.turnClosed = true;
      const lang = known(e.lang);
      for (const n of this.turnMessages) if (lang) n.lang = lang;
      this.turnMessages = [];
      if (lang && lang !== this.lang) {
        this.lang = lang;
        this.remember({ lang });
        this.applyTexts();
      }
      const x = e.expecting;
      const wantsDate = !!x && x.kind === "slot" && x.type === "date";
      if (this.dateRow.hidden === wantsDate) {
        this.dateRow.hidden = !wantsDate;
        this.scrollDown(); // the list's height changed
      }
    }

    disableReplies() {
      for (const b of this.log.querySelectorAll("button.reply")) b.disabled = true;
    }

    appendNote(text) {
      this.log.appendChild(el("p", "note", text));
      this.scrollDown();
    }
  }

  /** Whether a logged `user` event is the input the widget sent. */
  function matches(body, e) {
    if (body.text !== undefined) return e.text === body.text;
    if (body.button !== undefined) return e.button === body.button;
    return e.event === body.event;
  }

  let instance = null;

  /**
   * Adds the widget to the page (once: later calls return the first one).
   * options: server (default: where widget.js comes from), lang, title,
   * position ("right" or "left"), open (true: opened at once).
   */
  function init(options) {
    if (instance || pending) return;
    const o = Object.assign({}, options || {});
    const server = safeUrl(o.server || scriptOrigin || location.origin, location.href);
    if (!server) throw new Error("GuichetWidget.init: `server` must be an http(s) address");
    o.server = new URL(server).origin;
    if (document.body) {
      instance = new Widget(o);
    } else {
      pending = true;
      document.addEventListener("DOMContentLoaded", () => (instance = new Widget(o)), { once: true });
    }
  }
  let pending = false;

  const script = document.currentScript;
  let scriptOrigin = null;
  try {
    scriptOrigin = script && script.src ? new URL(script.src).origin : null;
  } catch (e) {
    scriptOrigin = null;
  }

  window.GuichetWidget = Object.freeze({
    init: (options) => {
      init(options);
      return { open: () => instance && instance.open(false), close: () => instance && instance.close() };
    },
  });

  if (script && !script.hasAttribute("data-manual")) {
    const d = script.dataset;
    const options = {
      server: d.server,
      lang: d.lang,
      title: d.title,
      position: d.position,
      open: d.open === "true",
    };
    init(options);
  }
})();

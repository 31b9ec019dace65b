//! The REPL's state and its commands, free of any terminal: the line
//! editor feeds it lines and prints what it answers, and tests do the same.

use super::host::StandIn;
use super::render::{self, compact, show_json, Output, Style};
use crate::cli::clock::{parse_now, system_now};
use chrono::NaiveDateTime;
use guichet::runtime::{ActionResult, Button, Event, Expecting, Turn};
use guichet::understand::extract::{self, Context};
use guichet::values::format::format_value;
use guichet::{Bot, Input, Lang, LoadError, Session};
use serde_json::Value as Json;
use std::path::Path;

/// Loads the bot again for `/reload`: from disk in the terminal, from
/// strings in tests.
pub type Loader = Box<dyn FnMut() -> Result<Bot, LoadError>>;

/// Every command: name, arguments, what it does. `/help` prints this and
/// completion offers the names.
pub const COMMANDS: &[(&str, &str, &str)] = &[
    ("/help", "", "this list"),
    ("/slots", "", "the current flow's slots and their values"),
    ("/vars", "", "every variable of every running flow"),
    (
        "/set",
        "SLOT VALUE",
        "fill a slot of the current flow (the asked slot: as if the citizen typed VALUE)",
    ),
    ("/lang", "fr|nl|en", "switch the conversation's language"),
    ("/restart", "", "a new session, greeted by the start flow"),
    (
        "/start",
        "",
        "send the start event (a visitor opens the chat)",
    ),
    ("/flow", "NAME", "leave the current flows and start NAME"),
    (
        "/b",
        "PAYLOAD",
        "press a button by its payload (or type its number)",
    ),
    (
        "/trace",
        "on|off",
        "print each turn's trace: triggers, slots filled or not, actions",
    ),
    ("/why", "", "the last turn's trace"),
    (
        "/actions",
        "auto|manual",
        "whether a stand-in host answers the sample commune's actions",
    ),
    (
        "/answer",
        "ok {json} | fail MESSAGE",
        "answer the action the bot waits for",
    ),
    (
        "/reload",
        "",
        "reload the bot from disk, keeping the conversation when it still fits",
    ),
    ("/save", "FILE", "write the session as JSON"),
    ("/load", "FILE", "read a session saved with /save"),
    (
        "/now",
        "[2025-04-14T10:00 | system]",
        "show or set the clock the bot sees",
    ),
    ("/json", "", "the last turn's events as JSON Lines"),
    ("/quit", "", "leave (Ctrl-D too)"),
];

pub struct Repl {
    bot: Bot,
    loader: Loader,
    session: Session,
    lang: Option<Lang>,
    seed: u64,
    /// `None`: the system clock.
    clock: Option<NaiveDateTime>,
    trace: bool,
    auto_actions: bool,
    host: StandIn,
    last_events: Vec<Event>,
    last_trace: Vec<String>,
    /// The buttons of the last turn, in the order they were numbered.
    buttons: Vec<Button>,
    /// Only for the diagnostics of `/reload`, which come rendered.
    pub colour: bool,
    quit: bool,
}

impl Repl {
    pub fn new(
        bot: Bot,
        loader: Loader,
        lang: Option<Lang>,
        seed: u64,
        clock: Option<NaiveDateTime>,
    ) -> Repl {
        let session = bot.new_session(lang, seed);
        Repl {
            bot,
            loader,
            session,
            lang,
            seed,
            clock,
            trace: false,
            auto_actions: true,
            host: StandIn::default(),
            last_events: Vec::new(),
            last_trace: Vec::new(),
            buttons: Vec::new(),
            colour: false,
            quit: false,
        }
    }

    pub fn quit_requested(&self) -> bool {
        self.quit
    }

    fn now(&self) -> NaiveDateTime {
        self.clock.unwrap_or_else(system_now)
    }

    pub fn banner(&self) -> String {
        let p = self.bot.program();
        let langs: Vec<&str> = p.languages.iter().map(|l| l.code()).collect();
        let warnings = self.bot.warnings().len();
        let warned = if warnings > 0 {
            format!(" — {warnings} warning(s), see `guichet check`")
        } else {
            String::new()
        };
        format!(
            "{} — languages {} — /help lists the commands{warned}",
            p.name,
            langs.join(", ")
        )
    }

    /// What the prompt shows: the language, the flow and what it waits for.
    pub fn prompt(&self) -> String {
        let end = Turn::new(self.bot.program(), self.session.clone(), self.now()).turn_end();
        let Event::TurnEnd {
            lang,
            flow,
            expecting,
            ..
        } = end
        else {
            return "> ".into();
        };
        let mut p = lang.code().to_string();
        if let Some(flow) = flow {
            p.push(' ');
            p.push_str(&flow);
            if let Some(e) = &expecting {
                p.push_str(&render::expecting(e));
            }
        }
        p.push_str("> ");
        p
    }

    /// Names to complete: flows (not the stdlib's plumbing first), the
    /// current flow's slots, the bot's languages.
    pub fn names(&self) -> super::complete::Names {
        let p = self.bot.program();
        let mut flows: Vec<String> = p.flows.iter().map(|f| f.name.clone()).collect();
        flows.sort();
        let slots = self
            .session
            .stack
            .last()
            .and_then(|f| p.flow(&f.flow))
            .map(|f| f.slot_names().map(str::to_string).collect())
            .unwrap_or_default();
        super::complete::Names {
            flows,
            slots,
            langs: p.languages.iter().map(|l| l.code().to_string()).collect(),
        }
    }

    /// Sends the start event, as when a visitor opens the chat.
    pub fn start(&mut self) -> Output {
        let mut out = Output::default();
        self.send(Input::Start, &mut out);
        out
    }

    /// Handles one line and returns what to print, without colour.
    pub fn handle_line(&mut self, line: &str) -> String {
        self.handle(line).plain()
    }

    pub fn handle(&mut self, line: &str) -> Output {
        let mut out = Output::default();
        let line = line.trim();
        if line.is_empty() {
            return out;
        }
        // `//text` sends a message that starts with a slash.
        if let Some(text) = line.strip_prefix("//") {
            self.send(Input::Text(format!("/{text}")), &mut out);
            return out;
        }
        if let Some(command) = line.strip_prefix('/') {
            let (name, args) = command
                .split_once(char::is_whitespace)
                .map(|(n, a)| (n, a.trim()))
                .unwrap_or((command, ""));
            self.command(name, args, &mut out);
            return out;
        }
        if let Ok(n) = line.parse::<usize>() {
            if let Some(b) = n.checked_sub(1).and_then(|i| self.buttons.get(i)).cloned() {
                out.system(format!("→ [{n}] {}", b.label));
                self.send(Input::Button(b.payload), &mut out);
                return out;
            }
        }
        self.send(Input::Text(line.to_string()), &mut out);
        out
    }

    fn command(&mut self, name: &str, args: &str, out: &mut Output) {
        match name {
            "help" | "h" | "?" => help(out),
            "quit" | "q" | "exit" => self.quit = true,
            "slots" => self.slots(out),
            "vars" => self.vars(out),
            "set" => self.set(args, out),
            "lang" => self.set_lang(args, out),
            "restart" => {
                self.session = self.bot.new_session(self.lang, self.seed);
                self.buttons.clear();
                out.system("new session");
                self.send(Input::Start, out);
            }
            "start" => self.send(Input::Start, out),
            "flow" => self.jump(args, out),
            "b" | "button" => {
                if args.is_empty() {
                    out.error("/b needs a button payload, e.g. /b yes");
                } else {
                    self.send(Input::Button(args.to_string()), out);
                }
            }
            "trace" => match args {
                "on" => {
                    self.trace = true;
                    out.system("trace on: each turn's trace is printed");
                }
                "off" => {
                    self.trace = false;
                    out.system("trace off (/why still shows the last one)");
                }
                "" => out.system(format!(
                    "trace is {}",
                    if self.trace { "on" } else { "off" }
                )),
                _ => out.error("write /trace on or /trace off"),
            },
            "why" => {
                if self.last_events.is_empty() {
                    out.system("no turn yet");
                } else {
                    trace_lines(&self.last_trace, out);
                }
            }
            "actions" => {
                match args {
                    "auto" => {
                        self.auto_actions = true;
                        out.system("actions: the stand-in host answers create_request, request_payment and get_request_status");
                    }
                    "manual" => {
                        self.auto_actions = false;
                        out.system("actions: answer each one with /answer ok {json} or /answer fail MESSAGE");
                    }
                    "" => out.system(format!(
                        "actions are answered {}",
                        if self.auto_actions {
                            "by the stand-in host (auto)"
                        } else {
                            "by you (manual)"
                        }
                    )),
                    _ => out.error("write /actions auto or /actions manual"),
                }
            }
            "answer" => self.answer(args, out),
            "reload" => self.reload(out),
            "save" => self.save(args, out),
            "load" => self.load(args, out),
            "now" => self.set_now(args, out),
            "json" => {
                if self.last_events.is_empty() {
                    out.system("no turn yet");
                }
                for e in &self.last_events {
                    match serde_json::to_string(e) {
                        Ok(s) => out.push(Style::Raw, s),
                        Err(err) => out.error(format!("an event could not be written: {err}")),
                    }
                }
            }
            other => {
                let close: Vec<&str> = COMMANDS
                    .iter()
                    .map(|(n, _, _)| *n)
                    .filter(|n| n[1..].starts_with(other.get(..1).unwrap_or("")))
                    .collect();
                let hint = if close.is_empty() {
                    String::new()
                } else {
                    format!(" (did you mean {}?)", close.join(", "))
                };
                out.error(format!(
                    "unknown command /{other}{hint}; /help lists them, and //text sends a message starting with a slash"
                ));
            }
        }
    }

    /// Runs a turn; in auto mode, answers the actions the stand-in host
    /// knows and runs again, as a real host would.
    fn send(&mut self, input: Input, out: &mut Output) {
        let now = self.now();
        let mut all = Vec::new();
        let mut trace = Vec::new();
        let mut next = Some(input);
        let mut rounds = 0;
        let mut unknown_action = None;
        self.buttons.clear();
        while let Some(input) = next.take() {
            let outcome = self.bot.turn_traced(&mut self.session, input, now);
            trace.extend(outcome.trace);
            let mut events = outcome.events;
            let end = events.pop();
            render::events(out, &events, &mut self.buttons);
            let request = events.iter().rev().find_map(|e| match e {
                Event::Action { id, name, args } => Some((id.clone(), name.clone(), args.clone())),
                _ => None,
            });
            all.extend(events);
            rounds += 1;
            if let Some((id, name, args)) = request.filter(|_| self.auto_actions) {
                // A flow that requests actions in a loop must not hang the REPL.
                if rounds < 16 {
                    match self.host.answer(&name, &args, now) {
                        Some(value) => {
                            out.system(format!("  ↳ stand-in host: {id} ok {}", compact(&value)));
                            next = Some(Input::ActionResult(ActionResult {
                                id,
                                ok: true,
                                value: Some(value),
                                error: None,
                            }));
                            continue;
                        }
                        None => unknown_action = Some(name),
                    }
                }
            }
            if let Some(end) = end {
                render::events(out, std::slice::from_ref(&end), &mut self.buttons);
                all.push(end);
            }
        }
        if let Some(pending) = self.session.stack.last().and_then(|f| f.pending.as_ref()) {
            if let Some(name) = unknown_action.filter(|n| *n == pending.action) {
                out.system(format!(
                    "the stand-in host does not know the action `{name}`"
                ));
            }
            out.system(format!(
                "the bot waits for the result of {} ({}): /answer ok {{\"field\": \"value\"}} or /answer fail MESSAGE",
                pending.id, pending.action
            ));
        }
        if self.trace {
            trace_lines(&trace, out);
        }
        self.last_events = all;
        self.last_trace = trace;
    }

    fn slots(&self, out: &mut Output) {
        let Some(frame) = self.session.stack.last() else {
            out.system("no flow in progress");
            return;
        };
        let Some(flow) = self.bot.program().flow(&frame.flow) else {
            out.error(format!("the flow `{}` is not in the bot", frame.flow));
            return;
        };
        if flow.forms.is_empty() {
            out.system(format!("{}: no form, no slots", flow.name));
            return;
        }
        out.system(format!("{}:", flow.name));
        let asked = frame.form.as_ref().and_then(|fs| Some((fs.form, fs.slot?)));
        for (fi, form) in flow.forms.iter().enumerate() {
            for (si, slot) in form.slots.iter().enumerate() {
                let value = match frame.vars.get(&slot.name) {
                    Some(v) if !v.is_null() => format_value(v, self.session.lang),
                    _ if frame
                        .form
                        .as_ref()
                        .is_some_and(|fs| fs.form == fi && fs.skipped.contains(&slot.name)) =>
                    {
                        "(skipped)".into()
                    }
                    _ => "—".into(),
                };
                let mark = if asked == Some((fi, si)) {
                    "  ← asked"
                } else {
                    ""
                };
                out.system(format!(
                    "  {} ({}) = {value}{mark}",
                    slot.name,
                    slot.ty.name()
                ));
            }
        }
    }

    fn vars(&self, out: &mut Output) {
        if self.session.stack.is_empty() {
            out.system("no flow in progress");
            return;
        }
        for (i, frame) in self.session.stack.iter().enumerate() {
            let mut about = Vec::new();
            if frame.digression {
                about.push("interrupting the one below".to_string());
            }
            if let Some(p) = &frame.pending {
                about.push(format!("waiting for {} ({})", p.id, p.action));
            }
            let about = if about.is_empty() {
                String::new()
            } else {
                format!(" ({})", about.join(", "))
            };
            out.system(format!("#{i} {}{about}", frame.flow));
            if frame.vars.is_empty() {
                out.system("  (no variables)");
            }
            for (name, value) in &frame.vars {
                out.system(format!("  {name} = {}", show_json(&value.to_normal_json())));
            }
        }
    }

    fn set(&mut self, args: &str, out: &mut Output) {
        let Some((name, value)) = args
            .split_once(char::is_whitespace)
            .map(|(n, v)| (n, v.trim()))
        else {
            out.error("write /set SLOT VALUE, e.g. /set start_date 1 septembre");
            return;
        };
        let program = self.bot.program().clone();
        let Some(frame) = self.session.stack.last() else {
            out.error("no flow in progress: start one with /flow NAME");
            return;
        };
        let Some(flow) = program.flow(&frame.flow) else {
            return;
        };
        let Some(slot) = flow
            .forms
            .iter()
            .flat_map(|f| &f.slots)
            .find(|s| s.name == name)
        else {
            let names: Vec<&str> = flow.slot_names().collect();
            out.error(format!(
                "`{name}` is not a slot of {}{}",
                flow.name,
                if names.is_empty() {
                    String::new()
                } else {
                    format!(" (its slots: {})", names.join(", "))
                }
            ));
            return;
        };
        let asked = matches!(
            Turn::new(&program, self.session.clone(), self.now()).expecting(),
            Some(Expecting::Slot { name: ref n, .. }) if n == name
        );
        if asked {
            out.system(format!("{name} is the slot being asked: sending “{value}”"));
            self.send(Input::Text(value.to_string()), out);
            return;
        }
        let choice = match &slot.ty {
            guichet::values::SlotType::Choice(c) => program.choices.get(c),
            _ => None,
        };
        let ctx = Context {
            lang: self.session.lang,
            now: self.now(),
            policy: slot.policy,
            order: Default::default(),
            choice,
        };
        let found = extract::extract(&slot.ty, &guichet::understand::Input::new(value), &ctx);
        match found.best() {
            Some(c) => {
                let shown = format_value(&c.value, self.session.lang);
                if let Some(frame) = self.session.stack.last_mut() {
                    frame.vars.insert(name.to_string(), c.value.clone());
                }
                out.system(format!(
                    "{name} = {shown} (set directly: its `require` rules were not checked)"
                ));
            }
            None => {
                let why = found
                    .rejected
                    .first()
                    .map(|r| format!(": {}", r.reason.message(Lang::En)))
                    .unwrap_or_default();
                out.error(format!("“{value}” is not a {}{why}", slot.ty.name()));
            }
        }
    }

    fn set_lang(&mut self, args: &str, out: &mut Output) {
        let langs = self.bot.languages().to_vec();
        let codes: Vec<&str> = langs.iter().map(|l| l.code()).collect();
        if args.is_empty() {
            out.system(format!(
                "language: {} (the bot speaks {})",
                self.session.lang,
                codes.join(", ")
            ));
            return;
        }
        let Some(lang) = langs.iter().copied().find(|l| l.code() == args) else {
            out.error(format!("`{args}`: this bot speaks {}", codes.join(", ")));
            return;
        };
        self.session.lang = lang;
        self.session.lang_settled = true;
        self.lang = Some(lang);
        out.system(format!("language: {lang}"));
        if self.waiting_for_citizen() {
            // The question in the new language, as the citizen would see it.
            self.send(Input::Start, out);
        }
    }

    fn waiting_for_citizen(&self) -> bool {
        matches!(
            Turn::new(self.bot.program(), self.session.clone(), self.now()).expecting(),
            Some(Expecting::Slot { .. } | Expecting::Confirmation)
        )
    }

    fn jump(&mut self, name: &str, out: &mut Output) {
        let program = self.bot.program().clone();
        if name.is_empty() {
            out.error("write /flow NAME (Tab completes the names)");
            return;
        }
        if program.flow(name).is_none() {
            let mut close: Vec<&str> = program
                .flows
                .iter()
                .map(|f| f.name.as_str())
                .filter(|f| f.contains(name) || name.contains(*f))
                .collect();
            close.sort();
            close.truncate(5);
            let hint = if close.is_empty() {
                String::new()
            } else {
                format!(" (did you mean {}?)", close.join(", "))
            };
            out.error(format!("there is no flow `{name}`{hint}"));
            return;
        }
        // Pressing a flow's button with nothing in progress starts exactly
        // that flow, the way a citizen would reach it.
        self.session.stack.clear();
        self.send(Input::Button(name.to_string()), out);
    }

    fn answer(&mut self, args: &str, out: &mut Output) {
        let Some(pending) = self.session.stack.last().and_then(|f| f.pending.clone()) else {
            out.error("no action is waiting for a result");
            return;
        };
        let (kind, rest) = args
            .split_once(char::is_whitespace)
            .map(|(k, r)| (k, r.trim()))
            .unwrap_or((args, ""));
        let result = match kind {
            "ok" => {
                let value = if rest.is_empty() {
                    None
                } else {
                    match serde_json::from_str::<Json>(rest) {
                        Ok(v) => Some(v),
                        Err(e) => {
                            out.error(format!("the value is not valid JSON: {e}"));
                            return;
                        }
                    }
                };
                ActionResult {
                    id: pending.id,
                    ok: true,
                    value,
                    error: None,
                }
            }
            "fail" | "failed" => ActionResult {
                id: pending.id,
                ok: false,
                value: None,
                error: Some(if rest.is_empty() {
                    "failed".into()
                } else {
                    rest.to_string()
                }),
            },
            _ => {
                out.error(format!(
                    "write /answer ok {{\"field\": \"value\"}} or /answer fail MESSAGE (for {} {})",
                    pending.id, pending.action
                ));
                return;
            }
        };
        self.send(Input::ActionResult(result), out);
    }

    fn reload(&mut self, out: &mut Output) {
        let bot = match (self.loader)() {
            Ok(bot) => bot,
            Err(e) => {
                out.error("the edited bot has errors; the previous version stays loaded:");
                let shown = guichet::render::render(&e.diagnostics, &e.sources, self.colour);
                out.push(Style::Raw, shown.trim_end());
                return;
            }
        };
        let json = match serde_json::to_string(&self.session) {
            Ok(j) => j,
            Err(e) => {
                out.error(format!("the session could not be kept: {e}"));
                return;
            }
        };
        match bot.restore(&json) {
            Ok(restored) => {
                self.bot = bot;
                self.session = restored.session;
                self.buttons.clear();
                let warnings = self.bot.warnings().len();
                out.system(format!(
                    "reloaded {}{}",
                    self.bot.program().name,
                    if warnings > 0 {
                        format!(" ({warnings} warning(s), see `guichet check`)")
                    } else {
                        String::new()
                    }
                ));
                if restored.restarted {
                    out.system("the conversation no longer fits the edited bot: it starts over");
                    self.send(Input::Start, out);
                } else if self.session.changed.is_some() {
                    // The citizen is told, and asked what comes now.
                    out.system("the conversation goes on from where the edited bot allows");
                    self.send(Input::Start, out);
                } else if !self.session.stack.is_empty() {
                    out.system("the conversation continues");
                }
            }
            Err(e) => out.error(format!("the session could not be kept: {e}")),
        }
    }

    fn save(&mut self, file: &str, out: &mut Output) {
        if file.is_empty() {
            out.error("write /save FILE");
            return;
        }
        match crate::cli::session_file::save(Path::new(file), &self.session) {
            Ok(()) => out.system(format!("session saved to {file}")),
            Err(e) => out.error(format!("{file}: {e}")),
        }
    }

    fn load(&mut self, file: &str, out: &mut Output) {
        if file.is_empty() {
            out.error("write /load FILE");
            return;
        }
        let json = match std::fs::read_to_string(file) {
            Ok(j) => j,
            Err(e) => {
                out.error(format!("{file}: {e}"));
                return;
            }
        };
        match self.bot.restore(&json) {
            Ok(restored) => {
                self.session = restored.session;
                self.buttons.clear();
                out.system(format!("session loaded from {file}"));
                if restored.restarted {
                    out.system("it was saved with another version of the bot and starts over");
                }
                if self.waiting_for_citizen() {
                    self.send(Input::Start, out);
                }
            }
            Err(e) => out.error(format!("{file}: {e}")),
        }
    }

    fn set_now(&mut self, args: &str, out: &mut Output) {
        match args {
            "" => {}
            "system" => self.clock = None,
            text => match parse_now(text) {
                Ok(t) => self.clock = Some(t),
                Err(e) => {
                    out.error(e);
                    return;
                }
            },
        }
        out.system(format!(
            "clock: {} ({})",
            self.now().format("%Y-%m-%d %H:%M"),
            if self.clock.is_some() {
                "fixed; /now system follows the system clock"
            } else {
                "the system clock"
            }
        ));
    }
}

fn help(out: &mut Output) {
    out.system("Type what a citizen would type; a number presses the button shown with it.");
    let width = COMMANDS
        .iter()
        .map(|(n, a, _)| n.len() + a.len() + 1)
        .max()
        .unwrap_or(0);
    for (name, args, about) in COMMANDS {
        let usage = if args.is_empty() {
            name.to_string()
        } else {
            format!("{name} {args}")
        };
        out.system(format!("  {usage:width$}  {about}"));
    }
    out.system("Tab completes commands, flow names, slot names and languages; Ctrl-C clears the line, Ctrl-D quits.");
}

fn trace_lines(trace: &[String], out: &mut Output) {
    if trace.is_empty() {
        out.push(Style::Trace, "trace: (nothing to explain)");
        return;
    }
    out.push(Style::Trace, "trace:");
    for t in trace {
        out.push(Style::Trace, format!("  · {t}"));
    }
}

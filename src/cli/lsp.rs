//! `guichet lsp`: a Language Server Protocol server on stdin/stdout, over
//! the library's editor analysis (`guichet::analysis`). This file only
//! translates: URIs to paths, the library's answers to LSP's types.
//!
//! Each bot folder an open file belongs to is held in memory with the
//! editor's unsaved texts. Diagnostics of the whole bot are sent when a
//! file opens, and after changes once typing pauses (`DEBOUNCE`), only
//! for the files whose diagnostics changed.

use guichet::analysis::{
    self, bot_root, Completion, CompletionKind, FileDiagnostic, Outline, Workspace,
};
use guichet::diagnostics::Severity;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::ExitCode;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// How long typing must pause before the bot is checked again.
const DEBOUNCE: Duration = Duration::from_millis(120);

pub fn run() -> ExitCode {
    let (connection, io_threads) = Connection::stdio();
    let capabilities = capabilities();
    let result = match serde_json::to_value(capabilities) {
        Ok(caps) => connection.initialize(caps).map(|_| ()),
        Err(e) => {
            eprintln!("guichet lsp: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = result {
        eprintln!("guichet lsp: {e}");
        return ExitCode::from(1);
    }
    let mut server = Server {
        connection: &connection,
        bots: Vec::new(),
        published: HashMap::new(),
        dirty: Vec::new(),
        deadline: None,
    };
    let clean = server.main_loop();
    drop(connection);
    if let Err(e) = io_threads.join() {
        eprintln!("guichet lsp: {e}");
        return ExitCode::from(1);
    }
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::FULL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec![" ".into(), "{".into(), "(".into(), ":".into()]),
            ..Default::default()
        }),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        ..Default::default()
    }
}

struct Server<'c> {
    connection: &'c Connection,
    bots: Vec<Workspace>,
    /// What was last sent per file, so unchanged lists are not sent again.
    published: HashMap<String, Vec<lsp::Diagnostic>>,
    /// Bots (by index) changed since their diagnostics were sent.
    dirty: Vec<usize>,
    deadline: Option<Instant>,
}

/// A `file://` URI as a path, percent-decoded.
fn path_of(uri: &lsp::Uri) -> Option<String> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = rest
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// A path as a `file://` URI, percent-encoded.
fn uri_of(path: &str) -> Option<lsp::Uri> {
    let mut s = String::from("file://");
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    lsp::Uri::from_str(&s).ok()
}

fn pos(p: lsp::Position) -> analysis::Position {
    analysis::Position {
        line: p.line,
        character: p.character,
    }
}

fn lsp_pos(p: analysis::Position) -> lsp::Position {
    lsp::Position::new(p.line, p.character)
}

fn lsp_range(r: analysis::Range) -> lsp::Range {
    lsp::Range::new(lsp_pos(r.start), lsp_pos(r.end))
}

fn lsp_location(l: &analysis::Location) -> Option<lsp::Location> {
    Some(lsp::Location::new(uri_of(&l.file)?, lsp_range(l.range)))
}

fn lsp_diagnostic(d: &FileDiagnostic) -> lsp::Diagnostic {
    let mut message = d.message.clone();
    if !d.label.is_empty() {
        message.push_str(&format!(" ({})", d.label));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    lsp::Diagnostic {
        range: lsp_range(d.range),
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        }),
        code: Some(lsp::NumberOrString::String(d.code.clone())),
        source: Some("guichet".into()),
        message,
        related_information: Some(
            d.related
                .iter()
                .filter_map(|(loc, msg)| {
                    Some(lsp::DiagnosticRelatedInformation {
                        location: lsp_location(loc)?,
                        message: msg.clone(),
                    })
                })
                .collect(),
        )
        .filter(|r: &Vec<_>| !r.is_empty()),
        ..Default::default()
    }
}

fn completion_kind(k: CompletionKind) -> lsp::CompletionItemKind {
    use lsp::CompletionItemKind as K;
    match k {
        CompletionKind::Keyword => K::KEYWORD,
        CompletionKind::Flow => K::MODULE,
        CompletionKind::Action => K::METHOD,
        CompletionKind::Slot => K::FIELD,
        CompletionKind::Variable => K::VARIABLE,
        CompletionKind::Table => K::STRUCT,
        CompletionKind::Text => K::TEXT,
        CompletionKind::Choice => K::ENUM,
        CompletionKind::Pattern => K::TYPE_PARAMETER,
        CompletionKind::Option => K::ENUM_MEMBER,
        CompletionKind::Function => K::FUNCTION,
        CompletionKind::Language => K::CONSTANT,
        CompletionKind::Type => K::TYPE_PARAMETER,
    }
}

fn completion_item(c: Completion) -> lsp::CompletionItem {
    lsp::CompletionItem {
        label: c.label,
        kind: Some(completion_kind(c.kind)),
        detail: Some(c.detail).filter(|d| !d.is_empty()),
        documentation: c.documentation.map(|d| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: d,
            })
        }),
        insert_text: Some(c.insert),
        ..Default::default()
    }
}

#[allow(deprecated)]
fn document_symbol(o: Outline) -> lsp::DocumentSymbol {
    use guichet::analysis::OutlineKind as N;
    use lsp::SymbolKind as S;
    let kind = match o.kind {
        N::Bot => S::PACKAGE,
        N::Flow | N::Faq => S::FUNCTION,
        N::Action => S::METHOD,
        N::Choice => S::ENUM,
        N::Pattern => S::TYPE_PARAMETER,
        N::Option => S::ENUM_MEMBER,
        N::Slot => S::FIELD,
        N::Param => S::VARIABLE,
        N::Variable => S::VARIABLE,
        N::Table => S::STRUCT,
        N::Text => S::STRING,
    };
    lsp::DocumentSymbol {
        name: o.name,
        detail: Some(o.detail),
        kind,
        tags: None,
        deprecated: None,
        range: lsp_range(o.range),
        selection_range: lsp_range(o.selection),
        children: Some(o.children.into_iter().map(document_symbol).collect()),
    }
}

fn params<P: serde::de::DeserializeOwned>(req: &Request) -> Result<P, String> {
    serde_json::from_value(req.params.clone()).map_err(|e| format!("bad parameters: {e}"))
}

impl Server<'_> {
    /// Handles messages until `exit`; true after a `shutdown` asked first.
    fn main_loop(&mut self) -> bool {
        loop {
            let wait = self
                .deadline
                .map(|d| d.saturating_duration_since(Instant::now()));
            let msg = match wait {
                Some(w) => match self.connection.receiver.recv_timeout(w) {
                    Ok(m) => Some(m),
                    Err(crossbeam_timeout) if crossbeam_timeout.is_timeout() => None,
                    Err(_) => return false,
                },
                None => match self.connection.receiver.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return false,
                },
            };
            match msg {
                None => self.publish_dirty(),
                Some(Message::Request(req)) => {
                    match self.connection.handle_shutdown(&req) {
                        Ok(true) => return true,
                        Ok(false) => {}
                        Err(_) => return false,
                    }
                    let id = req.id.clone();
                    let response = match self.request(&req) {
                        Ok(value) => Response::new_ok(id, value),
                        Err((code, message)) => Response::new_err(id, code as i32, message),
                    };
                    self.send(Message::Response(response));
                }
                Some(Message::Notification(n)) => {
                    if n.method == lsp::notification::Exit::METHOD {
                        return false;
                    }
                    self.notification(n);
                }
                Some(Message::Response(_)) => {}
            }
        }
    }

    fn send(&self, msg: Message) {
        // A closed client ends the loop at the next receive.
        let _ = self.connection.sender.send(msg);
    }

    /// The bot a file belongs to, loaded from disk the first time.
    fn bot_of(&mut self, file: &str) -> usize {
        if let Some(i) = self.bots.iter().position(|b| b.contains(file)) {
            return i;
        }
        let root = bot_root(Path::new(file));
        if let Some(i) = self.bots.iter().position(|b| b.root() == root) {
            return i;
        }
        self.bots.push(Workspace::load(&root));
        self.bots.len() - 1
    }

    fn notification(&mut self, n: Notification) {
        use lsp::notification as N;
        match n.method.as_str() {
            N::DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(n.params)
                else {
                    return;
                };
                let Some(file) = path_of(&p.text_document.uri) else {
                    return;
                };
                let bot = self.bot_of(&file);
                self.bots[bot].set_text(&file, p.text_document.text);
                self.publish(bot);
            }
            N::DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(n.params)
                else {
                    return;
                };
                let Some(file) = path_of(&p.text_document.uri) else {
                    return;
                };
                // Full sync: the last change holds the whole text.
                if let Some(change) = p.content_changes.into_iter().last() {
                    let bot = self.bot_of(&file);
                    self.bots[bot].set_text(&file, change.text);
                    if !self.dirty.contains(&bot) {
                        self.dirty.push(bot);
                    }
                    self.deadline = Some(Instant::now() + DEBOUNCE);
                }
            }
            N::DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(n.params)
                else {
                    return;
                };
                if let Some(file) = path_of(&p.text_document.uri) {
                    let bot = self.bot_of(&file);
                    self.bots[bot].close(&file);
                    self.publish(bot);
                }
            }
            N::DidChangeWatchedFiles::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeWatchedFilesParams>(n.params)
                else {
                    return;
                };
                for change in p.changes {
                    if let Some(file) = path_of(&change.uri) {
                        let bot = self.bot_of(&file);
                        self.bots[bot].disk_changed(&file);
                        if !self.dirty.contains(&bot) {
                            self.dirty.push(bot);
                        }
                        self.deadline = Some(Instant::now() + DEBOUNCE);
                    }
                }
            }
            _ => {}
        }
    }

    fn publish_dirty(&mut self) {
        self.deadline = None;
        for bot in std::mem::take(&mut self.dirty) {
            self.publish(bot);
        }
    }

    /// Sends the diagnostics of every file of a bot whose list changed.
    fn publish(&mut self, bot: usize) {
        self.dirty.retain(|b| *b != bot);
        let all = self.bots[bot].diagnostics();
        for (file, diags) in all {
            let list: Vec<lsp::Diagnostic> = diags.iter().map(lsp_diagnostic).collect();
            let known = self.published.get(&file);
            if known == Some(&list) || (known.is_none() && list.is_empty()) {
                continue;
            }
            let Some(uri) = uri_of(&file) else { continue };
            let params = lsp::PublishDiagnosticsParams::new(uri, list.clone(), None);
            self.published.insert(file, list);
            self.send(Message::Notification(Notification::new(
                lsp::notification::PublishDiagnostics::METHOD.to_string(),
                params,
            )));
        }
    }

    fn file_and_bot(
        &mut self,
        doc: &lsp::TextDocumentIdentifier,
    ) -> Result<(String, usize), (ErrorCode, String)> {
        let file = path_of(&doc.uri).ok_or((
            ErrorCode::InvalidParams,
            "only file: URIs are served".to_string(),
        ))?;
        let bot = self.bot_of(&file);
        Ok((file, bot))
    }

    fn request(&mut self, req: &Request) -> Result<Value, (ErrorCode, String)> {
        use lsp::request as R;
        let bad = |e: String| (ErrorCode::InvalidParams, e);
        let json = |v: Result<Value, serde_json::Error>| {
            v.map_err(|e| (ErrorCode::InternalError, e.to_string()))
        };
        match req.method.as_str() {
            R::Completion::METHOD => {
                let p: lsp::CompletionParams = params(req).map_err(bad)?;
                let (file, bot) = self.file_and_bot(&p.text_document_position.text_document)?;
                let items: Vec<lsp::CompletionItem> = self.bots[bot]
                    .completion(&file, pos(p.text_document_position.position))
                    .into_iter()
                    .map(completion_item)
                    .collect();
                json(serde_json::to_value(lsp::CompletionResponse::Array(items)))
            }
            R::HoverRequest::METHOD => {
                let p: lsp::HoverParams = params(req).map_err(bad)?;
                let (file, bot) =
                    self.file_and_bot(&p.text_document_position_params.text_document)?;
                let hover = self.bots[bot]
                    .hover(&file, pos(p.text_document_position_params.position))
                    .map(|h| lsp::Hover {
                        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                            kind: lsp::MarkupKind::Markdown,
                            value: h.markdown,
                        }),
                        range: Some(lsp_range(h.range)),
                    });
                json(serde_json::to_value(hover))
            }
            R::GotoDefinition::METHOD => {
                let p: lsp::GotoDefinitionParams = params(req).map_err(bad)?;
                let (file, bot) =
                    self.file_and_bot(&p.text_document_position_params.text_document)?;
                let locations: Vec<lsp::Location> = self.bots[bot]
                    .definition(&file, pos(p.text_document_position_params.position))
                    .iter()
                    .filter_map(lsp_location)
                    .collect();
                json(serde_json::to_value(lsp::GotoDefinitionResponse::Array(
                    locations,
                )))
            }
            R::References::METHOD => {
                let p: lsp::ReferenceParams = params(req).map_err(bad)?;
                let (file, bot) = self.file_and_bot(&p.text_document_position.text_document)?;
                let locations: Vec<lsp::Location> = self.bots[bot]
                    .references(
                        &file,
                        pos(p.text_document_position.position),
                        p.context.include_declaration,
                    )
                    .iter()
                    .filter_map(lsp_location)
                    .collect();
                json(serde_json::to_value(locations))
            }
            R::PrepareRenameRequest::METHOD => {
                let p: lsp::TextDocumentPositionParams = params(req).map_err(bad)?;
                let (file, bot) = self.file_and_bot(&p.text_document)?;
                let range = self.bots[bot]
                    .prepare_rename(&file, pos(p.position))
                    .map_err(|e| (ErrorCode::RequestFailed, e))?;
                json(serde_json::to_value(lsp::PrepareRenameResponse::Range(
                    lsp_range(range),
                )))
            }
            R::Rename::METHOD => {
                let p: lsp::RenameParams = params(req).map_err(bad)?;
                let (file, bot) = self.file_and_bot(&p.text_document_position.text_document)?;
                let edits = self.bots[bot]
                    .rename(&file, pos(p.text_document_position.position), &p.new_name)
                    .map_err(|e| (ErrorCode::RequestFailed, e))?;
                json(serde_json::to_value(workspace_edit(edits)))
            }
            R::DocumentSymbolRequest::METHOD => {
                let p: lsp::DocumentSymbolParams = params(req).map_err(bad)?;
                let (file, bot) = self.file_and_bot(&p.text_document)?;
                let symbols: Vec<lsp::DocumentSymbol> = self.bots[bot]
                    .outline(&file)
                    .into_iter()
                    .map(document_symbol)
                    .collect();
                json(serde_json::to_value(lsp::DocumentSymbolResponse::Nested(
                    symbols,
                )))
            }
            R::Formatting::METHOD => {
                let p: lsp::DocumentFormattingParams = params(req).map_err(bad)?;
                let (file, bot) = self.file_and_bot(&p.text_document)?;
                let ws = &self.bots[bot];
                let formatted = ws
                    .format(&file)
                    .map_err(|e| (ErrorCode::RequestFailed, e))?;
                let edits: Vec<lsp::TextEdit> = match formatted {
                    None => Vec::new(),
                    Some(new_text) => {
                        let old = ws.text(&file).unwrap_or("");
                        let end = analysis::position(old, old.len());
                        vec![lsp::TextEdit::new(
                            lsp::Range::new(lsp::Position::new(0, 0), lsp_pos(end)),
                            new_text,
                        )]
                    }
                };
                json(serde_json::to_value(edits))
            }
            R::CodeActionRequest::METHOD => {
                let p: lsp::CodeActionParams = params(req).map_err(bad)?;
                let (file, bot) = self.file_and_bot(&p.text_document)?;
                let range = analysis::Range {
                    start: pos(p.range.start),
                    end: pos(p.range.end),
                };
                let actions: Vec<lsp::CodeActionOrCommand> = self.bots[bot]
                    .code_actions(&file, range)
                    .into_iter()
                    .map(|a| {
                        lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                            title: a.title,
                            kind: Some(lsp::CodeActionKind::QUICKFIX),
                            is_preferred: Some(true),
                            edit: Some(workspace_edit(a.edits)),
                            ..Default::default()
                        })
                    })
                    .collect();
                json(serde_json::to_value(actions))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("`{other}` is not served"),
            )),
        }
    }
}

// lsp-types' own `WorkspaceEdit::changes` is keyed by `Uri`, which clippy
// counts as mutable (it holds a cell-free parsed URI; nothing mutates it).
#[allow(clippy::mutable_key_type)]
fn workspace_edit(edits: BTreeMap<String, Vec<analysis::TextEdit>>) -> lsp::WorkspaceEdit {
    let changes: HashMap<lsp::Uri, Vec<lsp::TextEdit>> = edits
        .into_iter()
        .filter_map(|(file, list)| {
            let uri = uri_of(&file)?;
            let list = list
                .into_iter()
                .map(|e| lsp::TextEdit::new(lsp_range(e.range), e.new_text))
                .collect();
            Some((uri, list))
        })
        .collect();
    lsp::WorkspaceEdit::new(changes)
}

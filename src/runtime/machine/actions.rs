//! Actions: requesting one from the host, and reading its answer. An
//! action never goes out with a required argument that has no value: the
//! turn stops with a `missing_argument` error instead, and the session
//! stays as it was (the citizen can correct or cancel; the checker warns
//! about arguments that may be empty before the bot is deployed).

use super::{err, Turn};
use crate::runtime::events::Event;
use crate::runtime::records::Record;
use crate::runtime::session::PendingAction;
use crate::runtime::RuntimeError;
use crate::syntax::ast::Expr;
use crate::values::Value;
use indexmap::IndexMap;
use serde_json::{Map, Value as Json};

impl<'p> Turn<'p> {
    pub(super) fn request_action(
        &mut self,
        idx: usize,
        action: &str,
        args: &[(String, Expr)],
        bind: &Option<String>,
        on_failure: usize,
    ) -> Result<(), RuntimeError> {
        let spec = self.program.actions.get(action);
        let required = |name: &str| {
            spec.is_some_and(|a| a.params.iter().any(|(p, optional)| p == name && !optional))
        };
        let mut json = Map::new();
        let mut missing: Vec<&str> = Vec::new();
        for (name, e) in args {
            let v = self.eval(idx, e)?;
            if v.is_null() && required(name) {
                missing.push(name);
            }
            json.insert(name.clone(), v.to_normal_json());
        }
        if let Some(spec) = spec {
            for (p, optional) in &spec.params {
                if !optional && !args.iter().any(|(n, _)| n == p) {
                    missing.push(p);
                }
            }
        }
        if !missing.is_empty() {
            let list: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
            return Err(RuntimeError::new(
                "missing_argument",
                format!(
                    "the action `{action}` needs {}, which {} no value: it was not requested",
                    list.join(", "),
                    if missing.len() == 1 { "has" } else { "have" }
                ),
            ));
        }
        self.session.next_action = self.session.next_action.saturating_add(1);
        let id = format!("a{}", self.session.next_action);
        trace!(self, "action {id}: {action} requested");
        self.events.push(Event::Action {
            id: id.clone(),
            name: action.to_string(),
            args: json,
        });
        self.session.stack[idx].pending = Some(Box::new(PendingAction {
            id,
            action: action.to_string(),
            bind: bind.clone(),
            on_failure,
        }));
        Ok(())
    }

    pub(super) fn on_action_result(
        &mut self,
        r: crate::runtime::events::ActionResult,
    ) -> Result<(), RuntimeError> {
        let waiting = self
            .top()
            .and_then(|i| self.session.stack[i].pending.as_ref())
            .is_some_and(|p| p.id == r.id);
        if !waiting {
            return Err(RuntimeError::new(
                "unknown_action",
                format!("no action `{}` is waiting for a result", r.id),
            ));
        }
        let idx = self.top().ok_or_else(|| err("no flow"))?;
        let frame = &mut self.session.stack[idx];
        let Some(pending) = frame.pending.take() else {
            return Ok(());
        };
        let mut fields = IndexMap::new();
        fields.insert("ok".to_string(), Value::Bool(r.ok));
        if r.ok {
            let declared = self.program.actions.get(&pending.action);
            if let Some(Json::Object(map)) = &r.value {
                for (k, v) in map {
                    let ty = declared
                        .and_then(|a| a.results.iter().find(|(name, _)| name == k))
                        .map(|(_, ty)| ty);
                    let value = Value::from_json(v);
                    fields.insert(k.clone(), ty.map_or(value.clone(), |t| value.coerce(t)));
                }
            } else if let Some(v) = &r.value {
                fields.insert("value".to_string(), Value::from_json(v));
            }
            frame.pc += 1;
        } else {
            fields.insert(
                "error".to_string(),
                Value::text(r.error.clone().unwrap_or_default()),
            );
            frame.pc = pending.on_failure;
        }
        if let Some(bind) = pending.bind {
            frame.vars.insert(bind, Value::Record(fields));
        }
        record!(
            self,
            Record::ActionDone {
                action: pending.action.clone(),
                ok: r.ok
            }
        );
        trace!(
            self,
            "action {} ({}) answered: {}",
            pending.id,
            pending.action,
            if r.ok { "ok" } else { "failed" }
        );
        self.run()
    }
}

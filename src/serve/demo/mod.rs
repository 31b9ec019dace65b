//! The demo back office (`guichet serve --demo`): the sample commune's
//! actions (`create_request`, `get_request_status`, `request_payment`)
//! performed in the same store, a simulated payment page whose buttons
//! call back like a real provider, and a page listing the requests. For
//! demonstrations only: its pages have no login.

pub mod epc;
mod pages;

pub use pages::routes;

use super::actions::{ActionCall, ActionPerformer, ActionReply, ActionResult};
use super::clock::{Clock, Random};
use super::conversation::log::{Image, Notice};
use super::store::{DemoPayment, DemoRequest, Store};
use crate::runtime::Link;
use async_trait::async_trait;
use chrono::Datelike;
use serde_json::{json, Value as Json};
use std::sync::Arc;

/// The commune's account in the demo (a valid test IBAN).
pub const DEMO_IBAN: &str = "BE68539007547034";

/// A request's statuses, as codes; shown in the citizen's language.
pub const STATUSES: &[&str] = &[
    "received",
    "in_progress",
    "accepted",
    "refused",
    "completed",
];

pub fn status_text(code: &str, lang: &str) -> String {
    let t = match (code, lang) {
        ("received", "nl") => "ontvangen",
        ("received", "en") => "received",
        ("received", _) => "reçue",
        ("in_progress", "nl") => "in behandeling",
        ("in_progress", "en") => "in progress",
        ("in_progress", _) => "en cours de traitement",
        ("accepted", "nl") => "goedgekeurd",
        ("accepted", "en") => "accepted",
        ("accepted", _) => "acceptée",
        ("refused", "nl") => "geweigerd",
        ("refused", "en") => "refused",
        ("refused", _) => "refusée",
        ("completed", "nl") => "afgehandeld",
        ("completed", "en") => "completed",
        ("completed", _) => "terminée",
        (other, _) => other,
    };
    t.to_string()
}

/// `15.00` as the citizen reads it: `15,00 €` (fr, nl) or `€15.00` (en).
pub fn amount_text(amount: &str, lang: &str) -> String {
    match lang {
        "en" => format!("€{amount}"),
        _ => format!("{} €", amount.replace('.', ",")),
    }
}

pub struct DemoBackOffice {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    random: Arc<dyn Random>,
    public_url: String,
}

impl DemoBackOffice {
    pub const ACTIONS: [&'static str; 3] =
        ["create_request", "get_request_status", "request_payment"];

    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        random: Arc<dyn Random>,
        public_url: String,
    ) -> DemoBackOffice {
        DemoBackOffice {
            store,
            clock,
            random,
            public_url,
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    fn today(&self) -> String {
        self.clock.local().format("%Y-%m-%d").to_string()
    }

    async fn create_request(&self, call: &ActionCall) -> Result<Json, String> {
        let kind = call
            .args
            .get("kind")
            .and_then(Json::as_str)
            .unwrap_or("request")
            .to_string();
        let prefix = match kind.as_str() {
            "creche_enrolment" => "CR",
            "resident_card_renewal" => "RC",
            _ => "RQ",
        };
        let year = self.clock.local().year();
        let n = self
            .store
            .next_number(prefix, year)
            .await
            .map_err(|e| e.to_string())?;
        let reference = format!("{prefix}-{year}-{n:04}");
        let request = DemoRequest {
            reference: reference.clone(),
            kind,
            status: "received".into(),
            updated: self.today(),
            conversation_id: Some(call.conversation.clone()),
        };
        self.store
            .insert_request(&request, self.clock.now_ms())
            .await
            .map_err(|e| e.to_string())?;
        Ok(json!({ "reference": reference }))
    }

    async fn request_status(&self, call: &ActionCall) -> Result<Json, String> {
        let reference = call
            .args
            .get("reference")
            .and_then(Json::as_str)
            .unwrap_or("")
            .trim()
            .to_uppercase();
        match self
            .store
            .request(&reference)
            .await
            .map_err(|e| e.to_string())?
        {
            Some(r) => Ok(json!({
                "status": status_text(&r.status, &call.lang),
                "updated": r.updated,
            })),
            None => Err("no request has this reference".into()),
        }
    }

    async fn request_payment(&self, call: &ActionCall) -> Result<ActionReply, String> {
        let arg = |k: &str| {
            call.args
                .get(k)
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_string()
        };
        let amount = arg("amount");
        let communication = arg("structured_communication");
        if amount.is_empty() || communication.is_empty() {
            return Err("a payment needs an amount and a structured communication".into());
        }
        let year = self.clock.local().year();
        let n = self
            .store
            .next_number("P", year)
            .await
            .map_err(|e| e.to_string())?;
        let reference = format!("P-{year}-{n:04}");
        // The page's key is random: a payment's number would be guessed.
        let id = super::clock::random_text(self.random.as_ref(), 12);
        let lang = match call.lang.as_str() {
            "nl" | "en" => call.lang.clone(),
            _ => "fr".to_string(),
        };
        let plate = arg("plate");
        let description = match lang.as_str() {
            "nl" => format!("Bewonerskaart {plate}"),
            "en" => format!("Resident parking card {plate}"),
            _ => format!("Carte de riverain {plate}"),
        };
        let payment = DemoPayment {
            id: id.clone(),
            reference,
            conversation_id: call.conversation.clone(),
            amount: amount.clone(),
            currency: arg("currency"),
            communication: communication.clone(),
            description,
            lang: lang.clone(),
            status: "pending".into(),
            callback_url: call.callback_url.clone(),
        };
        self.store
            .insert_payment(&payment, self.clock.now_ms())
            .await
            .map_err(|e| e.to_string())?;
        let base = self.public_url.trim_end_matches('/');
        let money = amount_text(&amount, &lang);
        let (text, label, alt) = match lang.as_str() {
            "nl" => (
                format!("Om {money} te betalen, open de betaalpagina, of doe een overschrijving met de gestructureerde mededeling {communication} (scan de QR-code met uw bankapp)."),
                format!("{money} betalen"),
                format!("QR-code om {money} over te schrijven met mededeling {communication}"),
            ),
            "en" => (
                format!("To pay {money}, open the payment page, or make a bank transfer with the structured communication {communication} (scan the QR code with your banking app)."),
                format!("Pay {money}"),
                format!("QR code to transfer {money} with communication {communication}"),
            ),
            _ => (
                format!("Pour payer {money}, ouvrez la page de paiement, ou faites un virement avec la communication structurée {communication} (scannez le code QR avec votre application bancaire)."),
                format!("Payer {money}"),
                format!("Code QR pour virer {money} avec la communication {communication}"),
            ),
        };
        Ok(ActionReply::Pending(Some(Notice {
            text,
            buttons: Vec::new(),
            links: vec![Link {
                label,
                url: format!("{base}/demo/pay/{id}"),
            }],
            image: Some(Image {
                url: format!("{base}/demo/pay/{id}/qr.svg"),
                alt,
            }),
        })))
    }
}

#[async_trait]
impl ActionPerformer for DemoBackOffice {
    async fn perform(&self, call: &ActionCall) -> ActionReply {
        let done = |r: Result<Json, String>| match r {
            Ok(v) => ActionReply::Done(ActionResult::ok(v)),
            Err(e) => ActionReply::Done(ActionResult::failed(e)),
        };
        match call.name.as_str() {
            "create_request" => done(self.create_request(call).await),
            "get_request_status" => done(self.request_status(call).await),
            "request_payment" => match self.request_payment(call).await {
                Ok(reply) => reply,
                Err(e) => ActionReply::Done(ActionResult::failed(e)),
            },
            other => ActionReply::Done(ActionResult::failed(format!(
                "the demo back office does not perform `{other}`"
            ))),
        }
    }
}

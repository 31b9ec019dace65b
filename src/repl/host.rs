//! A stand-in for the commune's back office, so that staff can run the
//! sample commune's flows to the end without a real host.

use chrono::{Datelike, NaiveDateTime};
use serde_json::{json, Map, Value as Json};

#[derive(Debug, Default)]
pub struct StandIn {
    requests: u32,
    payments: u32,
}

impl StandIn {
    /// The result value of an action it knows, or `None` for an action it
    /// does not: that one stays pending for staff to answer by hand.
    pub fn answer(
        &mut self,
        name: &str,
        _args: &Map<String, Json>,
        now: NaiveDateTime,
    ) -> Option<Json> {
        match name {
            "create_request" => {
                self.requests += 1;
                Some(json!({
                    "reference": format!("CR-{}-{:04}", now.year(), self.requests)
                }))
            }
            "request_payment" => {
                self.payments += 1;
                Some(json!({"status": "paid", "payment_id": format!("PAY-{}", self.payments)}))
            }
            "get_request_status" => Some(json!({
                "status": "in progress",
                "updated": now.format("%Y-%m-%d").to_string()
            })),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_go_up_and_references_carry_the_year() {
        let now = chrono::NaiveDate::from_ymd_opt(2025, 4, 14)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let mut h = StandIn::default();
        let args = Map::new();
        assert_eq!(
            h.answer("create_request", &args, now),
            Some(json!({"reference": "CR-2025-0001"}))
        );
        assert_eq!(
            h.answer("create_request", &args, now),
            Some(json!({"reference": "CR-2025-0002"}))
        );
        assert_eq!(
            h.answer("request_payment", &args, now),
            Some(json!({"status": "paid", "payment_id": "PAY-1"}))
        );
        assert_eq!(
            h.answer("get_request_status", &args, now),
            Some(json!({"status": "in progress", "updated": "2025-04-14"}))
        );
        assert_eq!(h.answer("send_sms", &args, now), None);
    }
}

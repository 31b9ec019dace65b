//! The store's conformance suite for the hand-over, on SQLite and
//! PostgreSQL: cases written with the turn (a claim that lost writes
//! nothing), the outbox handed out in order per conversation with leases,
//! replicas claiming the same outbox, staff accounts and sessions,
//! Messenger deliveries de-duplicated by mid.

use crate::backends;
use guichet::serve::store::{
    Case, CaseState, CaseWrite, MessengerDelivery, Mode, NewConversation, NewOutbox, OutboxState,
    StaffAccount, StaffSession, Store, StoreError, StoredEvent, TurnWrite,
};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

async fn conversation(s: &Arc<dyn Store>, id: &str) {
    s.create_conversation(NewConversation {
        id: id.into(),
        token_hash: id.as_bytes().to_vec(),
        channel: "messenger".into(),
        external_key: Some(format!("PAGE:{id}")),
        lang: Some("fr".into()),
        session: "{}".into(),
        now_ms: 1000,
    })
    .await
    .unwrap();
}

fn event(seq: i64, text: &str) -> StoredEvent {
    StoredEvent {
        seq,
        body: format!("{{\"type\":\"notice\",\"text\":\"{text}\"}}"),
    }
}

fn case(id: &str, conversation: &str) -> Case {
    Case {
        id: id.into(),
        conversation_id: conversation.into(),
        state: CaseState::Waiting,
        service: "petite_enfance".into(),
        reason: "asked_for_agent".into(),
        flow: Some("creche_enrolment".into()),
        lang: "fr".into(),
        channel: "messenger".into(),
        summary: "{\"slots\":{},\"text\":\"\"}".into(),
        handoff_seq: 1,
        staff_login: None,
        staff_name: None,
        outcome: None,
        filed_ms: None,
        created_ms: 2000,
        claimed_ms: None,
        closed_ms: None,
        updated_ms: 2000,
    }
}

/// Commits one round on a conversation: its events, a case change, rows.
async fn commit(
    s: &Arc<dyn Store>,
    id: &str,
    texts: &[&str],
    mode: Option<Mode>,
    case: Option<CaseWrite>,
    outbox: Vec<NewOutbox>,
    now_ms: i64,
) -> Result<(), StoreError> {
    let locked = s.lock(id, Duration::from_secs(5)).await?;
    let last = locked.state().info.last_seq;
    locked
        .commit(TurnWrite {
            session: "{}".into(),
            events: texts
                .iter()
                .enumerate()
                .map(|(i, t)| event(last + 1 + i as i64, t))
                .collect(),
            now_ms,
            mode,
            case,
            outbox,
            ..TurnWrite::default()
        })
        .await
}

fn row(text: &str) -> NewOutbox {
    NewOutbox {
        channel: "messenger".into(),
        seq: None,
        body: text.into(),
    }
}

#[tokio::test]
async fn cases_change_with_their_turn_and_a_lost_claim_writes_nothing() {
    for b in backends::all().await {
        let s = &b.store;
        conversation(s, "c_case").await;
        commit(
            s,
            "c_case",
            &["handed over"],
            Some(Mode::Waiting),
            Some(CaseWrite::Open(Box::new(case("h_1", "c_case")))),
            vec![],
            2000,
        )
        .await
        .unwrap();
        let info = s.conversation("c_case").await.unwrap().unwrap();
        assert_eq!(info.mode, "waiting", "{}", b.name);
        let open = s.open_case_of("c_case").await.unwrap().unwrap();
        assert_eq!((open.id.as_str(), open.state), ("h_1", CaseState::Waiting));
        assert_eq!(s.open_cases(10).await.unwrap().len(), 1);
        let claim = |login: &str| CaseWrite::Claim {
            case_id: "h_1".into(),
            login: login.into(),
            name: login.to_uppercase(),
        };
        commit(
            s,
            "c_case",
            &["marie took it"],
            Some(Mode::Staff),
            Some(claim("marie")),
            vec![],
            3000,
        )
        .await
        .unwrap();
        let lost = commit(
            s,
            "c_case",
            &["luc took it"],
            Some(Mode::Staff),
            Some(claim("luc")),
            vec![row("x")],
            3100,
        )
        .await;
        assert!(
            matches!(lost, Err(StoreError::Conflict)),
            "{}: {lost:?}",
            b.name
        );
        // The losing claim's event and row were not written.
        let events = s.events_after("c_case", 0, 10).await.unwrap();
        assert_eq!(events.len(), 2, "{}", b.name);
        assert!(s.outbox_of("c_case", "messenger").await.unwrap().is_empty());
        let held = s.case("h_1").await.unwrap().unwrap();
        assert_eq!(held.staff_login.as_deref(), Some("marie"));
        assert_eq!(held.claimed_ms, Some(3000));
        // A second open case for one conversation is refused.
        let twice = commit(
            s,
            "c_case",
            &["again"],
            None,
            Some(CaseWrite::Open(Box::new(case("h_2", "c_case")))),
            vec![],
            3200,
        )
        .await;
        assert!(twice.is_err(), "{}", b.name);
        assert_eq!(s.idle_claims("marie", 3000, 10).await.unwrap().len(), 0);
        assert_eq!(s.idle_claims("marie", 4000, 10).await.unwrap().len(), 1);
        commit(
            s,
            "c_case",
            &["back to the bot"],
            Some(Mode::Bot),
            Some(CaseWrite::Finish {
                case_id: "h_1".into(),
                outcome: "returned".into(),
            }),
            vec![],
            5000,
        )
        .await
        .unwrap();
        assert!(s.open_case_of("c_case").await.unwrap().is_none());
        let closed = s.closed_cases(4000, 10).await.unwrap();
        assert_eq!(closed[0].outcome.as_deref(), Some("returned"), "{}", b.name);
        assert_eq!(s.conversation("c_case").await.unwrap().unwrap().mode, "bot");
        // A new hand-over may open a case again; unattended ones are found.
        commit(
            s,
            "c_case",
            &["again"],
            Some(Mode::Waiting),
            Some(CaseWrite::Open(Box::new(case("h_3", "c_case")))),
            vec![],
            6000,
        )
        .await
        .unwrap();
        assert_eq!(s.unattended_cases(2001, 10).await.unwrap().len(), 1);
        commit(
            s,
            "c_case",
            &["nobody"],
            None,
            Some(CaseWrite::Filed {
                case_id: "h_3".into(),
            }),
            vec![],
            7000,
        )
        .await
        .unwrap();
        assert!(s.unattended_cases(9000, 10).await.unwrap().is_empty());
        // Expiry takes the cases and rows with the conversation.
        assert_eq!(s.expire_idle(100_000).await.unwrap(), 1);
        assert!(s.case("h_3").await.unwrap().is_none(), "{}", b.name);
    }
}

#[tokio::test]
async fn the_outbox_hands_out_each_conversations_rows_in_order_with_leases() {
    for b in backends::all().await {
        let s = &b.store;
        conversation(s, "c_x").await;
        conversation(s, "c_y").await;
        commit(
            s,
            "c_x",
            &["a"],
            None,
            None,
            vec![row("x1"), row("x2"), row("x3")],
            1000,
        )
        .await
        .unwrap();
        commit(s, "c_y", &["a"], None, None, vec![row("y1")], 1000)
            .await
            .unwrap();
        let first = s.claim_outbox(1000, 61_000, 10).await.unwrap();
        let bodies: Vec<&str> = first.iter().map(|r| r.body.as_str()).collect();
        assert_eq!(
            bodies,
            vec!["x1", "y1"],
            "{}: one head per conversation",
            b.name
        );
        assert!(
            s.claim_outbox(1000, 61_000, 10).await.unwrap().is_empty(),
            "{}",
            b.name
        );
        s.outbox_sent(first[0].id, 1100).await.unwrap();
        s.outbox_sent(first[1].id, 1100).await.unwrap();
        let next = s.claim_outbox(1100, 61_100, 10).await.unwrap();
        assert_eq!(next.len(), 1);
        assert_eq!(next[0].body, "x2");
        // x2 is tried again later, two parts already sent: x3 waits.
        s.outbox_retry(next[0].id, 5000, 2, "http_500", 1200)
            .await
            .unwrap();
        assert!(s.claim_outbox(1200, 61_200, 10).await.unwrap().is_empty());
        assert_eq!(s.next_outbox_due().await.unwrap(), Some(5000), "{}", b.name);
        let again = s.claim_outbox(5000, 65_000, 10).await.unwrap();
        assert_eq!(
            (
                again[0].body.as_str(),
                again[0].parts_done,
                again[0].attempts
            ),
            ("x2", 2, 2)
        );
        // The worker holding it dies: after the lease it is handed out again.
        assert!(s.claim_outbox(64_999, 70_000, 10).await.unwrap().is_empty());
        let after_lease = s.claim_outbox(65_000, 125_000, 10).await.unwrap();
        assert_eq!(after_lease[0].body, "x2", "{}", b.name);
        assert_eq!(after_lease[0].attempts, 3);
        // Given up: it no longer holds back x3.
        s.outbox_failed(after_lease[0].id, "outside_window", 65_100)
            .await
            .unwrap();
        let last = s.claim_outbox(65_100, 125_100, 10).await.unwrap();
        assert_eq!(last[0].body, "x3");
        let rows = s.outbox_of("c_x", "messenger").await.unwrap();
        let states: Vec<OutboxState> = rows.iter().map(|r| r.state).collect();
        assert_eq!(
            states,
            vec![OutboxState::Sent, OutboxState::Failed, OutboxState::Claimed],
            "{}",
            b.name
        );
        assert_eq!(rows[1].error.as_deref(), Some("outside_window"));
        s.outbox_sent(last[0].id, 65_200).await.unwrap();
        assert_eq!(s.prune_outbox(70_000).await.unwrap(), 4, "{}", b.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn replicas_claiming_one_outbox_never_take_a_row_twice_nor_out_of_order() {
    let Some(url) = backends::postgres_url().await else {
        return;
    };
    let a = guichet::serve::store::open(&url).await.unwrap();
    let b = guichet::serve::store::open(&url).await.unwrap();
    for c in 0..8 {
        let id = format!("c_r{c}");
        conversation(&a, &id).await;
        let rows = (0..6).map(|i| row(&format!("{c}:{i}"))).collect();
        commit(&a, &id, &["x"], None, None, rows, 1000)
            .await
            .unwrap();
    }
    let seen = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut tasks = Vec::new();
    for (n, store) in [a.clone(), b.clone(), a.clone(), b.clone()]
        .into_iter()
        .enumerate()
    {
        let seen = seen.clone();
        tasks.push(tokio::spawn(async move {
            let mut idle = 0;
            while idle < 20 {
                let items = store.claim_outbox(2000, 1_000_000, 3).await.unwrap();
                if items.is_empty() {
                    idle += 1;
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                }
                idle = 0;
                for item in items {
                    seen.lock().unwrap().push(item.body.clone());
                    if n % 2 == 0 {
                        tokio::task::yield_now().await;
                    }
                    store.outbox_sent(item.id, 2000).await.unwrap();
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 48, "every row once: {seen:?}");
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 48);
    // Per conversation, in order.
    let mut last: HashMap<&str, i32> = HashMap::new();
    for s in &seen {
        let (c, i) = s.split_once(':').unwrap();
        let i: i32 = i.parse().unwrap();
        let prev = last.insert(c, i).unwrap_or(-1);
        assert_eq!(i, prev + 1, "conversation {c} out of order: {seen:?}");
    }
}

#[tokio::test]
async fn staff_accounts_and_sessions() {
    for b in backends::all().await {
        let s = &b.store;
        let account = StaffAccount {
            login: "marie".into(),
            name: "Marie".into(),
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            services: vec!["petite_enfance".into(), "general".into()],
        };
        s.put_staff_account(&account, 1000).await.unwrap();
        assert_eq!(
            s.staff_account("marie").await.unwrap(),
            Some(account.clone())
        );
        let renamed = StaffAccount {
            name: "Marie D.".into(),
            ..account.clone()
        };
        s.put_staff_account(&renamed, 2000).await.unwrap();
        assert_eq!(s.staff_accounts().await.unwrap(), vec![renamed]);
        let session = StaffSession {
            login: "marie".into(),
            csrf: "csrf-token".into(),
            expires_ms: 10_000,
        };
        s.create_staff_session(&[1, 2, 3], &session, 1000)
            .await
            .unwrap();
        assert_eq!(
            s.staff_session(&[1, 2, 3], 9_999).await.unwrap(),
            Some(session.clone())
        );
        assert_eq!(
            s.staff_session(&[1, 2, 3], 10_000).await.unwrap(),
            None,
            "{}: expired",
            b.name
        );
        assert_eq!(s.staff_session(&[9], 1000).await.unwrap(), None);
        s.create_staff_session(&[4], &session, 1000).await.unwrap();
        s.delete_staff_session(&[4]).await.unwrap();
        assert_eq!(s.staff_session(&[4], 1000).await.unwrap(), None);
        assert_eq!(s.prune_staff_sessions(20_000).await.unwrap(), 1);
        s.create_staff_session(&[5], &session, 1000).await.unwrap();
        assert!(s.delete_staff_account("marie").await.unwrap());
        assert_eq!(
            s.staff_session(&[5], 1000).await.unwrap(),
            None,
            "{}: sessions go with the account",
            b.name
        );
        assert!(!s.delete_staff_account("marie").await.unwrap());
    }
}

#[tokio::test]
async fn messenger_deliveries_are_kept_once_and_taken_once() {
    for b in backends::all().await {
        let s = &b.store;
        let d = |mid: &str| MessengerDelivery {
            mid: mid.into(),
            page_id: "PAGE".into(),
            psid: "U1".into(),
            body: format!("{{\"mid\":\"{mid}\"}}"),
        };
        let fresh = s
            .receive_messenger(&[d("m1"), d("m2")], 1000)
            .await
            .unwrap();
        assert_eq!(fresh, vec!["m1", "m2"]);
        let again = s
            .receive_messenger(&[d("m2"), d("m3")], 1100)
            .await
            .unwrap();
        assert_eq!(
            again,
            vec!["m3"],
            "{}: a repeated mid is not kept again",
            b.name
        );
        let taken = s
            .take_messenger(&["m1".into(), "m2".into()], 61_000)
            .await
            .unwrap();
        assert_eq!(taken.len(), 2);
        assert_eq!(taken[0].mid, "m1");
        assert!(
            s.take_messenger(&["m1".into()], 61_000)
                .await
                .unwrap()
                .is_empty(),
            "{}",
            b.name
        );
        s.messenger_done("m1").await.unwrap();
        // m3 was never taken; m2's process died: both come back, m1 not.
        assert!(s
            .take_stale_messenger(1000, 2000, 62_000, 10)
            .await
            .unwrap()
            .is_empty());
        let stale = s
            .take_stale_messenger(2000, 61_000, 121_000, 10)
            .await
            .unwrap();
        let mids: Vec<&str> = stale.iter().map(|d| d.mid.as_str()).collect();
        assert_eq!(mids, vec!["m2", "m3"], "{}", b.name);
        s.set_last_message("c_1", 5000).await.unwrap();
        s.set_last_message("c_1", 4000).await.unwrap();
        assert_eq!(
            s.last_message("c_1").await.unwrap(),
            Some(5000),
            "{}",
            b.name
        );
        assert_eq!(s.last_message("c_2").await.unwrap(), None);
        assert_eq!(
            s.prune_messenger(10_000).await.unwrap(),
            1,
            "{}: only done ones",
            b.name
        );
    }
}

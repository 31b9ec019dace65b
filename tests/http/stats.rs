//! Statistics computed from scripted conversations through the chat API:
//! known numbers of conversations, flows started, completed and abandoned
//! at given steps, hand-overs and messages not understood, exactly, on
//! SQLite and PostgreSQL, and with two servers sharing one PostgreSQL.
//! Then flows left idle, undone when the citizen comes back, the
//! `guichet stats` and `guichet suggest` commands, and the roll-up that
//! keeps the counts once the records are purged.

use crate::backends::{self, Backend};
use crate::support::{config, copy_dir, flows_dir, Chat, TempDir, TestApp};
use guichet::serve::store::stats::StatsReport;
use guichet::serve::store::StatsQuery;
use serde_json::json;

async fn app_on(b: &Backend) -> TestApp {
    app_seeded(b, 42).await
}

async fn app_seeded(b: &Backend, seed: u64) -> TestApp {
    let dir = TempDir::new("stats");
    let mut c = config(dir.path());
    c.store = b.url.clone();
    // Hand-overs of the crèche go to the childcare service; others to the
    // default one.
    c.staff
        .services
        .push(guichet::serve::staff::config::ServiceRule {
            name: "petite_enfance".into(),
            label: None,
            flows: vec!["creche_enrolment".into()],
            reasons: vec![],
        });
    TestApp::with_store_seeded(c, dir, b.store.clone(), seed).await
}

fn day() -> StatsQuery {
    StatsQuery {
        from: "2026-03-10".into(),
        to: "2026-03-10".into(),
        lang: None,
        channel: None,
    }
}

/// The script: conversations alternate between `a` and `b` (the same
/// server, or two replicas). Returns nothing: the figures tell.
async fn script(a: &TestApp, b: &TestApp) {
    // 1. A crèche enrolment completed, in French.
    let mut chat = Chat::open(a, "fr").await;
    chat.say("je voudrais inscrire mon fils à la crèche").await;
    let mut chat = Chat::join(b, &chat.id, &chat.token);
    for answer in [
        "Tom",
        "Dubois",
        "3 mai 2025",
        "1er septembre",
        "tom@exemple.be",
        "0470 12 34 56",
    ] {
        chat.say(answer).await;
    }
    let r = chat.press("yes").await;
    assert!(
        r.says().iter().any(|s| s.contains("CR-2026")),
        "{:?}",
        r.says()
    );

    // 2. Abandoned at the last name: the citizen cancels.
    let mut chat = Chat::open(b, "fr").await;
    chat.say("je voudrais inscrire ma fille à la crèche").await;
    chat.say("Léa").await;
    let mut chat = Chat::join(a, &chat.id, &chat.token);
    chat.say("laissez tomber").await;

    // 3. Abandoned at the first name after three attempts, in Dutch:
    //    handed over to staff.
    let mut chat = Chat::open(a, "nl").await;
    chat.say("ik wil mijn dochter inschrijven in de kinderopvang")
        .await;
    for wrong in ["12345", "67890", "13579"] {
        chat.say(wrong).await;
    }

    // 4. A person asked for at once, in English.
    let mut chat = Chat::open(b, "en").await;
    let r = chat.say("I want to talk to a person").await;
    assert!(r.events().iter().any(|e| e["type"] == "handoff"));

    // 5. Two messages nothing matches.
    let mut chat = Chat::open(a, "fr").await;
    chat.say("je voudrais un permis de pêche pour le lac").await;
    chat.say("où promener mon chien sans laisse").await;
}

fn flow<'r>(r: &'r StatsReport, name: &str) -> &'r guichet::serve::store::stats::FlowRow {
    r.flows
        .iter()
        .find(|f| f.flow == name)
        .unwrap_or_else(|| panic!("no row for {name}: {:#?}", r.flows))
}

fn step<'r>(
    r: &'r StatsReport,
    flow: &str,
    step: &str,
) -> &'r guichet::serve::store::stats::FunnelRow {
    r.funnel
        .iter()
        .find(|s| s.flow == flow && s.step == step)
        .unwrap_or_else(|| panic!("no step {flow}.{step}: {:#?}", r.funnel))
}

/// The figures the script must give.
fn check(r: &StatsReport, backend: &str) {
    let t = &r.totals;
    assert_eq!(t.conversations, 5, "{backend}: {t:?}");
    assert_eq!(t.handoffs, 2, "{backend}");
    assert_eq!(t.unmatched, 2, "{backend}");
    // Every conversation started at 10 h on the 10th.
    assert_eq!(r.per_hour[10].conversations, 5, "{backend}");
    assert_eq!(r.per_hour.iter().map(|h| h.conversations).sum::<i64>(), 5);
    assert_eq!(r.per_day.len(), 1, "{backend}");
    assert_eq!(r.per_day[0].day, "2026-03-10");
    assert_eq!(r.per_day[0].unmatched, 2);
    // Citizens' messages: 8 + 3 + 4 + 1 + 2 (buttons count, `start` does not).
    assert_eq!(t.messages, 18, "{backend}");
    // Messages per conversation: 1, 2, 3, 4, 8: the median is 3.
    assert_eq!(t.median_messages, 3.0, "{backend}");

    let creche = flow(r, "creche_enrolment");
    assert_eq!(
        (
            creche.started,
            creche.completed,
            creche.abandoned,
            creche.in_progress
        ),
        (3, 1, 2, 0),
        "{backend}"
    );
    assert!((creche.completion_rate - 1.0 / 3.0).abs() < 1e-9);
    let topics = |flow: &str, lang: &str| {
        r.topics
            .iter()
            .filter(|t| t.flow == flow && t.lang == lang)
            .map(|t| t.started)
            .sum::<i64>()
    };
    assert_eq!(topics("creche_enrolment", "fr"), 2, "{backend}");
    assert_eq!(topics("creche_enrolment", "nl"), 1, "{backend}");
    assert_eq!(topics("talk_to_agent", "en"), 1, "{backend}");
    assert_eq!(topics("cancel_all", "fr"), 1, "{backend}");
    assert!(r.topics.iter().all(|t| t.channel == "web"));
    // The welcome and fallback flows are the bot's, not topics.
    assert!(r
        .topics
        .iter()
        .all(|t| t.flow != "welcome" && t.flow != "not_understood"));

    // Where citizens gave up: one at the first name, one at the last name.
    let first = step(r, "creche_enrolment", "child_first_name");
    assert_eq!((first.reached, first.abandoned), (3, 1), "{backend}");
    assert_eq!(first.refused, 3, "{backend}: three answers were no name");
    let last = step(r, "creche_enrolment", "child_last_name");
    assert_eq!((last.reached, last.abandoned), (2, 1), "{backend}");
    let confirm = step(r, "creche_enrolment", "(confirmation)");
    assert_eq!((confirm.reached, confirm.abandoned), (1, 0), "{backend}");
    let ab = |how: &str| {
        r.abandonment
            .iter()
            .find(|a| a.flow == "creche_enrolment" && a.how == how)
            .map_or(0, |a| a.count)
    };
    assert_eq!((ab("cancel"), ab("attempts")), (1, 1), "{backend}");

    let handoff = |reason: &str, service: &str| {
        r.handoffs
            .iter()
            .find(|h| h.reason == reason && h.service == service)
            .map_or(0, |h| h.count)
    };
    assert_eq!(
        handoff("too_many_attempts", "petite_enfance"),
        1,
        "{backend}"
    );
    assert_eq!(handoff("asked_for_agent", "general"), 1, "{backend}");

    // Filters: Dutch only.
    let _ = backend;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn scripted_conversations_give_exact_figures_on_each_store() {
    for b in backends::all().await {
        let t = app_on(&b).await;
        script(&t, &t).await;
        let r = b.store.stats_report(&day()).await.unwrap();
        check(&r, b.name);
        // The counts turns left pending (PostgreSQL) are added to their
        // rows: the figures stay, and nothing is left to add.
        b.store.fold_pending_counts().await.unwrap();
        assert_eq!(b.store.fold_pending_counts().await.unwrap(), 0);
        assert_eq!(b.store.stats_report(&day()).await.unwrap(), r, "{}", b.name);
        // One language.
        let nl = b
            .store
            .stats_report(&StatsQuery {
                lang: Some("nl".into()),
                ..day()
            })
            .await
            .unwrap();
        assert_eq!(nl.totals.conversations, 1, "{}", b.name);
        assert_eq!(flow(&nl, "creche_enrolment").abandoned, 1);
        // Another day: nothing.
        let other = b
            .store
            .stats_report(&StatsQuery {
                from: "2026-03-11".into(),
                to: "2026-03-12".into(),
                ..day()
            })
            .await
            .unwrap();
        assert_eq!(other.totals.conversations, 0);
        assert!(other.flows.is_empty());
        // The messages not understood, masked, with their closest flow.
        let unmatched = b.store.unmatched_messages(&day(), 10).await.unwrap();
        assert_eq!(unmatched.len(), 2, "{}", b.name);
        assert_eq!(unmatched[0].text, "où promener mon chien sans laisse");
        assert!(unmatched.iter().all(|u| u.closest.is_some()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_postgresql_count_the_same() {
    let Some(url) = backends::postgres_url().await else {
        return;
    };
    let open = || async { guichet::serve::store::open(&url).await.unwrap() };
    let (sa, sb) = (open().await, open().await);
    let a = app_on(&Backend {
        name: "postgres",
        url: url.clone(),
        store: sa.clone(),
        _dir: None,
    })
    .await;
    let b = app_seeded(
        &Backend {
            name: "postgres",
            url: url.clone(),
            store: sb.clone(),
            _dir: None,
        },
        7,
    )
    .await;
    // Both replicas fold the records turns leave pending, over and over,
    // while the turns are answered: each record is counted once.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let folding = {
        let (sa, sb, stop) = (sa.clone(), sb.clone(), stop.clone());
        tokio::spawn(async move {
            let mut folds = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let (x, y) = tokio::join!(sa.fold_pending_counts(), sb.fold_pending_counts());
                folds += x.unwrap() + y.unwrap();
                tokio::task::yield_now().await;
            }
            folds
        })
    };
    script(&a, &b).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let folded = folding.await.unwrap();
    assert!(folded > 0, "the turns' records were folded while they ran");
    let from_a = sa.stats_report(&day()).await.unwrap();
    let from_b = sb.stats_report(&day()).await.unwrap();
    check(&from_a, "replica a");
    assert_eq!(from_a, from_b);
    // Both replicas add the pending counts at once: each is added once.
    let (x, y) = tokio::join!(sa.fold_pending_counts(), sb.fold_pending_counts());
    x.unwrap();
    y.unwrap();
    assert_eq!(sa.stats_report(&day()).await.unwrap(), from_a);
}

/// A conversation in the crèche form when the commune renames the flow:
/// the bot cannot carry it over and the conversation starts over; the flow
/// is recorded abandoned ("bot_changed"), not left in progress for ever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flow_a_changed_bot_drops_is_recorded_abandoned() {
    for b in backends::all().await {
        let dir = TempDir::new("stats-changed");
        let bot_dir = dir.path().join("bot");
        copy_dir(&flows_dir(), &bot_dir);
        let mut c = config(dir.path());
        c.store = b.url.clone();
        c.bot_dir = bot_dir.clone();
        let t = TestApp::with_store(c, dir, b.store.clone()).await;
        let mut chat = Chat::open(&t, "fr").await;
        chat.say("je voudrais inscrire mon fils à la crèche").await;
        chat.say("Tom").await;
        for e in std::fs::read_dir(&bot_dir).unwrap().flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "flow") {
                let text = std::fs::read_to_string(&p).unwrap();
                std::fs::write(&p, text.replace("creche_enrolment", "creche_request")).unwrap();
            }
        }
        guichet::serve::reload::reload(&t.app).expect("the renamed flow loads");
        let r = chat.say("Dubois").await;
        assert_eq!(r.last()["bot_changed"], "restarted", "{:?}", r.events());
        let r = b.store.stats_report(&day()).await.unwrap();
        let creche = flow(&r, "creche_enrolment");
        assert_eq!((creche.abandoned, creche.in_progress), (1, 0), "{}", b.name);
        assert!(
            r.abandonment
                .iter()
                .any(|a| a.flow == "creche_enrolment" && a.how == "bot_changed" && a.count == 1),
            "{}: {:?}",
            b.name,
            r.abandonment
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flow_left_idle_is_abandoned_until_the_citizen_comes_back() {
    for b in backends::all().await {
        let t = app_on(&b).await;
        let mut chat = Chat::open(&t, "fr").await;
        chat.say("je voudrais inscrire mon fils à la crèche").await;
        chat.say("Tom").await;
        // Nothing happens before the idle time.
        assert_eq!(t.app.service.record_idle_flows().await, 0);
        t.clock.advance(chrono::Duration::minutes(45));
        assert_eq!(t.app.service.record_idle_flows().await, 1, "{}", b.name);
        // Recorded once.
        assert_eq!(t.app.service.record_idle_flows().await, 0);
        let r = b.store.stats_report(&day()).await.unwrap();
        let creche = flow(&r, "creche_enrolment");
        assert_eq!((creche.abandoned, creche.in_progress), (1, 0), "{}", b.name);
        assert_eq!(step(&r, "creche_enrolment", "child_last_name").abandoned, 1);
        assert!(r
            .abandonment
            .iter()
            .any(|a| a.how == "idle" && a.count == 1));
        // The citizen comes back: the flow was not abandoned after all.
        chat.say("Dubois").await;
        let r = b.store.stats_report(&day()).await.unwrap();
        let creche = flow(&r, "creche_enrolment");
        assert_eq!((creche.abandoned, creche.in_progress), (0, 1), "{}", b.name);
        // Its count is gone with it, not left at zero.
        assert!(!r.abandonment.iter().any(|a| a.how == "idle"), "{}", b.name);
        // And leaves again, at the birth date.
        t.clock.advance(chrono::Duration::minutes(45));
        assert_eq!(t.app.service.record_idle_flows().await, 1);
        let r = b.store.stats_report(&day()).await.unwrap();
        assert_eq!(
            step(&r, "creche_enrolment", "child_birth_date").abandoned,
            1
        );
        assert_eq!(flow(&r, "creche_enrolment").abandoned, 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rolled_up_counts_survive_the_purge_of_the_records() {
    for b in backends::all().await {
        let t = app_on(&b).await;
        script(&t, &t).await;
        let before = b.store.stats_report(&day()).await.unwrap();
        // 91 days later, the retention purge runs.
        t.clock.advance(chrono::Duration::days(91));
        let purged = t.app.service.purge_expired().await.expect("the purge runs");
        assert_eq!(purged.conversations, 5, "{}", b.name);
        assert!(purged.stats_rows > 0);
        let after = b.store.stats_report(&day()).await.unwrap();
        assert_eq!(after, before, "{}: the counts are kept", b.name);
        // The messages themselves are gone.
        assert!(b
            .store
            .unmatched_messages(&day(), 10)
            .await
            .unwrap()
            .is_empty());
        // A second purge changes nothing.
        t.app.service.purge_expired().await.unwrap();
        assert_eq!(b.store.stats_report(&day()).await.unwrap(), before);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recording_can_be_turned_off() {
    let dir = TempDir::new("stats-off");
    let mut c = config(dir.path());
    c.stats.record = false;
    let t = TestApp::with_config(c, dir).await;
    let mut chat = Chat::open(&t, "fr").await;
    chat.say("je voudrais inscrire mon fils à la crèche").await;
    let r = t.app.service.store().stats_report(&day()).await.unwrap();
    assert_eq!(r.totals.conversations, 0);
    assert!(r.flows.is_empty());
    let _ = json!({});
}

/// `guichet stats` and `guichet suggest` on the store of a scripted day.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stats_and_suggest_commands_read_the_store() {
    let b = backends::sqlite().await;
    let t = app_on(&b).await;
    script(&t, &t).await;
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_guichet"))
            .args(args)
            .output()
            .expect("guichet runs");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let period = ["--from", "2026-03-10", "--to", "2026-03-10"];
    let mut args = vec!["stats", "--store", &b.url, "--format", "json"];
    args.extend(period);
    let report: StatsReport = serde_json::from_str(&run(&args)).expect("JSON");
    check(&report, "cli json");
    let mut args = vec!["stats", "--store", &b.url, "--format", "csv"];
    args.extend(period);
    let csv = run(&args);
    assert!(csv.starts_with(guichet::serve::stats::CSV_HEADER));
    assert!(
        csv.contains("flows,,,creche_enrolment,,,,,,started,3\n"),
        "{csv}"
    );
    assert!(csv.contains("handoffs,,,,,,,too_many_attempts,petite_enfance,count,1\n"));
    let mut args = vec!["stats", "--store", &b.url];
    args.extend(period);
    let table = run(&args);
    assert!(table.contains("conversations 5"), "{table}");
    assert!(table.contains("creche_enrolment"));

    let flows = crate::support::flows_dir();
    let flows = flows.to_str().unwrap();
    let suggest = run(&[
        "suggest",
        "--store",
        &b.url,
        flows,
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
    ]);
    assert!(suggest.contains("2 in 2 groups"), "{suggest}");
    assert!(suggest.contains("@test understood:"), "{suggest}");
    assert!(suggest.contains("> je voudrais un permis de pêche pour le lac"));
}

/// A suggestion for a message not understood is a trigger and a
/// conversation test: the test fails on the bot as it is, and passes once
/// the trigger is added to the flow's triggers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suggestion_makes_the_next_version_understand_the_message() {
    let b = backends::sqlite().await;
    let t = app_on(&b).await;
    let mut chat = Chat::open(&t, "fr").await;
    // Closest to the parking permit, a flow of the bot's own files.
    chat.say("je voudrais un permis de pêche pour le lac").await;
    let rows = b.store.unmatched_messages(&day(), 10).await.unwrap();
    let bot = t.app.service.bots().get();
    let groups = guichet::serve::stats::learn::group(&rows, Some(&bot));
    let s = groups[0].suggestion.clone().expect("a suggestion");
    // A copy of the bot, with the test.
    let dir = TempDir::new("suggest");
    let flows = crate::support::flows_dir();
    for entry in std::fs::read_dir(&flows).unwrap().flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
    }
    std::fs::create_dir_all(dir.path().join("tests")).unwrap();
    std::fs::write(
        dir.path().join("tests/suggested.test"),
        format!("@now 2026-03-10T10:00:00+01:00\n{}\n", s.test),
    )
    .unwrap();
    let test = |dir: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_guichet"))
            .arg("test")
            .arg(dir)
            .output()
            .unwrap()
            .status
            .success()
    };
    assert!(!test(dir.path()), "the bot as it is does not understand it");
    // The trigger goes into the flow's triggers, beside its own.
    let (lang, phrase) = s.trigger.split_once(": ").unwrap();
    let file = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            std::fs::read_to_string(p).is_ok_and(|t| t.contains(&format!("flow {}\n", s.flow)))
        })
        .unwrap_or_else(|| panic!("the flow {} is the bot's", s.flow));
    let text = std::fs::read_to_string(&file).unwrap();
    let at = text.find(&format!("flow {}\n", s.flow)).unwrap();
    let at = text[at..].find("  triggers\n").unwrap() + at;
    let own = text[at..].find(&format!("    {lang}: ")).unwrap() + at + 4 + lang.len() + 2;
    let edited = format!("{}{phrase}, {}", &text[..own], &text[own..]);
    std::fs::write(&file, edited).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_guichet"))
        .arg("test")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the next version understands it: {:?}\n{}{}",
        s,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = test;
}

//! Live events: replay after `Last-Event-ID` or `?after=`, then live, and
//! the stream ends when the server shuts down.

use crate::support::{Chat, Served, SseReader, TestApp};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stream_replays_what_was_missed_then_goes_on_live() {
    let t = TestApp::new().await;
    let mut chat = Chat::open(&t, "fr").await;
    chat.say("je voudrais une place en crèche").await;
    let served = Served::start(t.app.clone()).await;
    let client = reqwest::Client::new();
    let url = format!("{}/api/conversations/{}/stream", served.url, chat.id);

    // From the start, by `?token=` as an EventSource does.
    let r = client
        .get(format!("{url}?token={}", chat.token))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/event-stream");
    let mut all = SseReader::new(r);
    let (first, e) = all.next().await.unwrap();
    assert_eq!((first, e["type"].as_str()), (1, Some("user")));

    // From seq 3 on, by `Last-Event-ID`.
    let r = client
        .get(&url)
        .header("authorization", format!("Bearer {}", chat.token))
        .header("last-event-id", "3")
        .send()
        .await
        .unwrap();
    let mut resumed = SseReader::new(r);
    let (seq, _) = resumed.next().await.unwrap();
    assert_eq!(seq, 4);
    let history = chat.history(0).await;
    let last = history.events().last().unwrap()["seq"].as_i64().unwrap();
    let mut seen = seq;
    while seen < last {
        let (s, _) = resumed.next().await.unwrap();
        assert_eq!(s, seen + 1, "in order, none twice");
        seen = s;
    }

    // Live: a new turn arrives on both streams.
    let answer = chat.say("Tom").await;
    let mine = answer.events()[0]["seq"].as_i64().unwrap();
    let (s, e) = resumed.next().await.unwrap();
    assert_eq!((s, e["text"].as_str()), (mine, Some("Tom")));

    // A wrong token is refused before anything streams.
    let r = client
        .get(format!("{url}?token=nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = client.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 401);

    // Shutting down ends the open streams, so the server stops.
    tokio::time::timeout(std::time::Duration::from_secs(10), served.stop())
        .await
        .expect("open streams do not hold the shutdown");
    drop(all);
    let _ = json!({});
}

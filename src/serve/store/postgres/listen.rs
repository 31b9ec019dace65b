//! `LISTEN guichet_events` on a connection of its own: the events other
//! replicas commit, forwarded to this process's live streams. The
//! connection is made again after a failure.

use super::CHANNEL;
use futures_util::StreamExt;
use std::time::Duration;
use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use tokio_postgres::{AsyncMessage, NoTls};

pub(super) struct Listener {
    task: JoinHandle<()>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Listener {
    pub(super) fn start(
        config: tokio_postgres::Config,
        replica: String,
        out: broadcast::Sender<(String, i64)>,
    ) -> Listener {
        let task = tokio::spawn(async move {
            loop {
                if let Err(e) = listen(&config, &replica, &out).await {
                    tracing::warn!(error = %e, "the store's event listener stopped; reconnecting");
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
        Listener { task }
    }
}

async fn listen(
    config: &tokio_postgres::Config,
    replica: &str,
    out: &broadcast::Sender<(String, i64)>,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let pump = tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    if tx.send(n.payload().to_string()).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    });
    client.batch_execute(&format!("LISTEN {CHANNEL}")).await?;
    while let Some(payload) = rx.recv().await {
        let mut parts = payload.split(' ');
        let (Some(from), Some(id), Some(seq)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if from == replica {
            continue;
        }
        if let Ok(seq) = seq.parse::<i64>() {
            let _ = out.send((id.to_string(), seq));
        }
    }
    pump.abort();
    drop(client);
    Ok(())
}

//! The application's state: the conversation service and what the HTTP
//! layer adds (settings, rate limits, the shutdown signal). Built by
//! hand in tests, with a fixed clock and seeded randomness.

use super::actions::{hooks::HookPerformer, ActionRouter};
use super::clock::{Clock, Random};
use super::config::ServeConfig;
use super::conversation::{BotHolder, ConversationService, ServiceSettings};
use super::demo::DemoBackOffice;
use super::hub::Hub;
use super::ratelimit::RateLimiter;
use super::store::Store;
use crate::Bot;
use std::sync::Arc;
use tokio::sync::watch;

pub struct App {
    pub service: Arc<ConversationService>,
    pub config: ServeConfig,
    pub demo: Option<Arc<DemoBackOffice>>,
    pub per_ip: RateLimiter,
    shutdown: watch::Sender<bool>,
}

/// What an `App` is built from.
pub struct Parts {
    pub config: ServeConfig,
    pub bot: Bot,
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub random: Arc<dyn Random>,
    /// The address back offices call back and citizens open links at.
    pub public_url: String,
}

impl App {
    pub fn build(parts: Parts) -> Arc<App> {
        let Parts {
            config,
            bot,
            store,
            clock,
            random,
            public_url,
        } = parts;
        // Metrics recorded before the recorder exists would be lost.
        super::ops::prometheus();
        let bots = Arc::new(BotHolder::new(bot));
        let hub = Arc::new(Hub::default());
        let mut actions = ActionRouter::new();
        let demo = config.demo.then(|| {
            Arc::new(DemoBackOffice::new(
                store.clone(),
                clock.clone(),
                random.clone(),
                public_url.clone(),
            ))
        });
        if let Some(demo) = &demo {
            for name in DemoBackOffice::ACTIONS {
                actions.insert(name, demo.clone());
            }
        }
        if !config.hooks.is_empty() {
            let client = reqwest::Client::builder()
                .user_agent(concat!("guichet/", env!("CARGO_PKG_VERSION")))
                .build()
                .unwrap_or_default();
            for (name, hook) in &config.hooks {
                actions.insert(name, Arc::new(HookPerformer::new(client.clone(), hook)));
            }
        }
        for name in bot_actions(&bots.get()) {
            if !actions.knows(&name) {
                tracing::warn!(action = %name, "no hook performs this action: it will fail, and its flows take their failed branch");
            }
        }
        let service = Arc::new(ConversationService::new(
            store,
            bots,
            hub,
            clock,
            random,
            actions,
            ServiceSettings {
                text_chars: config.limits.text_chars,
                turn_wait: config.limits.turn_wait,
                public_url,
                per_conversation: RateLimiter::new(
                    config.limits.per_conversation_rate,
                    config.limits.per_conversation_burst,
                ),
            },
        ));
        let l = &config.limits;
        let per_ip = RateLimiter::new(l.per_ip_rate, l.per_ip_burst);
        let (shutdown, _) = watch::channel(false);
        Arc::new(App {
            service,
            config,
            demo,
            per_ip,
            shutdown,
        })
    }

    /// Ends the event streams (they would hold a graceful shutdown open).
    pub fn shut_down(&self) {
        let _ = self.shutdown.send(true);
    }

    pub fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }
}

fn bot_actions(bot: &Bot) -> Vec<String> {
    let mut names: Vec<String> = bot
        .program()
        .actions
        .keys()
        .map(|k| k.to_string())
        .collect();
    names.sort();
    names
}

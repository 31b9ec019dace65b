//! The application's state: the conversation service and what the HTTP
//! layer adds (settings, rate limits, the shutdown signal). Built by
//! hand in tests, with a fixed clock and seeded randomness.

use super::actions::{hooks::HookPerformer, ActionRouter};
use super::channels::messenger::{Graph, Messenger, MessengerPusher};
use super::clock::{Clock, Random};
use super::config::ServeConfig;
use super::conversation::handover::TICKETING;
use super::conversation::{BotHolder, ConversationService, HandoverSettings, ServiceSettings};
use super::demo::DemoBackOffice;
use super::hub::Hub;
use super::outbox::Outbox;
use super::ratelimit::RateLimiter;
use super::staff::config::is_local_http;
use super::staff::ticketing::TicketingPusher;
use super::staff::SignInLimits;
use super::store::Store;
use crate::Bot;
use std::sync::Arc;
use tokio::sync::watch;

pub struct App {
    pub service: Arc<ConversationService>,
    pub config: ServeConfig,
    pub demo: Option<Arc<DemoBackOffice>>,
    pub per_ip: RateLimiter,
    /// The Messenger channel, when a Page is connected.
    pub messenger: Option<Arc<Messenger>>,
    /// Delivers what channels that push and the ticketing hook are owed.
    pub outbox: Arc<Outbox>,
    /// Staff sign-in attempts.
    pub staff: SignInLimits,
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
            mut config,
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
        let client = reqwest::Client::builder()
            .user_agent(concat!("guichet/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        if !config.hooks.is_empty() {
            for (name, hook) in &config.hooks {
                actions.insert(name, Arc::new(HookPerformer::new(client.clone(), hook)));
            }
        }
        for name in bot_actions(&bots.get()) {
            if !actions.knows(&name) {
                tracing::warn!(action = %name, "no hook performs this action: it will fail, and its flows take their failed branch");
            }
        }
        // A session cookie goes without `Secure` only on this machine.
        if !config.staff.secure_cookie && !is_local_http(&public_url) {
            tracing::warn!(
                "staff.secure_cookie = false is for http://127.0.0.1 only: the cookie stays Secure"
            );
            config.staff.secure_cookie = true;
        }
        let handover = HandoverSettings {
            staff: Arc::new(config.staff.clone()),
            push_channels: config
                .messenger
                .iter()
                .map(|_| "messenger".to_string())
                .collect(),
            ticketing: config.staff.ticketing.is_some(),
            public_url: public_url.clone(),
        };
        let service = Arc::new(ConversationService::new(
            store.clone(),
            bots,
            hub,
            clock.clone(),
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
                handover,
                stats: config.stats.clone(),
            },
        ));
        let mut outbox = Outbox::new(store.clone(), clock.clone(), service.signals().clone());
        let messenger = config.messenger.as_ref().map(|m| {
            let graph = Arc::new(Graph::new(client.clone(), m));
            outbox.add(
                "messenger",
                Arc::new(MessengerPusher::new(
                    graph.clone(),
                    store.clone(),
                    clock.clone(),
                )),
            );
            Arc::new(Messenger::new(service.clone(), graph))
        });
        if let Some(hook) = &config.staff.ticketing {
            outbox.add(
                TICKETING,
                Arc::new(TicketingPusher::new(client.clone(), hook)),
            );
        }
        let staff = SignInLimits::new(&config.staff);
        let l = &config.limits;
        let per_ip = RateLimiter::new(l.per_ip_rate, l.per_ip_burst);
        let (shutdown, _) = watch::channel(false);
        Arc::new(App {
            service,
            config,
            demo,
            per_ip,
            messenger,
            outbox: Arc::new(outbox),
            staff,
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

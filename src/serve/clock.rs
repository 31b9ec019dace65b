//! The clock and the randomness the server uses, injected in its state so
//! that tests fix them.

use chrono::{DateTime, Local, NaiveDateTime, Utc};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// What time it is.
pub trait Clock: Send + Sync {
    /// The instant, for the store (expiry, ordering).
    fn now(&self) -> DateTime<Utc>;
    /// The commune's wall-clock time, which the bot reads ("tomorrow", opening hours).
    fn local(&self) -> NaiveDateTime;
    fn now_ms(&self) -> i64 {
        self.now().timestamp_millis()
    }
}

/// The system clock, in the machine's time zone.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    fn local(&self) -> NaiveDateTime {
        Local::now().naive_local()
    }
}

/// A clock that says what it is told: tests set and advance it.
pub struct FixedClock {
    at: Mutex<(DateTime<Utc>, NaiveDateTime)>,
}

impl FixedClock {
    /// `local` is the wall-clock time; the instant is read from it as UTC.
    pub fn new(local: NaiveDateTime) -> FixedClock {
        FixedClock {
            at: Mutex::new((local.and_utc(), local)),
        }
    }
    pub fn advance(&self, by: chrono::Duration) {
        let mut at = self.at.lock().unwrap_or_else(|e| e.into_inner());
        at.0 += by;
        at.1 += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.at.lock().unwrap_or_else(|e| e.into_inner()).0
    }
    fn local(&self) -> NaiveDateTime {
        self.at.lock().unwrap_or_else(|e| e.into_inner()).1
    }
}

/// Where ids, tokens and seeds come from.
pub trait Random: Send + Sync {
    fn fill(&self, buf: &mut [u8]);
    fn next_u64(&self) -> u64 {
        let mut b = [0u8; 8];
        self.fill(&mut b);
        u64::from_le_bytes(b)
    }
}

/// The operating system's randomness.
pub struct OsRandom;

impl Random for OsRandom {
    fn fill(&self, buf: &mut [u8]) {
        if getrandom::fill(buf).is_err() {
            // The OS source does not fail on the systems guichet runs on;
            // should it, a time- and counter-based fill keeps ids unique.
            static COUNTER: AtomicU64 = AtomicU64::new(0);
            let mut x = Utc::now().timestamp_nanos_opt().unwrap_or(0) as u64
                ^ COUNTER
                    .fetch_add(1, Ordering::Relaxed)
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15);
            for b in buf.iter_mut() {
                x = splitmix(&mut x);
                *b = x as u8;
            }
        }
    }
}

/// A deterministic generator for tests (splitmix64).
pub struct SeededRandom(AtomicU64);

impl SeededRandom {
    pub fn new(seed: u64) -> SeededRandom {
        SeededRandom(AtomicU64::new(seed))
    }
}

impl Random for SeededRandom {
    fn fill(&self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let mut state = self
                .0
                .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
                .wrapping_add(0x9E37_79B9_7F4A_7C15);
            let v = splitmix(&mut state).to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

fn splitmix(state: &mut u64) -> u64 {
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    *state = z ^ (z >> 31);
    *state
}

const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `bytes` random bytes written in base 62 (about 1.34 characters a byte).
pub fn random_text(random: &dyn Random, bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    random.fill(&mut buf);
    // Rejection-free: each 6 bits of entropy picks one of 62 letters with a
    // tiny bias; 22 letters from 16 bytes keep more than 128 bits.
    let mut out = String::with_capacity(bytes * 4 / 3 + 2);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for b in buf {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 6 {
            bits -= 6;
            let v = (acc >> bits) & 63;
            out.push(ALPHABET[(v % 62) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((acc << (6 - bits)) & 63) as usize % 62] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_randomness_repeats_and_texts_are_long_enough() {
        let a = random_text(&SeededRandom::new(7), 24);
        let b = random_text(&SeededRandom::new(7), 24);
        assert_eq!(a, b);
        assert_eq!(a.len(), 32);
        assert_ne!(a, random_text(&SeededRandom::new(8), 24));
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()));
    }
}

//! The fuzz targets' checks on stable: every file of the committed seed
//! corpus (`fuzz/corpus/<target>/`), then seeded pseudo-random mutations of
//! them, through the same functions the cargo-fuzz targets call
//! (`guichet::fuzz_checks`). A panic or a broken invariant fails the test
//! and names the input; add such an input to the corpus once fixed.
//!
//! `GUICHET_FUZZ_MUTATIONS=N` runs N mutations per target instead of the
//! default, and `GUICHET_FUZZ_SEED=S` starts from another seed (the default
//! is fixed, so a failure here is reproducible).

use guichet::fuzz_checks::{self, Subject};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

const EXTRACT_MUTATIONS: usize = 2_000;
const TURN_MUTATIONS: usize = 1_000;
const FLOW_MUTATIONS: usize = 150;
/// Mutations start from at most this much of a seed and are cut to
/// `MAX_LEN`: the long inputs are in the corpus already.
const WINDOW: usize = 128;
const MAX_LEN: usize = 512;

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let data = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (name, data)
        })
        .collect()
}

/// splitmix64: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Pieces worth splicing in: separators, signs, check-digit lookalikes,
/// multi-byte and invalid UTF-8 sequences.
const TOKENS: &[&[u8]] = &[
    b"/",
    b".",
    b"-",
    b" ",
    b"\n",
    b"@",
    b"+++",
    b"\xe2\x82\xac",
    b"BE68",
    b"BE",
    b"97",
    b"31/02",
    b"29/02/2023",
    b"0470",
    b"+32",
    b"00",
    b"h",
    b":",
    b",",
    b"'",
    b"le ",
    b"mai",
    b"demain",
    b"oui",
    b"nee",
    b"first",
    b"\xcc\x81",
    b"\xe2\x80\xae",
    b"\xe2\x80\x8b",
    b"\xc4\xb0",
    b"\xef\xac\x81",
    b"\xc3\x9f",
    b"\xf0\x9f\x91\xa8\xe2\x80\x8d",
    b"\xed\xa0\x80",
    b"\xff",
    b"\xc3",
    b"\x00",
    b"\xef\xbc\x91",
    b"\xd9\xa1",
    b"!ok {}",
    b"!fail x",
    b"@yes",
    b"9999999999999999999999999999",
];

fn mutate(rng: &mut Rng, seeds: &[(String, Vec<u8>)]) -> Vec<u8> {
    // A window of the seed: the long seeds run whole once, their mutations
    // stay short so that thousands of them run in a few seconds.
    let seed = &seeds[rng.below(seeds.len())].1;
    let start = if seed.len() > WINDOW {
        rng.below(seed.len() - WINDOW)
    } else {
        0
    };
    let mut data = seed[start..seed.len().min(start + WINDOW)].to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = data.len();
        let at = rng.below(len + 1);
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 => data.insert(at, rng.next() as u8),
            2 if len > 0 => {
                let end = (at + 1 + rng.below(16)).min(len);
                data.drain(at.min(end)..end);
            }
            3 if len > 0 => {
                let start = rng.below(len);
                let end = (start + 1 + rng.below(64)).min(len);
                let piece = data[start..end].to_vec();
                let to = rng.below(data.len() + 1);
                data.splice(to..to, piece);
            }
            4 => {
                let other = &seeds[rng.below(seeds.len())].1;
                if !other.is_empty() {
                    let start = rng.below(other.len());
                    let end = (start + 1 + rng.below(256)).min(other.len());
                    data.splice(at..at, other[start..end].iter().copied());
                }
            }
            5 | 6 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                data.splice(at..at, token.iter().copied());
            }
            7 => data.truncate(at),
            _ => data.push(b'0' + rng.below(10) as u8),
        }
    }
    data.truncate(MAX_LEN);
    data
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs `check` over the corpus and its mutations; returns the failures and
/// how many inputs ran.
fn run(target: &str, mutations: usize, check: impl Fn(&[u8]) -> Result<(), String>) {
    let seeds = corpus(target);
    assert!(
        seeds.len() >= 20,
        "fuzz/corpus/{target} has only {} files",
        seeds.len()
    );
    let mutations = setting("GUICHET_FUZZ_MUTATIONS", mutations as u64) as usize;
    let mut rng = Rng(setting("GUICHET_FUZZ_SEED", 0x6775_6963_6865_7421));
    let started = Instant::now();
    let mut failures = Vec::new();
    let inputs = seeds
        .iter()
        .map(|(name, data)| (name.clone(), data.clone()))
        .chain((0..mutations).map(|i| (format!("mutation {i}"), mutate(&mut rng, &seeds))));
    let mut count = 0usize;
    for (name, data) in inputs {
        count += 1;
        let outcome = catch_unwind(AssertUnwindSafe(|| check(&data)))
            .unwrap_or_else(|panic| Err(format!("panic: {}", panic_message(&*panic))));
        if let Err(e) = outcome {
            failures.push(format!(
                "{name}: {e}\n  input ({} bytes): {:?}",
                data.len(),
                String::from_utf8_lossy(&data[..data.len().min(400)])
            ));
        }
    }
    eprintln!(
        "{target}: {count} inputs ({} seeds, {mutations} mutations) in {:.1?}",
        seeds.len(),
        started.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} of {count} inputs broke an invariant:\n{}",
        failures.len(),
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_string())
}

fn sample_bot() -> &'static Subject {
    static BOT: OnceLock<Subject> = OnceLock::new();
    BOT.get_or_init(|| {
        Subject::from_path(&Path::new(env!("CARGO_MANIFEST_DIR")).join("flows"))
            .unwrap_or_else(|e| panic!("the sample bot does not load:\n{e}"))
    })
}

#[test]
fn extractors_survive_the_corpus_and_its_mutations() {
    run("extract", EXTRACT_MUTATIONS, fuzz_checks::check_extractors);
}

#[test]
fn turns_survive_the_corpus_and_its_mutations() {
    let bot = sample_bot();
    run("turn", TURN_MUTATIONS, |data| {
        fuzz_checks::check_turns(bot, data)
    });
}

#[test]
fn flows_survive_the_corpus_and_its_mutations() {
    run("flow", FLOW_MUTATIONS, fuzz_checks::check_flow);
}

#[test]
fn mutations_are_reproducible() {
    let seeds = corpus("extract");
    let a: Vec<Vec<u8>> = {
        let mut rng = Rng(7);
        (0..50).map(|_| mutate(&mut rng, &seeds)).collect()
    };
    let mut rng = Rng(7);
    let b: Vec<Vec<u8>> = (0..50).map(|_| mutate(&mut rng, &seeds)).collect();
    assert_eq!(a, b);
    assert!(a.iter().any(|m| !seeds.iter().any(|(_, s)| s == m)));
}

//! Typos: whether two words are one edit apart, and the keys that find a
//! vocabulary word one edit away from a message word without comparing it
//! with every word (trigger matching, choices).

/// Calls `f` with the hash of the word itself and of every way of deleting
/// one letter from it: two words within one edit share a key. Hashes rather
/// than strings, since a message word's keys are made on every message;
/// deleting either of two equal neighbours gives one key, given once.
pub(crate) fn for_each_deletion_key(chars: &[char], mut f: impl FnMut(u64)) {
    let hash = |skip: Option<usize>| {
        let mut h = rustc_hash::FxHasher::default();
        for (i, c) in chars.iter().enumerate() {
            if Some(i) != skip {
                std::hash::Hasher::write_u32(&mut h, u32::from(*c));
            }
        }
        std::hash::Hasher::finish(&h)
    };
    f(hash(None));
    for skip in 0..chars.len() {
        if skip > 0 && chars[skip] == chars[skip - 1] {
            continue;
        }
        f(hash(Some(skip)));
    }
}

/// One insertion, deletion, substitution or swap of neighbours (or none).
pub(crate) fn within_one_edit(a: &str, b: &str) -> bool {
    // One edit changes the length by one character, at most four bytes.
    if a.len().abs_diff(b.len()) > 4 {
        return false;
    }
    if a.is_ascii() && b.is_ascii() {
        return within_one_edit_of(a.as_bytes(), b.as_bytes());
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    within_one_edit_of(&a, &b)
}

fn within_one_edit_of<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match (ra.len(), rb.len()) {
        (0, 0) => true,
        (x, y) if x == y + 1 => ra[1..] == *rb,
        (x, y) if y == x + 1 => rb[1..] == *ra,
        (x, y) if x == y => {
            ra[1..] == rb[1..] || (x >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        _ => false,
    }
}

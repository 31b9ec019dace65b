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
        let (x, y) = (a.as_bytes(), b.as_bytes());
        if x.len().abs_diff(y.len()) > 1 {
            return false;
        }
        // One edit of a word of three letters or more leaves its first or
        // its last letter in place: most pairs are told apart here, before
        // any comparison of their middles.
        if let (Some(fa), Some(la), Some(fb), Some(lb)) = (x.first(), x.last(), y.first(), y.last())
        {
            if x.len().min(y.len()) >= 3 && fa != fb && la != lb {
                return false;
            }
        }
        return within_one_edit_of(x, y);
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Optimal string alignment distance (edits and swaps of neighbours).
    fn distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1)
                    .min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        d[a.len()][b.len()]
    }

    proptest! {
        #[test]
        fn one_edit_is_a_distance_of_at_most_one(a in "[abé]{0,6}", b in "[abé]{0,6}") {
            prop_assert_eq!(within_one_edit(&a, &b), distance(&a, &b) <= 1, "{} {}", a, b);
        }

        #[test]
        fn one_edit_of_a_word_is_found(word in "[a-e]{1,8}", at in 0usize..8, c in "[a-f]") {
            let at = at.min(word.len());
            let mut inserted = word.clone();
            inserted.insert_str(at, &c);
            prop_assert!(within_one_edit(&word, &inserted));
            prop_assert!(within_one_edit(&inserted, &word));
            let mut replaced = word.clone();
            if at < word.len() {
                replaced.replace_range(at..at + 1, &c);
                prop_assert!(within_one_edit(&word, &replaced));
            }
        }
    }
}

//! Runs of digit groups in folded text ("85.07.30-033.28", "123/4567/89002"),
//! shared by the extractors of fixed-length numbers. A citizen may group the
//! digits any way they like, so an extractor tries every window of whole
//! groups whose digit count fits, rather than one fixed layout.

use std::ops::Range;

/// Longest run considered: nobody types a 60-digit identifier, and capping
/// keeps the window search small on pasted junk.
const MAX_GROUPS: usize = 12;

/// Consecutive digit groups joined by short separators.
#[derive(Debug, Clone)]
pub struct Run {
    /// Folded byte ranges of the digit groups.
    pub groups: Vec<Range<usize>>,
}

/// A window of whole groups of a run.
#[derive(Debug, Clone)]
pub struct Window {
    pub folded: Range<usize>,
    pub digits: String,
    /// How many groups the digits were typed in.
    pub group_count: usize,
}

impl Run {
    pub fn span(&self) -> Range<usize> {
        match (self.groups.first(), self.groups.last()) {
            (Some(a), Some(b)) => a.start..b.end,
            _ => 0..0,
        }
    }

    pub fn digit_count(&self, text: &str) -> usize {
        self.groups
            .iter()
            .map(|g| digits_of(text, g.clone()).len())
            .sum()
    }

    /// Every window of whole groups holding exactly `len` digits, longest
    /// first so a run that is exactly the value wins over a piece of it.
    pub fn windows(&self, text: &str, len: usize) -> Vec<Window> {
        let mut found = Vec::new();
        for i in 0..self.groups.len() {
            let mut digits = String::new();
            for j in i..self.groups.len() {
                digits.push_str(digits_of(text, self.groups[j].clone()));
                if digits.len() == len {
                    found.push(Window {
                        folded: self.groups[i].start..self.groups[j].end,
                        digits: digits.clone(),
                        group_count: j - i + 1,
                    });
                }
                if digits.len() >= len {
                    break;
                }
            }
        }
        found
    }
}

fn digits_of(text: &str, range: Range<usize>) -> &str {
    text.get(range).unwrap_or("")
}

/// Finds the runs of ASCII digit groups separated by at most `max_sep`
/// bytes taken from `separators`. A group glued to a letter ("a123") is
/// still a group: "n°85073003328" is common.
pub fn runs(text: &str, separators: &[u8], max_sep: usize) -> Vec<Run> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut current: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            current.push(start..i);
            // Look ahead over a separator to the next group.
            let mut j = i;
            while j < bytes.len() && j - i < max_sep && separators.contains(&bytes[j]) {
                j += 1;
            }
            let continues =
                j > i && j < bytes.len() && bytes[j].is_ascii_digit() && current.len() < MAX_GROUPS;
            if continues {
                i = j;
            } else {
                runs.push(Run {
                    groups: std::mem::take(&mut current),
                });
            }
        } else {
            i += 1;
        }
    }
    if !current.is_empty() {
        runs.push(Run { groups: current });
    }
    runs
}

//! Positions as editors count them. Spans stay byte ranges everywhere in
//! guichet; an editor speaks of a line and a column in UTF-16 code units
//! (the Language Server Protocol's default, and JavaScript's strings), so
//! the conversion happens here, at the edge.

use serde::{Deserialize, Serialize};

/// A 0-based line and a 0-based column in UTF-16 code units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

/// A range between two positions, end excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

/// The position of a byte offset in `text` (clamped to the text, and to a
/// character boundary).
pub fn position(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position {
        line: before.matches('\n').count() as u32,
        character: before[line_start..].encode_utf16().count() as u32,
    }
}

/// The byte offset of a position in `text`: past the end of a line, its
/// end; past the last line, the end of the text.
pub fn offset(text: &str, pos: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..pos.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let mut units = 0;
    for (i, c) in text[line_start..line_end].char_indices() {
        if units >= pos.character {
            return line_start + i;
        }
        units += c.len_utf16() as u32;
    }
    line_end
}

/// The range of a byte range in `text`.
pub fn range(text: &str, start: usize, end: usize) -> Range {
    Range {
        start: position(text, start),
        end: position(text, end.max(start)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_utf16_units() {
        let text = "flow a\n  say \"é🏛️\" x\n";
        let x = text.rfind('x').unwrap();
        // `  say "` is 7, é is 1, 🏛 is 2, the variation selector 1, `" ` 2.
        assert_eq!(
            position(text, x),
            Position {
                line: 1,
                character: 13
            }
        );
        assert_eq!(
            offset(
                text,
                Position {
                    line: 1,
                    character: 13
                }
            ),
            x
        );
        assert_eq!(
            offset(
                text,
                Position {
                    line: 9,
                    character: 0
                }
            ),
            text.len()
        );
        assert_eq!(
            offset(
                text,
                Position {
                    line: 0,
                    character: 99
                }
            ),
            6
        );
    }

    #[test]
    fn every_boundary_goes_there_and_back() {
        let text = "a é\n🏛️ b\n\nc";
        for (i, _) in text.char_indices() {
            assert_eq!(offset(text, position(text, i)), i);
        }
    }
}

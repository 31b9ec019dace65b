//! Web addresses: the values a flow puts into a link are percent-encoded,
//! so that what a citizen typed can never change where a link goes.

/// Percent-encodes a value for any part of a web address (a path segment,
/// a query value, a fragment): ASCII letters, digits and `-._~` stay, every
/// other byte of its UTF-8 is written `%XX`. `/`, `?`, `&`, `=` and `#` are
/// encoded too, so the value stays one piece of the address.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    out
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Whether a value is a whole web address a link may point to as it is
/// (`https://...` or `http://...`), when it opens a link's address.
pub fn is_web_address(value: &str) -> bool {
    let lower = value.get(..8).unwrap_or(value).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_cannot_leave_their_part_of_the_address() {
        assert_eq!(
            percent_encode("x&redirect=https://evil.example#"),
            "x%26redirect%3Dhttps%3A%2F%2Fevil.example%23"
        );
        assert_eq!(
            percent_encode("rue de l'Église 3"),
            "rue%20de%20l%27%C3%89glise%203"
        );
        assert_eq!(percent_encode("a-b_c.d~e"), "a-b_c.d~e");
    }

    #[test]
    fn only_plain_web_addresses_are_taken_whole() {
        assert!(is_web_address("https://pay.example/abc?x=1"));
        assert!(is_web_address("HTTP://example.be"));
        assert!(!is_web_address("javascript:alert(1)"));
        assert!(!is_web_address("https://a b"));
        assert!(!is_web_address("é"));
    }
}

//! Placeholder with the agreed API; replaced by the real check digits.
pub fn mod97(digits: &str) -> Option<u32> {
    let mut r = 0u32;
    for c in digits.chars() {
        r = (r * 10 + c.to_digit(10)?) % 97;
    }
    Some(r)
}
pub fn structured_communication_valid(_d: &str) -> bool {
    false
}
pub fn structured_communication_from(base: u64) -> String {
    let b = base % 10_000_000_000;
    let c = match (b % 97) as u32 {
        0 => 97,
        r => r,
    };
    let s = format!("{b:010}{c:02}");
    format!("+++{}/{}/{}+++", &s[..3], &s[3..7], &s[7..])
}
pub fn format_structured_communication(_d: &str) -> Option<String> {
    None
}
pub fn iban_valid(_i: &str) -> bool {
    false
}
pub fn national_number_valid(_d: &str) -> bool {
    false
}
pub fn national_number_birth_date(_d: &str) -> Option<chrono::NaiveDate> {
    None
}

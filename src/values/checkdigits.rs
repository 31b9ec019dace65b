//! Check digits of the identifiers Belgian procedures ask for: the
//! structured communication (OGM/VCS) of a transfer, the IBAN, and the
//! national register (NISS/INSZ) and BIS numbers.
//!
//! All of them are MOD 97 schemes over decimal strings that do not fit in
//! any integer type, so the remainder is computed digit by digit.

use chrono::NaiveDate;

/// The remainder modulo 97 of a decimal digit string of any length, or
/// `None` when the string is empty or holds anything but ASCII digits.
pub fn mod97(digits: &str) -> Option<u32> {
    if digits.is_empty() {
        return None;
    }
    let mut rest = 0u32;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        rest = (rest * 10 + u32::from(b - b'0')) % 97;
    }
    Some(rest)
}

/// The two check digits of a structured communication or Belgian account
/// number: the base mod 97, with 0 written as 97.
fn mod97_check_or_97(base: &str) -> Option<u32> {
    mod97(base).map(|r| if r == 0 { 97 } else { r })
}

fn all_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

/// Whether 12 digits form a structured communication: the last two are the
/// first ten mod 97, with 0 written as 97.
pub fn structured_communication_valid(digits12: &str) -> bool {
    if !all_digits(digits12, 12) {
        return false;
    }
    let (base, check) = digits12.split_at(10);
    match (mod97_check_or_97(base), check.parse::<u32>()) {
        (Some(expected), Ok(check)) => expected == check,
        _ => false,
    }
}

/// Builds the structured communication of a 10-digit base (taken mod 10^10),
/// in its paper form `+++ddd/dddd/ddddd+++`.
pub fn structured_communication_from(base: u64) -> String {
    let base = format!("{:010}", base % 10_000_000_000);
    let check = mod97_check_or_97(&base).unwrap_or(97);
    let digits = format!("{base}{check:02}");
    paper_form(&digits)
}

fn paper_form(digits12: &str) -> String {
    format!(
        "+++{}/{}/{}+++",
        &digits12[..3],
        &digits12[3..7],
        &digits12[7..12]
    )
}

/// The paper form `+++ddd/dddd/ddddd+++` of 12 digits, whatever their check.
pub fn format_structured_communication(digits12: &str) -> Option<String> {
    all_digits(digits12, 12).then(|| paper_form(digits12))
}

/// A BBAN position class of the IBAN registry: digits, upper-case letters,
/// or either.
#[derive(Clone, Copy)]
enum Class {
    N,
    A,
    C,
}

/// The BBAN structure of every country of the SWIFT IBAN registry, as
/// (count, class) runs. The IBAN length is 4 plus the sum of the counts.
const IBAN_STRUCTURES: &[(&str, &[(u8, Class)])] = {
    use Class::*;
    &[
        ("AD", &[(8, N), (12, C)]),
        ("AE", &[(3, N), (16, N)]),
        ("AL", &[(8, N), (16, C)]),
        ("AT", &[(16, N)]),
        ("AZ", &[(4, A), (20, C)]),
        ("BA", &[(16, N)]),
        ("BE", &[(12, N)]),
        ("BG", &[(4, A), (6, N), (8, C)]),
        ("BH", &[(4, A), (14, C)]),
        ("BI", &[(23, N)]),
        ("BR", &[(23, N), (1, A), (1, C)]),
        ("BY", &[(4, C), (4, N), (16, C)]),
        ("CH", &[(5, N), (12, C)]),
        ("CR", &[(18, N)]),
        ("CY", &[(8, N), (16, C)]),
        ("CZ", &[(20, N)]),
        ("DE", &[(18, N)]),
        ("DJ", &[(23, N)]),
        ("DK", &[(14, N)]),
        ("DO", &[(4, C), (20, N)]),
        ("EE", &[(16, N)]),
        ("EG", &[(25, N)]),
        ("ES", &[(20, N)]),
        ("FI", &[(14, N)]),
        ("FK", &[(2, A), (12, N)]),
        ("FO", &[(14, N)]),
        ("FR", &[(10, N), (11, C), (2, N)]),
        ("GB", &[(4, A), (14, N)]),
        ("GE", &[(2, A), (16, N)]),
        ("GI", &[(4, A), (15, C)]),
        ("GL", &[(14, N)]),
        ("GR", &[(7, N), (16, C)]),
        ("GT", &[(4, C), (20, C)]),
        ("HR", &[(17, N)]),
        ("HU", &[(24, N)]),
        ("IE", &[(4, A), (14, N)]),
        ("IL", &[(19, N)]),
        ("IQ", &[(4, A), (15, N)]),
        ("IS", &[(22, N)]),
        ("IT", &[(1, A), (10, N), (12, C)]),
        ("JO", &[(4, A), (4, N), (18, C)]),
        ("KW", &[(4, A), (22, C)]),
        ("KZ", &[(3, N), (13, C)]),
        ("LB", &[(4, N), (20, C)]),
        ("LC", &[(4, A), (24, C)]),
        ("LI", &[(5, N), (12, C)]),
        ("LT", &[(16, N)]),
        ("LU", &[(3, N), (13, C)]),
        ("LV", &[(4, A), (13, C)]),
        ("LY", &[(21, N)]),
        ("MC", &[(10, N), (11, C), (2, N)]),
        ("MD", &[(2, C), (18, C)]),
        ("ME", &[(18, N)]),
        ("MK", &[(3, N), (10, C), (2, N)]),
        ("MN", &[(16, N)]),
        ("MR", &[(23, N)]),
        ("MT", &[(4, A), (5, N), (18, C)]),
        ("MU", &[(4, A), (19, N), (3, A)]),
        ("NI", &[(4, A), (20, N)]),
        ("NL", &[(4, A), (10, N)]),
        ("NO", &[(11, N)]),
        ("OM", &[(3, N), (16, C)]),
        ("PK", &[(4, A), (16, C)]),
        ("PL", &[(24, N)]),
        ("PS", &[(4, A), (21, C)]),
        ("PT", &[(21, N)]),
        ("QA", &[(4, A), (21, C)]),
        ("RO", &[(4, A), (16, C)]),
        ("RS", &[(18, N)]),
        ("RU", &[(14, N), (15, C)]),
        ("SA", &[(2, N), (18, C)]),
        ("SC", &[(4, A), (20, N), (3, A)]),
        ("SD", &[(14, N)]),
        ("SE", &[(20, N)]),
        ("SI", &[(15, N)]),
        ("SK", &[(20, N)]),
        ("SM", &[(1, A), (10, N), (12, C)]),
        ("SO", &[(19, N)]),
        ("ST", &[(21, N)]),
        ("SV", &[(4, A), (20, N)]),
        ("TL", &[(19, N)]),
        ("TN", &[(20, N)]),
        ("TR", &[(5, N), (1, N), (16, C)]),
        ("UA", &[(6, N), (19, C)]),
        ("VA", &[(18, N)]),
        ("VG", &[(4, A), (16, N)]),
        ("XK", &[(16, N)]),
        ("YE", &[(4, A), (4, N), (18, C)]),
    ]
};

fn iban_structure(country: &str) -> Option<&'static [(u8, Class)]> {
    IBAN_STRUCTURES
        .iter()
        .find(|(cc, _)| *cc == country)
        .map(|(_, s)| *s)
}

/// The full length of an IBAN of that country (two upper-case letters), if
/// the country issues IBANs.
pub fn iban_length(country: &str) -> Option<usize> {
    iban_structure(country).map(|s| 4 + s.iter().map(|(n, _)| usize::from(*n)).sum::<usize>())
}

/// Whether the character at `position` of a country's BBAN may be `c`
/// (upper case), so an extractor stops where the account number must end.
pub fn iban_bban_accepts(country: &str, position: usize, c: u8) -> bool {
    let Some(structure) = iban_structure(country) else {
        return false;
    };
    let mut at = 0usize;
    for &(count, class) in structure {
        let count = usize::from(count);
        if position < at + count {
            return match class {
                Class::N => c.is_ascii_digit(),
                Class::A => c.is_ascii_uppercase(),
                Class::C => c.is_ascii_digit() || c.is_ascii_uppercase(),
            };
        }
        at += count;
    }
    false
}

fn bban_matches(bban: &[u8], structure: &[(u8, Class)]) -> bool {
    let mut at = 0usize;
    for &(count, class) in structure {
        for _ in 0..count {
            let Some(&b) = bban.get(at) else {
                return false;
            };
            let ok = match class {
                Class::N => b.is_ascii_digit(),
                Class::A => b.is_ascii_uppercase(),
                Class::C => b.is_ascii_digit() || b.is_ascii_uppercase(),
            };
            if !ok {
                return false;
            }
            at += 1;
        }
    }
    at == bban.len()
}

/// ISO 7064 MOD 97-10 over an IBAN: the first four characters moved to the
/// end, letters read as 10..35.
fn iban_mod97(iban: &[u8]) -> Option<u32> {
    let mut rest = 0u32;
    for &b in iban.iter().skip(4).chain(iban.iter().take(4)) {
        let v = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            b'A'..=b'Z' => u32::from(b - b'A') + 10,
            _ => return None,
        };
        rest = if v >= 10 {
            (rest * 100 + v) % 97
        } else {
            (rest * 10 + v) % 97
        };
    }
    Some(rest)
}

/// The Belgian BBAN (the old `3-7-2` account number) carries its own check:
/// the last two digits are the first ten mod 97, 0 written as 97.
fn belgian_bban_valid(bban: &str) -> bool {
    structured_communication_valid(bban)
}

/// The Spanish BBAN (CCC) has two check digits: one over the bank and
/// branch (prefixed with 00), one over the account number, both with the
/// weights 1, 2, 4, 8, 5, 10, 9, 7, 3, 6 mod 11.
fn spanish_bban_valid(bban: &[u8]) -> bool {
    const WEIGHTS: [u32; 10] = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
    fn check(digits: &[u8]) -> u32 {
        let sum: u32 = digits
            .iter()
            .zip(WEIGHTS)
            .map(|(d, w)| u32::from(d.wrapping_sub(b'0')) * w)
            .sum();
        match 11 - sum % 11 {
            11 => 0,
            10 => 1,
            c => c,
        }
    }
    if bban.len() != 20 {
        return false;
    }
    let mut bank_branch = vec![b'0', b'0'];
    bank_branch.extend_from_slice(&bban[..8]);
    let first = u32::from(bban[8].wrapping_sub(b'0'));
    let second = u32::from(bban[9].wrapping_sub(b'0'));
    check(&bank_branch) == first && check(&bban[10..]) == second
}

/// Whether a compact IBAN (spaces allowed, any case) is valid: a known
/// country, its length and BBAN structure, MOD 97-10 equal to 1, and the
/// national check digits where the BBAN has them (Belgium, Spain).
pub fn iban_valid(iban: &str) -> bool {
    let compact: String = iban
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let bytes = compact.as_bytes();
    if bytes.len() < 5 || !compact.is_ascii() {
        return false;
    }
    let Some(structure) = iban_structure(&compact[..2]) else {
        return false;
    };
    let check_digits = &compact[2..4];
    if !all_digits(check_digits, 2) || matches!(check_digits, "00" | "01" | "99") {
        return false;
    }
    let bban = &compact[4..];
    if !bban_matches(bban.as_bytes(), structure) || iban_mod97(bytes) != Some(1) {
        return false;
    }
    match &compact[..2] {
        "BE" => belgian_bban_valid(bban),
        "ES" => spanish_bban_valid(bban.as_bytes()),
        _ => true,
    }
}

/// Which register issued an 11-digit Belgian person number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonNumberKind {
    /// National register number (NISS/INSZ, rijksregisternummer).
    NationalRegister,
    /// BIS number (Crossroads Bank for Social Security): month + 20 or + 40.
    Bis,
}

/// The century of a person number whose check digits match: 97 minus the
/// first nine digits mod 97, with a leading `2` for people born from 2000.
fn person_number_century(digits11: &str) -> Option<i32> {
    if !all_digits(digits11, 11) {
        return None;
    }
    let (base, check) = digits11.split_at(9);
    let check: u32 = check.parse().ok()?;
    if 97 - mod97(base)? == check {
        Some(1900)
    } else if 97 - mod97(&format!("2{base}"))? == check {
        Some(2000)
    } else {
        None
    }
}

/// What an 11-digit person number says about its holder's birth: the year,
/// month and day, each possibly unknown (the registers write 00 for unknown
/// parts, `000001` for an entirely unknown date, and let the day run past the
/// month's end when the day counter ran out).
type BirthParts = (Option<i32>, Option<u32>, Option<u32>);

fn birth_parts(digits11: &str, kind: PersonNumberKind) -> Option<BirthParts> {
    let century = person_number_century(digits11)?;
    let year: i32 = digits11.get(..2)?.parse().ok()?;
    let mut month: u32 = digits11.get(2..4)?.parse().ok()?;
    let day: u32 = digits11.get(4..6)?.parse().ok()?;
    if kind == PersonNumberKind::Bis {
        month = match month {
            20..=32 => month - 20,
            40..=52 => month - 40,
            _ => return None,
        };
    }
    if year == 0 && month == 0 && day == 1 {
        return Some((None, None, None));
    }
    let year = century + year;
    if month == 0 {
        return Some((Some(year), None, None));
    }
    if month > 12 {
        return None;
    }
    let day = NaiveDate::from_ymd_opt(year, month, day).map(|_| day);
    Some((Some(year), Some(month), day))
}

/// Which kind of person number 11 digits are, when they are a valid one.
pub fn person_number_kind(digits11: &str) -> Option<PersonNumberKind> {
    [PersonNumberKind::NationalRegister, PersonNumberKind::Bis]
        .into_iter()
        .find(|&kind| birth_parts(digits11, kind).is_some())
}

/// Whether 11 digits are a valid national register number (not BIS).
pub fn national_register_number_valid(digits11: &str) -> bool {
    birth_parts(digits11, PersonNumberKind::NationalRegister).is_some()
}

/// Whether 11 digits are a valid BIS number.
pub fn bis_number_valid(digits11: &str) -> bool {
    birth_parts(digits11, PersonNumberKind::Bis).is_some()
}

/// Whether 11 digits are a valid Belgian social security number: a
/// national register number or a BIS number, born in either century.
pub fn national_number_valid(digits11: &str) -> bool {
    person_number_kind(digits11).is_some()
}

/// The birth date a valid person number encodes, when it is fully known.
pub fn national_number_birth_date(digits11: &str) -> Option<NaiveDate> {
    let kind = person_number_kind(digits11)?;
    match birth_parts(digits11, kind)? {
        (Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y, m, d),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn mod97_of_long_strings() {
        assert_eq!(mod97("1234567890"), Some(2));
        assert!(mod97(&"9".repeat(5000)).is_some());
        assert_eq!(mod97("97"), Some(0));
        assert_eq!(mod97("12a"), None);
        assert_eq!(mod97(""), None);
    }

    #[test]
    fn structured_communications() {
        assert!(structured_communication_valid("123456789002"));
        assert!(structured_communication_valid("010806817183"));
        assert!(!structured_communication_valid("010806817180"));
        assert!(structured_communication_valid("000000009797"));
        assert!(!structured_communication_valid("12345678900"));
        assert_eq!(
            structured_communication_from(1234567890),
            "+++123/4567/89002+++"
        );
        assert_eq!(structured_communication_from(0), "+++000/0000/00097+++");
        assert_eq!(
            structured_communication_from(u64::MAX),
            format_structured_communication(&{
                let base = format!("{:010}", u64::MAX % 10_000_000_000);
                let c = mod97(&base).unwrap();
                format!("{base}{:02}", if c == 0 { 97 } else { c })
            })
            .unwrap()
        );
        assert_eq!(
            format_structured_communication("010806817183").as_deref(),
            Some("+++010/8068/17183+++")
        );
        assert_eq!(format_structured_communication("0108"), None);
    }

    #[test]
    fn ibans() {
        assert!(iban_valid("BE68539007547034"));
        assert!(iban_valid("be68 5390 0754 7034"));
        assert!(iban_valid("BE72000000001616"));
        assert!(iban_valid("BE71096123456769"));
        assert!(!iban_valid("BE68539007547035"));
        assert!(iban_valid("GR16 0110 1050 0000 1054 7023 795"));
        assert!(iban_valid("NL91ABNA0417164300"));
        assert!(iban_valid("DE89370400440532013000"));
        assert!(iban_valid("FR1420041010050500013M02606"));
        // Right MOD 97-10 but wrong Belgian BBAN check digits.
        assert!(!iban_valid("BE41091811735141"));
        assert!(!iban_valid("XX431234"));
        assert!(!iban_valid("BE36 5390 0754 7034 1234"));
        assert!(!iban_valid("ES2121000418450200051331"));
        assert!(iban_valid("ES9121000418450200051332"));
        assert!(!iban_valid("é"));
    }

    #[test]
    fn person_numbers() {
        for ok in [
            "85073003328",
            "17073003384",
            "93051822361",
            "00012556777",
            "98472899765",
        ] {
            assert!(national_number_valid(ok), "{ok}");
        }
        assert!(!national_number_valid("12345678901"));
        assert!(!national_number_valid("85133000105"));
        assert!(national_register_number_valid("00000100195"));
        assert!(!bis_number_valid("00000100195"));
        assert!(bis_number_valid("00400100184"));
        assert!(!national_register_number_valid("00400100184"));
        assert_eq!(
            national_number_birth_date("85073003328"),
            NaiveDate::from_ymd_opt(1985, 7, 30)
        );
        assert_eq!(
            national_number_birth_date("17073003384"),
            NaiveDate::from_ymd_opt(2017, 7, 30)
        );
        assert_eq!(
            national_number_birth_date("01490700185"),
            NaiveDate::from_ymd_opt(2001, 9, 7)
        );
        assert_eq!(national_number_birth_date("85073500107"), None);
        assert_eq!(national_number_birth_date("00000100166"), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn never_panics(s in "\\PC{0,40}", n in any::<u64>()) {
            let _ = mod97(&s);
            let _ = structured_communication_valid(&s);
            let _ = format_structured_communication(&s);
            let _ = iban_valid(&s);
            let _ = national_number_valid(&s);
            let _ = national_number_birth_date(&s);
            let sc = structured_communication_from(n);
            let digits: String = sc.chars().filter(|c| c.is_ascii_digit()).collect();
            prop_assert!(structured_communication_valid(&digits));
        }
    }
}

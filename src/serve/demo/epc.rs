//! The EPC069-12 "SEPA credit transfer" QR code that banking apps scan.
//!
//! Version 002 (BIC optional in the EEA), UTF-8, error correction M. The
//! Belgian structured communication goes, as its 12 digits, in the
//! structured remittance line (10), which the Belgian banking apps read;
//! the unstructured line (11) stays empty, as the standard wants one or
//! the other.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

pub struct Transfer<'a> {
    pub beneficiary: &'a str,
    pub iban: &'a str,
    /// A decimal amount in euros, `15.00`.
    pub amount: &'a str,
    /// `+++ddd/dddd/ddddd+++`
    pub communication: &'a str,
}

/// The payload's text, lines separated by LF, trailing empty lines left out.
pub fn payload(t: &Transfer<'_>) -> String {
    let digits: String = t
        .communication
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let name: String = t.beneficiary.chars().take(70).collect();
    let iban: String = t.iban.chars().filter(|c| !c.is_whitespace()).collect();
    format!(
        "BCD\n002\n1\nSCT\n\n{name}\n{iban}\nEUR{}\n\n{digits}",
        t.amount.trim()
    )
}

/// The QR code as an SVG image.
pub fn svg(t: &Transfer<'_>) -> Option<String> {
    let code = QrCode::with_error_correction_level(payload(t).as_bytes(), EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_follows_epc069_12() {
        let t = Transfer {
            beneficiary: "Commune de Bruyères",
            iban: "BE68 5390 0754 7034",
            amount: "15.00",
            communication: "+++123/4567/89002+++",
        };
        let p = payload(&t);
        assert_eq!(
            p.as_bytes(),
            "BCD\n002\n1\nSCT\n\nCommune de Bruyères\nBE68539007547034\nEUR15.00\n\n123456789002"
                .as_bytes()
        );
        // UTF-8 (character set 1): "è" is two bytes; the payload stays far
        // under the 331 bytes the standard allows.
        assert_eq!(p.len(), 75);
        let image = svg(&t).unwrap();
        assert!(image.starts_with("<?xml") && image.contains("<svg"));
    }
}

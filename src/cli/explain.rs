//! `guichet explain [CODE]`.

use guichet::check::explain::{codes, explain, EXPLANATIONS};
use guichet::diagnostics::did_you_mean;
use std::process::ExitCode;

pub fn run(code: Option<&str>) -> ExitCode {
    let Some(code) = code else {
        let width = codes().map(str::len).max().unwrap_or(0);
        for e in EXPLANATIONS {
            outln!("{:width$}  {:<16}  {}", e.code, e.severity, e.summary);
        }
        return ExitCode::SUCCESS;
    };
    // Codes are printed in lower case; people copy them from anywhere.
    let wanted = code.trim().to_lowercase();
    match explain(&wanted) {
        Some(e) => {
            out!("{}", e.render());
            ExitCode::SUCCESS
        }
        None => {
            let hint = match did_you_mean(&wanted, codes()) {
                Some(close) => format!(" Did you mean `{close}`?"),
                None => String::new(),
            };
            eprintln!(
                "error: `{code}` is not a guichet diagnostic code.{hint} `guichet explain` lists them all."
            );
            ExitCode::from(1)
        }
    }
}

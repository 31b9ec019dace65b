//! `guichet graph PATH [--flow NAME] --format mermaid|dot`.

use guichet::graph::{graph, Format};
use guichet::Bot;
use std::path::Path;
use std::process::ExitCode;

pub fn run(path: &Path, flow: Option<&str>, format: &str) -> ExitCode {
    let format: Format = match format.parse() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let bot = match Bot::from_path(path) {
        Ok(bot) => bot,
        Err(e) => {
            // The diagram would be of a bot that does not run: show why instead.
            eprint!("{e}");
            eprintln!(
                "{}: fix the errors above (`guichet check`) before drawing the bot",
                path.display()
            );
            return ExitCode::from(1);
        }
    };
    match graph(bot.program(), flow, format) {
        Ok(text) => {
            out!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

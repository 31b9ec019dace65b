//! The `guichet` command.
#![forbid(unsafe_code)]

mod cli;
mod repl;

fn main() -> std::process::ExitCode {
    cli::main()
}

//! The `teczka` binary: see `teczka --help`.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    teczka::cli::main(std::env::args().skip(1).collect()).await
}

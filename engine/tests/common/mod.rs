//! What the tests of the `uma` binary share.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `uma` with `args`, feeding `stdin`.
pub fn uma(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_uma"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("uma runs");
    // A command that fails before reading its input closes the pipe; that is fine.
    let _ = child.stdin.take().expect("piped").write_all(stdin.as_bytes());
    child.wait_with_output().expect("uma finishes")
}

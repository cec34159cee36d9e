//! Project automation, run as `cargo xtask <command>` from anywhere in the workspace.
//!
//! - `cargo xtask serve [--port N]`: installs what is missing, then serves the release
//!   build of the web app with `trunk serve --offline` on localhost.
//! - `cargo xtask structure`: checks that the engine's and the web crate's modules import
//!   in one direction (no loop, no import from an ancestor module).
//! - `cargo xtask fuzz [--cases N] [--seconds S] [--seed K]`: the fuzz harness (`fuzz/`):
//!   mutated scenarios, markets and CSV files through the engine, in-process.
//! - `cargo xtask test`: installs what is missing, then runs formatting, clippy, the engine
//!   purity check, the structure check (imports in one direction), the native tests, the wasm tests in headless Chromium, a release Trunk
//!   build and an end-to-end check of it in Chromium, the cross-check of the simulator
//!   against bt (when Python is available), and ends with the test runners' summary lines.
//!
//! Every install step checks first and skips what is already there, so a warm run only
//! checks versions. Nothing is downloaded but packages from crates.io, npm and Debian.

use std::env;
use std::ffi::OsString;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

mod structure;

/// Trunk's version: 0.22 needs a newer rustc than this project's toolchain.
const TRUNK_VERSION: &str = "0.21.14";
/// binaryen's wasm-opt, from the npm package pinned in package.json.
const WASM_OPT_VERSION: &str = "version 132";
/// Crates the engine must never depend on: it stays pure and web-free.
const WEB_CRATES: [&str; 5] = ["leptos", "web-sys", "wasm-bindgen", "js-sys", "serde-wasm-bindgen"];

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("test") => test(),
        Some("structure") => check_structure(),
        Some("fuzz") => fuzz(&args[1..], &mut Vec::new()),
        _ => {
            eprintln!("usage: cargo xtask serve [--port N]   serve the web app on localhost");
            eprintln!("       cargo xtask test                  run every check and test");
            eprintln!("       cargo xtask structure             check the direction of imports");
            eprintln!(
                "       cargo xtask fuzz [--cases N] [--seconds S] [--seed K]   mutate inputs through the engine"
            );
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate's directory).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// PATH with cargo's bin directory and the npm tools in front.
fn tool_path() -> OsString {
    let mut dirs = vec![root().join("node_modules").join(".bin")];
    if let Some(home) = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
    {
        dirs.push(home.join("bin"));
    }
    dirs.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
    env::join_paths(dirs).unwrap_or_default()
}

fn command(program: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir(root()).env("PATH", tool_path());
    cmd
}

/// The first line a command prints, or None when it cannot run.
fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let out = command(program, args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Runs a command, streaming its output; fails with `what` when it fails.
fn run(what: &str, program: &str, args: &[&str]) -> Result {
    println!("\n==> {what}: {program} {}", args.join(" "));
    let status = command(program, args).status().map_err(|e| format!("{what}: cannot run {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// Runs a command, streaming its output (stdout and stderr merged) and keeping the test
/// runners' summary lines. A line reporting a panic fails the run even when every test
/// passed: the web app must not panic in the tests.
fn run_collecting(what: &str, mut cmd: Command, summaries: &mut Vec<String>) -> Result {
    println!("\n==> {what}");
    let (reader, writer) = std::io::pipe().map_err(|e| e.to_string())?;
    let writer_err = writer.try_clone().map_err(|e| e.to_string())?;
    let mut child = cmd.stdout(writer).stderr(writer_err).spawn().map_err(|e| format!("{what}: {e}"))?;
    // Drop the command, which holds the pipe's write ends, so reading ends with the child.
    drop(cmd);
    let mut stdout = std::io::stdout();
    let mut panics = 0;
    for line in BufReader::new(reader).lines() {
        let line = line.unwrap_or_default();
        let _ = writeln!(stdout, "{line}");
        if line.starts_with("test result:") {
            summaries.push(format!("{what}: {line}"));
        }
        if line.contains("panicked at") {
            panics += 1;
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        Err(format!("{what} failed ({status})"))
    } else if panics > 0 && what.contains("browser") {
        Err(format!("{what}: {panics} panics were reported although the tests passed"))
    } else {
        Ok(())
    }
}

fn is_root() -> bool {
    output_of("id", &["-u"]).as_deref() == Some("0")
}

/// The wasm-bindgen version locked in Cargo.lock: the CLI must match it exactly.
fn locked_wasm_bindgen() -> Result<String> {
    let lock = fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(version.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}

/// Installs what building and serving the web app needs, skipping what is there.
fn ensure_build_tools() -> Result {
    let targets = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets.lines().any(|t| t == "wasm32-unknown-unknown") {
        run("add the wasm32 target", "rustup", &["target", "add", "wasm32-unknown-unknown"])?;
    }
    let trunk = output_of("trunk", &["--version"]).unwrap_or_default();
    if trunk != format!("trunk {TRUNK_VERSION}") {
        run("install trunk (about 9 minutes)", "cargo", &["install", &format!("trunk@{TRUNK_VERSION}"), "--locked"])?;
    }
    let wanted = locked_wasm_bindgen()?;
    let bindgen = output_of("wasm-bindgen", &["--version"]).unwrap_or_default();
    let runner = output_of("wasm-bindgen-test-runner", &["--version"]).unwrap_or_default();
    if bindgen != format!("wasm-bindgen {wanted}") || !runner.contains(&wanted) {
        // `--locked` fails for 0.2.130 (a locked dependency is gone from the registry).
        run(
            "install wasm-bindgen-cli (about 3 minutes)",
            "cargo",
            &["install", &format!("wasm-bindgen-cli@{wanted}"), "--force"],
        )?;
    }
    let wasm_opt = output_of("wasm-opt", &["--version"]).unwrap_or_default();
    let modules = root().join("node_modules");
    let present = ["playwright-core", "axe-core"].iter().all(|p| modules.join(p).join("package.json").exists());
    if !wasm_opt.contains(WASM_OPT_VERSION) || !present {
        run(
            "install wasm-opt (binaryen), playwright-core and axe-core from npm",
            "npm",
            &["ci", "--no-audit", "--no-fund"],
        )?;
    }
    Ok(())
}

/// Installs Chromium and ChromeDriver for the browser tests (Debian packages, as root).
fn ensure_browser() -> Result {
    let present = Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists();
    if present {
        return Ok(());
    }
    if !is_root() {
        return Err("the browser tests need Chromium and ChromeDriver: install them with \
                    `sudo apt-get install -y chromium chromium-driver` and run again"
            .into());
    }
    run("refresh Debian's package lists", "apt-get", &["update"])?;
    run("install Chromium and ChromeDriver", "apt-get", &["install", "-y", "chromium", "chromium-driver"])
}

fn serve(args: &[String]) -> Result {
    let port = match args {
        [] => "8080".to_owned(),
        [flag, port] if flag == "--port" && port.parse::<u16>().is_ok() => port.clone(),
        _ => return Err("usage: cargo xtask serve [--port N]".into()),
    };
    ensure_build_tools()?;
    println!("\nServing UMA Rebalance Lab (release build) at http://127.0.0.1:{port}/ — press Ctrl+C to stop.");
    run("trunk serve", "trunk", &["serve", "--release", "--offline", "--address", "127.0.0.1", "--port", &port])
}

/// Checks that the engine depends on no web crate.
fn check_engine_is_pure() -> Result {
    println!("\n==> engine purity: cargo tree -p uma-engine (normal dependencies)");
    let tree = output_of("cargo", &["tree", "-p", "uma-engine", "-e", "normal", "--prefix", "none", "--target", "all"])
        .ok_or("cargo tree failed")?;
    let found: Vec<&str> =
        tree.lines().filter_map(|l| l.split_whitespace().next()).filter(|name| WEB_CRATES.contains(name)).collect();
    if found.is_empty() {
        println!("uma-engine depends on none of {}", WEB_CRATES.join(", "));
        Ok(())
    } else {
        Err(format!("uma-engine must not depend on web crates, but depends on {}", found.join(", ")))
    }
}

/// Runs the fuzz harness with `args`, built with the `cli` profile (optimized, and with
/// unwinding, so that it can catch a panic and report it as an outcome).
fn fuzz(args: &[String], summaries: &mut Vec<String>) -> Result {
    run("build the fuzz harness", "cargo", &["build", "--profile", "cli", "-p", "uma-fuzz"])?;
    // The CLI beside it: the harness sends a sample of its inputs through `uma` too.
    run("build the CLI for the harness", "cargo", &["build", "--profile", "cli", "-p", "uma-engine", "--bin", "uma"])?;
    let program = root().join("target").join("cli").join("uma-fuzz");
    let mut harness = command(&program.to_string_lossy(), &[]);
    harness.args(args);
    run_collecting("fuzz", harness, summaries)
}

/// Checks that the engine's and the web crate's modules import in one direction: no loop,
/// no import from an ancestor module (see `structure.rs`).
fn check_structure() -> Result {
    println!("\n==> structure: the direction of imports in engine/src and web/src");
    for krate in ["engine", "web"] {
        println!("{}", structure::check(&root().join(krate).join("src"))?);
    }
    Ok(())
}

/// Reports the size of the built site's wasm and JavaScript, raw and gzipped: the page's
/// own files (what loads before it is interactive) apart from the modules it loads after
/// (the panels, the Web Worker, the JavaScript API).
fn report_dist_size() -> Result {
    let dist = root().join("dist");
    let entries = fs::read_dir(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("wasm" | "js")))
        .collect();
    files.sort();
    let (mut page_gz, mut on_demand_gz) = (0usize, 0usize);
    for file in &files {
        let name = file.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let raw = fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        let gz = output_of("sh", &["-c", &format!("gzip -9 -c '{}' | wc -c", file.display())])
            .and_then(|s| s.parse::<usize>().ok())
            .unwrap_or(0);
        let on_demand = ["uma-panels", "uma-worker", "uma-api"].iter().any(|m| name.starts_with(m));
        if on_demand {
            on_demand_gz += gz;
        } else {
            page_gz += gz;
        }
        let role = if on_demand { "on demand" } else { "page" };
        println!("{raw:>10} bytes, {gz:>9} gzipped  {name} ({role})");
    }
    println!(
        "wasm + JS served: the page {:.1} KB gzipped; loaded after it (panels, worker, JS API) {:.1} KB",
        page_gz as f64 / 1024.0,
        on_demand_gz as f64 / 1024.0
    );
    Ok(())
}

/// The bt version the cross-check installs (PyPI), pinned so results are repeatable.
const BT_VERSION: &str = "1.4.1";

/// Cross-checks `uma simulate --policy full` against bt when Python is available, in a
/// virtual environment under `target/` (installed once, then reused).
fn bt_crosscheck(summaries: &mut Vec<String>) -> Result {
    if output_of("python3", &["--version"]).is_none() {
        println!("\n==> bt cross-check skipped: python3 is not installed");
        return Ok(());
    }
    let venv = root().join("target").join("bt-venv");
    let python = venv.join("bin").join("python");
    let python = python.to_string_lossy().into_owned();
    if !Path::new(&python).exists() {
        run("create a Python environment for bt", "python3", &["-m", "venv", &venv.to_string_lossy()])?;
    }
    if output_of(&python, &["-c", &format!("import bt; assert bt.__version__ == '{BT_VERSION}'")]).is_none() {
        let package = format!("bt=={BT_VERSION}");
        let installed = run(
            "install bt from PyPI",
            &python,
            &["-m", "pip", "install", "--quiet", "--disable-pip-version-check", &package],
        );
        // Without PyPI there is no peer to compare with: say so, and go on.
        if let Err(why) = installed {
            println!("\n==> bt cross-check skipped: {why}");
            summaries.push(format!("bt cross-check: skipped, bt {BT_VERSION} could not be installed"));
            return Ok(());
        }
    }
    run("build uma for measurements", "cargo", &["build", "--profile", "cli", "-p", "uma-engine", "--bin", "uma"])?;
    let check = command(&python, &["tests/bt_crosscheck.py", "target/cli/uma"]);
    run_collecting("bt cross-check", check, summaries)
}

fn test() -> Result {
    let started = Instant::now();
    ensure_build_tools()?;
    ensure_browser()?;
    let mut summaries = Vec::new();

    run("format", "cargo", &["fmt", "--all", "--check"])?;
    run(
        "clippy (native)",
        "cargo",
        &["clippy", "--workspace", "--exclude", "uma-web", "--all-targets", "--", "-D", "warnings"],
    )?;
    run(
        "clippy (wasm)",
        "cargo",
        &[
            "clippy",
            "-p",
            "uma-web",
            "-p",
            "uma-tests",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    check_engine_is_pure()?;
    check_structure()?;

    let native = command("cargo", &["test", "--workspace", "--exclude", "uma-web"]);
    run_collecting("native tests", native, &mut summaries)?;

    let mut browser = command("cargo", &["test", "-p", "uma-tests", "--target", "wasm32-unknown-unknown"]);
    browser.env("CHROMEDRIVER", "/usr/bin/chromedriver");
    run_collecting("browser tests (headless Chromium)", browser, &mut summaries)?;
    bt_crosscheck(&mut summaries)?;
    // A short fixed budget; `cargo xtask fuzz --seconds 600` runs it longer.
    fuzz(&["--seconds".into(), "20".into()], &mut summaries)?;

    run("release build of the site", "trunk", &["build", "--release", "--offline"])?;
    report_dist_size()?;
    let e2e = command("node", &["tests/e2e/site.mjs", "dist"]);
    run_collecting("end-to-end check of the built site (Chromium)", e2e, &mut summaries)?;

    let (mut passed, mut failed) = (0u64, 0u64);
    println!("\n==> summary ({:.0} s)", started.elapsed().as_secs_f64());
    for line in &summaries {
        println!("{line}");
        passed += count_before(line, " passed");
        failed += count_before(line, " failed");
    }
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} tests failed"))
    }
}

/// The number just before `word` in a summary line: `count_before("3 passed", " passed")` is 3.
fn count_before(line: &str, word: &str) -> u64 {
    line.find(word)
        .and_then(|end| line[..end].rsplit(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
